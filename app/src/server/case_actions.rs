//! Actions on a case and its tasks, through the domain's state machines, stored atomically.
//!
//! One action: load the case and its tasks with their versions, check the version the form was rendered with,
//! `apply` the action as the signed-in actor, work out what the system does next ([`follow_ups`]: start every
//! task whose inputs exist once the case is accepted, end the tasks a refusal stranded), then write everything
//! in one transaction whose first statement is `UPDATE … WHERE id = ? AND version = ?`. Zero rows there (or on
//! any task the system moves) means someone else changed it first: the transaction is rolled back and the caller
//! gets [`Outcome::Conflict`] naming who and when, never a lost update. Every write appends a `case_event`.
//!
//! The write's first statement is the guarded UPDATE, so on SQLite the transaction takes the write lock before it
//! reads anything (no stale snapshot to upgrade); on PostgreSQL the UPDATE re-checks the version after waiting.

use time::Date;

use super::cases::{self, CaseRow};
use super::db::{Db, DbError};
use super::drafts::{now, stamp};
use super::memo::Changed;
use super::notifications;
use super::webhooks;
use crate::domain::calendar::Calendar;
use crate::domain::case_flow::CaseContext;
use crate::domain::case_flow::{
    deemed_accepted, ready, stranded, Actor, CaseAction, CaseState, Clock, Refusal, Task,
    TaskAction, TaskContext, TaskTransition,
};
use crate::domain::notify::{Change, Notice, TaskMove};
use crate::domain::{Catalog, Role};

/// Who is acting, as the history records it.
#[derive(Debug, Clone)]
pub struct Acting<'a> {
    pub actor: Actor,
    /// The account, for a person; `None` for the system.
    pub account_id: Option<i64>,
    /// Where the request came from (`client_address()`).
    pub address: Option<&'a str>,
    /// The API token of a department system acting through `/api/v1/dept` (recorded in the history).
    pub api_token: Option<i64>,
}

impl<'a> Acting<'a> {
    pub fn system() -> Acting<'a> {
        Acting {
            actor: Actor::System,
            account_id: None,
            address: None,
            api_token: None,
        }
    }

    pub fn person(user: &crate::api::account::SessionUser, address: Option<&'a str>) -> Acting<'a> {
        Acting {
            actor: Actor::person(&user.login, user.role, user.department.as_deref()),
            account_id: Some(user.account_id),
            address,
            api_token: None,
        }
    }

    /// A department's system, through its API token: an officer of that department to the engine, recorded as
    /// `api:<token name>` with the token's id.
    pub fn api(
        token_id: i64,
        token_name: &str,
        department: &str,
        address: Option<&'a str>,
    ) -> Acting<'a> {
        Acting {
            actor: Actor::person(format!("api:{token_name}"), Role::Officer, Some(department)),
            account_id: None,
            address,
            api_token: Some(token_id),
        }
    }

    fn role_code(&self) -> &'static str {
        self.actor.role().map_or("system", Role::code)
    }
}

/// What is acted on.
#[derive(Debug, Clone)]
pub enum Target {
    Case(CaseAction),
    /// A task by its step id.
    Task {
        step: String,
        action: TaskAction,
    },
}

/// How an action ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Done,
    /// No such case or task.
    NotFound,
    /// The engine refused (state, role, department, missing reason …).
    Refused(Refusal),
    /// Someone changed it since the form was rendered: who (a display name, or `None` for the system) and when.
    Conflict {
        by: Option<String>,
        at: String,
    },
}

/// One system transition the engine chose after an action.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub step: String,
    pub transition: TaskTransition,
}

/// What the system does after an action left `case` and `tasks` as they are: end every waiting task that can
/// never start (its input was refused; repeated, since ending one may strand the next), and, once the case is
/// accepted, start every waiting task whose inputs exist. `tasks` is updated in place. Pure.
pub fn follow_ups(
    case: &CaseState,
    tasks: &mut [Task],
    today: Date,
    calendar: &Calendar,
) -> Vec<FollowUp> {
    let mut done = Vec::new();
    loop {
        let mut moved = false;
        let stranded_now = stranded(tasks)
            .into_iter()
            .map(|(id, _)| (id, TaskAction::Skip));
        let ready_now = case
            .accepted_since()
            .map(|_| ready(tasks))
            .unwrap_or_default()
            .into_iter()
            .map(|id| (id, TaskAction::Start));
        let planned: Vec<(String, TaskAction)> = stranded_now.chain(ready_now).collect();
        for (step, action) in planned {
            let Some(i) = tasks.iter().position(|t| t.id == step) else {
                continue;
            };
            let ctx = TaskContext {
                today,
                calendar,
                case,
                is_owner: false,
                tasks,
            };
            match tasks[i].apply(&action, &Actor::System, &ctx) {
                Ok(transition) => {
                    tasks[i] = transition.next.clone();
                    done.push(FollowUp { step, transition });
                    moved = true;
                }
                Err(refusal) => {
                    tracing::warn!(step = %step, ?refusal, "the system could not move a task");
                }
            }
        }
        if !moved {
            return done;
        }
    }
}

