//! Evaluation (好差评) and consultation (咨询), pure: the five rating levels, what may be rated and by whom, the
//! follow-up (整改) a poor rating opens and its deadline in working days; a question's routing to a department,
//! its answer deadline, who may answer it, and the checks on what is published as an FAQ (常见问题). The
//! server stores; this module decides.

use serde::{Deserialize, Serialize};
use time::Date;

use super::calendar::Calendar;
use super::case_flow::{CaseStatus, ClockStatus, TaskStatus, DUE_SOON_DAYS};
use super::catalog::Catalog;
use super::performance::Rate;
use super::role::Role;
use super::text::Lang;

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The longest comment a rating may carry, in characters.
pub const COMMENT_MAX: usize = 500;
/// The longest question, in characters.
pub const QUESTION_MAX: usize = 1000;
/// The longest answer, follow-up response or published FAQ text, in characters.
pub const ANSWER_MAX: usize = 2000;
/// Working days a department has to answer a follow-up or a question when the catalog does not say.
pub const DEFAULT_FOLLOW_UP_DAYS: u32 = 5;
pub const DEFAULT_CONSULTATION_DAYS: u32 = 3;

/// 好差评: the five levels, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 非常满意
    VerySatisfied,
    /// 满意
    Satisfied,
    /// 基本满意
    Basic,
    /// 不满意
    Dissatisfied,
    /// 非常不满意
    VeryDissatisfied,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::VerySatisfied,
        Level::Satisfied,
        Level::Basic,
        Level::Dissatisfied,
        Level::VeryDissatisfied,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Level::VerySatisfied => "very_satisfied",
            Level::Satisfied => "satisfied",
            Level::Basic => "basic",
            Level::Dissatisfied => "dissatisfied",
            Level::VeryDissatisfied => "very_dissatisfied",
        }
    }

    pub fn from_code(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Level::VerySatisfied => pick(lang, "非常满意", "Very satisfied"),
            Level::Satisfied => pick(lang, "满意", "Satisfied"),
            Level::Basic => pick(lang, "基本满意", "Fairly satisfied"),
            Level::Dissatisfied => pick(lang, "不满意", "Dissatisfied"),
            Level::VeryDissatisfied => pick(lang, "非常不满意", "Very dissatisfied"),
        }
    }

    /// 差评: dissatisfied or worse; opens a follow-up for the responsible department.
    pub fn is_poor(self) -> bool {
        matches!(self, Level::Dissatisfied | Level::VeryDissatisfied)
    }
}

/// Why a rating, a question, an answer or a follow-up response was not taken. Nothing is stored for any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// No level chosen, or an unknown one.
    NoLevel,
    CommentTooLong,
    /// Only the applicant who filed the case rates it.
    NotOwner,
    /// The task or case has not ended yet.
    NotEnded,
    /// 已评价: one rating per task or case.
    AlreadyRated,
    EmptyQuestion,
    QuestionTooLong,
    EmptyText,
    TextTooLong,
    /// The question or follow-up belongs to another department.
    OtherDepartment,
    /// Already answered (or closed): the first answer stands.
    AlreadyAnswered,
    /// Only an answered question can be published.
    NotAnswered,
    AlreadyPublished,
    /// The item or theme asked about does not exist, or the chosen item is not the theme's.
    UnknownSubject,
}

impl Problem {
    /// Whether this is a refusal of access (someone else's case, another department's work) rather than a
    /// mistake or the state of things: those go to the security audit trail.
    pub fn is_refusal(self) -> bool {
        matches!(self, Problem::NotOwner | Problem::OtherDepartment)
    }

