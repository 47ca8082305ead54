//! Supervision figures (电子监察, 部门效能): what one task contributes when it ends (handling days without the
//! applicant's pauses, its committed limit in working days), the day before which a due date is "due soon", and
//! the rates and averages of the dashboards, worded in both languages. The database sums; this module decides
//! what a figure means.

use serde::{Deserialize, Serialize};
use time::Date;

use super::calendar::Calendar;
use super::case_flow::{Task, TaskState, DUE_SOON_DAYS};
use super::item::LimitKind;
use super::role::Role;
use super::text::Lang;

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The figures a task carries in its row for the aggregates (see migration 0007).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFigures {
    /// The date the clock shows: the committed due date, else the statutory one.
    pub due_on: Option<Date>,
    /// The day of the decision (approved or refused); `None` while open and for other endings.
    pub ended_on: Option<Date>,
    /// Working days from the start to the decision, without the days paused for corrections.
    pub handled_days: Option<u32>,
    /// The committed limit in working days, extension included (on the spot = 0); `None` for calendar-day,
    /// filing and local limits, which have no working-day figure to compare with.
    pub committed_days: Option<u32>,
    pub extended: bool,
}

impl TaskFigures {
    pub fn of(task: &Task, calendar: &Calendar) -> TaskFigures {
        let decided = matches!(task.state, TaskState::Approved | TaskState::Refused { .. });
        let ended_on = if decided { task.clock.stopped_on } else { None };
        let handled_days = match (task.clock.started_on, ended_on) {
            (Some(start), Some(stop)) => {
                Some(handled_days(calendar, start, stop, task.clock.paused_days))
            }
            _ => None,
        };
        let extension = task.clock.extension.as_ref().map_or(0, |e| e.days);
        let committed_days = ended_on.and(match task.committed.kind {
            LimitKind::OnTheSpot => Some(extension),
            LimitKind::WorkingDays(n) => Some(n.saturating_add(extension)),
            LimitKind::CalendarDays(_) | LimitKind::None | LimitKind::Local => None,
        });
        TaskFigures {
            due_on: task
                .committed_due(calendar)
                .or_else(|| task.statutory_due(calendar)),
            ended_on,
            handled_days,
            committed_days,
            extended: task.clock.extension.is_some(),
        }
    }
}

/// Who may read a department's performance page: supervision and administrators, and that department's own
/// officers (`own`: the officer's department).
pub fn may_see_department(role: Role, own: Option<&str>, department: &str) -> bool {
    match role {
        Role::Supervisor | Role::Admin => true,
        Role::Officer => own == Some(department),
        Role::Window | Role::Citizen | Role::Agent => false,
    }
}

/// Working days in `(start, stop]` less the days paused, never below 0: a task decided the day it started took 0.
pub fn handled_days(calendar: &Calendar, start: Date, stop: Date, paused: u32) -> u32 {
    let days = calendar.working_days_between(start, stop) - i64::from(paused);
    u32::try_from(days.max(0)).unwrap_or(u32::MAX)
}

/// A due date `d` (not passed on `today`) is due soon (黄牌) exactly when `d` is before this day: the clock's rule
/// "at most [`DUE_SOON_DAYS`] working days away" as a bound an index can use.
pub fn due_soon_before(today: Date, calendar: &Calendar) -> Date {
    calendar.add_working_days(today, DUE_SOON_DAYS as u32 + 1)
}

/// `part` of `whole`, e.g. tasks decided on time of tasks decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub part: i64,
    pub whole: i64,
}

impl Rate {
    pub fn new(part: i64, whole: i64) -> Rate {
        Rate { part, whole }
    }

    /// In percent, `None` when there is nothing to count.
    pub fn percent(self) -> Option<f64> {
        (self.whole > 0).then(|| self.part as f64 * 100.0 / self.whole as f64)
    }

    /// "3 / 4（75%）", or a dash when there is nothing to count.
    pub fn describe(self, lang: Lang) -> String {
        match self.percent() {
            None => "—".to_owned(),
            Some(p) => match lang {
                Lang::Zh => format!("{} / {}（{}%）", self.part, self.whole, round1(p)),
                Lang::En => format!("{} / {} ({}%)", self.part, self.whole, round1(p)),
            },
        }
    }
}

/// A sum of working days over a number of tasks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySum {
    pub total: i64,
    pub count: i64,
}

impl DaySum {
    pub fn new(total: i64, count: i64) -> DaySum {
        DaySum { total, count }
    }

    pub fn average(self) -> Option<f64> {
        (self.count > 0).then(|| self.total as f64 / self.count as f64)
    }
}

/// One decimal, without a trailing ".0".
fn round1(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
}