/// The last day a 容缺 promise may name: the latest committed due date of the case's tasks were they all started
/// today (the promise must never run beyond the committed limit); 20 working days when no task has a limit.
pub fn promise_latest(tasks: &[Task], today: Date, calendar: &Calendar) -> Date {
    let started = Clock {
        started_on: Some(today),
        ..Clock::default()
    };
    tasks
        .iter()
        .filter_map(|t| started.due(&t.committed, calendar))
        .max()
        .unwrap_or_else(|| calendar.add_working_days(today, 20))
}

enum Main {
    Case {
        state: CaseState,
        entry: String,
        action: &'static str,
        from: &'static str,
        to: &'static str,
    },
    Task {
        row: usize,
        entry: String,
        action: &'static str,
        from: &'static str,
        to: &'static str,
    },
}

/// Applies one action as `acting`, given the version the actor saw (`expected`), on `today`.
pub async fn act(
    db: &Db,
    catalog: &Catalog,
    number: &str,
    expected: i64,
    target: Target,
    acting: &Acting<'_>,
    today: Date,
) -> Result<Outcome, DbError> {
    let Some(case) = cases::by_number(db, number).await? else {
        return Ok(Outcome::NotFound);
    };
    let rows = cases::tasks(db, case.id).await?;
    let calendar = catalog.calendar();
    // The owner, or the agent who filed the case while the owner's consent lets them hand in corrections (代办).
    let is_owner = match (acting.account_id, acting.actor.role()) {
        (Some(account), Some(role)) => {
            super::consent::acts_as_owner(db, &case, account, role, today).await?
        }
        _ => false,
    };
    let mut tasks: Vec<Task> = rows.iter().map(|r| r.task.clone()).collect();
    let mut case_state = case.state.clone();
    let refused = |refusal: Refusal, what: &str| {
        tracing::warn!(
            case = %number,
            what,
            role = acting.role_code(),
            refusal = %serde_json::to_string(&refusal).unwrap_or_default(),
            "refused an action"
        );
        Ok(Outcome::Refused(refusal))
    };
    let main = match &target {
        Target::Case(action) => {
            if expected != case.version {
                return conflict(db, case.id, None).await;
            }
            let ctx = CaseContext {
                today,
                calendar,
                is_owner,
                tasks: &tasks,
            };
            let transition = match case.state.apply(action, &acting.actor, &ctx) {
                Ok(t) => t,
                Err(r) => return refused(r, action.kind().code()),
            };
            case_state = transition.next.clone();
            Main::Case {
                state: transition.next,
                entry: serde_json::to_string(&transition.entry).unwrap_or_default(),
                action: action.kind().code(),
                from: transition.entry.from.code(),
                to: transition.entry.to.code(),
            }
        }
        Target::Task { step, action } => {
            let Some(i) = rows.iter().position(|r| &r.task.id == step) else {
                return Ok(Outcome::NotFound);
            };
            if expected != rows[i].version {
                return conflict(db, case.id, Some(rows[i].id)).await;
            }
            let ctx = TaskContext {
                today,
                calendar,
                case: &case.state,
                is_owner,
                tasks: &tasks,
            };
            let transition = match tasks[i].apply(action, &acting.actor, &ctx) {
                Ok(t) => t,
                Err(r) => return refused(r, action.kind().code()),
            };
            tasks[i] = transition.next.clone();
            Main::Task {
                row: i,
                entry: serde_json::to_string(&transition.entry).unwrap_or_default(),
                action: action.kind().code(),
                from: transition.entry.from.code(),
                to: transition.entry.to.code(),
            }
        }
    };
    let follow = follow_ups(&case_state, &mut tasks, today, calendar);
    let notice = Notice {
        case_number: case.number.clone(),
        change: match &main {
            Main::Case { action, to, .. } => Change::Case {
                action: (*action).to_owned(),
                to: (*to).to_owned(),
            },
            Main::Task {
                row, action, to, ..
            } => Change::Task {
                item: tasks[*row].item.clone(),
                action: (*action).to_owned(),
                to: (*to).to_owned(),
            },
        },
        follow_ups: follow
            .iter()
            .map(|f| TaskMove {
                item: f.transition.next.item.clone(),
                to: f.transition.entry.to.code().to_owned(),
            })
            .collect(),
    };
    let contacts = notifications::contacts_of(db, &case).await?;
    let at = stamp(now());
    let mut tx = db.pool.begin().await?;
    // The guarded write comes first (see the module documentation).
    let (written, task_id, event) = match &main {
        Main::Case {
            state,
            entry,
            action,
            from,
            to,
        } => {
            let n = sqlx::query(
                "UPDATE hall_case SET state = $1, status = $2, version = version + 1, updated_at = $3, \
                 window_due = $6 WHERE id = $4 AND version = $5",
            )
            .bind(serde_json::to_string(state).unwrap_or_default())
            .bind(state.status().code())
            .bind(&at)
            .bind(case.id)
            .bind(expected)
            .bind(state.window_due(calendar).map(|d| d.to_string()))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            (n, None, (*action, *from, *to, entry.clone()))
        }
        Main::Task {
            row,
            entry,
            action,
            from,
            to,
        } => {
            let n = update_task(
                &mut tx,
                rows[*row].id,
                &tasks[*row],
                expected,
                &at,
                calendar,
            )
            .await?;
            (n, Some(rows[*row].id), (*action, *from, *to, entry.clone()))
        }
    };
    if written == 0 {
        tx.rollback().await?;
        return conflict(db, case.id, task_id).await;
    }
    insert_event(
        &mut tx,
        case.id,
        task_id,
        &at,
        acting,
        event.0,
        Some(event.1),
        event.2,
        &event.3,
    )
    .await?;
    // The departments' systems hear of every task transition in the same transaction (webhook outbox).
    if let Main::Task { row, .. } = &main {
        let change = webhooks::TaskChange {
            case_id: case.id,
            case_number: &case.number,
            task_id: rows[*row].id,
            task: &tasks[*row],
            version: expected + 1,
            action: event.0,
            from: event.1,
            to: event.2,
            acting,
        };
        webhooks::enqueue(&mut tx, &change).await?;
    }
    for f in &follow {
        let Some(row) = rows.iter().find(|r| r.task.id == f.step) else {
            continue;
        };
        let n = update_task(
            &mut tx,
            row.id,
            &f.transition.next,
            row.version,
            &at,
            calendar,
        )
        .await?;
        if n == 0 {
            tx.rollback().await?;
            return conflict(db, case.id, Some(row.id)).await;
        }
        let entry = serde_json::to_string(&f.transition.entry).unwrap_or_default();
        let change = webhooks::TaskChange {
            case_id: case.id,
            case_number: &case.number,
            task_id: row.id,
            task: &f.transition.next,
            version: row.version + 1,
            action: f.transition.entry.action.kind().code(),
            from: f.transition.entry.from.code(),
            to: f.transition.entry.to.code(),
            acting: &Acting::system(),
        };
        webhooks::enqueue(&mut tx, &change).await?;
        insert_event(
            &mut tx,
            case.id,
            Some(row.id),
            &at,
            &Acting::system(),
            f.transition.entry.action.kind().code(),
            Some(f.transition.entry.from.code()),
            f.transition.entry.to.code(),
            &entry,
        )
        .await?;
    }
    // The applicant hears of the change in the same transaction: no notification for a change that rolled back.
    notifications::record(&mut tx, case.id, case.account_id, &notice, &contacts, &at).await?;
    tx.commit().await?;
    db.changed(Changed::Case(case.id));
    Ok(Outcome::Done)
}

