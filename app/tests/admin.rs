//! Administration on the database, run by `make db-test` on SQLite (a temp file) and on PostgreSQL
//! (`DATABASE_URL`): staff accounts, assignments, disabling (sessions end), self-protection, API tokens and the
//! append-only audit. Tests on PostgreSQL share one database, so each uses names of its own.

#![cfg(feature = "ssr")]

mod common;

use app::domain::admin::{AdminProblem, NewStaff};
use app::domain::Role;
use app::server::accounts::{self, DemoAccount};
use app::server::admin::{self, Actor, ApiClient};
use app::server::db::Db;
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

async fn admin_actor(db: &Db) -> Actor {
    let login = unique("adm");
    let id = account(db, &login, Role::Admin).await;
    Actor {
        id,
        name: format!("管理员 {login}"),
        address: Some("192.0.2.7".into()),
    }
}

async fn audit_actions(db: &Db, account_id: i64) -> Vec<String> {
    admin::account_audit(db, account_id)
        .await
        .expect("audit")
        .into_iter()
        .map(|a| a.action)
        .collect()
}

const T0: i64 = 1_800_000_000;

#[tokio::test]
async fn create_assign_disable_enable_with_sessions_ended_and_every_change_audited() {
    let db = test_db("admin", "lifecycle").await;
    let actor = admin_actor(&db).await;
    let login = unique("officer");
    let staff = NewStaff {
        login: login.clone(),
        display_name: "新窗口人员".into(),
        role: Role::Officer,
        department: Some("samr".into()),
        password: None,
    };
    let id = admin::create_staff(&db, &actor, &staff, "initial-password-1", T0)
        .await
        .expect("db")
        .expect("created");
    assert_eq!(
        accounts::authenticate(&db, &login, "initial-password-1")
            .await
            .expect("db"),
        Some(id)
    );
    // The same login again is refused, not a second account.
    assert_eq!(
        admin::create_staff(&db, &actor, &staff, "initial-password-1", T0)
            .await
            .expect("db"),
        Err(AdminProblem::LoginTaken)
    );

    // Move the officer to another department: the role stays, the sessions stay.
    let s = session::create(
        &db,
        id,
        Role::Officer,
        &ClientInfo::default(),
        session::now(),
    )
    .await
    .expect("session");
    assert_eq!(
        admin::assign(&db, &actor, id, Role::Officer, Some("fire"), T0 + 1)
            .await
            .expect("db"),
        Ok(true)
    );
    let user = accounts::session_user(&db, id)
        .await
        .expect("db")
        .expect("user");
    assert_eq!(user.department.as_deref(), Some("fire"));
    assert!(session::lookup(&db, &s.token, session::now())
        .await
        .expect("db")
        .is_some());

    // Disable: every session ends at once and sign-in stops.
    let other = session::create(
        &db,
        id,
        Role::Officer,
        &ClientInfo::default(),
        session::now(),
    )
    .await
    .expect("session");
    assert_eq!(admin::session_count(&db, id).await.expect("db"), 2);
    assert_eq!(
        admin::set_disabled(&db, &actor, id, true, T0 + 2)
            .await
            .expect("db"),
        Ok(true)
    );
    assert_eq!(admin::session_count(&db, id).await.expect("db"), 0);
    for token in [&s.token, &other.token] {
        assert!(session::lookup(&db, token, session::now())
            .await
            .expect("db")
            .is_none());
    }
    assert!(accounts::is_disabled(&db, id).await.expect("db"));
    assert!(accounts::session_user(&db, id).await.expect("db").is_none());

    // Enabled again, it can sign in again.
    assert_eq!(
        admin::set_disabled(&db, &actor, id, false, T0 + 3)
            .await
            .expect("db"),
        Ok(true)
    );
    assert!(!accounts::is_disabled(&db, id).await.expect("db"));
    assert!(accounts::session_user(&db, id).await.expect("db").is_some());

    assert_eq!(
        audit_actions(&db, id).await,
        ["enable", "disable", "assign", "create_account"]
    );
    let audit = admin::account_audit(&db, id).await.expect("audit");
    let disable = &audit[1];
    assert_eq!(disable.at, T0 + 2);
    assert_eq!(disable.actor_name, actor.name);
    assert_eq!(disable.address.as_deref(), Some("192.0.2.7"));
    assert_eq!(disable.detail.as_deref(), Some("sessions ended: 2"));
    assert_eq!(
        audit[2].detail.as_deref(),
        Some("officer/samr → officer/fire")
    );
}

