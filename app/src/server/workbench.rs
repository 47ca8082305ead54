//! The staff side (工作台): the queue, a case as staff see it, the action forms' service, supervision (电子监察),
//! the printable notices and the demo clock. Who may see what is decided here; who may *do* what is decided
//! by the engine (`domain::case_flow`) inside `case_actions::act`.

use std::collections::BTreeSet;

use leptos::prelude::ServerFnError;
use time::Date;

use super::case_actions::{self, Acting, Outcome, Target};
use super::cases::{self, CaseRow, TaskRow};
use super::clock;
use super::corrections;
use super::db::DbError;
use super::drafts;
use super::memo::Changed;
use super::performance::{self, ClockList, Figures, Grouping, ListedTask, TaskFilter};
use super::state::AppState;
use super::wizard::{answers_of, decode_query};
use crate::api::account::{encode_component, login_path, SessionUser};
use crate::api::catalog::Named;
use crate::api::performance::PerformanceView;
use crate::api::work::{
    FieldLine, GroupLine, NoticeKind, NoticeView, QueueFilter, QueueRow, QueueView, StaffCaseView,
    StaffCorrectionFile, StaffHistoryLine, StaffMaterial, StaffPage, StaffTask, SupervisionView,
    LIST_LIMIT,
};
use crate::domain::calendar::Calendar;
use crate::domain::case_flow::{
    CaseAction, CaseActionKind, CaseEntry, CaseState, CaseStatus, ClockStatus, CorrectionItem,
    Task, TaskAction, TaskActionKind, TaskState, TaskStatus, Who, CASE_RULES, DUE_SOON_DAYS,
    TASK_RULES,
};
use crate::domain::merged_form::MergedForm;
use crate::domain::performance::{due_soon_before, may_see_department};
use crate::domain::roadmap::plan;
use crate::domain::text::{Lang, Text};
use crate::domain::Role;

/// Logs an internal failure; the caller sees a message that says nothing about it.
pub fn internal(e: impl std::fmt::Display) -> ServerFnError {
    tracing::error!(error = %e, "workbench request failed");
    ServerFnError::new("server_error")
}

fn named_department(state: &AppState, id: &str) -> Named {
    Named {
        id: id.to_owned(),
        name: state
            .catalog
            .department(id)
            .map_or_else(|| Text::zh(id), |d| d.name.clone()),
    }
}

fn named_item(state: &AppState, id: &str) -> Named {
    Named {
        id: id.to_owned(),
        name: state
            .catalog
            .item(id)
            .map_or_else(|| Text::zh(id), |i| i.name.clone()),
    }
}

fn named_theme(state: &AppState, id: &str) -> Named {
    Named {
        id: id.to_owned(),
        name: state
            .catalog
            .theme(id)
            .map_or_else(|| Text::zh(id), |t| t.name.clone()),
    }
}

/// Whether a staff account may open a case with these tasks: the window, supervision and admin see every case;
/// an officer only a case with a task of their department.
pub fn may_see(user: &SessionUser, tasks: &[Task]) -> bool {
    match user.role {
        Role::Window | Role::Supervisor | Role::Admin => true,
        Role::Officer => user
            .department
            .as_deref()
            .is_some_and(|d| tasks.iter().any(|t| t.department == d)),
        Role::Citizen | Role::Agent => false,
    }
}

/// The window's case actions allowed from `status` (none for other roles).
pub fn case_actions_for(role: Role, status: CaseStatus) -> Vec<CaseActionKind> {
    CASE_RULES
        .iter()
        .filter(|r| r.from == status && r.action.who() == Who::Window && role == Role::Window)
        .map(|r| r.action)
        .collect()
}

/// The owner's case actions allowed from `status`.
pub fn owner_case_actions(status: CaseStatus) -> Vec<CaseActionKind> {
    CASE_RULES
        .iter()
        .filter(|r| r.from == status && r.action.who() == Who::Owner)
        .map(|r| r.action)
        .collect()
}

/// The task actions an officer of the task's department may take now; an extension only while one is possible.
pub fn officer_task_actions(user: &SessionUser, task: &Task) -> Vec<TaskActionKind> {
    if user.role != Role::Officer || user.department.as_deref() != Some(task.department.as_str()) {
        return Vec::new();
    }
    TASK_RULES
        .iter()
        .filter(|r| r.kind == task.kind && r.from == task.status())
        .filter(|r| r.action.who() == Who::DepartmentOfficer)
        .filter(|r| {
            r.action != TaskActionKind::Extend
                || (task.clock.extension.is_none() && task.statutory.extension_days.is_some())
        })
        .map(|r| r.action)
        .collect()
}

/// The owner's task actions allowed now (supply corrections, mark a to-do done).
pub fn owner_task_actions(task: &Task) -> Vec<TaskActionKind> {
    TASK_RULES
        .iter()
        .filter(|r| r.kind == task.kind && r.from == task.status() && r.action.who() == Who::Owner)
        .map(|r| r.action)
        .collect()
}

/// Correction items from a textarea, one per line. A line naming a checklist material (by name or id) points
/// at it; any other line points at the application form.
pub fn parse_items(text: &str, materials: &[(String, String)]) -> Vec<CorrectionItem> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            match materials
                .iter()
                .find(|(id, name)| line.contains(name.as_str()) || line.contains(id.as_str()))
            {
                Some((id, _)) => CorrectionItem::material(id.clone(), line),
                None => CorrectionItem::field("application", line),
            }
        })
        .collect()
}

/// The notes a history entry carries (reason, appeal route, items, promise, extension), as one line.
pub fn entry_detail(entry: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(entry).ok()?;
    let action = v.get("action")?;
    let mut parts = Vec::new();
    for key in ["reason", "appeal"] {
        if let Some(s) = action.get(key).and_then(|s| s.as_str()) {
            parts.push(s.to_owned());
        }
    }
    if let Some(items) = action.get("items").and_then(|i| i.as_array()) {
        parts.extend(
            items
                .iter()
                .filter_map(|i| i.get("problem")?.as_str().map(str::to_owned)),
        );
    }
    if let Some(ms) = action.get("materials").and_then(|i| i.as_array()) {
        parts.extend(ms.iter().filter_map(|m| m.as_str().map(str::to_owned)));
    }
    if let Some(f) = action.get("file").and_then(|s| s.as_str()) {
        parts.push(f.to_owned());
    }
    if let Some(d) = action.get("deadline").and_then(|s| s.as_str()) {
        parts.push(d.to_owned());
    }
    if let Some(d) = action.get("days").and_then(|s| s.as_u64()) {
        parts.push(format!("+{d}"));
    }
    (!parts.is_empty()).then(|| parts.join("；"))
}

fn today_iso(d: Date) -> String {
    d.to_string()
}

/// The merged form and checklist of a submitted case, rebuilt from its answers.
pub fn case_form(state: &AppState, case: &CaseRow) -> Option<MergedForm> {
    let theme = state.catalog.theme(&case.theme_id)?;
    let (answers, _) = answers_of(theme, &decode_query(&case.answers));
    let roadmap = plan(theme, &state.catalog, &answers).ok()?;
    Some(MergedForm::build(&state.catalog, theme, &roadmap))
}

