//! The department integration API, version 1, under `/api/v1/dept` (部门系统对接): a department's own system pulls
//! its tasks and pushes decisions with `Authorization: Bearer <token>` (a token an administrator created for that
//! department on `/admin/tokens`; hashed, revocable). Decisions go through the same engine, history and
//! notifications as the officers' forms (`case_actions::act`), as an officer of the token's department recorded as
//! `api:<token name>` with the token's id. Every answer is JSON; every error is `{"error": code, "message": …}`.
//!
//! - A task of another department answers 404, exactly like a task that does not exist.
//! - An action names the task `version` it was decided on: a stale one answers 409 with who changed it and when.
//!   The same request sent again (same task, version and body) answers the first answer again (with
//!   `Idempotent-Replayed: true`) and acts once.
//! - The machine-readable description is `server/openapi.json`, served at `/api/v1/openapi.json`.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, Extensions, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::admin::{authenticate_api_token, ApiClient};
use super::case_actions::{self, Acting, Outcome, Target};
use super::clock;
use super::db::DbError;
use super::state::AppState;
use crate::domain::case_flow::{
    CorrectionItem, Refusal, Task, TaskAction, TaskActionKind, TaskState, TaskStatus, Who,
    TASK_RULES,
};
use crate::domain::text::Lang;

/// The actions a department system may take, as named in requests.
pub const ACTIONS: [&str; 4] = ["approve", "refuse", "request_correction", "extend"];
/// Tasks per page, at most and by default.
pub const PAGE_MAX: i64 = 100;

type Handler = MethodRouter<AppState>;

/// Every route: (method, path under `/api/v1/dept`, handler). The router is built from this list, and the
/// OpenAPI test compares it with the document, so neither can drift.
fn routes() -> Vec<(&'static str, &'static str, Handler)> {
    vec![
        ("GET", "/tasks", get(list_tasks)),
        ("GET", "/tasks/{id}", get(one_task)),
        ("POST", "/tasks/{id}/actions", post(task_action)),
    ]
}

/// The routes as (method, path under `/api/v1/dept`).
pub fn route_table() -> Vec<(&'static str, &'static str)> {
    routes().into_iter().map(|(m, p, _)| (m, p)).collect()
}

/// The API's routes, to be nested under `/api/v1/dept`.
pub fn router<S: Clone + Send + Sync + 'static>(state: AppState) -> Router<S> {
    let mut router = Router::new();
    for (_, path, handler) in routes() {
        router = router.route(path, handler);
    }
    router
        .fallback(|| async {
            error(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such department API path",
            )
        })
        .with_state(state)
}

/// A JSON error: `{"error": code, "message": …}`, never cached.
fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    with_json(status, json!({ "error": code, "message": message.into() }))
}

fn with_json(status: StatusCode, body: Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn internal(e: DbError) -> Response {
    tracing::error!(error = %e, "department API request failed");
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error",
        "the service hall could not answer now; try again later",
    )
}

fn unauthorised(challenge: &'static str, code: &str, message: &str) -> Response {
    let mut response = error(StatusCode::UNAUTHORIZED, code, message);
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    response
}

/// The department system behind the request's bearer token, or the 401 to answer.
async fn client(state: &AppState, headers: &HeaderMap) -> Result<ApiClient, Response> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(unauthorised(
            "Bearer realm=\"hall-dept\"",
            "unauthorized",
            "send the department's API token as Authorization: Bearer <token>",
        ));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then_some(rest)
        })
        .unwrap_or("");
    let invalid = "Bearer realm=\"hall-dept\", error=\"invalid_token\"";
    if token.trim().is_empty() {
        return Err(unauthorised(
            invalid,
            "unauthorized",
            "the Authorization header must be: Bearer <token>",
        ));
    }
    match authenticate_api_token(&state.db, token).await {
        Ok(Some(client)) => Ok(client),
        Ok(None) => {
            tracing::warn!("department API: unknown or revoked token");
            Err(unauthorised(
                invalid,
                "invalid_token",
                "the API token is unknown or has been revoked",
            ))
        }
        Err(e) => Err(internal(e)),
    }
}

/// One stored task with its case.
struct TaskRecord {
    id: i64,
    case_id: i64,
    case_number: String,
    case_status: String,
    task: Task,
    version: i64,
    updated_at: String,
}

