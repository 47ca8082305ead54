//! Cases (办件): submission of a draft as one case with one task per applicable step, and reading a case back.
//! Staff actions go through the domain's state machines (`domain::case_flow`) and are stored with their history.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::db::{Db, DbError};
use super::drafts::{now, stamp};
use super::memo::Changed;
use super::tokens::readable_code;
use crate::domain::case_flow::{CaseState, Task};
use crate::domain::notify::{Change, Notice};
use crate::domain::roadmap::Roadmap;
use crate::domain::Catalog;

/// Everything a submission stores.
pub struct NewCase<'a> {
    pub draft_id: &'a str,
    pub theme_id: &'a str,
    pub account_id: Option<i64>,
    pub answers: &'a str,
    pub fields: &'a BTreeMap<String, String>,
    pub roadmap: &'a Roadmap,
    pub actor_role: &'a str,
    pub address: Option<&'a str>,
}

/// The case number: the submission day and the case's row id (`20261125-000042`). Unique because the id is; the
/// number reveals nothing — opening a case needs the owner's session or the printed lookup code.
fn case_number(day: time::Date, id: i64) -> String {
    format!(
        "{:04}{:02}{:02}-{id:06}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

/// 代办: the agent who files a case for its owner (`NewCase::account_id`, the resident), under which consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentFiling {
    pub agent_id: i64,
    pub consent_id: i64,
}

/// Submits a draft as one case, once: a repeated submission (a double tap, a retry after a lost response) returns
/// the number of the case the first one created. Returns the case number.
pub async fn submit(db: &Db, catalog: &Catalog, new: NewCase<'_>) -> Result<String, DbError> {
    submit_as(db, catalog, new, None).await
}

/// [`submit`], by an agent for the case's owner when `agent` is given: the agent is recorded on the case and as
/// the actor of its first history entry.
pub async fn submit_as(
    db: &Db,
    catalog: &Catalog,
    new: NewCase<'_>,
    agent: Option<AgentFiling>,
) -> Result<String, DbError> {
    if let Some(number) = number_for_draft(db, new.draft_id).await? {
        return Ok(number);
    }
    match insert(db, catalog, &new, agent).await {
        Ok(number) => Ok(number),
        // A concurrent submission of the same draft won the UNIQUE (draft_id) race: answer with its case.
        Err(e) => match number_for_draft(db, new.draft_id).await? {
            Some(number) => Ok(number),
            None => Err(e),
        },
    }
}

pub async fn number_for_draft(db: &Db, draft_id: &str) -> Result<Option<String>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT number FROM hall_case WHERE draft_id = $1")
            .bind(draft_id)
            .fetch_optional(&db.pool)
            .await?,
    )
}

async fn insert(
    db: &Db,
    catalog: &Catalog,
    new: &NewCase<'_>,
    agent: Option<AgentFiling>,
) -> Result<String, DbError> {
    let now = now();
    let today = super::clock::local_date(now);
    let at = stamp(now);
    let state = CaseState::Submitted { on: today };
    let contacts = super::notifications::contacts(db, new.account_id, new.fields).await?;
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO hall_case (number, lookup_code, draft_id, theme_id, account_id, answers, fields, state, status, \
         submitted_at, updated_at, window_due) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id",
    )
    .bind(format!("pending-{}", new.draft_id))
    .bind(readable_code(8))
    .bind(new.draft_id)
    .bind(new.theme_id)
    .bind(new.account_id)
    .bind(new.answers)
    .bind(serde_json::to_string(new.fields).unwrap_or_else(|_| "{}".into()))
    .bind(serde_json::to_string(&state).unwrap_or_default())
    .bind(state.status().code())
    .bind(&at)
    .bind(
        state
            .window_due(catalog.calendar())
            .map(|d| d.to_string()),
    )
    .fetch_one(&mut *tx)
    .await?;
    let number = case_number(today, id);
    sqlx::query(
        "UPDATE hall_case SET number = $1, filed_by_agent = $3, consent_id = $4 WHERE id = $2",
    )
    .bind(&number)
    .bind(id)
    .bind(agent.map(|a| a.agent_id))
    .bind(agent.map(|a| a.consent_id))
    .execute(&mut *tx)
    .await?;
    let plan = new.roadmap.schedule(today, catalog.calendar());
    for (position, step) in new.roadmap.steps.iter().enumerate() {
        let kind = catalog
            .item(&step.item)
            .map_or(crate::domain::item::ItemKind::Other, |i| i.kind);
        let task = Task::new(step, kind);
        let planned = plan
            .iter()
            .find(|p| p.id == step.id)
            .map(|p| p.due.to_string());
        sqlx::query(
            "INSERT INTO case_task (case_id, step_id, position, item_id, department_id, kind, task, status, \
             planned_due, updated_at, theme_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id)
        .bind(&task.id)
        .bind(position as i64 + 1)
        .bind(&task.item)
        .bind(&task.department)
        .bind(task.kind.code())
        .bind(serde_json::to_string(&task).unwrap_or_default())
        .bind(task.status().code())
        .bind(planned)
        .bind(&at)
        .bind(new.theme_id)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO case_event (case_id, at, actor_account, actor_role, address, action, to_status, entry) \
         VALUES ($1, $2, $3, $4, $5, 'submit', $6, '{}')",
    )
    .bind(id)
    .bind(&at)
    .bind(agent.map(|a| a.agent_id).or(new.account_id))
    .bind(new.actor_role)
    .bind(new.address)
    .bind(state.status().code())
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE draft SET case_id = $1 WHERE id = $2")
        .bind(id)
        .bind(new.draft_id)
        .execute(&mut *tx)
        .await?;
    let notice = Notice {
        case_number: number.clone(),
        change: Change::Submitted,
        follow_ups: Vec::new(),
    };
    super::notifications::record(&mut tx, id, new.account_id, &notice, &contacts, &at).await?;
    tx.commit().await?;
    db.changed(Changed::Case(id));
    Ok(number)
}

