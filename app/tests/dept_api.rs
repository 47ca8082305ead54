//! The department integration API and its webhooks on the database, run by `make db-test` on SQLite (a temp file)
//! and on PostgreSQL (`DATABASE_URL`): bearer tokens (missing, wrong, revoked), the department's tasks only, an
//! approval through the same engine and history as the UI, stale versions, repeats, and signed webhooks posted to
//! a real local receiver that checks the HMAC, answers 500 first (retries) and drops a replayed delivery.
//! Tests on PostgreSQL share one database, so each uses accounts and cases of its own and looks only at them.

#![cfg(feature = "ssr")]

mod common;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use app::api::work::StaffPage;
use app::domain::case_flow::{CaseAction, TaskStatus};
use app::domain::roadmap::plan;
use app::domain::webhook::{self, WebhookUrl};
use app::domain::{Catalog, Lang, Role};
use app::server::admin::{self, Actor};
use app::server::case_actions::{act, Acting, Outcome, Target};
use app::server::cases::{self, NewCase};
use app::server::db::Db;
use app::server::state::AppState;
use app::server::wizard::{answers_of, decode_query};
use app::server::{session, webhooks, workbench};
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

use common::{catalog, test_db, today, unique, user_in};

async fn admin_actor(db: &Db) -> Actor {
    let admin = user_in(db, Role::Admin, None).await;
    Actor {
        id: admin.account_id,
        name: admin.display_name.clone(),
        address: Some("192.0.2.1".into()),
    }
}

const ANSWERS: &str =
    "a.entity=sole&a.applicant_age=30&a.premises_type=commercial&a.area=60&a.seats=20&a.alcohol=no\
&a.entertainment=no&a.sign=no&a.sewer=no&a.fire_accepted=yes&a.staff=1";

/// A restaurant case submitted by a fresh citizen and accepted by the window (its first tasks start): (number, id).
async fn accepted_case(db: &Db, catalog: &Catalog) -> (String, i64) {
    let owner = user_in(db, Role::Citizen, None).await;
    let theme = catalog.theme("open-restaurant").expect("theme");
    let (answers, _) = answers_of(theme, &decode_query(ANSWERS));
    let roadmap = plan(theme, catalog, &answers).expect("roadmap");
    let draft = unique("draft");
    let number = cases::submit(
        db,
        catalog,
        NewCase {
            draft_id: &draft,
            theme_id: "open-restaurant",
            account_id: Some(owner.account_id),
            answers: ANSWERS,
            fields: &BTreeMap::new(),
            roadmap: &roadmap,
            actor_role: "citizen",
            address: None,
        },
    )
    .await
    .expect("submit");
    let window = user_in(db, Role::Window, None).await;
    let case = cases::by_number(db, &number).await.unwrap().unwrap();
    let outcome = act(
        db,
        catalog,
        &number,
        case.version,
        Target::Case(CaseAction::Accept),
        &Acting::person(&window, None),
        today(),
    )
    .await
    .expect("accept");
    assert_eq!(outcome, Outcome::Done);
    (number, case.id)
}

async fn state(db: &Db, catalog: Catalog, name: &str) -> AppState {
    let site =
        std::env::temp_dir().join(format!("hall-deptapi-site-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&site).expect("site");
    AppState {
        leptos_options: leptos::prelude::LeptosOptions::builder()
            .output_name("hall")
            .site_root(site.display().to_string())
            .build()
            .into(),
        db: db.clone(),
        catalog: Arc::new(catalog),
        signer: app::server::signing::Signer::load_or_create(db)
            .await
            .expect("signer"),
    }
}

fn api(state: &AppState) -> Router {
    Router::new().nest("/api/v1/dept", app::server::dept_api::router(state.clone()))
}

/// One request to the API: (status, headers, JSON body).
async fn call(
    api: &Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (StatusCode, HeaderMap, Value) {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, token);
    }
    let request = request
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
        .expect("request");
    let response = api.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let value: Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| panic!("{uri}: not JSON: {}", String::from_utf8_lossy(&bytes)));
    if status != StatusCode::OK {
        assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{uri}");
        assert!(
            value["error"].is_string() && value["message"].is_string(),
            "{value}"
        );
    }
    (status, headers, value)
}

