//! Shared fixtures of the case-flow tests: the sample calendar, one actor of each kind, a restaurant case's tasks.

mod case;
mod clock;
mod props;
mod refusals;
mod roles;
mod table;
mod task;

use std::sync::LazyLock;

use time::macros::date;
use time::Date;

use super::*;
use crate::domain::calendar::Calendar;
use crate::domain::item::{Limit, LimitKind};
use crate::domain::role::Role;

static CAL: LazyLock<Calendar> = LazyLock::new(crate::domain::calendar::tests::sample);

/// Monday 3 March 2025, an ordinary working week.
const MON: Date = date!(2025 - 03 - 03);
/// The last day of the art. 32 window for an application handed in on [`MON`].
const MON_DEADLINE: Date = date!(2025 - 03 - 10);

fn cal() -> &'static Calendar {
    &CAL
}

fn window() -> Actor {
    Actor::person("w-1", Role::Window, None)
}

fn citizen() -> Actor {
    Actor::person("c-1", Role::Citizen, None)
}

fn agent() -> Actor {
    Actor::person("a-1", Role::Agent, None)
}

fn officer(department: &str) -> Actor {
    Actor::person("o-1", Role::Officer, Some(department))
}

fn supervisor() -> Actor {
    Actor::person("s-1", Role::Supervisor, None)
}

fn admin() -> Actor {
    Actor::person("ad-1", Role::Admin, None)
}

fn wd(n: u32) -> Limit {
    Limit::new(LimitKind::WorkingDays(n))
}

fn with_extension(limit: Limit, days: u32) -> Limit {
    Limit {
        extension_days: Some(days),
        ..limit
    }
}

fn task(id: &str, department: &str, kind: TaskKind, after: &[&str]) -> Task {
    Task {
        id: id.into(),
        item: format!("item-{id}"),
        department: department.into(),
        kind,
        after: after.iter().map(|a| (*a).to_owned()).collect(),
        statutory: with_extension(wd(20), 10),
        committed: wd(10),
        state: TaskState::Waiting,
        clock: Clock::default(),
    }
}

/// Opening a restaurant: the licence first; the food licence and the fire check after it; the seal (a filing,
/// so the applicant's to-do) after it; the bank account (a partner's, also a to-do) after the licence and seal.
fn restaurant() -> Vec<Task> {
    use TaskKind::{ApplicantTodo, Department};
    vec![
        Task {
            statutory: with_extension(wd(3), 3),
            committed: wd(1),
            ..task("licence", "samr", Department, &[])
        },
        task("food", "samr", Department, &["licence"]),
        Task {
            statutory: Limit::new(LimitKind::OnTheSpot),
            committed: Limit::new(LimitKind::OnTheSpot),
            ..task("fire", "fire", Department, &["licence"])
        },
        task("seal", "psb", ApplicantTodo, &["licence"]),
        task("bank", "bank", ApplicantTodo, &["licence", "seal"]),
    ]
}

fn accepted(since: Date) -> CaseState {
    CaseState::Accepted {
        since,
        deemed: false,
    }
}

fn with_state(mut task: Task, state: TaskState) -> Task {
    task.state = state;
    task
}

fn find<'t>(tasks: &'t [Task], id: &str) -> &'t Task {
    tasks
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no task {id}"))
}

/// Applies a task action to the task `id` within `tasks`, replacing it there on success.
fn act(
    tasks: &mut [Task],
    id: &str,
    action: TaskAction,
    actor: &Actor,
    case: &CaseState,
    today: Date,
) -> Result<TaskEntry, Refusal> {
    let ctx = TaskContext {
        today,
        calendar: cal(),
        case,
        is_owner: true,
        tasks,
    };
    let t = find(tasks, id).apply(&action, actor, &ctx)?;
    if let Some(slot) = tasks.iter_mut().find(|x| x.id == id) {
        *slot = t.next;
    }
    Ok(t.entry)
}