/// A stored case.
#[derive(Debug, Clone)]
pub struct CaseRow {
    pub id: i64,
    pub number: String,
    pub lookup_code: String,
    pub draft_id: String,
    pub theme_id: String,
    pub account_id: Option<i64>,
    pub answers: String,
    pub fields: BTreeMap<String, String>,
    pub state: CaseState,
    pub version: i64,
    pub submitted_at: String,
    /// 代办: the agent's account that filed the case for its owner.
    pub filed_by_agent: Option<i64>,
}

/// A stored task.
#[derive(Debug, Clone)]
pub struct TaskRow {
    pub id: i64,
    pub position: i64,
    pub task: Task,
    pub planned_due: Option<String>,
    pub version: i64,
}

/// A history entry as stored.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub task_id: Option<i64>,
    pub at: String,
    pub actor_role: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub entry: String,
}

pub async fn by_number(db: &Db, number: &str) -> Result<Option<CaseRow>, DbError> {
    #[allow(clippy::type_complexity)]
    let row: Option<(
        i64,
        String,
        String,
        String,
        String,
        Option<i64>,
        String,
        String,
        String,
        i64,
        String,
        Option<i64>,
    )> = sqlx::query_as(
            "SELECT id, number, lookup_code, draft_id, theme_id, account_id, answers, fields, state, version, \
             submitted_at, filed_by_agent FROM hall_case WHERE number = $1",
        )
        .bind(number)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.and_then(
        |(
            id,
            number,
            lookup_code,
            draft_id,
            theme_id,
            account_id,
            answers,
            fields,
            state,
            version,
            submitted_at,
            filed_by_agent,
        )| {
            Some(CaseRow {
                id,
                number,
                lookup_code,
                draft_id,
                theme_id,
                account_id,
                answers,
                fields: serde_json::from_str(&fields).unwrap_or_default(),
                state: serde_json::from_str(&state).ok()?,
                version,
                submitted_at,
                filed_by_agent,
            })
        },
    ))
}

/// A case with everything its page is built from: its tasks, its history, and the agent who filed it.
#[derive(Debug)]
pub struct CaseRows {
    pub case: CaseRow,
    pub tasks: Vec<TaskRow>,
    pub events: Vec<EventRow>,
    /// 代办: the filing agent's account id and display name.
    pub filed_by: Option<(i64, String)>,
}

/// [`CaseRows`] by case number: from memory on SQLite while nothing in them changed (`memo`), else four reads.
pub async fn rows_by_number(db: &Db, number: &str) -> Result<Option<Arc<CaseRows>>, DbError> {
    let memo = db.memo.as_deref().map(|m| &m.cases);
    if let Some(kept) = memo.and_then(|m| m.get(number)) {
        return Ok(Some(kept));
    }
    let stamp = memo.map(|m| m.begin());
    let Some(case) = by_number(db, number).await? else {
        return Ok(None);
    };
    let rows = Arc::new(CaseRows {
        tasks: tasks(db, case.id).await?,
        events: events(db, case.id).await?,
        filed_by: super::consent::filed_by(db, &case).await?,
        case,
    });
    if let (Some(memo), Some(stamp)) = (memo, stamp) {
        let mut from = vec![Changed::Case(rows.case.id)];
        from.extend(
            rows.filed_by
                .as_ref()
                .map(|(agent, _)| Changed::Account(*agent)),
        );
        memo.put(number.to_owned(), rows.clone(), from, stamp);
    }
    Ok(Some(rows))
}

pub async fn tasks(db: &Db, case_id: i64) -> Result<Vec<TaskRow>, DbError> {
    let rows: Vec<(i64, i64, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT id, position, task, planned_due, version FROM case_task WHERE case_id = $1 ORDER BY position",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, position, task, planned_due, version)| {
            Some(TaskRow {
                id,
                position,
                task: serde_json::from_str(&task).ok()?,
                planned_due,
                version,
            })
        })
        .collect())
}

pub async fn events(db: &Db, case_id: i64) -> Result<Vec<EventRow>, DbError> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        Option<i64>,
        String,
        String,
        String,
        Option<String>,
        String,
        String,
    )> = sqlx::query_as(
        "SELECT task_id, at, actor_role, action, from_status, to_status, entry FROM case_event \
         WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(task_id, at, actor_role, action, from_status, to_status, entry)| EventRow {
                task_id,
                at,
                actor_role,
                action,
                from_status,
                to_status,
                entry,
            },
        )
        .collect())
}

/// The cases an account filed, newest first: (number, theme id, status code, submitted at).
pub async fn cases_of(
    db: &Db,
    account_id: i64,
) -> Result<Vec<(String, String, String, String)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT number, theme_id, status, submitted_at FROM hall_case WHERE account_id = $1 ORDER BY id DESC",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_carry_the_day_and_the_id() {
        let day = time::macros::date!(2026 - 11 - 25);
        assert_eq!(case_number(day, 42), "20261125-000042");
        assert_eq!(case_number(day, 1_234_567), "20261125-1234567");
    }
}