    pub const ALL: [Problem; 14] = [
        Problem::NoLevel,
        Problem::CommentTooLong,
        Problem::NotOwner,
        Problem::NotEnded,
        Problem::AlreadyRated,
        Problem::EmptyQuestion,
        Problem::QuestionTooLong,
        Problem::EmptyText,
        Problem::TextTooLong,
        Problem::OtherDepartment,
        Problem::AlreadyAnswered,
        Problem::NotAnswered,
        Problem::AlreadyPublished,
        Problem::UnknownSubject,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Problem::NoLevel => "no_level",
            Problem::CommentTooLong => "comment_too_long",
            Problem::NotOwner => "not_owner",
            Problem::NotEnded => "not_ended",
            Problem::AlreadyRated => "already_rated",
            Problem::EmptyQuestion => "empty_question",
            Problem::QuestionTooLong => "question_too_long",
            Problem::EmptyText => "empty_text",
            Problem::TextTooLong => "text_too_long",
            Problem::OtherDepartment => "other_department",
            Problem::AlreadyAnswered => "already_answered",
            Problem::NotAnswered => "not_answered",
            Problem::AlreadyPublished => "already_published",
            Problem::UnknownSubject => "unknown_subject",
        }
    }

    pub fn from_code(code: &str) -> Option<Problem> {
        Problem::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The sentence the user reads.
    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (Problem::NoLevel, Lang::Zh) => "请选择一个评价等级。".into(),
            (Problem::NoLevel, Lang::En) => "Choose one of the rating levels.".into(),
            (Problem::CommentTooLong, Lang::Zh) => {
                format!("评价意见不能超过 {COMMENT_MAX} 个字。")
            }
            (Problem::CommentTooLong, Lang::En) => {
                format!("The comment can have at most {COMMENT_MAX} characters.")
            }
            (Problem::NotOwner, _) => pick(
                lang,
                "只有提交该办件的申请人可以评价。",
                "Only the applicant who filed this case can rate it.",
            )
            .into(),
            (Problem::NotEnded, _) => pick(
                lang,
                "办理结束后才能评价。",
                "You can rate it once it has ended.",
            )
            .into(),
            (Problem::AlreadyRated, _) => pick(
                lang,
                "您已经评价过，每项只能评价一次，原评价未改变。",
                "You have already rated this; each can be rated once, and your rating was not changed.",
            )
            .into(),
            (Problem::EmptyQuestion, _) => {
                pick(lang, "请填写咨询内容。", "Write your question.").into()
            }
            (Problem::QuestionTooLong, Lang::Zh) => {
                format!("咨询内容不能超过 {QUESTION_MAX} 个字。")
            }
            (Problem::QuestionTooLong, Lang::En) => {
                format!("The question can have at most {QUESTION_MAX} characters.")
            }
            (Problem::EmptyText, _) => pick(lang, "请填写内容。", "Write the text.").into(),
            (Problem::TextTooLong, Lang::Zh) => format!("内容不能超过 {ANSWER_MAX} 个字。"),
            (Problem::TextTooLong, Lang::En) => {
                format!("The text can have at most {ANSWER_MAX} characters.")
            }
            (Problem::OtherDepartment, _) => pick(
                lang,
                "这属于其他部门，您不能办理，未作任何改动。",
                "This belongs to another department; you cannot act on it, and nothing was changed.",
            )
            .into(),
            (Problem::AlreadyAnswered, _) => pick(
                lang,
                "已经答复过，原答复未改变。",
                "This was already answered; the first answer stands.",
            )
            .into(),
            (Problem::NotAnswered, _) => pick(
                lang,
                "答复后才能发布为常见问题。",
                "Answer the question before publishing it as an FAQ.",
            )
            .into(),
            (Problem::AlreadyPublished, _) => pick(
                lang,
                "已经发布为常见问题。",
                "This is already published as an FAQ.",
            )
            .into(),
            (Problem::UnknownSubject, _) => pick(
                lang,
                "找不到要咨询的事项或主题。",
                "The item or theme to ask about was not found.",
            )
            .into(),
        }
    }
}

/// Trims `text` and checks its length in characters: `None` when empty, else `Err(())` when over `max`.
fn bounded(text: &str, max: usize) -> Result<Option<String>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > max {
        return Err(());
    }
    Ok(Some(t.to_owned()))
}

/// A rating form as typed: the level's code and an optional comment.
pub fn parse_rating(level: &str, comment: &str) -> Result<(Level, Option<String>), Problem> {
    let level = Level::from_code(level.trim()).ok_or(Problem::NoLevel)?;
    let comment = bounded(comment, COMMENT_MAX).map_err(|()| Problem::CommentTooLong)?;
    Ok((level, comment))
}

/// Whether a task has ended in a way that can be rated: a decision (approved or refused).
pub fn task_rateable(status: TaskStatus) -> bool {
    matches!(status, TaskStatus::Approved | TaskStatus::Refused)
}

