//! The read-only catalog API, version 1, under `/api/v1/catalog`: departments, items and themes (with their step
//! graph) as JSON, for department systems and other portals. Ids are the catalog's stable ids; entries are written
//! as in the data files (`server/catalog/SCHEMA.md`). Every answer carries the catalog's content hash as its ETag
//! and may be cached for five minutes; a request whose `If-None-Match` holds that tag gets `304 Not Modified`.
//! Unknown ids and paths get a JSON 404: `{"error":"not_found","message":…}`.

use std::sync::Arc;

use app::domain::catalog::{Catalog, Department, Item, ItemKind, Limit, OnlineLevel, Text, Theme};
use app::domain::overview;
use app::domain::roadmap::CriticalPath;
use app::server::search_index::catalog_hash;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::{Json, Router};
use serde::Serialize;

/// What the handlers share: the catalog and its ETag, computed once.
#[derive(Clone)]
struct Api {
    catalog: Arc<Catalog>,
    etag: HeaderValue,
    /// The ETag's opaque part (the hash, without quotes), for `If-None-Match`.
    tag: String,
}

/// The API's routes, to be nested under `/api/v1/catalog`.
pub fn router<S: Clone + Send + Sync + 'static>(catalog: Arc<Catalog>) -> Router<S> {
    let tag = catalog_hash(&catalog);
    // Weak: the compression layer may send the same JSON in another content-coding.
    let etag = HeaderValue::from_str(&format!("W/\"{tag}\""))
        .unwrap_or(HeaderValue::from_static("W/\"\""));
    let api = Api { catalog, etag, tag };
    let mut router = Router::new();
    for (_, path, handler) in routes() {
        router = router.route(path, handler);
    }
    router
        .fallback(|| async { not_found("no such catalog API path") })
        .with_state(api)
}

/// Every route: (method, path under `/api/v1/catalog`, handler). The router is built from this list, and the
/// OpenAPI test (`crate::openapi`) compares it with the document.
fn routes() -> Vec<(&'static str, &'static str, MethodRouter<Api>)> {
    vec![
        ("GET", "/departments", get(departments)),
        ("GET", "/departments/{id}", get(department)),
        ("GET", "/items", get(items)),
        ("GET", "/items/{id}", get(item)),
        ("GET", "/themes", get(themes)),
        ("GET", "/themes/{id}", get(theme)),
    ]
}

/// The routes as (method, path under `/api/v1/catalog`).
#[cfg(test)]
pub fn route_table() -> Vec<(&'static str, &'static str)> {
    routes().into_iter().map(|(m, p, _)| (m, p)).collect()
}

/// Five minutes: a catalog reload reaches clients soon, and revalidating costs a 304.
const CACHE: &str = "public, max-age=300";

impl Api {
    /// The resource as JSON with the cache headers, or 304 when the client holds this version.
    fn answer<T: Serialize>(&self, request: &HeaderMap, body: impl FnOnce() -> T) -> Response {
        let fresh = request
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| matches_tag(v, &self.tag));
        let mut response = if fresh {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            Json(body()).into_response()
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE));
        // Public data, no credentials: any site may read it.
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        response
    }
}

/// Whether an `If-None-Match` value (`*`, or a list of tags, weak or strong) names `tag` (weak comparison).
fn matches_tag(if_none_match: &str, tag: &str) -> bool {
    if_none_match.split(',').map(str::trim).any(|candidate| {
        candidate == "*"
            || candidate
                .strip_prefix("W/")
                .unwrap_or(candidate)
                .strip_prefix('"')
                .and_then(|c| c.strip_suffix('"'))
                == Some(tag)
    })
}

#[derive(Serialize)]
struct ApiError {
    error: &'static str,
    message: String,
}

fn not_found(message: impl Into<String>) -> Response {
    let body = ApiError {
        error: "not_found",
        message: message.into(),
    };
    let mut response = (StatusCode::NOT_FOUND, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The 404 for an id that names nothing (the id is echoed inside JSON, cut short).
fn unknown(what: &str, id: &str) -> Response {
    let id: String = id.chars().take(64).collect();
    not_found(format!("no {what} with id \"{id}\""))
}

/// A link to another entry.
#[derive(Serialize)]
struct Link<'a> {
    id: &'a str,
    name: &'a Text,
}

#[derive(Serialize)]
struct DepartmentList<'a> {
    departments: &'a [Department],
}

async fn departments(State(api): State<Api>, headers: HeaderMap) -> Response {
    api.answer(&headers, || DepartmentList {
        departments: api.catalog.departments(),
    })
}

#[derive(Serialize)]
struct DepartmentDoc<'a> {
    #[serde(flatten)]
    department: &'a Department,
    items: Vec<Link<'a>>,
}

