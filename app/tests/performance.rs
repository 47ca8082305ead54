//! Supervision aggregates (by department and theme, the clock lists), the figures each action writes, and
//! correction files (upload, the refusal to hand in a correction without them, who may download them). Run by
//! `make db-test` on SQLite (a temp file) and on PostgreSQL (`DATABASE_URL`). On PostgreSQL the tests share one
//! database, so the aggregates are read for a department and themes of their own.

#![cfg(feature = "ssr")]

mod common;

use std::collections::BTreeMap;

use app::api::account::SessionUser;
use app::domain::case_flow::{CaseAction, CaseStatus, CorrectionItem, TaskAction, TaskStatus};
use app::domain::performance::{due_soon_before, DaySum, Rate};
use app::domain::roadmap::plan;
use app::domain::upload::FileKind;
use app::domain::{Catalog, Role};
use app::server::application::Viewer;
use app::server::case_actions::{act, Acting, Outcome, Target};
use app::server::cases::{self, NewCase};
use app::server::db::Db;
use app::server::performance::{self, ClockList, Figures, Grouping, TaskFilter};
use app::server::wizard::{answers_of, decode_query};
use app::server::{corrections, drafts, workbench};
use common::{catalog, state, test_db, today, unique, user_in};
use time::macros::date;
use time::Date;

const ANSWERS: &str =
    "a.entity=sole&a.applicant_age=30&a.premises_type=commercial&a.area=60&a.seats=20&a.alcohol=no\
&a.entertainment=no&a.sign=no&a.sewer=no&a.fire_accepted=yes&a.staff=1";

/// A submitted restaurant case owned by a fresh citizen: (number, draft id, owner).
async fn submitted(db: &Db, catalog: &Catalog) -> (String, String, SessionUser) {
    let owner = user_in(db, Role::Citizen, None).await;
    let theme = catalog.theme("open-restaurant").expect("theme");
    let (answers, _) = answers_of(theme, &decode_query(ANSWERS));
    let roadmap = plan(theme, catalog, &answers).expect("roadmap");
    let draft = unique("draft");
    sqlx::query(
        "INSERT INTO draft (id, theme_id, account_id, answers, created_at, updated_at, expires_at) \
         VALUES ($1, 'open-restaurant', $2, $3, '2025-01-01', '2025-01-01', '2099-01-01')",
    )
    .bind(&draft)
    .bind(owner.account_id)
    .bind(ANSWERS)
    .execute(&db.pool)
    .await
    .expect("draft");
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
    (number, draft, owner)
}

async fn case_version(db: &Db, number: &str) -> i64 {
    cases::by_number(db, number)
        .await
        .expect("load")
        .expect("case")
        .version
}

async fn task_version(db: &Db, number: &str, step: &str) -> i64 {
    let case = cases::by_number(db, number).await.unwrap().unwrap();
    cases::tasks(db, case.id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.task.id == step)
        .expect("task")
        .version
}

// ------------------------------------------------------------------ aggregates over known rows

struct Row {
    theme: &'static str,
    status: &'static str,
    committed_due: Option<&'static str>,
    statutory_due: Option<&'static str>,
    due_on: Option<&'static str>,
    ended_on: Option<&'static str>,
    handled: Option<i64>,
    committed: Option<i64>,
    extended: i64,
}

const fn open(theme: &'static str, status: &'static str, due: Option<&'static str>) -> Row {
    Row {
        theme,
        status,
        committed_due: due,
        statutory_due: None,
        due_on: due,
        ended_on: None,
        handled: None,
        committed: None,
        extended: 0,
    }
}

/// One case with tasks of `department` in themes `a` and `b` (the rows' `theme` "A" or "B"); returns its number.
async fn seed(db: &Db, department: &str, a: &str, b: &str, rows: &[Row]) -> String {
    let number = unique("N");
    let case_id: i64 = sqlx::query_scalar(
        "INSERT INTO hall_case (number, lookup_code, draft_id, theme_id, answers, fields, state, status, \
         submitted_at, updated_at) VALUES ($1, 'code', $2, $3, '', '{}', '{}', 'accepted', '2025-01-01', '2025-01-01') \
         RETURNING id",
    )
    .bind(&number)
    .bind(unique("draft"))
    .bind(a)
    .fetch_one(&db.pool)
    .await
    .expect("case");
    for (k, r) in rows.iter().enumerate() {
        let theme = if r.theme == "A" { a } else { b };
        sqlx::query(
            "INSERT INTO case_task (case_id, step_id, position, item_id, department_id, kind, task, status, \
             committed_due, statutory_due, updated_at, theme_id, due_on, ended_on, handled_days, committed_days, \
             extended) VALUES ($1, $2, $3, 'item', $4, 'department', $5, $6, $7, $8, '2025-01-01', $9, $10, $11, \
             $12, $13, $14)",
        )
        .bind(case_id)
        .bind(format!("t{}", k + 1))
        .bind(k as i64 + 1)
        .bind(department)
        .bind(format!("{{\"id\":\"t{}\"}}", k + 1))
        .bind(r.status)
        .bind(r.committed_due)
        .bind(r.statutory_due)
        .bind(theme)
        .bind(r.due_on)
        .bind(r.ended_on)
        .bind(r.handled)
        .bind(r.committed)
        .bind(r.extended)
        .execute(&db.pool)
        .await
        .expect("task");
    }
    number
}

