//! Signed webhooks to department systems: each department's receiver (`dept_webhook`, set by the administrator,
//! audited), the outbox (`webhook_delivery`, written in the transaction of the task change it reports), and the
//! worker that posts due deliveries, signed (`domain::webhook`), with retries and a delivery log.
//!
//! Several instances may run the worker: a row is claimed with `UPDATE … SET claimed_at … WHERE id = ? AND
//! (claimed_at IS NULL OR claimed_at < stale)`, which one instance wins (SQLite and PostgreSQL alike); a claim
//! older than [`CLAIM_SECS`] (a crashed instance) is taken over. The outcome is written only by the claimant.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::case_actions::Acting;
use super::db::{Db, DbError};
use super::session;
use crate::domain::case_flow::Task;
use crate::domain::webhook::{self, WebhookUrl};

/// The error of a delivery whose department no longer has a receiver.
const NO_RECEIVER: &str = "the department has no webhook receiver now";
/// A claim older than this is taken over (longer than a send's timeout).
pub const CLAIM_SECS: i64 = 60;
/// The event name of a task's transition.
pub const TASK_CHANGED: &str = "task.changed";

/// One task transition to report.
pub struct TaskChange<'a> {
    pub case_id: i64,
    pub case_number: &'a str,
    pub task_id: i64,
    /// The task after the change.
    pub task: &'a Task,
    /// The task's version after the change (what an API action must name next).
    pub version: i64,
    pub action: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub acting: &'a Acting<'a>,
}

fn rfc3339(at: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// Queues a delivery of `change` to its department's receiver, if it has one, inside the change's transaction.
pub async fn enqueue(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    change: &TaskChange<'_>,
) -> Result<(), DbError> {
    let department = change.task.department.as_str();
    let has_receiver: Option<String> =
        sqlx::query_scalar("SELECT department_id FROM dept_webhook WHERE department_id = $1")
            .bind(department)
            .fetch_optional(&mut **tx)
            .await?;
    if has_receiver.is_none() {
        return Ok(());
    }
    let now = session::now();
    let delivery = super::tokens::url_token();
    let actor = match (&change.acting.actor, change.acting.api_token) {
        (_, Some(token)) => serde_json::json!({ "kind": "api", "api_token": token }),
        (crate::domain::case_flow::Actor::System, None) => serde_json::json!({ "kind": "system" }),
        (actor, None) => serde_json::json!({
            "kind": "person",
            "role": actor.role().map(crate::domain::Role::code),
        }),
    };
    let payload = serde_json::json!({
        "delivery": delivery,
        "event": TASK_CHANGED,
        "occurred_at": rfc3339(now),
        "department": department,
        "case": change.case_number,
        "task": {
            "id": change.task_id,
            "step": change.task.id,
            "item": change.task.item,
            "status": change.to,
            "previous_status": change.from,
            "version": change.version,
        },
        "action": change.action,
        "actor": actor,
    })
    .to_string();
    sqlx::query(
        "INSERT INTO webhook_delivery (delivery_id, department_id, case_id, task_id, event, payload, created_at, \
         next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(&delivery)
    .bind(department)
    .bind(change.case_id)
    .bind(change.task_id)
    .bind(TASK_CHANGED)
    .bind(&payload)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

// ------------------------------------------------------------------ receivers (administrator)

/// A department's receiver as the administrator sees it (never the secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookRow {
    pub department: String,
    pub url: String,
    pub updated_at: i64,
}

/// A new secret for a receiver: `whsec_` and 64 hex digits.
fn new_secret() -> String {
    format!(
        "whsec_{}",
        super::tokens::hex(&super::tokens::random_bytes::<32>())
    )
}

/// Sets (or replaces) a department's receiver with a fresh secret, audited; returns the secret, to show once.
/// The caller checks the department and the address.
pub async fn set_webhook(
    db: &Db,
    actor: &super::admin::Actor,
    department: &str,
    url: &WebhookUrl,
    text: &str,
    now: i64,
) -> Result<String, DbError> {
    let secret = new_secret();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO dept_webhook (department_id, url, secret, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (department_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(department)
    .bind(text.trim())
    .bind(&secret)
    .bind(now)
    .bind(actor.id)
    .execute(&mut *tx)
    .await?;
    let detail = Some(format!(
        "{department} → {}:{}{}",
        url.host, url.port, url.path
    ));
    super::admin::audit(&mut tx, actor, None, None, "set_webhook", detail, now).await?;
    tx.commit().await?;
    Ok(secret)
}

/// Removes a department's receiver, audited; `false` if it had none. Queued deliveries are then given up.
pub async fn remove_webhook(
    db: &Db,
    actor: &super::admin::Actor,
    department: &str,
    now: i64,
) -> Result<bool, DbError> {
    let mut tx = db.begin_write().await?;
    let removed = sqlx::query("DELETE FROM dept_webhook WHERE department_id = $1")
        .bind(department)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if removed == 0 {
        return Ok(false);
    }
    let detail = Some(department.to_owned());
    super::admin::audit(&mut tx, actor, None, None, "remove_webhook", detail, now).await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn list_webhooks(db: &Db) -> Result<Vec<WebhookRow>, DbError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT department_id, url, updated_at FROM dept_webhook ORDER BY department_id",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(department, url, updated_at)| WebhookRow {
            department,
            url,
            updated_at,
        })
        .collect())
}

/// One line of the delivery log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryRow {
    pub id: i64,
    pub delivery_id: String,
    pub department: String,
    pub case_number: String,
    pub event: String,
    pub created_at: i64,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub delivered_at: Option<i64>,
    pub failed_at: Option<i64>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
}

