//! Case and task actions on the database (optimistic concurrency, unlocking, department checks), run by
//! `make db-test` on SQLite (a temp file) and on PostgreSQL (`DATABASE_URL`). On PostgreSQL the tests share one
//! database, so each uses accounts and drafts of its own.

#![cfg(feature = "ssr")]

mod common;

use std::collections::BTreeMap;

use app::api::account::SessionUser;
use app::domain::case_flow::{CaseAction, CaseStatus, Refusal, TaskAction, TaskStatus};
use app::domain::roadmap::plan;
use app::domain::{Catalog, Role};
use app::server::case_actions::{act, deem_if_due, Acting, Outcome, Target};
use app::server::cases::{self, NewCase};
use app::server::db::Db;
use app::server::wizard::{answers_of, decode_query};
use common::{catalog, test_db, today, unique, user_in};

const ANSWERS: &str =
    "a.entity=sole&a.applicant_age=30&a.premises_type=commercial&a.area=60&a.seats=20&a.alcohol=no\
&a.entertainment=no&a.sign=no&a.sewer=no&a.fire_accepted=yes&a.staff=1";

/// A submitted restaurant case owned by a fresh citizen: (number, owner).
async fn submitted(db: &Db, catalog: &Catalog) -> (String, SessionUser) {
    let owner = user_in(db, Role::Citizen, None).await;
    let theme = catalog.theme("open-restaurant").expect("theme");
    let (answers, _) = answers_of(theme, &decode_query(ANSWERS));
    let roadmap = plan(theme, catalog, &answers).expect("roadmap");
    assert!(
        roadmap.exit.is_none() && roadmap.pending.is_empty(),
        "complete answers"
    );
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
    (number, owner)
}

async fn status_of(db: &Db, number: &str, step: &str) -> (TaskStatus, i64) {
    let case = cases::by_number(db, number)
        .await
        .expect("load")
        .expect("case");
    let row = cases::tasks(db, case.id)
        .await
        .expect("tasks")
        .into_iter()
        .find(|t| t.task.id == step)
        .expect("task");
    (row.task.status(), row.version)
}

async fn accept(db: &Db, catalog: &Catalog, number: &str, window: &SessionUser) {
    let case = cases::by_number(db, number)
        .await
        .expect("load")
        .expect("case");
    let outcome = act(
        db,
        catalog,
        number,
        case.version,
        Target::Case(CaseAction::Accept),
        &Acting::person(window, Some("192.0.2.7")),
        today(),
    )
    .await
    .expect("accept");
    assert_eq!(outcome, Outcome::Done);
}

#[tokio::test]
async fn two_actions_with_the_same_version_one_wins_and_one_is_told_who() {
    let db = test_db("acts", "conflict").await;
    let catalog = catalog();
    let (number, _) = submitted(&db, &catalog).await;
    let window = user_in(&db, Role::Window, None).await;
    let other = user_in(&db, Role::Window, None).await;
    let case = cases::by_number(&db, &number).await.unwrap().unwrap();
    let v = case.version;
    let a = Acting::person(&window, None);
    let b = Acting::person(&other, None);
    let (first, second) = tokio::join!(
        act(
            &db,
            &catalog,
            &number,
            v,
            Target::Case(CaseAction::Accept),
            &a,
            today()
        ),
        act(
            &db,
            &catalog,
            &number,
            v,
            Target::Case(CaseAction::RequestCorrection {
                items: vec![app::domain::case_flow::CorrectionItem::material(
                    "lease", "unsigned"
                )],
            }),
            &b,
            today(),
        ),
    );
    let outcomes = [first.expect("first"), second.expect("second")];
    let wins = outcomes.iter().filter(|o| **o == Outcome::Done).count();
    assert_eq!(wins, 1, "{outcomes:?}");
    let lost = outcomes
        .iter()
        .find(|o| matches!(o, Outcome::Conflict { .. }))
        .expect("the other gets a conflict");
    let Outcome::Conflict { by, at } = lost else {
        unreachable!()
    };
    assert!(
        by.as_deref().is_some_and(|n| n.starts_with("测试 ")),
        "{by:?}"
    );
    assert!(!at.is_empty());
    let case = cases::by_number(&db, &number).await.unwrap().unwrap();
    assert_eq!(case.version, v + 1, "exactly one write");
    let events = cases::events(&db, case.id).await.unwrap();
    let case_entries = events
        .iter()
        .filter(|e| e.task_id.is_none() && e.action != "submit")
        .count();
    assert_eq!(case_entries, 1, "one history entry for the case");

    // A form rendered before the change is stale too, even when nobody races it.
    let stale = act(
        &db,
        &catalog,
        &number,
        v,
        Target::Case(CaseAction::HandOver),
        &a,
        today(),
    )
    .await
    .unwrap();
    assert!(matches!(stale, Outcome::Conflict { .. }), "{stale:?}");
}

