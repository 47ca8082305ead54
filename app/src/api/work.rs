//! The staff side on the wire: the workbench queue, a case as staff see it, the actions (one server function for
//! every form, answering with a redirect), supervision (电子监察), printable notices, and the demo clock.
//!
//! A user's mistake or a refused action is never an `Err`: the redirect carries a short code (`?problem=`) and,
//! for a refusal, the engine's `Refusal` as JSON, which the page words with `Refusal::message`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::catalog::Named;
use crate::domain::case_flow::{
    CaseActionKind, CaseStatus, ClockStatus, TaskActionKind, TaskKind, TaskStatus,
};
use crate::domain::performance::{DaySum, Rate};
use crate::domain::text::{Lang, Text};
use crate::domain::Role;

/// A staff page, or why it is not shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StaffPage<T> {
    Ready(T),
    SignIn,
    /// Signed in without a staff role (or, for supervision, without the supervisor or admin role).
    Forbidden,
    NotFound,
}

/// The queue filter (`/work?filter=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueueFilter {
    #[default]
    All,
    /// Cases waiting for acceptance; tasks in review that no officer has acted on yet.
    New,
    DueSoon,
    Overdue,
    /// Waiting for the applicant (corrections, promised materials).
    Waiting,
}

impl QueueFilter {
    pub const ALL: [QueueFilter; 5] = [
        QueueFilter::All,
        QueueFilter::New,
        QueueFilter::DueSoon,
        QueueFilter::Overdue,
        QueueFilter::Waiting,
    ];

    pub fn code(self) -> &'static str {
        match self {
            QueueFilter::All => "all",
            QueueFilter::New => "new",
            QueueFilter::DueSoon => "due_soon",
            QueueFilter::Overdue => "overdue",
            QueueFilter::Waiting => "waiting",
        }
    }

    pub fn from_code(code: &str) -> QueueFilter {
        QueueFilter::ALL
            .into_iter()
            .find(|f| f.code() == code)
            .unwrap_or_default()
    }
}