type TaskTuple = (i64, i64, String, String, String, i64, String);

/// The columns of a [`TaskTuple`] (a macro: sqlx takes only static query text, built here with `concat!`).
macro_rules! task_select {
    () => {
        "SELECT t.id, t.case_id, c.number, c.status, t.task, t.version, t.updated_at \
         FROM case_task t JOIN hall_case c ON c.id = t.case_id"
    };
}

fn record(
    (id, case_id, case_number, case_status, task, version, updated_at): TaskTuple,
) -> Option<TaskRecord> {
    let task = serde_json::from_str(&task)
        .inspect_err(|e| tracing::error!(task = id, error = %e, "stored task is not readable"))
        .ok()?;
    Some(TaskRecord {
        id,
        case_id,
        case_number,
        case_status,
        task,
        version,
        updated_at,
    })
}

/// A task of `department` by id; `None` for another department's task exactly as for no task.
async fn task_of(
    state: &AppState,
    department: &str,
    id: i64,
) -> Result<Option<TaskRecord>, DbError> {
    let row: Option<TaskTuple> = sqlx::query_as(concat!(
        task_select!(),
        " WHERE t.id = $1 AND t.department_id = $2"
    ))
    .bind(id)
    .bind(department)
    .fetch_optional(&state.db.pool)
    .await?;
    Ok(row.and_then(record))
}

/// What an officer of the task's department may do now, by the API's action names.
fn allowed_actions(task: &Task) -> Vec<&'static str> {
    TASK_RULES
        .iter()
        .filter(|r| r.kind == task.kind && r.from == task.status())
        .filter(|r| r.action.who() == Who::DepartmentOfficer)
        .filter(|r| {
            r.action != TaskActionKind::Extend
                || (task.clock.extension.is_none() && task.statutory.extension_days.is_some())
        })
        .map(|r| r.action.code())
        .filter(|code| ACTIONS.contains(code))
        .collect()
}

/// A task on the wire.
#[derive(Serialize)]
struct TaskDoc {
    id: i64,
    case: String,
    case_status: String,
    step: String,
    item: String,
    department: String,
    kind: &'static str,
    status: &'static str,
    /// Name it in the next action.
    version: i64,
    /// The state with its details (correction items, refusal reason).
    state: TaskState,
    committed_due: Option<String>,
    statutory_due: Option<String>,
    updated_at: String,
    /// The actions the department may take now.
    actions: Vec<&'static str>,
    /// The most working days an extension may add, while one is possible.
    extension_max_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<Vec<HistoryDoc>>,
}

#[derive(Serialize)]
struct HistoryDoc {
    at: String,
    action: String,
    from: Option<String>,
    to: String,
    /// A person's name, `API · <token name>`, or the role (`system` for the engine).
    by: String,
    detail: Option<String>,
}

fn doc(state: &AppState, r: &TaskRecord, history: Option<Vec<HistoryDoc>>) -> TaskDoc {
    let calendar = state.catalog.calendar();
    let actions = allowed_actions(&r.task);
    TaskDoc {
        id: r.id,
        case: r.case_number.clone(),
        case_status: r.case_status.clone(),
        step: r.task.id.clone(),
        item: r.task.item.clone(),
        department: r.task.department.clone(),
        kind: r.task.kind.code(),
        status: r.task.status().code(),
        version: r.version,
        state: r.task.state.clone(),
        committed_due: r.task.committed_due(calendar).map(|d| d.to_string()),
        statutory_due: r.task.statutory_due(calendar).map(|d| d.to_string()),
        updated_at: r.updated_at.clone(),
        extension_max_days: actions
            .contains(&"extend")
            .then_some(r.task.statutory.extension_days)
            .flatten(),
        actions,
        history,
    }
}

type EventTuple = (
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
);

/// The task's history, oldest first.
async fn history(state: &AppState, r: &TaskRecord) -> Result<Vec<HistoryDoc>, DbError> {
    let rows: Vec<EventTuple> = sqlx::query_as(
        "SELECT e.at, e.action, e.from_status, e.to_status, COALESCE(a.display_name, 'API · ' || k.name), \
         e.actor_role, e.entry FROM case_event e LEFT JOIN account a ON a.id = e.actor_account \
         LEFT JOIN api_token k ON k.id = e.api_token_id WHERE e.case_id = $1 AND e.task_id = $2 ORDER BY e.id",
    )
    .bind(r.case_id)
    .bind(r.id)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, action, from, to, name, role, entry)| HistoryDoc {
            at,
            action,
            from,
            to,
            by: name.unwrap_or(role),
            detail: super::workbench::entry_detail(&entry),
        })
        .collect())
}