/// "2.5 个工作日" / "2.5 working days" / "1 working day"; a dash for no figure.
pub fn format_working_days(days: Option<f64>, lang: Lang) -> String {
    match (days, lang) {
        (None, _) => "—".to_owned(),
        (Some(d), Lang::Zh) => format!("{} 个工作日", round1(d)),
        (Some(d), Lang::En) if round1(d) == "1" => "1 working day".to_owned(),
        (Some(d), Lang::En) => format!("{} working days", round1(d)),
    }
}

/// The average handling time measured against the average committed limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pace {
    /// Within the committed limit on average.
    Within,
    /// Slower than promised on average.
    Over,
}

impl Pace {
    /// `None` when either figure is missing.
    pub fn of(handled: Option<f64>, committed: Option<f64>) -> Option<Pace> {
        let (h, c) = (handled?, committed?);
        Some(if h <= c + 1e-9 {
            Pace::Within
        } else {
            Pace::Over
        })
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Pace::Within => pick(lang, "在承诺时限内", "within the committed limit"),
            Pace::Over => pick(lang, "超过承诺时限", "over the committed limit"),
        }
    }
}

/// "平均 2.5 个工作日，承诺 5 个工作日（在承诺时限内，用时为承诺的 50%）": the whole comparison in one line.
pub fn compare_to_limit(handled: Option<f64>, committed: Option<f64>, lang: Lang) -> String {
    let Some(pace) = Pace::of(handled, committed) else {
        return format_working_days(handled, lang);
    };
    let share = match (handled, committed) {
        (Some(h), Some(c)) if c > 0.0 => Some(round1(h * 100.0 / c)),
        _ => None,
    };
    let (h, c) = (
        format_working_days(handled, lang),
        format_working_days(committed, lang),
    );
    match (lang, share) {
        (Lang::Zh, Some(s)) => format!(
            "平均 {h}，承诺 {c}（{}，用时为承诺的 {s}%）",
            pace.label(lang)
        ),
        (Lang::Zh, None) => format!("平均 {h}，承诺 {c}（{}）", pace.label(lang)),
        (Lang::En, Some(s)) => format!(
            "{h} on average against {c} committed ({}, {s}% of the limit)",
            pace.label(lang)
        ),
        (Lang::En, None) => format!(
            "{h} on average against {c} committed ({})",
            pace.label(lang)
        ),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::domain::case_flow::{ClockStatus, Extension, TaskKind};
    use crate::domain::item::Limit;

    fn cal() -> Calendar {
        crate::domain::calendar::tests::sample()
    }

    /// Monday 3 March 2025.
    const MON: Date = date!(2025 - 03 - 03);

    fn task(committed: LimitKind, state: TaskState) -> Task {
        Task {
            id: "t".into(),
            item: "i".into(),
            department: "samr".into(),
            kind: TaskKind::Department,
            after: Vec::new(),
            statutory: Limit::new(LimitKind::WorkingDays(20)),
            committed: Limit::new(committed),
            state,
            clock: Default::default(),
        }
    }

    #[test]
    fn handling_days_leave_out_the_applicant_s_pauses() {
        let c = cal();
        // Monday → Friday of the same week: 4 working days; 1 paused.
        assert_eq!(handled_days(&c, MON, date!(2025 - 03 - 07), 1), 3);
        assert_eq!(handled_days(&c, MON, MON, 0), 0);
        // Never negative, even if the pause was counted generously.
        assert_eq!(handled_days(&c, MON, date!(2025 - 03 - 04), 5), 0);
        // Across the 2025 National Day holiday (1–8 October): the make-up Sunday 28 September, 29 and 30
        // September and 9 October.
        assert_eq!(
            handled_days(&c, date!(2025 - 09 - 26), date!(2025 - 10 - 09), 0),
            4
        );
    }

    #[test]
    fn an_approved_task_carries_its_days_and_limit() {
        let c = cal();
        let mut t = task(LimitKind::WorkingDays(5), TaskState::Approved);
        t.clock.started_on = Some(MON);
        t.clock.stopped_on = Some(date!(2025 - 03 - 10));
        t.clock.paused_days = 2;
        let f = TaskFigures::of(&t, &c);
        assert_eq!(f.ended_on, Some(date!(2025 - 03 - 10)));
        assert_eq!(f.handled_days, Some(3));
        assert_eq!(f.committed_days, Some(5));
        assert!(!f.extended);
        // Due: 5 working days from Monday, pushed back by the 2 paused days.
        assert_eq!(f.due_on, Some(date!(2025 - 03 - 12)));
    }

    #[test]
    fn an_extension_lengthens_the_committed_days_and_on_the_spot_counts_zero() {
        let c = cal();
        let mut t = task(
            LimitKind::OnTheSpot,
            TaskState::Refused { reason: "r".into() },
        );
        t.clock.started_on = Some(MON);
        t.clock.stopped_on = Some(MON);
        assert_eq!(TaskFigures::of(&t, &c).committed_days, Some(0));
        t.clock.extension = Some(Extension {
            days: 10,
            reason: "site check".into(),
        });
        let f = TaskFigures::of(&t, &c);
        assert_eq!(f.committed_days, Some(10));
        assert!(f.extended);
        assert_eq!(f.handled_days, Some(0));
    }

    #[test]
    fn open_tasks_and_other_endings_carry_no_handling_figures() {
        let c = cal();
        let mut open = task(LimitKind::WorkingDays(5), TaskState::InReview);
        open.clock.started_on = Some(MON);
        let f = TaskFigures::of(&open, &c);
        assert_eq!(
            (f.ended_on, f.handled_days, f.committed_days),
            (None, None, None)
        );
        assert_eq!(f.due_on, Some(date!(2025 - 03 - 10)));
        let mut skipped = task(
            LimitKind::WorkingDays(5),
            TaskState::NotNeeded {
                refused: "x".into(),
            },
        );
        skipped.clock.stopped_on = Some(MON);
        assert_eq!(TaskFigures::of(&skipped, &c).handled_days, None);
        // A calendar-day limit has no working-day figure; the statutory date shows when the committed is open.
        let mut cal_days = task(LimitKind::CalendarDays(7), TaskState::Approved);
        cal_days.clock.started_on = Some(MON);
        cal_days.clock.stopped_on = Some(MON);
        assert_eq!(TaskFigures::of(&cal_days, &c).committed_days, None);
        let mut local = task(LimitKind::Local, TaskState::InReview);
        local.clock.started_on = Some(MON);
        assert_eq!(TaskFigures::of(&local, &c).due_on, local.statutory_due(&c));
    }

    /// The SQL bound agrees with the clock's colour for every due date around many days of the year.
    #[test]
    fn due_soon_bound_matches_the_clock_colour() {
        let c = cal();
        let mut today = date!(2025 - 09 - 20);
        for _ in 0..40 {
            let bound = due_soon_before(today, &c);
            let mut due = today;
            for _ in 0..15 {
                let mut t = task(LimitKind::WorkingDays(0), TaskState::InReview);
                // A task whose committed due date is exactly `due`: started that day, on the spot.
                t.committed = Limit::new(LimitKind::OnTheSpot);
                t.clock.started_on = Some(due);
                if c.is_working_day(due) {
                    let soon = t.warning(today, &c) == ClockStatus::DueSoon;
                    assert_eq!(soon, due < bound, "today {today}, due {due}");
                }
                due = due.next_day().unwrap();
            }
            today = today.next_day().unwrap();
        }
    }

    #[test]
    fn a_department_s_figures_are_for_supervision_and_its_own_officers() {
        assert!(may_see_department(Role::Supervisor, None, "samr"));
        assert!(may_see_department(Role::Admin, None, "samr"));
        assert!(may_see_department(Role::Officer, Some("samr"), "samr"));
        assert!(!may_see_department(Role::Officer, Some("tax"), "samr"));
        assert!(!may_see_department(Role::Officer, None, "samr"));
        assert!(!may_see_department(Role::Window, None, "samr"));
        assert!(!may_see_department(Role::Citizen, None, "samr"));
        assert!(!may_see_department(Role::Agent, None, "samr"));
    }

    #[test]
    fn rates_averages_and_days_in_words() {
        assert_eq!(Rate::new(3, 4).percent(), Some(75.0));
        assert_eq!(Rate::new(3, 4).describe(Lang::Zh), "3 / 4（75%）");
        assert_eq!(Rate::new(1, 3).describe(Lang::En), "1 / 3 (33.3%)");
        assert_eq!(Rate::new(0, 0).describe(Lang::En), "—");
        assert_eq!(DaySum::new(7, 2).average(), Some(3.5));
        assert_eq!(DaySum::new(0, 0).average(), None);
        assert_eq!(format_working_days(Some(3.5), Lang::Zh), "3.5 个工作日");
        assert_eq!(format_working_days(Some(1.0), Lang::En), "1 working day");
        assert_eq!(format_working_days(Some(2.0), Lang::En), "2 working days");
        assert_eq!(format_working_days(None, Lang::Zh), "—");
    }

    #[test]
    fn the_average_is_compared_with_the_committed_limit() {
        assert_eq!(Pace::of(Some(2.5), Some(5.0)), Some(Pace::Within));
        assert_eq!(Pace::of(Some(5.0), Some(5.0)), Some(Pace::Within));
        assert_eq!(Pace::of(Some(6.0), Some(5.0)), Some(Pace::Over));
        assert_eq!(Pace::of(None, Some(5.0)), None);
        assert_eq!(
            compare_to_limit(Some(2.5), Some(5.0), Lang::Zh),
            "平均 2.5 个工作日，承诺 5 个工作日（在承诺时限内，用时为承诺的 50%）"
        );
        assert_eq!(
            compare_to_limit(Some(1.0), Some(0.0), Lang::En),
            "1 working day on average against 0 working days committed (over the committed limit)"
        );
        assert_eq!(compare_to_limit(None, None, Lang::Zh), "—");
    }
}
