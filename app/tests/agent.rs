//! Agent filing (代办) on the database: an agent files for a resident only under the resident's confirmed,
//! unexpired consent; the case then belongs to the resident and both see it; another agent does not; revoking
//! ends the agent's access and the audit keeps every change. Run by `make db-test` on SQLite and PostgreSQL (the
//! PostgreSQL tests share one database, so each makes accounts of its own).

#![cfg(feature = "ssr")]

mod common;

use app::api::account::SessionUser;
use app::api::cases::CasePage;
use app::domain::consent::{ConsentStatus, Decision, RequestForm};
use app::domain::text::Lang;
use app::domain::Role;
use app::server::application;
use app::server::case_views::case_page;
use app::server::consent::{self, DecideRefused, RequestRefused};
use app::server::db::Db;
use app::server::state::AppState;
use common::{catalog, complete_draft, state, test_db, today, user, viewer, RESIDENT_ID, THEME};

/// A citizen with a mobile number and a resident ID, as registration stores them: (user, mobile).
async fn new_resident(db: &Db) -> (SessionUser, String) {
    let u = user(db, Role::Citizen).await;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_nanos();
    let mobile = format!(
        "139{:08}",
        (nanos / 1000 + u128::from(std::process::id())) % 100_000_000
    );
    sqlx::query("UPDATE account SET mobile = $1, resident_id = $2 WHERE id = $3")
        .bind(&mobile)
        .bind(RESIDENT_ID)
        .bind(u.account_id)
        .execute(&db.pool)
        .await
        .expect("mobile");
    (u, mobile)
}

fn request_form(who: &SessionUser, mobile: &str) -> RequestForm {
    RequestForm {
        resident_id: RESIDENT_ID.into(),
        resident_name: who.display_name.clone(),
        resident_mobile: mobile.into(),
        theme: THEME.into(),
        scopes: vec!["file".into(), "follow".into(), "corrections".into()],
        valid_until: (today() + time::Duration::days(30)).to_string(),
    }
}

async fn owner_of(db: &Db, number: &str) -> (Option<i64>, Option<i64>) {
    sqlx::query_as("SELECT account_id, filed_by_agent FROM hall_case WHERE number = $1")
        .bind(number)
        .fetch_one(&db.pool)
        .await
        .expect("case")
}

async fn sees(state: &AppState, who: &SessionUser, number: &str) -> bool {
    matches!(
        case_page(state, number, Lang::Zh, viewer(who))
            .await
            .expect("case page"),
        CasePage::Ready(_)
    )
}

async fn listed(state: &AppState, who: &SessionUser, number: &str) -> bool {
    match application::mine(state, viewer(who)).await.expect("mine") {
        app::api::application::MyPage::Ready { cases, .. } => {
            cases.iter().any(|c| c.number == number)
        }
        _ => false,
    }
}