#[derive(Deserialize)]
struct ListQuery {
    status: Option<String>,
    since: Option<String>,
    limit: Option<String>,
}

/// `GET /tasks?status=&since=&limit=`: the department's tasks in the order they were created, `limit` (≤ 100) at
/// a time; `next` is the cursor for `since` on the following call (`null` at the end).
async fn list_tasks(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let client = match client(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Ok(Query(query)) = query else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "the query string is not readable",
        );
    };
    let status = match query
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => String::new(),
        Some(s) => match serde_json::from_value::<TaskStatus>(Value::String(s.to_owned())) {
            Ok(status) => status.code().to_owned(),
            Err(_) => {
                let s: String = s.chars().take(40).collect();
                return error(
                    StatusCode::BAD_REQUEST,
                    "bad_status",
                    format!(
                        "unknown status \"{s}\"; use one of waiting, in_review, awaiting_applicant, approved, \
                         refused, to_do, done, not_needed"
                    ),
                );
            }
        },
    };
    let since = match query
        .since
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => 0,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if n >= 0 => n,
            _ => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "bad_cursor",
                    "since must be the `next` cursor of an earlier answer",
                )
            }
        },
    };
    let limit = match query
        .limit
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => PAGE_MAX,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (1..=PAGE_MAX).contains(&n) => n,
            _ => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "bad_limit",
                    format!("limit must be a whole number from 1 to {PAGE_MAX}"),
                )
            }
        },
    };
    let rows: Result<Vec<TaskTuple>, sqlx::Error> = sqlx::query_as(concat!(
        task_select!(),
        " WHERE t.department_id = $1 AND ($2 = '' OR t.status = $2) AND t.id > $3 ORDER BY t.id LIMIT $4"
    ))
    .bind(&client.department)
    .bind(&status)
    .bind(since)
    .bind(limit + 1)
    .fetch_all(&state.db.pool)
    .await;
    let mut rows = match rows {
        Ok(rows) => rows,
        Err(e) => return internal(e.into()),
    };
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = more.then(|| rows.last().map(|r| r.0.to_string())).flatten();
    let tasks: Vec<TaskDoc> = rows
        .into_iter()
        .filter_map(record)
        .map(|r| doc(&state, &r, None))
        .collect();
    with_json(StatusCode::OK, json!({ "tasks": tasks, "next": next }))
}

fn no_task(id: &str) -> Response {
    let id: String = id.chars().take(40).collect();
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no task {id} of your department"),
    )
}

/// `GET /tasks/{id}`: one task of the department, with its history.
async fn one_task(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let client = match client(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Ok(number) = id.parse::<i64>() else {
        return no_task(&id);
    };
    match task_of(&state, &client.department, number).await {
        Ok(Some(r)) => match history(&state, &r).await {
            Ok(h) => with_json(StatusCode::OK, json!(doc(&state, &r, Some(h)))),
            Err(e) => internal(e),
        },
        Ok(None) => no_task(&id),
        Err(e) => internal(e),
    }
}

/// An action as sent.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionRequest {
    action: String,
    version: i64,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    days: Option<u32>,
    #[serde(default)]
    items: Vec<ItemRequest>,
}

/// A correction item: a material or a form field (neither: the application form as a whole), and the problem.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemRequest {
    #[serde(default)]
    material: Option<String>,
    #[serde(default)]
    field: Option<String>,
    problem: String,
}

