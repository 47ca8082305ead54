//! The transition tables as the documentation shows them, read from [`CASE_RULES`] and [`TASK_RULES`] — the same
//! data the engine looks up.

use serde::Serialize;

use super::actor::Who;
use super::case::{CaseActionKind, CaseStatus, CASE_RULES};
use super::task::{TaskActionKind, TaskKind, TaskStatus, TASK_RULES};
use crate::domain::role::Role;

/// One (state, action) pair: where it leads (`None`: refused) and who may take it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableRow {
    /// For tasks: the kind of task the row is about.
    pub kind: Option<&'static str>,
    pub from: &'static str,
    pub action: &'static str,
    pub to: Option<&'static str>,
    pub who: Who,
    /// The roles that may act (before the ownership or department check); empty for the system.
    pub roles: Vec<Role>,
}

/// Every case state against every case action.
pub fn case_transition_table() -> Vec<TableRow> {
    let mut rows = Vec::new();
    for from in CaseStatus::ALL {
        for action in CaseActionKind::ALL {
            let to = CASE_RULES
                .iter()
                .find(|r| r.from == from && r.action == action)
                .map(|r| r.to.code());
            rows.push(TableRow {
                kind: None,
                from: from.code(),
                action: action.code(),
                to,
                who: action.who(),
                roles: action.who().roles().to_vec(),
            });
        }
    }
    rows
}

/// Every task state against every task action, for each kind of task.
pub fn task_transition_table() -> Vec<TableRow> {
    let mut rows = Vec::new();
    for kind in TaskKind::ALL {
        for from in TaskStatus::ALL {
            for action in TaskActionKind::ALL {
                let to = TASK_RULES
                    .iter()
                    .find(|r| r.kind == kind && r.from == from && r.action == action)
                    .map(|r| r.to.code());
                rows.push(TableRow {
                    kind: Some(kind.code()),
                    from: from.code(),
                    action: action.code(),
                    to,
                    who: action.who(),
                    roles: action.who().roles().to_vec(),
                });
            }
        }
    }
    rows
}

/// The allowed rows as a markdown table (refused pairs are left out).
pub fn markdown(rows: &[TableRow]) -> String {
    let with_kind = rows.iter().any(|r| r.kind.is_some());
    let mut out = String::new();
    if with_kind {
        out.push_str("| kind | from | action | to | who |\n|---|---|---|---|---|\n");
    } else {
        out.push_str("| from | action | to | who |\n|---|---|---|---|\n");
    }
    for row in rows {
        let Some(to) = row.to else { continue };
        if let Some(kind) = row.kind {
            out.push_str(&format!("| {kind} "));
        }
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            row.from,
            row.action,
            to,
            row.who.describe()
        ));
    }
    out
}
