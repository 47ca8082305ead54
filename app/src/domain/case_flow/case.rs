//! The case (办件): one application, checked and accepted by the service-centre window, and closed when the
//! window hands over every result (统一窗口出件).

use serde::{Deserialize, Serialize};
use time::Date;

use super::actor::{authorise, Actor, Subject, Who};
use super::refusal::{ActionKind, Refusal, Status};
use super::task::{open_tasks, Task};
use super::{correction_list, required_text, CorrectionItem, HistoryEntry, Transition};
use crate::domain::answer::iso_date;
use crate::domain::calendar::Calendar;
use crate::domain::text::Lang;

/// 行政许可法 art. 32: the window has this many working days after (re)submission to accept, refuse or ask for
/// corrections; after that the application counts as accepted from receipt.
pub const ACCEPTANCE_DAYS: u32 = 5;

/// The state of a case, with what each state must record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CaseState {
    /// 已提交: waiting for the window; `on` is the day of (re)submission, when the art. 32 clock starts.
    Submitted {
        #[serde(with = "iso_date")]
        on: Date,
    },
    /// 受理 (受理通知书). `deemed`: accepted by law from receipt (`since` is then the submission day).
    Accepted {
        #[serde(with = "iso_date")]
        since: Date,
        deemed: bool,
    },
    /// 容缺受理: accepted on a signed promise to supply secondary materials by a date.
    AcceptedWithShortfall {
        #[serde(with = "iso_date")]
        since: Date,
        promise: Promise,
    },
    /// 补正 (补正材料通知书): every item to correct, listed at once.
    CorrectionRequested {
        #[serde(with = "iso_date")]
        on: Date,
        items: Vec<CorrectionItem>,
    },
    /// 不予受理 (不予受理通知书): the reason, and where to appeal or apply instead. Final.
    RefusedToAccept {
        #[serde(with = "iso_date")]
        on: Date,
        reason: String,
        appeal: String,
    },
    /// 已出件: the window handed over every result. Final.
    Closed {
        #[serde(with = "iso_date")]
        on: Date,
    },
}

/// 承诺书: the materials promised and the day they are due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promise {
    pub materials: Vec<String>,
    #[serde(with = "iso_date")]
    pub deadline: Date,
}

/// The name of a case state, without its data: the code stored in a column and used by the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Submitted,
    Accepted,
    AcceptedWithShortfall,
    CorrectionRequested,
    RefusedToAccept,
    Closed,
}

/// What someone does to a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CaseAction {
    /// 受理
    Accept,
    /// 容缺受理: `latest` is the last day the committed limit allows for the promise (the caller computes it).
    AcceptWithShortfall {
        materials: Vec<String>,
        #[serde(with = "iso_date")]
        deadline: Date,
        #[serde(with = "iso_date")]
        latest: Date,
    },
    /// 一次性告知补正
    RequestCorrection { items: Vec<CorrectionItem> },
    /// 不予受理
    RefuseToAccept { reason: String, appeal: String },
    /// 视为受理 (art. 32), by the system once the five working days have passed.
    DeemAccept,
    /// The applicant hands in the corrected application.
    Resubmit,
    /// The applicant hands in the promised materials.
    SupplyShortfall,
    /// 统一窗口出件
    HandOver,
}

/// The name of a case action, without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseActionKind {
    Accept,
    AcceptWithShortfall,
    RequestCorrection,
    RefuseToAccept,
    DeemAccept,
    Resubmit,
    SupplyShortfall,
    HandOver,
}

/// One allowed case transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseRule {
    pub from: CaseStatus,
    pub action: CaseActionKind,
    pub to: CaseStatus,
}

const fn rule(from: CaseStatus, action: CaseActionKind, to: CaseStatus) -> CaseRule {
    CaseRule { from, action, to }
}

/// Every allowed case transition; anything else is refused. Who may act is [`CaseActionKind::who`].
pub const CASE_RULES: &[CaseRule] = {
    use CaseActionKind as A;
    use CaseStatus as S;
    &[
        rule(S::Submitted, A::Accept, S::Accepted),
        rule(
            S::Submitted,
            A::AcceptWithShortfall,
            S::AcceptedWithShortfall,
        ),
        rule(S::Submitted, A::RequestCorrection, S::CorrectionRequested),
        rule(S::Submitted, A::RefuseToAccept, S::RefusedToAccept),
        rule(S::Submitted, A::DeemAccept, S::Accepted),
        rule(S::CorrectionRequested, A::Resubmit, S::Submitted),
        rule(S::AcceptedWithShortfall, A::SupplyShortfall, S::Accepted),
        rule(S::Accepted, A::HandOver, S::Closed),
    ]
};