async fn department(
    State(api): State<Api>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(department) = api.catalog.department(&id) else {
        return unknown("department", &id);
    };
    api.answer(&headers, || DepartmentDoc {
        department,
        items: api
            .catalog
            .items_of(&id)
            .map(|i| Link {
                id: &i.id,
                name: &i.name,
            })
            .collect(),
    })
}

/// An item in the list: enough to choose one; `/items/{id}` has the whole guide.
#[derive(Serialize)]
struct ItemSummary<'a> {
    id: &'a str,
    name: &'a Text,
    summary: Option<&'a Text>,
    department: &'a str,
    kind: ItemKind,
    online_level: OnlineLevel,
    committed_limit: &'a Limit,
}

#[derive(Serialize)]
struct ItemList<'a> {
    items: Vec<ItemSummary<'a>>,
}

async fn items(State(api): State<Api>, headers: HeaderMap) -> Response {
    api.answer(&headers, || ItemList {
        items: api
            .catalog
            .items()
            .iter()
            .map(|i| ItemSummary {
                id: &i.id,
                name: &i.name,
                summary: i.summary.as_ref(),
                department: &i.department,
                kind: i.kind,
                online_level: i.online_level,
                committed_limit: &i.committed_limit,
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct ItemDoc<'a> {
    #[serde(flatten)]
    item: &'a Item,
    /// The themes with a step that may run this item.
    themes: Vec<Link<'a>>,
}

async fn item(State(api): State<Api>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let Some(item) = api.catalog.item(&id) else {
        return unknown("item", &id);
    };
    api.answer(&headers, || ItemDoc {
        item,
        themes: api
            .catalog
            .themes_using(&id)
            .map(|t| Link {
                id: &t.id,
                name: &t.name,
            })
            .collect(),
    })
}

/// A theme in the list; `/themes/{id}` has its questions and step graph.
#[derive(Serialize)]
struct ThemeSummary<'a> {
    id: &'a str,
    name: &'a Text,
    summary: Option<&'a Text>,
    domain: &'a str,
    lead_department: &'a str,
    historical: bool,
    committed_days: Option<u32>,
    steps: usize,
}

#[derive(Serialize)]
struct ThemeList<'a> {
    themes: Vec<ThemeSummary<'a>>,
}

async fn themes(State(api): State<Api>, headers: HeaderMap) -> Response {
    api.answer(&headers, || ThemeList {
        themes: api
            .catalog
            .themes()
            .iter()
            .map(|t| ThemeSummary {
                id: &t.id,
                name: &t.name,
                summary: t.summary.as_ref(),
                domain: &t.domain,
                lead_department: &t.lead_department,
                historical: t.historical,
                committed_days: t.committed_days,
                steps: t.steps.len(),
            })
            .collect(),
    })
}

/// A theme as in its data file — questions, and steps with `after`, `with` and conditions as text — plus the
/// step graph's stages (steps of one stage may run in parallel) and its critical path in working days.
#[derive(Serialize)]
struct ThemeDoc<'a> {
    #[serde(flatten)]
    theme: &'a Theme,
    stages: Vec<Vec<String>>,
    critical_path: CriticalPath,
}

async fn theme(State(api): State<Api>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let Some(theme) = api.catalog.theme(&id) else {
        return unknown("theme", &id);
    };
    // A validated catalog always has a step graph; should it not, the theme is served without one.
    let roadmap = overview(theme, &api.catalog)
        .inspect_err(|e| tracing::error!(theme = %id, error = %e, "theme has no step graph"))
        .ok();
    api.answer(&headers, || ThemeDoc {
        theme,
        stages: roadmap
            .as_ref()
            .map(|r| r.stages.clone())
            .unwrap_or_default(),
        critical_path: roadmap.map(|r| r.critical_path).unwrap_or(CriticalPath {
            steps: Vec::new(),
            working_days: 0,
            open_limits: Vec::new(),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use serde_json::Value;
    use tower::ServiceExt;

    fn api() -> Router {
        let catalog = app::domain::load::load_catalog(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/catalog"
        )))
        .expect("catalog");
        Router::new().nest("/api/v1/catalog", router(Arc::new(catalog)))
    }

    async fn send(uri: &str, if_none_match: Option<&str>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut request = Request::get(uri);
        if let Some(tag) = if_none_match {
            request = request.header(header::IF_NONE_MATCH, tag);
        }
        let response = api()
            .oneshot(request.body(Body::empty()).expect("request"))
            .await
            .expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (status, headers, body.to_vec())
    }

    async fn json(uri: &str) -> Value {
        let (status, headers, body) = send(uri, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{uri}");
        serde_json::from_slice(&body).expect("json")
    }

    #[tokio::test]
    async fn lists_every_department_item_and_theme_by_stable_id() {
        let departments = json("/api/v1/catalog/departments").await;
        let departments = departments["departments"].as_array().expect("list");
        assert!(departments.len() >= 20);
        assert!(departments
            .iter()
            .any(|d| d["id"] == "samr" && d["name"]["zh"] == "示范市市场监督管理局"));
        let items = json("/api/v1/catalog/items").await;
        let items = items["items"].as_array().expect("list");
        assert!(items.len() >= 60);
        assert!(items
            .iter()
            .all(|i| i["id"].is_string() && i["department"].is_string()));
        let themes = json("/api/v1/catalog/themes").await;
        let themes = themes["themes"].as_array().expect("list");
        assert!(themes.len() >= 8);
        assert!(themes
            .iter()
            .any(|t| t["id"] == "open-restaurant-2008" && t["historical"] == true));
    }

    #[tokio::test]
    async fn a_theme_comes_with_its_step_graph() {
        let theme = json("/api/v1/catalog/themes/open-restaurant").await;
        assert_eq!(theme["id"], "open-restaurant");
        let steps = theme["steps"].as_array().expect("steps");
        let stages = theme["stages"].as_array().expect("stages");
        assert!(stages.len() >= 2 && stages[0].as_array().map(Vec::len) == Some(1));
        // Every step is in exactly one stage, and waits only for steps of earlier stages.
        let stage_of = |id: &Value| {
            stages
                .iter()
                .position(|s| s.as_array().is_some_and(|s| s.contains(id)))
        };
        for step in steps {
            let stage = stage_of(&step["id"]).expect("staged");
            for after in step["after"].as_array().expect("after") {
                assert!(stage_of(after) < Some(stage), "{step}");
            }
        }
        assert!(
            steps.iter().any(|s| s["when"].is_string()),
            "conditions as text"
        );
        assert!(theme["critical_path"]["working_days"].as_u64().is_some());
        assert!(!theme["questions"].as_array().expect("questions").is_empty());
    }

    #[tokio::test]
    async fn items_and_departments_link_to_each_other() {
        let department = json("/api/v1/catalog/departments/samr").await;
        let items = department["items"].as_array().expect("items");
        let first = items[0]["id"].as_str().expect("id");
        let item = json(&format!("/api/v1/catalog/items/{first}")).await;
        assert_eq!(item["department"], "samr");
        assert!(item["statutory_limit"]["kind"].is_string());
        let licence = json("/api/v1/catalog/items/samr-business-registration").await;
        assert!(licence["themes"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t["id"] == "open-restaurant")));
    }

    #[tokio::test]
    async fn unknown_ids_and_paths_are_json_404s() {
        for uri in [
            "/api/v1/catalog/themes/no-such-theme",
            "/api/v1/catalog/items/%3Cscript%3E",
            "/api/v1/catalog/departments/'%20OR%201=1",
            "/api/v1/catalog/nothing",
        ] {
            let (status, headers, body) = send(uri, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
            assert_eq!(headers[header::CONTENT_TYPE], "application/json");
            let body: Value = serde_json::from_slice(&body).expect("json");
            assert_eq!(body["error"], "not_found");
            assert!(body["message"].is_string());
        }
        let (_, _, body) = send("/api/v1/catalog/items/%3Cscript%3E", None).await;
        let body: Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(body["message"], "no item with id \"<script>\"");
    }

    #[tokio::test]
    async fn the_catalog_hash_is_the_etag_and_a_match_is_304() {
        let (status, headers, _) = send("/api/v1/catalog/themes", None).await;
        assert_eq!(status, StatusCode::OK);
        let etag = headers[header::ETAG].to_str().expect("etag").to_owned();
        assert!(etag.starts_with("W/\"") && etag.len() == 64 + 4, "{etag}");
        assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=300");
        let strong = etag.trim_start_matches("W/");
        for tag in [etag.as_str(), strong, &format!("\"other\", {etag}"), "*"] {
            let (status, headers, body) = send(
                "/api/v1/catalog/items/samr-business-registration",
                Some(tag),
            )
            .await;
            assert_eq!(status, StatusCode::NOT_MODIFIED, "{tag}");
            assert!(body.is_empty());
            assert_eq!(headers[header::ETAG], etag.as_str());
        }
        let (status, _, _) = send("/api/v1/catalog/themes", Some("W/\"other\"")).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _, _) = send("/api/v1/catalog/themes/no-such-theme", Some(&etag)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        assert!(matches_tag("\"abc\"", "abc"));
        assert!(matches_tag("W/\"abc\"", "abc"));
        assert!(matches_tag("\"x\" , W/\"abc\"", "abc"));
        assert!(matches_tag("*", "abc"));
        assert!(!matches_tag("\"abcd\"", "abc"));
        assert!(!matches_tag("abc", "abc"));
        assert!(!matches_tag("", "abc"));
    }
}
