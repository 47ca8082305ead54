//! Bad input never breaks the server (issue #10): every registered server function and every API route gets
//! random and malformed requests — missing fields, wrong types, huge strings, invalid UTF-8, deep nesting, broken
//! percent-encoding, JSON where a form is expected — anonymous and signed in. Not one may answer with a server
//! error (5xx) or panic, and the server answers `/healthz` afterwards. The generator is seeded (the seed is printed
//! on failure), so a failure can be replayed with `HALL_FUZZ_SEED`.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::http::tests::{app_and_db, signed_in};

/// A small deterministic generator (xorshift64*), so a failing seed replays exactly.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, of: &[&'a str]) -> &'a str {
        of[self.below(of.len())]
    }
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// Field names the app's server functions take, so malformed values reach the parsers (not only "unknown field").
const FIELDS: &[&str] = &[
    "number",
    "version",
    "step",
    "action",
    "reason",
    "appeal",
    "promised",
    "deadline",
    "days",
    "draft",
    "upload",
    "id",
    "theme",
    "answers",
    "sig",
    "section",
    "lang",
    "filter",
    "disable",
    "role",
    "department",
    "password",
    "password_confirm",
    "login",
    "display_name",
    "name",
    "code",
    "pass",
    "query",
    "by",
    "next",
    "mobile",
    "resident_id",
    "idem",
    "fields",
    "items",
];

const VALUES: &[&str] = &[
    "",
    "0",
    "-1",
    "9223372036854775808",
    "1e999",
    "NaN",
    "true",
    "null",
    "[]",
    "{}",
    "%zz",
    "%",
    "%00",
    "%C0%AF",
    "%FF%FE",
    "A1",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "中文",
    "🙂",
    "\u{202e}",
    "2026-02-30",
    "zh",
    "en",
    "xx",
    "accept",
    "approve",
    "all",
];

fn value(g: &mut Gen) -> String {
    match g.below(6) {
        0 => "A".repeat(200_000),
        1 => "[".repeat(g.below(5000) + 1),
        2 => format!("{}{}", g.pick(VALUES), g.pick(VALUES)),
        _ => g.pick(VALUES).to_owned(),
    }
}

/// One malformed request body and its content type.
fn body(g: &mut Gen) -> (Vec<u8>, &'static str) {
    const FORM: &str = "application/x-www-form-urlencoded";
    match g.below(9) {
        0 => (Vec::new(), FORM),
        1 => {
            let n = g.below(2000);
            (g.bytes(n), FORM)
        }
        2 => ("[".repeat(20_000).into_bytes(), "application/json"),
        3 => (
            b"{\"number\": {\"$gt\": \"\"}, \"version\": [1, 2]}".to_vec(),
            "application/json",
        ),
        4 => {
            let name = g.pick(FIELDS);
            let deep = "[a]".repeat(g.below(300) + 1);
            (format!("{name}{deep}=1").into_bytes(), FORM)
        }
        5 => {
            let n = g.below(400);
            (g.bytes(n), "multipart/form-data; boundary=x")
        }
        _ => {
            let pairs = g.below(8);
            let mut form = Vec::new();
            for i in 0..pairs {
                if i > 0 {
                    form.push(b'&');
                }
                let name = if g.below(10) == 0 {
                    "%zz"
                } else {
                    g.pick(FIELDS)
                };
                form.extend_from_slice(name.as_bytes());
                form.push(b'=');
                form.extend_from_slice(value(g).as_bytes());
            }
            (form, FORM)
        }
    }
}

async fn send(
    app: &Router,
    method: Method,
    path: &str,
    body: Vec<u8>,
    kind: &str,
    cookie: Option<&str>,
) -> StatusCode {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, kind)
        .header("sec-fetch-site", "same-origin")
        .header(
            header::ACCEPT,
            if body.len().is_multiple_of(2) {
                "text/html"
            } else {
                "application/json"
            },
        );
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body)).expect("request"))
        .await
        .expect("the router always answers");
    let status = response.status();
    // The body is read to its end too (a streaming body may fail late).
    let _ = response.into_body().collect().await;
    status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_malformed_request_gets_a_server_error() {
    let seed = std::env::var("HALL_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64 | 1)
                .unwrap_or(0x9E37_79B9_7F4A_7C15)
        });
    let mut g = Gen(seed);
    let (app, db) = app_and_db().await;
    let citizen = signed_in(&app, &db, "fuzz-citizen", "citizen").await;
    let admin = signed_in(&app, &db, "fuzz-admin", "admin").await;

    let mut targets: Vec<(String, Method)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_owned(), method))
        .collect();
    targets.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(
        targets.len() >= 40,
        "the server functions are registered: {}",
        targets.len()
    );
    // The plain routes that take input: uploads, preferences, the catalog API.
    for path in [
        "/prefs",
        "/applications/d1/materials/m1",
        "/applications/%zz/materials/..",
        "/cases/A1/corrections/m1",
        "/api/v1/catalog/items/%FF",
        "/api/v1/catalog/themes/..%2F..",
        "/api/v1/catalog/departments/samr?x=%zz",
    ] {
        targets.push((path.to_owned(), Method::POST));
        targets.push((path.to_owned(), Method::GET));
    }

    let mut sent = 0;
    let mut failures = Vec::new();
    for (path, method) in &targets {
        for round in 0..12 {
            let (bytes, kind) = body(&mut g);
            let cookie = match round % 3 {
                0 => None,
                1 => Some(citizen.as_str()),
                _ => Some(admin.as_str()),
            };
            let status = send(&app, method.clone(), path, bytes, kind, cookie).await;
            sent += 1;
            if status.is_server_error() {
                failures.push(format!("{method} {path} (round {round}): {status}"));
            }
        }
    }
    let health = send(
        &app,
        Method::GET,
        "/healthz",
        Vec::new(),
        "text/plain",
        None,
    )
    .await;
    assert_eq!(health, StatusCode::OK);
    println!(
        "fuzzed {sent} requests to {} endpoints (seed {seed}): {} server errors",
        targets.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "seed {seed}: {} of {sent} requests got a server error:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