/// What the engine needs besides the state and the actor.
#[derive(Debug, Clone, Copy)]
pub struct CaseContext<'a> {
    pub today: Date,
    pub calendar: &'a Calendar,
    /// Whether the acting citizen or agent owns the case (the server knows the owner).
    pub is_owner: bool,
    /// The case's tasks, for the hand-over check.
    pub tasks: &'a [Task],
}

pub type CaseEntry = HistoryEntry<CaseStatus, CaseAction>;
pub type CaseTransition = Transition<CaseState, CaseEntry>;

/// The last day the window may act on an application (re)submitted on `submitted_on`.
pub fn acceptance_deadline(submitted_on: Date, calendar: &Calendar) -> Date {
    calendar.add_working_days(submitted_on, ACCEPTANCE_DAYS)
}

/// 行政许可法 art. 32: whether an application (re)submitted on `submitted_on`, not acted on, counts as accepted on
/// `today` — the five working days after submission have all passed.
pub fn deemed_accepted(submitted_on: Date, today: Date, calendar: &Calendar) -> bool {
    today > acceptance_deadline(submitted_on, calendar)
}

impl CaseState {
    pub fn status(&self) -> CaseStatus {
        match self {
            CaseState::Submitted { .. } => CaseStatus::Submitted,
            CaseState::Accepted { .. } => CaseStatus::Accepted,
            CaseState::AcceptedWithShortfall { .. } => CaseStatus::AcceptedWithShortfall,
            CaseState::CorrectionRequested { .. } => CaseStatus::CorrectionRequested,
            CaseState::RefusedToAccept { .. } => CaseStatus::RefusedToAccept,
            CaseState::Closed { .. } => CaseStatus::Closed,
        }
    }

    /// The day the case counts as accepted from, while accepted (with or without shortfall).
    pub fn accepted_since(&self) -> Option<Date> {
        match self {
            CaseState::Accepted { since, .. } | CaseState::AcceptedWithShortfall { since, .. } => {
                Some(*since)
            }
            _ => None,
        }
    }

    /// The day the window's clock shows: while submitted, the last day to act on it (art. 32,
    /// [`acceptance_deadline`]); while accepted with a shortfall (容缺), the promise's deadline; else none. Stored
    /// with the state so the window's queue is an ordered index (migration 0016).
    pub fn window_due(&self, calendar: &Calendar) -> Option<Date> {
        match self {
            CaseState::Submitted { on } => Some(acceptance_deadline(*on, calendar)),
            CaseState::AcceptedWithShortfall { promise, .. } => Some(promise.deadline),
            _ => None,
        }
    }

    /// Whether the promised materials are late: the promise deadline has passed and they are not supplied. A
    /// flag for the window and supervision, not a state.
    pub fn shortfall_overdue(&self, today: Date) -> bool {
        matches!(self, CaseState::AcceptedWithShortfall { promise, .. } if today > promise.deadline)
    }

    /// Apply `action` by `actor`: the next state and its history entry, or why not.
    pub fn apply(
        &self,
        action: &CaseAction,
        actor: &Actor,
        ctx: &CaseContext<'_>,
    ) -> Result<CaseTransition, Refusal> {
        let kind = action.kind();
        let subject = Subject {
            is_owner: ctx.is_owner,
            department: None,
        };
        authorise(kind.who(), ActionKind::Case(kind), actor, &subject)?;
        let to = case_rule(self.status(), kind).ok_or_else(|| self.not_allowed(kind))?;
        let next = self.next(action, ctx)?;
        debug_assert_eq!(next.status(), to, "CASE_RULES and CaseState::next disagree");
        Ok(Transition {
            entry: HistoryEntry {
                from: self.status(),
                to: next.status(),
                action: action.clone(),
                actor: actor.clone(),
                clock: None,
            },
            next,
        })
    }

    fn not_allowed(&self, kind: CaseActionKind) -> Refusal {
        Refusal::NotAllowedInState {
            state: Status::Case(self.status()),
            action: ActionKind::Case(kind),
        }
    }

