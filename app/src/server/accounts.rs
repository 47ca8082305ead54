//! Accounts: the demo seed for now (the login flow and roles come with the cases work).

use serde::Deserialize;

use super::db::{Db, DbError};

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

/// Whether `password` matches the stored hash of `login` (verification off the executor).
pub async fn verify_password(db: &Db, login: &str, password: &str) -> Result<bool, DbError> {
    let hash: Option<String> =
        sqlx::query_scalar("SELECT password_hash FROM account WHERE login = $1")
            .bind(login)
            .fetch_optional(&db.pool)
            .await?;
    let Some(hash) = hash else { return Ok(false) };
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        PasswordHash::new(&hash)
            .map(|parsed| {
                argon2::Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(|e| DbError::Connect(format!("verification task failed: {e}")))
}