const TODAY: Date = date!(2025 - 06 - 10);

fn rows() -> Vec<Row> {
    vec![
        // t1: approved 3 days in, 5 committed, on time on both limits.
        Row {
            theme: "A",
            status: "approved",
            committed_due: Some("2025-03-12"),
            statutory_due: Some("2025-03-31"),
            due_on: Some("2025-03-12"),
            ended_on: Some("2025-03-10"),
            handled: Some(3),
            committed: Some(5),
            extended: 0,
        },
        // t2: refused after 8 days: late on the committed limit, on time on the statutory one; extended.
        Row {
            theme: "A",
            status: "refused",
            committed_due: Some("2025-03-12"),
            statutory_due: Some("2025-03-31"),
            due_on: Some("2025-03-12"),
            ended_on: Some("2025-03-20"),
            handled: Some(8),
            committed: Some(5),
            extended: 1,
        },
        // t3: approved in 1 day; a committed limit in calendar days (no working-day figure, no committed date).
        Row {
            theme: "B",
            status: "approved",
            committed_due: None,
            statutory_due: Some("2025-04-01"),
            due_on: Some("2025-04-01"),
            ended_on: Some("2025-03-25"),
            handled: Some(1),
            committed: None,
            extended: 0,
        },
        open("A", "in_review", Some("2025-06-01")), // t4 overdue
        open("B", "in_review", Some("2025-06-11")), // t5 due soon
        open("B", "in_review", Some("2025-06-13")), // t6 the bound itself: on track
        open("B", "in_review", Some("2025-06-10")), // t7 due today: due soon, not overdue
        open("A", "awaiting_applicant", Some("2025-06-01")), // t8 paused: not overdue
        open("A", "waiting", None),                 // t9 not started
        open("A", "in_review", None),               // t10 untimed
    ]
}