impl DeliveryRow {
    /// `delivered`, `failed` (given up) or `pending`.
    pub fn state(&self) -> &'static str {
        if self.delivered_at.is_some() {
            "delivered"
        } else if self.failed_at.is_some() {
            "failed"
        } else {
            "pending"
        }
    }
}

type DeliveryTuple = (
    i64,
    String,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

/// The newest deliveries, of one department or all (`""`).
pub async fn deliveries(
    db: &Db,
    department: &str,
    limit: i64,
) -> Result<Vec<DeliveryRow>, DbError> {
    let rows: Vec<DeliveryTuple> = sqlx::query_as(
        "SELECT d.id, d.delivery_id, d.department_id, c.number, d.event, d.created_at, d.attempts, \
         d.next_attempt_at, d.delivered_at, d.failed_at, d.last_status, d.last_error \
         FROM webhook_delivery d JOIN hall_case c ON c.id = d.case_id \
         WHERE ($1 = '' OR d.department_id = $1) ORDER BY d.id DESC LIMIT $2",
    )
    .bind(department)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DeliveryRow {
            id: r.0,
            delivery_id: r.1,
            department: r.2,
            case_number: r.3,
            event: r.4,
            created_at: r.5,
            attempts: r.6,
            next_attempt_at: r.7,
            delivered_at: r.8,
            failed_at: r.9,
            last_status: r.10,
            last_error: r.11,
        })
        .collect())
}

// ------------------------------------------------------------------ the worker

/// delivery_id, payload, attempts, the receiver's url and secret (if it still has one)
type PendingTuple = (String, String, i64, Option<String>, Option<String>);

/// What one attempt got: the receiver's status, or why there was none.
type Attempt = Result<u16, String>;

/// Posts every due delivery once (at most `batch`), as worker `worker` (an id unique to this process), at `now`
/// (Unix seconds; the signature carries the wall clock). Returns how many it attempted.
pub async fn deliver_due(db: &Db, now: i64, worker: &str, batch: i64) -> Result<usize, DbError> {
    let stale = now - CLAIM_SECS;
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM webhook_delivery WHERE delivered_at IS NULL AND failed_at IS NULL \
         AND next_attempt_at <= $1 AND (claimed_at IS NULL OR claimed_at < $2) ORDER BY id LIMIT $3",
    )
    .bind(now)
    .bind(stale)
    .bind(batch)
    .fetch_all(&db.pool)
    .await?;
    let mut attempted = 0;
    for id in due {
        let claimed = sqlx::query(
            "UPDATE webhook_delivery SET claimed_at = $1, claimed_by = $2 WHERE id = $3 \
             AND delivered_at IS NULL AND failed_at IS NULL AND (claimed_at IS NULL OR claimed_at < $4)",
        )
        .bind(now)
        .bind(worker)
        .bind(id)
        .bind(stale)
        .execute(&db.pool)
        .await?
        .rows_affected();
        if claimed == 1 {
            deliver_one(db, id, now, worker).await?;
            attempted += 1;
        }
    }
    Ok(attempted)
}

