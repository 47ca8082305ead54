//! The HTTP surface: the router and its middleware stack. `router(state, security)` is what tests call without a
//! socket.
//!
//! Two pieces of web security live here:
//! - [`refuse_cross_site`]: every state-changing request (server functions under `/api/…`, uploads, `POST /prefs`)
//!   must come from a page of this site (`Sec-Fetch-Site`, else `Origin`), or it is refused with 403. Leptos does
//!   no such check by itself, and `SameSite=Lax` cookies alone leave same-site attackers and old browsers in.
//! - [`security_headers`]: every response (pages, files, errors, 404) carries a strict Content-Security-Policy
//!   with a fresh nonce, which the shell writes on its one inline script (the island loader).

use std::sync::Arc;
use std::time::Duration;

use app::prefs::{safe_back_path, LANG_COOKIE, LARGE_TEXT_COOKIE};
use app::server::state::AppState;
use app::{shell, App};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Request, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use leptos::nonce::Nonce;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use serde::Deserialize;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{
    DefaultPredicate, NotForContentType, Predicate, SizeAbove,
};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Paths for machines that authenticate with a bearer token, never a cookie: a cross-site request cannot borrow
/// a browser's credentials there, so [`refuse_cross_site`] leaves them alone: the department systems' API
/// (`/api/v1/dept/…`, `app::server::dept_api`).
pub const BEARER_API_PREFIX: &str = "/api/v1/dept/";

/// Web security settings from the configuration.
#[derive(Clone, Debug, Default)]
pub struct WebSecurity {
    /// Origins, besides the request's own, whose pages may send state-changing requests (`HALL_ALLOWED_ORIGINS`),
    /// lower case, e.g. `https://portal.example.gov.cn`.
    pub allowed_origins: Vec<String>,
}

/// The app's page routes, generated once per process.
///
/// Leptos renders the whole app to find its routes and, meanwhile, keeps every resource from loading with one
/// process-wide flag. Generating the list while another router renders a page would leave that page's resources
/// pending until the request times out (408), and the generation's end would let resources load inside the
/// generation, where the request's context is missing (a panic). A server builds one router before it serves, so
/// only a process with several routers (the tests) could meet this; generating the list once, before the first
/// router exists, rules it out for both.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The smallest answer worth compressing, in bytes.
pub const COMPRESS_FROM: u16 = 1024;

pub fn router(state: AppState, security: WebSecurity) -> Router {
    let routes = route_list();
    let leptos_options = state.leptos_options.clone();
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            // The nonce `security_headers` wrote into this response's policy: Leptos puts it on the inline scripts
            // it renders (it would otherwise make up one of its own, which the policy would not know).
            if let Some(nonce) = use_context::<http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<Nonce>().cloned())
            {
                provide_context(nonce);
            }
        }
    };
    let pkg_dir = format!(
        "{}/{}",
        leptos_options.site_root, leptos_options.site_pkg_dir
    );

    // Built JS/WASM/CSS: served precompressed (brotli, gzip) when the build left .br/.gz beside them.
    let pkg = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        ))
        .service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );

    // Scanned materials: larger bodies and more time than a form (8 MB over a slow phone line takes minutes).
    let uploads = Router::new()
        .route(
            "/applications/{draft}/materials/{material}",
            post(app::server::uploads::upload_material),
        )
        .route(
            "/applications/{draft}/uploads/{id}",
            get(app::server::uploads::download_upload),
        )
        .route(
            "/cases/{number}/corrections/{material}",
            post(app::server::uploads::upload_correction),
        )
        .layer(
            ServiceBuilder::new()
                .layer(RequestBodyLimitLayer::new(
                    app::server::uploads::UPLOAD_BODY_LIMIT,
                ))
                .layer(DefaultBodyLimit::max(
                    app::server::uploads::UPLOAD_BODY_LIMIT,
                ))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    Duration::from_secs(600),
                )),
        );

    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/prefs", post(set_prefs))
        .nest_service("/pkg", pkg)
        .nest("/api/v1/catalog", crate::catalog_api::router(state.catalog.clone()))
        .nest("/api/v1/dept", app::server::dept_api::router(state.clone()))
        .route(crate::openapi::PATH, get(crate::openapi::openapi))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(leptos::prelude::LeptosOptions::clone(&options))
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(
            ServiceBuilder::new()
                .layer(RequestBodyLimitLayer::new(1024 * 1024))
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30))),
        )
        .merge(uploads)
        .layer(
        // The stack, outermost first: a request id is set before tracing so every log line of a request carries
        // it; the security headers wrap everything below, so a panic's 500, a timeout's 408, a too-large body's 413
        // and a cross-site 403 carry them too; panics become 500s (and are logged) instead of dropped connections;
        // cross-site requests are refused before any handler reads their body; then compression, and innermost the
        // idempotency keys (so a refused cross-site request never claims a key).
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<axum::body::Body>| {
                let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path())
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(middleware::from_fn(security_headers))
            .layer(middleware::from_fn(one_session_read))
            // Refusals (a marked answer, any 401 or 403, a cross-site form's included) go to the audit trail.
            .layer(middleware::from_fn_with_state(state.clone(), crate::audit::audit_refusals))
            .layer(CatchPanicLayer::new())
            .layer(middleware::from_fn_with_state(Arc::new(security), refuse_cross_site))
            // Two levels. Pages at brotli/gzip 4: a page is what a phone waits for on its first visit. Everything
            // else (the server functions' JSON, such as the whole case; the APIs) at 1: for the 3 KB whole case
            // brotli 4 took 100 µs, more than the rest of the answer, and 1 takes 39 µs for 13% more bytes. The
            // inner layer compresses what is not HTML; the outer one sees its encoding, leaves it, and does pages.
            // Neither compresses an answer under 1 KB (the case page's live poll asks for a few dozen bytes): it
            // fits one packet either way, and a brotli encoder costs more to set up than the bytes it would save.
            .layer(
                CompressionLayer::new()
                    .quality(CompressionLevel::Precise(4))
                    .compress_when(DefaultPredicate::new().and(SizeAbove::new(COMPRESS_FROM))),
            )
            .layer(
                CompressionLayer::new().quality(CompressionLevel::Precise(1)).compress_when(
                    DefaultPredicate::new()
                        .and(SizeAbove::new(COMPRESS_FROM))
                        .and(NotForContentType::const_new("text/html")),
                ),
            )
            // Anonymous catalog pages from memory, with this response's nonce (compressed by the layer above).
            .layer(middleware::from_fn_with_state(
                Arc::new(crate::page_cache::PageCache::new(state.db.clone())),
                crate::page_cache::page_cache,
            ))
            // Innermost: a replayed answer is compressed and given the security headers like a fresh one.
            .layer(middleware::from_fn_with_state(state.clone(), crate::idempotency::idempotency))
            .layer(middleware::from_fn(bad_arguments_are_client_errors))
            .layer(middleware::from_fn(page_redirects_redirect)),
        )
        .with_state(state)
}

