//! Drafts of applications (the merged form being filled) and their uploaded materials, in the database so every
//! instance sees them and they survive restarts. A draft's id is random and unguessable; it is also the resume
//! link of a draft started without an account.

use std::collections::BTreeMap;

use time::{Duration, OffsetDateTime};

use super::db::{Db, DbError};
use super::tokens::url_token;
use crate::domain::upload::FileKind;

/// How long an untouched draft is kept: the resume link states it.
pub const DRAFT_LIFETIME_DAYS: i64 = 30;

#[derive(Debug, Clone)]
pub struct Draft {
    pub id: String,
    pub theme_id: String,
    pub account_id: Option<i64>,
    /// The scenario answers as a query string (`a.entity=company&a.area=80`).
    pub answers: String,
    /// The form as typed, by field id (raw text, kept even when wrong).
    pub fields: BTreeMap<String, String>,
    /// The sections submitted at least once: only their problems are shown (a pre-filled value is not a start).
    pub sections: Vec<String>,
    pub expires_at: OffsetDateTime,
    pub case_id: Option<i64>,
}

/// An uploaded file's description (the bytes are read only to serve it).
#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    pub id: i64,
    pub material_id: String,
    pub file_name: String,
    pub kind: FileKind,
    pub size: i64,
}

/// A row read to be rewritten: locked on PostgreSQL (SQLite's `BEGIN IMMEDIATE` already holds the write lock).
fn for_update(db: &Db, sql: &'static str) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(match db.backend {
        super::db::Backend::Postgres => format!("{sql} FOR UPDATE"),
        super::db::Backend::Sqlite => sql.to_owned(),
    })
}

pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

pub fn stamp(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn parse_stamp(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

/// The account's open draft of a theme, if any (the newest).
pub async fn open_draft_for(
    db: &Db,
    account_id: i64,
    theme_id: &str,
) -> Result<Option<String>, DbError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM draft WHERE account_id = $1 AND theme_id = $2 AND case_id IS NULL AND expires_at > $3 \
         ORDER BY updated_at DESC LIMIT 1",
    )
    .bind(account_id)
    .bind(theme_id)
    .bind(stamp(now()))
    .fetch_optional(&db.pool)
    .await?)
}

