//! A department's performance page (部门效能, `/departments/{id}/performance`) on the wire: for supervision,
//! administrators and that department's officers.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::catalog::Named;
use crate::api::work::{GroupLine, QueueRow, StaffPage};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PerformanceView {
    pub department: Named,
    /// ISO date the clock shows.
    pub today: String,
    /// Counts, handling time against the committed limit, on-time rates.
    pub figures: GroupLine,
    /// Tasks ever extended (art. 42), open or decided.
    pub extensions: i64,
    /// The department's overdue tasks, earliest due first (at most `LIST_LIMIT`).
    pub overdue: Vec<QueueRow>,
    pub overdue_total: i64,
    /// Whether the viewer may go back to the supervision dashboard.
    pub supervision_link: bool,
}

#[server(endpoint = "work/department-performance")]
pub async fn get_department_performance(
    id: String,
) -> Result<StaffPage<PerformanceView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::workbench::department_performance(&state, user, &id)
        .await
        .map_err(crate::server::workbench::internal)
}
