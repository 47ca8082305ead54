//! Strings of the progress lookup (进度查询) and the notifications, in both languages (a missing translation does
//! not compile), and the notifications' sentences built from their code and parameters.

use super::Lang;
use crate::api::track::TrackProblem;

pub struct TrackStrings {
    pub nav_track: &'static str,
    pub footer_track: &'static str,
    pub title: &'static str,
    pub lead: &'static str,
    pub number_label: &'static str,
    pub number_hint: &'static str,
    pub code_label: &'static str,
    pub code_hint: &'static str,
    pub submit: &'static str,
    pub signed_in_note: &'static str,
    pub result_title: &'static str,
    pub privacy_note: &'static str,
    pub case_status_label: &'static str,
    pub theme_label: &'static str,
    pub submitted_on_label: &'static str,
    pub steps_heading: &'static str,
    pub history_heading: &'static str,
    pub again: &'static str,
    pub home_heading: &'static str,
    pub home_lead: &'static str,
    pub receipt_note: &'static str,
    pub notifications_title: &'static str,
    pub notifications_nav: &'static str,
    pub notifications_empty: &'static str,
    pub mark_all_read: &'static str,
    pub marked_read: &'static str,
    pub unread: &'static str,
    pub open_case: &'static str,
    pub problem_heading: &'static str,
}

const ZH: TrackStrings = TrackStrings {
    nav_track: "进度查询",
    footer_track: "办件进度查询（无需登录）",
    title: "办件进度查询",
    lead: "输入受理回执上的办件编号和查询码，无需登录即可查看办理进度。",
    number_label: "办件编号",
    number_hint: "例如 20261125-000042",
    code_label: "查询码",
    code_hint: "8 位字母和数字，印在受理回执上",
    submit: "查询",
    signed_in_note: "已登录的申请人也可以在“我的办事”中查看全部详情。",
    result_title: "办理进度",
    privacy_note: "此页只显示办理进度，不显示申请人信息和申请材料。查询结果 30 分钟内有效。",
    case_status_label: "办件状态",
    theme_label: "办理事项",
    submitted_on_label: "提交日期",
    steps_heading: "各部门办理情况",
    history_heading: "办理记录",
    again: "查询其他办件",
    home_heading: "查询办件进度",
    home_lead: "凭办件编号和查询码，无需登录即可查看办理进度。",
    receipt_note: "请记下办件编号和查询码：无需登录也可以在“进度查询”中查看办理进度。",
    notifications_title: "消息通知",
    notifications_nav: "通知",
    notifications_empty: "暂无通知。",
    mark_all_read: "全部标为已读",
    marked_read: "已全部标为已读。",
    unread: "未读",
    open_case: "查看办件",
    problem_heading: "无法查询",
};

const EN: TrackStrings = TrackStrings {
    nav_track: "Track",
    footer_track: "Track a case (no account needed)",
    title: "Track a case",
    lead: "Enter the case number and the lookup code from your receipt to see the progress without signing in.",
    number_label: "Case number",
    number_hint: "For example 20261125-000042",
    code_label: "Lookup code",
    code_hint: "8 letters and digits, printed on the receipt",
    submit: "Look up",
    signed_in_note: "Signed-in applicants can see every detail under My services.",
    result_title: "Progress",
    privacy_note: "This page shows progress only, never the applicant's details or materials. It stays open for 30 minutes.",
    case_status_label: "Case status",
    theme_label: "Service",
    submitted_on_label: "Submitted on",
    steps_heading: "Each department's step",
    history_heading: "History",
    again: "Look up another case",
    home_heading: "Track a case",
    home_lead: "With the case number and the lookup code, see the progress without signing in.",
    receipt_note: "Note the case number and the lookup code: with them, Track shows the progress without signing in.",
    notifications_title: "Notifications",
    notifications_nav: "Notifications",
    notifications_empty: "No notifications yet.",
    mark_all_read: "Mark all as read",
    marked_read: "All marked as read.",
    unread: "unread",
    open_case: "Open the case",
    problem_heading: "Cannot look up",
};