async fn update_task(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    task: &Task,
    expected: i64,
    at: &str,
    calendar: &Calendar,
) -> Result<u64, DbError> {
    // The supervision figures travel with the state, so dashboards aggregate columns (migration 0007).
    let figures = crate::domain::performance::TaskFigures::of(task, calendar);
    Ok(sqlx::query(
        "UPDATE case_task SET task = $1, status = $2, committed_due = $3, statutory_due = $4, \
         version = version + 1, updated_at = $5, due_on = $8, ended_on = $9, handled_days = $10, \
         committed_days = $11, extended = $12, paused_days = $13 WHERE id = $6 AND version = $7",
    )
    .bind(serde_json::to_string(task).unwrap_or_default())
    .bind(task.status().code())
    .bind(task.committed_due(calendar).map(|d| d.to_string()))
    .bind(task.statutory_due(calendar).map(|d| d.to_string()))
    .bind(at)
    .bind(id)
    .bind(expected)
    .bind(figures.due_on.map(|d| d.to_string()))
    .bind(figures.ended_on.map(|d| d.to_string()))
    .bind(figures.handled_days.map(i64::from))
    .bind(figures.committed_days.map(i64::from))
    .bind(i64::from(figures.extended))
    .bind(i64::from(task.clock.paused_days))
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

#[allow(clippy::too_many_arguments)]
async fn insert_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    case_id: i64,
    task_id: Option<i64>,
    at: &str,
    acting: &Acting<'_>,
    action: &str,
    from: Option<&str>,
    to: &str,
    entry: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO case_event (case_id, task_id, at, actor_account, actor_role, address, action, from_status, \
         to_status, entry, api_token_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(case_id)
    .bind(task_id)
    .bind(at)
    .bind(acting.account_id)
    .bind(acting.role_code())
    .bind(acting.address)
    .bind(action)
    .bind(from)
    .bind(to)
    .bind(entry)
    .bind(acting.api_token)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The conflict answer: who changed the case (or the task) last, and when.
async fn conflict(db: &Db, case_id: i64, task_id: Option<i64>) -> Result<Outcome, DbError> {
    let (by, at) = last_change(db, case_id, task_id).await?;
    tracing::warn!(
        case_id,
        ?task_id,
        "stale version: the action lost to an earlier change"
    );
    Ok(Outcome::Conflict { by, at })
}

/// Who made the last change to a case (`task_id` `None`: a case-level entry) or a task, and when.
pub async fn last_change(
    db: &Db,
    case_id: i64,
    task_id: Option<i64>,
) -> Result<(Option<String>, String), DbError> {
    // A change made through the department API names the token: "API · <name>".
    let sql_case = "SELECT e.at, COALESCE(a.display_name, 'API · ' || t.name) FROM case_event e \
                    LEFT JOIN account a ON a.id = e.actor_account LEFT JOIN api_token t ON t.id = e.api_token_id \
                    WHERE e.case_id = $1 AND e.task_id IS NULL ORDER BY e.id DESC LIMIT 1";
    let sql_task = "SELECT e.at, COALESCE(a.display_name, 'API · ' || t.name) FROM case_event e \
                    LEFT JOIN account a ON a.id = e.actor_account LEFT JOIN api_token t ON t.id = e.api_token_id \
                    WHERE e.case_id = $1 AND e.task_id = $2 ORDER BY e.id DESC LIMIT 1";
    let row: Option<(String, Option<String>)> = match task_id {
        None => {
            sqlx::query_as(sql_case)
                .bind(case_id)
                .fetch_optional(&db.pool)
                .await?
        }
        Some(t) => {
            sqlx::query_as(sql_task)
                .bind(case_id)
                .bind(t)
                .fetch_optional(&db.pool)
                .await?
        }
    };
    Ok(row.map_or((None, String::new()), |(at, by)| (by, at)))
}

/// 行政许可法 art. 32, applied lazily: a case still waiting for the window after five working days counts as
/// accepted (and its ready tasks start). Idempotent: a case already moved, or moved concurrently, is left alone.
/// Returns whether this call deemed it.
pub async fn deem_if_due(
    db: &Db,
    catalog: &Catalog,
    case: &CaseRow,
    today: Date,
) -> Result<bool, DbError> {
    let CaseState::Submitted { on } = case.state else {
        return Ok(false);
    };
    if !deemed_accepted(on, today, catalog.calendar()) {
        return Ok(false);
    }
    let outcome = act(
        db,
        catalog,
        &case.number,
        case.version,
        Target::Case(CaseAction::DeemAccept),
        &Acting::system(),
        today,
    )
    .await?;
    Ok(outcome == Outcome::Done)
}

/// The submitted cases that may be due to be deemed accepted: those submitted before `$1`, the first day not yet
/// due. Ordered by the index's own columns: ORDER BY id alone made SQLite walk every submitted case by (status, id)
/// and filter the dates (3 ms at a million cases with nothing due). `server explain-scale` prints its plan.
pub const MAYBE_DUE_TO_DEEM: &str =
    "SELECT number FROM hall_case WHERE status = 'submitted' AND submitted_at < $1 ORDER BY submitted_at, id";

/// Deems every submitted case that is due (for listings and a periodic sweep); returns how many.
pub async fn deem_all_due(db: &Db, catalog: &Catalog, today: Date) -> Result<usize, DbError> {
    // Only cases submitted before the first day not yet due can be due (a resubmitted case's day is later than its
    // `submitted_at`, so this is a superset; `deem_if_due` decides): an index range on (status, submitted_at), not
    // every case waiting for the window.
    let calendar = catalog.calendar();
    let mut first_not_due = today;
    for _ in 0..400 {
        let Some(before) = first_not_due.previous_day() else {
            break;
        };
        if deemed_accepted(before, today, calendar) {
            break;
        }
        first_not_due = before;
    }
    let numbers: Vec<String> = sqlx::query_scalar(MAYBE_DUE_TO_DEEM)
        .bind(first_not_due.to_string())
        .fetch_all(&db.pool)
        .await?;
    let mut deemed = 0;
    for number in numbers {
        if let Some(case) = cases::by_number(db, &number).await? {
            if deem_if_due(db, catalog, &case, today).await? {
                deemed += 1;
            }
        }
    }
    Ok(deemed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case_flow::{TaskKind, TaskState, TaskStatus};
    use crate::domain::item::{Limit, LimitKind};
    use time::macros::date;

    fn task(id: &str, after: &[&str]) -> Task {
        Task {
            id: id.into(),
            item: format!("item-{id}"),
            department: "samr".into(),
            kind: TaskKind::Department,
            after: after.iter().map(|s| s.to_string()).collect(),
            statutory: Limit::new(LimitKind::WorkingDays(20)),
            committed: Limit::new(LimitKind::WorkingDays(5)),
            state: TaskState::Waiting,
            clock: Clock::default(),
        }
    }

    fn calendar() -> Calendar {
        Calendar::default()
    }

    const MON: Date = date!(2026 - 11 - 23);

    #[test]
    fn nothing_starts_before_the_case_is_accepted() {
        let mut tasks = vec![task("a", &[]), task("b", &["a"])];
        let case = CaseState::Submitted { on: MON };
        assert!(follow_ups(&case, &mut tasks, MON, &calendar()).is_empty());
        assert_eq!(tasks[0].status(), TaskStatus::Waiting);
    }

    #[test]
    fn acceptance_starts_the_tasks_without_inputs_only() {
        let mut tasks = vec![task("a", &[]), task("b", &["a"]), task("c", &[])];
        let case = CaseState::Accepted {
            since: MON,
            deemed: false,
        };
        let done = follow_ups(&case, &mut tasks, MON, &calendar());
        let started: Vec<_> = done.iter().map(|f| f.step.as_str()).collect();
        assert_eq!(started, ["a", "c"]);
        assert!(done
            .iter()
            .all(|f| f.transition.entry.actor == Actor::System));
        assert_eq!(tasks[1].status(), TaskStatus::Waiting);
    }

    #[test]
    fn an_approval_unlocks_what_waited_for_it() {
        let case = CaseState::Accepted {
            since: MON,
            deemed: false,
        };
        let mut tasks = vec![task("a", &[]), task("b", &["a"]), task("c", &["a", "b"])];
        follow_ups(&case, &mut tasks, MON, &calendar());
        tasks[0].state = TaskState::Approved;
        tasks[0].clock.stopped_on = Some(MON);
        let expected = crate::domain::case_flow::unlocked(&tasks, "a");
        let done = follow_ups(&case, &mut tasks, MON, &calendar());
        let started: Vec<_> = done.iter().map(|f| f.step.clone()).collect();
        assert_eq!(started, expected);
        assert_eq!(started, ["b"]);
        assert_eq!(
            tasks[2].status(),
            TaskStatus::Waiting,
            "c still waits for b"
        );
    }

    #[test]
    fn a_refusal_ends_the_chain_that_needed_it() {
        let case = CaseState::Accepted {
            since: MON,
            deemed: false,
        };
        let mut tasks = vec![task("a", &[]), task("b", &["a"]), task("c", &["b"])];
        follow_ups(&case, &mut tasks, MON, &calendar());
        tasks[0].state = TaskState::Refused { reason: "x".into() };
        let done = follow_ups(&case, &mut tasks, MON, &calendar());
        let skipped: Vec<_> = done.iter().map(|f| f.step.as_str()).collect();
        assert_eq!(skipped, ["b", "c"]);
        assert!(tasks[1..]
            .iter()
            .all(|t| t.status() == TaskStatus::NotNeeded));
        assert!(
            follow_ups(&case, &mut tasks, MON, &calendar()).is_empty(),
            "idempotent"
        );
    }

    #[test]
    fn the_promise_may_run_to_the_latest_committed_date() {
        let tasks = vec![task("a", &[])];
        let latest = promise_latest(&tasks, MON, &calendar());
        assert!(latest > MON);
        assert_eq!(latest, calendar().add_working_days(MON, 5).max(latest));
    }
}
