//! Throttling of guesses: sign-in failures (at most [`ACCOUNT_LIMIT`] per account and [`ADDRESS_LIMIT`] per client
//! address within [`WINDOW`] seconds) and, with the same code and table, wrong progress look-ups (see
//! [`TRACK`]), and submissions of new cases ([`submissions`], where every submission counts). Failures are rows in `login_failure` tagged with their [`Throttle::scope`], so every instance on one
//! database counts the same ones and one kind of failure never throttles another. A successful sign-in clears the
//! account's failures (not the address's).

use super::db::{Db, DbError};

pub const ACCOUNT_LIMIT: i64 = 5;
pub const ADDRESS_LIMIT: i64 = 20;
/// 15 minutes.
pub const WINDOW: i64 = 15 * 60;

/// One kind of guess to throttle: at most `key_limit` failures per key (an account, a case number) and
/// `address_limit` per client address within `window` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throttle {
    pub scope: &'static str,
    pub key_limit: i64,
    pub address_limit: i64,
    pub window: i64,
}

/// Sign-in: per account typed and per address.
pub const LOGIN: Throttle = Throttle {
    scope: "login",
    key_limit: ACCOUNT_LIMIT,
    address_limit: ADDRESS_LIMIT,
    window: WINDOW,
};

/// Progress look-up without an account (进度查询): per case number asked for and per address. An 8-character
/// lookup code has about 37 bits, so 5 guesses per 15 minutes per case leave it out of reach.
pub const TRACK: Throttle = Throttle {
    scope: "track",
    key_limit: 5,
    address_limit: 20,
    window: WINDOW,
};

/// Submissions (提交申请) per account and per client address within an hour, by default: a citizen files a few
/// cases a year, so 10 in an hour is a script; many citizens may share one address behind a carrier's NAT, so the
/// address limit only brakes a flood. `HALL_SUBMIT_LIMITS` changes them ([`configure_submissions`]).
pub const SUBMIT_ACCOUNT_LIMIT: i64 = 10;
pub const SUBMIT_ADDRESS_LIMIT: i64 = 300;
const HOUR: i64 = 60 * 60;

static SUBMIT_LIMITS: std::sync::OnceLock<(i64, i64)> = std::sync::OnceLock::new();

/// Sets the submission limits (per account, per address, per hour) for this process, once, at start-up.
pub fn configure_submissions(per_account: i64, per_address: i64) {
    let _ = SUBMIT_LIMITS.set((per_account, per_address));
}

/// Submitting a new case: every submission counts (not only failures); a replayed submission of a draft already
/// submitted is not a new one and is not counted. The key is the account id.
pub fn submissions() -> Throttle {
    let (key_limit, address_limit) = SUBMIT_LIMITS
        .get()
        .copied()
        .unwrap_or((SUBMIT_ACCOUNT_LIMIT, SUBMIT_ADDRESS_LIMIT));
    Throttle {
        scope: "submit",
        key_limit,
        address_limit,
        window: HOUR,
    }
}

/// Seconds to wait before the next sign-in attempt is allowed, or `None` when it is allowed now.
pub async fn retry_after(
    db: &Db,
    account_key: &str,
    address: &str,
    now: i64,
) -> Result<Option<i64>, DbError> {
    LOGIN.retry_after(db, account_key, address, now).await
}

/// Records one failed sign-in, and forgets failures that have left the window.
pub async fn record_failure(
    db: &Db,
    account_key: &str,
    address: &str,
    now: i64,
) -> Result<(), DbError> {
    LOGIN.record_failure(db, account_key, address, now).await
}

/// Forgets an account's failures after it signed in.
pub async fn clear_account(db: &Db, account_key: &str) -> Result<(), DbError> {
    LOGIN.clear_key(db, account_key).await
}

/// The number of sign-in failures counted against an account now (for tests and logs).
pub async fn failures(db: &Db, account_key: &str, now: i64) -> Result<i64, DbError> {
    LOGIN.failures(db, account_key, now).await
}

#[derive(Clone, Copy)]
enum By {
    Key,
    Address,
}

impl Throttle {
    /// Seconds to wait before the next attempt is allowed, or `None` when it is allowed now.
    pub async fn retry_after(
        &self,
        db: &Db,
        key: &str,
        address: &str,
        now: i64,
    ) -> Result<Option<i64>, DbError> {
        let by_key = self.wait(db, By::Key, key, self.key_limit, now).await?;
        let by_address = self
            .wait(db, By::Address, address, self.address_limit, now)
            .await?;
        Ok(by_key.max(by_address))
    }

    /// When `limit` failures under `value` fall inside the window, the oldest of those `limit` decides: once it
    /// leaves the window, there is room for one more attempt.
    async fn wait(
        &self,
        db: &Db,
        by: By,
        value: &str,
        limit: i64,
        now: i64,
    ) -> Result<Option<i64>, DbError> {
        let sql = match by {
            By::Key => {
                "SELECT at FROM login_failure WHERE scope = $1 AND account_key = $2 AND at > $3 \
                 ORDER BY at DESC LIMIT 1 OFFSET $4"
            }
            By::Address => {
                "SELECT at FROM login_failure WHERE scope = $1 AND address = $2 AND at > $3 \
                 ORDER BY at DESC LIMIT 1 OFFSET $4"
            }
        };
        let limiting: Option<i64> = sqlx::query_scalar(sql)
            .bind(self.scope)
            .bind(value)
            .bind(now - self.window)
            .bind(limit - 1)
            .fetch_optional(&db.pool)
            .await?;
        Ok(limiting.map(|at| (at + self.window - now).max(1)))
    }

    /// Records one attempt that counts (a failure, or for [`submissions`] any submission), and forgets this
    /// scope's attempts that have left the window.
    pub async fn record_failure(
        &self,
        db: &Db,
        key: &str,
        address: &str,
        now: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO login_failure (scope, account_key, address, at) VALUES ($1, $2, $3, $4)",
        )
        .bind(self.scope)
        .bind(key)
        .bind(address)
        .bind(now)
        .execute(&db.pool)
        .await?;
        sqlx::query("DELETE FROM login_failure WHERE scope = $1 AND at <= $2")
            .bind(self.scope)
            .bind(now - self.window)
            .execute(&db.pool)
            .await?;
        Ok(())
    }

    /// Forgets the failures counted against a key.
    pub async fn clear_key(&self, db: &Db, key: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM login_failure WHERE scope = $1 AND account_key = $2")
            .bind(self.scope)
            .bind(key)
            .execute(&db.pool)
            .await?;
        Ok(())
    }

    /// The number of failures counted against a key now (for tests and logs).
    pub async fn failures(&self, db: &Db, key: &str, now: i64) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_failure WHERE scope = $1 AND account_key = $2 AND at > $3",
        )
        .bind(self.scope)
        .bind(key)
        .bind(now - self.window)
        .fetch_one(&db.pool)
        .await?)
    }
}
