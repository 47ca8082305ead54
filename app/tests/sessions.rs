//! Sessions, sign-in throttling and citizen registration on the database, run by `make test` on SQLite (a temp
//! file) and on PostgreSQL (`DATABASE_URL`). Tests on PostgreSQL share one database, so each uses names of its own
//! (with a per-run suffix where a re-run would otherwise collide).

#![cfg(feature = "ssr")]

mod common;

use app::domain::registration::{validate, RegistrationForm};
use app::domain::Role;
use app::server::accounts::{self, DemoAccount, Registered};
use app::server::admin::{self, Actor};
use app::server::db::{Backend, Db};
use app::server::login_throttle::{self, ACCOUNT_LIMIT, ADDRESS_LIMIT, WINDOW};
use app::server::memo::Changed;
use app::server::session::{self, ClientInfo};
use common::{test_db, unique};

/// Seeds one account and returns its id.
async fn account(db: &Db, login: &str, role: Role) -> i64 {
    let seed = DemoAccount {
        login: login.into(),
        password: format!("pw-{login}"),
        display_name: format!("测试 {login}"),
        role: role.code().into(),
        department: (role == Role::Officer).then(|| "tax".into()),
    };
    accounts::seed_demo_accounts(db, &[seed])
        .await
        .expect("seed");
    sqlx::query_scalar("SELECT id FROM account WHERE login = $1")
        .bind(login)
        .fetch_one(&db.pool)
        .await
        .expect("account id")
}

const T0: i64 = 1_800_000_000;
const MIN: i64 = 60;

#[tokio::test]
async fn a_session_is_found_by_its_token_and_only_the_hash_is_stored() {
    let db = test_db("sess", "lookup").await;
    let login = unique("sess-a");
    let id = account(&db, &login, Role::Officer).await;
    let client = ClientInfo {
        user_agent: Some("test".into()),
        address: Some("192.0.2.1".into()),
    };
    let new = session::create(&db, id, Role::Officer, &client, T0)
        .await
        .expect("create");
    let user = session::lookup(&db, &new.token, T0 + 1)
        .await
        .expect("lookup")
        .expect("signed in");
    assert_eq!(user.account_id, id);
    assert_eq!(user.login, login);
    assert_eq!(user.role, Role::Officer);
    assert_eq!(user.department.as_deref(), Some("tax"));
    assert_eq!(new.max_age, 8 * 60 * MIN);

    let by_token: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM session WHERE id = $1")
        .bind(&new.token)
        .fetch_one(&db.pool)
        .await
        .expect("count");
    assert_eq!(by_token, 0, "the raw token must not be stored");
    let by_hash: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM session WHERE id = $1")
        .bind(session::session_id(&new.token))
        .fetch_one(&db.pool)
        .await
        .expect("count");
    assert_eq!(by_hash, 1);

    // A token of the right shape that was never issued, and garbage, find nobody.
    assert!(session::lookup(&db, &session::new_token(), T0)
        .await
        .expect("lookup")
        .is_none());
    assert!(session::lookup(&db, "' OR 1=1 --", T0)
        .await
        .expect("lookup")
        .is_none());

    session::delete(&db, &new.token).await.expect("logout");
    assert!(session::lookup(&db, &new.token, T0 + 2)
        .await
        .expect("lookup")
        .is_none());
}