/// The Content-Security-Policy of every response, for one nonce. No `'unsafe-inline'` anywhere: an inline script
/// runs only with this response's nonce (the island loader carries it), the WASM may be
/// compiled (`'wasm-unsafe-eval'`), styles come from the stylesheet only (the app renders no inline style).
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
         form-action 'self'"
    )
}

/// Sets the security headers on every response, and a fresh CSP nonce for the request (in its extensions, where
/// the Leptos context picks it up). A handler's own policy is kept (uploads are served with a sandboxing one).
async fn security_headers(mut request: Request<axum::body::Body>, next: Next) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Other sites learn at most the origin; a case number in a path never leaves the site.
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        // frame-ancestors says it for current browsers; this for old ones.
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Gives the request its [`RequestUser`](app::server::session::RequestUser): however many parts of a page ask who
/// is signed in, the session is read once.
async fn one_session_read(mut request: Request<axum::body::Body>, next: Next) -> Response {
    request
        .extensions_mut()
        .insert(app::server::session::RequestUser::default());
    next.run(request).await
}

/// A server function called with arguments it cannot read (missing, of the wrong type, not UTF-8, nested too deep)
/// is the caller's mistake, but Leptos answers every server-function error with 500. This turns those into 400 —
/// with a sentence in the user's language for a browser's form post, and the encoded error (which the client
/// library decodes) otherwise. Errors the functions themselves return keep their status.
/// A page that sends its reader elsewhere (a protected page before sign-in) answers 302 whoever asks. Leptos's
/// redirect sets a real 302 only when the request accepts `text/html`: otherwise it assumes its own JavaScript
/// client and answers 200 with the `Location`, which for a page left other clients (a script, a link checker, a
/// crawler) a 200 with an empty page. Server functions (POST) keep Leptos's behaviour.
async fn page_redirects_redirect(request: Request<axum::body::Body>, next: Next) -> Response {
    let page = matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    let mut response = next.run(request).await;
    if page
        && response.status() == StatusCode::OK
        && response.headers().contains_key(header::LOCATION)
    {
        *response.status_mut() = StatusCode::FOUND;
        response.headers_mut().remove(header::CONTENT_LENGTH);
        *response.body_mut() = axum::body::Body::empty();
    }
    response
}

