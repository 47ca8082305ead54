//! The access matrix of agent filing (代办), through the real router on its own temp SQLite database: the
//! resident (`citizen`, who registered a mobile number and resident ID), the agent they gave consent to (`agent`),
//! another agent (`agent2`) and another citizen (`citizen2`). The consent is asked and approved through the real
//! server functions; the agent's draft (with an upload) is submitted for the resident with one service call.
//! The same cells as the parent matrix (`Y` shown, `L` sent to sign in, `N` refused with nothing changed); the
//! last row revokes the consent and the rows after it check the agent lost access while the resident kept it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use app::api::account::Login;
use app::api::application::{GetMyApplications, StartApplication};
use app::api::cases::GetCase;
use app::api::consent::{DecideConsent, GetAgentPage, GetMyConsents, RequestConsent};
use app::server::state::AppState;
use axum::http::header;
use axum::Router;
use leptos::prelude::LeptosOptions;
use leptos::server_fn::ServerFn;
use tower::ServiceExt;

use super::{enc, judge, request, send, Call, ANSWERS, E, THEME};
use crate::http::{router, WebSecurity};
use E::{L, N, Y};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Resident,
    Agent,
    OtherAgent,
    OtherCitizen,
}

const COLUMNS: [Who; 5] = [
    Who::Anonymous,
    Who::Resident,
    Who::Agent,
    Who::OtherAgent,
    Who::OtherCitizen,
];

impl Who {
    fn login(self) -> Option<&'static str> {
        match self {
            Who::Anonymous => None,
            Who::Resident => Some("citizen"),
            Who::Agent => Some("agent"),
            Who::OtherAgent => Some("agent2"),
            Who::OtherCitizen => Some("citizen2"),
        }
    }
}

const RESIDENT_ID: &str = "11010519491231002X";
const MOBILE: &str = "13912345678";

struct Fixture {
    cookies: BTreeMap<&'static str, String>,
    resident_name: String,
    agent_name: String,
    consent: i64,
    draft: String,
    upload: i64,
    case: String,
    lookup_code: String,
}

struct Row {
    what: &'static str,
    cells: [E; 5],
    call: fn(&Fixture) -> Call,
    proof: fn(&Fixture) -> String,
}

fn row(
    what: &'static str,
    cells: [E; 5],
    call: fn(&Fixture) -> Call,
    proof: fn(&Fixture) -> String,
) -> Row {
    Row {
        what,
        cells,
        call,
        proof,
    }
}

/// Columns: anonymous, the resident, the agent with consent, another agent, another citizen.
#[rustfmt::skip]
fn matrix() -> Vec<Row> {
    vec![
        //                                                              anon res agt ag2 cit2
        // (The page header names whoever is signed in: the proofs are the consent's own lines.)
        row("GET /agent: the consent asked of the resident",            [L, N, Y, N, N],
            |_| Call::Page("/agent".into()),
            |f| format!("{}（1101**********002X）", f.resident_name)),
        row("get_agent_page: the consent",                              [L, N, Y, N, N],
            |_| Call::Data(GetAgentPage::PATH, String::new()),
            |f| f.resident_name.clone()),
        row("GET /my/consents: the agent's request (its revoke form)",  [L, Y, N, N, N],
            |_| Call::Page("/my/consents".into()),
            |f| format!("name=\"consent\" value=\"{}\"", f.consent)),
        row("get_my_consents: the agent's request",                     [L, Y, N, N, N],
            |_| Call::Data(GetMyConsents::PATH, String::new()),
            |f| f.agent_name.clone()),
        row("GET /cases/{n} (filed by the agent)",                      [L, Y, Y, N, N],
            |f| Call::Page(format!("/cases/{}", f.case)),
            |_| "class=\"case-tasks\"".into()),
        row("GET /cases/{n}: 由代办员 … 代办",                           [L, Y, Y, N, N],
            |f| Call::Page(format!("/cases/{}", f.case)),
            |f| format!("由代办员 {} 代办", f.agent_name)),
        row("get_case(n)",                                              [L, Y, Y, N, N],
            |f| Call::Data(GetCase::PATH, format!("number={}&lang=Zh", f.case)),
            |_| "\"Ready\"".into()),
        row("get_case(n): the lookup code stays the resident's",        [L, Y, N, N, N],
            |f| Call::Data(GetCase::PATH, format!("number={}&lang=Zh", f.case)),
            |f| format!("\"lookup_code\":\"{}", f.lookup_code)),
        row("GET /applications/{draft}/uploads/{id} (submitted)",       [N, Y, Y, N, N],
            |f| Call::Get(format!("/applications/{}/uploads/{}", f.draft, f.upload)),
            |_| "agent-upload bytes".into()),
        row("get_my_applications lists the case",                       [L, Y, Y, N, N],
            |_| Call::Data(GetMyApplications::PATH, String::new()),
            |f| f.case.clone()),
        row("decide_consent(approve) again, or by someone else",        [L, N, N, N, N],
            |f| Call::Action(DecideConsent::PATH, format!("consent={}&decision=approve", f.consent)),
            |_| "done=".into()),
        row("request_consent (for the resident)",                       [L, N, Y, Y, N],
            |f| Call::Action(RequestConsent::PATH, format!(
                "resident_id={RESIDENT_ID}&resident_name={}&resident_mobile={MOBILE}&theme={THEME}&scope_file=on\
                 &scope_follow=on&valid_until={}", enc(&f.resident_name), in_days(30))),
            |_| "done=requested".into()),
        // The resident revokes: from here on the agent sees nothing of the case.
        row("decide_consent(revoke)",                                   [L, Y, N, N, N],
            |f| Call::Action(DecideConsent::PATH, format!("consent={}&decision=revoke", f.consent)),
            |_| "done=revoked".into()),
        row("GET /cases/{n} after the revocation",                      [L, Y, N, N, N],
            |f| Call::Page(format!("/cases/{}", f.case)),
            |_| "class=\"case-tasks\"".into()),
        row("get_case(n) after the revocation",                         [L, Y, N, N, N],
            |f| Call::Data(GetCase::PATH, format!("number={}&lang=Zh", f.case)),
            |_| "\"Ready\"".into()),
        row("GET /applications/{draft}/uploads/{id} after",             [N, Y, N, N, N],
            |f| Call::Get(format!("/applications/{}/uploads/{}", f.draft, f.upload)),
            |_| "agent-upload bytes".into()),
        row("get_my_applications after: only the resident lists it",   [L, Y, N, N, N],
            |_| Call::Data(GetMyApplications::PATH, String::new()),
            |f| f.case.clone()),
    ]
}