pub fn tt(lang: Lang) -> &'static TrackStrings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// What a lookup's problem says. `until` is the `HH:MM` (Beijing time) of the next allowed attempt.
pub fn problem(p: TrackProblem, until: &str, lang: Lang) -> String {
    match (p, lang) {
        (TrackProblem::Wrong, Lang::Zh) => "案件编号或查询码不正确".into(),
        (TrackProblem::Wrong, Lang::En) => "The case number or the lookup code is not right".into(),
        (TrackProblem::Missing, Lang::Zh) => "请填写办件编号和查询码".into(),
        (TrackProblem::Missing, Lang::En) => {
            "Enter both the case number and the lookup code".into()
        }
        (TrackProblem::Throttled, Lang::Zh) => {
            format!("尝试次数过多，请于 {until}（北京时间）后再试")
        }
        (TrackProblem::Throttled, Lang::En) => {
            format!("Too many attempts: try again after {until} (Beijing time)")
        }
        (TrackProblem::Expired, Lang::Zh) => "查询结果已过期，请重新输入办件编号和查询码".into(),
        (TrackProblem::Expired, Lang::En) => {
            "This result has expired: enter the case number and the lookup code again".into()
        }
        (TrackProblem::Unavailable, Lang::Zh) => "系统暂时无法查询，请稍后再试".into(),
        (TrackProblem::Unavailable, Lang::En) => {
            "Looking up is not possible just now; please try again later".into()
        }
    }
}

/// The main change of a notification, with its words already chosen in the reader's language.
pub enum NoticeWords {
    Submitted,
    Case {
        action: String,
        status: String,
    },
    Task {
        item: String,
        action: String,
        status: String,
    },
}

/// A notification's sentence: the change, then what the system moved with it (`then`: item, status).
pub fn notice_text(
    number: &str,
    words: &NoticeWords,
    then: &[(String, String)],
    lang: Lang,
) -> String {
    let mut text = match (words, lang) {
        (NoticeWords::Submitted, Lang::Zh) => {
            format!("办件 {number} 已提交，等待综合窗口受理。")
        }
        (NoticeWords::Submitted, Lang::En) => {
            format!("Case {number} was submitted and waits for the service-centre window.")
        }
        (NoticeWords::Case { action, status }, Lang::Zh) => {
            format!("办件 {number}：{action}，当前状态“{status}”。")
        }
        (NoticeWords::Case { action, status }, Lang::En) => {
            format!("Case {number}: {action}; now “{status}”.")
        }
        (
            NoticeWords::Task {
                item,
                action,
                status,
            },
            Lang::Zh,
        ) => format!("办件 {number} 的“{item}”：{action}，当前状态“{status}”。"),
        (
            NoticeWords::Task {
                item,
                action,
                status,
            },
            Lang::En,
        ) => format!("Case {number}, “{item}”: {action}; now “{status}”."),
    };
    if !then.is_empty() {
        let list: Vec<String> = then
            .iter()
            .map(|(item, status)| match lang {
                Lang::Zh => format!("“{item}”{status}"),
                Lang::En => format!("“{item}” {status}"),
            })
            .collect();
        match lang {
            Lang::Zh => text.push_str(&format!("随后：{}。", list.join("；"))),
            Lang::En => text.push_str(&format!(" Then: {}.", list.join("; "))),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wrong_lookup_message_never_says_which_part_was_wrong() {
        let zh = problem(TrackProblem::Wrong, "", Lang::Zh);
        assert_eq!(zh, "案件编号或查询码不正确");
        assert!(problem(TrackProblem::Throttled, "10:15", Lang::Zh).contains("10:15"));
        assert!(problem(TrackProblem::Throttled, "10:15", Lang::En).contains("10:15"));
    }

    #[test]
    fn notices_read_in_the_readers_language_with_follow_ups() {
        let words = NoticeWords::Case {
            action: "受理".into(),
            status: "已受理".into(),
        };
        let then = vec![("营业执照".to_owned(), "审查中".to_owned())];
        assert_eq!(
            notice_text("20261125-000042", &words, &then, Lang::Zh),
            "办件 20261125-000042：受理，当前状态“已受理”。随后：“营业执照”审查中。"
        );
        let en = notice_text("N1", &NoticeWords::Submitted, &[], Lang::En);
        assert_eq!(
            en,
            "Case N1 was submitted and waits for the service-centre window."
        );
    }
}