fn staff_only(user: Option<SessionUser>) -> Result<SessionUser, StaffPage<()>> {
    match user {
        None => Err(StaffPage::SignIn),
        Some(u) if u.role.is_staff() => Ok(u),
        Some(u) => {
            tracing::warn!(
                account = u.account_id,
                role = u.role.code(),
                "refused the workbench to a non-staff account"
            );
            super::security_audit::mark_refused("workbench");
            Err(StaffPage::Forbidden)
        }
    }
}

fn refusal<T>(page: StaffPage<()>) -> StaffPage<T> {
    match page {
        StaffPage::SignIn => StaffPage::SignIn,
        StaffPage::Forbidden => StaffPage::Forbidden,
        StaffPage::NotFound | StaffPage::Ready(()) => StaffPage::NotFound,
    }
}

/// The window's clock for a case: due soon (黄牌) while submitted and at most [`DUE_SOON_DAYS`] working days from
/// its acceptance deadline, overdue once a 容缺 promise has passed; the day is [`CaseState::window_due`].
fn case_clock(case: &CaseState, today: Date, calendar: &Calendar) -> (ClockStatus, Option<Date>) {
    let due = case.window_due(calendar);
    let status = match (case, due) {
        (CaseState::Submitted { .. }, Some(d))
            if calendar.working_days_between(today, d) <= DUE_SOON_DAYS =>
        {
            ClockStatus::DueSoon
        }
        (CaseState::AcceptedWithShortfall { .. }, _) if case.shortfall_overdue(today) => {
            ClockStatus::Overdue
        }
        (_, Some(_)) => ClockStatus::OnTrack,
        (_, None) => ClockStatus::Untimed,
    };
    (status, due)
}

/// The cases the window works on, as SQL over `hall_case c`: those still at the window (to accept, sent back for
/// corrections, with a 容缺 promise open) and the accepted ones with no open task, ready for 统一窗口出件. Word for
/// word the predicate of the partial indexes `hall_case_window` and `hall_case_window_status` (migrations 0016, 0017),
/// which SQLite matches as written.
pub const AT_WINDOW: &str =
    "(c.status IN ('submitted', 'correction_requested', 'accepted_with_shortfall') \
     OR (c.status = 'accepted' AND c.open_tasks = 0))";
/// The window's order: earliest due first, untimed last (the index's first column).
pub const WINDOW_DUE: &str = "COALESCE(c.window_due, '9999-12-31')";

