//! Progress lookup without an account (right and wrong codes, the throttle) and notifications (one per change,
//! in the change's transaction, with one outbox row per channel), run by `make db-test` on SQLite (a temp file)
//! and on PostgreSQL (`DATABASE_URL`). On PostgreSQL the tests share one database, so each uses its own accounts,
//! drafts and client addresses.

#![cfg(feature = "ssr")]

mod common;

use std::collections::BTreeMap;

use app::api::account::SessionUser;
use app::api::track::TrackPage;
use app::domain::case_flow::{CaseAction, CaseStatus};
use app::domain::roadmap::plan;
use app::domain::{Catalog, Lang, Role};
use app::server::case_actions::{act, Acting, Outcome, Target};
use app::server::cases::{self, NewCase};
use app::server::db::Db;
use app::server::login_throttle::{self, TRACK};
use app::server::notifications;
use app::server::signing::Signer;
use app::server::track::{self, Lookup};
use app::server::wizard::{answers_of, decode_query};
use common::{catalog, test_db, today, unique, user};

/// A documentation-range address of this test's own, so tests sharing a PostgreSQL database never share a count.
fn address() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .subsec_nanos();
    format!(
        "2001:db8::{:x}:{:x}",
        std::process::id() % 0xffff,
        nanos % 0xffff
    )
}

fn now() -> i64 {
    app::server::session::now()
}

const ANSWERS: &str =
    "a.entity=sole&a.applicant_age=30&a.premises_type=commercial&a.area=60&a.seats=20&a.alcohol=no\
&a.entertainment=no&a.sign=no&a.sewer=no&a.fire_accepted=yes&a.staff=1";

const NAME: &str = "欧阳测试";
const PHONE: &str = "13812345678";
const EMAIL: &str = "ouyang@example.com";
const RESIDENT_ID: &str = "11010519491231002X";

