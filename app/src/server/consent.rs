//! 授权委托 in the database: an agent asks a resident for consent, the resident approves, declines or revokes it
//! from their own account, and every change is written with its `consent_audit` row in one transaction (the audit
//! is append-only: triggers refuse changes). The access checks of agent filing ask [`agent_allows`]; the rules
//! themselves are the domain's (`domain::consent`).

use time::Date;

use super::cases::CaseRow;
use super::db::{Db, DbError};
use crate::domain::consent::{
    decide as decide_status, parse_request, Consent, ConsentStatus, Decision, Field, Invalid,
    Method, Problem, RequestForm, Scope,
};
use crate::domain::Role;

/// A stored consent with the names the pages show.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsentRow {
    pub id: i64,
    pub agent_id: i64,
    pub agent_name: String,
    pub resident_account_id: i64,
    pub resident_name: String,
    pub resident_id_masked: String,
    pub theme_id: String,
    pub method: String,
    pub consent: Consent,
    /// Unix seconds.
    pub created_at: i64,
}

/// One line of a consent's audit: Unix seconds, the actor's name and role, the action.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub at: i64,
    pub actor_name: String,
    pub actor_role: String,
    pub action: String,
}

/// Why a request was not stored.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestRefused {
    /// Problems with the fields, in field order.
    Fields(Vec<(Field, Problem)>),
    /// No citizen account has this resident ID, name and mobile number together (the same answer whichever of
    /// the three differs, so the form cannot be used to probe accounts).
    NoSuchResident,
}

/// Why a decision was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecideRefused {
    /// No such consent for this resident.
    NotFound,
    Invalid(Invalid),
}

pub fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

const SELECT: &str =
    "SELECT c.id, c.agent_id, a.display_name, c.resident_account_id, c.resident_name, \
     c.resident_id_masked, c.theme_id, c.scope, c.valid_until, c.method, c.status, c.created_at \
     FROM consent c JOIN account a ON a.id = c.agent_id";

type Raw = (
    i64,
    i64,
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
);

fn row_of(raw: Raw) -> Option<ConsentRow> {
    let (
        id,
        agent_id,
        agent_name,
        resident_account_id,
        resident_name,
        resident_id_masked,
        theme_id,
        scope,
        valid_until,
        method,
        status,
        created_at,
    ) = raw;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Some(ConsentRow {
        id,
        agent_id,
        agent_name,
        resident_account_id,
        resident_name,
        resident_id_masked,
        consent: Consent {
            theme: theme_id.clone(),
            scopes: Scope::split(&scope),
            valid_until: Date::parse(&valid_until, &format).ok()?,
            status: ConsentStatus::from_code(&status)?,
        },
        theme_id,
        method,
        created_at,
    })
}

async fn select(db: &Db, condition: &'static str, id: i64) -> Result<Vec<ConsentRow>, DbError> {
    let rows: Vec<Raw> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE {condition} ORDER BY c.id DESC"
    )))
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().filter_map(row_of).collect())
}

pub async fn load(db: &Db, id: i64) -> Result<Option<ConsentRow>, DbError> {
    Ok(select(db, "c.id = $1", id).await?.into_iter().next())
}

/// The consents an agent asked for, newest first.
pub async fn of_agent(db: &Db, agent_id: i64) -> Result<Vec<ConsentRow>, DbError> {
    select(db, "c.agent_id = $1", agent_id).await
}

/// The consents asked of a resident, newest first.
pub async fn of_resident(db: &Db, resident_account_id: i64) -> Result<Vec<ConsentRow>, DbError> {
    select(db, "c.resident_account_id = $1", resident_account_id).await
}

/// A consent's audit, oldest first.
pub async fn audit(db: &Db, consent_id: i64) -> Result<Vec<AuditRow>, DbError> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT u.at, a.display_name, u.actor_role, u.action FROM consent_audit u \
         JOIN account a ON a.id = u.actor_id WHERE u.consent_id = $1 ORDER BY u.id",
    )
    .bind(consent_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, actor_name, actor_role, action)| AuditRow {
            at,
            actor_name,
            actor_role,
            action,
        })
        .collect())
}

async fn write_audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    consent_id: i64,
    actor_id: i64,
    role: Role,
    action: &str,
    address: Option<&str>,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO consent_audit (consent_id, at, actor_id, actor_role, action, address) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(consent_id)
    .bind(unix_now())
    .bind(actor_id)
    .bind(role.code())
    .bind(action)
    .bind(address)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An agent asks a resident for consent: the resident is the citizen account with this resident ID, name and
/// mobile number. Stored as pending with its audit row; returns the consent's id.
pub async fn request(
    db: &Db,
    catalog: &crate::domain::Catalog,
    agent_id: i64,
    form: &RequestForm,
    today: Date,
    address: Option<&str>,
) -> Result<Result<i64, RequestRefused>, DbError> {
    let known = |t: &str| catalog.theme(t).is_some_and(|t| !t.historical);
    let parsed = match parse_request(form, known, today) {
        Ok(p) => p,
        Err(problems) => return Ok(Err(RequestRefused::Fields(problems))),
    };
    let resident: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, display_name FROM account WHERE mobile = $1 AND resident_id = $2 AND role = 'citizen' \
         AND disabled_at IS NULL",
    )
    .bind(parsed.mobile.as_str())
    .bind(parsed.resident_id.as_str())
    .fetch_optional(&db.pool)
    .await?;
    let Some((resident, _)) = resident.filter(|(_, name)| name.trim() == parsed.resident_name)
    else {
        tracing::info!(
            agent = agent_id,
            "refused a consent request: no matching resident account"
        );
        return Ok(Err(RequestRefused::NoSuchResident));
    };
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO consent (agent_id, resident_account_id, resident_name, resident_id_masked, theme_id, scope, \
         valid_until, method, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9) RETURNING id",
    )
    .bind(agent_id)
    .bind(resident)
    .bind(&parsed.resident_name)
    .bind(parsed.resident_id.masked())
    .bind(&parsed.theme)
    .bind(Scope::join(&parsed.scopes))
    .bind(parsed.valid_until.to_string())
    .bind(Method::Account.code())
    .bind(unix_now())
    .fetch_one(&mut *tx)
    .await?;
    write_audit(&mut tx, id, agent_id, Role::Agent, "requested", address).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// The resident approves, declines or revokes one of their consents. The update is guarded by the status it