#[tokio::test]
async fn acceptance_starts_the_first_task_and_approval_unlocks_the_next() {
    let db = test_db("acts", "unlock").await;
    let catalog = catalog();
    let (number, _) = submitted(&db, &catalog).await;
    let window = user_in(&db, Role::Window, None).await;
    assert_eq!(
        status_of(&db, &number, "licence").await.0,
        TaskStatus::Waiting
    );
    accept(&db, &catalog, &number, &window).await;
    let (licence, v) = status_of(&db, &number, "licence").await;
    assert_eq!(licence, TaskStatus::InReview);
    assert_eq!(status_of(&db, &number, "tax").await.0, TaskStatus::Waiting);

    let samr = user_in(&db, Role::Officer, Some("samr")).await;
    let outcome = act(
        &db,
        &catalog,
        &number,
        v,
        Target::Task {
            step: "licence".into(),
            action: TaskAction::Approve,
        },
        &Acting::person(&samr, Some("192.0.2.8")),
        today(),
    )
    .await
    .unwrap();
    assert_eq!(outcome, Outcome::Done);
    assert_eq!(
        status_of(&db, &number, "licence").await.0,
        TaskStatus::Approved
    );
    assert_eq!(status_of(&db, &number, "tax").await.0, TaskStatus::InReview);
    assert_eq!(
        status_of(&db, &number, "fire").await.0,
        TaskStatus::InReview
    );
    let case = cases::by_number(&db, &number).await.unwrap().unwrap();
    let events = cases::events(&db, case.id).await.unwrap();
    let starts = events
        .iter()
        .filter(|e| e.action == "start" && e.actor_role == "system")
        .count();
    assert!(starts >= 3, "one system entry per task started: {starts}");
    let committed: Option<String> = sqlx::query_scalar(
        "SELECT committed_due FROM case_task WHERE case_id = $1 AND step_id = 'tax'",
    )
    .bind(case.id)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let _ = committed; // tax may be untimed; the column is written by the same UPDATE either way
}

#[tokio::test]
async fn an_officer_of_another_department_is_refused_and_nothing_changes() {
    let db = test_db("acts", "department").await;
    let catalog = catalog();
    let (number, owner) = submitted(&db, &catalog).await;
    let window = user_in(&db, Role::Window, None).await;
    accept(&db, &catalog, &number, &window).await;
    let (_, v) = status_of(&db, &number, "licence").await;
    let tax = user_in(&db, Role::Officer, Some("tax")).await;
    let outcome = act(
        &db,
        &catalog,
        &number,
        v,
        Target::Task {
            step: "licence".into(),
            action: TaskAction::Approve,
        },
        &Acting::person(&tax, None),
        today(),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, Outcome::Refused(Refusal::WrongDepartment { .. })),
        "{outcome:?}"
    );
    assert_eq!(
        status_of(&db, &number, "licence").await,
        (TaskStatus::InReview, v)
    );

    // The owner may not approve either; a supervisor may not act at all.
    let outcome = act(
        &db,
        &catalog,
        &number,
        v,
        Target::Task {
            step: "licence".into(),
            action: TaskAction::Approve,
        },
        &Acting::person(&owner, None),
        today(),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, Outcome::Refused(Refusal::WrongRole { .. })),
        "{outcome:?}"
    );
    let supervisor = user_in(&db, Role::Supervisor, None).await;
    let case = cases::by_number(&db, &number).await.unwrap().unwrap();
    let outcome = act(
        &db,
        &catalog,
        &number,
        case.version,
        Target::Case(CaseAction::HandOver),
        &Acting::person(&supervisor, None),
        today(),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, Outcome::Refused(Refusal::ReadOnlyRole { .. })),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn deemed_acceptance_happens_once_after_five_working_days() {
    let db = test_db("acts", "deem").await;
    let catalog = catalog();
    let (number, _) = submitted(&db, &catalog).await;
    let case = cases::by_number(&db, &number).await.unwrap().unwrap();
    assert!(
        !deem_if_due(&db, &catalog, &case, today()).await.unwrap(),
        "not yet"
    );
    let later = today() + time::Duration::days(14);
    assert!(deem_if_due(&db, &catalog, &case, later).await.unwrap());
    // A second reader with the old row does nothing.
    assert!(!deem_if_due(&db, &catalog, &case, later).await.unwrap());
    let case = cases::by_number(&db, &number).await.unwrap().unwrap();
    assert_eq!(case.state.status(), CaseStatus::Accepted);
    assert_eq!(
        status_of(&db, &number, "licence").await.0,
        TaskStatus::InReview
    );
}

