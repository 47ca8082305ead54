//! The HTTP surface: the router and its middleware stack. `router(state)` is what tests call without a socket.

use std::time::Duration;

use app::prefs::{safe_back_path, LANG_COOKIE, LARGE_TEXT_COOKIE};
use app::server::state::AppState;
use app::{shell, App};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderName, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use serde::Deserialize;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let leptos_options = state.leptos_options.clone();
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
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
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
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
        // it; panics become 500s (and are logged) instead of dropped connections; compression sits innermost.
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<axum::body::Body>| {
                let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path())
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(CatchPanicLayer::new())
            .layer(SetResponseHeaderLayer::overriding(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::REFERRER_POLICY,
                HeaderValue::from_static("same-origin"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_FRAME_OPTIONS,
                HeaderValue::from_static("DENY"),
            ))
            .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4))),
        )
        .with_state(state)
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
mod tests {
    use super::*;
    use app::server::db::Db;
    use axum::body::Body;
    use http_body_util::BodyExt;
    use leptos::prelude::LeptosOptions;
    use std::sync::Arc;
    use tower::ServiceExt;

    async fn app() -> Router {
        app_and_db().await.0
    }

    async fn app_and_db() -> (Router, Db) {
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
        let leptos_options = LeptosOptions::builder()
            .output_name("hall")
            .site_root("target/site")
            .build();
        let signer = app::server::signing::Signer::load_or_create(&db)
            .await
            .expect("signing key");
        let router = router(AppState {
            leptos_options,
            db: db.clone(),
            catalog: Arc::new(catalog),
            signer,
        });
        (router, db)
    }

    async fn body_text(response: Response) -> String {
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        String::from_utf8_lossy(&body).into_owned()
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

    #[tokio::test]
    async fn home_page_has_security_headers() {
        let response = get(app().await, "/").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert_eq!(response.headers()["x-frame-options"], "DENY");
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
        for q in [
            "%27%3B%20DROP%20TABLE%20search_doc%3B%20--",
            "%3Cscript%3E",
            "%F0%9F%98%80",
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
        let anonymous = get(app.clone(), "/account").await;
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
    }
}
