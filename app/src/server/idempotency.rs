//! Storage of idempotency keys: claim a key before a request runs, keep its answer after. The rules are in
//! [`crate::domain::idempotency`]; the HTTP middleware that uses this is `server/src/idempotency.rs`.
//!
//! Claiming is one `INSERT … ON CONFLICT DO NOTHING` on the key's primary key, so of two requests racing with one
//! key on any number of instances exactly one runs; the other reads the row and waits, replays or is refused.

use crate::domain::idempotency::{self as rules, Seen};

use super::db::{Db, DbError};

/// A stored answer: status, the headers worth replaying, and the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// The outcome of presenting a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// This request holds the key now: run it, then [`answer`] or [`release`].
    Run,
    /// The first answer, to be given again.
    Replay(Answer),
    /// The same request is running (on this or another instance).
    InProgress,
    /// The key was used for another request.
    Mismatch,
}

/// A stored key: request hash, claimed at, and the answer's status, headers and body once answered.
type StoredRow = (String, i64, Option<i64>, Option<String>, Option<String>);

/// The stored form of a key: who sent it and the key, hashed together.
pub fn key_hash(sender: &str, key: &str) -> String {
    super::session::session_id(&format!("{sender}\u{0}{key}"))
}

/// Claims `key_hash` for a request whose content hashes to `request_hash`.
pub async fn claim(
    db: &Db,
    key_hash: &str,
    request_hash: &str,
    now: i64,
) -> Result<Claim, DbError> {
    // Keys past their time go first (indexed; usually nothing).
    sqlx::query("DELETE FROM idempotency_key WHERE claimed_at < $1")
        .bind(now - rules::KEPT_FOR_SECS)
        .execute(&db.pool)
        .await?;
    for _ in 0..2 {
        let inserted = sqlx::query(
            "INSERT INTO idempotency_key (key_hash, request_hash, claimed_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key_hash) DO NOTHING",
        )
        .bind(key_hash)
        .bind(request_hash)
        .bind(now)
        .execute(&db.pool)
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(Claim::Run);
        }
        let row: Option<StoredRow> = sqlx::query_as(
            "SELECT request_hash, claimed_at, status, headers, body FROM idempotency_key WHERE key_hash = $1",
        )
        .bind(key_hash)
        .fetch_optional(&db.pool)
        .await?;
        // Removed between the two statements (it was answered with a server error): try once more.
        let Some((stored_hash, claimed_at, status, headers, body)) = row else {
            continue;
        };
        let stored = rules::Stored {
            request_hash: &stored_hash,
            claimed_at,
            answered: status.is_some(),
        };
        return Ok(match rules::decide(stored, request_hash, now) {
            Seen::Replay => Claim::Replay(Answer {
                status: status.and_then(|s| u16::try_from(s).ok()).unwrap_or(200),
                headers: headers
                    .and_then(|h| serde_json::from_str(&h).ok())
                    .unwrap_or_default(),
                body: body.unwrap_or_default(),
            }),
            Seen::InProgress => Claim::InProgress,
            Seen::Mismatch => Claim::Mismatch,
            Seen::TakeOver => {
                // Only one of several late retries takes it over: the one whose update finds the old claim.
                let taken = sqlx::query(
                    "UPDATE idempotency_key SET claimed_at = $1 WHERE key_hash = $2 AND claimed_at = $3 \
                     AND status IS NULL",
                )
                .bind(now)
                .bind(key_hash)
                .bind(claimed_at)
                .execute(&db.pool)
                .await?
                .rows_affected();
                if taken == 1 {
                    Claim::Run
                } else {
                    Claim::InProgress
                }
            }
        });
    }
    Ok(Claim::InProgress)
}

/// Keeps the answer to a claimed key.
pub async fn answer(db: &Db, key_hash: &str, answer: &Answer) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE idempotency_key SET status = $1, headers = $2, body = $3 WHERE key_hash = $4",
    )
    .bind(i64::from(answer.status))
    .bind(serde_json::to_string(&answer.headers).unwrap_or_else(|_| "[]".into()))
    .bind(&answer.body)
    .bind(key_hash)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Gives a claimed key back (the request failed with a server error and did nothing): a retry runs again.
pub async fn release(db: &Db, key_hash: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM idempotency_key WHERE key_hash = $1 AND status IS NULL")
        .bind(key_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}
