//! Writes the security audit trail for the HTTP layer (`app::server::security_audit`): every response a page or
//! server function marked as a refusal ([`MARK_HEADER`]), and every 401 or 403 answer however it came about (a
//! wrong API token, a cross-site form, a staff page asked for by a citizen). Who asked is resolved here from the
//! session cookie, so the code that refuses needs neither the database nor the session.

use app::server::security_audit::{self as audit, Kind, MARK_HEADER};
use app::server::session;
use app::server::state::AppState;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, Request, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::http::BEARER_API_PREFIX;

pub async fn audit_refusals(
    State(state): State<AppState>,
    request: Request<axum::body::Body>,
    next: Next,
) -> Response {
    // Kept cheaply (an address is a copy, a method, URI and cookie header share their bytes); words are made of them
    // only for a refusal.
    let address = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    let cookies: Vec<_> = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .cloned()
        .collect();
    let (method, uri) = (request.method().clone(), request.uri().clone());

    let mut response = next.run(request).await;
    let mut events: Vec<(Kind, String)> = response
        .headers()
        .get_all(MARK_HEADER)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(audit::parse_mark)
        .map(|(kind, target)| (kind, target.to_owned()))
        .collect();
    response.headers_mut().remove(MARK_HEADER);
    if events.is_empty()
        && matches!(
            response.status(),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
        )
    {
        let kind = if uri.path().starts_with(BEARER_API_PREFIX) {
            Kind::ApiTokenRefused
        } else {
            Kind::AccessRefused
        };
        events.push((kind, format!("{method} {}", uri.path())));
    }
    if events.is_empty() {
        return response;
    }
    let address = address.map(|ip| ip.to_string());
    let account = match &session::token_from_cookie_values(&cookies) {
        Some(token) => session::lookup(&state.db, token, session::now())
            .await
            .ok()
            .flatten()
            .map(|u| u.account_id),
        None => None,
    };
    for (kind, target) in events {
        if let Err(e) = audit::append(
            &state.db,
            kind,
            account,
            Some(&target),
            address.as_deref(),
            session::now(),
        )
        .await
        {
            tracing::error!(error = %e, kind = kind.code(), "cannot write the security audit row");
        }
    }
    response
}