    /// The next state, once the table allows the action from this state; checks what the action carries.
    fn next(&self, action: &CaseAction, ctx: &CaseContext<'_>) -> Result<CaseState, Refusal> {
        let today = ctx.today;
        match (self, action) {
            (CaseState::Submitted { on }, CaseAction::Accept) => Ok(CaseState::Accepted {
                since: self.acceptance_day(*on, ctx),
                deemed: deemed_accepted(*on, today, ctx.calendar),
            }),
            (
                CaseState::Submitted { on },
                CaseAction::AcceptWithShortfall {
                    materials,
                    deadline,
                    latest,
                },
            ) => Ok(CaseState::AcceptedWithShortfall {
                since: self.acceptance_day(*on, ctx),
                promise: promise(materials, *deadline, *latest, today)?,
            }),
            (CaseState::Submitted { on }, CaseAction::RequestCorrection { items }) => {
                within_acceptance_window(*on, ctx)?;
                Ok(CaseState::CorrectionRequested {
                    on: today,
                    items: correction_list(items)?,
                })
            }
            (CaseState::Submitted { on }, CaseAction::RefuseToAccept { reason, appeal }) => {
                within_acceptance_window(*on, ctx)?;
                Ok(CaseState::RefusedToAccept {
                    on: today,
                    reason: required_text(reason, Refusal::ReasonRequired)?,
                    appeal: required_text(appeal, Refusal::AppealRouteRequired)?,
                })
            }
            (CaseState::Submitted { on }, CaseAction::DeemAccept) => deem(*on, ctx),
            (CaseState::CorrectionRequested { .. }, CaseAction::Resubmit) => {
                Ok(CaseState::Submitted { on: today })
            }
            (CaseState::AcceptedWithShortfall { since, .. }, CaseAction::SupplyShortfall) => {
                Ok(CaseState::Accepted {
                    since: *since,
                    deemed: false,
                })
            }
            (CaseState::Accepted { .. }, CaseAction::HandOver) => hand_over(ctx),
            _ => Err(self.not_allowed(action.kind())),
        }
    }

    /// Accepting after the art. 32 window still counts from receipt.
    fn acceptance_day(&self, submitted_on: Date, ctx: &CaseContext<'_>) -> Date {
        if deemed_accepted(submitted_on, ctx.today, ctx.calendar) {
            submitted_on
        } else {
            ctx.today
        }
    }
}

fn case_rule(from: CaseStatus, action: CaseActionKind) -> Option<CaseStatus> {
    CASE_RULES
        .iter()
        .find(|r| r.from == from && r.action == action)
        .map(|r| r.to)
}

fn promise(
    materials: &[String],
    deadline: Date,
    latest: Date,
    today: Date,
) -> Result<Promise, Refusal> {
    let materials: Vec<String> = materials
        .iter()
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty())
        .collect();
    if materials.is_empty() {
        return Err(Refusal::EmptyPromiseList);
    }
    if deadline > latest {
        return Err(Refusal::PromiseBeyondLimit { deadline, latest });
    }
    if deadline < today {
        return Err(Refusal::PromiseInPast { deadline, today });
    }
    Ok(Promise {
        materials,
        deadline,
    })
}

/// Corrections and refusals to accept are only possible within the art. 32 window.
fn within_acceptance_window(submitted_on: Date, ctx: &CaseContext<'_>) -> Result<(), Refusal> {
    if deemed_accepted(submitted_on, ctx.today, ctx.calendar) {
        Err(Refusal::AcceptanceWindowPassed {
            deadline: acceptance_deadline(submitted_on, ctx.calendar),
        })
    } else {
        Ok(())
    }
}

fn deem(submitted_on: Date, ctx: &CaseContext<'_>) -> Result<CaseState, Refusal> {
    if deemed_accepted(submitted_on, ctx.today, ctx.calendar) {
        Ok(CaseState::Accepted {
            since: submitted_on,
            deemed: true,
        })
    } else {
        Err(Refusal::NotYetDeemed {
            deadline: acceptance_deadline(submitted_on, ctx.calendar),
        })
    }
}

fn hand_over(ctx: &CaseContext<'_>) -> Result<CaseState, Refusal> {
    let open = open_tasks(ctx.tasks);
    if open.is_empty() {
        Ok(CaseState::Closed { on: ctx.today })
    } else {
        Err(Refusal::TasksStillOpen { open })
    }
}

