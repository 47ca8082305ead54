//! The two state machines of a case (办件) and its tasks (one per applicable item), the clock of each task
//! (电子监察) and who may do what. Pure: the state, an action, the actor and a context with today's date come in;
//! a [`Transition`] (the next state and a history entry describing it) or a typed [`Refusal`] goes out. The server
//! stores states and history entries as JSON, adds time and IP to each entry and guards concurrent writes.
//!
//! The transition tables [`CASE_RULES`] and [`TASK_RULES`] are data the engine looks up before every transition,
//! so the documentation ([`case_transition_table`], [`markdown`]) and the behaviour cannot drift apart.

mod actor;
mod case;
mod clock;
mod refusal;
mod table;
mod task;

use serde::{Deserialize, Serialize};

pub use actor::{Actor, Who};
pub use case::{
    acceptance_deadline, deemed_accepted, CaseAction, CaseActionKind, CaseContext, CaseEntry,
    CaseRule, CaseState, CaseStatus, CaseTransition, Promise, ACCEPTANCE_DAYS, CASE_RULES,
};
pub use clock::{Clock, ClockEffect, ClockStatus, Extension, DUE_SOON_DAYS};
pub use refusal::{ActionKind, Refusal, Status};
pub use table::{case_transition_table, markdown, task_transition_table, TableRow};
pub use task::{
    open_tasks, ready, stranded, unlocked, Task, TaskAction, TaskActionKind, TaskContext,
    TaskEntry, TaskKind, TaskRule, TaskState, TaskStatus, TaskTransition, TASK_RULES,
};

/// One thing to correct (补正): which material or form field, and what is wrong with it. A notice lists every
/// such item at once (一次性告知).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionItem {
    pub target: CorrectionTarget,
    /// What is wrong or missing, shown to the applicant.
    pub problem: String,
}

/// What a correction item points at: a material id or a field id of the merged form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum CorrectionTarget {
    Material(String),
    Field(String),
}

impl CorrectionTarget {
    pub fn id(&self) -> &str {
        match self {
            CorrectionTarget::Material(id) | CorrectionTarget::Field(id) => id,
        }
    }
}

impl CorrectionItem {
    pub fn material(id: impl Into<String>, problem: impl Into<String>) -> CorrectionItem {
        CorrectionItem {
            target: CorrectionTarget::Material(id.into()),
            problem: problem.into(),
        }
    }

    pub fn field(id: impl Into<String>, problem: impl Into<String>) -> CorrectionItem {
        CorrectionItem {
            target: CorrectionTarget::Field(id.into()),
            problem: problem.into(),
        }
    }
}

/// One line of the append-only history: who moved what from where to where, and why (the action with its
/// reason, list or promise). The server adds the time and the IP address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry<S, A> {
    pub from: S,
    pub to: S,
    pub action: A,
    pub actor: Actor,
    /// For tasks: what the action did to the clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<ClockEffect>,
}

/// The outcome of an allowed action: the next value and the entry to append to the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition<T, E> {
    pub next: T,
    pub entry: E,
}

/// A required free text (reason, appeal route): present once trimmed.
fn required_text(text: &str, missing: Refusal) -> Result<String, Refusal> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        Err(missing)
    } else {
        Ok(trimmed.to_owned())
    }
}

/// A correction list as the applicant will read it: non-empty, each item naming its target and the problem.
fn correction_list(items: &[CorrectionItem]) -> Result<Vec<CorrectionItem>, Refusal> {
    if items.is_empty() {
        return Err(Refusal::EmptyCorrectionList);
    }
    items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let id = item.target.id().trim();
            let problem = item.problem.trim();
            if id.is_empty() || problem.is_empty() {
                return Err(Refusal::CorrectionItemIncomplete { position: k + 1 });
            }
            let target = match &item.target {
                CorrectionTarget::Material(_) => CorrectionTarget::Material(id.to_owned()),
                CorrectionTarget::Field(_) => CorrectionTarget::Field(id.to_owned()),
            };
            Ok(CorrectionItem {
                target,
                problem: problem.to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