#[tokio::test]
async fn without_confirmed_consent_the_agent_cannot_submit_and_nothing_is_lost() {
    let db = test_db("agent", "no_consent").await;
    let state = state(&db, catalog());
    let agent = user(&db, Role::Agent).await;
    let (resident, mobile) = new_resident(&db).await;
    let draft = complete_draft(&state, &agent).await;
    let before = app::server::drafts::load(&db, &draft)
        .await
        .expect("load")
        .expect("draft");

    // No consent chosen.
    let to = application::submit(&state, &draft, viewer(&agent), None, None)
        .await
        .expect("submit");
    assert_eq!(
        to,
        format!("/applications/{draft}/check?problem=no_consent#consent")
    );

    // A pending consent: asked, not confirmed.
    let id = consent::request(
        &db,
        &state.catalog,
        agent.account_id,
        &request_form(&resident, &mobile),
        today(),
        None,
    )
    .await
    .expect("request")
    .expect("stored");
    let to = application::submit(&state, &draft, viewer(&agent), None, Some(&id.to_string()))
        .await
        .expect("submit");
    assert!(to.contains("problem=not_confirmed"), "{to}");

    // Declined.
    assert_eq!(
        consent::decide(&db, resident.account_id, id, Decision::Decline, None)
            .await
            .expect("decide"),
        Ok(ConsentStatus::Declined)
    );
    let to = application::submit(&state, &draft, viewer(&agent), None, Some(&id.to_string()))
        .await
        .expect("submit");
    assert!(to.contains("problem=declined"), "{to}");

    // Someone else's consent id (another agent's, approved) does not count.
    let other = user(&db, Role::Agent).await;
    let theirs = consent::request(
        &db,
        &state.catalog,
        other.account_id,
        &request_form(&resident, &mobile),
        today(),
        None,
    )
    .await
    .expect("request")
    .expect("stored");
    consent::decide(&db, resident.account_id, theirs, Decision::Approve, None)
        .await
        .expect("decide")
        .expect("approved");
    let to = application::submit(
        &state,
        &draft,
        viewer(&agent),
        None,
        Some(&theirs.to_string()),
    )
    .await
    .expect("submit");
    assert!(to.contains("problem=no_consent"), "{to}");

    // An approved consent that has expired: the rows say so and the agent is refused.
    let expired = consent::request(
        &db,
        &state.catalog,
        agent.account_id,
        &request_form(&resident, &mobile),
        today(),
        None,
    )
    .await
    .expect("request")
    .expect("stored");
    consent::decide(&db, resident.account_id, expired, Decision::Approve, None)
        .await
        .expect("decide")
        .expect("approved");
    sqlx::query("UPDATE consent SET valid_until = $1 WHERE id = $2")
        .bind((today() - time::Duration::days(1)).to_string())
        .bind(expired)
        .execute(&db.pool)
        .await
        .expect("expire");
    let to = application::submit(
        &state,
        &draft,
        viewer(&agent),
        None,
        Some(&expired.to_string()),
    )
    .await
    .expect("submit");
    assert!(to.contains("problem=expired"), "{to}");

    // Nothing was submitted and the draft is as typed.
    let after = app::server::drafts::load(&db, &draft)
        .await
        .expect("load")
        .expect("draft");
    assert_eq!(after.case_id, None);
    assert_eq!(after.fields, before.fields);
    assert_eq!(
        app::server::cases::number_for_draft(&db, &draft)
            .await
            .expect("number"),
        None
    );
}

#[tokio::test]
async fn a_request_must_name_a_real_resident() {
    let db = test_db("agent", "no_resident").await;
    let state = state(&db, catalog());
    let agent = user(&db, Role::Agent).await;
    let (resident, mobile) = new_resident(&db).await;
    let mut form = request_form(&resident, &mobile);
    form.resident_name = "不是本人".into();
    assert_eq!(
        consent::request(&db, &state.catalog, agent.account_id, &form, today(), None)
            .await
            .expect("request"),
        Err(RequestRefused::NoSuchResident)
    );
    let mut form = request_form(&resident, &mobile);
    form.resident_id = "110105194912310021".into();
    assert!(matches!(
        consent::request(&db, &state.catalog, agent.account_id, &form, today(), None)
            .await
            .expect("request"),
        Err(RequestRefused::Fields(_))
    ));
    assert!(consent::of_agent(&db, agent.account_id)
        .await
        .expect("list")
        .is_empty());
}