async fn deliver_one(db: &Db, id: i64, now: i64, worker: &str) -> Result<(), DbError> {
    let row: Option<PendingTuple> = sqlx::query_as(
        "SELECT d.delivery_id, d.payload, d.attempts, w.url, w.secret FROM webhook_delivery d \
         LEFT JOIN dept_webhook w ON w.department_id = d.department_id WHERE d.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let Some((delivery, payload, attempts, url, secret)) = row else {
        return Ok(());
    };
    let attempt: Attempt = match (url, secret) {
        (Some(url), Some(secret)) => match WebhookUrl::parse(&url) {
            Ok(url) => post(&url, &delivery, &payload, &secret).await,
            Err(p) => Err(format!("bad receiver address ({})", p.code())),
        },
        _ => Err(NO_RECEIVER.to_owned()),
    };
    let attempts = attempts + 1;
    let (status, error) = match &attempt {
        Ok(code) => (Some(i64::from(*code)), None),
        Err(e) => (None, Some(e.clone())),
    };
    let delivered = matches!(attempt, Ok(200..=299));
    let error = match (&attempt, delivered) {
        (Ok(code), false) => Some(format!("the receiver answered {code}")),
        _ => error,
    };
    // No receiver any more (the administrator removed it): given up at once, not retried.
    let removed = matches!(&attempt, Err(e) if e == NO_RECEIVER);
    let next = webhook::retry_delay(attempts)
        .filter(|_| !removed)
        .map(|d| now + d);
    if delivered {
        tracing::info!(delivery = %delivery, attempts, "webhook delivered");
    } else {
        tracing::warn!(delivery = %delivery, attempts, error = error.as_deref().unwrap_or(""), gave_up = next.is_none(), "webhook attempt failed");
    }
    sqlx::query(
        "UPDATE webhook_delivery SET attempts = $1, last_status = $2, last_error = $3, \
         delivered_at = $4, failed_at = $5, next_attempt_at = $6, claimed_at = NULL, claimed_by = NULL \
         WHERE id = $7 AND claimed_by = $8",
    )
    .bind(attempts)
    .bind(status)
    .bind(error)
    .bind(delivered.then_some(now))
    .bind((!delivered && next.is_none()).then_some(now))
    .bind(next.unwrap_or(now))
    .bind(id)
    .bind(worker)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// One signed POST over plain HTTP/1.1; the receiver's status code, or what went wrong.
async fn post(url: &WebhookUrl, delivery: &str, body: &str, secret: &str) -> Attempt {
    let timestamp = session::now().to_string();
    let signature = webhook::signature(secret, &timestamp, body.as_bytes());
    let host = if url.port == 80 {
        url.host.clone()
    } else {
        format!("{}:{}", url.host, url.port)
    };
    let request = format!(
        "POST {} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: hall-webhooks/1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nX-Hall-Timestamp: {timestamp}\r\nX-Hall-Signature: {signature}\r\n\
         X-Hall-Delivery: {delivery}\r\nConnection: close\r\n\r\n{body}",
        url.path,
        body.len()
    );
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect((url.host.as_str(), url.port))
            .await
            .map_err(|e| format!("cannot connect: {e}"))?;
        stream
            .write_all(request.as_bytes())
            .await
            .map_err(|e| format!("cannot send: {e}"))?;
        // The status line is all we need; read at most 8 KB of the answer.
        let mut answer = Vec::new();
        let mut buf = [0u8; 1024];
        while answer.len() < 8192 {
            let n = stream
                .read(&mut buf)
                .await
                .map_err(|e| format!("cannot read the answer: {e}"))?;
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
            if answer.windows(2).any(|w| w == b"\r\n") {
                break;
            }
        }
        status_of(&answer).ok_or_else(|| "the answer is not HTTP".to_owned())
    };
    match tokio::time::timeout(Duration::from_secs(webhook::TIMEOUT_SECS), exchange).await {
        Ok(result) => result,
        Err(_) => Err(format!("no answer in {} s", webhook::TIMEOUT_SECS)),
    }
}

/// The status code of an HTTP/1.x answer's status line.
fn status_of(answer: &[u8]) -> Option<u16> {
    let line = answer.split(|b| *b == b'\r').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split(' ');
    parts.next().filter(|v| v.starts_with("HTTP/1."))?;
    parts
        .next()?
        .parse()
        .ok()
        .filter(|c| (100..600).contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_are_read_and_anything_else_is_not() {
        assert_eq!(status_of(b"HTTP/1.1 204 No Content\r\n\r\n"), Some(204));
        assert_eq!(status_of(b"HTTP/1.0 500 Oops\r\n"), Some(500));
        assert_eq!(status_of(b"SSH-2.0-OpenSSH\r\n"), None);
        assert_eq!(status_of(b"HTTP/1.1 abc\r\n"), None);
        assert_eq!(status_of(b""), None);
    }

    #[test]
    fn secrets_are_long_and_new_each_time() {
        let a = new_secret();
        assert!(a.starts_with("whsec_") && a.len() == 6 + 64);
        assert_ne!(a, new_secret());
    }
}