#[tokio::test]
async fn aggregates_count_average_and_rate_exactly() {
    let db = test_db("perf", "aggregates").await;
    let catalog = catalog();
    let soon = due_soon_before(TODAY, catalog.calendar());
    assert_eq!(
        soon,
        date!(2025 - 06 - 13),
        "three working days after Tuesday"
    );
    let (dept, a, b) = (unique("dept"), unique("theme-a"), unique("theme-b"));
    let number = seed(&db, &dept, &a, &b, &rows()).await;

    let expected = Figures {
        id: dept.clone(),
        in_review: 5,
        waiting: 1,
        due_soon: 2,
        overdue: 1,
        ended: 3,
        refused: 1,
        handled: DaySum::new(12, 3),
        committed: DaySum::new(10, 2),
        on_time_committed: Rate::new(1, 2),
        on_time_statutory: Rate::new(3, 3),
    };
    let one = performance::for_department(&db, &dept, TODAY, soon)
        .await
        .expect("department");
    assert_eq!(one, expected);
    assert_eq!(one.handled.average(), Some(4.0));
    assert_eq!(one.committed.average(), Some(5.0));
    assert_eq!(performance::extensions(&db, &dept).await.unwrap(), 1);
    let all = performance::by_group(&db, Grouping::Department, TODAY, soon)
        .await
        .expect("by department");
    assert_eq!(all.iter().find(|f| f.id == dept), Some(&expected));

    let themes = performance::by_group(&db, Grouping::Theme, TODAY, soon)
        .await
        .expect("by theme");
    let theme_a = themes.iter().find(|f| f.id == a).expect("theme a");
    assert_eq!(
        theme_a,
        &Figures {
            id: a.clone(),
            in_review: 2,
            waiting: 1,
            due_soon: 0,
            overdue: 1,
            ended: 2,
            refused: 1,
            handled: DaySum::new(11, 2),
            committed: DaySum::new(10, 2),
            on_time_committed: Rate::new(1, 2),
            on_time_statutory: Rate::new(2, 2),
        }
    );
    let theme_b = themes.iter().find(|f| f.id == b).expect("theme b");
    assert_eq!(
        theme_b,
        &Figures {
            id: b.clone(),
            in_review: 3,
            waiting: 0,
            due_soon: 2,
            overdue: 0,
            ended: 1,
            refused: 0,
            handled: DaySum::new(1, 1),
            committed: DaySum::new(0, 0),
            on_time_committed: Rate::new(0, 0),
            on_time_statutory: Rate::new(1, 1),
        }
    );
    // An unknown department: zeros, not an error.
    let none = performance::for_department(&db, &unique("nobody"), TODAY, soon)
        .await
        .unwrap();
    assert_eq!(
        (none.ended, none.in_review, none.handled.average()),
        (0, 0, None)
    );

    // The clock lists, with their filters and totals.
    let by_dept = TaskFilter {
        department: Some(dept.clone()),
        theme: None,
    };
    let (overdue, total) =
        performance::clock_list(&db, ClockList::Overdue, TODAY, soon, &by_dept, 100)
            .await
            .unwrap();
    assert_eq!(total, 1);
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].0, number);
    assert!(overdue[0].3.contains("\"t4\""), "{:?}", overdue[0]);
    let (soon_list, total) =
        performance::clock_list(&db, ClockList::DueSoon, TODAY, soon, &by_dept, 100)
            .await
            .unwrap();
    assert_eq!(total, 2);
    let steps: Vec<&str> = soon_list.iter().map(|r| r.3.as_str()).collect();
    assert_eq!(
        steps,
        vec!["{\"id\":\"t7\"}", "{\"id\":\"t5\"}"],
        "earliest due first"
    );
    // A limit shorter than the list: the total still counts them all.
    let (cut, total) = performance::clock_list(&db, ClockList::DueSoon, TODAY, soon, &by_dept, 1)
        .await
        .unwrap();
    assert_eq!((cut.len(), total), (1, 2));
    let theme_b_only = TaskFilter {
        department: Some(dept.clone()),
        theme: Some(b.clone()),
    };
    let (none, total) =
        performance::clock_list(&db, ClockList::Overdue, TODAY, soon, &theme_b_only, 100)
            .await
            .unwrap();
    assert!(none.is_empty());
    assert_eq!(total, 0);
    let theme_a_only = TaskFilter {
        department: None,
        theme: Some(a.clone()),
    };
    let (one, total) =
        performance::clock_list(&db, ClockList::Overdue, TODAY, soon, &theme_a_only, 100)
            .await
            .unwrap();
    assert_eq!((one.len(), total), (1, 1));
}

// ------------------------------------------------------------------ the figures an action writes

