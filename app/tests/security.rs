//! Rate limits on submission and the security audit trail, on the database (SQLite and PostgreSQL, `make db-test`):
//! the eleventh new case in an hour from one account is refused with the time to wait, the draft keeps everything
//! typed, and the refusal is in the append-only `security_event` table.

#![cfg(feature = "ssr")]

mod common;

use app::domain::Role;
use app::server::application;
use app::server::login_throttle::{submissions, SUBMIT_ACCOUNT_LIMIT};
use app::server::security_audit::{self as audit, Kind};
use common::{catalog, complete_draft, state, test_db, user, viewer};

#[tokio::test]
async fn the_eleventh_submission_in_an_hour_waits_and_loses_nothing() {
    let db = test_db("security", "submit_limit").await;
    let state = state(&db, catalog());
    let citizen = user(&db, Role::Citizen).await;
    let address = "198.51.100.7";
    for n in 0..SUBMIT_ACCOUNT_LIMIT {
        let draft = complete_draft(&state, &citizen).await;
        let to = application::submit(&state, &draft, viewer(&citizen), Some(address), None)
            .await
            .expect("submit");
        assert!(to.ends_with("?submitted=1"), "submission {n}: {to}");
        // A replay of a submitted draft goes to its case and is not counted.
        let again = application::submit(&state, &draft, viewer(&citizen), Some(address), None)
            .await
            .expect("replay");
        assert!(again.starts_with("/cases/"), "{again}");
    }
    let draft = complete_draft(&state, &citizen).await;
    let before = app::server::drafts::load(&db, &draft)
        .await
        .expect("load")
        .expect("draft");
    let to = application::submit(&state, &draft, viewer(&citizen), Some(address), None)
        .await
        .expect("submit");
    assert!(
        to.starts_with(&format!(
            "/applications/{draft}/check?problem=too_many&retry="
        )),
        "{to}"
    );
    let minutes: i64 = to
        .split("retry=")
        .nth(1)
        .and_then(|r| r.split('#').next())
        .and_then(|m| m.parse().ok())
        .expect("minutes to wait");
    assert!((1..=60).contains(&minutes), "{minutes}");
    let after = app::server::drafts::load(&db, &draft)
        .await
        .expect("load")
        .expect("draft");
    assert_eq!(after.case_id, None, "not submitted");
    assert_eq!(after.fields, before.fields, "everything typed is kept");
    let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM hall_case WHERE account_id = $1")
        .bind(citizen.account_id)
        .fetch_one(&db.pool)
        .await
        .expect("count");
    assert_eq!(cases, SUBMIT_ACCOUNT_LIMIT);

    // Another account from the same address is not held back by this one.
    let other = user(&db, Role::Citizen).await;
    let draft = complete_draft(&state, &other).await;
    let to = application::submit(&state, &draft, viewer(&other), Some(address), None)
        .await
        .expect("submit");
    assert!(to.ends_with("?submitted=1"), "{to}");
}

#[tokio::test]
async fn the_address_limit_holds_whatever_the_account() {
    let db = test_db("security", "address_limit").await;
    let throttle = submissions();
    let address = format!("203.0.113.{}", std::process::id() % 250);
    // The real time: recording forgets this scope's attempts older than the window, and other tests share the table.
    let now = app::server::session::now();
    for n in 0..throttle.address_limit {
        assert_eq!(
            throttle
                .retry_after(&db, &format!("acct-{n}"), &address, now)
                .await
                .expect("check"),
            None
        );
        throttle
            .record_failure(&db, &format!("acct-{n}"), &address, now)
            .await
            .expect("record");
    }
    let wait = throttle
        .retry_after(&db, "a-new-account", &address, now + 60)
        .await
        .expect("check")
        .expect("held back");
    assert_eq!(wait, throttle.window - 60);
    // An hour later the address may submit again.
    assert_eq!(
        throttle
            .retry_after(&db, "a-new-account", &address, now + throttle.window)
            .await
            .expect("check"),
        None
    );
}

#[tokio::test]
async fn the_security_trail_is_append_only() {
    let db = test_db("security", "append_only").await;
    let who = user(&db, Role::Citizen).await;
    let at = 1_900_000_123;
    audit::append(
        &db,
        Kind::AccessRefused,
        Some(who.account_id),
        Some("case:HB-TEST"),
        Some("192.0.2.1"),
        at,
    )
    .await
    .expect("append");
    audit::append(&db, Kind::SignInFailed, None, Some("sign_in"), None, at)
        .await
        .expect("append");
    let mine = audit::recent(&db, Some(who.account_id), 10)
        .await
        .expect("read");
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (
            mine[0].kind.as_str(),
            mine[0].target.as_deref(),
            mine[0].address.as_deref(),
            mine[0].at
        ),
        (
            "access_refused",
            Some("case:HB-TEST"),
            Some("192.0.2.1"),
            at
        )
    );
    let id = mine[0].id;
    let update = sqlx::query("UPDATE security_event SET kind = 'signed_in' WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await;
    assert!(update.is_err(), "an update is refused");
    let delete = sqlx::query("DELETE FROM security_event WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await;
    assert!(delete.is_err(), "a delete is refused");
    assert_eq!(
        audit::recent(&db, Some(who.account_id), 10)
            .await
            .expect("read")[0]
            .kind,
        "access_refused"
    );
}
