//! The idempotency middleware: a POST that carries a key (the `idem` form field every form of the app renders,
//! an `idem` query parameter on upload forms, or an `Idempotency-Key` header from a department system) is run at
//! most once per sender and key. A retry with the same content gets the first answer again (marked
//! `Idempotent-Replayed: true`); the same key with other content is refused with 422 and nothing happens; a retry
//! while the first request still runs gets 409. Server errors are not kept, so a retry after one runs again.
//!
//! Sign-in, registration and sign-out are left out: their answers carry a session cookie, which is never stored.
//! A POST without a key runs as before (scripts and department systems that send none are not refused).

use app::domain::idempotency as rules;
use app::domain::Lang;
use app::prefs::Prefs;
use app::server::idempotency::{self as store, Answer, Claim};
use app::server::state::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::ServerFn;

/// The header department systems (and the upload island) send the key in.
pub const HEADER: &str = "idempotency-key";
/// Set on a replayed answer.
pub const REPLAYED: &str = "idempotent-replayed";
/// Answers larger than this are not kept (ours are redirects and small JSON).
const MAX_KEPT_BODY: usize = 256 * 1024;

fn exempt(path: &str) -> bool {
    use app::api::account::{Login, Logout, LogoutEverywhere, Register};
    [
        Login::PATH,
        Register::PATH,
        Logout::PATH,
        LogoutEverywhere::PATH,
    ]
    .contains(&path)
        || path == "/prefs"
}

/// Headers not kept with an answer: cookies (a session token must never be stored), and what the layers outside
/// set again for every response.
fn kept(name: &HeaderName) -> bool {
    ![
        header::SET_COOKIE,
        header::CONTENT_LENGTH,
        header::CONTENT_ENCODING,
        header::TRANSFER_ENCODING,
        header::DATE,
        header::CONTENT_SECURITY_POLICY,
    ]
    .contains(name)
}

pub async fn idempotency(
    State(state): State<AppState>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if request.method() != Method::POST || exempt(request.uri().path()) {
        return next.run(request).await;
    }
    let header_key = request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned);
    let query_key = request
        .uri()
        .query()
        .and_then(|q| rules::key_in_form(q.as_bytes()))
        .map(str::to_owned);
    let form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    // Nowhere a key could be: the body is left to stream to its handler (an upload is not held in memory here).
    if header_key.is_none() && query_key.is_none() && !form {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let limit = if parts.uri.path().starts_with("/applications/")
        || parts.uri.path().starts_with("/cases/")
    {
        app::server::uploads::UPLOAD_BODY_LIMIT
    } else {
        1024 * 1024
    };
    let Ok(bytes) = to_bytes(body, limit).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let key = match header_key {
        Some(k) if rules::well_formed(&k) => Some(k),
        Some(_) => return refuse(&parts.headers, Problem::BadKey),
        None => query_key.or_else(|| {
            form.then(|| rules::key_in_form(&bytes))
                .flatten()
                .map(str::to_owned)
        }),
    };
    let Some(key) = key else {
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    };
    let sender = parts
        .headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(app::server::session::token_from_cookies)
        .map(|t| format!("session:{t}"))
        .or_else(|| {
            parts
                .headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .map(|a| format!("bearer:{a}"))
        })
        .unwrap_or_else(|| "anonymous".into());
    let key_hash = store::key_hash(&sender, &key);
    let request_hash = {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(parts.method.as_str());
        h.update([0]);
        h.update(parts.uri.to_string());
        h.update([0]);
        h.update(without_boundary(&parts.headers, &bytes).as_ref());
        h.finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    // A double click without JavaScript sends the form twice at once: the second waits for the first's answer
    // (up to 10 s) and shows it, rather than a "still running" page.
    let mut claim = store::claim(
        &state.db,
        &key_hash,
        &request_hash,
        app::server::session::now(),
    )
    .await;
    for _ in 0..100 {
        if !matches!(claim, Ok(Claim::InProgress)) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        claim = store::claim(
            &state.db,
            &key_hash,
            &request_hash,
            app::server::session::now(),
        )
        .await;
    }
    match claim {
        Ok(Claim::Run) => {}
        Ok(Claim::Replay(answer)) => return replay(answer),
        Ok(Claim::InProgress) => return refuse(&parts.headers, Problem::InProgress),
        Ok(Claim::Mismatch) => {
            tracing::warn!(path = %parts.uri.path(), "an idempotency key was reused for another request");
            return refuse(&parts.headers, Problem::Mismatch);
        }
        Err(e) => {
            tracing::error!(error = %e, "idempotency store unavailable");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    }

    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let status = response.status();
    let (mut response_parts, body) = response.into_parts();
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(_) => {
            let _ = store::release(&state.db, &key_hash).await;
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let text = std::str::from_utf8(&bytes)
        .ok()
        .filter(|t| t.len() <= MAX_KEPT_BODY);
    let result = match text {
        Some(text) if rules::keeps(status.as_u16()) => {
            let headers = response_parts
                .headers
                .iter()
                .filter(|(name, _)| kept(name))
                .filter_map(|(name, value)| {
                    Some((name.to_string(), value.to_str().ok()?.to_owned()))
                })
                .collect();
            store::answer(
                &state.db,
                &key_hash,
                &Answer {
                    status: status.as_u16(),
                    headers,
                    body: text.to_owned(),
                },
            )
            .await
        }
        // A server error did nothing; an answer that cannot be kept cannot be replayed: either way a retry runs.
        _ => store::release(&state.db, &key_hash).await,
    };
    if let Err(e) = result {
        tracing::error!(error = %e, "could not keep an idempotent answer");
    }
    response_parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(response_parts, Body::from(bytes))
}

/// The body as it hashes: a multipart body with its boundary taken out. The browser picks a new boundary every
/// time it sends a form, so a double-clicked upload would otherwise look like another request.
fn without_boundary<'a>(headers: &HeaderMap, body: &'a [u8]) -> std::borrow::Cow<'a, [u8]> {
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|t| t.starts_with("multipart/form-data"))
        .and_then(|t| {
            t.split(';')
                .find_map(|p| p.trim().strip_prefix("boundary="))
        })
        .map(|b| b.trim_matches('"').as_bytes())
        .filter(|b| !b.is_empty());
    let Some(boundary) = boundary else {
        return std::borrow::Cow::Borrowed(body);
    };
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i..].starts_with(boundary) {
            i += boundary.len();
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    std::borrow::Cow::Owned(out)
}

