//! Scanned materials over HTTP: a multipart form per material (works with JavaScript off) and downloads for the
//! draft's own viewer, and after submission to staff who may see its case. The type is decided by content (`domain::upload`), never by the file's name.

use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::application::{upload_access, viewer_of};
use super::drafts;
use super::state::AppState;
use super::wizard::encode;
use crate::domain::upload::{self, UploadProblem};

/// The request body an upload may have: the file plus the form's few other bytes.
pub const UPLOAD_BODY_LIMIT: usize = upload::MAX_UPLOAD_BYTES + 64 * 1024;

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

/// `POST /applications/{draft}/materials/{material}`: stores the file, then back to the checklist (post/redirect/get),
/// with the problem named when the file was refused.
pub async fn upload_material(
    State(state): State<AppState>,
    Path((draft, material)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    mut form: Multipart,
) -> Response {
    let by_fetch = headers.contains_key(crate::api::application::UPLOAD_FETCH_HEADER);
    let viewer = viewer_of(&state, &headers).await;
    let base = match upload_access(&state, &draft, Some(&material), viewer).await {
        Ok(Some(base)) => base,
        Ok(None) => return not_found(),
        Err(e) => {
            tracing::error!(error = %e, "upload: loading the draft failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let back = |problem: Option<UploadProblem>| {
        let to = match problem {
            None => format!("{base}/materials#material-{}", encode(&material)),
            Some(p) => format!(
                "{base}/materials?error={}&material={}#material-{}",
                p.code(),
                encode(&material),
                encode(&material)
            ),
        };
        if by_fetch {
            ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], to).into_response()
        } else {
            Redirect::to(&to).into_response()
        }
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = upload::display_name(field.file_name().unwrap_or(""));
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes.to_vec())),
                    // The body limit cut the stream: the file is too large.
                    Err(_) => return back(Some(UploadProblem::TooLarge)),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return back(Some(UploadProblem::TooLarge)),
        }
    }
    let Some((name, bytes)) = file else {
        return back(Some(UploadProblem::Empty));
    };
    match upload::check(&bytes) {
        Ok(kind) => {
            match drafts::add_upload(&state.db, &draft, &material, &name, kind, &bytes).await {
                Ok(_) => back(None),
                Err(e) => {
                    tracing::error!(error = %e, "upload: storing the file failed");
                    StatusCode::SERVICE_UNAVAILABLE.into_response()
                }
            }
        }
        Err(problem) => back(Some(problem)),
    }
}

/// `GET /applications/{draft}/uploads/{id}`: the file, to the draft's viewer only, never rendered as a page of
/// this origin (served as an attachment with a sandboxing policy).
pub async fn download_upload(
    State(state): State<AppState>,
    Path((draft, id)): Path<(String, i64)>,
    headers: axum::http::HeaderMap,
) -> Response {
    let viewer = viewer_of(&state, &headers).await;
    match upload_access(&state, &draft, None, viewer.clone()).await {
        Ok(Some(_)) => {}
        // A submitted draft: its owner, and staff who may see its case (an officer: a task of their department).
        Ok(None) => match viewer {
            Some(v) => match super::workbench::may_download(&state, &draft, &v).await {
                Ok(true) => {}
                Ok(false) => return not_found(),
                Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
            },
            None => return not_found(),
        },
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
    let Ok(Some((meta, bytes))) = drafts::upload_bytes(&state.db, &draft, id).await else {
        return not_found();
    };
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(meta.kind.content_type()),
    );
    let disposition = format!("attachment; filename*=UTF-8''{}", encode(&meta.file_name));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}
