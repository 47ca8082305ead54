//! Accounts: finding one to sign in (by login name or mobile number), verifying passwords, citizen
//! self-registration, and the demo seed.

use std::sync::OnceLock;

use serde::Deserialize;

use super::db::{Db, DbError};
use crate::api::account::SessionUser;
use crate::domain::ids::MobilePhone;
use crate::domain::registration::Registration;
use crate::domain::Role;

/// One demo account as written in `server/seed/demo-accounts.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoAccount {
    pub login: String,
    pub password: String,
    pub display_name: String,
    pub role: String,
    pub department: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoAccounts {
    pub account: Vec<DemoAccount>,
}

/// Hashes a password with argon2id off the async executor (it costs tens of milliseconds of CPU on purpose).
pub async fn hash_password(password: String) -> Result<String, DbError> {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        let salt = SaltString::generate(&mut OsRng);
        argon2::Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| DbError::Connect(format!("hashing task failed: {e}")))?
    .map_err(|e| DbError::Connect(format!("hashing failed: {e}")))
}

/// Inserts the demo accounts that are not there yet. Safe to run on every start and from several instances at
/// once: a login taken by a concurrent start is left alone.
pub async fn seed_demo_accounts(db: &Db, accounts: &[DemoAccount]) -> Result<usize, DbError> {
    let mut inserted = 0;
    for account in accounts {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM account WHERE login = $1")
            .bind(&account.login)
            .fetch_optional(&db.pool)
            .await?;
        if exists.is_some() {
            continue;
        }
        let hash = hash_password(account.password.clone()).await?;
        let now = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let result = sqlx::query(
            "INSERT INTO account (login, display_name, role, department_id, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (login) DO NOTHING",
        )
        .bind(&account.login)
        .bind(&account.display_name)
        .bind(&account.role)
        .bind(account.department.as_deref())
        .bind(hash)
        .bind(now)
        .execute(&db.pool)
        .await?;
        inserted += result.rows_affected() as usize;
    }
    Ok(inserted)
}

/// The number of accounts, for start-up logs and tests.
pub async fn count(db: &Db) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM account")
        .fetch_one(&db.pool)
        .await?)
}

/// A stored account's login and role, by login.
pub async fn role_of(db: &Db, login: &str) -> Result<Option<String>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT role FROM account WHERE login = $1")
            .bind(login)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// Whether `password` matches the stored hash of the account named `login` (login name or mobile number).
pub async fn verify_password(db: &Db, login: &str, password: &str) -> Result<bool, DbError> {
    Ok(authenticate(db, login, password).await?.is_some())
}

/// What was typed as the account, normalised: a mobile number as its 11 digits, anything else trimmed and
/// lower-cased. Throttling counts failures under this key, whether or not such an account exists.
pub fn account_key(identifier: &str) -> String {
    match MobilePhone::parse(identifier) {
        Ok(mobile) => mobile.as_str().to_owned(),
        Err(_) => identifier.trim().to_lowercase(),
    }
}

/// The account `identifier` (login name or mobile number) names, if `password` is its password. An unknown
/// account costs one argon2 verification too (against a dummy hash), so the answer time does not tell whether
/// an account exists.
pub async fn authenticate(
    db: &Db,
    identifier: &str,
    password: &str,
) -> Result<Option<i64>, DbError> {
    let key = account_key(identifier);
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, password_hash FROM account WHERE login = $1 OR mobile = $1 ORDER BY id LIMIT 1",
    )
    .bind(&key)
    .fetch_optional(&db.pool)
    .await?;
    let (id, hash) = match row {
        Some((id, hash)) => (Some(id), Some(hash)),
        None => (None, None),
    };
    let ok = verify_hash(hash, password.to_owned()).await?;
    Ok(id.filter(|_| ok))
}

/// Verifies a password against a stored argon2 hash off the async executor; `None` verifies against a dummy
/// hash (same cost) and is always false.
pub async fn verify_hash(hash: Option<String>, password: String) -> Result<bool, DbError> {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        let real = hash.is_some();
        let hash = hash.unwrap_or_else(|| dummy_hash().to_owned());
        let matches = PasswordHash::new(&hash)
            .map(|parsed| {
                argon2::Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        real && matches
    })
    .await
    .map_err(|e| DbError::Connect(format!("verification task failed: {e}")))
}

/// A hash of a random password with the default parameters, made once: what unknown accounts verify against.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        let salt = SaltString::generate(&mut OsRng);
        argon2::Argon2::default()
            .hash_password(salt.as_str().as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Whether an administrator has disabled the account.
pub async fn is_disabled(db: &Db, account_id: i64) -> Result<bool, DbError> {
    let disabled: Option<Option<i64>> =
        sqlx::query_scalar("SELECT disabled_at FROM account WHERE id = $1")
            .bind(account_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(matches!(disabled, Some(Some(_))))
}

/// The signed-in view of an account, or `None` if it is gone, disabled or has a role this build does not know.
pub async fn session_user(db: &Db, account_id: i64) -> Result<Option<SessionUser>, DbError> {
    let row: Option<(i64, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, login, display_name, role, department_id FROM account WHERE id = $1 AND disabled_at IS NULL",
    )
    .bind(account_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(
        row.and_then(|(account_id, login, display_name, role, department)| {
            session_user_of(account_id, login, display_name, &role, department)
        }),
    )
}

/// The signed-in view of an enabled account's columns; `None` for a role this build does not know.
pub fn session_user_of(
    account_id: i64,
    login: String,
    display_name: String,
    role: &str,
    department: Option<String>,
) -> Option<SessionUser> {
    let Some(role) = Role::from_code(role) else {
        tracing::warn!(account_id, "account has an unknown role");
        return None;
    };
    Some(SessionUser {
        account_id,
        login,
        display_name,
        role,
        department,
    })
}

/// The result of a registration that passed validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Registered {
    Created(i64),
    /// An account already has this mobile number (or it is someone's login name).
    MobileTaken,
}

/// Creates a citizen account that signs in with its mobile number (also its login name). The resident ID is
/// stored as declared.
pub async fn register_citizen(db: &Db, r: &Registration) -> Result<Registered, DbError> {
    let mobile = r.mobile.as_str();
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM account WHERE login = $1 OR mobile = $1 LIMIT 1")
            .bind(mobile)
            .fetch_optional(&db.pool)
            .await?;
    if taken.is_some() {
        return Ok(Registered::MobileTaken);
    }
    let hash = hash_password(r.password.clone()).await?;
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    // Two registrations racing for one number: the unique indexes let one win; the other sees "taken".
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO account (login, display_name, role, department_id, password_hash, created_at, mobile, \
         resident_id) VALUES ($1, $2, $3, NULL, $4, $5, $1, $6) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(mobile)
    .bind(&r.display_name)
    .bind(Role::Citizen.code())
    .bind(hash)
    .bind(now)
    .bind(r.resident_id.as_str())
    .fetch_optional(&db.pool)
    .await?;
    Ok(id.map_or(Registered::MobileTaken, Registered::Created))
}