fn bearer(secret: &str) -> String {
    format!("Bearer {secret}")
}

/// Everything an action could change about a case, to prove a refused call changed nothing.
async fn snapshot(db: &Db, case_id: i64) -> Vec<String> {
    let tasks: Vec<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT id, status, version, task FROM case_task WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await
    .expect("tasks");
    let count = |table: &'static str| {
        let db = db.clone();
        async move {
            let sql = match table {
                "case_event" => "SELECT COUNT(*) FROM case_event WHERE case_id = $1",
                "notification" => "SELECT COUNT(*) FROM notification WHERE case_id = $1",
                "webhook_delivery" => "SELECT COUNT(*) FROM webhook_delivery WHERE case_id = $1",
                _ => "SELECT COUNT(*) FROM hall_case WHERE id = $1",
            };
            let n: i64 = sqlx::query_scalar(sql)
                .bind(case_id)
                .fetch_one(&db.pool)
                .await
                .expect("count");
            format!("{table}={n}")
        }
    };
    let case: (String, i64) = sqlx::query_as("SELECT status, version FROM hall_case WHERE id = $1")
        .bind(case_id)
        .fetch_one(&db.pool)
        .await
        .expect("case");
    let mut out: Vec<String> = tasks.into_iter().map(|t| format!("{t:?}")).collect();
    out.push(format!("{case:?}"));
    for table in ["case_event", "notification", "webhook_delivery"] {
        out.push(count(table).await);
    }
    out
}