/// Submission is idempotent: a double tap, a retry after a lost response and concurrent submits of one draft all
/// answer with the same case, stored once with one set of tasks and one history entry.
#[tokio::test]
async fn a_draft_submitted_many_times_makes_one_case() {
    let db = test_db("acts", "idempotent").await;
    let catalog = catalog();
    let owner = user_in(&db, Role::Citizen, None).await;
    let theme = catalog.theme("open-restaurant").expect("theme");
    let (answers, _) = answers_of(theme, &decode_query(ANSWERS));
    let roadmap = plan(theme, &catalog, &answers).expect("roadmap");
    let draft = unique("draft-twice");
    let fields = BTreeMap::new();
    let submit = || {
        cases::submit(
            &db,
            &catalog,
            NewCase {
                draft_id: &draft,
                theme_id: "open-restaurant",
                account_id: Some(owner.account_id),
                answers: ANSWERS,
                fields: &fields,
                roadmap: &roadmap,
                actor_role: "citizen",
                address: None,
            },
        )
    };
    let (a, b, c, d) = tokio::join!(submit(), submit(), submit(), submit());
    let first = a.expect("submit");
    for other in [b, c, d] {
        assert_eq!(other.expect("submit"), first);
    }
    assert_eq!(submit().await.expect("retry"), first);

    let cases_stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM hall_case WHERE draft_id = $1")
            .bind(&draft)
            .fetch_one(&db.pool)
            .await
            .expect("count");
    assert_eq!(cases_stored, 1);
    let case = cases::by_number(&db, &first)
        .await
        .expect("load")
        .expect("case");
    assert_eq!(
        cases::tasks(&db, case.id).await.expect("tasks").len(),
        roadmap.steps.len()
    );
    let submits = cases::events(&db, case.id)
        .await
        .expect("events")
        .into_iter()
        .filter(|e| e.action == "submit")
        .count();
    assert_eq!(submits, 1);
}