#[tokio::test]
async fn deciding_a_task_writes_its_handling_days_without_the_pause() {
    let db = test_db("perf", "figures").await;
    let catalog = catalog();
    let cal = catalog.calendar();
    let (number, _, owner) = submitted(&db, &catalog).await;
    let window = user_in(&db, Role::Window, None).await;
    let samr = user_in(&db, Role::Officer, Some("samr")).await;
    let start = cal.add_working_days(today(), 0);
    let done = act(
        &db,
        &catalog,
        &number,
        case_version(&db, &number).await,
        Target::Case(CaseAction::Accept),
        &Acting::person(&window, None),
        start,
    )
    .await
    .expect("accept");
    assert_eq!(done, Outcome::Done);
    let task_act = |step: &'static str, action: TaskAction, day: Date, who: SessionUser| {
        let (db, catalog, number) = (&db, &catalog, number.clone());
        async move {
            let version = task_version(db, &number, step).await;
            act(
                db,
                catalog,
                &number,
                version,
                Target::Task {
                    step: step.into(),
                    action,
                },
                &Acting::person(&who, None),
                day,
            )
            .await
            .expect("act")
        }
    };
    let asked = cal.add_working_days(start, 1);
    let supplied = cal.add_working_days(start, 3);
    let decided = cal.add_working_days(start, 5);
    let correction = TaskAction::RequestCorrection {
        items: vec![CorrectionItem::field("application", "名称不规范")],
    };
    assert_eq!(
        task_act("licence", correction, asked, samr.clone()).await,
        Outcome::Done
    );
    assert_eq!(
        task_act("licence", TaskAction::SupplyCorrection, supplied, owner).await,
        Outcome::Done
    );
    assert_eq!(
        task_act("licence", TaskAction::Approve, decided, samr).await,
        Outcome::Done
    );
    #[allow(clippy::type_complexity)]
    let (theme, status, due_on, committed_due, statutory_due, ended_on, handled, extended): (
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<i64>,
        i64,
    ) = sqlx::query_as(
        "SELECT t.theme_id, t.status, t.due_on, t.committed_due, t.statutory_due, t.ended_on, t.handled_days, \
         t.extended FROM case_task t JOIN hall_case c ON c.id = t.case_id WHERE c.number = $1 AND t.step_id = 'licence'",
    )
    .bind(&number)
    .fetch_one(&db.pool)
    .await
    .expect("row");
    assert_eq!(theme.as_deref(), Some("open-restaurant"));
    assert_eq!(status, TaskStatus::Approved.code());
    assert_eq!(ended_on, Some(decided.to_string()));
    // Five working days from start to decision, two of them paused for the applicant.
    assert_eq!(handled, Some(3));
    assert_eq!(extended, 0);
    assert_eq!(due_on, committed_due.clone().or(statutory_due));
    // Every task of the case knows its theme; the open ones carry no decision figures.
    let (all, themed, open_with_figures): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(SUM(CASE WHEN t.theme_id = 'open-restaurant' THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN t.status NOT IN ('approved', 'refused') AND t.handled_days IS NOT NULL THEN 1 ELSE 0 END) \
         AS BIGINT) FROM case_task t JOIN hall_case c ON c.id = t.case_id WHERE c.number = $1",
    )
    .bind(&number)
    .fetch_one(&db.pool)
    .await
    .expect("the case's tasks");
    assert!(all > 1);
    assert_eq!((themed, open_with_figures), (all, 0));
}

// ------------------------------------------------------------------ correction files

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

