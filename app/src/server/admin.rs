//! Administration on the database: staff accounts (create, role and department, disable, password), API tokens
//! for department systems, and the append-only audit of every administrator's change (`admin_audit`).
//!
//! Each change and its audit row are written in one transaction, so there is no change without its record.

use sqlx::Row;

use super::accounts::hash_password;
use super::db::{Db, DbError};
use super::memo::Changed;
use super::session;
use crate::domain::admin::{self, AdminProblem, NewStaff};
use crate::domain::Role;

/// Who makes a change, for the audit: the administrator's account and name, and the request's address.
#[derive(Clone, Debug)]
pub struct Actor {
    pub id: i64,
    pub name: String,
    pub address: Option<String>,
}

/// One account as the administrators' list and page show it (personal numbers still in the clear: the caller
/// masks them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRow {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub department: Option<String>,
    pub mobile: Option<String>,
    pub resident_id: Option<String>,
    pub created_at: String,
    pub disabled_at: Option<i64>,
}

/// One line of the audit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRow {
    pub at: i64,
    pub actor_name: String,
    pub action: String,
    pub detail: Option<String>,
    pub address: Option<String>,
}

/// One API token (never its secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub department: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// The department system a valid API token stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiClient {
    pub department: String,
    pub token_id: i64,
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;
/// at, actor_name, action, detail, address
type AuditTuple = (i64, String, String, Option<String>, Option<String>);
/// id, name, department_id, prefix, created_at, last_used_at, revoked_at
type TokenTuple = (i64, String, String, String, i64, Option<i64>, Option<i64>);
/// id, department_id, token_hash, revoked_at, last_used_at
type TokenAuthTuple = (i64, String, String, Option<i64>, Option<i64>);

pub(crate) async fn audit(
    tx: &mut Tx,
    actor: &Actor,
    account: Option<i64>,
    token: Option<i64>,
    action: &str,
    detail: Option<String>,
    at: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO admin_audit (at, actor_id, actor_name, target_account_id, target_token_id, action, detail, \
         address) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(at)
    .bind(actor.id)
    .bind(&actor.name)
    .bind(account)
    .bind(token)
    .bind(action)
    .bind(detail)
    .bind(actor.address.as_deref())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn account_row(row: &sqlx::any::AnyRow) -> Result<AccountRow, sqlx::Error> {
    Ok(AccountRow {
        id: row.try_get(0)?,
        login: row.try_get(1)?,
        display_name: row.try_get(2)?,
        role: row.try_get(3)?,
        department: row.try_get(4)?,
        mobile: row.try_get(5)?,
        resident_id: row.try_get(6)?,
        created_at: row.try_get(7)?,
        disabled_at: row.try_get(8)?,
    })
}

/// `%` and `_` typed into the search match themselves.
fn like_pattern(q: &str) -> String {
    let mut out = String::from("%");
    for c in q.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// One page (from 1) of accounts, newest first, optionally of one role and whose login contains `q`; and how
/// many match in all.
pub async fn list_accounts(
    db: &Db,
    role: Option<Role>,
    q: &str,
    page: i64,
) -> Result<(Vec<AccountRow>, i64), DbError> {
    let role = role.map(Role::code).unwrap_or("");
    let pattern = like_pattern(q);
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM account WHERE ($1 = '' OR role = $1) AND LOWER(login) LIKE $2 ESCAPE '\\'",
    )
    .bind(role)
    .bind(&pattern)
    .fetch_one(&db.pool)
    .await?;
    let offset = (page.max(1) - 1) * admin::PAGE_SIZE;
    let rows = sqlx::query(
        "SELECT id, login, display_name, role, department_id, mobile, resident_id, created_at, disabled_at \
         FROM account WHERE ($1 = '' OR role = $1) AND LOWER(login) LIKE $2 ESCAPE '\\' \
         ORDER BY id DESC LIMIT $3 OFFSET $4",
    )
    .bind(role)
    .bind(&pattern)
    .bind(admin::PAGE_SIZE)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    let rows = rows.iter().map(account_row).collect::<Result<_, _>>()?;
    Ok((rows, total))
}

pub async fn account(db: &Db, id: i64) -> Result<Option<AccountRow>, DbError> {
    let row = sqlx::query(
        "SELECT id, login, display_name, role, department_id, mobile, resident_id, created_at, disabled_at \
         FROM account WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.as_ref().map(account_row).transpose()?)
}

/// The audit of one account, newest first.
pub async fn account_audit(db: &Db, account_id: i64) -> Result<Vec<AuditRow>, DbError> {
    let rows: Vec<AuditTuple> = sqlx::query_as(
        "SELECT at, actor_name, action, detail, address FROM admin_audit WHERE target_account_id = $1 \
         ORDER BY id DESC",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, actor_name, action, detail, address)| AuditRow {
            at,
            actor_name,
            action,
            detail,
            address,
        })
        .collect())
}