/// The department's in-review tasks of one case, found by walking the list a page of `limit` at a time.
async fn in_review_of_case(api: &Router, token: &str, number: &str, limit: usize) -> Vec<Value> {
    let mut found = Vec::new();
    let mut since = String::new();
    let mut pages = 0;
    loop {
        let uri = format!("/api/v1/dept/tasks?status=in_review&limit={limit}&since={since}");
        let (status, _, body) = call(api, "GET", &uri, Some(token), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let tasks = body["tasks"].as_array().expect("tasks");
        assert!(tasks.len() <= limit);
        for t in tasks {
            assert_eq!(t["status"], "in_review");
            if t["case"] == number {
                found.push(t.clone());
            }
        }
        pages += 1;
        match body["next"].as_str() {
            Some(next) => since = next.to_owned(),
            None => return found,
        }
        assert!(pages < 10_000, "the cursor must move on");
    }
}

#[tokio::test]
async fn a_department_system_pulls_its_tasks_and_approves_through_the_same_engine() {
    let db = test_db("deptapi", "flow").await;
    let catalog = catalog();
    let (number, case_id) = accepted_case(&db, &catalog).await;
    let state = state(&db, catalog, "flow").await;
    let api = api(&state);
    let admin = admin_actor(&db).await;
    let name = unique("samr-system");
    let (token_id, samr) = admin::create_token(&db, &admin, &name, "samr", session::now())
        .await
        .expect("token");
    let (_, tax) = admin::create_token(&db, &admin, &unique("tax"), "tax", session::now())
        .await
        .expect("token");
    let (revoked_id, revoked) =
        admin::create_token(&db, &admin, &unique("old"), "samr", session::now())
            .await
            .expect("token");
    assert!(admin::revoke_token(&db, &admin, revoked_id, session::now())
        .await
        .expect("revoke"));

    // Missing, malformed, unknown and revoked tokens: 401 with a challenge and a message that says which.
    let (status, headers, body) = call(&api, "GET", "/api/v1/dept/tasks", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    assert_eq!(body["error"], "unauthorized");
    for wrong in [
        "Bearer ".to_owned(),
        "Basic c2Ftcjpwdw==".to_owned(),
        bearer("not-a-token"),
        bearer(&"0".repeat(64)),
        bearer(&format!("{samr}x")),
        bearer(&revoked),
    ] {
        let (status, headers, body) =
            call(&api, "GET", "/api/v1/dept/tasks", Some(&wrong), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{wrong}");
        assert!(headers[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .contains("invalid_token"));
        assert!(
            body["message"].as_str().unwrap().contains("token")
                || body["message"].as_str().unwrap().contains("Bearer")
        );
    }

    // The list holds the department's tasks only, a page at a time; bad parameters are 400s that say why.
    let samr = bearer(&samr);
    let tax = bearer(&tax);
    let mine = in_review_of_case(&api, &samr, &number, 2).await;
    assert!(
        !mine.is_empty(),
        "samr has a task in review on the accepted case"
    );
    assert_eq!(mine, in_review_of_case(&api, &samr, &number, 100).await);
    let (_, _, all) = call(&api, "GET", "/api/v1/dept/tasks", Some(&samr), None).await;
    assert!(all["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["department"] == "samr"));
    assert!(in_review_of_case(&api, &tax, &number, 100)
        .await
        .iter()
        .all(|t| t["department"] == "tax"));
    for (query, code) in [
        ("status=approvedd", "bad_status"),
        ("since=abc", "bad_cursor"),
        ("since=-4", "bad_cursor"),
        ("limit=0", "bad_limit"),
        ("limit=101", "bad_limit"),
    ] {
        let (status, _, body) = call(
            &api,
            "GET",
            &format!("/api/v1/dept/tasks?{query}"),
            Some(&samr),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(body["error"], code, "{query}");
    }

    // One task: the department's own, with history; another department's is a 404 like a missing one.
    let task_id = mine[0]["id"].as_i64().expect("id");
    let uri = format!("/api/v1/dept/tasks/{task_id}");
    let (status, _, task) = call(&api, "GET", &uri, Some(&samr), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(task["case"], number.as_str());
    assert!(task["actions"]
        .as_array()
        .unwrap()
        .contains(&json!("approve")));
    assert!(!task["history"].as_array().unwrap().is_empty());
    let version = task["version"].as_i64().expect("version");
    let (status, _, other) = call(&api, "GET", &uri, Some(&tax), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, _, missing) = call(
        &api,
        "GET",
        "/api/v1/dept/tasks/999999999",
        Some(&tax),
        None,
    )
    .await;
    assert_eq!(
        other["message"]
            .as_str()
            .unwrap()
            .replace(&task_id.to_string(), "N"),
        missing["message"]
            .as_str()
            .unwrap()
            .replace("999999999", "N"),
        "no leak: the same answer as for no task"
    );
    for bad in ["abc", "1%20OR%201=1", "-1"] {
        let (status, _, _) = call(
            &api,
            "GET",
            &format!("/api/v1/dept/tasks/{bad}"),
            Some(&samr),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad}");
    }

    // Refused calls change nothing.
    let actions = format!("/api/v1/dept/tasks/{task_id}/actions");
    let before = snapshot(&db, case_id).await;
    let approve = json!({ "action": "approve", "version": version }).to_string();
    let refused: Vec<(Option<&str>, String, StatusCode, &str)> = vec![
        (
            None,
            approve.clone(),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        ),
        (
            Some(&tax),
            approve.clone(),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Some(&samr),
            json!({ "action": "approve", "version": version - 1 }).to_string(),
            StatusCode::CONFLICT,
            "version_conflict",
        ),
        (
            Some(&samr),
            "{not json".to_owned(),
            StatusCode::BAD_REQUEST,
            "bad_json",
        ),
        (
            Some(&samr),
            json!({ "action": "approve" }).to_string(),
            StatusCode::BAD_REQUEST,
            "bad_json",
        ),
        (
            Some(&samr),
            json!({ "action": "accept", "version": version }).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_action",
        ),
        (
            Some(&samr),
            json!({ "action": "refuse", "version": version, "reason": "  " }).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "refused",
        ),
        (
            Some(&samr),
            json!({ "action": "request_correction", "version": version, "items": [] }).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "refused",
        ),
        (
            Some(&samr),
            json!({ "action": "extend", "version": version }).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "days_required",
        ),
    ];
    for (token, body, expected, code) in refused {
        let (status, _, answer) = call(&api, "POST", &actions, token, Some(&body)).await;
        assert_eq!(status, expected, "{body}: {answer}");
        assert_eq!(answer["error"], code, "{body}: {answer}");
        assert_eq!(
            snapshot(&db, case_id).await,
            before,
            "{body} changed something"
        );
    }

    // The approval: through the engine, in the history as the API client, on the staff case page.
    let (status, headers, done) = call(&api, "POST", &actions, Some(&samr), Some(&approve)).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert!(!headers.contains_key("idempotent-replayed"));
    assert_eq!(done["result"], "done");
    assert_eq!(done["task"]["status"], "approved");
    assert_eq!(done["task"]["version"], version + 1);
    let last = done["task"]["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["action"], "approve");
    assert_eq!(last["by"], format!("API · {name}"));
    let (role, token): (String, Option<i64>) = sqlx::query_as(
        "SELECT actor_role, api_token_id FROM case_event WHERE task_id = $1 AND action = 'approve'",
    )
    .bind(task_id)
    .fetch_one(&db.pool)
    .await
    .expect("one approve entry");
    assert_eq!((role.as_str(), token), ("officer", Some(token_id)));
    let officer = user_in(&db, Role::Officer, Some("samr")).await;
    let StaffPage::Ready(page) = workbench::staff_case(&state, Some(officer), &number, Lang::Zh)
        .await
        .expect("case page")
    else {
        panic!("the samr officer sees the case");
    };
    let step = done["task"]["step"].as_str().unwrap();
    let staff_task = page.tasks.iter().find(|t| t.step == step).expect("task");
    assert_eq!(staff_task.status, TaskStatus::Approved);
    assert_eq!(staff_task.version, version + 1);
    assert!(page
        .history
        .iter()
        .any(|h| h.who == format!("API · {name}")));

    // The same request again answers the same and acts once; a later one on the approved task is refused with
    // the engine's reason; another request on the old version is told who changed it.
    let after = snapshot(&db, case_id).await;
    let (status, headers, again) = call(&api, "POST", &actions, Some(&samr), Some(&approve)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["idempotent-replayed"], "true");
    assert_eq!(again, done);
    assert_eq!(snapshot(&db, case_id).await, after);
    let events: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM case_event WHERE task_id = $1 AND action = 'approve'",
    )
    .bind(task_id)
    .fetch_one(&db.pool)
    .await
    .expect("count");
    assert_eq!(events, 1);
    let next = json!({ "action": "approve", "version": version + 1 }).to_string();
    let (status, _, illegal) = call(&api, "POST", &actions, Some(&samr), Some(&next)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{illegal}");
    assert_eq!(illegal["error"], "refused");
    assert_eq!(illegal["refusal"]["refusal"], "not_allowed_in_state");
    let late = json!({ "action": "refuse", "version": version, "reason": "late" }).to_string();
    let (status, _, stale) = call(&api, "POST", &actions, Some(&samr), Some(&late)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(stale["error"], "version_conflict");
    assert_eq!(stale["changed_by"], format!("API · {name}"));
    assert_eq!(stale["current_version"], version + 1);
    assert!(stale["message"].as_str().unwrap().contains(&name));
    assert_eq!(snapshot(&db, case_id).await, after);
}

// ------------------------------------------------------------------ webhooks

/// What the test receiver saw of one request.
#[derive(Clone, Debug)]
struct Seen {
    delivery: String,
    answered: u16,
    body: Value,
}

/// A receiver as a department would write one: the first attempt of each delivery fails with 500; later ones are
/// checked (signature and timestamp with `verify_signature`, then the delivery id against those processed).
#[derive(Clone, Default)]
struct Receiver {
    secret: Arc<Mutex<String>>,
    attempts: Arc<Mutex<HashMap<String, usize>>>,
    processed: Arc<Mutex<Vec<String>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

async fn receive(
    axum::extract::State(r): axum::extract::State<Receiver>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> StatusCode {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let delivery = text(webhook::DELIVERY_HEADER).unwrap_or("").to_owned();
    let first = {
        let mut attempts = r.attempts.lock().unwrap();
        let n = attempts.entry(delivery.clone()).or_default();
        *n += 1;
        *n == 1
    };
    let secret = r.secret.lock().unwrap().clone();
    let answer = if first {
        StatusCode::INTERNAL_SERVER_ERROR
    } else if webhook::verify_signature(
        &secret,
        text(webhook::TIMESTAMP_HEADER),
        &body,
        text(webhook::SIGNATURE_HEADER),
        session::now(),
    )
    .is_err()
    {
        StatusCode::UNAUTHORIZED
    } else {
        let mut processed = r.processed.lock().unwrap();
        if processed.contains(&delivery) {
            StatusCode::CONFLICT
        } else {
            processed.push(delivery.clone());
            StatusCode::NO_CONTENT
        }
    };
    r.seen.lock().unwrap().push(Seen {
        delivery,
        answered: answer.as_u16(),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    });
    answer
}

/// Sends raw bytes to the receiver and returns its status code.
async fn raw_post(port: u16, request: &str) -> u16 {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("read");
    let text = String::from_utf8_lossy(&answer);
    text.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status")
}

fn signed_request(delivery: &str, timestamp: &str, signature: &str, body: &str) -> String {
    format!(
        "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         X-Hall-Timestamp: {timestamp}\r\nX-Hall-Signature: {signature}\r\nX-Hall-Delivery: {delivery}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
}

type DeliveryState = (String, i64, Option<i64>, Option<i64>, Option<i64>, i64);

async fn deliveries_of(db: &Db, case_id: i64) -> Vec<DeliveryState> {
    sqlx::query_as(
        "SELECT delivery_id, attempts, last_status, delivered_at, failed_at, next_attempt_at FROM webhook_delivery \
         WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await
    .expect("deliveries")
}

#[tokio::test]
async fn task_changes_are_posted_signed_retried_once_each_and_replays_are_dropped() {
    let db = test_db("deptapi", "webhooks").await;
    let catalog = catalog();
    let receiver = Receiver::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let port = listener.local_addr().expect("addr").port();
    let app = Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(receiver.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    // The administrator sets the receiver: a fresh secret, shown once, and an audit line.
    let admin = admin_actor(&db).await;
    let url_text = format!("http://127.0.0.1:{port}/hook");
    let url = WebhookUrl::parse(&url_text).expect("url");
    // samr: the restaurant's first task (the licence) is theirs. On a shared PostgreSQL other tests' samr changes
    // reach this receiver too; everything below looks at this test's cases only.
    let department = "samr";
    let secret = webhooks::set_webhook(&db, &admin, department, &url, &url_text, session::now())
        .await
        .expect("set");
    *receiver.secret.lock().unwrap() = secret.clone();
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM admin_audit WHERE actor_id = $1 AND action = 'set_webhook'",
    )
    .bind(admin.id)
    .fetch_one(&db.pool)
    .await
    .expect("audit");
    assert_eq!(audited, 1);
    assert!(webhooks::list_webhooks(&db)
        .await
        .expect("list")
        .iter()
        .any(|w| w.department == department && w.url == url_text));

    // The window accepts (the UI's path): the started licence task is queued in the same transaction.
    let (number, case_id) = accepted_case(&db, &catalog).await;
    let queued = deliveries_of(&db, case_id).await;
    assert_eq!(queued.len(), 1, "the licence task's start is queued");
    assert!(queued.iter().all(|d| d.1 == 0 && d.3.is_none()));

    // First attempt: the receiver answers 500; the delivery waits 10 s.
    let now = session::now();
    webhooks::deliver_due(&db, now, "worker-a", 10_000)
        .await
        .expect("deliver");
    let after_first = deliveries_of(&db, case_id).await;
    for d in &after_first {
        assert_eq!((d.1, d.2, d.3, d.4), (1, Some(500), None, None), "{d:?}");
        assert_eq!(d.5, now + 10);
    }
    webhooks::deliver_due(&db, now + 5, "worker-a", 10_000)
        .await
        .expect("deliver");
    assert_eq!(
        deliveries_of(&db, case_id).await,
        after_first,
        "not due yet"
    );

    // Two instances' workers at once: each delivery is posted once more, and accepted.
    let (a, b) = tokio::join!(
        webhooks::deliver_due(&db, now + 11, "worker-a", 10_000),
        webhooks::deliver_due(&db, now + 11, "worker-b", 10_000)
    );
    a.expect("a");
    b.expect("b");
    let delivered = deliveries_of(&db, case_id).await;
    for d in &delivered {
        assert_eq!((d.1, d.2, d.4), (2, Some(204), None), "{d:?}");
        assert!(d.3.is_some());
        let attempts = receiver.attempts.lock().unwrap()[&d.0];
        assert_eq!(attempts, 2, "{} posted {attempts} times", d.0);
    }
    let seen: Vec<Seen> = receiver
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|s| s.body["case"] == number.as_str())
        .cloned()
        .collect();
    assert_eq!(seen.len(), 2 * delivered.len());
    let accepted: Vec<&Seen> = seen.iter().filter(|s| s.answered == 204).collect();
    assert_eq!(
        accepted.len(),
        delivered.len(),
        "every signature checked out"
    );
    let body = &accepted[0].body;
    assert_eq!(body["event"], "task.changed");
    assert_eq!(body["department"], department);
    assert_eq!(body["task"]["status"], "in_review");
    assert_eq!(body["task"]["previous_status"], "waiting");
    assert_eq!(body["actor"]["kind"], "system");
    assert!(body["task"]["version"].as_i64().is_some());

    // A replay of a processed delivery (freshly and correctly signed) is dropped by its id; a tampered body fails
    // the signature.
    let payload: String =
        sqlx::query_scalar("SELECT payload FROM webhook_delivery WHERE delivery_id = $1")
            .bind(&accepted[0].delivery)
            .fetch_one(&db.pool)
            .await
            .expect("payload");
    let ts = session::now().to_string();
    let sig = webhook::signature(&secret, &ts, payload.as_bytes());
    assert_eq!(
        raw_post(
            port,
            &signed_request(&accepted[0].delivery, &ts, &sig, &payload)
        )
        .await,
        409
    );
    let tampered = payload.replace("in_review", "approved");
    let fresh_id = "a-new-delivery-id";
    receiver.attempts.lock().unwrap().insert(fresh_id.into(), 1);
    assert_eq!(
        raw_post(port, &signed_request(fresh_id, &ts, &sig, &tampered)).await,
        401
    );
    let unsigned = signed_request(fresh_id, &ts, "", &payload);
    assert_eq!(raw_post(port, &unsigned).await, 401);

    // The delivery log the administrator reads.
    let log = webhooks::deliveries(&db, department, 1000)
        .await
        .expect("log");
    let ours: Vec<_> = log.iter().filter(|d| d.case_number == number).collect();
    assert_eq!(ours.len(), delivered.len());
    assert!(ours
        .iter()
        .all(|d| d.state() == "delivered" && d.attempts == 2));

    // An approval through the API is queued in its transaction too, naming the API as the actor, with what the
    // system started after it (the food licence, samr's as well).
    let state = state(&db, catalog.clone(), "webhooks").await;
    let (_, token) = admin::create_token(&db, &admin, &unique("samr-hook"), "samr", session::now())
        .await
        .expect("token");
    let task_id = body["task"]["id"].as_i64().expect("task id");
    let version = body["task"]["version"].as_i64().expect("version");
    let (status, _, _) = call(
        &api(&state),
        "POST",
        &format!("/api/v1/dept/tasks/{task_id}/actions"),
        Some(&bearer(&token)),
        Some(&json!({ "action": "approve", "version": version }).to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let payloads: Vec<String> = sqlx::query_scalar(
        "SELECT payload FROM webhook_delivery WHERE case_id = $1 AND delivered_at IS NULL ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await
    .expect("queued");
    let payloads: Vec<Value> = payloads
        .iter()
        .map(|p| serde_json::from_str(p).expect("json"))
        .collect();
    assert!(payloads.iter().any(|p| p["action"] == "approve"
        && p["actor"]["kind"] == "api"
        && p["task"]["status"] == "approved"
        && p["task"]["version"] == version + 1));
    assert!(payloads
        .iter()
        .any(|p| p["action"] == "start" && p["actor"]["kind"] == "system"));
    assert!(payloads.iter().all(|p| p["department"] == "samr"));

    // An unreachable receiver: five attempts with growing delays, then given up with the error kept.
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let dead_port = dead.local_addr().expect("addr").port();
    drop(dead);
    let dead_text = format!("http://127.0.0.1:{dead_port}/hook");
    webhooks::set_webhook(
        &db,
        &admin,
        department,
        &WebhookUrl::parse(&dead_text).expect("url"),
        &dead_text,
        session::now(),
    )
    .await
    .expect("set");
    let (number2, case2) = accepted_case(&db, &catalog).await;
    assert!(
        !deliveries_of(&db, case2).await.is_empty(),
        "{number2} queued"
    );
    let mut at = session::now();
    for attempt in 1..=webhook::MAX_ATTEMPTS {
        webhooks::deliver_due(&db, at, "worker-a", 10_000)
            .await
            .expect("deliver");
        for d in deliveries_of(&db, case2).await {
            assert_eq!(d.1, attempt, "{d:?}");
            assert_eq!(d.4.is_some(), attempt == webhook::MAX_ATTEMPTS, "{d:?}");
        }
        at += webhook::retry_delay(attempt).unwrap_or(0) + 1;
    }
    let log = webhooks::deliveries(&db, department, 1000)
        .await
        .expect("log");
    let failed = log
        .iter()
        .find(|d| d.case_number == number2)
        .expect("logged");
    assert_eq!(failed.state(), "failed");
    assert!(
        failed
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("cannot connect")),
        "{failed:?}"
    );

    // A receiver removed by the administrator (audited): what is still queued for it is given up at once.
    let (number3, case3) = accepted_case(&db, &catalog).await;
    assert!(
        webhooks::remove_webhook(&db, &admin, department, session::now())
            .await
            .expect("remove")
    );
    webhooks::deliver_due(&db, session::now(), "worker-a", 10_000)
        .await
        .expect("deliver");
    let given_up = deliveries_of(&db, case3).await;
    assert!(!given_up.is_empty(), "{number3} queued");
    assert!(
        given_up.iter().all(|d| d.1 == 1 && d.4.is_some()),
        "{given_up:?}"
    );
    let removed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM admin_audit WHERE actor_id = $1 AND action = 'remove_webhook'",
    )
    .bind(admin.id)
    .fetch_one(&db.pool)
    .await
    .expect("audit");
    assert_eq!(removed, 1);
}
