//! Why an action is refused ([`Refusal`]), as data the UI words in Chinese or English ([`Refusal::message`]).

use serde::{Deserialize, Serialize};
use time::Date;

use super::case::{CaseActionKind, CaseStatus};
use super::task::{TaskActionKind, TaskKind, TaskStatus};
use crate::domain::answer::iso_date;
use crate::domain::role::Role;
use crate::domain::text::Lang;

/// A state of either machine, for refusals that name one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "of", content = "status", rename_all = "snake_case")]
pub enum Status {
    Case(CaseStatus),
    Task(TaskStatus),
}

/// An action of either machine, for refusals that name one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "of", content = "action", rename_all = "snake_case")]
pub enum ActionKind {
    Case(CaseActionKind),
    Task(TaskActionKind),
}

impl Status {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Status::Case(s) => s.label(lang),
            Status::Task(s) => s.label(lang),
        }
    }
}

impl ActionKind {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ActionKind::Case(a) => a.label(lang),
            ActionKind::Task(a) => a.label(lang),
        }
    }
}

/// Why the engine refused an action. Each variant is one sentence in [`Refusal::message`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum Refusal {
    /// Supervisor (电子监察) and admin accounts only read.
    ReadOnlyRole {
        role: Role,
    },
    /// The role (or the system, `None`) may not take this action at all.
    WrongRole {
        role: Option<Role>,
        action: ActionKind,
    },
    /// Only the system takes this action.
    SystemOnly {
        action: ActionKind,
    },
    /// A citizen or agent acting on someone else's case.
    NotYourCase,
    /// An officer acting on another department's task (or an officer with no department).
    WrongDepartment {
        yours: Option<String>,
        task: String,
    },
    NotAllowedInState {
        state: Status,
        action: ActionKind,
    },
    /// An action of the other kind of task (e.g. approving an applicant's to-do).
    NotForTaskKind {
        kind: TaskKind,
        action: TaskActionKind,
    },
    ReasonRequired,
    /// 不予受理 must say where to appeal or which agency to apply to instead.
    AppealRouteRequired,
    EmptyCorrectionList,
    /// A correction item (1-based) without a target id or without saying what is wrong.
    CorrectionItemIncomplete {
        position: usize,
    },
    /// 容缺受理 without naming the materials promised.
    EmptyPromiseList,
    /// The promise deadline is after the latest date the committed limit allows.
    PromiseBeyondLimit {
        #[serde(with = "iso_date")]
        deadline: Date,
        #[serde(with = "iso_date")]
        latest: Date,
    },
    PromiseInPast {
        #[serde(with = "iso_date")]
        deadline: Date,
        #[serde(with = "iso_date")]
        today: Date,
    },
    /// 行政许可法 art. 32: the five working days to ask for corrections or refuse have passed.
    AcceptanceWindowPassed {
        #[serde(with = "iso_date")]
        deadline: Date,
    },
    /// Deemed acceptance before the five working days have passed.
    NotYetDeemed {
        #[serde(with = "iso_date")]
        deadline: Date,
    },
    /// Hand-over while some tasks have not ended.
    TasksStillOpen {
        open: Vec<String>,
    },
    /// A task cannot start before the case is accepted.
    CaseNotAccepted {
        state: CaseStatus,
    },
    /// A task cannot start before the results it needs exist.
    InputsNotReady {
        waiting_for: Vec<String>,
    },
    /// Ending a waiting task although nothing it waits for was refused.
    InputsNotRefused,
    AlreadyExtended,
    /// The statutory limit provides for no extension.
    ExtensionNotProvided,
    ExtensionOutOfRange {
        days: u32,
        max: u32,
    },
}

impl Refusal {
    /// Whether the actor may not act here at all (their role, their department, someone else's case), as opposed
    /// to an action the state or the form does not allow: those go to the security audit trail.
    pub fn is_access_refusal(&self) -> bool {
        matches!(
            self,
            Refusal::ReadOnlyRole { .. }
                | Refusal::WrongRole { .. }
                | Refusal::SystemOnly { .. }
                | Refusal::NotYourCase
                | Refusal::WrongDepartment { .. }
        )
    }