/// How many sessions an account has now.
pub async fn session_count(db: &Db, account_id: i64) -> Result<i64, DbError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM session WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(&db.pool)
            .await?,
    )
}

/// A password to hand over once: 16 readable characters in groups of four (about 74 bits).
pub fn generated_password() -> String {
    let code = super::tokens::readable_code(16);
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

fn rfc3339_now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn assignment_text(role: &str, department: Option<&str>) -> String {
    match department {
        Some(d) => format!("{role}/{d}"),
        None => role.to_owned(),
    }
}

/// Creates a staff account with `password`; `LoginTaken` when the login (or someone's mobile number) is in use.
pub async fn create_staff(
    db: &Db,
    actor: &Actor,
    staff: &NewStaff,
    password: &str,
    now: i64,
) -> Result<Result<i64, AdminProblem>, DbError> {
    let hash = hash_password(password.to_owned()).await?;
    let mut tx = db.begin_write().await?;
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM account WHERE login = $1 OR mobile = $1 LIMIT 1")
            .bind(&staff.login)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Ok(Err(AdminProblem::LoginTaken));
    }
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO account (login, display_name, role, department_id, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(&staff.login)
    .bind(&staff.display_name)
    .bind(staff.role.code())
    .bind(staff.department.as_deref())
    .bind(hash)
    .bind(rfc3339_now())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return Ok(Err(AdminProblem::LoginTaken));
    };
    let detail = assignment_text(staff.role.code(), staff.department.as_deref());
    audit(
        &mut tx,
        actor,
        Some(id),
        None,
        "create_account",
        Some(detail),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Gives a staff account a role and department (checked by the caller against the catalog). Refuses citizens'
/// and agents' accounts and an administrator demoting themselves. `Ok(Ok(false))`: no such account.
pub async fn assign(
    db: &Db,
    actor: &Actor,
    account_id: i64,
    role: Role,
    department: Option<&str>,
    now: i64,
) -> Result<Result<bool, AdminProblem>, DbError> {
    if let Err(p) = admin::check_self_change(actor.id, account_id, false, Some(role)) {
        return Ok(Err(p));
    }
    let mut tx = db.begin_write().await?;
    let before: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT role, department_id FROM account WHERE id = $1")
            .bind(account_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((old_role, old_department)) = before else {
        return Ok(Ok(false));
    };
    if !Role::from_code(&old_role).is_some_and(Role::is_staff) {
        return Ok(Err(AdminProblem::NotStaffAccount));
    }
    sqlx::query("UPDATE account SET role = $1, department_id = $2 WHERE id = $3")
        .bind(role.code())
        .bind(department)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    let detail = format!(
        "{} → {}",
        assignment_text(&old_role, old_department.as_deref()),
        assignment_text(role.code(), department)
    );
    audit(
        &mut tx,
        actor,
        Some(account_id),
        None,
        "assign",
        Some(detail),
        now,
    )
    .await?;
    // A new role has other rights and another session lifetime: sign in again.
    if old_role != role.code() {
        sqlx::query("DELETE FROM session WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    db.changed(Changed::Account(account_id));
    Ok(Ok(true))
}

/// Disables an account and ends all its sessions at once, or enables it again. Refuses an administrator
/// disabling themselves. `Ok(Ok(false))`: no such account.
pub async fn set_disabled(
    db: &Db,
    actor: &Actor,
    account_id: i64,
    disabled: bool,
    now: i64,
) -> Result<Result<bool, AdminProblem>, DbError> {
    if let Err(p) = admin::check_self_change(actor.id, account_id, disabled, None) {
        return Ok(Err(p));
    }
    let mut tx = db.begin_write().await?;
    let changed = if disabled {
        sqlx::query("UPDATE account SET disabled_at = $1 WHERE id = $2")
            .bind(now)
            .bind(account_id)
            .execute(&mut *tx)
            .await?
    } else {
        sqlx::query("UPDATE account SET disabled_at = NULL WHERE id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?
    };
    if changed.rows_affected() == 0 {
        return Ok(Ok(false));
    }
    let mut detail = None;
    if disabled {
        let ended = sqlx::query("DELETE FROM session WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        detail = Some(format!("sessions ended: {ended}"));
    }
    let action = if disabled { "disable" } else { "enable" };
    audit(&mut tx, actor, Some(account_id), None, action, detail, now).await?;
    tx.commit().await?;
    db.changed(Changed::Account(account_id));
    Ok(Ok(true))
}

/// Sets a new password and ends the account's sessions. `Ok(false)`: no such account.
pub async fn reset_password(
    db: &Db,
    actor: &Actor,
    account_id: i64,
    password: &str,
    now: i64,
) -> Result<bool, DbError> {
    let hash = hash_password(password.to_owned()).await?;
    let mut tx = db.begin_write().await?;
    let changed = sqlx::query("UPDATE account SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(account_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    let ended = sqlx::query("DELETE FROM session WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let detail = Some(format!("sessions ended: {ended}"));
    audit(
        &mut tx,
        actor,
        Some(account_id),
        None,
        "reset_password",
        detail,
        now,
    )
    .await?;
    tx.commit().await?;
    db.changed(Changed::Account(account_id));
    Ok(true)
}

// ------------------------------------------------------------------ API tokens

/// Creates a token for a department's system (the caller checks the name and department); returns its id and
/// the secret, which is stored only as its SHA-256 and must be shown now or never.
pub async fn create_token(
    db: &Db,
    actor: &Actor,
    name: &str,
    department: &str,
    now: i64,
) -> Result<(i64, String), DbError> {
    let secret = admin::token_from_bytes(&super::tokens::random_bytes::<32>());
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_token (name, department_id, prefix, token_hash, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(name)
    .bind(department)
    .bind(admin::token_prefix(&secret))
    .bind(session::session_id(&secret))
    .bind(now)
    .bind(actor.id)
    .fetch_one(&mut *tx)
    .await?;
    let detail = Some(format!("{name} ({department})"));
    audit(&mut tx, actor, None, Some(id), "create_token", detail, now).await?;
    tx.commit().await?;
    Ok((id, secret))
}

/// Revokes a token; `false` if there is none or it was revoked already.
pub async fn revoke_token(
    db: &Db,
    actor: &Actor,
    token_id: i64,
    now: i64,
) -> Result<bool, DbError> {
    let mut tx = db.begin_write().await?;
    let changed =
        sqlx::query("UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(token_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    audit(
        &mut tx,
        actor,
        None,
        Some(token_id),
        "revoke_token",
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Every token, newest first.
pub async fn list_tokens(db: &Db) -> Result<Vec<TokenRow>, DbError> {
    let rows: Vec<TokenTuple> = sqlx::query_as(
        "SELECT id, name, department_id, prefix, created_at, last_used_at, revoked_at FROM api_token \
         ORDER BY id DESC",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, department, prefix, created_at, last_used_at, revoked_at)| TokenRow {
                id,
                name,
                department,
                prefix,
                created_at,
                last_used_at,
                revoked_at,
            },
        )
        .collect())
}

/// Equal byte strings, in time that depends only on their length.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The department system a presented API token stands for, if it is one of ours and not revoked. The secret is
/// never compared: its SHA-256 is looked up (an index probe reveals nothing about the secret), and the stored
/// hash is compared again in constant time. Records the use (at most once a minute).
pub async fn authenticate_api_token(
    db: &Db,
    presented: &str,
) -> Result<Option<ApiClient>, DbError> {
    let presented = presented.trim();
    if !admin::token_well_formed(presented) {
        return Ok(None);
    }
    let hash = session::session_id(presented);
    let row: Option<TokenAuthTuple> = sqlx::query_as(
        "SELECT id, department_id, token_hash, revoked_at, last_used_at FROM api_token WHERE token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&db.pool)
    .await?;
    let Some((token_id, department, stored, revoked_at, last_used_at)) = row else {
        return Ok(None);
    };
    if !constant_time_eq(stored.as_bytes(), hash.as_bytes()) || revoked_at.is_some() {
        return Ok(None);
    }
    let now = session::now();
    if last_used_at.is_none_or(|at| now - at >= 60) {
        sqlx::query("UPDATE api_token SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(token_id)
            .execute(&db.pool)
            .await?;
    }
    Ok(Some(ApiClient {
        department,
        token_id,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_patterns_escape_wildcards() {
        assert_eq!(like_pattern(" Off "), "%off%");
        assert_eq!(like_pattern("a_b%"), "%a\\_b\\%%");
    }

    #[test]
    fn generated_passwords_are_long_enough_and_differ() {
        let a = generated_password();
        assert_eq!(a.len(), 19);
        assert!(a.chars().count() >= crate::domain::registration::PASSWORD_MIN);
        assert_ne!(a, generated_password());
    }

    #[test]
    fn constant_time_equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
