//! A cache of the catalog pages as anonymous visitors get them (issue #9: server throughput).
//!
//! The home page, theme overviews, department pages and the audience and life-stage lists are made from the catalog
//! alone (loaded once at start-up) and the date: for a visitor without a session the HTML depends only on the
//! path, the language and large-text preferences and whether the browser asked for HTML. The first such request
//! renders the page; later ones get the stored HTML with their own CSP nonce put back where the first one's was
//! (every inline script must carry the nonce of its own response's policy). Compression and the security headers
//! wrap this layer, so a stored page is compressed and given its policy like a fresh one.
//!
//! Not stored: anything with a session cookie (the header shows the account), a query string, another method or
//! path (item pages show published FAQs, search reads the index), an answer other than a plain 200 HTML page,
//! or one that sets a cookie or marks a refusal. Entries are keyed by the day the pages count from too — the
//! city's date plus the demo clock's offset (`clock::today`), as the theme pages' "completed by" dates are — and the
//! cache is dropped when full, so it stays small and never serves yesterday's dates, nor the dates of a demo clock
//! since moved.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use app::prefs::Prefs;
use app::server::db::Db;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::nonce::Nonce;
use time::Date;

/// Says whether a page came from the cache (`hit`) or was rendered and stored (`miss`).
pub const CACHE_HEADER: HeaderName = HeaderName::from_static("x-hall-page-cache");

/// Stands for the nonce in a stored page (never in a page: it is not valid HTML attribute text).
const PLACEHOLDER: &str = "\u{1}hall-nonce\u{1}";

/// At most this many pages (the catalog's pages in both languages and text sizes fit many times over).
const CAPACITY: usize = 2048;

/// The largest page stored; a longer answer is passed on unstored.
const MAX_PAGE: usize = 2 * 1024 * 1024;

pub struct PageCache {
    pages: Mutex<HashMap<String, Arc<Stored>>>,
    /// For today's date as the pages see it (the demo offset is stored in the database).
    db: Db,
}

struct Stored {
    headers: HeaderMap,
    /// The HTML with [`PLACEHOLDER`] where the nonce was.
    body: String,
}

/// Paths of pages made from the catalog only: `/`, `/themes/{id}`, `/departments/{id}`, `/audiences/{id}`,
/// `/stages/{id}`.
fn catalog_page(path: &str) -> bool {
    if path == "/" {
        return true;
    }
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("themes" | "departments" | "audiences" | "stages"), Some(id), None) => !id.is_empty(),
        _ => false,
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// What a request's page depends on besides the day, or `None` when its answer must not come from the cache.
fn key(request: &Request<Body>) -> Option<String> {
    if request.method() != Method::GET
        || request.uri().query().is_some()
        || !catalog_page(request.uri().path())
    {
        return None;
    }
    let headers = request.headers();
    let cookie = header_str(headers, &header::COOKIE);
    // Any session cookie (`__Host-hall_session`, or a client that dropped the prefix): not anonymous.
    if cookie.is_some_and(|c| c.contains("hall_session")) {
        return None;
    }
    let prefs = Prefs::from_headers(cookie, header_str(headers, &header::ACCEPT_LANGUAGE));
    let html = header_str(headers, &header::ACCEPT).is_some_and(|a| a.contains("text/html"));
    Some(format!(
        "{}|{}|{}|{html}",
        request.uri().path(),
        prefs.lang.code(),
        prefs.large_text
    ))
}

/// The cache key of a page on `day`: the day the pages count their dates from.
fn on_day(day: Date, key: &str) -> String {
    format!("{day}|{key}")
}

/// Whether a rendered answer may be stored for everyone.
fn storable(response: &Response) -> bool {
    response.status() == StatusCode::OK
        && header_str(response.headers(), &header::CONTENT_TYPE)
            .is_some_and(|t| t.starts_with("text/html"))
        && !response.headers().contains_key(header::SET_COOKIE)
        && !response
            .headers()
            .contains_key(app::server::security_audit::MARK_HEADER)
}

