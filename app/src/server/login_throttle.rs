//! Sign-in throttling: at most [`ACCOUNT_LIMIT`] failures per account and [`ADDRESS_LIMIT`] per client address
//! within [`WINDOW`] seconds. Failures are rows in `login_failure`, so every instance on one database counts the
//! same ones. A successful sign-in clears the account's failures (not the address's).

use super::db::{Db, DbError};

pub const ACCOUNT_LIMIT: i64 = 5;
pub const ADDRESS_LIMIT: i64 = 20;
/// 15 minutes.
pub const WINDOW: i64 = 15 * 60;

/// Seconds to wait before the next attempt is allowed, or `None` when it is allowed now.
pub async fn retry_after(
    db: &Db,
    account_key: &str,
    address: &str,
    now: i64,
) -> Result<Option<i64>, DbError> {
    let by_account = wait(db, By::Account, account_key, ACCOUNT_LIMIT, now).await?;
    let by_address = wait(db, By::Address, address, ADDRESS_LIMIT, now).await?;
    Ok(by_account.max(by_address))
}

#[derive(Clone, Copy)]
enum By {
    Account,
    Address,
}

/// When `limit` failures under `value` fall inside the window, the oldest of those `limit` decides: once it leaves
/// the window, there is room for one more attempt.
async fn wait(db: &Db, by: By, value: &str, limit: i64, now: i64) -> Result<Option<i64>, DbError> {
    let sql = match by {
        By::Account => {
            "SELECT at FROM login_failure WHERE account_key = $1 AND at > $2 ORDER BY at DESC LIMIT 1 OFFSET $3"
        }
        By::Address => {
            "SELECT at FROM login_failure WHERE address = $1 AND at > $2 ORDER BY at DESC LIMIT 1 OFFSET $3"
        }
    };
    let limiting: Option<i64> = sqlx::query_scalar(sql)
        .bind(value)
        .bind(now - WINDOW)
        .bind(limit - 1)
        .fetch_optional(&db.pool)
        .await?;
    Ok(limiting.map(|at| (at + WINDOW - now).max(1)))
}

/// Records one failed attempt, and forgets failures that have left the window.
pub async fn record_failure(
    db: &Db,
    account_key: &str,
    address: &str,
    now: i64,
) -> Result<(), DbError> {
    sqlx::query("INSERT INTO login_failure (account_key, address, at) VALUES ($1, $2, $3)")
        .bind(account_key)
        .bind(address)
        .bind(now)
        .execute(&db.pool)
        .await?;
    sqlx::query("DELETE FROM login_failure WHERE at <= $1")
        .bind(now - WINDOW)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Forgets an account's failures after it signed in.
pub async fn clear_account(db: &Db, account_key: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM login_failure WHERE account_key = $1")
        .bind(account_key)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The number of failures counted against an account now (for tests and logs).
pub async fn failures(db: &Db, account_key: &str, now: i64) -> Result<i64, DbError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM login_failure WHERE account_key = $1 AND at > $2")
            .bind(account_key)
            .bind(now - WINDOW)
            .fetch_one(&db.pool)
            .await?,
    )
}