/// A submitted restaurant case with personal data in its form, owned by a fresh citizen: (number, owner).
async fn submitted(db: &Db, catalog: &Catalog) -> (String, SessionUser) {
    let owner = user(db, Role::Citizen).await;
    let theme = catalog.theme("open-restaurant").expect("theme");
    let (answers, _) = answers_of(theme, &decode_query(ANSWERS));
    let roadmap = plan(theme, catalog, &answers).expect("roadmap");
    let fields: BTreeMap<String, String> = [
        ("applicant_name", NAME),
        ("resident_id", RESIDENT_ID),
        ("phone", PHONE),
        ("email", EMAIL),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let number = cases::submit(
        db,
        catalog,
        NewCase {
            draft_id: &unique("draft"),
            theme_id: "open-restaurant",
            account_id: Some(owner.account_id),
            answers: ANSWERS,
            fields: &fields,
            roadmap: &roadmap,
            actor_role: "citizen",
            address: None,
        },
    )
    .await
    .expect("submit");
    (number, owner)
}

async fn case_of(db: &Db, number: &str) -> cases::CaseRow {
    cases::by_number(db, number)
        .await
        .expect("load")
        .expect("case")
}

async fn count(db: &Db, sql: &'static str, case_id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(case_id)
        .fetch_one(&db.pool)
        .await
        .expect("count")
}

async fn counts(db: &Db, case_id: i64) -> (i64, i64, i64) {
    (
        count(
            db,
            "SELECT COUNT(*) FROM notification WHERE case_id = $1",
            case_id,
        )
        .await,
        count(
            db,
            "SELECT COUNT(*) FROM notification_outbox WHERE case_id = $1 AND channel = 'sms'",
            case_id,
        )
        .await,
        count(
            db,
            "SELECT COUNT(*) FROM notification_outbox WHERE case_id = $1 AND channel = 'email'",
            case_id,
        )
        .await,
    )
}

fn signer() -> Signer {
    Signer::new([42; 32])
}

#[tokio::test]
async fn the_right_code_opens_progress_only() {
    let db = test_db("track", "right").await;
    let catalog = catalog();
    let (number, owner) = submitted(&db, &catalog).await;
    let case = case_of(&db, &number).await;
    // Typed from paper: lower case, spaces.
    let typed = format!(" {} ", case.lookup_code.to_lowercase());
    let outcome = track::lookup(&db, &signer(), &number, &typed, &address(), now())
        .await
        .expect("lookup");
    let Lookup::Pass(pass) = outcome else {
        panic!("expected a pass, got {outcome:?}");
    };
    assert!(
        !pass.contains(&case.lookup_code),
        "the pass never carries the code"
    );
    let page = track::progress(&db, &catalog, &signer(), &pass, Lang::Zh, now())
        .await
        .expect("progress");
    let TrackPage::Ready(view) = page else {
        panic!("expected progress, got {page:?}");
    };
    assert_eq!(view.number, number);
    assert_eq!(view.status, CaseStatus::Submitted);
    assert!(!view.tasks.is_empty());
    assert_eq!(view.history.len(), 1);
    let shown = format!("{view:?}");
    for secret in [
        NAME,
        PHONE,
        EMAIL,
        RESIDENT_ID,
        case.lookup_code.as_str(),
        owner.display_name.as_str(),
    ] {
        assert!(!shown.contains(secret), "progress shows {secret}");
    }
}

#[tokio::test]
async fn passes_expire_and_cannot_be_altered_or_forged() {
    let db = test_db("track", "pass").await;
    let catalog = catalog();
    let (number, _) = submitted(&db, &catalog).await;
    let t = now();
    let pass = track::pass(&signer(), &number, t + 60);
    let open = |p: String, at: i64| {
        let (db, catalog) = (&db, &catalog);
        async move {
            track::progress(db, catalog, &signer(), &p, Lang::En, at)
                .await
                .expect("progress")
        }
    };
    assert!(matches!(open(pass.clone(), t).await, TrackPage::Ready(_)));
    assert_eq!(open(pass.clone(), t + 61).await, TrackPage::Expired);
    let later = pass.replacen(&format!(".{}", t + 60), &format!(".{}", t + 6000), 1);
    assert_eq!(open(later, t).await, TrackPage::Expired);
    let forged = track::pass(&Signer::new([1; 32]), &number, t + 60);
    assert_eq!(open(forged, t).await, TrackPage::Expired);
    assert_eq!(open("nonsense".into(), t).await, TrackPage::Expired);
}

#[tokio::test]
async fn a_wrong_number_and_a_wrong_code_get_the_same_answer_and_are_throttled() {
    let db = test_db("track", "wrong").await;
    let catalog = catalog();
    let (number, _) = submitted(&db, &catalog).await;
    let code = case_of(&db, &number).await.lookup_code;
    let (from, t) = (address(), now());
    let wrong_code = if code == "AAAAAAAA" {
        "CCCCCCCC"
    } else {
        "AAAAAAAA"
    };
    let l = |n: String, c: String, a: String, at: i64| {
        let db = &db;
        async move {
            track::lookup(db, &signer(), &n, &c, &a, at)
                .await
                .expect("lookup")
        }
    };
    assert_eq!(
        l(number.clone(), wrong_code.into(), from.clone(), t).await,
        Lookup::Wrong
    );
    assert_eq!(
        l("19990101-999999".into(), code.clone(), from.clone(), t).await,
        Lookup::Wrong
    );
    assert_eq!(
        l(number.clone(), " ".into(), from.clone(), t).await,
        Lookup::Missing
    );
    // Four more wrong codes for this case make five: even the right code, from another address, now waits.
    for i in 0..4 {
        assert_eq!(
            l(number.clone(), wrong_code.into(), from.clone(), t + i).await,
            Lookup::Wrong
        );
    }
    let Lookup::Throttled(wait) = l(number.clone(), code.clone(), address(), t + 5).await else {
        panic!("the sixth attempt on one case must wait");
    };
    assert!(wait > 0 && wait <= TRACK.window);
    // Once the window has passed, the right code opens it again.
    assert!(matches!(
        l(
            number.clone(),
            code.clone(),
            address(),
            t + TRACK.window + 5
        )
        .await,
        Lookup::Pass(_)
    ));
    // The lookups never count against the sign-in throttle.
    assert_eq!(
        login_throttle::failures(&db, &number, t).await.expect("n"),
        0
    );
}

#[tokio::test]
async fn one_address_guessing_many_cases_is_throttled_too() {
    let db = test_db("track", "address").await;
    let (from, t) = (address(), now());
    for i in 0..TRACK.address_limit {
        let outcome = track::lookup(
            &db,
            &signer(),
            &format!("19990101-{i:06}"),
            "AAAAAAAA",
            &from,
            t,
        )
        .await
        .expect("lookup");
        assert_eq!(outcome, Lookup::Wrong);
    }
    let outcome = track::lookup(&db, &signer(), "19990102-000001", "AAAAAAAA", &from, t)
        .await
        .expect("lookup");
    assert!(matches!(outcome, Lookup::Throttled(_)), "{outcome:?}");
    let elsewhere = track::lookup(&db, &signer(), "19990102-000001", "AAAAAAAA", &address(), t)
        .await
        .expect("lookup");
    assert_eq!(elsewhere, Lookup::Wrong, "another address is not throttled");
}

#[tokio::test]
async fn each_change_notifies_once_in_its_transaction_and_a_refused_one_not_at_all() {
    let db = test_db("track", "notify").await;
    let catalog = catalog();
    let (number, owner) = submitted(&db, &catalog).await;
    let case = case_of(&db, &number).await;
    assert_eq!(
        counts(&db, case.id).await,
        (1, 1, 1),
        "the submission: one notification, one SMS, one e-mail"
    );
    let outbox = notifications::outbox_of(&db, case.id)
        .await
        .expect("outbox");
    assert_eq!(outbox[0].1, "138****5678");
    assert_eq!(outbox[1].1, "o***@example.com");
    for (_, _, template, payload, sent_at, attempts) in &outbox {
        assert!(template.ends_with(".case_submitted"));
        assert!(!payload.contains(PHONE) && !payload.contains(EMAIL));
        assert_eq!(
            (sent_at.as_deref(), *attempts),
            (None, 0),
            "nothing is sent"
        );
    }

    // A citizen may not accept: refused, nothing written.
    let refused = act(
        &db,
        &catalog,
        &number,
        case.version,
        Target::Case(CaseAction::Accept),
        &Acting::person(&owner, None),
        today(),
    )
    .await
    .expect("act");
    assert!(matches!(refused, Outcome::Refused(_)), "{refused:?}");
    assert_eq!(counts(&db, case.id).await, (1, 1, 1));

    // A stale version: a conflict, nothing written.
    let window = user(&db, Role::Window).await;
    let stale = act(
        &db,
        &catalog,
        &number,
        case.version - 1,
        Target::Case(CaseAction::Accept),
        &Acting::person(&window, None),
        today(),
    )
    .await
    .expect("act");
    assert!(matches!(stale, Outcome::Conflict { .. }), "{stale:?}");
    assert_eq!(counts(&db, case.id).await, (1, 1, 1));

    // The window accepts: one more notification (with the tasks the system started) and one more per channel.
    let done = act(
        &db,
        &catalog,
        &number,
        case.version,
        Target::Case(CaseAction::Accept),
        &Acting::person(&window, None),
        today(),
    )
    .await
    .expect("act");
    assert_eq!(done, Outcome::Done);
    assert_eq!(counts(&db, case.id).await, (2, 2, 2));
    let recipients: Vec<i64> =
        sqlx::query_scalar("SELECT account_id FROM notification WHERE case_id = $1")
            .bind(case.id)
            .fetch_all(&db.pool)
            .await
            .expect("recipients");
    assert_eq!(recipients, [owner.account_id, owner.account_id]);

    // The owner reads them in their language, newest first; marking read clears the count.
    let list = notifications::list(&db, owner.account_id, 10)
        .await
        .expect("list");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].code, "case_status");
    assert_eq!(list[1].code, "case_submitted");
    let notice = app::domain::notify::Notice::from_json(&list[0].params).expect("params");
    let zh = track::notice_text(&catalog, &notice, Lang::Zh);
    let en = track::notice_text(&catalog, &notice, Lang::En);
    assert!(zh.contains(&number) && zh.contains("随后"), "{zh}");
    assert!(en.contains(&number) && en.contains("Then"), "{en}");
    assert_eq!(
        notifications::unread_count(&db, owner.account_id)
            .await
            .expect("n"),
        2
    );
    assert_eq!(
        notifications::mark_all_read(&db, owner.account_id, "2026-11-26T00:00:00Z")
            .await
            .expect("mark"),
        2
    );
    assert_eq!(
        notifications::unread_count(&db, owner.account_id)
            .await
            .expect("n"),
        0
    );
}