#[tokio::test]
async fn staff_sessions_expire_after_30_idle_minutes_and_8_hours_citizens_after_7_days() {
    let db = test_db("sess", "expiry").await;
    let staff = account(&db, &unique("sess-w"), Role::Window).await;
    let citizen = account(&db, &unique("sess-c"), Role::Citizen).await;
    let none = ClientInfo::default();

    // Idle: unused for 31 minutes, the staff session is gone (and deleted), the citizen's is not.
    let s = session::create(&db, staff, Role::Window, &none, T0)
        .await
        .expect("create");
    let c = session::create(&db, citizen, Role::Citizen, &none, T0)
        .await
        .expect("create");
    assert!(session::lookup(&db, &s.token, T0 + 31 * MIN)
        .await
        .expect("lookup")
        .is_none());
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM session WHERE id = $1")
        .bind(session::session_id(&s.token))
        .fetch_one(&db.pool)
        .await
        .expect("count");
    assert_eq!(left, 0);
    assert!(session::lookup(&db, &c.token, T0 + 31 * MIN)
        .await
        .expect("lookup")
        .is_some());
    assert!(
        session::lookup(&db, &c.token, T0 + 31 * MIN + 7 * 24 * 60 * MIN)
            .await
            .expect("lookup")
            .is_none()
    );

    // Sliding: used every 20 minutes, a staff session lives on — until 8 hours after sign-in.
    let s = session::create(&db, staff, Role::Window, &none, T0)
        .await
        .expect("create");
    let mut t = T0;
    while t + 20 * MIN < T0 + 8 * 60 * MIN {
        t += 20 * MIN;
        assert!(
            session::lookup(&db, &s.token, t)
                .await
                .expect("lookup")
                .is_some(),
            "still signed in after {} minutes",
            (t - T0) / MIN
        );
    }
    assert!(session::lookup(&db, &s.token, T0 + 8 * 60 * MIN)
        .await
        .expect("lookup")
        .is_none());
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session_of_the_account_only() {
    let db = test_db("sess", "everywhere").await;
    let a = account(&db, &unique("sess-e1"), Role::Citizen).await;
    let b = account(&db, &unique("sess-e2"), Role::Citizen).await;
    let none = ClientInfo::default();
    let phone = session::create(&db, a, Role::Citizen, &none, T0)
        .await
        .expect("create");
    let laptop = session::create(&db, a, Role::Citizen, &none, T0)
        .await
        .expect("create");
    assert_ne!(
        phone.token, laptop.token,
        "a new session id on every sign-in"
    );
    let other = session::create(&db, b, Role::Citizen, &none, T0)
        .await
        .expect("create");
    assert_eq!(session::delete_all(&db, a).await.expect("everywhere"), 2);
    for token in [&phone.token, &laptop.token] {
        assert!(session::lookup(&db, token, T0 + 1)
            .await
            .expect("lookup")
            .is_none());
    }
    assert!(session::lookup(&db, &other.token, T0 + 1)
        .await
        .expect("lookup")
        .is_some());
}

#[tokio::test]
async fn failures_are_throttled_per_account_and_per_address_within_15_minutes() {
    let db = test_db("sess", "throttle").await;
    let key = unique("victim");
    let address = unique("198.51.100.7");
    for i in 0..ACCOUNT_LIMIT - 1 {
        login_throttle::record_failure(&db, &key, &address, T0 + i)
            .await
            .expect("record");
    }
    assert_eq!(
        login_throttle::retry_after(&db, &key, &address, T0 + 10)
            .await
            .expect("check"),
        None
    );
    login_throttle::record_failure(&db, &key, &address, T0 + 10)
        .await
        .expect("record");
    assert_eq!(
        login_throttle::failures(&db, &key, T0 + 10)
            .await
            .expect("count"),
        ACCOUNT_LIMIT
    );
    // The oldest of the five (at T0) leaves the window at T0 + WINDOW.
    assert_eq!(
        login_throttle::retry_after(&db, &key, &address, T0 + 20)
            .await
            .expect("check"),
        Some(WINDOW - 20)
    );
    // From another address the account is still locked; after the window it is free again.
    let elsewhere = unique("203.0.113.9");
    assert!(login_throttle::retry_after(&db, &key, &elsewhere, T0 + 20)
        .await
        .expect("check")
        .is_some());
    assert_eq!(
        login_throttle::retry_after(&db, &key, &elsewhere, T0 + WINDOW + 1)
            .await
            .expect("check"),
        None
    );
    // A successful sign-in clears the account's failures.
    login_throttle::clear_account(&db, &key)
        .await
        .expect("clear");
    assert_eq!(
        login_throttle::failures(&db, &key, T0 + 20)
            .await
            .expect("count"),
        0
    );

    // One address trying many accounts: 20 failures lock the address for any account.
    let sprayer = unique("192.0.2.200");
    for i in 0..ADDRESS_LIMIT {
        let k = format!("{key}-{i}");
        login_throttle::record_failure(&db, &k, &sprayer, T0 + i)
            .await
            .expect("record");
    }
    let fresh = unique("fresh");
    assert!(login_throttle::retry_after(&db, &fresh, &sprayer, T0 + 30)
        .await
        .expect("check")
        .is_some());
    assert_eq!(
        login_throttle::retry_after(&db, &fresh, &address, T0 + 30)
            .await
            .expect("check"),
        None
    );
}

#[tokio::test]
async fn a_registered_citizen_signs_in_with_the_mobile_number_once_per_number() {
    let db = test_db("sess", "register").await;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_nanos();
    let mobile = format!("139{:08}", nanos % 100_000_000);
    let form = RegistrationForm {
        mobile: format!("+86 {mobile}"),
        display_name: "王小明".into(),
        password: "long enough".into(),
        password_confirm: "long enough".into(),
        resident_id: "11010519491231002X".into(),
    };
    let valid = validate(&form, time::macros::date!(2026 - 01 - 01)).expect("valid");
    let Registered::Created(id) = accounts::register_citizen(&db, &valid)
        .await
        .expect("register")
    else {
        panic!("not created");
    };
    assert_eq!(
        accounts::register_citizen(&db, &valid)
            .await
            .expect("again"),
        Registered::MobileTaken
    );
    assert_eq!(
        accounts::authenticate(&db, &mobile, "long enough")
            .await
            .expect("auth"),
        Some(id)
    );
    // As people type it, too.
    let spaced = format!("{} {} {}", &mobile[..3], &mobile[3..7], &mobile[7..]);
    assert_eq!(
        accounts::authenticate(&db, &spaced, "long enough")
            .await
            .expect("auth"),
        Some(id)
    );
    assert_eq!(
        accounts::authenticate(&db, &mobile, "wrong password")
            .await
            .expect("auth"),
        None
    );
    assert_eq!(
        accounts::authenticate(&db, "nobody-at-all", "long enough")
            .await
            .expect("auth"),
        None
    );
    let user = accounts::session_user(&db, id)
        .await
        .expect("user")
        .expect("exists");
    assert_eq!(user.role, Role::Citizen);
    assert_eq!(user.display_name, "王小明");
    let declared: String = sqlx::query_scalar("SELECT resident_id FROM account WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .expect("resident id");
    assert_eq!(declared, "11010519491231002X");
}

/// A new citizen session of the account, now; its token.
async fn sign_in(db: &Db, id: i64) -> String {
    session::create(
        db,
        id,
        Role::Citizen,
        &ClientInfo::default(),
        session::now(),
    )
    .await
    .expect("session")
    .token
}

/// One request reads its session once: an SSR page asks who is signed in from its header, its body and each
/// resource, and every ask after the first gets the first answer. The next request reads the table again.
#[tokio::test]
async fn a_request_reads_its_session_once_however_often_it_asks() {
    use leptos::prelude::{provide_context, Owner};

    let db = test_db("sessions", "request_user").await;
    let state = common::state(&db, common::catalog());
    let id = account(&db, &unique("once"), Role::Citizen).await;
    let token = sign_in(&db, id).await;
    let request = |token: &str| {
        let (mut parts, ()) = http::Request::builder()
            .header("cookie", format!("{}={token}", session::COOKIE))
            .body(())
            .expect("request")
            .into_parts();
        parts.extensions.insert(session::RequestUser::default());
        let owner = Owner::new();
        owner.set();
        provide_context(state.clone());
        provide_context(parts);
        owner
    };
    let signed_in = |u: Option<app::api::account::SessionUser>| u.map(|u| u.account_id);

    let _first = request(&token);
    assert_eq!(
        signed_in(session::current_user().await.expect("db")),
        Some(id)
    );
    // Signed out elsewhere while this request runs: it keeps the answer it read.
    session::delete(&db, &token).await.expect("sign out");
    assert_eq!(
        signed_in(session::current_user().await.expect("db")),
        Some(id)
    );

    // The next request reads the table: the session is gone.
    let _second = request(&token);
    assert_eq!(signed_in(session::current_user().await.expect("db")), None);

    // The lookup joins the account: a session left behind on a disabled account signs nobody in.
    let token = sign_in(&db, id).await;
    let _third = request(&token);
    assert_eq!(
        signed_in(session::current_user().await.expect("db")),
        Some(id)
    );
    sqlx::query("UPDATE account SET disabled_at = $1 WHERE id = $2")
        .bind(session::now())
        .bind(id)
        .execute(&db.pool)
        .await
        .expect("disable");
    // Written here behind the app's back, so the test says what it changed, as the app's own writes do.
    db.changed(Changed::Account(id));
    assert!(session::lookup(&db, &token, session::now())
        .await
        .expect("db")
        .is_none());
}

/// On SQLite a signed-in session is kept in memory (`memo`): later lookups do not read the table until the idle
/// expiry is due to slide, or the app changes the session or its account. On PostgreSQL nothing is kept.
#[tokio::test]
async fn a_session_kept_in_memory_ends_with_the_app_s_writes() {
    let db = test_db("sessions", "memo").await;
    assert_eq!(db.memo.is_some(), db.backend == Backend::Sqlite);
    let Some(memo) = db.memo.clone() else {
        return;
    };
    let id = account(&db, &unique("memo"), Role::Citizen).await;
    let admin_id = account(&db, &unique("memo-adm"), Role::Admin).await;
    let actor = Actor {
        id: admin_id,
        name: "管理员".into(),
        address: None,
    };
    let now = session::now();
    let signed_in = |token: String| {
        let db = db.clone();
        async move {
            session::lookup(&db, &token, now)
                .await
                .expect("db")
                .map(|u| u.account_id)
        }
    };

    // Kept: a change behind the app's back goes unseen until the idle expiry is due to slide.
    let token = sign_in(&db, id).await;
    assert_eq!(signed_in(token.clone()).await, Some(id));
    assert_eq!(memo.sessions.len(), 1);
    sqlx::query("UPDATE account SET display_name = 'renamed' WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await
        .expect("behind the app's back");
    let served = session::lookup(&db, &token, now + 1).await.expect("db");
    assert_ne!(
        served.map(|u| u.display_name),
        Some("renamed".into()),
        "from memory"
    );
    let read = session::lookup(&db, &token, now + 2 * MIN)
        .await
        .expect("db");
    assert_eq!(
        read.map(|u| u.display_name),
        Some("renamed".into()),
        "read again to slide"
    );

    // Signing out ends it at once.
    assert_eq!(signed_in(token.clone()).await, Some(id));
    session::delete(&db, &token).await.expect("sign out");
    assert_eq!(signed_in(token).await, None);

    // Signing out everywhere ends them all.
    let (a, b) = (sign_in(&db, id).await, sign_in(&db, id).await);
    assert_eq!(signed_in(a.clone()).await, Some(id));
    assert_eq!(signed_in(b.clone()).await, Some(id));
    session::delete_all(&db, id).await.expect("everywhere");
    assert_eq!(signed_in(a).await, None);
    assert_eq!(signed_in(b).await, None);

    // An administrator disabling the account ends its sessions, and enabling it does not bring them back.
    let token = sign_in(&db, id).await;
    assert_eq!(signed_in(token.clone()).await, Some(id));
    let done = admin::set_disabled(&db, &actor, id, true, now)
        .await
        .expect("db");
    assert_eq!(done, Ok(true));
    assert_eq!(signed_in(token.clone()).await, None);
    admin::set_disabled(&db, &actor, id, false, now)
        .await
        .expect("db")
        .expect("enable");
    assert_eq!(signed_in(token).await, None);
}