fn form(number: &str, step: &str, version: i64, action: &str) -> workbench::ActionForm {
    workbench::ActionForm {
        number: number.into(),
        step: step.into(),
        version,
        action: action.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_correction_is_handed_in_only_with_new_files_which_only_the_owner_and_the_case_s_staff_download(
) {
    let db = test_db("perf", "corrections").await;
    let state = state(&db, catalog());
    let (number, draft, owner) = submitted(&db, &state.catalog).await;
    let window = user_in(&db, Role::Window, None).await;
    let samr = user_in(&db, Role::Officer, Some("samr")).await;

    // The window asks for a new lease copy and a form fix at once.
    let asked = act(
        &db,
        &state.catalog,
        &number,
        case_version(&db, &number).await,
        Target::Case(CaseAction::RequestCorrection {
            items: vec![
                CorrectionItem::material("lease", "租赁合同未签字"),
                CorrectionItem::field("application", "地址不完整"),
            ],
        }),
        &Acting::person(&window, None),
        today(),
    )
    .await
    .expect("request");
    assert_eq!(asked, Outcome::Done);

    // Resubmitting without the file is refused, naming the material; nothing changes.
    let to = workbench::act(
        &state,
        Some(owner.clone()),
        None,
        form(&number, "", case_version(&db, &number).await, "resubmit"),
    )
    .await
    .expect("act");
    assert!(to.contains("problem=missing_files"), "{to}");
    assert!(to.contains("materials=lease"), "{to}");
    let case = cases::by_number(&db, &number).await.unwrap().unwrap();
    assert_eq!(case.state.status(), CaseStatus::CorrectionRequested);

    // The owner uploads the lease again; it belongs to this request and shows in the history.
    let tasks = cases::tasks(&db, case.id).await.unwrap();
    let request = corrections::open_request(&db, &case, &tasks, None)
        .await
        .unwrap()
        .expect("open request");
    assert_eq!(corrections::missing(&request, &[]), vec!["lease"]);
    let upload_id = corrections::add(
        &db,
        &case,
        &request,
        "lease",
        "lease.png",
        FileKind::Png,
        PNG,
        &Acting::person(&owner, Some("192.0.2.9")),
    )
    .await
    .expect("upload");
    let files = corrections::files(&db, &draft).await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!((files[0].id, files[0].task_id), (upload_id, None));
    assert!(corrections::missing(&request, &files).is_empty());
    assert!(
        drafts::uploads(&db, &draft).await.unwrap().is_empty(),
        "not among the application's own uploads"
    );
    let events = cases::events(&db, case.id).await.unwrap();
    assert!(events
        .iter()
        .any(|e| e.action == corrections::UPLOAD_ACTION && e.task_id.is_none()));

    let to = workbench::act(
        &state,
        Some(owner.clone()),
        None,
        form(&number, "", case_version(&db, &number).await, "resubmit"),
    )
    .await
    .expect("act");
    assert!(to.contains("done=resubmit"), "{to}");
    let case = cases::by_number(&db, &number).await.unwrap().unwrap();
    assert_eq!(case.state.status(), CaseStatus::Submitted);
    // The request is closed: a file for it now has nowhere to go.
    let tasks = cases::tasks(&db, case.id).await.unwrap();
    assert!(corrections::open_request(&db, &case, &tasks, None)
        .await
        .unwrap()
        .is_none());

    // At task level: the licence officer asks for a new ID copy; supply waits for the file.
    let accepted = act(
        &db,
        &state.catalog,
        &number,
        case.version,
        Target::Case(CaseAction::Accept),
        &Acting::person(&window, None),
        today(),
    )
    .await
    .unwrap();
    assert_eq!(accepted, Outcome::Done);
    let asked = act(
        &db,
        &state.catalog,
        &number,
        task_version(&db, &number, "licence").await,
        Target::Task {
            step: "licence".into(),
            action: TaskAction::RequestCorrection {
                items: vec![CorrectionItem::material("id_copy", "身份证复印件不清晰")],
            },
        },
        &Acting::person(&samr, None),
        today(),
    )
    .await
    .unwrap();
    assert_eq!(asked, Outcome::Done);
    let supply = || {
        let number = number.clone();
        let db = db.clone();
        async move {
            form(
                &number,
                "licence",
                task_version(&db, &number, "licence").await,
                "supply_correction",
            )
        }
    };
    let to = workbench::act(&state, Some(owner.clone()), None, supply().await)
        .await
        .unwrap();
    assert!(to.contains("problem=missing_files"), "{to}");
    let case = cases::by_number(&db, &number).await.unwrap().unwrap();
    let tasks = cases::tasks(&db, case.id).await.unwrap();
    let request = corrections::open_request(&db, &case, &tasks, Some("licence"))
        .await
        .unwrap()
        .expect("the task's request");
    // The earlier file answered another request: it does not count for this one.
    let files = corrections::files(&db, &draft).await.unwrap();
    assert_eq!(corrections::missing(&request, &files), vec!["id_copy"]);
    let task_upload = corrections::add(
        &db,
        &case,
        &request,
        "id_copy",
        "id.png",
        FileKind::Png,
        PNG,
        &Acting::person(&owner, None),
    )
    .await
    .unwrap();
    let to = workbench::act(&state, Some(owner.clone()), None, supply().await)
        .await
        .unwrap();
    assert!(to.contains("done=supply_correction"), "{to}");
    let licence_row = tasks.iter().find(|t| t.task.id == "licence").unwrap();
    let files = corrections::files(&db, &draft).await.unwrap();
    assert_eq!(
        files
            .iter()
            .find(|f| f.id == task_upload)
            .map(|f| f.task_id),
        Some(Some(licence_row.id))
    );

    // Downloads: the owner and staff who may see the case; nobody else.
    let viewer = |u: &SessionUser| Viewer {
        account_id: u.account_id,
        role: u.role,
    };
    let stranger = user_in(&db, Role::Citizen, None).await;
    let other_dept = user_in(&db, Role::Officer, Some(&unique("dept"))).await;
    let supervisor = user_in(&db, Role::Supervisor, None).await;
    for (who, allowed) in [
        (&owner, true),
        (&window, true),
        (&samr, true),
        (&supervisor, true),
        (&stranger, false),
        (&other_dept, false),
    ] {
        assert_eq!(
            workbench::may_download(&state, &draft, &viewer(who))
                .await
                .unwrap(),
            allowed,
            "{:?}",
            who.role
        );
    }
    // And the staff case view lists both files (case-level and the licence step's).
    let view = workbench::staff_case(&state, Some(samr), &number, app::domain::Lang::Zh)
        .await
        .unwrap();
    let app::api::work::StaffPage::Ready(view) = view else {
        panic!("the officer sees the case")
    };
    let names: Vec<&str> = view
        .correction_files
        .iter()
        .map(|f| f.file_name.as_str())
        .collect();
    assert_eq!(names, vec!["lease.png", "id.png"]);
    assert_eq!(view.correction_files[1].step, Some(licence_row.position));
    assert!(view.history.iter().any(|h| h.link.as_deref()
        == Some(format!("/applications/{draft}/uploads/{task_upload}").as_str())));
}
