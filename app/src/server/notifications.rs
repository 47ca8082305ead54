//! Notifications (通知): every change of a case writes, in the change's own transaction, one in-app notification
//! for the account that filed the case (the applicant, or the agent who filed for them) and one
//! `notification_outbox` row per external channel that can reach the applicant (`domain::notify::Notifier`:
//! SMS, e-mail). Nothing is sent from here: a gateway would drain the outbox and set `sent_at`.

use std::collections::BTreeMap;

use super::cases::CaseRow;
use super::db::{Db, DbError};
use crate::domain::notify::{plan_outbox, Contacts, Notice};

/// Where the case's applicant can be reached: the submitted form and the filing account's mobile (read before the
/// change's transaction begins).
pub async fn contacts_of(db: &Db, case: &CaseRow) -> Result<Contacts, DbError> {
    contacts(db, case.account_id, &case.fields).await
}

pub async fn contacts(
    db: &Db,
    account_id: Option<i64>,
    fields: &BTreeMap<String, String>,
) -> Result<Contacts, DbError> {
    let account_mobile = match account_id {
        Some(id) => {
            sqlx::query_scalar::<_, Option<String>>("SELECT mobile FROM account WHERE id = $1")
                .bind(id)
                .fetch_optional(&db.pool)
                .await?
                .flatten()
        }
        None => None,
    };
    Ok(Contacts {
        form: fields.clone(),
        account_mobile,
    })
}

/// Writes the notification of one change inside the change's transaction: the in-app row (when the case has an
/// account) and the outbox rows. Returns how many outbox rows were written.
pub async fn record(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    case_id: i64,
    account_id: Option<i64>,
    notice: &Notice,
    contacts: &Contacts,
    at: &str,
) -> Result<usize, DbError> {
    let params = notice.to_json();
    let notification_id: Option<i64> = match account_id {
        Some(account) => Some(
            sqlx::query_scalar(
                "INSERT INTO notification (account_id, case_id, code, params, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(account)
            .bind(case_id)
            .bind(notice.code())
            .bind(&params)
            .bind(at)
            .fetch_one(&mut **tx)
            .await?,
        ),
        None => None,
    };
    let messages = plan_outbox(notice, contacts);
    for m in &messages {
        sqlx::query(
            "INSERT INTO notification_outbox (notification_id, case_id, channel, recipient_masked, template_code, \
             payload, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(notification_id)
        .bind(case_id)
        .bind(m.channel)
        .bind(&m.recipient_masked)
        .bind(&m.template_code)
        .bind(&m.payload)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(messages.len())
}

/// Writes an in-app notification that is not a change of a case's state (a question answered, a follow-up
/// closed) inside the change's transaction: `code` names the sentence (`domain::feedback::notification_text`),
/// `link` where it leads; `case_id` may be `None`.
pub async fn record_plain(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    account_id: i64,
    case_id: Option<i64>,
    code: &str,
    link: &str,
    at: &str,
) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO notification (account_id, case_id, code, params, created_at, link) \
         VALUES ($1, $2, $3, '{}', $4, $5) RETURNING id",
    )
    .bind(account_id)
    .bind(case_id)
    .bind(code)
    .bind(at)
    .bind(link)
    .fetch_one(&mut **tx)
    .await?)
}

/// One stored notification as its reader's list needs it.
#[derive(Debug, Clone)]
pub struct NotificationRow {
    pub id: i64,
    /// Empty for a notification that belongs to no case.
    pub case_number: String,
    /// Where a notification that is not a case's status change leads.
    pub link: Option<String>,
    pub code: String,
    pub params: String,
    pub created_at: String,
    pub read: bool,
}

/// An account's notifications, newest first (at most `limit`).
pub async fn list(db: &Db, account_id: i64, limit: i64) -> Result<Vec<NotificationRow>, DbError> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i64, Option<String>, Option<String>, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT n.id, c.number, n.link, n.code, n.params, n.created_at, n.read_at FROM notification n \
         LEFT JOIN hall_case c ON c.id = n.case_id WHERE n.account_id = $1 ORDER BY n.id DESC LIMIT $2",
    )
    .bind(account_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, case_number, link, code, params, created_at, read_at)| NotificationRow {
                id,
                case_number: case_number.unwrap_or_default(),
                link,
                code,
                params,
                created_at,
                read: read_at.is_some(),
            },
        )
        .collect())
}

pub async fn unread_count(db: &Db, account_id: i64) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM notification WHERE account_id = $1 AND read_at IS NULL",
    )
    .bind(account_id)
    .fetch_one(&db.pool)
    .await?)
}

/// Marks every unread notification of the account read; returns how many.
pub async fn mark_all_read(db: &Db, account_id: i64, at: &str) -> Result<u64, DbError> {
    Ok(sqlx::query(
        "UPDATE notification SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL",
    )
    .bind(at)
    .bind(account_id)
    .execute(&db.pool)
    .await?
    .rows_affected())
}

/// The outbox rows of a case, oldest first: (channel, recipient masked, template code, payload, sent_at,
/// attempts). For tests and an operator's view.
#[allow(clippy::type_complexity)]
pub async fn outbox_of(
    db: &Db,
    case_id: i64,
) -> Result<Vec<(String, String, String, String, Option<String>, i64)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT channel, recipient_masked, template_code, payload, sent_at, attempts FROM notification_outbox \
         WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await?)
}
