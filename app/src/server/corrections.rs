//! Files handed in for a correction (补正): the window's request on the case (status `correction_requested`) or
//! an officer's on a task (`awaiting_applicant`). Each file is an `upload` of the case's draft tied to the history
//! entry of the request it answers (`correction_event`), and its upload is a history entry of its own, so staff
//! see it in the case view and in the history. The applicant may hand the correction in only once every requested
//! material has a new file for the current request (`domain::correction`); downloads go through the draft's
//! download route (`uploads::download_upload`): the case's owner and staff who may see the case.

use crate::domain::case_flow::{CaseState, CorrectionItem, TaskState};
use crate::domain::correction::missing_files;
use crate::domain::upload::FileKind;

use super::case_actions::Acting;
use super::cases::{CaseRow, TaskRow};
use super::db::{Db, DbError};
use super::drafts::{now, stamp};
use super::memo::Changed;

/// The history action of a correction file's upload.
pub const UPLOAD_ACTION: &str = "upload_correction";

/// The correction request the applicant is answering now.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenRequest {
    /// The request's history entry.
    pub event_id: i64,
    /// The task asked (`None`: the window's request on the whole case).
    pub task_id: Option<i64>,
    pub items: Vec<CorrectionItem>,
    /// The status the case or task is in (for the upload's history entry).
    pub status: &'static str,
}

/// A file handed in for a correction.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrectionFile {
    pub id: i64,
    pub material_id: String,
    pub file_name: String,
    /// The request it answers, and that request's task (`None`: the window's request on the case).
    pub event_id: i64,
    pub task_id: Option<i64>,
    pub created_at: String,
}

/// The open request of the case (`step` `None`) or of one of its tasks, with the entry that made it.
pub async fn open_request(
    db: &Db,
    case: &CaseRow,
    tasks: &[TaskRow],
    step: Option<&str>,
) -> Result<Option<OpenRequest>, DbError> {
    let (task_id, items, status) = match step {
        None => match &case.state {
            CaseState::CorrectionRequested { items, .. } => {
                (None, items.clone(), case.state.status().code())
            }
            _ => return Ok(None),
        },
        Some(step) => match tasks.iter().find(|r| r.task.id == step) {
            Some(row) => match &row.task.state {
                TaskState::AwaitingApplicant { items } => {
                    (Some(row.id), items.clone(), row.task.status().code())
                }
                _ => return Ok(None),
            },
            None => return Ok(None),
        },
    };
    let event_id: Option<i64> = match task_id {
        None => sqlx::query_scalar(
            "SELECT MAX(id) FROM case_event WHERE case_id = $1 AND task_id IS NULL AND action = 'request_correction'",
        )
        .bind(case.id)
        .fetch_one(&db.pool)
        .await?,
        Some(t) => sqlx::query_scalar(
            "SELECT MAX(id) FROM case_event WHERE case_id = $1 AND task_id = $2 AND action = 'request_correction'",
        )
        .bind(case.id)
        .bind(t)
        .fetch_one(&db.pool)
        .await?,
    };
    Ok(event_id.map(|event_id| OpenRequest {
        event_id,
        task_id,
        items,
        status,
    }))
}

/// Every correction file of a case's draft, oldest first.
pub async fn files(db: &Db, draft_id: &str) -> Result<Vec<CorrectionFile>, DbError> {
    let rows: Vec<(i64, String, String, i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT u.id, u.material_id, u.file_name, u.correction_event, e.task_id, u.created_at FROM upload u \
         JOIN case_event e ON e.id = u.correction_event WHERE u.draft_id = $1 ORDER BY u.id",
    )
    .bind(draft_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, material_id, file_name, event_id, task_id, created_at)| CorrectionFile {
                id,
                material_id,
                file_name,
                event_id,
                task_id,
                created_at,
            },
        )
        .collect())
}

/// The requested materials still without a file for `request`.
pub fn missing<'a>(request: &'a OpenRequest, files: &[CorrectionFile]) -> Vec<&'a str> {
    let uploaded: Vec<&str> = files
        .iter()
        .filter(|f| f.event_id == request.event_id)
        .map(|f| f.material_id.as_str())
        .collect();
    missing_files(&request.items, &uploaded)
}

/// Stores a checked file for `material` of `request` and its history entry, in one transaction.
#[allow(clippy::too_many_arguments)]
pub async fn add(
    db: &Db,
    case: &CaseRow,
    request: &OpenRequest,
    material: &str,
    file_name: &str,
    kind: FileKind,
    bytes: &[u8],
    acting: &Acting<'_>,
) -> Result<i64, DbError> {
    use sha2::{Digest, Sha256};
    let digest = super::tokens::hex(&Sha256::digest(bytes));
    let at = stamp(now());
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO upload (draft_id, material_id, file_name, content_type, size, sha256, bytes, created_at, \
         correction_event) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&case.draft_id)
    .bind(material)
    .bind(file_name)
    .bind(kind.content_type())
    .bind(bytes.len() as i64)
    .bind(digest)
    .bind(bytes.to_vec())
    .bind(&at)
    .bind(request.event_id)
    .fetch_one(&mut *tx)
    .await?;
    let entry = serde_json::json!({
        "action": { "action": UPLOAD_ACTION, "material": material, "file": file_name },
        "upload": id,
        "request": request.event_id,
    });
    sqlx::query(
        "INSERT INTO case_event (case_id, task_id, at, actor_account, actor_role, address, action, from_status, \
         to_status, entry) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(case.id)
    .bind(request.task_id)
    .bind(&at)
    .bind(acting.account_id)
    .bind(acting.actor.role().map_or("system", crate::domain::Role::code))
    .bind(acting.address)
    .bind(UPLOAD_ACTION)
    .bind(request.status)
    .bind(request.status)
    .bind(entry.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    db.changed(Changed::Case(case.id));
    Ok(id)
}