/// Replaces an open draft's scenario answers (after a changed answer), keeping everything typed; the fields the
/// new answers tell are set.
pub async fn change_answers(
    db: &Db,
    id: &str,
    answers: &str,
    prefill: &BTreeMap<String, String>,
) -> Result<bool, DbError> {
    let mut tx = db.begin_write().await?;
    let current: Option<(String, Option<i64>)> = sqlx::query_as(for_update(
        db,
        "SELECT fields, case_id FROM draft WHERE id = $1",
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((fields, None)) = current else {
        return Ok(false);
    };
    let mut fields: BTreeMap<String, String> = serde_json::from_str(&fields).unwrap_or_default();
    fields.extend(prefill.iter().map(|(k, v)| (k.clone(), v.clone())));
    let now = now();
    sqlx::query(
        "UPDATE draft SET answers = $1, fields = $2, updated_at = $3, expires_at = $4 WHERE id = $5 AND case_id IS NULL",
    )
    .bind(answers)
    .bind(serde_json::to_string(&fields).unwrap_or_else(|_| "{}".into()))
    .bind(stamp(now))
    .bind(stamp(now + Duration::days(DRAFT_LIFETIME_DAYS)))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Starts a draft with the scenario answers and the fields they already tell.
pub async fn create(
    db: &Db,
    theme_id: &str,
    account_id: Option<i64>,
    answers: &str,
    fields: &BTreeMap<String, String>,
) -> Result<String, DbError> {
    let id = url_token();
    let now = now();
    sqlx::query(
        "INSERT INTO draft (id, theme_id, account_id, answers, fields, created_at, updated_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
    )
    .bind(&id)
    .bind(theme_id)
    .bind(account_id)
    .bind(answers)
    .bind(serde_json::to_string(fields).unwrap_or_else(|_| "{}".into()))
    .bind(stamp(now))
    .bind(stamp(now + Duration::days(DRAFT_LIFETIME_DAYS)))
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// The draft, unless it does not exist or has expired.
pub async fn load(db: &Db, id: &str) -> Result<Option<Draft>, DbError> {
    #[allow(clippy::type_complexity)]
    let row: Option<(String, String, Option<i64>, String, String, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, theme_id, account_id, answers, fields, sections, expires_at, case_id FROM draft WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.and_then(
        |(id, theme_id, account_id, answers, fields, sections, expires_at, case_id)| {
            let expires_at = parse_stamp(&expires_at)?;
            (expires_at > now()).then(|| Draft {
                id,
                theme_id,
                account_id,
                answers,
                fields: serde_json::from_str(&fields).unwrap_or_default(),
                sections: serde_json::from_str(&sections).unwrap_or_default(),
                expires_at,
                case_id,
            })
        },
    ))
}

/// Stores the typed values of one section's fields, keeping the others, marks the section submitted and extends
/// the draft's life. A submitted draft is not changed: returns false.
pub async fn save_section(
    db: &Db,
    id: &str,
    section: &str,
    values: &BTreeMap<String, String>,
) -> Result<bool, DbError> {
    let mut tx = db.begin_write().await?;
    let current: Option<(String, String, Option<i64>)> = sqlx::query_as(for_update(
        db,
        "SELECT fields, sections, case_id FROM draft WHERE id = $1",
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((fields, sections, None)) = current else {
        return Ok(false);
    };
    let mut fields: BTreeMap<String, String> = serde_json::from_str(&fields).unwrap_or_default();
    fields.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
    let mut sections: Vec<String> = serde_json::from_str(&sections).unwrap_or_default();
    if !sections.iter().any(|s| s == section) {
        sections.push(section.to_owned());
    }
    let now = now();
    sqlx::query(
        "UPDATE draft SET fields = $1, sections = $5, updated_at = $2, expires_at = $3 \
         WHERE id = $4 AND case_id IS NULL",
    )
    .bind(serde_json::to_string(&fields).unwrap_or_else(|_| "{}".into()))
    .bind(stamp(now))
    .bind(stamp(now + Duration::days(DRAFT_LIFETIME_DAYS)))
    .bind(id)
    .bind(serde_json::to_string(&sections).unwrap_or_else(|_| "[]".into()))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The drafts an account has not submitted yet, newest first: (id, theme, updated at, expires at).
#[allow(clippy::type_complexity)]
pub async fn open_drafts_of(
    db: &Db,
    account_id: i64,
) -> Result<Vec<(String, String, String, String)>, DbError> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, theme_id, updated_at, expires_at FROM draft \
         WHERE account_id = $1 AND case_id IS NULL AND expires_at > $2 ORDER BY updated_at DESC",
    )
    .bind(account_id)
    .bind(stamp(now()))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows)
}

/// Files a scanned material for a draft.
pub async fn add_upload(
    db: &Db,
    draft_id: &str,
    material_id: &str,
    file_name: &str,
    kind: FileKind,
    bytes: &[u8],
) -> Result<i64, DbError> {
    use sha2::{Digest, Sha256};
    let digest = super::tokens::hex(&Sha256::digest(bytes));
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO upload (draft_id, material_id, file_name, content_type, size, sha256, bytes, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(draft_id)
    .bind(material_id)
    .bind(file_name)
    .bind(kind.content_type())
    .bind(bytes.len() as i64)
    .bind(digest)
    .bind(bytes.to_vec())
    .bind(stamp(now()))
    .fetch_one(&db.pool)
    .await?;
    Ok(id)
}

/// A draft's uploads, oldest first (not the files handed in later for a correction: `corrections::files`).
pub async fn uploads(db: &Db, draft_id: &str) -> Result<Vec<Upload>, DbError> {
    let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, material_id, file_name, content_type, size FROM upload WHERE draft_id = $1 \
         AND correction_event IS NULL ORDER BY id",
    )
    .bind(draft_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, material_id, file_name, content_type, size)| {
            Some(Upload {
                id,
                material_id,
                file_name,
                kind: FileKind::from_content_type(&content_type)?,
                size,
            })
        })
        .collect())
}

/// One upload's bytes, only through its draft (an upload id alone reveals nothing).
pub async fn upload_bytes(
    db: &Db,
    draft_id: &str,
    upload_id: i64,
) -> Result<Option<(Upload, Vec<u8>)>, DbError> {
    let row: Option<(i64, String, String, String, i64, Vec<u8>)> = sqlx::query_as(
        "SELECT id, material_id, file_name, content_type, size, bytes FROM upload WHERE draft_id = $1 AND id = $2",
    )
    .bind(draft_id)
    .bind(upload_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(
        row.and_then(|(id, material_id, file_name, content_type, size, bytes)| {
            Some((
                Upload {
                    id,
                    material_id,
                    file_name,
                    kind: FileKind::from_content_type(&content_type)?,
                    size,
                },
                bytes,
            ))
        }),
    )
}

/// Removes an upload of a draft that is not submitted yet.
/// Whether an upload with this id exists in any draft.
pub async fn upload_exists(db: &Db, upload_id: i64) -> Result<bool, DbError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM upload WHERE id = $1")
        .bind(upload_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(found.is_some())
}

pub async fn remove_upload(db: &Db, draft_id: &str, upload_id: i64) -> Result<bool, DbError> {
    let done = sqlx::query(
        "DELETE FROM upload WHERE draft_id = $1 AND id = $2 \
         AND EXISTS (SELECT 1 FROM draft WHERE id = $1 AND case_id IS NULL)",
    )
    .bind(draft_id)
    .bind(upload_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() > 0)
}