impl CaseAction {
    pub fn kind(&self) -> CaseActionKind {
        match self {
            CaseAction::Accept => CaseActionKind::Accept,
            CaseAction::AcceptWithShortfall { .. } => CaseActionKind::AcceptWithShortfall,
            CaseAction::RequestCorrection { .. } => CaseActionKind::RequestCorrection,
            CaseAction::RefuseToAccept { .. } => CaseActionKind::RefuseToAccept,
            CaseAction::DeemAccept => CaseActionKind::DeemAccept,
            CaseAction::Resubmit => CaseActionKind::Resubmit,
            CaseAction::SupplyShortfall => CaseActionKind::SupplyShortfall,
            CaseAction::HandOver => CaseActionKind::HandOver,
        }
    }
}

impl CaseActionKind {
    pub const ALL: [CaseActionKind; 8] = [
        CaseActionKind::Accept,
        CaseActionKind::AcceptWithShortfall,
        CaseActionKind::RequestCorrection,
        CaseActionKind::RefuseToAccept,
        CaseActionKind::DeemAccept,
        CaseActionKind::Resubmit,
        CaseActionKind::SupplyShortfall,
        CaseActionKind::HandOver,
    ];

    /// Who may take the action, in every state.
    pub fn who(self) -> Who {
        match self {
            CaseActionKind::Accept
            | CaseActionKind::AcceptWithShortfall
            | CaseActionKind::RequestCorrection
            | CaseActionKind::RefuseToAccept
            | CaseActionKind::HandOver => Who::Window,
            CaseActionKind::DeemAccept => Who::System,
            CaseActionKind::Resubmit | CaseActionKind::SupplyShortfall => Who::Owner,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            CaseActionKind::Accept => "accept",
            CaseActionKind::AcceptWithShortfall => "accept_with_shortfall",
            CaseActionKind::RequestCorrection => "request_correction",
            CaseActionKind::RefuseToAccept => "refuse_to_accept",
            CaseActionKind::DeemAccept => "deem_accept",
            CaseActionKind::Resubmit => "resubmit",
            CaseActionKind::SupplyShortfall => "supply_shortfall",
            CaseActionKind::HandOver => "hand_over",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            CaseActionKind::Accept => ("受理", "accept the application"),
            CaseActionKind::AcceptWithShortfall => ("容缺受理", "accept with materials to follow"),
            CaseActionKind::RequestCorrection => ("一次性告知补正", "request corrections"),
            CaseActionKind::RefuseToAccept => ("不予受理", "refuse to accept"),
            CaseActionKind::DeemAccept => ("视为受理", "deem the application accepted"),
            CaseActionKind::Resubmit => ("重新提交", "resubmit"),
            CaseActionKind::SupplyShortfall => ("补齐容缺材料", "hand in the promised materials"),
            CaseActionKind::HandOver => ("统一出件", "hand over the results"),
        };
        pick(lang, zh, en)
    }
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 6] = [
        CaseStatus::Submitted,
        CaseStatus::Accepted,
        CaseStatus::AcceptedWithShortfall,
        CaseStatus::CorrectionRequested,
        CaseStatus::RefusedToAccept,
        CaseStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CaseStatus::Submitted => "submitted",
            CaseStatus::Accepted => "accepted",
            CaseStatus::AcceptedWithShortfall => "accepted_with_shortfall",
            CaseStatus::CorrectionRequested => "correction_requested",
            CaseStatus::RefusedToAccept => "refused_to_accept",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            CaseStatus::Submitted => ("已提交", "submitted"),
            CaseStatus::Accepted => ("已受理", "accepted"),
            CaseStatus::AcceptedWithShortfall => ("容缺受理", "accepted, materials to follow"),
            CaseStatus::CorrectionRequested => ("待补正", "corrections requested"),
            CaseStatus::RefusedToAccept => ("不予受理", "refused to accept"),
            CaseStatus::Closed => ("已出件", "results handed over"),
        };
        pick(lang, zh, en)
    }

    /// No action leaves these.
    pub fn is_final(self) -> bool {
        matches!(self, CaseStatus::RefusedToAccept | CaseStatus::Closed)
    }
}

pub(super) fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