/// The window's queue under `filter` as (list, total) SQL. "All" reads `hall_case_window` (migration 0016), ordered
/// by day, and stops at [`LIST_LIMIT`]. A filter reads `hall_case_window_status` (0017), where each of its statuses
/// is one range in the same order: the first [`LIST_LIMIT`] ids of each status come from the index alone, and only
/// the rows of the first [`LIST_LIMIT`] of those are read. A filter's total counts its index entries when it has a
/// date bound, else it is the case tally's (migration 0015), which costs the same at any size. `param` turns a value
/// into a placeholder (or a literal, for `server explain-scale`). The filters are [`keep`]'s for a case, in SQL: due
/// soon is [`case_clock`]'s rule as a bound ([`due_soon_before`]), overdue a passed 容缺 promise.
pub fn window_sql(
    filter: QueueFilter,
    today: Date,
    soon_before: Date,
    sqlite: bool,
    mut param: impl FnMut(String) -> String,
) -> (String, String) {
    let (statuses, bound): (&[&str], String) = match filter {
        QueueFilter::All => {
            let indexed_by = if sqlite {
                " INDEXED BY hall_case_window"
            } else {
                ""
            };
            return (
                format!(
                    "SELECT h.number, h.theme_id, h.state FROM hall_case h WHERE h.id IN \
                     (SELECT c.id FROM hall_case c{indexed_by} WHERE {AT_WINDOW} \
                     ORDER BY {WINDOW_DUE}, c.number LIMIT {LIST_LIMIT}) \
                     ORDER BY COALESCE(h.window_due, '9999-12-31'), h.number"
                ),
                format!("SELECT COUNT(*) FROM hall_case c{indexed_by} WHERE {AT_WINDOW}"),
            );
        }
        QueueFilter::New => (&["submitted"], String::new()),
        QueueFilter::DueSoon => (
            &["submitted"],
            format!(" AND {WINDOW_DUE} < {}", param(soon_before.to_string())),
        ),
        QueueFilter::Overdue => (
            &["accepted_with_shortfall"],
            format!(" AND {WINDOW_DUE} < {}", param(today.to_string())),
        ),
        QueueFilter::Waiting => (
            &["correction_requested", "accepted_with_shortfall"],
            String::new(),
        ),
    };
    // A filter's statuses are all at the window, so the status alone selects the same cases. SQLite uses a partial
    // index only when the query repeats the index's condition word for word (and would take the status index
    // unless told); PostgreSQL proves the condition from the status, and repeating it there makes it count the
    // condition twice and expect a handful of rows where there are hundreds (it then read and sorted every
    // matching row: 19 ms at a million cases).
    let (from, at_window) = if sqlite {
        (
            " INDEXED BY hall_case_window_status",
            format!("{AT_WINDOW} AND "),
        )
    } else {
        ("", String::new())
    };
    let firsts = statuses
        .iter()
        .map(|status| {
            format!(
                "SELECT w.id FROM (SELECT c.id FROM hall_case c{from} \
                 WHERE {at_window}c.status = '{status}'{bound} \
                 ORDER BY {WINDOW_DUE}, c.number LIMIT {LIST_LIMIT}) w"
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let list = format!(
        "SELECT h.number, h.theme_id, h.state FROM hall_case h WHERE h.id IN ({firsts}) \
         ORDER BY COALESCE(h.window_due, '9999-12-31'), h.number LIMIT {LIST_LIMIT}"
    );
    let in_statuses = statuses
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let total = if bound.is_empty() {
        format!(
            "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM case_tally WHERE status IN ({in_statuses})"
        )
    } else {
        format!(
            "SELECT COUNT(*) FROM hall_case c{from} WHERE {at_window}c.status IN ({in_statuses}){bound}"
        )
    };
    (list, total)
}

/// The window's queue: at most [`LIST_LIMIT`] cases under the filter, earliest due first, and how many match in
/// all; both from the ordered partial index, so neither grows with the cases ever submitted.
async fn window_cases(
    state: &AppState,
    filter: QueueFilter,
    today: Date,
) -> Result<(Vec<QueueRow>, i64), DbError> {
    let calendar = state.catalog.calendar();
    let mut binds: Vec<String> = Vec::new();
    let (list_sql, count_sql) = window_sql(
        filter,
        today,
        due_soon_before(today, calendar),
        state.db.backend == super::db::Backend::Sqlite,
        |v| {
            binds.push(v);
            format!("${}", binds.len())
        },
    );
    let mut q = sqlx::query_as::<_, (String, String, String)>(sqlx::AssertSqlSafe(list_sql));
    for b in &binds {
        q = q.bind(b.clone());
    }
    let listed = q.fetch_all(&state.db.pool).await?;
    let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql));
    for b in &binds {
        q = q.bind(b.clone());
    }
    let total = q.fetch_one(&state.db.pool).await?;
    let mut rows = Vec::with_capacity(listed.len());
    for (number, theme_id, case_state) in listed {
        let Ok(case_state) = serde_json::from_str::<CaseState>(&case_state) else {
            tracing::error!(case = %number, "unreadable case state");
            continue;
        };
        let (clock, due) = case_clock(&case_state, today, calendar);
        let status = case_state.status();
        let row = QueueRow {
            number,
            theme: named_theme(state, &theme_id),
            case_status: status,
            item: None,
            department: None,
            task_status: None,
            clock,
            due: due.map(today_iso),
            shortfall_overdue: case_state.shortfall_overdue(today),
            // An accepted case is on the window's list only with every task ended.
            ready_to_hand_over: status == CaseStatus::Accepted,
        };
        // The SQL chose the rows; `keep` stays the definition the list must agree with.
        if keep(filter, &row, None) {
            rows.push(row);
        }
    }
    Ok((rows, total))
}

/// Writes the window's day of every case at the window whose stored day differs from its state's under this
/// calendar: the cases from before migration 0016, and all of them after the catalog's holidays change. Run at
/// start-up; bounded by the backlog (an index range on status). Returns how many were written.
pub async fn fill_window_due(db: &super::db::Db, calendar: &Calendar) -> Result<u64, DbError> {
    let rows: Vec<(i64, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT id, version, state, window_due FROM hall_case \
         WHERE status IN ('submitted', 'accepted_with_shortfall')",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut written = 0;
    for (id, version, state, stored) in rows {
        let Ok(state) = serde_json::from_str::<CaseState>(&state) else {
            tracing::error!(case = id, "unreadable case state");
            continue;
        };
        let due = state.window_due(calendar).map(|d| d.to_string());
        if due != stored {
            // The version guard leaves a case another instance changed meanwhile to the writer that changed it.
            written +=
                sqlx::query("UPDATE hall_case SET window_due = $1 WHERE id = $2 AND version = $3")
                    .bind(due)
                    .bind(id)
                    .bind(version)
                    .execute(&db.pool)
                    .await?
                    .rows_affected();
            db.changed(Changed::Case(id));
        }
    }
    Ok(written)
}

fn task_row(
    state: &AppState,
    number: &str,
    theme: &str,
    case: &CaseState,
    t: &Task,
    today: Date,
) -> QueueRow {
    let calendar = state.catalog.calendar();
    QueueRow {
        number: number.to_owned(),
        theme: named_theme(state, theme),
        case_status: case.status(),
        item: Some(named_item(state, &t.item)),
        department: Some(named_department(state, &t.department)),
        task_status: Some(t.status()),
        clock: t.warning(today, calendar),
        due: t
            .committed_due(calendar)
            .or_else(|| t.statutory_due(calendar))
            .map(today_iso),
        shortfall_overdue: false,
        ready_to_hand_over: false,
    }
}

/// The open tasks the task queue shows (officers: their department; supervision: all) under `filter`, earliest due
/// first (untimed last), as (list, total) SQL. The list walks an ordered partial index of open tasks (migrations
/// 0015, 0017) and stops at [`LIST_LIMIT`]; the total sums `task_tally`. Neither grows with the number of cases.
/// `param` turns a value into a placeholder (or a literal, for `server explain-scale`).
pub fn queue_sql(
    department: Option<&str>,
    filter: QueueFilter,
    today: Date,
    soon_before: Date,
    sqlite: bool,
    mut param: impl FnMut(String) -> String,
) -> (String, String) {
    // The partial indexes' predicate, word for word (SQLite matches it as written).
    const OPEN: &str = "t.status IN ('in_review', 'awaiting_applicant', 'to_do')";
    const DUE: &str = "COALESCE(t.due_on, '9999-12-31')";
    // A filter's status is open, so the filter alone selects open tasks; as for the window (see [`window_sql`]),
    // only SQLite needs the partial indexes' condition repeated, and PostgreSQL misjudges it when it is.
    let mut list_where = if sqlite || filter == QueueFilter::All {
        OPEN.to_owned()
    } else {
        "1 = 1".to_owned()
    };
    let mut tally_where = String::new();
    if let Some(d) = department {
        let p = param(d.to_owned());
        list_where.push_str(&format!(" AND t.department_id = {p}"));
        tally_where.push_str(&format!(" AND t.department_id = {p}"));
    }
    match filter {
        QueueFilter::All => tally_where.push_str(&format!(" AND {OPEN}")),
        QueueFilter::New => {
            list_where
                .push_str(" AND t.status = 'in_review' AND t.paused_days = 0 AND t.extended = 0");
            tally_where.push_str(" AND t.status = 'in_review' AND t.fresh = 1");
        }
        QueueFilter::DueSoon => {
            let (a, b) = (param(today.to_string()), param(soon_before.to_string()));
            list_where.push_str(&format!(
                " AND t.status = 'in_review' AND {DUE} >= {a} AND {DUE} < {b}"
            ));
            tally_where.push_str(&format!(
                " AND t.status = 'in_review' AND t.due_on >= {a} AND t.due_on < {b}"
            ));
        }
        QueueFilter::Overdue => {
            let a = param(today.to_string());
            list_where.push_str(&format!(" AND t.status = 'in_review' AND {DUE} < {a}"));
            tally_where.push_str(&format!(
                " AND t.status = 'in_review' AND t.due_on <> '' AND t.due_on < {a}"
            ));
        }
        QueueFilter::Waiting => {
            list_where.push_str(" AND t.status = 'awaiting_applicant'");
            tally_where.push_str(" AND t.status = 'awaiting_applicant'");
        }
    }
    // Every department's queue has no equality to lead with, and SQLite's planner then prefers the
    // (status, due_on) index and sorts every open task (0.3 s at a million cases); the ordered partial index reads
    // only the first rows. A department's filter reads its status's range of `case_task_open_status` (migration
    // 0017), in the queue's order. PostgreSQL picks them by itself.
    let indexed_by = match (sqlite, department, filter) {
        (false, _, _) => "",
        (true, None, _) => " INDEXED BY case_task_open_all",
        (true, Some(_), QueueFilter::All) => "",
        (true, Some(_), _) => " INDEXED BY case_task_open_status",
    };
    let list = if sqlite {
        // The first ids from the index alone, then only their rows. Joined directly, SQLite's planner (3.50) may
        // read every task of the range and its case before sorting them for the first 100: "due soon" did, 25 ms
        // at a million cases. Here a sort, if any, is of index entries, and 100 tasks and cases are read.
        format!(
            "SELECT c.number, c.theme_id, c.state, t.task FROM \
             (SELECT t.id FROM case_task t{indexed_by} WHERE {list_where} ORDER BY {DUE}, t.id LIMIT {LIST_LIMIT}) f \
             JOIN case_task t ON t.id = f.id JOIN hall_case c ON c.id = t.case_id ORDER BY {DUE}, t.id"
        )
    } else {
        format!(
            "SELECT c.number, c.theme_id, c.state, t.task FROM case_task t \
             JOIN hall_case c ON c.id = t.case_id WHERE {list_where} ORDER BY {DUE}, t.id LIMIT {LIST_LIMIT}"
        )
    };
    (
        list,
        format!(
            "SELECT CAST(COALESCE(SUM(t.n), 0) AS BIGINT) FROM task_tally t WHERE 1 = 1{tally_where}"
        ),
    )
}

/// A task queue's first [`LIST_LIMIT`] tasks: (number, theme id, case state, task), and how many match in all (see
/// [`queue_sql`]).
async fn queued_tasks(
    state: &AppState,
    department: Option<&str>,
    filter: QueueFilter,
    today: Date,
    soon_before: Date,
) -> Result<(Vec<(String, String, CaseState, Task)>, i64), DbError> {
    let mut binds: Vec<String> = Vec::new();
    let (list_sql, count_sql) = queue_sql(
        department,
        filter,
        today,
        soon_before,
        state.db.backend == super::db::Backend::Sqlite,
        |v| {
            binds.push(v);
            format!("${}", binds.len())
        },
    );
    let mut q =
        sqlx::query_as::<_, (String, String, String, String)>(sqlx::AssertSqlSafe(list_sql));
    for b in &binds {
        q = q.bind(b.clone());
    }
    let rows = q.fetch_all(&state.db.pool).await?;
    let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql));
    for b in &binds {
        q = q.bind(b.clone());
    }
    let total = q.fetch_one(&state.db.pool).await?;
    let rows = rows
        .into_iter()
        .filter_map(|(n, th, c, t)| {
            let (case, task) = readable(&n, &c, &t)?;
            Some((n, th, case, task))
        })
        .collect();
    Ok((rows, total))
}