async fn bad_arguments_are_client_errors(
    request: Request<axum::body::Body>,
    next: Next,
) -> Response {
    let html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    // The language is worked out only for an answer that needs the sentence (the values share the request's bytes).
    let cookie = request.headers().get(header::COOKIE).cloned();
    let language = request.headers().get(header::ACCEPT_LANGUAGE).cloned();
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response
            .headers()
            .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let arguments = ["Args|", "Deserialization|", "MissingArg|"]
        .iter()
        .any(|kind| bytes.starts_with(kind.as_bytes()));
    if !arguments {
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    }
    tracing::info!(problem = %String::from_utf8_lossy(&bytes[..bytes.len().min(200)]), "a server function's arguments could not be read");
    if html {
        let prefs = app::prefs::Prefs::from_headers(
            cookie.as_ref().and_then(|v| v.to_str().ok()),
            language.as_ref().and_then(|v| v.to_str().ok()),
        );
        let text = match prefs.lang {
            app::domain::Lang::En => "The form arrived incomplete or malformed, so nothing was done. Go back, reload the page and try again.",
            _ => "提交的内容不完整或格式不正确，本次操作未执行。请返回上一页，刷新后重试。",
        };
        return (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            text,
        )
            .into_response();
    }
    parts.status = StatusCode::BAD_REQUEST;
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Whether a state-changing request comes from a page of this site (or of an allowed origin); the reason if not.
///
/// `Sec-Fetch-Site` is set by the browser and cannot be forged by a page: `same-origin` (our page) and `none` (typed
/// by the user, a bookmark) pass, `same-site` and `cross-site` do not. Browsers that do not send it (old ones, or
/// over plain HTTP to a host that is not localhost) send `Origin` on every POST, which must then be the request's
/// own origin (`Host`, and the scheme a TLS proxy reports in `X-Forwarded-Proto`). A request with neither header is
/// refused too: every browser of the last years sends one, and a program can send `Origin` itself.
pub fn cross_site_problem(
    uri: &Uri,
    headers: &HeaderMap,
    allowed_origins: &[String],
) -> Option<&'static str> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let origin = text("origin").map(str::to_ascii_lowercase);
    if let Some(origin) = &origin {
        if allowed_origins.iter().any(|o| o == origin) {
            return None;
        }
    }
    if let Some(site) = text("sec-fetch-site") {
        return match site {
            "same-origin" | "none" => None,
            _ => Some("Sec-Fetch-Site is not same-origin"),
        };
    }
    let Some(origin) = origin else {
        return Some("neither Sec-Fetch-Site nor Origin");
    };
    let host = text("host")
        .map(str::to_owned)
        .or_else(|| uri.authority().map(|a| a.as_str().to_owned()));
    let Some(host) = host else {
        return Some("no Host to compare Origin with");
    };
    let scheme = text("x-forwarded-proto")
        .and_then(|p| p.split(',').next())
        .map(str::trim)
        .filter(|p| matches!(*p, "http" | "https"))
        .or_else(|| uri.scheme_str())
        .unwrap_or("http");
    if origin == format!("{scheme}://{}", host.to_ascii_lowercase()) {
        None
    } else {
        Some("Origin is not this site")
    }
}