/// was read with, so two answers at once cannot both win; the audit row is in the same transaction.
pub async fn decide(
    db: &Db,
    resident_id: i64,
    consent_id: i64,
    decision: Decision,
    address: Option<&str>,
) -> Result<Result<ConsentStatus, DecideRefused>, DbError> {
    let Some(row) = load(db, consent_id)
        .await?
        .filter(|r| r.resident_account_id == resident_id)
    else {
        tracing::warn!(
            consent = consent_id,
            account = resident_id,
            "refused a decision on a consent not the resident's"
        );
        return Ok(Err(DecideRefused::NotFound));
    };
    let next = match decide_status(row.consent.status, decision) {
        Ok(s) => s,
        Err(e) => return Ok(Err(DecideRefused::Invalid(e))),
    };
    let now = unix_now();
    let mut tx = db.begin_write().await?;
    let column = if decision == Decision::Revoke {
        "revoked_at"
    } else {
        "decided_at"
    };
    let n = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE consent SET status = $1, {column} = $2 WHERE id = $3 AND status = $4"
    )))
    .bind(next.code())
    .bind(now)
    .bind(consent_id)
    .bind(row.consent.status.code())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        tx.rollback().await?;
        return Ok(Err(DecideRefused::Invalid(Invalid::WrongStatus)));
    }
    write_audit(
        &mut tx,
        consent_id,
        resident_id,
        Role::Citizen,
        decision.code(),
        address,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(next))
}

/// The agent who filed a case, if one did: (account id, display name).
pub async fn filed_by(db: &Db, case: &CaseRow) -> Result<Option<(i64, String)>, DbError> {
    let Some(agent) = case.filed_by_agent else {
        return Ok(None);
    };
    Ok(
        sqlx::query_as("SELECT id, display_name FROM account WHERE id = $1")
            .bind(agent)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// Whether `agent_id` may do `scope` on this case today: it filed the case, and a consent of the case's owner to
/// this agent for the case's theme allows it now (approved, not revoked, not past its last day).
pub async fn agent_allows(
    db: &Db,
    case: &CaseRow,
    agent_id: i64,
    scope: Scope,
    today: Date,
) -> Result<bool, DbError> {
    let Some(owner) = case.account_id else {
        return Ok(false);
    };
    if case.filed_by_agent != Some(agent_id) {
        return Ok(false);
    }
    Ok(of_agent(db, agent_id).await?.iter().any(|c| {
        c.resident_account_id == owner && c.consent.allows(scope, &case.theme_id, today).is_ok()
    }))
}

/// Whether `account` acts as the case's owner: the owner, or the agent who filed it while the owner's consent
/// lets them hand in corrections.
pub async fn acts_as_owner(
    db: &Db,
    case: &CaseRow,
    account: i64,
    role: Role,
    today: Date,
) -> Result<bool, DbError> {
    if case.account_id == Some(account) {
        return Ok(true);
    }
    if role != Role::Agent {
        return Ok(false);
    }
    agent_allows(db, case, account, Scope::Corrections, today).await
}

/// The cases an agent filed and may still follow, newest first: (number, theme id, status code, submitted at).
pub async fn cases_filed_by(
    db: &Db,
    agent_id: i64,
    today: Date,
) -> Result<Vec<(String, String, String, String)>, DbError> {
    let rows: Vec<(String, String, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT number, theme_id, status, submitted_at, account_id FROM hall_case WHERE filed_by_agent = $1 \
         ORDER BY id DESC",
    )
    .bind(agent_id)
    .fetch_all(&db.pool)
    .await?;
    let consents = of_agent(db, agent_id).await?;
    Ok(rows
        .into_iter()
        .filter(|(_, theme, _, _, owner)| {
            consents.iter().any(|c| {
                Some(c.resident_account_id) == *owner
                    && c.consent.allows(Scope::Follow, theme, today).is_ok()
            })
        })
        .map(|(n, t, s, at, _)| (n, t, s, at))
        .collect())
}

/// The agent's consents that let them file `theme` today.
pub async fn usable_for_filing(
    db: &Db,
    agent_id: i64,
    theme: &str,
    today: Date,
) -> Result<Vec<ConsentRow>, DbError> {
    Ok(of_agent(db, agent_id)
        .await?
        .into_iter()
        .filter(|c| c.consent.allows(Scope::File, theme, today).is_ok())
        .collect())
}

/// The agent-filed cases an account owns or filed: (case number, agent's name, resident's name).
pub async fn case_people(db: &Db, account: i64) -> Result<Vec<(String, String, String)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT c.number, g.display_name, r.display_name FROM hall_case c \
         JOIN account g ON g.id = c.filed_by_agent JOIN account r ON r.id = c.account_id \
         WHERE c.account_id = $1 OR c.filed_by_agent = $1",
    )
    .bind(account)
    .fetch_all(&db.pool)
    .await?)
}