/// (window_due, open_tasks) as stored, and the domain's own count of the case's tasks not ended.
async fn window_columns(db: &Db, number: &str) -> (Option<String>, i64, i64) {
    let case = cases::by_number(db, number).await.unwrap().unwrap();
    let (due, open): (Option<String>, i64) =
        sqlx::query_as("SELECT window_due, open_tasks FROM hall_case WHERE id = $1")
            .bind(case.id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let tasks = cases::tasks(db, case.id).await.unwrap();
    let unended = tasks.iter().filter(|t| !t.task.has_ended()).count() as i64;
    (due, open, unended)
}

#[tokio::test]
async fn the_window_day_and_the_open_task_count_follow_every_write() {
    let db = test_db("acts", "window").await;
    let catalog = catalog();
    let calendar = catalog.calendar();
    let (number, owner) = submitted(&db, &catalog).await;
    let (due, open, unended) = window_columns(&db, &number).await;
    let deadline = app::domain::case_flow::acceptance_deadline(today(), calendar);
    assert_eq!(due, Some(deadline.to_string()), "submitted: art. 32's day");
    assert!(unended > 0);
    assert_eq!(open, unended, "submitted");

    // Start-up's fill writes a missing day back, and then has nothing to do.
    let case = cases::by_number(&db, &number).await.unwrap().unwrap();
    sqlx::query("UPDATE hall_case SET window_due = NULL WHERE id = $1")
        .bind(case.id)
        .execute(&db.pool)
        .await
        .unwrap();
    let written = app::server::workbench::fill_window_due(&db, calendar)
        .await
        .unwrap();
    assert!(written >= 1, "{written}");
    assert_eq!(
        window_columns(&db, &number).await.0,
        Some(deadline.to_string())
    );
    // Other suites' cases may share the database (PostgreSQL): only this one is checked again.
    app::server::workbench::fill_window_due(&db, calendar)
        .await
        .unwrap();
    assert_eq!(
        window_columns(&db, &number).await.0,
        Some(deadline.to_string())
    );

    let window = user_in(&db, Role::Window, None).await;
    accept(&db, &catalog, &number, &window).await;
    let (due, open, unended) = window_columns(&db, &number).await;
    assert_eq!(due, None, "accepted: no window clock");
    assert_eq!(open, unended, "accepted");
    assert!(open > 0);

    // Every department approves what is in review, and the owner marks done what is theirs to do, until nothing is
    // open: the count follows each step.
    for _ in 0..20 {
        let case = cases::by_number(&db, &number).await.unwrap().unwrap();
        let tasks = cases::tasks(&db, case.id).await.unwrap();
        let (row, action, actor) = if let Some(row) = tasks
            .iter()
            .find(|t| t.task.status() == TaskStatus::InReview)
        {
            let officer = user_in(&db, Role::Officer, Some(&row.task.department)).await;
            (row, TaskAction::Approve, officer)
        } else if let Some(row) = tasks.iter().find(|t| t.task.status() == TaskStatus::ToDo) {
            (row, TaskAction::MarkDone, owner.clone())
        } else {
            break;
        };
        let outcome = act(
            &db,
            &catalog,
            &number,
            row.version,
            Target::Task {
                step: row.task.id.clone(),
                action,
            },
            &Acting::person(&actor, None),
            today(),
        )
        .await
        .unwrap();
        assert_eq!(outcome, Outcome::Done, "{}", row.task.id);
        let (_, open, unended) = window_columns(&db, &number).await;
        assert_eq!(open, unended, "after {}", row.task.id);
    }
    let (_, open, unended) = window_columns(&db, &number).await;
    assert_eq!((open, unended), (0, 0), "every task ended");
    let listed: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM hall_case c WHERE c.number = $1 AND {}",
        app::server::workbench::AT_WINDOW
    )))
    .bind(&number)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(listed, 1, "ready for 统一窗口出件: on the window's list");
}