/// Refuses state-changing requests made by other sites' pages (cross-site request forgery) with a short 403,
/// before anything reads their body. Safe methods and the bearer-token API ([`BEARER_API_PREFIX`]) pass.
async fn refuse_cross_site(
    State(security): State<Arc<WebSecurity>>,
    request: Request<axum::body::Body>,
    next: Next,
) -> Response {
    // Safe methods (GET, HEAD, OPTIONS, TRACE) change nothing.
    if request.method().is_safe() || request.uri().path().starts_with(BEARER_API_PREFIX) {
        return next.run(request).await;
    }
    match cross_site_problem(request.uri(), request.headers(), &security.allowed_origins) {
        None => next.run(request).await,
        Some(problem) => {
            let origin = request
                .headers()
                .get(header::ORIGIN)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::warn!(%problem, %origin, "refused a cross-site request");
            (
                StatusCode::FORBIDDEN,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "跨站请求已拒绝：请从本站页面提交。\nCross-site request refused: submit from this site's pages.\n",
            )
                .into_response()
        }
    }
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The process can serve: the database answers (the catalog is loaded before the router exists).
async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

#[derive(Deserialize)]
struct PrefsForm {
    lang: Option<String>,
    large_text: Option<String>,
    back: Option<String>,
}

/// Remembers a display preference in a cookie and goes back to the page the form was on.
async fn set_prefs(Form(form): Form<PrefsForm>) -> Response {
    const YEAR: &str = "Max-Age=31536000; Path=/; SameSite=Lax";
    let mut cookies = Vec::new();
    if let Some(lang) = form.lang.as_deref().and_then(app::i18n::Lang::from_code) {
        cookies.push(format!("{LANG_COOKIE}={}; {YEAR}", lang.code()));
    }
    if let Some(value) = form.large_text.as_deref() {
        let on = if value == "1" { "1" } else { "0" };
        cookies.push(format!("{LARGE_TEXT_COOKIE}={on}; {YEAR}"));
    }
    let back = safe_back_path(form.back.as_deref().unwrap_or("/")).to_owned();
    let mut response = Redirect::to(&back).into_response();
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use app::server::db::Db;
    use axum::body::Body;
    use http_body_util::BodyExt;
    use leptos::prelude::LeptosOptions;
    use leptos::server_fn::ServerFn;
    use std::sync::Arc;
    use tower::ServiceExt;

    async fn app() -> Router {
        app_and_db().await.0
    }

    pub(crate) async fn app_and_db() -> (Router, Db) {
        let dir = std::env::temp_dir().join(format!(
            "hall-router-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let db = Db::connect(&format!("sqlite://{}/hall.db?mode=rwc", dir.display()), 2)
            .await
            .expect("db");
        let catalog = app::domain::load::load_catalog(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/catalog"
        )))
        .expect("catalog");
        app::server::search_index::sync(&db, &catalog)
            .await
            .expect("search index");
        // A site root of its own, with one static file.
        let site = dir.join("site");
        std::fs::create_dir_all(&site).expect("site dir");
        std::fs::write(
            site.join("favicon.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .expect("favicon");
        let leptos_options = LeptosOptions::builder()
            .output_name("hall")
            .site_root(site.display().to_string())
            .build();
        let signer = app::server::signing::Signer::load_or_create(&db)
            .await
            .expect("signing key");
        let router = router(
            AppState {
                leptos_options: leptos_options.into(),
                db: db.clone(),
                catalog: Arc::new(catalog),
                signer,
            },
            WebSecurity::default(),
        );
        (router, db)
    }

    async fn body_bytes(response: Response) -> axum::body::Bytes {
        response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
    }

    async fn body_text(response: Response) -> String {
        String::from_utf8_lossy(&body_bytes(response).await).into_owned()
    }

    async fn get(app: Router, uri: &str) -> Response {
        app.oneshot(Request::get(uri).body(Body::empty()).expect("request"))
            .await
            .expect("response")
    }

    #[tokio::test]
    async fn health_and_readiness() {
        let app = app().await;
        let health = get(app.clone(), "/healthz").await;
        assert_eq!(health.status(), StatusCode::OK);
        assert!(health.headers().contains_key("x-request-id"));
        assert_eq!(get(app, "/readyz").await.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn unknown_url_is_a_404_page_in_chinese() {
        let response = get(app().await, "/no/such/page").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let html = body_text(response).await;
        assert!(html.contains("<html lang=\"zh-CN\""), "{html}");
        assert!(html.contains("找不到这个页面"));
        assert!(html.contains("href=\"/\""));
    }

    /// The policy's nonce, after checking the rest of the policy is the strict one.
    fn csp_nonce(response: &Response) -> String {
        let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp")
            .to_owned();
        for part in [
            "default-src 'self'",
            "'wasm-unsafe-eval'",
            "style-src 'self';",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(part), "{part} missing: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("a nonce in script-src")
            .to_owned();
        assert!(nonce.len() >= 16, "{nonce}");
        nonce
    }

    fn assert_security_headers(response: &Response, what: &str) {
        let h = response.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
        assert_eq!(h["x-frame-options"], "DENY", "{what}");
        assert_eq!(
            h["referrer-policy"], "strict-origin-when-cross-origin",
            "{what}"
        );
        assert_eq!(h["cross-origin-opener-policy"], "same-origin", "{what}");
        assert!(
            h["permissions-policy"]
                .to_str()
                .expect("ascii")
                .contains("camera=()"),
            "{what}"
        );
        csp_nonce(response);
    }

    #[tokio::test]
    async fn home_page_has_security_headers() {
        let response = get(app().await, "/").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_security_headers(&response, "/");
    }

    /// Every inline script Leptos renders carries this response's nonce; each response has a new one.
    #[tokio::test]
    async fn inline_scripts_carry_the_policys_nonce() {
        let app = app().await;
        let first = get(app.clone(), "/").await;
        let nonce = csp_nonce(&first);
        let html = body_text(first).await;
        let scripts = html.matches("<script").count();
        assert!(scripts > 0, "{html}");
        assert_eq!(
            html.matches(&format!("<script type=\"module\" nonce=\"{nonce}\""))
                .count()
                + html.matches(&format!("<script nonce=\"{nonce}\"")).count(),
            scripts,
            "every <script> has the nonce {nonce}: {html}"
        );
        assert!(!html.contains(" onclick="), "no inline event handlers");
        assert!(!html.contains(" style=\""), "no inline styles");
        let second = get(app.clone(), "/").await;
        let second_nonce = csp_nonce(&second);
        assert_ne!(second_nonce, nonce);
        // The second answer came from the page cache, with its own nonce where the first one's was.
        assert_eq!(second.headers()[crate::page_cache::CACHE_HEADER], "hit");
        let again = body_text(second).await;
        assert_eq!(again.replace(&second_nonce, &nonce), html);
        assert!(!again.contains(&nonce));
    }

    /// A signed-in visitor's page, an item page (it shows published FAQs) and a page with a query are rendered
    /// every time.
    #[tokio::test]
    async fn only_anonymous_catalog_pages_come_from_the_cache() {
        let app = app().await;
        for _ in 0..2 {
            let theme = get(app.clone(), "/themes/open-restaurant").await;
            assert_eq!(theme.status(), StatusCode::OK);
        }
        let theme = get(app.clone(), "/themes/open-restaurant").await;
        assert_eq!(theme.headers()[crate::page_cache::CACHE_HEADER], "hit");
        for path in ["/items/samr-business-registration", "/search?q=%E9%A4%90"] {
            for _ in 0..2 {
                let page = get(app.clone(), path).await;
                assert!(
                    !page.headers().contains_key(crate::page_cache::CACHE_HEADER),
                    "{path}"
                );
            }
        }
        let signed_in = app
            .clone()
            .oneshot(
                Request::get("/themes/open-restaurant")
                    .header(header::ACCEPT, "text/html")
                    .header(
                        header::COOKIE,
                        format!("{}=not-a-session", app::server::session::COOKIE),
                    )
                    .body(axum::body::Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        assert_eq!(signed_in.status(), StatusCode::OK);
        assert!(!signed_in
            .headers()
            .contains_key(crate::page_cache::CACHE_HEADER));
    }

    /// Pages, static files, the 404 page, API answers, refusals: every response has the headers.
    #[tokio::test]
    async fn every_kind_of_response_has_the_security_headers() {
        let app = app().await;
        for uri in [
            "/favicon.svg",
            "/no/such/page",
            "/healthz",
            "/api/v1/catalog/themes",
            "/api/v1/catalog/themes/nope",
            "/applications/nope/uploads/1",
            "/login",
        ] {
            let response = get(app.clone(), uri).await;
            assert!(response.status().as_u16() < 500, "{uri}");
            assert_security_headers(&response, uri);
        }
        let refused = app
            .oneshot(
                Request::post("/prefs")
                    .header(header::ORIGIN, "https://evil.example")
                    .body(Body::from("lang=en"))
                    .expect("request"),
            )
            .await
            .expect("response");
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert_security_headers(&refused, "403");
    }

    fn post_with(uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
        let mut request = Request::post(uri)
            .header(header::HOST, "hall.example")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request
            .body(Body::from("lang=en&back=%2F"))
            .expect("request")
    }

    /// Cross-site request forgery: a state-changing request from another site's page is refused with 403 and a
    /// short message before anything runs; the site's own pages, typed URLs and allowed origins pass.
    #[tokio::test]
    async fn cross_site_posts_are_refused_and_same_origin_ones_pass() {
        let app = app().await;
        let refused: &[&[(&str, &str)]] = &[
            &[
                ("sec-fetch-site", "cross-site"),
                ("origin", "https://evil.example"),
            ],
            &[
                ("sec-fetch-site", "same-site"),
                ("origin", "https://a.hall.example"),
            ],
            // A browser without Sec-Fetch-Site: the Origin decides.
            &[("origin", "https://evil.example")],
            &[("origin", "null")],
            &[("origin", "https://hall.example")],
            &[("origin", "http://hall.example.evil.example")],
            // Neither header.
            &[],
            // Sec-Fetch-Site wins over an Origin that looks right.
            &[
                ("sec-fetch-site", "cross-site"),
                ("origin", "http://hall.example"),
            ],
        ];
        for headers in refused {
            let response = app
                .clone()
                .oneshot(post_with("/prefs", headers))
                .await
                .expect("response");
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{headers:?}");
            assert!(!response.headers().contains_key(header::SET_COOKIE));
            let text = body_text(response).await;
            assert!(text.contains("Cross-site request refused"), "{text}");
        }
        let allowed: &[&[(&str, &str)]] = &[
            &[
                ("sec-fetch-site", "same-origin"),
                ("origin", "http://hall.example"),
            ],
            &[("sec-fetch-site", "none")],
            &[("origin", "http://hall.example")],
            &[("origin", "http://HALL.example")],
            &[
                ("origin", "https://hall.example"),
                ("x-forwarded-proto", "https"),
            ],
        ];
        for headers in allowed {
            let response = app
                .clone()
                .oneshot(post_with("/prefs", headers))
                .await
                .expect("response");
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{headers:?}");
        }
        // Server functions and uploads are refused the same way, before they run or read the body.
        for uri in [
            "/api/account/login",
            "/api/account/logout",
            "/applications/x/materials/y",
        ] {
            let response = app
                .clone()
                .oneshot(post_with(uri, &[("sec-fetch-site", "cross-site")]))
                .await
                .expect("response");
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{uri}");
        }
        // Reading is never refused; the bearer-token API is exempt by prefix (an unknown path there: 404, not 403).
        let read = app
            .clone()
            .oneshot(
                Request::get("/login")
                    .header("sec-fetch-site", "cross-site")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        assert_eq!(read.status(), StatusCode::OK);
        let machine = app
            .oneshot(post_with(
                &format!("{BEARER_API_PREFIX}cases"),
                &[("sec-fetch-site", "cross-site")],
            ))
            .await
            .expect("response");
        assert_ne!(machine.status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn allowed_origins_may_post_from_another_site() {
        let uri: Uri = "/prefs".parse().expect("uri");
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("hall.example"));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://Portal.example.gov.cn"),
        );
        headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(cross_site_problem(&uri, &headers, &[]).is_some());
        let allowed = ["https://portal.example.gov.cn".to_owned()];
        assert_eq!(cross_site_problem(&uri, &headers, &allowed), None);
    }

    #[tokio::test]
    async fn the_catalog_api_is_json_under_v1() {
        let response = get(app().await, "/api/v1/catalog/themes/open-restaurant").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        assert!(response.headers().contains_key(header::ETAG));
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        let missing = get(app().await, "/api/v1/catalog/themes/nope").await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_eq!(missing.headers()[header::CONTENT_TYPE], "application/json");
    }

    /// Pages and JSON answers are compressed once each, by the layer for their kind: their size is nearer to
    /// their text compressed here at that layer's level (4 for pages, 1 for the rest) than at the other. They say
    /// so in `Vary` once and decode to what they were. An answer under 1 KB is sent uncompressed.
    #[tokio::test]
    async fn pages_and_json_are_compressed_once_at_their_level() {
        use std::io::{Read, Write};

        let gzip = |text: &str, level: u32| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
            e.write_all(text.as_bytes()).expect("gzip");
            e.finish().expect("gzip").len()
        };
        let app = app().await;
        for (uri, starts, level, other) in [
            ("/", "<!DOCTYPE html>", 4, 1),
            ("/api/v1/catalog/themes/open-restaurant", "{", 1, 4),
        ] {
            let response = app
                .clone()
                .oneshot(
                    Request::get(uri)
                        .header(header::ACCEPT_ENCODING, "gzip")
                        .body(Body::empty())
                        .expect("request"),
                )
                .await
                .expect("response");
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            assert_eq!(
                response.headers()[header::CONTENT_ENCODING],
                "gzip",
                "{uri}"
            );
            let vary: Vec<_> = response.headers().get_all(header::VARY).iter().collect();
            assert_eq!(vary, ["accept-encoding"], "{uri}");
            let bytes = body_bytes(response).await;
            let mut text = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .expect("one gzip layer around text");
            assert!(
                text.starts_with(starts),
                "{uri}: {}",
                &text[..text.len().min(40)]
            );
            let (sent, at_level, at_other) = (bytes.len(), gzip(&text, level), gzip(&text, other));
            assert!(
                sent.abs_diff(at_level) < sent.abs_diff(at_other),
                "{uri}: {sent} bytes sent; at level {level} {at_level}, at {other} {at_other}"
            );
        }
        // An answer under COMPRESS_FROM bytes (here a 65-byte JSON error) goes as it is.
        let response = app
            .oneshot(
                Request::get("/api/v1/catalog/items/nonexistent")
                    .header(header::ACCEPT_ENCODING, "gzip")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        assert!(!response.headers().contains_key(header::CONTENT_ENCODING));
        let text = body_text(response).await;
        assert!(
            text.starts_with("{\"error\"")
                && text.len() > 32
                && text.len() < usize::from(COMPRESS_FROM),
            "{text}"
        );
    }

    /// Every documented route is a route of the real router with that method (not the API's fallback, not 405);
    /// the department API asks for a bearer token in JSON, and serves its OpenAPI document.
    #[tokio::test]
    async fn every_api_route_is_served_and_the_department_api_wants_a_token() {
        let app = app().await;
        for (method, path) in crate::openapi::served_routes() {
            let uri = path.replace("{id}", "samr");
            let request = Request::builder()
                .method(method.as_str())
                .uri(&uri)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .expect("request");
            let response = app.clone().oneshot(request).await.expect("response");
            let status = response.status();
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
            let text = body_text(response).await;
            assert!(
                !text.contains("API path"),
                "{method} {uri} fell through: {text}"
            );
            if path.starts_with("/api/v1/dept/") {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {uri}");
            } else {
                assert!(
                    status.is_success() || status == StatusCode::NOT_FOUND,
                    "{method} {uri}"
                );
            }
        }
        let response = get(app.clone(), "/api/v1/dept/tasks").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            response.headers()[header::WWW_AUTHENTICATE],
            "Bearer realm=\"hall-dept\""
        );
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        let body: serde_json::Value =
            serde_json::from_str(&body_text(response).await).expect("json");
        assert_eq!(body["error"], "unauthorized");
        assert!(body["message"]
            .as_str()
            .is_some_and(|m| m.contains("Bearer")));
        let document = get(app, crate::openapi::PATH).await;
        assert_eq!(document.status(), StatusCode::OK);
        assert_eq!(document.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(body_text(document).await, crate::openapi::DOCUMENT);
    }

    #[tokio::test]
    async fn the_search_page_answers_from_the_index_whatever_the_query() {
        // 饭店 is a synonym of 餐饮: the restaurant theme is found.
        let response = get(app().await, "/search?q=%E9%A5%AD%E5%BA%97").await;
        assert_eq!(response.status(), StatusCode::OK);
        let html = body_text(response).await;
        // Results, not the no-result suggestions (which list every current theme, marriage too).
        assert!(
            html.contains("开办餐饮店") && !html.contains("结婚登记"),
            "{html}"
        );
        assert!(
            html.contains("个主题服务、") && html.contains("个办事事项。"),
            "the counts are said: {html}"
        );
        for q in [
            "%27%3B%20DROP%20TABLE%20search_doc%3B%20--",
            "%3Cscript%3E",
            "%F0%9F%98%80",
            "%E7%A4%BA%E8%8C%83&page=2",
            "%E7%A4%BA%E8%8C%83&page=-1",
            "%E7%A4%BA%E8%8C%83&page=99999999999999999999",
            "%E7%A4%BA%E8%8C%83&page=%3Cb%3E",
        ] {
            let response = get(app().await, &format!("/search?q={q}")).await;
            assert_eq!(response.status(), StatusCode::OK, "{q}");
        }
    }

    #[tokio::test]
    async fn prefs_set_a_cookie_and_never_redirect_off_site() {
        for (back, expected) in [
            ("%2Fthemes", "/themes"),
            ("%2F%2Fevil.example", "/"),
            ("https%3A%2F%2Fevil.example", "/"),
        ] {
            let request = Request::post("/prefs")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(format!("lang=en&back={back}")))
                .expect("request");
            let response = app().await.oneshot(request).await.expect("response");
            assert_eq!(response.status(), StatusCode::SEE_OTHER);
            assert_eq!(response.headers()[header::LOCATION], expected);
            let cookie = response.headers()[header::SET_COOKIE]
                .to_str()
                .expect("cookie");
            assert!(cookie.starts_with("hall_lang=en;"), "{cookie}");
        }
    }

    fn form_post(uri: &str, body: &str) -> Request<Body> {
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .header(header::ACCEPT, "text/html")
            .body(Body::from(body.to_owned()))
            .expect("request")
    }

    /// A form POST without JavaScript: the server answers with a redirect (post/redirect/get).
    #[tokio::test]
    async fn sign_in_without_javascript_sets_a_host_cookie_and_redirects_to_next_on_site_only() {
        let (app, db) = app_and_db().await;
        let account = app::server::accounts::DemoAccount {
            login: "router-a".into(),
            password: "pw-router-a".into(),
            display_name: "路由".into(),
            role: "window".into(),
            department: None,
        };
        app::server::accounts::seed_demo_accounts(&db, &[account])
            .await
            .expect("seed");

        let response = app
            .clone()
            .oneshot(form_post(
                "/api/account/login",
                "login=router-a&password=pw-router-a&next=%2Faccount",
            ))
            .await
            .expect("response");
        assert_eq!(response.status(), StatusCode::FOUND);
        assert_eq!(response.headers()[header::LOCATION], "/account");
        let cookie = response.headers()[header::SET_COOKIE]
            .to_str()
            .expect("cookie")
            .to_owned();
        assert!(
            cookie.starts_with("__Host-hall_session=")
                && cookie.contains("; Path=/; Secure; HttpOnly; SameSite=Lax"),
            "{cookie}"
        );
        let token = cookie
            .trim_start_matches("__Host-hall_session=")
            .split(';')
            .next()
            .expect("token");

        // The cookie opens /account; without it the page redirects to sign in.
        let page = app
            .clone()
            .oneshot(
                Request::get("/account")
                    .header(header::COOKIE, format!("__Host-hall_session={token}"))
                    .header(header::ACCEPT, "text/html")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        assert_eq!(page.status(), StatusCode::OK);
        assert!(body_text(page).await.contains("路由"));
        // Asked without `Accept: text/html` (a script, a link checker) it is a real redirect too, not a 200.
        let anonymous = get(app.clone(), "/account").await;
        assert_eq!(anonymous.status(), StatusCode::FOUND);
        assert_eq!(
            anonymous.headers()[header::LOCATION],
            "/login?next=%2Faccount"
        );

        // Wrong password: back to the form with a code and the account typed, never the password.
        let wrong = app
            .clone()
            .oneshot(form_post(
                "/api/account/login",
                "login=router-a&password=nope&next=%2F%2Fevil.example",
            ))
            .await
            .expect("response");
        assert_eq!(wrong.status(), StatusCode::FOUND);
        let location = wrong.headers()[header::LOCATION]
            .to_str()
            .expect("location");
        assert_eq!(location, "/login?error=wrong&login=router-a");
        assert!(!wrong.headers().contains_key(header::SET_COOKIE));

        // An off-site next is replaced by the home page.
        let offsite = app
            .oneshot(form_post(
                "/api/account/login",
                "login=router-a&password=pw-router-a&next=https%3A%2F%2Fevil.example%2F",
            ))
            .await
            .expect("response");
        assert_eq!(offsite.headers()[header::LOCATION], "/");

        // Each sign-in, good or bad, is in the security audit trail; the failed one names no account (what was
        // typed may be a mobile number) and no response shows the internal audit mark.
        let id: i64 = sqlx::query_scalar("SELECT id FROM account WHERE login = 'router-a'")
            .fetch_one(&db.pool)
            .await
            .expect("id");
        let kinds: Vec<(String, Option<i64>)> =
            sqlx::query_as("SELECT kind, account_id FROM security_event ORDER BY id")
                .fetch_all(&db.pool)
                .await
                .expect("events");
        assert_eq!(
            kinds,
            [
                ("signed_in".to_owned(), Some(id)),
                ("sign_in_failed".to_owned(), None),
                ("signed_in".to_owned(), Some(id)),
            ]
        );
        assert!(!wrong
            .headers()
            .contains_key(app::server::security_audit::MARK_HEADER));
    }

    /// A refusal of a signed-in visitor's request is in the audit trail with who asked and what (`audit.rs`
    /// works both out only for a refusal).
    #[tokio::test]
    async fn a_refused_request_is_audited_with_its_account_and_target() {
        let (app, db) = app_and_db().await;
        let cookie = signed_in(&app, &db, "audit-citizen", "citizen").await;
        let mut request = post_with("/prefs", &[("sec-fetch-site", "cross-site")]);
        request.headers_mut().insert(
            header::COOKIE,
            HeaderValue::from_str(&cookie).expect("cookie"),
        );
        let response = app.clone().oneshot(request).await.expect("response");
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let id: i64 = sqlx::query_scalar("SELECT id FROM account WHERE login = 'audit-citizen'")
            .fetch_one(&db.pool)
            .await
            .expect("id");
        let refused: Vec<(Option<i64>, Option<String>)> = sqlx::query_as(
            "SELECT account_id, target FROM security_event WHERE kind = 'access_refused' ORDER BY id",
        )
        .fetch_all(&db.pool)
        .await
        .expect("events");
        assert_eq!(refused, [(Some(id), Some("POST /prefs".to_owned()))]);
    }

    /// Signs in a seeded account through the real sign-in and returns its cookie header.
    pub(crate) async fn signed_in(app: &Router, db: &Db, login: &str, role: &str) -> String {
        let account = app::server::accounts::DemoAccount {
            login: login.into(),
            password: format!("pw-{login}"),
            display_name: login.into(),
            role: role.into(),
            department: None,
        };
        app::server::accounts::seed_demo_accounts(db, &[account])
            .await
            .expect("seed");
        let response = app
            .clone()
            .oneshot(form_post(
                "/api/account/login",
                &format!("login={login}&password=pw-{login}&next=%2F"),
            ))
            .await
            .expect("response");
        let cookie = response.headers()[header::SET_COOKIE]
            .to_str()
            .expect("cookie");
        cookie.split(';').next().expect("pair").to_owned()
    }

    /// Every form carries a key: a retry gets the first answer and acts once; the key with another body is
    /// refused and nothing happens; two sends at once act once; without a key every send acts.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_retried_form_acts_once_and_a_reused_key_with_other_content_is_refused() {
        let (app, db) = app_and_db().await;
        let cookie = signed_in(&app, &db, "idem-admin", "admin").await;
        let path = app::api::admin::CreateApiToken::PATH;
        let post = |body: String| {
            let mut request = form_post(path, &body);
            request.headers_mut().insert(
                header::COOKIE,
                HeaderValue::from_str(&cookie).expect("cookie"),
            );
            app.clone().oneshot(request)
        };
        let tokens = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM api_token WHERE name LIKE 'idem-%'")
                .fetch_one(&db.pool)
                .await
                .expect("count")
        };

        let key = "idem-test-0123456789abcdef";
        let body = format!("name=idem-one&department=samr&idem={key}");
        let first = post(body.clone()).await.expect("response");
        assert_eq!(first.status(), StatusCode::FOUND);
        let location = first.headers()[header::LOCATION].clone();
        assert!(!first.headers().contains_key(crate::idempotency::REPLAYED));
        let again = post(body.clone()).await.expect("response");
        assert_eq!(again.status(), StatusCode::FOUND);
        assert_eq!(again.headers()[header::LOCATION], location);
        assert_eq!(again.headers()[crate::idempotency::REPLAYED], "true");
        // A replay carries no cookie (the shown-once secret is never stored) but the security headers.
        assert!(!again.headers().contains_key(header::SET_COOKIE));
        assert!(again
            .headers()
            .contains_key(header::CONTENT_SECURITY_POLICY));
        assert_eq!(tokens().await, 1);

        // The same key with another body: refused, in Chinese, nothing created.
        let other = post(format!("name=idem-two&department=samr&idem={key}"))
            .await
            .expect("response");
        assert_eq!(other.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body_text(other).await.contains("本次操作未执行"));
        assert_eq!(tokens().await, 1);

        // A malformed key is refused before anything runs.
        let mut bad = form_post(path, "name=idem-bad&department=samr");
        bad.headers_mut().insert(
            header::COOKIE,
            HeaderValue::from_str(&cookie).expect("cookie"),
        );
        bad.headers_mut()
            .insert("idempotency-key", HeaderValue::from_static("short"));
        let bad = app.clone().oneshot(bad).await.expect("response");
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        assert_eq!(tokens().await, 1);

        // Two sends at once (a double click): one acts, both are answered alike.
        let body = "name=idem-three&department=samr&idem=idem-test-fedcba9876543210".to_owned();
        let (a, b) = tokio::join!(post(body.clone()), post(body));
        let (a, b) = (a.expect("a"), b.expect("b"));
        assert_eq!(a.status(), b.status());
        assert_eq!(a.headers()[header::LOCATION], b.headers()[header::LOCATION]);
        assert_eq!(tokens().await, 2);

        // Without a key, each send acts (the dedupe above is the key's doing).
        for _ in 0..2 {
            post("name=idem-four&department=samr".to_owned())
                .await
                .expect("response");
        }
        assert_eq!(tokens().await, 4);
    }

    /// Another sender's key is another key: the same key from a second session acts again.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn keys_belong_to_their_sender() {
        let (app, db) = app_and_db().await;
        let one = signed_in(&app, &db, "idem-one", "admin").await;
        let two = signed_in(&app, &db, "idem-two", "admin").await;
        for cookie in [&one, &two] {
            let mut request = form_post(
                app::api::admin::CreateApiToken::PATH,
                "name=idem-shared&department=samr&idem=idem-shared-0123456789",
            );
            request.headers_mut().insert(
                header::COOKIE,
                HeaderValue::from_str(cookie).expect("cookie"),
            );
            let response = app.clone().oneshot(request).await.expect("response");
            assert!(!response
                .headers()
                .contains_key(crate::idempotency::REPLAYED));
        }
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM api_token WHERE name = 'idem-shared'")
                .fetch_one(&db.pool)
                .await
                .expect("count");
        assert_eq!(count, 2);
    }
}