impl PageCache {
    pub fn new(db: Db) -> PageCache {
        PageCache {
            pages: Mutex::default(),
            db,
        }
    }

    fn get(&self, key: &str) -> Option<Arc<Stored>> {
        self.pages.lock().ok()?.get(key).cloned()
    }

    fn put(&self, key: String, stored: Stored) {
        if let Ok(mut pages) = self.pages.lock() {
            if pages.len() >= CAPACITY {
                pages.clear();
            }
            pages.insert(key, Arc::new(stored));
        }
    }
}

fn answer(stored: &Stored, nonce: &str, state: &'static str) -> Response {
    let mut response = Response::new(Body::from(stored.body.replace(PLACEHOLDER, nonce)));
    *response.headers_mut() = stored.headers.clone();
    response
        .headers_mut()
        .insert(CACHE_HEADER, HeaderValue::from_static(state));
    response
}

/// The middleware (inside compression and the security headers, which put the request's nonce in its extensions).
pub async fn page_cache(
    State(cache): State<Arc<PageCache>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let Some(page) = key(&request) else {
        return next.run(request).await;
    };
    let Some(nonce) = request.extensions().get::<Nonce>().map(|n| n.to_string()) else {
        return next.run(request).await;
    };
    // Read only for a request that may be cached (in production the clock's date, no query).
    let key = on_day(app::server::clock::today(&cache.db).await, &page);
    if let Some(stored) = cache.get(&key) {
        return answer(&stored, &nonce, "hit");
    }
    let response = next.run(request).await;
    if !storable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, MAX_PAGE).await {
        Ok(bytes) => bytes,
        Err(e) => {
            // The body is spent: the visitor gets an error they can retry, never half a page.
            tracing::error!(error = %e, "a catalog page could not be read for the cache");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let Ok(html) = String::from_utf8(bytes.to_vec()) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let mut headers = parts.headers.clone();
    headers.remove(header::CONTENT_LENGTH);
    let stored = Stored {
        headers,
        body: html.replace(&nonce, PLACEHOLDER),
    };
    let response = answer(&stored, &nonce, "miss");
    cache.put(key, stored);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_catalog_pages_are_cached() {
        for path in [
            "/",
            "/themes/open-restaurant",
            "/departments/samr",
            "/audiences/x",
            "/stages/y",
        ] {
            assert!(catalog_page(path), "{path}");
        }
        for path in [
            "/themes/open-restaurant/apply",
            "/items/samr-business-registration",
            "/departments/samr/performance",
            "/search",
            "/themes/",
            "/cases/1",
            "/work",
            "/my",
        ] {
            assert!(!catalog_page(path), "{path}");
        }
    }

    fn request(path: &str, cookie: Option<&str>) -> Request<Body> {
        let mut b = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        b.body(Body::empty()).expect("request")
    }

    #[test]
    fn the_key_follows_language_and_text_size_and_skips_sessions_and_queries() {
        let day = time::macros::date!(2026 - 11 - 27);
        let plain = key(&request("/", None)).expect("cached");
        let english = key(&request("/", Some("hall_lang=en"))).expect("cached");
        assert_ne!(plain, english);
        let large = key(&request("/", Some("hall_large_text=1")));
        assert!(large.is_some());
        assert_eq!(
            key(&request(
                "/",
                Some(&format!("{}=abc", app::server::session::COOKIE))
            )),
            None
        );
        assert_eq!(key(&request("/?q=1", None)), None);
        let post = Request::post("/").body(Body::empty()).expect("request");
        assert_eq!(key(&post), None);
        // The next day (or the demo clock moved) is another page: its "completed by" dates differ.
        let tomorrow = day.next_day().expect("a day");
        assert_ne!(on_day(day, &plain), on_day(tomorrow, &plain));
    }
}