/// The request as an engine action, or why it is not one (422).
fn action_of(request: &ActionRequest) -> Result<TaskAction, (&'static str, String)> {
    let reason = || request.reason.clone().unwrap_or_default();
    Ok(match request.action.as_str() {
        "approve" => TaskAction::Approve,
        "refuse" => TaskAction::Refuse { reason: reason() },
        "extend" => TaskAction::Extend {
            days: request.days.ok_or((
                "days_required",
                "extend needs `days`: the working days to add".to_owned(),
            ))?,
            reason: reason(),
        },
        "request_correction" => TaskAction::RequestCorrection {
            items: request
                .items
                .iter()
                .enumerate()
                .map(|(k, item)| match (&item.material, &item.field) {
                    (Some(m), None) => {
                        Ok(CorrectionItem::material(m.clone(), item.problem.clone()))
                    }
                    (None, Some(f)) => Ok(CorrectionItem::field(f.clone(), item.problem.clone())),
                    (None, None) => Ok(CorrectionItem::field("application", item.problem.clone())),
                    (Some(_), Some(_)) => Err((
                        "bad_item",
                        format!("item {} names both a material and a field; name one", k + 1),
                    )),
                })
                .collect::<Result<_, _>>()?,
        },
        other => {
            let other: String = other.chars().take(40).collect();
            return Err((
                "unknown_action",
                format!(
                    "unknown action \"{other}\"; use one of {}",
                    ACTIONS.join(", ")
                ),
            ));
        }
    })
}

/// Whether the engine refused because of the task's state (409) rather than the request's content (422).
fn is_state_conflict(refusal: &Refusal) -> bool {
    matches!(
        refusal,
        Refusal::NotAllowedInState { .. }
            | Refusal::NotForTaskKind { .. }
            | Refusal::AlreadyExtended
            | Refusal::ExtensionNotProvided
            | Refusal::CaseNotAccepted { .. }
            | Refusal::InputsNotReady { .. }
    )
}

fn body_hash(body: &[u8]) -> String {
    use sha2::Digest;
    super::tokens::hex(&sha2::Sha256::digest(body))
}

/// The answer already given to this request (same task, version, department and body), if any.
async fn earlier_answer(
    state: &AppState,
    task_id: i64,
    version: i64,
    department: &str,
    hash: &str,
) -> Result<Option<Response>, DbError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT d.request_hash, d.response FROM dept_api_action d JOIN api_token k ON k.id = d.token_id \
         WHERE d.task_id = $1 AND d.version = $2 AND k.department_id = $3",
    )
    .bind(task_id)
    .bind(version)
    .bind(department)
    .fetch_optional(&state.db.pool)
    .await?;
    Ok(row
        .filter(|(stored, _)| stored == hash)
        .and_then(|(_, response)| serde_json::from_str::<Value>(&response).ok())
        .map(|body| {
            let mut response = with_json(StatusCode::OK, body);
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            response
        }))
}

