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

/// A 404 that the HTTP layer writes to the security audit trail as a refusal of `target`: a file or a draft that is
/// not the asker's looks the same as one that does not exist.
fn refused(target: &str) -> Response {
    let mut response = (StatusCode::NOT_FOUND, "not found").into_response();
    if let Some(v) =
        super::security_audit::mark_value(super::security_audit::Kind::AccessRefused, target)
    {
        response
            .headers_mut()
            .insert(super::security_audit::MARK_HEADER, v);
    }
    response
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
        Ok(None) => return refused(&format!("draft:{draft}")),
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
                Ok(false) => return refused(&format!("draft:{draft}")),
                Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
            },
            None => return refused(&format!("draft:{draft}")),
        },
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
    let Ok(Some((meta, bytes))) = drafts::upload_bytes(&state.db, &draft, id).await else {
        return refused(&format!("upload:{draft}/{id}"));
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

/// Why a correction file was not taken, besides the file checks of [`UploadProblem`].
pub const NOT_REQUESTED: &str = "not_requested";

/// `POST /cases/{number}/corrections/{material}` (fields `step` — empty for the window's request on the case — and
/// `file`): the case's owner hands in a new file for a material the open correction request names. Back to the
/// case page (post/redirect/get) with `?uploaded=` or `?upload_error=`; anyone else gets a 404.
pub async fn upload_correction(
    State(state): State<AppState>,
    Path((number, material)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    extensions: axum::http::Extensions,
    mut form: Multipart,
) -> Response {
    use super::{accounts, case_actions::Acting, cases, corrections};
    let Some(viewer) = viewer_of(&state, &headers).await else {
        return refused(&format!("case:{number}"));
    };
    let loaded = async {
        let Some(case) = cases::by_number(&state.db, &number).await? else {
            return Ok(None);
        };
        let today = super::clock::today(&state.db).await;
        if !super::consent::acts_as_owner(&state.db, &case, viewer.account_id, viewer.role, today)
            .await?
        {
            return Ok(None);
        }
        let user = accounts::session_user(&state.db, viewer.account_id).await?;
        let tasks = cases::tasks(&state.db, case.id).await?;
        Ok::<_, super::db::DbError>(user.map(|u| (case, tasks, u)))
    };
    let (case, tasks, user) = match loaded.await {
        Ok(Some(found)) => found,
        Ok(None) => {
            tracing::warn!(case = %number, account = viewer.account_id, "refused a correction upload to someone not the case's owner");
            return refused(&format!("case:{number}"));
        }
        Err(e) => {
            tracing::error!(error = %e, "correction upload: loading the case failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let mut step = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut too_large = false;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = upload::display_name(field.file_name().unwrap_or(""));
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes.to_vec())),
                    Err(_) => {
                        too_large = true;
                        break;
                    }
                }
            }
            Ok(Some(field)) if field.name() == Some("step") => {
                step = field.text().await.unwrap_or_default().trim().to_owned();
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => {
                too_large = true;
                break;
            }
        }
    }
    let anchor = if step.is_empty() {
        "correction-case".to_owned()
    } else {
        format!("task-{}", encode(&step))
    };
    let back = |problem: Option<&str>| {
        let to = match problem {
            None => format!(
                "/cases/{}?uploaded={}#{anchor}",
                encode(&number),
                encode(&material)
            ),
            Some(code) => format!(
                "/cases/{}?upload_error={code}&material={}#{anchor}",
                encode(&number),
                encode(&material)
            ),
        };
        Redirect::to(&to).into_response()
    };
    let request = match corrections::open_request(
        &state.db,
        &case,
        &tasks,
        (!step.is_empty()).then_some(step.as_str()),
    )
    .await
    {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "correction upload: reading the request failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let Some(request) = request.filter(|r| {
        crate::domain::correction::requested_materials(&r.items).contains(&material.as_str())
    }) else {
        tracing::warn!(case = %number, material = %material, "refused a correction file nobody asked for");
        return back(Some(NOT_REQUESTED));
    };
    if too_large {
        return back(Some(UploadProblem::TooLarge.code()));
    }
    let Some((name, bytes)) = file else {
        return back(Some(UploadProblem::Empty.code()));
    };
    let kind = match upload::check(&bytes) {
        Ok(kind) => kind,
        Err(problem) => return back(Some(problem.code())),
    };
    let address = extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let acting = Acting::person(&user, address.as_deref());
    match corrections::add(
        &state.db, &case, &request, &material, &name, kind, &bytes, &acting,
    )
    .await
    {
        Ok(_) => back(None),
        Err(e) => {
            tracing::error!(error = %e, "correction upload: storing the file failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