/// A listed line's stored case state and task, or `None` — logged, since the list then shows one line fewer than
/// its total counts — when either does not parse (a damaged row, or one written by a newer build).
fn readable(number: &str, case: &str, task: &str) -> Option<(CaseState, Task)> {
    match (serde_json::from_str(case), serde_json::from_str(task)) {
        (Ok(case), Ok(task)) => Some((case, task)),
        (case, task) => {
            tracing::error!(
                case = %number,
                case_error = ?case.err(),
                task_error = ?task.err(),
                "a listed task cannot be read; it is left out of the list"
            );
            None
        }
    }
}

fn keep(filter: QueueFilter, row: &QueueRow, task: Option<&Task>) -> bool {
    match filter {
        QueueFilter::All => true,
        QueueFilter::New => match task {
            Some(t) => {
                t.state == TaskState::InReview
                    && t.clock.paused_days == 0
                    && t.clock.extension.is_none()
            }
            None => row.case_status == CaseStatus::Submitted,
        },
        QueueFilter::DueSoon => row.clock == ClockStatus::DueSoon,
        QueueFilter::Overdue => row.clock == ClockStatus::Overdue || row.shortfall_overdue,
        QueueFilter::Waiting => match task {
            Some(t) => t.status() == TaskStatus::AwaitingApplicant,
            None => matches!(
                row.case_status,
                CaseStatus::CorrectionRequested | CaseStatus::AcceptedWithShortfall
            ),
        },
    }
}

fn by_due(rows: &mut [QueueRow]) {
    rows.sort_by(|a, b| match (&a.due, &b.due) {
        (Some(x), Some(y)) => x.cmp(y).then_with(|| a.number.cmp(&b.number)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.number.cmp(&b.number),
    });
}

/// `/work`: the window's cases, an officer's department tasks, or every open task for supervision.
pub async fn queue(
    state: &AppState,
    user: Option<SessionUser>,
    filter: QueueFilter,
) -> Result<StaffPage<QueueView>, DbError> {
    let user = match staff_only(user) {
        Ok(u) => u,
        Err(p) => return Ok(refusal(p)),
    };
    let today = clock::today(&state.db).await;
    let calendar = state.catalog.calendar();
    let mut rows = Vec::new();
    let total;
    if user.role == Role::Window {
        case_actions::deem_all_due(&state.db, &state.catalog, today).await?;
        let (listed, all) = window_cases(state, filter, today).await?;
        rows = listed;
        total = all;
        by_due(&mut rows);
    } else {
        let department = match user.role {
            Role::Officer => Some(user.department.clone().unwrap_or_default()),
            _ => None,
        };
        if user.role != Role::Officer {
            case_actions::deem_all_due(&state.db, &state.catalog, today).await?;
        }
        let soon = due_soon_before(today, calendar);
        let (tasks, all) = queued_tasks(state, department.as_deref(), filter, today, soon).await?;
        total = all;
        for (number, theme, case, task) in tasks {
            let row = task_row(state, &number, &theme, &case, &task, today);
            // The SQL chose the rows; `keep` stays the definition the list must agree with.
            if keep(filter, &row, Some(&task)) {
                rows.push(row);
            }
        }
        by_due(&mut rows);
    }
    Ok(StaffPage::Ready(QueueView {
        role: user.role,
        department: user
            .department
            .as_deref()
            .map(|d| named_department(state, d)),
        filter,
        total: total.max(rows.len() as i64),
        rows,
        today: today_iso(today),
    }))
}

fn task_notes(t: &Task) -> Vec<String> {
    let mut notes = Vec::new();
    match &t.state {
        TaskState::Refused { reason } => notes.push(reason.clone()),
        TaskState::AwaitingApplicant { items } => {
            notes.extend(items.iter().map(|i| i.problem.clone()))
        }
        _ => {}
    }
    if let Some(ext) = &t.clock.extension {
        notes.push(format!("+{} · {}", ext.days, ext.reason));
    }
    notes
}

/// The case's notices issued so far (from its history).
pub async fn notices_of(state: &AppState, case_id: i64) -> Result<Vec<NoticeKind>, DbError> {
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT action FROM case_event WHERE case_id = $1 AND task_id IS NULL",
    )
    .bind(case_id)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(notices_in(actions.iter().map(String::as_str)))
}

/// The notices that the case-level actions of a history (`actions`, any order, repeats allowed) issued.
pub fn notices_in<'a>(actions: impl Iterator<Item = &'a str>) -> Vec<NoticeKind> {
    let actions: Vec<&str> = actions.collect();
    NoticeKind::ALL
        .into_iter()
        .filter(|k| k.actions().iter().any(|a| actions.contains(a)))
        .collect()
}