#[tokio::test]
async fn a_role_change_ends_sessions_and_a_password_reset_too() {
    let db = test_db("admin", "role-password").await;
    let actor = admin_actor(&db).await;
    let id = account(&db, &unique("win"), Role::Window).await;
    session::create(
        &db,
        id,
        Role::Window,
        &ClientInfo::default(),
        session::now(),
    )
    .await
    .expect("session");
    assert_eq!(
        admin::assign(&db, &actor, id, Role::Supervisor, None, T0)
            .await
            .expect("db"),
        Ok(true)
    );
    assert_eq!(admin::session_count(&db, id).await.expect("db"), 0);

    session::create(
        &db,
        id,
        Role::Supervisor,
        &ClientInfo::default(),
        session::now(),
    )
    .await
    .expect("session");
    assert!(
        admin::reset_password(&db, &actor, id, "brand-new-password", T0 + 1)
            .await
            .expect("db")
    );
    assert_eq!(admin::session_count(&db, id).await.expect("db"), 0);
    let login: String = sqlx::query_scalar("SELECT login FROM account WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .expect("login");
    assert!(accounts::verify_password(&db, &login, "brand-new-password")
        .await
        .expect("db"));
    assert_eq!(audit_actions(&db, id).await, ["reset_password", "assign"]);
}

#[tokio::test]
async fn an_admin_cannot_disable_or_demote_themselves_and_citizens_keep_their_role() {
    let db = test_db("admin", "self").await;
    let actor = admin_actor(&db).await;
    session::create(
        &db,
        actor.id,
        Role::Admin,
        &ClientInfo::default(),
        session::now(),
    )
    .await
    .expect("session");
    assert_eq!(
        admin::set_disabled(&db, &actor, actor.id, true, T0)
            .await
            .expect("db"),
        Err(AdminProblem::SelfDisable)
    );
    assert_eq!(
        admin::assign(&db, &actor, actor.id, Role::Window, None, T0)
            .await
            .expect("db"),
        Err(AdminProblem::SelfDemote)
    );
    assert!(!accounts::is_disabled(&db, actor.id).await.expect("db"));
    assert_eq!(admin::session_count(&db, actor.id).await.expect("db"), 1);
    assert_eq!(
        accounts::session_user(&db, actor.id)
            .await
            .expect("db")
            .map(|u| u.role),
        Some(Role::Admin)
    );
    assert!(audit_actions(&db, actor.id).await.is_empty());

    let citizen = account(&db, &unique("cit"), Role::Citizen).await;
    assert_eq!(
        admin::assign(&db, &actor, citizen, Role::Admin, None, T0)
            .await
            .expect("db"),
        Err(AdminProblem::NotStaffAccount)
    );
    assert_eq!(
        admin::assign(&db, &actor, i64::MAX, Role::Window, None, T0)
            .await
            .expect("db"),
        Ok(false)
    );
}

#[tokio::test]
async fn a_token_authenticates_its_department_until_revoked() {
    let db = test_db("admin", "tokens").await;
    let actor = admin_actor(&db).await;
    let name = unique("系统");
    let (token_id, secret) = admin::create_token(&db, &actor, &name, "samr", T0)
        .await
        .expect("create");
    assert!(
        secret.starts_with("hall_") && secret.len() == 48,
        "{secret}"
    );

    // Only the hash and a prefix are stored.
    let (prefix, hash): (String, String) =
        sqlx::query_as("SELECT prefix, token_hash FROM api_token WHERE id = $1")
            .bind(token_id)
            .fetch_one(&db.pool)
            .await
            .expect("row");
    assert!(secret.starts_with(&prefix) && prefix.len() < secret.len());
    assert_ne!(hash, secret);
    assert!(!hash.contains(&secret[5..]));

    assert_eq!(
        admin::authenticate_api_token(&db, &secret)
            .await
            .expect("db"),
        Some(ApiClient {
            department: "samr".into(),
            token_id,
        })
    );
    let listed = admin::list_tokens(&db).await.expect("list");
    let line = listed.iter().find(|t| t.id == token_id).expect("listed");
    assert!(line.last_used_at.is_some());
    assert_eq!(line.revoked_at, None);

    // Wrong or malformed secrets are refused.
    let mut wrong = secret.clone().into_bytes();
    wrong[20] = if wrong[20] == b'A' { b'B' } else { b'A' };
    let wrong = String::from_utf8(wrong).expect("ascii");
    for presented in [wrong.as_str(), "", "hall_", &secret[..40], "Bearer x"] {
        assert_eq!(
            admin::authenticate_api_token(&db, presented)
                .await
                .expect("db"),
            None,
            "{presented}"
        );
    }

    assert!(admin::revoke_token(&db, &actor, token_id, T0 + 5)
        .await
        .expect("revoke"));
    assert!(!admin::revoke_token(&db, &actor, token_id, T0 + 6)
        .await
        .expect("revoke again"));
    assert_eq!(
        admin::authenticate_api_token(&db, &secret)
            .await
            .expect("db"),
        None
    );
    let audit: Vec<String> =
        sqlx::query_scalar("SELECT action FROM admin_audit WHERE target_token_id = $1 ORDER BY id")
            .bind(token_id)
            .fetch_all(&db.pool)
            .await
            .expect("audit");
    assert_eq!(audit, ["create_token", "revoke_token"]);
}

#[tokio::test]
async fn the_audit_is_append_only() {
    let db = test_db("admin", "append-only").await;
    let actor = admin_actor(&db).await;
    let id = account(&db, &unique("ao"), Role::Window).await;
    admin::set_disabled(&db, &actor, id, true, T0)
        .await
        .expect("db")
        .expect("disabled");
    let update = sqlx::query(
        "UPDATE admin_audit SET actor_name = 'someone else' WHERE target_account_id = $1",
    )
    .bind(id)
    .execute(&db.pool)
    .await;
    assert!(update.is_err(), "an audit row was changed");
    let delete = sqlx::query("DELETE FROM admin_audit WHERE target_account_id = $1")
        .bind(id)
        .execute(&db.pool)
        .await;
    assert!(delete.is_err(), "an audit row was deleted");
    let audit = admin::account_audit(&db, id).await.expect("audit");
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor_name, actor.name);
}

#[tokio::test]
async fn the_list_filters_by_role_and_login_and_pages() {
    let db = test_db("admin", "list").await;
    let tag = unique("lst");
    let mut ids = Vec::new();
    for i in 0..23 {
        ids.push(account(&db, &format!("{tag}-w{i:02}"), Role::Window).await);
    }
    let officer = account(&db, &format!("{tag}-o"), Role::Officer).await;
    let (rows, total) = admin::list_accounts(&db, None, &tag.to_uppercase(), 1)
        .await
        .expect("list");
    assert_eq!(total, 24);
    assert_eq!(rows.len(), 20);
    assert_eq!(rows[0].id, officer, "newest first");
    let (rows, _) = admin::list_accounts(&db, None, &tag, 2)
        .await
        .expect("list");
    assert_eq!(rows.len(), 4);
    let (rows, total) = admin::list_accounts(&db, Some(Role::Officer), &tag, 1)
        .await
        .expect("list");
    assert_eq!((total, rows[0].id), (1, officer));
    // A wildcard typed into the search is taken literally.
    let (_, total) = admin::list_accounts(&db, None, &format!("{tag}%"), 1)
        .await
        .expect("list");
    assert_eq!(total, 0);
}