/// Whether a case has ended: handed over (办结) or refused at the window (final).
pub fn case_rateable(status: CaseStatus) -> bool {
    matches!(status, CaseStatus::Closed | CaseStatus::RefusedToAccept)
}

/// Whether this viewer may rate: the owner, once, after the end. The order of the checks decides the message.
pub fn may_rate(owner: bool, ended: bool, already: bool) -> Result<(), Problem> {
    if !owner {
        return Err(Problem::NotOwner);
    }
    if already {
        return Err(Problem::AlreadyRated);
    }
    if !ended {
        return Err(Problem::NotEnded);
    }
    Ok(())
}

/// A deadline `days` working days after `from` (the day itself does not count).
pub fn due_after(from: Date, days: u32, calendar: &Calendar) -> Date {
    calendar.add_working_days(from, days.max(1))
}

/// The warning colour of an open item due on `due`, seen on `today`: the same rule as a task's clock (黄牌
/// within [`DUE_SOON_DAYS`] working days, 红牌 after the day).
pub fn due_status(today: Date, due: Date, calendar: &Calendar) -> ClockStatus {
    if today > due {
        ClockStatus::Overdue
    } else if calendar.working_days_between(today, due) <= DUE_SOON_DAYS {
        ClockStatus::DueSoon
    } else {
        ClockStatus::OnTrack
    }
}

/// Who may respond to a follow-up or answer a question of `department`: that department's officers only.
pub fn may_answer(role: Role, own: Option<&str>, department: &str) -> Result<(), Problem> {
    match role {
        Role::Officer if own == Some(department) => Ok(()),
        _ => Err(Problem::OtherDepartment),
    }
}

/// Who may read a department's follow-ups and questions: its officers, supervision and administrators.
pub fn may_read_department(role: Role, own: Option<&str>, department: &str) -> bool {
    super::performance::may_see_department(role, own, department)
}

/// A department's written text (an answer, a follow-up response, an FAQ's question or answer).
pub fn parse_text(text: &str) -> Result<String, Problem> {
    match bounded(text, ANSWER_MAX) {
        Ok(Some(t)) => Ok(t),
        Ok(None) => Err(Problem::EmptyText),
        Err(()) => Err(Problem::TextTooLong),
    }
}

pub fn parse_question(text: &str) -> Result<String, Problem> {
    match bounded(text, QUESTION_MAX) {
        Ok(Some(t)) => Ok(t),
        Ok(None) => Err(Problem::EmptyQuestion),
        Err(()) => Err(Problem::QuestionTooLong),
    }
}

/// Where a question goes: the item asked about (its department), or a theme — the chosen item of the theme's
/// steps (its department) or, with none chosen, the theme's lead department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub item: Option<String>,
    pub theme: Option<String>,
    pub department: String,
}

pub fn route(catalog: &Catalog, item: &str, theme: &str, chosen: &str) -> Result<Route, Problem> {
    let (item, theme, chosen) = (item.trim(), theme.trim(), chosen.trim());
    if !item.is_empty() {
        let found = catalog.item(item).ok_or(Problem::UnknownSubject)?;
        return Ok(Route {
            item: Some(found.id.clone()),
            theme: None,
            department: found.department.clone(),
        });
    }
    let t = catalog.theme(theme).ok_or(Problem::UnknownSubject)?;
    if chosen.is_empty() {
        return Ok(Route {
            item: None,
            theme: Some(t.id.clone()),
            department: t.lead_department.clone(),
        });
    }
    let in_theme = t.steps.iter().any(|s| s.items().contains(&chosen));
    let found = catalog
        .item(chosen)
        .filter(|_| in_theme)
        .ok_or(Problem::UnknownSubject)?;
    Ok(Route {
        item: Some(found.id.clone()),
        theme: Some(t.id.clone()),
        department: found.department.clone(),
    })
}

/// Ratings counted per level, best first, as the performance page shows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCounts(pub [i64; 5]);