    /// The refusal as a sentence for the applicant or the officer.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let pick = |z: String, e: String| if zh { z } else { e };
        match self {
            Refusal::ReadOnlyRole { role } => pick(
                format!("{}账号只能查看，不能办理。", role_label(*role, lang)),
                format!(
                    "A {} account can only view, not act.",
                    role_label(*role, lang)
                ),
            ),
            Refusal::WrongRole { role, action } => {
                let who = role.map_or(if zh { "系统" } else { "the system" }, |r| {
                    role_label(r, lang)
                });
                let act = action.label(lang);
                pick(
                    format!("{who}不能“{act}”。"),
                    format!("{} cannot {act}.", capitalised(who)),
                )
            }
            Refusal::SystemOnly { action } => pick(
                format!("“{}”由系统自动执行。", action.label(lang)),
                format!("Only the system may {}.", action.label(lang)),
            ),
            Refusal::NotYourCase => {
                pick("这不是您的办件。".into(), "This is not your case.".into())
            }
            Refusal::WrongDepartment { task, .. } => pick(
                format!("该事项由“{task}”办理，您不能操作。"),
                format!("This task belongs to the department “{task}”; you cannot act on it."),
            ),
            Refusal::NotAllowedInState { state, action } => pick(
                format!(
                    "当前状态为“{}”，不能“{}”。",
                    state.label(lang),
                    action.label(lang)
                ),
                format!(
                    "Cannot {} while the status is “{}”.",
                    action.label(lang),
                    state.label(lang)
                ),
            ),
            Refusal::NotForTaskKind { kind, action } => pick(
                format!("{}不能“{}”。", kind.label(lang), action.label(lang)),
                format!("Cannot {} on {}.", action.label(lang), kind.label(lang)),
            ),
            _ => self.data_message(lang),
        }
    }

    /// The refusals about what was filled in.
    fn data_message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let pick = |z: String, e: String| if zh { z } else { e };
        match self {
            Refusal::ReasonRequired => pick(
                "请填写理由，理由将告知申请人。".into(),
                "Give a reason; the applicant will be told.".into(),
            ),
            Refusal::AppealRouteRequired => pick(
                "请写明救济途径，或应向哪个机关申请。".into(),
                "Say where the applicant can appeal or which agency to apply to instead.".into(),
            ),
            Refusal::EmptyCorrectionList => pick(
                "补正通知须一次性列明全部需补正的材料或内容。".into(),
                "A correction notice must list everything to correct, all at once.".into(),
            ),
            Refusal::CorrectionItemIncomplete { position } => pick(
                format!("第 {position} 项补正须写明材料或栏目，以及问题所在。"),
                format!("Correction item {position} must name the material or field and what is wrong."),
            ),
            Refusal::EmptyPromiseList => pick(
                "容缺受理须列明承诺补齐的每一项材料。".into(),
                "Accepting with materials to follow must name each promised material.".into(),
            ),
            Refusal::PromiseBeyondLimit { deadline, latest } => pick(
                format!("承诺补齐日期 {deadline} 晚于承诺时限允许的最晚日期 {latest}。"),
                format!("The promise date {deadline} is after {latest}, the latest the committed limit allows."),
            ),
            Refusal::PromiseInPast { deadline, today } => pick(
                format!("承诺补齐日期 {deadline} 早于今天（{today}）。"),
                format!("The promise date {deadline} is before today ({today})."),
            ),
            Refusal::AcceptanceWindowPassed { deadline } => pick(
                format!("受理审查期限已于 {deadline} 届满，申请视为自收到之日起受理，不能再要求补正或不予受理。"),
                format!("The time to check the application ended on {deadline}; it counts as accepted from receipt, so corrections or refusal to accept are no longer possible."),
            ),
            Refusal::NotYetDeemed { deadline } => pick(
                format!("受理审查期限至 {deadline} 才届满，尚不能视为受理。"),
                format!("The time to check the application runs until {deadline}; it cannot be deemed accepted yet."),
            ),
            Refusal::TasksStillOpen { open } => pick(
                format!("还有 {} 个事项未办结：{}。", open.len(), open.join("、")),
                format!("{} task(s) have not ended yet: {}.", open.len(), open.join(", ")),
            ),
            Refusal::CaseNotAccepted { state } => pick(
                format!("办件尚未受理（当前为“{}”），事项不能开始办理。", state.label(lang)),
                format!("The case is not accepted yet (it is “{}”), so no task can start.", state.label(lang)),
            ),
            Refusal::InputsNotReady { waiting_for } => pick(
                format!("还在等待以下事项的结果：{}。", waiting_for.join("、")),
                format!("Still waiting for the results of: {}.", waiting_for.join(", ")),
            ),
            Refusal::InputsNotRefused => pick(
                "所等待的事项均未被拒绝，该事项仍可继续办理。".into(),
                "Nothing this task waits for was refused; it can still go ahead.".into(),
            ),
            Refusal::AlreadyExtended => pick(
                "办理期限只能延长一次，此前已延长。".into(),
                "The time limit can be extended only once, and it already was.".into(),
            ),
            Refusal::ExtensionNotProvided => pick(
                "该事项的法定时限没有延长的规定。".into(),
                "The law sets no extension for this item's limit.".into(),
            ),
            Refusal::ExtensionOutOfRange { days, max } => pick(
                format!("延长天数须为 1 至 {max} 个工作日（填写的是 {days}）。"),
                format!("An extension must be 1 to {max} working days (not {days})."),
            ),
            // The access refusals are worded in `message`; a test checks every variant has a sentence.
            _ => String::new(),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for Refusal {}

/// A role as a refusal names it.
pub fn role_label(role: Role, lang: Lang) -> &'static str {
    match (role, lang) {
        (Role::Citizen, Lang::Zh) => "申请人",
        (Role::Citizen, Lang::En) => "an applicant",
        (Role::Agent, Lang::Zh) => "代办员",
        (Role::Agent, Lang::En) => "an agent",
        (Role::Officer, Lang::Zh) => "部门审批人员",
        (Role::Officer, Lang::En) => "a department officer",
        (Role::Window, Lang::Zh) => "综合窗口",
        (Role::Window, Lang::En) => "the service window",
        (Role::Supervisor, Lang::Zh) => "电子监察",
        (Role::Supervisor, Lang::En) => "a supervisor",
        (Role::Admin, Lang::Zh) => "系统管理员",
        (Role::Admin, Lang::En) => "an administrator",
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