/// `/work/cases/{number}`.
pub async fn staff_case(
    state: &AppState,
    user: Option<SessionUser>,
    number: &str,
    lang: Lang,
) -> Result<StaffPage<StaffCaseView>, DbError> {
    let user = match staff_only(user) {
        Ok(u) => u,
        Err(p) => return Ok(refusal(p)),
    };
    let today = clock::today(&state.db).await;
    let Some(mut case) = cases::by_number(&state.db, number).await? else {
        return Ok(StaffPage::NotFound);
    };
    if case_actions::deem_if_due(&state.db, &state.catalog, &case, today).await? {
        case = cases::by_number(&state.db, number).await?.unwrap_or(case);
    }
    let rows = cases::tasks(&state.db, case.id).await?;
    let tasks: Vec<Task> = rows.iter().map(|r| r.task.clone()).collect();
    if !may_see(&user, &tasks) {
        tracing::warn!(case = %number, account = user.account_id, "refused a case outside the officer's department");
        super::security_audit::mark_refused(&format!("case:{number}"));
        return Ok(StaffPage::NotFound);
    }
    let calendar = state.catalog.calendar();
    let form = case_form(state, &case);
    let fields = form
        .as_ref()
        .map(|f| {
            f.fields
                .iter()
                .filter(|mf| mf.awaits.is_none())
                .filter(|mf| match user.role {
                    Role::Officer => mf
                        .departments
                        .iter()
                        .any(|d| Some(d.id.as_str()) == user.department.as_deref()),
                    _ => true,
                })
                .map(|mf| FieldLine {
                    label: mf.field.label.clone(),
                    value: case.fields.get(mf.id()).cloned().unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let uploads = drafts::uploads(&state.db, &case.draft_id).await?;
    let materials: Vec<StaffMaterial> = form
        .as_ref()
        .map(|f| {
            f.materials_to_provide()
                .map(|m| StaffMaterial {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    shortfall_allowed: m.shortfall_allowed,
                    uploads: uploads
                        .iter()
                        .filter(|u| u.material_id == m.id)
                        .map(|u| {
                            (
                                u.file_name.clone(),
                                format!("/applications/{}/uploads/{}", case.draft_id, u.id),
                            )
                        })
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    let name_of = |id: &str| {
        materials
            .iter()
            .find(|m| m.id == id)
            .map_or_else(|| id.to_owned(), |m| m.name.get(lang).0.to_owned())
    };
    let staff_tasks = rows
        .iter()
        .map(|r| staff_task(state, &user, r, calendar, today))
        .collect();
    let history = staff_history(state, case.id, &rows, lang, &case.draft_id).await?;
    let correction_files = corrections::files(&state.db, &case.draft_id)
        .await?
        .into_iter()
        .map(|f| StaffCorrectionFile {
            material: material_name(form.as_ref(), &f.material_id, lang),
            href: format!("/applications/{}/uploads/{}", case.draft_id, f.id),
            file_name: f.file_name,
            at: f.created_at,
            step: f
                .task_id
                .and_then(|id| rows.iter().find(|r| r.id == id).map(|r| r.position)),
        })
        .collect();
    let promise = match &case.state {
        CaseState::AcceptedWithShortfall { promise, .. } => Some((
            promise.materials.iter().map(|m| name_of(m)).collect(),
            promise.deadline.to_string(),
        )),
        _ => None,
    };
    let correction_items = match &case.state {
        CaseState::CorrectionRequested { items, .. } => {
            items.iter().map(|i| i.problem.clone()).collect()
        }
        _ => Vec::new(),
    };
    Ok(StaffPage::Ready(StaffCaseView {
        number: case.number.clone(),
        theme: named_theme(state, &case.theme_id),
        status: case.state.status(),
        version: case.version,
        submitted_at: case.submitted_at.clone(),
        role: user.role,
        case_actions: case_actions_for(user.role, case.state.status()),
        promise_latest: case_actions::promise_latest(&tasks, today, calendar).to_string(),
        today: today_iso(today),
        promise,
        correction_items,
        fields,
        materials,
        correction_files,
        tasks: staff_tasks,
        history,
        notices: notices_of(state, case.id).await?,
    }))
}

fn staff_task(
    state: &AppState,
    user: &SessionUser,
    r: &TaskRow,
    calendar: &Calendar,
    today: Date,
) -> StaffTask {
    let t = &r.task;
    let actions = officer_task_actions(user, t);
    StaffTask {
        step: t.id.clone(),
        number: r.position,
        item: named_item(state, &t.item),
        department: named_department(state, &t.department),
        kind: t.kind,
        status: t.status(),
        clock: t.warning(today, calendar),
        committed_due: t.committed_due(calendar).map(today_iso),
        statutory_due: t.statutory_due(calendar).map(today_iso),
        version: r.version,
        notes: task_notes(t),
        extension_max: actions
            .contains(&TaskActionKind::Extend)
            .then_some(t.statutory.extension_days)
            .flatten(),
        actions,
    }
}

async fn staff_history(
    state: &AppState,
    case_id: i64,
    rows: &[TaskRow],
    lang: Lang,
    draft_id: &str,
) -> Result<Vec<StaffHistoryLine>, DbError> {
    #[allow(clippy::type_complexity)]
    let events: Vec<(Option<i64>, String, String, Option<String>, Option<String>, String, String, String)> =
        sqlx::query_as(
            "SELECT e.task_id, e.at, e.actor_role, COALESCE(a.display_name, 'API · ' || t.name), e.address, e.action, \
             e.to_status, e.entry FROM case_event e LEFT JOIN account a ON a.id = e.actor_account \
             LEFT JOIN api_token t ON t.id = e.api_token_id WHERE e.case_id = $1 ORDER BY e.id",
        )
        .bind(case_id)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(events
        .into_iter()
        .map(|(task_id, at, role, name, address, action, to, entry)| {
            let task = task_id.is_some();
            StaffHistoryLine {
                at,
                task: task_id.and_then(|id| rows.iter().find(|r| r.id == id).map(|r| r.position)),
                who: name.unwrap_or_else(|| super::case_views::role_label(&role, lang)),
                address,
                action: super::case_views::action_label(&action, task, lang),
                to_status: super::case_views::status_label(&to, task, lang),
                link: (action == corrections::UPLOAD_ACTION)
                    .then(|| {
                        let v: serde_json::Value = serde_json::from_str(&entry).ok()?;
                        let id = v.get("upload")?.as_i64()?;
                        Some(format!("/applications/{draft_id}/uploads/{id}"))
                    })
                    .flatten(),
                detail: entry_detail(&entry),
            }
        })
        .collect())
}

/// The posted action form.
#[derive(Debug, Clone, Default)]
pub struct ActionForm {
    pub number: String,
    pub step: String,
    pub version: i64,
    pub action: String,
    pub reason: String,
    pub appeal: String,
    pub items: String,
    pub promised: BTreeSet<String>,
    pub deadline: String,
    pub days: String,
    /// The language of the answer's messages.
    pub lang: Lang,
}

/// Why a form could not even be read as an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormProblem {
    UnknownAction,
    BadDate,
    BadDays,
}

impl FormProblem {
    pub fn code(self) -> &'static str {
        match self {
            FormProblem::UnknownAction => "unknown_action",
            FormProblem::BadDate => "bad_date",
            FormProblem::BadDays => "bad_days",
        }
    }
}

/// The form as an engine action. `materials` are the checklist's (id, name) for correction items.
pub fn target_of(
    form: &ActionForm,
    materials: &[(String, String)],
    latest: Date,
) -> Result<Target, FormProblem> {
    let items = || parse_items(&form.items, materials);
    if form.step.is_empty() {
        let action = match form.action.as_str() {
            "accept" => CaseAction::Accept,
            "accept_with_shortfall" => {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                let deadline =
                    Date::parse(form.deadline.trim(), &format).map_err(|_| FormProblem::BadDate)?;
                CaseAction::AcceptWithShortfall {
                    materials: form.promised.iter().cloned().collect(),
                    deadline,
                    latest,
                }
            }
            "request_correction" => CaseAction::RequestCorrection { items: items() },
            "refuse_to_accept" => CaseAction::RefuseToAccept {
                reason: form.reason.clone(),
                appeal: form.appeal.clone(),
            },
            "resubmit" => CaseAction::Resubmit,
            "supply_shortfall" => CaseAction::SupplyShortfall,
            "hand_over" => CaseAction::HandOver,
            _ => return Err(FormProblem::UnknownAction),
        };
        return Ok(Target::Case(action));
    }
    let action = match form.action.as_str() {
        "approve" => TaskAction::Approve,
        "refuse" => TaskAction::Refuse {
            reason: form.reason.clone(),
        },
        "request_correction" => TaskAction::RequestCorrection { items: items() },
        "extend" => TaskAction::Extend {
            days: form.days.trim().parse().map_err(|_| FormProblem::BadDays)?,
            reason: form.reason.clone(),
        },
        "supply_correction" => TaskAction::SupplyCorrection,
        "mark_done" => TaskAction::MarkDone,
        _ => return Err(FormProblem::UnknownAction),
    };
    Ok(Target::Task {
        step: form.step.clone(),
        action,
    })
}

/// For the owner's resubmission (case) or supply (task) of a correction: the names of the requested materials
/// still without a new file for the open request, in `lang` (empty: nothing missing, or not such an action).
pub async fn missing_correction_files(
    state: &AppState,
    case: &CaseRow,
    target: &Target,
    lang: Lang,
) -> Result<Vec<String>, DbError> {
    let step = match target {
        Target::Case(CaseAction::Resubmit) => None,
        Target::Task {
            step,
            action: TaskAction::SupplyCorrection,
        } => Some(step.as_str()),
        _ => return Ok(Vec::new()),
    };
    let rows = cases::tasks(&state.db, case.id).await?;
    let Some(request) = corrections::open_request(&state.db, case, &rows, step).await? else {
        return Ok(Vec::new());
    };
    let files = corrections::files(&state.db, &case.draft_id).await?;
    let form = case_form(state, case);
    Ok(corrections::missing(&request, &files)
        .into_iter()
        .map(|id| material_name(form.as_ref(), id, lang))
        .collect())
}

/// A checklist material's name in `lang`, or its id.
pub fn material_name(form: Option<&MergedForm>, id: &str, lang: Lang) -> String {
    form.and_then(|f| f.materials_to_provide().find(|m| m.id == id))
        .map_or_else(|| id.to_owned(), |m| m.name.get(lang).0.to_owned())
}

/// Runs a posted action; returns where to go (post/redirect/get), with `?done=` or `?problem=`.
pub async fn act(
    state: &AppState,
    user: Option<SessionUser>,
    address: Option<&str>,
    form: ActionForm,
) -> Result<String, DbError> {
    let number = form.number.trim().to_owned();
    let Some(user) = user else {
        return Ok(login_path(&format!("/cases/{number}")));
    };
    let base = if user.role.is_staff() {
        format!("/work/cases/{}", encode_component(&number))
    } else {
        format!("/cases/{}", encode_component(&number))
    };
    let anchor = if form.step.is_empty() {
        String::new()
    } else {
        format!("#task-{}", encode_component(&form.step))
    };
    let Some(case) = cases::by_number(&state.db, &number).await? else {
        return Ok(base);
    };
    let today = clock::today(&state.db).await;
    let tasks: Vec<Task> = cases::tasks(&state.db, case.id)
        .await?
        .into_iter()
        .map(|r| r.task)
        .collect();
    let materials: Vec<(String, String)> = case_form(state, &case)
        .map(|f| {
            f.materials_to_provide()
                .map(|m| (m.id.clone(), m.name.get(Lang::Zh).0.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let latest = case_actions::promise_latest(&tasks, today, state.catalog.calendar());
    let target = match target_of(&form, &materials, latest) {
        Ok(t) => t,
        Err(p) => {
            tracing::warn!(case = %number, action = %form.action, problem = p.code(), "refused an unreadable action form");
            return Ok(format!("{base}?problem={}{anchor}", p.code()));
        }
    };
    if super::consent::acts_as_owner(&state.db, &case, user.account_id, user.role, today).await? {
        let missing = missing_correction_files(state, &case, &target, form.lang).await?;
        if !missing.is_empty() {
            tracing::info!(case = %number, "refused to hand in a correction without its files");
            return Ok(format!(
                "{base}?problem=missing_files&materials={}{anchor}",
                encode_component(&missing.join("、"))
            ));
        }
    }
    let acting = Acting::person(&user, address);
    let outcome = case_actions::act(
        &state.db,
        &state.catalog,
        &number,
        form.version,
        target,
        &acting,
        today,
    )
    .await?;
    Ok(match outcome {
        Outcome::Done => format!("{base}?done={}{anchor}", encode_component(&form.action)),
        Outcome::NotFound => base,
        Outcome::Refused(r) => {
            if r.is_access_refusal() {
                super::security_audit::mark_refused(&format!("case:{number}"));
            }
            format!(
                "{base}?problem=refused&refusal={}{anchor}",
                encode_component(&serde_json::to_string(&r).unwrap_or_default())
            )
        }
        Outcome::Conflict { by, at } => format!(
            "{base}?problem=conflict&by={}&at={}{anchor}",
            encode_component(by.as_deref().unwrap_or("")),
            encode_component(&at)
        ),
    })
}

/// A department's or theme's figures on the wire.
pub fn group_line(state: &AppState, grouping: Grouping, f: Figures) -> GroupLine {
    let (group, link) = match grouping {
        Grouping::Department => (
            named_department(state, &f.id),
            Some(format!(
                "/departments/{}/performance",
                encode_component(&f.id)
            )),
        ),
        Grouping::Theme => (named_theme(state, &f.id), None),
    };
    GroupLine {
        group,
        link,
        in_review: f.in_review,
        waiting: f.waiting,
        due_soon: f.due_soon,
        overdue: f.overdue,
        ended: f.ended,
        refused: f.refused,
        handled: f.handled,
        committed: f.committed,
        on_time_committed: f.on_time_committed,
        on_time_statutory: f.on_time_statutory,
    }
}

/// Listed tasks as queue lines (the clock colour from the domain).
pub fn listed_rows(state: &AppState, listed: Vec<ListedTask>, today: Date) -> Vec<QueueRow> {
    listed
        .into_iter()
        .filter_map(|(number, theme, case, task)| {
            let (case, task) = readable(&number, &case, &task)?;
            Some(task_row(state, &number, &theme, &case, &task, today))
        })
        .collect()
}

/// `/supervision`: supervisor and admin only. Every figure is an SQL aggregate (`server::performance`); the
/// lists show the first [`LIST_LIMIT`] tasks under the filters (`department`, `theme`: ids, empty for all).
pub async fn supervision(
    state: &AppState,
    user: Option<SessionUser>,
    department: &str,
    theme: &str,
) -> Result<StaffPage<SupervisionView>, DbError> {
    let user = match staff_only(user) {
        Ok(u) => u,
        Err(p) => return Ok(refusal(p)),
    };
    if !matches!(user.role, Role::Supervisor | Role::Admin) {
        tracing::warn!(
            account = user.account_id,
            "refused supervision to a role without it"
        );
        super::security_audit::mark_refused("supervision");
        return Ok(StaffPage::Forbidden);
    }
    let today = clock::today(&state.db).await;
    case_actions::deem_all_due(&state.db, &state.catalog, today).await?;
    let calendar = state.catalog.calendar();
    let soon = due_soon_before(today, calendar);
    let case_counts: Vec<(String, i64)> =
        // Maintained by triggers (migration 0015): a COUNT over every case would grow with them.
        sqlx::query_as("SELECT status, n FROM case_tally WHERE n <> 0 ORDER BY status")
            .fetch_all(&state.db.pool)
            .await?;
    let case_counts = CaseStatus::ALL
        .into_iter()
        .filter_map(|s| Some((s, case_counts.iter().find(|(c, _)| c == s.code())?.1)))
        .collect();
    let task_counts = performance::task_counts(&state.db).await?;
    let task_counts = TaskStatus::ALL
        .into_iter()
        .filter_map(|s| Some((s, task_counts.iter().find(|(c, _)| c == s.code())?.1)))
        .collect();
    let lines = |grouping, figures: Vec<Figures>| -> Vec<GroupLine> {
        figures
            .into_iter()
            .filter(|f| !f.id.is_empty())
            .map(|f| group_line(state, grouping, f))
            .collect()
    };
    let departments = lines(
        Grouping::Department,
        performance::by_group(&state.db, Grouping::Department, today, soon).await?,
    );
    let themes = lines(
        Grouping::Theme,
        performance::by_group(&state.db, Grouping::Theme, today, soon).await?,
    );
    let chosen = |id: &str| {
        let id = id.trim();
        (!id.is_empty()).then(|| id.to_owned())
    };
    let filter = TaskFilter {
        department: chosen(department),
        theme: chosen(theme),
    };
    let (overdue, overdue_total) = performance::clock_list(
        &state.db,
        ClockList::Overdue,
        today,
        soon,
        &filter,
        LIST_LIMIT,
    )
    .await?;
    let (due_soon, due_soon_total) = performance::clock_list(
        &state.db,
        ClockList::DueSoon,
        today,
        soon,
        &filter,
        LIST_LIMIT,
    )
    .await?;
    let demo_clock = if clock::offset_allowed() {
        Some(clock::offset_days(&state.db).await)
    } else {
        None
    };
    Ok(StaffPage::Ready(SupervisionView {
        today: today_iso(today),
        case_counts,
        task_counts,
        department_options: departments.iter().map(|l| l.group.clone()).collect(),
        theme_options: themes.iter().map(|l| l.group.clone()).collect(),
        departments,
        themes,
        overdue: listed_rows(state, overdue, today),
        overdue_total,
        due_soon: listed_rows(state, due_soon, today),
        due_soon_total,
        filter_department: filter.department.unwrap_or_default(),
        filter_theme: filter.theme.unwrap_or_default(),
        demo_clock,
    }))
}

/// `/departments/{id}/performance`: supervision, administrators and the department's own officers.
pub async fn department_performance(
    state: &AppState,
    user: Option<SessionUser>,
    department: &str,
) -> Result<StaffPage<PerformanceView>, DbError> {
    let user = match staff_only(user) {
        Ok(u) => u,
        Err(p) => return Ok(refusal(p)),
    };
    if state.catalog.department(department).is_none() {
        return Ok(StaffPage::NotFound);
    }
    if !may_see_department(user.role, user.department.as_deref(), department) {
        tracing::warn!(
            account = user.account_id,
            department,
            "refused a department's performance to someone outside it"
        );
        super::security_audit::mark_refused(&format!("performance:{department}"));
        return Ok(StaffPage::Forbidden);
    }
    let today = clock::today(&state.db).await;
    let soon = due_soon_before(today, state.catalog.calendar());
    let figures = performance::for_department(&state.db, department, today, soon).await?;
    let filter = TaskFilter {
        department: Some(department.to_owned()),
        theme: None,
    };
    let (overdue, overdue_total) = performance::clock_list(
        &state.db,
        ClockList::Overdue,
        today,
        soon,
        &filter,
        LIST_LIMIT,
    )
    .await?;
    Ok(StaffPage::Ready(PerformanceView {
        department: named_department(state, department),
        today: today_iso(today),
        figures: GroupLine {
            link: None,
            ..group_line(state, Grouping::Department, figures)
        },
        extensions: performance::extensions(&state.db, department).await?,
        overdue: listed_rows(state, overdue, today),
        overdue_total,
        supervision_link: matches!(user.role, Role::Supervisor | Role::Admin),
    }))
}

/// `/cases/{number}/notice/{kind}`: for the owner and for staff who may see the case.
pub async fn notice(
    state: &AppState,
    user: Option<SessionUser>,
    number: &str,
    kind: &str,
) -> Result<StaffPage<NoticeView>, DbError> {
    let Some(user) = user else {
        return Ok(StaffPage::SignIn);
    };
    let Some(kind) = NoticeKind::from_code(kind) else {
        return Ok(StaffPage::NotFound);
    };
    let Some(case) = cases::by_number(&state.db, number).await? else {
        return Ok(StaffPage::NotFound);
    };
    let tasks: Vec<Task> = cases::tasks(&state.db, case.id)
        .await?
        .into_iter()
        .map(|r| r.task)
        .collect();
    let owner = case.account_id == Some(user.account_id)
        || user.role == Role::Agent
            && super::consent::agent_allows(
                &state.db,
                &case,
                user.account_id,
                crate::domain::consent::Scope::Follow,
                clock::today(&state.db).await,
            )
            .await?;
    if !(owner || user.role.is_staff() && may_see(&user, &tasks)) {
        tracing::warn!(case = %number, account = user.account_id, "refused a notice to someone who may not see the case");
        super::security_audit::mark_refused(&format!("notice:{number}"));
        return Ok(StaffPage::NotFound);
    }
    let events: Vec<(String, String)> = sqlx::query_as(
        "SELECT at, entry FROM case_event WHERE case_id = $1 AND task_id IS NULL ORDER BY id DESC",
    )
    .bind(case.id)
    .fetch_all(&state.db.pool)
    .await?;
    let Some((at, entry)) = events.into_iter().find_map(|(at, entry)| {
        let entry: CaseEntry = serde_json::from_str(&entry).ok()?;
        kind.actions()
            .contains(&entry.action.kind().code())
            .then_some((at, entry))
    }) else {
        return Ok(StaffPage::NotFound);
    };
    let names: Vec<(String, String)> = case_form(state, &case)
        .map(|f| {
            f.materials_to_provide()
                .map(|m| (m.id.clone(), m.name.get(Lang::Zh).0.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let name_of = |id: &str| {
        names
            .iter()
            .find(|(m, _)| m == id)
            .map_or_else(|| id.to_owned(), |(_, n)| n.clone())
    };
    let mut view = NoticeView {
        kind,
        number: case.number.clone(),
        theme: named_theme(state, &case.theme_id),
        applicant: case
            .fields
            .get("applicant_name")
            .cloned()
            .filter(|s| !s.is_empty()),
        date: at.chars().take(10).collect(),
        deemed: false,
        items: Vec::new(),
        promise_deadline: None,
        reason: None,
        appeal: None,
    };
    match entry.action {
        CaseAction::DeemAccept => view.deemed = true,
        CaseAction::AcceptWithShortfall {
            materials,
            deadline,
            ..
        } => {
            view.items = materials.iter().map(|m| name_of(m)).collect();
            view.promise_deadline = Some(deadline.to_string());
        }
        CaseAction::RequestCorrection { items } => {
            view.items = items.into_iter().map(|i| i.problem).collect();
        }
        CaseAction::RefuseToAccept { reason, appeal } => {
            view.reason = Some(reason);
            view.appeal = Some(appeal);
        }
        _ => {}
    }
    Ok(StaffPage::Ready(view))
}

/// Moves the demo clock; supervisor or admin in demo or test mode only.
pub async fn set_demo_clock(
    state: &AppState,
    user: Option<SessionUser>,
    days: &str,
) -> Result<String, DbError> {
    let Some(user) = user else {
        return Ok(login_path("/supervision"));
    };
    if !matches!(user.role, Role::Supervisor | Role::Admin) {
        tracing::warn!(account = user.account_id, "refused to move the demo clock");
        super::security_audit::mark_refused("demo_clock");
        return Ok("/supervision".into());
    }
    let Ok(days) = days.trim().parse::<i64>() else {
        return Ok("/supervision?problem=bad_days".into());
    };
    if !clock::set_offset_days(&state.db, days).await? {
        return Ok("/supervision?problem=clock_locked".into());
    }
    Ok("/supervision?done=clock".into())
}

/// Whether `viewer` may download uploads of a submitted draft: its owner, or staff who may see its case.
pub async fn may_download(
    state: &AppState,
    draft: &str,
    viewer: &super::application::Viewer,
) -> Result<bool, DbError> {
    let Some(number) = cases::number_for_draft(&state.db, draft).await? else {
        return Ok(false);
    };
    let Some(case) = cases::by_number(&state.db, &number).await? else {
        return Ok(false);
    };
    if case.account_id == Some(viewer.account_id) {
        return Ok(true);
    }
    if viewer.role == Role::Agent {
        let today = clock::today(&state.db).await;
        return super::consent::agent_allows(
            &state.db,
            &case,
            viewer.account_id,
            crate::domain::consent::Scope::Follow,
            today,
        )
        .await;
    }
    if !viewer.role.is_staff() {
        return Ok(false);
    }
    let Some(user) = super::accounts::session_user(&state.db, viewer.account_id).await? else {
        return Ok(false);
    };
    let tasks: Vec<Task> = cases::tasks(&state.db, case.id)
        .await?
        .into_iter()
        .map(|r| r.task)
        .collect();
    Ok(may_see(&user, &tasks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case_flow::Clock;
    use crate::domain::case_flow::TaskKind;
    use crate::domain::item::{Limit, LimitKind};

    fn officer(dept: &str) -> SessionUser {
        SessionUser {
            account_id: 1,
            login: "o".into(),
            display_name: "O".into(),
            role: Role::Officer,
            department: Some(dept.into()),
        }
    }

    fn task(dept: &str, state: TaskState) -> Task {
        let mut statutory = Limit::new(LimitKind::WorkingDays(20));
        statutory.extension_days = Some(10);
        Task {
            id: "t".into(),
            item: "i".into(),
            department: dept.into(),
            kind: TaskKind::Department,
            after: vec![],
            statutory,
            committed: Limit::new(LimitKind::WorkingDays(5)),
            state,
            clock: Clock::default(),
        }
    }

    #[test]
    fn officers_see_and_act_on_their_department_only() {
        let t = task("samr", TaskState::InReview);
        assert!(may_see(&officer("samr"), std::slice::from_ref(&t)));
        assert!(!may_see(&officer("tax"), std::slice::from_ref(&t)));
        let actions = officer_task_actions(&officer("samr"), &t);
        assert_eq!(
            actions,
            [
                TaskActionKind::RequestCorrection,
                TaskActionKind::Extend,
                TaskActionKind::Approve,
                TaskActionKind::Refuse
            ]
        );
        assert!(officer_task_actions(&officer("tax"), &t).is_empty());
        let mut extended = t.clone();
        extended.clock.extension = Some(crate::domain::case_flow::Extension {
            days: 5,
            reason: "x".into(),
        });
        assert!(
            !officer_task_actions(&officer("samr"), &extended).contains(&TaskActionKind::Extend)
        );
    }

    #[test]
    fn the_window_and_the_owner_get_the_table_s_actions() {
        assert_eq!(
            case_actions_for(Role::Window, CaseStatus::Submitted),
            [
                CaseActionKind::Accept,
                CaseActionKind::AcceptWithShortfall,
                CaseActionKind::RequestCorrection,
                CaseActionKind::RefuseToAccept
            ]
        );
        assert!(case_actions_for(Role::Supervisor, CaseStatus::Submitted).is_empty());
        assert_eq!(
            case_actions_for(Role::Window, CaseStatus::Accepted),
            [CaseActionKind::HandOver]
        );
        assert_eq!(
            owner_case_actions(CaseStatus::CorrectionRequested),
            [CaseActionKind::Resubmit]
        );
        let waiting = task("tax", TaskState::AwaitingApplicant { items: vec![] });
        assert_eq!(
            owner_task_actions(&waiting),
            [TaskActionKind::SupplyCorrection]
        );
    }

    #[test]
    fn correction_lines_point_at_the_material_they_name() {
        let materials = vec![("lease".to_string(), "租赁合同".to_string())];
        let items = parse_items("租赁合同未签字\n\n  联系电话有误 ", &materials);
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0],
            CorrectionItem::material("lease", "租赁合同未签字")
        );
        assert_eq!(
            items[1],
            CorrectionItem::field("application", "联系电话有误")
        );
    }

    #[test]
    fn forms_become_actions_or_a_specific_problem() {
        let latest = time::macros::date!(2026 - 12 - 31);
        let mut form = ActionForm {
            action: "accept_with_shortfall".into(),
            deadline: "2026-12-10".into(),
            promised: ["lease".to_string()].into_iter().collect(),
            ..ActionForm::default()
        };
        assert!(matches!(
            target_of(&form, &[], latest),
            Ok(Target::Case(CaseAction::AcceptWithShortfall { .. }))
        ));
        form.deadline = "next week".into();
        assert_eq!(
            target_of(&form, &[], latest).err(),
            Some(FormProblem::BadDate)
        );
        let form = ActionForm {
            step: "tax".into(),
            action: "extend".into(),
            days: "ten".into(),
            ..ActionForm::default()
        };
        assert_eq!(
            target_of(&form, &[], latest).err(),
            Some(FormProblem::BadDays)
        );
        let form = ActionForm {
            action: "delete".into(),
            ..ActionForm::default()
        };
        assert_eq!(
            target_of(&form, &[], latest).err(),
            Some(FormProblem::UnknownAction)
        );
    }

    #[test]
    fn history_details_name_reasons_and_items() {
        let entry = r#"{"action":{"action":"refuse_to_accept","reason":"不属于本机关","appeal":"向区市场监管局申请"}}"#;
        assert_eq!(
            entry_detail(entry).as_deref(),
            Some("不属于本机关；向区市场监管局申请")
        );
        assert_eq!(entry_detail(r#"{"action":{"action":"accept"}}"#), None);
        assert_eq!(entry_detail("{}"), None);
    }
}