/// One line of the queue: a whole case (the window) or one task (officers, supervision).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub number: String,
    pub theme: Named,
    pub case_status: CaseStatus,
    /// For a task line: the item, its department and status.
    pub item: Option<Named>,
    pub department: Option<Named>,
    pub task_status: Option<TaskStatus>,
    pub clock: ClockStatus,
    /// ISO date: the committed due date (a task), the acceptance deadline or the promise deadline (a case).
    pub due: Option<String>,
    /// 容缺 promise deadline passed without the materials.
    pub shortfall_overdue: bool,
    /// Every task ended: the results can be handed over.
    pub ready_to_hand_over: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueView {
    pub role: Role,
    pub department: Option<Named>,
    pub filter: QueueFilter,
    /// At most [`LIST_LIMIT`] lines, earliest due first: an officer's or supervisor's tasks, or the window's cases.
    pub rows: Vec<QueueRow>,
    /// How many lines match the filter in all.
    pub total: i64,
    /// ISO date the clock shows (moved in demo mode).
    pub today: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldLine {
    pub label: Text,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffMaterial {
    pub id: String,
    pub name: Text,
    pub shortfall_allowed: bool,
    /// (file name, download link)
    pub uploads: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffTask {
    pub step: String,
    pub number: i64,
    pub item: Named,
    pub department: Named,
    pub kind: TaskKind,
    pub status: TaskStatus,
    pub clock: ClockStatus,
    pub committed_due: Option<String>,
    pub statutory_due: Option<String>,
    pub version: i64,
    /// Reasons, correction items, the extension's reason.
    pub notes: Vec<String>,
    /// What this viewer may do to it now.
    pub actions: Vec<TaskActionKind>,
    /// Days an extension may add (the statutory limit's), when one is still possible.
    pub extension_max: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffHistoryLine {
    pub at: String,
    pub task: Option<i64>,
    /// The account's name, or the role for the system.
    pub who: String,
    pub address: Option<String>,
    pub action: String,
    pub to_status: String,
    /// Reason, items or promise, as recorded.
    pub detail: Option<String>,
    /// For a correction file's upload: its download link.
    pub link: Option<String>,
}

/// A file the applicant handed in for a correction (补正).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffCorrectionFile {
    pub material: String,
    pub file_name: String,
    pub href: String,
    /// ISO date-time of the upload.
    pub at: String,
    /// The step whose request it answers (`None`: the window's request on the case).
    pub step: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffCaseView {
    pub number: String,
    pub theme: Named,
    pub status: CaseStatus,
    pub version: i64,
    pub submitted_at: String,
    pub role: Role,
    /// The window's actions allowed now.
    pub case_actions: Vec<CaseActionKind>,
    /// The last day a 容缺 promise may name (ISO).
    pub promise_latest: String,
    pub today: String,
    /// The promise while accepted with shortfall: materials and deadline.
    pub promise: Option<(Vec<String>, String)>,
    /// The items while corrections are requested.
    pub correction_items: Vec<String>,
    pub fields: Vec<FieldLine>,
    pub materials: Vec<StaffMaterial>,
    /// Files handed in for corrections, oldest first.
    pub correction_files: Vec<StaffCorrectionFile>,
    pub tasks: Vec<StaffTask>,
    pub history: Vec<StaffHistoryLine>,
    pub notices: Vec<NoticeKind>,
}

/// The printable notices (受理通知书, 补正材料通知书, 不予受理通知书).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeKind {
    Acceptance,
    Correction,
    Refusal,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 3] = [
        NoticeKind::Acceptance,
        NoticeKind::Correction,
        NoticeKind::Refusal,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NoticeKind::Acceptance => "acceptance",
            NoticeKind::Correction => "correction",
            NoticeKind::Refusal => "refusal",
        }
    }

    pub fn from_code(code: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The case history actions that issue this notice.
    pub fn actions(self) -> &'static [&'static str] {
        match self {
            NoticeKind::Acceptance => &["accept", "accept_with_shortfall", "deem_accept"],
            NoticeKind::Correction => &["request_correction"],
            NoticeKind::Refusal => &["refuse_to_accept"],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoticeView {
    pub kind: NoticeKind,
    pub number: String,
    pub theme: Named,
    pub applicant: Option<String>,
    /// ISO date the notice was issued.
    pub date: String,
    /// Deemed acceptance (art. 32).
    pub deemed: bool,
    /// Correction items, or the promised materials.
    pub items: Vec<String>,
    pub promise_deadline: Option<String>,
    pub reason: Option<String>,
    pub appeal: Option<String>,
}

/// The supervision figures of one department or theme.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupLine {
    pub group: Named,
    /// A department's performance page (`/departments/{id}/performance`).
    pub link: Option<String>,
    pub in_review: i64,
    /// 补正 at task level: waiting for the applicant (the clock stands still).
    pub waiting: i64,
    pub due_soon: i64,
    pub overdue: i64,
    /// Decided (approved or refused).
    pub ended: i64,
    pub refused: i64,
    /// Working days from start to decision, pauses left out, of the decided tasks.
    pub handled: DaySum,
    /// Committed limits in working days (extensions included) of the decided tasks that have one.
    pub committed: DaySum,
    pub on_time_committed: Rate,
    pub on_time_statutory: Rate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupervisionView {
    pub today: String,
    pub case_counts: Vec<(CaseStatus, i64)>,
    pub task_counts: Vec<(TaskStatus, i64)>,
    pub departments: Vec<GroupLine>,
    pub themes: Vec<GroupLine>,
    /// The overdue list under the filters, earliest due first, at most [`LIST_LIMIT`] lines.
    pub overdue: Vec<QueueRow>,
    /// How many overdue tasks match the filters in all.
    pub overdue_total: i64,
    pub due_soon: Vec<QueueRow>,
    pub due_soon_total: i64,
    /// The filters as chosen (department id, theme id; empty: all) and what may be chosen.
    pub filter_department: String,
    pub filter_theme: String,
    pub department_options: Vec<Named>,
    pub theme_options: Vec<Named>,
    /// The demo clock's offset in days, when the clock may be moved (demo/test mode only).
    pub demo_clock: Option<i64>,
}

/// The longest list a supervision page shows; the total says how many more there are.
pub const LIST_LIMIT: i64 = 100;

#[server(endpoint = "work/queue")]
pub async fn get_queue(filter: String) -> Result<StaffPage<QueueView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::workbench::queue(&state, user, QueueFilter::from_code(&filter))
        .await
        .map_err(crate::server::workbench::internal)
}

#[server(endpoint = "work/case")]
pub async fn get_staff_case(
    number: String,
    lang: Lang,
) -> Result<StaffPage<StaffCaseView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::workbench::staff_case(&state, user, &number, lang)
        .await
        .map_err(crate::server::workbench::internal)
}

/// `department` and `theme` filter the clock lists (empty: all).
#[server(endpoint = "work/supervision")]
pub async fn get_supervision(
    #[server(default)] department: String,
    #[server(default)] theme: String,
) -> Result<StaffPage<SupervisionView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::workbench::supervision(&state, user, &department, &theme)
        .await
        .map_err(crate::server::workbench::internal)
}

#[server(endpoint = "cases/notice")]
pub async fn get_notice(
    number: String,
    kind: String,
) -> Result<StaffPage<NoticeView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::workbench::notice(&state, user, &number, &kind)
        .await
        .map_err(crate::server::workbench::internal)
}

/// The action endpoint takes one argument per form field, more than clippy's default allows; the server macro
/// generates the client function too, so the allowance must cover the module.
#[allow(clippy::too_many_arguments)]
mod act {
    use std::collections::HashMap;

    use leptos::prelude::*;

    /// Every action form posts here: the case number, the step for a task action, the version the form was
    /// rendered with, the action code and whatever the action carries. Always answers with a redirect.
    #[server(endpoint = "work/act")]
    pub async fn case_act(
        number: String,
        #[server(default)] step: String,
        version: i64,
        action: String,
        #[server(default)] reason: String,
        #[server(default)] appeal: String,
        #[server(default)] items: String,
        #[server(default)] promised: HashMap<String, String>,
        #[server(default)] deadline: String,
        #[server(default)] days: String,
        #[server(default)] idem: String,
    ) -> Result<(), ServerFnError> {
        let _ = idem; // the idempotency key, used by the middleware before this runs
        let state = expect_context::<crate::server::state::AppState>();
        let user = crate::server::session::current_user().await?;
        let address = crate::server::application::client_address().await;
        let form = crate::server::workbench::ActionForm {
            number,
            step,
            version,
            action,
            reason,
            appeal,
            items,
            promised: promised.into_keys().collect(),
            deadline,
            days,
            lang: crate::prefs::current().lang,
        };
        let to = crate::server::workbench::act(&state, user, address.as_deref(), form)
            .await
            .map_err(crate::server::workbench::internal)?;
        leptos_axum::redirect(&to);
        Ok(())
    }
}
pub use act::{case_act, CaseAct};

/// Moves the demo clock (supervisor or admin, demo or test mode only).
#[server(endpoint = "work/demo-clock")]
pub async fn set_demo_clock(
    days: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    let to = crate::server::workbench::set_demo_clock(&state, user, &days)
        .await
        .map_err(crate::server::workbench::internal)?;
    leptos_axum::redirect(&to);
    Ok(())
}