fn replay(answer: Answer) -> Response {
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            headers.append(name, value);
        }
    }
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

#[derive(Clone, Copy)]
enum Problem {
    BadKey,
    InProgress,
    Mismatch,
}

/// A refusal in the sender's language, as plain text (a form post without JavaScript shows it as it is).
fn refuse(headers: &HeaderMap, problem: Problem) -> Response {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let lang = Prefs::from_headers(text(header::COOKIE), text(header::ACCEPT_LANGUAGE)).lang;
    let (status, zh, en) = match problem {
        Problem::BadKey => (
            StatusCode::BAD_REQUEST,
            "请求的幂等键格式不正确（应为 16–64 位字母、数字、“-”或“_”）。",
            "The Idempotency-Key is not well formed (16–64 letters, digits, '-' or '_').",
        ),
        Problem::InProgress => (
            StatusCode::CONFLICT,
            "这项操作正在处理中，请稍候刷新页面查看结果，不要重复提交。",
            "This request is still being processed. Please wait and reload the page; do not send it again.",
        ),
        Problem::Mismatch => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "这个请求编号已用于另一项内容不同的操作，本次操作未执行。请返回上一页刷新后重试。",
            "This request key was already used for a different request, so nothing was done. Go back, reload \
             the page and try again.",
        ),
    };
    let body = if lang == Lang::En { en } else { zh };
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multipart_body_hashes_without_its_boundary() {
        let headers = |b: &str| {
            let mut h = HeaderMap::new();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(&format!("multipart/form-data; boundary={b}"))
                    .expect("value"),
            );
            h
        };
        let body = |b: &str| {
            format!(
                "--{b}\r\ncontent-disposition: form-data; name=\"file\"\r\n\r\nPDF\r\n--{b}--\r\n"
            )
        };
        let one = without_boundary(
            &headers("----WebKitFormBoundaryA1"),
            body("----WebKitFormBoundaryA1").as_bytes(),
        )
        .into_owned();
        let two = without_boundary(
            &headers("----WebKitFormBoundaryZ9"),
            body("----WebKitFormBoundaryZ9").as_bytes(),
        )
        .into_owned();
        assert_eq!(one, two);
        // Other content still differs.
        let other = without_boundary(
            &headers("----WebKitFormBoundaryZ9"),
            body("----WebKitFormBoundaryZ9")
                .replace("PDF", "PNG")
                .as_bytes(),
        )
        .into_owned();
        assert_ne!(one, other);
        // A form body is hashed as it is.
        assert_eq!(without_boundary(&HeaderMap::new(), b"a=1").as_ref(), b"a=1");
    }
}
