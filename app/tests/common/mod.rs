//! What the database test suites share: the shipped catalog, a database per test (a fresh SQLite file, or
//! `DATABASE_URL`'s PostgreSQL, which the tests share) and names no other test or run uses.

// Each suite is its own crate and uses only some of these.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use app::api::account::SessionUser;
use app::domain::catalog::FieldKind;
use app::domain::merged_form::MergedForm;
use app::domain::roadmap::plan;
use app::domain::{Catalog, Role};
use app::server::accounts::{self, DemoAccount};
use app::server::application::{self, Viewer};
use app::server::db::Db;
use app::server::state::AppState;
use app::server::wizard::{answers_of, decode_query};

/// The catalog shipped in `server/catalog`.
pub fn catalog() -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/catalog");
    app::domain::load::load_catalog(&dir).unwrap_or_else(|e| panic!("{e}"))
}

/// A database for one test: `DATABASE_URL` when it names PostgreSQL, else a fresh SQLite file in a temp dir named
/// after the suite and the test.
pub async fn test_db(suite: &str, name: &str) -> Db {
    let url = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => url,
        _ => {
            let dir =
                std::env::temp_dir().join(format!("hall-{suite}-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("temp dir");
            format!("sqlite://{}/hall.db?mode=rwc", dir.display())
        }
    };
    Db::connect(&url, 4).await.expect("connect and migrate")
}

/// A name no other test, project or run uses (logins, themes …), for tests sharing one PostgreSQL database.
pub fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

/// The restaurant theme with answers that make a complete roadmap.
pub const THEME: &str = "open-restaurant";
pub const ANSWERS: &str =
    "a.entity=sole&a.applicant_age=30&a.premises_type=commercial&a.area=60&a.seats=20&a.alcohol=no\
&a.entertainment=no&a.sign=no&a.sewer=no&a.fire_accepted=yes&a.staff=1";
/// A valid resident ID (GB 11643).
pub const RESIDENT_ID: &str = "11010519491231002X";

/// An application state over `db` as the server builds it (a fixed signing key).
pub fn state(db: &Db, catalog: Catalog) -> AppState {
    AppState {
        leptos_options: leptos::prelude::LeptosOptions::builder()
            .output_name("hall")
            .site_root("target/site")
            .build()
            .into(),
        db: db.clone(),
        catalog: Arc::new(catalog),
        signer: app::server::signing::Signer::new([7; 32]),
    }
}

/// A new account of `role` (a unique login), as a signed-in user.
pub async fn user(db: &Db, role: Role) -> SessionUser {
    user_in(db, role, None).await
}

/// A new account of `role` (a unique login) in `department` (officers), as a signed-in user.
pub async fn user_in(db: &Db, role: Role, department: Option<&str>) -> SessionUser {
    let login = unique(role.code());
    let seed = DemoAccount {
        login: login.clone(),
        password: format!("pw-{login}"),
        display_name: format!("测试 {}", &login[login.len() - 6..]),
        role: role.code().into(),
        department: department.map(str::to_owned),
    };
    accounts::seed_demo_accounts(db, &[seed])
        .await
        .expect("seed");
    let id: i64 = sqlx::query_scalar("SELECT id FROM account WHERE login = $1")
        .bind(&login)
        .fetch_one(&db.pool)
        .await
        .expect("account id");
    accounts::session_user(db, id)
        .await
        .expect("user")
        .expect("exists")
}

pub fn viewer(u: &SessionUser) -> Option<Viewer> {
    Some(Viewer {
        account_id: u.account_id,
        role: u.role,
    })
}

pub fn today() -> time::Date {
    app::server::clock::local_today()
}

/// A value each kind of field accepts.
pub fn value_for(
    kind: FieldKind,
    min: Option<f64>,
    options: &[app::domain::catalog::Choice],
) -> String {
    match kind {
        FieldKind::ResidentId => RESIDENT_ID.into(),
        FieldKind::CreditCode => "91512081MA62K0260E".into(),
        FieldKind::Phone => "13800138000".into(),
        FieldKind::Email => "a@example.com".into(),
        FieldKind::Date => today().to_string(),
        FieldKind::Number => min.map_or(10.0, |m| m.max(10.0)).to_string(),
        FieldKind::Choice => options.first().map(|o| o.value.clone()).unwrap_or_default(),
        FieldKind::Text | FieldKind::Textarea => "示范".into(),
    }
}

/// `who` (a citizen, or an agent) starts the restaurant application and fills every section: the draft's id.
pub async fn complete_draft(state: &AppState, who: &SessionUser) -> String {
    let sig = state
        .signer
        .sign(&application::answers_purpose(THEME), ANSWERS);
    let to = application::start(state, THEME, ANSWERS, &sig, viewer(who))
        .await
        .expect("start");
    let id = to
        .strip_prefix("/applications/")
        .unwrap_or_else(|| panic!("a draft: {to}"))
        .to_owned();
    let theme = state.catalog.theme(THEME).expect("theme");
    let (answers, _) = answers_of(theme, &decode_query(ANSWERS));
    let roadmap = plan(theme, &state.catalog, &answers).expect("roadmap");
    let form = MergedForm::build(&state.catalog, theme, &roadmap);
    for section in &form.sections {
        let values: BTreeMap<String, String> = section
            .fields
            .iter()
            .filter_map(|f| form.field(f))
            .filter(|f| f.awaits.is_none())
            .map(|f| {
                (
                    f.id().to_owned(),
                    value_for(f.field.kind, f.field.min, &f.field.options),
                )
            })
            .collect();
        assert!(
            app::server::drafts::save_section(&state.db, &id, &section.id, &values)
                .await
                .expect("save")
        );
    }
    id
}