fn in_days(days: i64) -> String {
    // (The server crate does not depend on `time`: the app's helpers carry the type.)
    app::server::clock::shifted(app::server::clock::local_today(), days).to_string()
}

async fn snapshot(db: &app::server::db::Db) -> String {
    let consents: Vec<(i64, String, Option<i64>)> =
        sqlx::query_as("SELECT id, status, revoked_at FROM consent ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .expect("consents");
    let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consent_audit")
        .fetch_one(&db.pool)
        .await
        .expect("audit");
    let cases: Vec<(String, Option<i64>, Option<i64>, i64)> = sqlx::query_as(
        "SELECT number, account_id, filed_by_agent, version FROM hall_case ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
    .expect("cases");
    let uploads: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM upload")
        .fetch_one(&db.pool)
        .await
        .expect("uploads");
    format!("{consents:?}\n{audit}\n{cases:?}\n{uploads}")
}

async fn build() -> (Router, AppState, Fixture) {
    let dir = std::env::temp_dir().join(format!("hall-access-agents-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = app::server::db::Db::connect(&super::matrix_db_url(&dir), 4)
        .await
        .expect("db");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = app::domain::load::load_catalog(&root.join("catalog")).expect("catalog");
    let seed: app::server::accounts::DemoAccounts = toml::from_str(
        &std::fs::read_to_string(root.join("seed/demo-accounts.toml")).expect("seed file"),
    )
    .expect("seed");
    let wanted: Vec<&str> = COLUMNS.iter().filter_map(|w| w.login()).collect();
    let accounts: Vec<_> = seed
        .account
        .into_iter()
        .filter(|a| wanted.contains(&a.login.as_str()))
        .collect();
    assert_eq!(
        accounts.len(),
        wanted.len(),
        "every column has a demo account"
    );
    app::server::accounts::seed_demo_accounts(&db, &accounts)
        .await
        .expect("seed");
    // The resident registered with a mobile number and a resident ID.
    sqlx::query("UPDATE account SET mobile = $1, resident_id = $2 WHERE login = 'citizen'")
        .bind(MOBILE)
        .bind(RESIDENT_ID)
        .execute(&db.pool)
        .await
        .expect("resident");
    let signer = app::server::signing::Signer::load_or_create(&db)
        .await
        .expect("signer");
    let state = AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("hall")
            .site_root(dir.join("site").display().to_string())
            .build()
            .into(),
        db: db.clone(),
        catalog: Arc::new(catalog),
        signer,
    };
    let app = router(state.clone(), WebSecurity::default());
    let mut cookies = BTreeMap::new();
    for account in &accounts {
        let response = app
            .clone()
            .oneshot(request(
                &Call::Action(
                    Login::PATH,
                    format!(
                        "login={}&password={}&next=%2F",
                        enc(&account.login),
                        enc(&account.password)
                    ),
                ),
                None,
            ))
            .await
            .expect("response");
        let set = response.headers()[header::SET_COOKIE]
            .to_str()
            .expect("cookie")
            .to_owned();
        let token = set
            .trim_start_matches("__Host-hall_session=")
            .split(';')
            .next()
            .expect("token")
            .to_owned();
        let login = wanted
            .iter()
            .find(|l| **l == account.login)
            .expect("column");
        cookies.insert(*login, token);
    }
    let name_of = |login: &str| {
        accounts
            .iter()
            .find(|a| a.login == login)
            .expect("account")
            .display_name
            .clone()
    };
    let mut fx = Fixture {
        resident_name: name_of("citizen"),
        agent_name: name_of("agent"),
        cookies,
        consent: 0,
        draft: String::new(),
        upload: 0,
        case: String::new(),
        lookup_code: String::new(),
    };
    let agent = fx.cookies["agent"].clone();
    let resident = fx.cookies["citizen"].clone();

    // The agent asks, the resident approves: the real server functions.
    let ask = matrix()
        .into_iter()
        .find(|r| r.what.starts_with("request_consent"))
        .expect("the request row");
    let asked = send(&app, &(ask.call)(&fx), Some(&agent)).await;
    assert!(
        asked.location.contains("done=requested"),
        "{}",
        asked.location
    );
    fx.consent = sqlx::query_scalar("SELECT MAX(id) FROM consent")
        .fetch_one(&db.pool)
        .await
        .expect("consent id");
    let approved = send(
        &app,
        &Call::Action(
            DecideConsent::PATH,
            format!("consent={}&decision=approve", fx.consent),
        ),
        Some(&resident),
    )
    .await;
    assert!(
        approved.location.contains("done=approved"),
        "{}",
        approved.location
    );

    // The agent starts a draft and uploads a file; the draft is submitted for the resident under the consent.
    let sig = state
        .signer
        .sign(&app::server::application::answers_purpose(THEME), ANSWERS);
    let started = send(
        &app,
        &Call::Action(
            StartApplication::PATH,
            format!("theme={THEME}&answers={}&sig={}", enc(ANSWERS), enc(&sig)),
        ),
        Some(&agent),
    )
    .await;
    fx.draft = started
        .location
        .strip_prefix("/applications/")
        .unwrap_or_else(|| panic!("a draft: {}", started.location))
        .to_owned();
    let theme = state.catalog.theme(THEME).expect("theme");
    let (answers, _) =
        app::server::wizard::answers_of(theme, &app::server::wizard::decode_query(ANSWERS));
    let roadmap = app::domain::roadmap::plan(theme, &state.catalog, &answers).expect("roadmap");
    let form = app::domain::merged_form::MergedForm::build(&state.catalog, theme, &roadmap);
    let material = form
        .materials_to_provide()
        .next()
        .expect("a material")
        .id
        .clone();
    let up = send(
        &app,
        &Call::Upload(
            format!("/applications/{}/materials/{material}", fx.draft),
            "agent-upload.pdf".into(),
            b"%PDF-1.4 agent-upload bytes".to_vec(),
        ),
        Some(&agent),
    )
    .await;
    assert!(
        up.status.is_redirection() && !up.location.contains("error="),
        "{}",
        up.location
    );
    fx.upload = sqlx::query_scalar("SELECT MAX(id) FROM upload WHERE draft_id = $1")
        .bind(&fx.draft)
        .fetch_one(&db.pool)
        .await
        .expect("upload");
    let draft = app::server::drafts::load(&db, &fx.draft)
        .await
        .expect("load")
        .expect("draft");
    let id_of = |login: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM account WHERE login = $1")
                .bind(login)
                .fetch_one(&db.pool)
                .await
                .expect("id")
        }
    };
    fx.case = app::server::cases::submit_as(
        &db,
        &state.catalog,
        app::server::cases::NewCase {
            draft_id: &fx.draft,
            theme_id: THEME,
            account_id: Some(id_of("citizen").await),
            answers: &draft.answers,
            fields: &draft.fields,
            roadmap: &roadmap,
            actor_role: "agent",
            address: None,
        },
        Some(app::server::cases::AgentFiling {
            agent_id: id_of("agent").await,
            consent_id: fx.consent,
        }),
    )
    .await
    .expect("submit");
    fx.lookup_code = sqlx::query_scalar("SELECT lookup_code FROM hall_case WHERE number = $1")
        .bind(&fx.case)
        .fetch_one(&db.pool)
        .await
        .expect("code");
    (app, state, fx)
}

#[tokio::test]
async fn agents_get_exactly_what_the_resident_s_consent_gives() {
    let (app, state, fx) = build().await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for row in matrix() {
        let mut order: Vec<(usize, Who)> = COLUMNS.iter().copied().enumerate().collect();
        order.sort_by_key(|(i, _)| row.cells[*i] == Y);
        for (i, who) in order {
            let cell = row.cells[i];
            let call = (row.call)(&fx);
            let proof = (row.proof)(&fx);
            let before = snapshot(&state.db).await;
            let cookie = who.login().map(|l| fx.cookies[l].clone());
            let answer = send(&app, &call, cookie.as_deref()).await;
            cells += 1;
            if let Err(e) = judge(cell, &answer, &proof) {
                failures.push(format!("{} × {who:?}: expected {cell:?}, {e}", row.what));
            }
            if cell != Y && snapshot(&state.db).await != before {
                failures.push(format!(
                    "{} × {who:?}: a refused request changed stored data",
                    row.what
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cells} cells wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(cells, 5 * matrix().len());
    // Every consent change is in the audit, in order.
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM consent_audit WHERE consent_id = $1 ORDER BY id")
            .bind(fx.consent)
            .fetch_all(&state.db.pool)
            .await
            .expect("audit");
    assert_eq!(actions, ["requested", "approved", "revoked"]);
}