/// `POST /tasks/{id}/actions`: decide on a task of the department.
async fn task_action(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let client = match client(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Ok(number) = id.parse::<i64>() else {
        return no_task(&id);
    };
    let record = match task_of(&state, &client.department, number).await {
        Ok(Some(r)) => r,
        Ok(None) => return no_task(&id),
        Err(e) => return internal(e),
    };
    let request: ActionRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                "bad_json",
                format!("the body is not an action: {e}"),
            )
        }
    };
    let action = match action_of(&request) {
        Ok(a) => a,
        Err((code, message)) => return error(StatusCode::UNPROCESSABLE_ENTITY, code, message),
    };
    let hash = body_hash(&body);
    match earlier_answer(
        &state,
        record.id,
        request.version,
        &client.department,
        &hash,
    )
    .await
    {
        Ok(Some(replay)) => return replay,
        Ok(None) => {}
        Err(e) => return internal(e),
    }
    let name: String = match sqlx::query_scalar("SELECT name FROM api_token WHERE id = $1")
        .bind(client.token_id)
        .fetch_one(&state.db.pool)
        .await
    {
        Ok(n) => n,
        Err(e) => return internal(e.into()),
    };
    let address = extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let acting = Acting::api(
        client.token_id,
        &name,
        &client.department,
        address.as_deref(),
    );
    let today = clock::today(&state.db).await;
    let outcome = case_actions::act(
        &state.db,
        &state.catalog,
        &record.case_number,
        request.version,
        Target::Task {
            step: record.task.id.clone(),
            action,
        },
        &acting,
        today,
    )
    .await;
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => return internal(e),
    };
    match outcome {
        Outcome::Done => {
            let after = match task_of(&state, &client.department, record.id).await {
                Ok(Some(r)) => r,
                Ok(None) => return no_task(&id),
                Err(e) => return internal(e),
            };
            let history = match history(&state, &after).await {
                Ok(h) => h,
                Err(e) => return internal(e),
            };
            let body = json!({ "result": "done", "task": doc(&state, &after, Some(history)) });
            // Remembered for a repeat of this request; the engine's version guard already kept it from acting twice.
            let stored = sqlx::query(
                "INSERT INTO dept_api_action (task_id, version, token_id, request_hash, response, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (task_id, version) DO NOTHING",
            )
            .bind(record.id)
            .bind(request.version)
            .bind(client.token_id)
            .bind(&hash)
            .bind(body.to_string())
            .bind(super::session::now())
            .execute(&state.db.pool)
            .await;
            if let Err(e) = stored {
                tracing::warn!(error = %e, "department API: the answer for a repeat was not stored");
            }
            tracing::info!(task = record.id, action = %request.action, token = client.token_id, "department API action done");
            with_json(StatusCode::OK, body)
        }
        Outcome::NotFound => no_task(&id),
        Outcome::Refused(refusal) => {
            let status = if is_state_conflict(&refusal) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            with_json(
                status,
                json!({
                    "error": "refused",
                    "message": refusal.message(Lang::En),
                    "message_zh": refusal.message(Lang::Zh),
                    "refusal": refusal,
                }),
            )
        }
        Outcome::Conflict { by, at } => {
            // A concurrent copy of this very request may have won: answer what it got.
            match earlier_answer(
                &state,
                record.id,
                request.version,
                &client.department,
                &hash,
            )
            .await
            {
                Ok(Some(replay)) => return replay,
                Ok(None) => {}
                Err(e) => return internal(e),
            }
            let current = task_of(&state, &client.department, record.id)
                .await
                .ok()
                .flatten()
                .map(|r| r.version);
            let who = by.clone().unwrap_or_else(|| "the system".to_owned());
            with_json(
                StatusCode::CONFLICT,
                json!({
                    "error": "version_conflict",
                    "message": format!(
                        "the task changed since version {}: {who} changed it at {at}; read it again and decide on \
                         its current state",
                        request.version
                    ),
                    "changed_by": who,
                    "changed_at": at,
                    "current_version": current,
                }),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(json: &str) -> ActionRequest {
        serde_json::from_str(json).expect("request")
    }

    #[test]
    fn requests_become_engine_actions() {
        assert_eq!(
            action_of(&request(r#"{"action":"approve","version":3}"#)),
            Ok(TaskAction::Approve)
        );
        assert_eq!(
            action_of(&request(
                r#"{"action":"extend","version":3,"days":5,"reason":"site visit"}"#
            )),
            Ok(TaskAction::Extend {
                days: 5,
                reason: "site visit".into()
            })
        );
        assert_eq!(
            action_of(&request(
                r#"{"action":"request_correction","version":1,"items":[{"material":"lease","problem":"unsigned"},{"problem":"phone missing"}]}"#
            )),
            Ok(TaskAction::RequestCorrection {
                items: vec![
                    CorrectionItem::material("lease", "unsigned"),
                    CorrectionItem::field("application", "phone missing")
                ]
            })
        );
        assert_eq!(
            action_of(&request(r#"{"action":"extend","version":3}"#)).map_err(|e| e.0),
            Err("days_required")
        );
        assert_eq!(
            action_of(&request(r#"{"action":"mark_done","version":3}"#)).map_err(|e| e.0),
            Err("unknown_action")
        );
        assert_eq!(
            action_of(&request(
                r#"{"action":"request_correction","version":1,"items":[{"material":"a","field":"b","problem":"x"}]}"#
            ))
            .map_err(|e| e.0),
            Err("bad_item")
        );
        assert!(serde_json::from_str::<ActionRequest>(r#"{"action":"approve"}"#).is_err());
        assert!(
            serde_json::from_str::<ActionRequest>(r#"{"action":"approve","version":1,"x":1}"#)
                .is_err()
        );
    }

    #[test]
    fn state_refusals_are_conflicts_and_content_refusals_are_not() {
        assert!(is_state_conflict(&Refusal::AlreadyExtended));
        assert!(!is_state_conflict(&Refusal::ReasonRequired));
        assert!(!is_state_conflict(&Refusal::EmptyCorrectionList));
    }
}