#[tokio::test]
async fn with_consent_the_case_is_the_resident_s_both_see_it_another_agent_does_not_and_revoking_ends_it(
) {
    let db = test_db("agent", "consent").await;
    let state = state(&db, catalog());
    let agent = user(&db, Role::Agent).await;
    let other_agent = user(&db, Role::Agent).await;
    let (resident, mobile) = new_resident(&db).await;
    let (stranger, _) = new_resident(&db).await;

    let id = consent::request(
        &db,
        &state.catalog,
        agent.account_id,
        &request_form(&resident, &mobile),
        today(),
        Some("10.0.0.7"),
    )
    .await
    .expect("request")
    .expect("stored");
    // Only the resident decides, once.
    assert_eq!(
        consent::decide(&db, stranger.account_id, id, Decision::Approve, None)
            .await
            .expect("decide"),
        Err(DecideRefused::NotFound)
    );
    assert_eq!(
        consent::decide(&db, resident.account_id, id, Decision::Approve, None)
            .await
            .expect("decide"),
        Ok(ConsentStatus::Approved)
    );
    assert!(matches!(
        consent::decide(&db, resident.account_id, id, Decision::Approve, None)
            .await
            .expect("decide"),
        Err(DecideRefused::Invalid(_))
    ));

    let draft = complete_draft(&state, &agent).await;
    let to = application::submit(
        &state,
        &draft,
        viewer(&agent),
        Some("10.0.0.7"),
        Some(&id.to_string()),
    )
    .await
    .expect("submit");
    let number = to
        .strip_prefix("/cases/")
        .and_then(|s| s.strip_suffix("?submitted=1"))
        .unwrap_or_else(|| panic!("a case: {to}"))
        .to_owned();
    assert_eq!(
        owner_of(&db, &number).await,
        (Some(resident.account_id), Some(agent.account_id))
    );
    // The history names the agent as the one who submitted.
    let (actor, role): (Option<i64>, String) = sqlx::query_as(
        "SELECT e.actor_account, e.actor_role FROM case_event e JOIN hall_case c ON c.id = e.case_id \
         WHERE c.number = $1 AND e.action = 'submit'",
    )
    .bind(&number)
    .fetch_one(&db.pool)
    .await
    .expect("event");
    assert_eq!((actor, role.as_str()), (Some(agent.account_id), "agent"));

    // Both see it, in their lists and on the case page; the resident is told who filed it.
    assert!(sees(&state, &resident, &number).await);
    assert!(sees(&state, &agent, &number).await);
    assert!(listed(&state, &resident, &number).await);
    assert!(listed(&state, &agent, &number).await);
    match case_page(&state, &number, Lang::Zh, viewer(&resident))
        .await
        .expect("page")
    {
        CasePage::Ready(view) => {
            assert_eq!(
                view.filed_by_agent.as_deref(),
                Some(agent.display_name.as_str())
            );
            assert!(view.lookup_code.is_some(), "the owner gets the lookup code");
        }
        other => panic!("{other:?}"),
    }
    match case_page(&state, &number, Lang::Zh, viewer(&agent))
        .await
        .expect("page")
    {
        CasePage::Ready(view) => {
            assert_eq!(
                view.for_resident.as_deref(),
                Some(resident.display_name.as_str())
            );
            assert_eq!(view.lookup_code, None, "the lookup code is the resident's");
        }
        other => panic!("{other:?}"),
    }
    // Another agent, and another citizen, do not.
    assert!(!sees(&state, &other_agent, &number).await);
    assert!(!listed(&state, &other_agent, &number).await);
    assert!(!sees(&state, &stranger, &number).await);

    // The resident revokes: the agent loses access, the resident keeps the case and its history.
    assert_eq!(
        consent::decide(
            &db,
            resident.account_id,
            id,
            Decision::Revoke,
            Some("10.0.0.8")
        )
        .await
        .expect("revoke"),
        Ok(ConsentStatus::Revoked)
    );
    assert!(!sees(&state, &agent, &number).await);
    assert!(!listed(&state, &agent, &number).await);
    assert!(sees(&state, &resident, &number).await);
    assert_eq!(
        owner_of(&db, &number).await,
        (Some(resident.account_id), Some(agent.account_id))
    );

    // The audit has every change, in order, and cannot be changed.
    let audit = consent::audit(&db, id).await.expect("audit");
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["requested", "approved", "revoked"]);
    assert!(audit.iter().all(|a| a.at > 0));
    assert!(sqlx::query("UPDATE consent_audit SET action = 'approved'")
        .execute(&db.pool)
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM consent_audit")
        .execute(&db.pool)
        .await
        .is_err());
}