/// On SQLite the rows a case page is built from are kept in memory (`memo`), and every action is seen at once: the
/// next read after it comes from the database again. On PostgreSQL every read goes to the database.
#[tokio::test]
async fn a_case_kept_in_memory_follows_every_action() {
    use std::sync::Arc;

    let db = test_db("acts", "memo").await;
    let catalog = catalog();
    let (number, _) = submitted(&db, &catalog).await;
    let read = || async {
        cases::rows_by_number(&db, &number)
            .await
            .expect("read")
            .expect("case")
    };
    let status = |rows: &cases::CaseRows, step: &str| {
        rows.tasks
            .iter()
            .find(|t| t.task.id == step)
            .map(|t| t.task.status())
    };
    let first = read().await;
    assert_eq!(
        Arc::ptr_eq(&first, &read().await),
        db.memo.is_some(),
        "served from memory on SQLite only"
    );
    assert_eq!(first.case.state.status(), CaseStatus::Submitted);

    let window = user_in(&db, Role::Window, None).await;
    accept(&db, &catalog, &number, &window).await;
    let accepted = read().await;
    assert_eq!(accepted.case.state.status(), CaseStatus::Accepted);
    assert_eq!(status(&accepted, "licence"), Some(TaskStatus::InReview));
    assert!(accepted.events.len() > first.events.len());

    let samr = user_in(&db, Role::Officer, Some("samr")).await;
    let version = accepted
        .tasks
        .iter()
        .find(|t| t.task.id == "licence")
        .expect("licence")
        .version;
    let outcome = act(
        &db,
        &catalog,
        &number,
        version,
        Target::Task {
            step: "licence".into(),
            action: TaskAction::Approve,
        },
        &Acting::person(&samr, None),
        today(),
    )
    .await
    .expect("approve");
    assert_eq!(outcome, Outcome::Done);
    let approved = read().await;
    assert_eq!(status(&approved, "licence"), Some(TaskStatus::Approved));
    assert_eq!(status(&approved, "tax"), Some(TaskStatus::InReview));
    assert!(approved.events.len() > accepted.events.len());

    // Kept again until the next change, and not for another case.
    assert_eq!(Arc::ptr_eq(&approved, &read().await), db.memo.is_some());
    let (other, _) = submitted(&db, &catalog).await;
    let other_rows = cases::rows_by_number(&db, &other).await.expect("read");
    assert_eq!(other_rows.map(|r| r.case.number.clone()), Some(other));
    assert_eq!(
        Arc::ptr_eq(&approved, &read().await),
        db.memo.is_some(),
        "another case's submission leaves it kept"
    );
}

/// The case page's live poll (`read_case_status`) answers the state and a fingerprint of what the page shows the
/// viewer: the same while nothing changes, another after an action; someone else's case is not found, and nobody
/// signed in is asked to sign in — the same answers as the page.
#[tokio::test]
async fn the_status_poll_s_fingerprint_changes_when_the_page_does() {
    use app::api::cases::CaseStatusAnswer;
    use app::domain::text::Lang;
    use app::server::case_views::{case_page, case_status};

    let db = test_db("acts", "poll").await;
    let catalog = catalog();
    let (number, owner) = submitted(&db, &catalog).await;
    let state = common::state(&db, catalog.clone());
    // What the poll answers (kept in memory on SQLite), checked against the page built afresh each time.
    let poll = |who: Option<SessionUser>| {
        let (state, number) = (&state, &number);
        async move {
            let viewer = who.as_ref().and_then(common::viewer);
            let answer = case_status(state, number, Lang::Zh, viewer.clone())
                .await
                .expect("case status");
            let page = case_page(state, number, Lang::Zh, viewer)
                .await
                .expect("case page");
            assert_eq!(
                answer,
                CaseStatusAnswer::from(&page),
                "the poll answers what the page shows"
            );
            answer
        }
    };
    let kept = || db.memo.as_ref().map(|m| m.statuses.len());
    let ready = |answer: CaseStatusAnswer| match answer {
        CaseStatusAnswer::Ready {
            status,
            fingerprint,
        } => (status, fingerprint),
        other => panic!("expected the case, got {other:?}"),
    };
    let (status, first) = ready(poll(Some(owner.clone())).await);
    assert_eq!(status, CaseStatus::Submitted);
    assert_eq!(first.len(), 16, "{first}");
    assert_eq!(
        ready(poll(Some(owner.clone())).await).1,
        first,
        "nothing changed"
    );
    // On SQLite the answer is kept for the owner; PostgreSQL keeps nothing.
    assert_eq!(kept(), db.memo.as_ref().map(|_| 1));

    let window = user_in(&db, Role::Window, None).await;
    accept(&db, &catalog, &number, &window).await;
    let (status, accepted) = ready(poll(Some(owner.clone())).await);
    assert_eq!(status, CaseStatus::Accepted);
    assert_ne!(accepted, first, "the acceptance changed the page");

    let stranger = user_in(&db, Role::Citizen, None).await;
    assert_eq!(poll(Some(stranger)).await, CaseStatusAnswer::NotFound);
    assert_eq!(poll(None).await, CaseStatusAnswer::SignIn);
    assert_eq!(
        kept(),
        db.memo.as_ref().map(|_| 1),
        "only the owner's answer is kept"
    );
}