impl LevelCounts {
    /// From `(level code, count)` rows; unknown codes are ignored.
    pub fn from_rows(rows: &[(String, i64)]) -> LevelCounts {
        let mut counts = [0; 5];
        for (code, n) in rows {
            if let Some(i) =
                Level::from_code(code).and_then(|l| Level::ALL.iter().position(|x| *x == l))
            {
                counts[i] += n;
            }
        }
        LevelCounts(counts)
    }

    pub fn total(self) -> i64 {
        self.0.iter().sum()
    }

    pub fn of(self, level: Level) -> i64 {
        Level::ALL
            .iter()
            .position(|l| *l == level)
            .map_or(0, |i| self.0[i])
    }

    /// 满意率: ratings of "fairly satisfied" or better, of all ratings.
    pub fn satisfaction(self) -> Rate {
        let good = Level::ALL
            .into_iter()
            .filter(|l| !l.is_poor())
            .map(|l| self.of(l))
            .sum();
        Rate::new(good, self.total())
    }
}

/// What a notification about a follow-up or a question says (`notification.code`), in the reader's language.
pub fn notification_text(code: &str, lang: Lang) -> Option<&'static str> {
    Some(match code {
        "consultation_answered" => pick(
            lang,
            "您的咨询已有答复，请在“我的咨询”查看。",
            "Your question has been answered; see “My questions”.",
        ),
        "follow_up_closed" => pick(
            lang,
            "部门已就您的评价作出整改答复。",
            "The department has responded to your rating.",
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn only_someone_elses_case_or_department_is_a_refusal() {
        let refusals: Vec<Problem> = Problem::ALL
            .into_iter()
            .filter(|p| p.is_refusal())
            .collect();
        assert_eq!(refusals, vec![Problem::NotOwner, Problem::OtherDepartment]);
    }

    fn cal() -> Calendar {
        crate::domain::calendar::tests::sample()
    }

    #[test]
    fn levels_round_trip_and_the_two_worst_are_poor() {
        for l in Level::ALL {
            assert_eq!(Level::from_code(l.code()), Some(l));
            assert!(!l.label(Lang::Zh).is_empty() && !l.label(Lang::En).is_empty());
        }
        assert_eq!(Level::from_code("great"), None);
        let poor: Vec<_> = Level::ALL.into_iter().filter(|l| l.is_poor()).collect();
        assert_eq!(poor, vec![Level::Dissatisfied, Level::VeryDissatisfied]);
        assert_eq!(Level::Basic.label(Lang::Zh), "基本满意");
    }

    #[test]
    fn a_rating_needs_a_level_and_a_short_enough_comment() {
        assert_eq!(parse_rating("", "x"), Err(Problem::NoLevel));
        assert_eq!(parse_rating("excellent", ""), Err(Problem::NoLevel));
        assert_eq!(
            parse_rating(" satisfied ", "  "),
            Ok((Level::Satisfied, None))
        );
        assert_eq!(
            parse_rating("dissatisfied", " 等了很久 "),
            Ok((Level::Dissatisfied, Some("等了很久".into())))
        );
        // Counted in characters, not bytes: 500 Chinese characters pass, 501 do not.
        let ok = "慢".repeat(COMMENT_MAX);
        assert!(parse_rating("basic", &ok).is_ok());
        assert_eq!(
            parse_rating("basic", &format!("{ok}慢")),
            Err(Problem::CommentTooLong)
        );
    }

    #[test]
    fn only_the_owner_rates_once_after_the_end() {
        assert_eq!(may_rate(true, true, false), Ok(()));
        assert_eq!(may_rate(false, true, false), Err(Problem::NotOwner));
        assert_eq!(may_rate(false, true, true), Err(Problem::NotOwner));
        assert_eq!(may_rate(true, true, true), Err(Problem::AlreadyRated));
        assert_eq!(may_rate(true, false, false), Err(Problem::NotEnded));
        assert!(task_rateable(TaskStatus::Approved));
        assert!(task_rateable(TaskStatus::Refused));
        for s in [
            TaskStatus::Waiting,
            TaskStatus::InReview,
            TaskStatus::AwaitingApplicant,
            TaskStatus::ToDo,
            TaskStatus::Done,
            TaskStatus::NotNeeded,
        ] {
            assert!(!task_rateable(s), "{s:?}");
        }
        assert!(case_rateable(CaseStatus::Closed));
        assert!(case_rateable(CaseStatus::RefusedToAccept));
        assert!(!case_rateable(CaseStatus::Accepted));
        assert!(!case_rateable(CaseStatus::Submitted));
    }

    #[test]
    fn deadlines_count_working_days_across_holidays() {
        let c = cal();
        // Friday 7 March 2025 + 5 working days: Friday 14 March.
        assert_eq!(
            due_after(date!(2025 - 03 - 07), 5, &c),
            date!(2025 - 03 - 14)
        );
        // Friday 26 September 2025 + 3: the make-up Sunday 28 September, 29 and 30 September (1–8 October off).
        assert_eq!(
            due_after(date!(2025 - 09 - 26), 3, &c),
            date!(2025 - 09 - 30)
        );
        assert_eq!(
            due_after(date!(2025 - 09 - 26), 4, &c),
            date!(2025 - 10 - 09)
        );
        // Zero days still gives a day to answer.
        assert_eq!(
            due_after(date!(2025 - 03 - 07), 0, &c),
            date!(2025 - 03 - 10)
        );
    }

    #[test]
    fn warnings_follow_the_clock_rule() {
        let c = cal();
        let due = date!(2025 - 03 - 14);
        assert_eq!(
            due_status(date!(2025 - 03 - 10), due, &c),
            ClockStatus::OnTrack
        );
        assert_eq!(
            due_status(date!(2025 - 03 - 12), due, &c),
            ClockStatus::DueSoon
        );
        assert_eq!(due_status(due, due, &c), ClockStatus::DueSoon);
        assert_eq!(
            due_status(date!(2025 - 03 - 15), due, &c),
            ClockStatus::Overdue
        );
    }

    #[test]
    fn only_the_department_s_officers_answer() {
        assert_eq!(may_answer(Role::Officer, Some("samr"), "samr"), Ok(()));
        for (role, own) in [
            (Role::Officer, Some("tax")),
            (Role::Officer, None),
            (Role::Supervisor, None),
            (Role::Admin, None),
            (Role::Window, None),
            (Role::Citizen, None),
        ] {
            assert_eq!(
                may_answer(role, own, "samr"),
                Err(Problem::OtherDepartment),
                "{role:?}"
            );
        }
        assert!(may_read_department(Role::Supervisor, None, "samr"));
        assert!(!may_read_department(Role::Officer, Some("tax"), "samr"));
    }

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(parse_question("  "), Err(Problem::EmptyQuestion));
        assert_eq!(parse_question(" 要带什么？ "), Ok("要带什么？".into()));
        assert_eq!(
            parse_question(&"问".repeat(QUESTION_MAX + 1)),
            Err(Problem::QuestionTooLong)
        );
        assert_eq!(parse_text(""), Err(Problem::EmptyText));
        assert_eq!(
            parse_text(&"答".repeat(ANSWER_MAX + 1)),
            Err(Problem::TextTooLong)
        );
    }

    #[test]
    fn problems_round_trip_and_read_in_both_languages() {
        for p in Problem::ALL {
            assert_eq!(Problem::from_code(p.code()), Some(p));
            assert!(!p.message(Lang::Zh).is_empty());
            assert!(!p.message(Lang::En).is_empty());
        }
        assert_eq!(Problem::from_code("nonsense"), None);
    }

    #[test]
    fn satisfaction_counts_fairly_satisfied_or_better() {
        let rows = vec![
            ("very_satisfied".to_owned(), 3),
            ("basic".to_owned(), 1),
            ("very_dissatisfied".to_owned(), 1),
            ("dissatisfied".to_owned(), 1),
            ("bogus".to_owned(), 9),
        ];
        let c = LevelCounts::from_rows(&rows);
        assert_eq!(c.0, [3, 0, 1, 1, 1]);
        assert_eq!(c.total(), 6);
        assert_eq!(c.satisfaction(), Rate::new(4, 6));
        assert_eq!(LevelCounts::default().satisfaction().percent(), None);
    }

    #[test]
    fn notifications_have_words() {
        assert!(notification_text("consultation_answered", Lang::Zh).is_some());
        assert!(notification_text("follow_up_closed", Lang::En).is_some());
        assert_eq!(notification_text("case_status", Lang::Zh), None);
    }
}
