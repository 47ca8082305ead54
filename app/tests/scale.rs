//! The scale generator's smoke test (issue #9): `server generate-cases` on the test database (SQLite, then
//! PostgreSQL in `make db-test`), then the app's own reads — the tallies, the officer's queue under each filter
//! (exactly its first lines; the supervisor's too on SQLite), supervision, the lookup by number and code — must agree
//! with plain counts and lists over the generated rows. On PostgreSQL the suites share one database, so counts are compared as
//! the whole tables are (before and after).

#![cfg(feature = "ssr")]

mod common;

use app::api::work::{QueueFilter, QueueRow, StaffPage, LIST_LIMIT};
use app::domain::case_flow::{
    acceptance_deadline, CaseState, CaseStatus, ClockStatus, DUE_SOON_DAYS,
};
use app::domain::Role;
use app::server::db::{Backend, Db};
use app::server::{cases, clock, scale, track, workbench};
use common::{catalog, state, test_db, user, user_in};

/// Enough that the supervisor's queue has more open tasks than it lists (264 at 8,000 cases: the generator
/// spreads cases over the calendar's years, so most are decided), so the lists' cut is tested, not only their order.
const CASES: u64 = 8_000;

/// The generator numbers its rows from the tables' largest ids, so two runs at once on one database (PostgreSQL,
/// where the suites share one) would collide: the tests here take turns.
static GENERATING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn count(db: &Db, sql: &str, binds: &[&str]) -> i64 {
    let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_owned()));
    for b in binds {
        q = q.bind(b.to_string());
    }
    q.fetch_one(&db.pool).await.expect(sql)
}

/// Whether queue lines come earliest due first, the undated last.
fn in_due_order(rows: &[QueueRow]) -> bool {
    rows.windows(2)
        .all(|w| w[0].due.as_deref().unwrap_or("9999") <= w[1].due.as_deref().unwrap_or("9999"))
}

async fn strings(db: &Db, sql: &str, binds: &[&str]) -> Vec<String> {
    let mut q = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql.to_owned()));
    for b in binds {
        q = q.bind(b.to_string());
    }
    q.fetch_all(&db.pool).await.expect(sql)
}

#[tokio::test]
async fn generated_cases_are_counted_queued_supervised_and_found() {
    let _turn = GENERATING.lock().await;
    let db = test_db("scale", "generate").await;
    let catalog = catalog();
    let today = clock::today(&db).await;
    let (cases_before, tasks_before, _, _, _) = scale::counts(&db).await.expect("counts");

    let done = scale::generate(
        &db,
        &catalog,
        scale::Plan {
            cases: CASES,
            seed: 7,
            today,
            days: None,
        },
        |_| {},
    )
    .await
    .expect("generate");
    assert_eq!(done.cases, CASES);
    // The shipped themes allow the mix: five tasks per case on average.
    let per_case = done.tasks as f64 / done.cases as f64;
    assert!(
        (per_case - scale::TASKS_PER_CASE).abs() < 0.3,
        "{per_case:.2} tasks per case"
    );
    assert!(done.events > done.cases * 2, "{} history rows", done.events);
    // A historical overview cannot be started: no case of it.
    let historical: Vec<String> = catalog
        .themes()
        .iter()
        .filter(|t| t.historical)
        .map(|t| t.id.to_string())
        .collect();
    assert!(!historical.is_empty());
    for id in &historical {
        let n = count(
            &db,
            "SELECT COUNT(*) FROM hall_case WHERE theme_id = $1",
            &[id],
        )
        .await;
        assert_eq!(n, 0, "cases of the historical theme {id}");
    }

    // The rows are there, and the tallies the dashboards read agree with counting them.
    let (cases_now, tasks_now, tallied_cases, tallied_tasks, by_status) =
        scale::counts(&db).await.expect("counts");
    assert_eq!(cases_now - cases_before, CASES as i64);
    assert_eq!(tasks_now - tasks_before, done.tasks as i64);
    assert_eq!(tallied_cases, cases_now);
    assert_eq!(tallied_tasks, tasks_now);
    for (status, n) in app::server::performance::task_counts(&db)
        .await
        .expect("tally")
    {
        assert_eq!(by_status.get(&status), Some(&n), "tasks {status}");
    }
    // A realistic spread: every state a hall holds.
    for status in [
        "in_review",
        "awaiting_applicant",
        "approved",
        "refused",
        "waiting",
    ] {
        let n = count(
            &db,
            "SELECT COUNT(*) FROM case_task WHERE status = $1",
            &[status],
        )
        .await;
        assert!(n > 0, "no {status} task among the generated ones");
    }
    let overdue_all = count(
        &db,
        "SELECT COUNT(*) FROM case_task WHERE status = 'in_review' AND due_on < $1",
        &[&today.to_string()],
    )
    .await;
    assert!(overdue_all > 0, "no overdue task");

    let state = state(&db, catalog);

    // The officer's queue, every filter: at most LIST_LIMIT lines of the department, in due order, and a total
    // equal to counting the matching tasks.
    // The department with the most open tasks (which one depends on the generator's draw).
    let department: String = sqlx::query_scalar(
        "SELECT department_id FROM case_task WHERE status IN ('in_review', 'awaiting_applicant', 'to_do') \
         GROUP BY department_id ORDER BY COUNT(*) DESC, department_id LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .expect("a department with open tasks");
    let department = department.as_str();
    let officer = user_in(&db, Role::Officer, Some(department)).await;
    let t = today.to_string();
    let soon =
        app::domain::performance::due_soon_before(today, state.catalog.calendar()).to_string();
    let supervisor = user(&db, Role::Supervisor).await;
    // The officer's department, then every department (the supervisor's queue, whose 100 lines are a cut of the
    // generated tasks even at this size). The latter only on a database of this test's own (SQLite): on PostgreSQL
    // the suites share one, where `performance.rs` leaves hand-made tasks that are not readable as tasks, which the
    // page leaves out.
    let mut queues = vec![(&officer, Some(department))];
    if db.backend == Backend::Sqlite {
        queues.push((&supervisor, None));
    }
    for (who, of) in queues {
        let (mut open, mut binds) = (String::new(), Vec::new());
        if let Some(d) = of {
            open.push_str("department_id = $1 AND ");
            binds.push(d);
        }
        open.push_str("status IN ('in_review', 'awaiting_applicant', 'to_do')");
        let (p1, p2) = (
            format!("${}", binds.len() + 1),
            format!("${}", binds.len() + 2),
        );
        for (filter, cond, binds) in [
            (QueueFilter::All, String::new(), binds.clone()),
            (
                QueueFilter::New,
                " AND status = 'in_review' AND paused_days = 0 AND extended = 0".to_owned(),
                binds.clone(),
            ),
            (
                QueueFilter::DueSoon,
                format!(" AND status = 'in_review' AND due_on >= {p1} AND due_on < {p2}"),
                [&binds[..], &[t.as_str(), soon.as_str()]].concat(),
            ),
            (
                QueueFilter::Overdue,
                format!(" AND status = 'in_review' AND due_on < {p1}"),
                [&binds[..], &[t.as_str()]].concat(),
            ),
            (
                QueueFilter::Waiting,
                " AND status = 'awaiting_applicant'".to_owned(),
                binds.clone(),
            ),
        ] {
            let StaffPage::Ready(view) = workbench::queue(&state, Some(who.clone()), filter)
                .await
                .expect("queue")
            else {
                panic!("{:?} has a queue", who.role);
            };
            let sql = format!("SELECT COUNT(*) FROM case_task WHERE {open}{cond}");
            let expected = count(&db, &sql, &binds).await;
            assert_eq!(view.total, expected, "{filter:?} total ({of:?})");
            assert_eq!(
                view.rows.len() as i64,
                expected.min(LIST_LIMIT),
                "{filter:?} lines ({of:?})"
            );
            // Exactly the first lines (due date, then task id), not some lines: the cases of the matching tasks
            // a plain query lists first. As multisets: the page orders ties by case number, and the order is
            // checked below.
            let first = format!(
                "SELECT (SELECT number FROM hall_case WHERE id = case_task.case_id) FROM case_task \
                 WHERE {open}{cond} ORDER BY COALESCE(due_on, '9999-12-31'), id LIMIT {LIST_LIMIT}"
            );
            let mut listed: Vec<String> = view.rows.iter().map(|r| r.number.clone()).collect();
            let mut want = strings(&db, &first, &binds).await;
            listed.sort();
            want.sort();
            assert_eq!(listed, want, "{filter:?} first lines ({of:?})");
            if let Some(d) = of {
                assert!(view
                    .rows
                    .iter()
                    .all(|r| r.department.as_ref().map(|x| x.id.as_str()) == Some(d)));
            }
            assert!(in_due_order(&view.rows), "{filter:?} not in due order");
            if filter == QueueFilter::Overdue {
                assert!(view.rows.iter().all(|r| r.clock == ClockStatus::Overdue));
            }
        }
    }
    let open = "department_id = $1 AND status IN ('in_review', 'awaiting_applicant', 'to_do')";
    assert!(
        count(
            &db,
            &format!("SELECT COUNT(*) FROM case_task WHERE {open}"),
            &[department]
        )
        .await
            > 0,
        "the department has open tasks to queue"
    );

    // The generator leaves no case due soon or overdue at the window: two of its submitted cases are moved there —
    // one submitted days ago (its art. 32 deadline within DUE_SOON_DAYS working days) and one accepted with a 容缺
    // promise already late — with their window day left unset, for start-up's fill to write.
    let calendar = state.catalog.calendar();
    let submitted: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM hall_case WHERE status = 'submitted' ORDER BY id LIMIT 2",
    )
    .fetch_all(&db.pool)
    .await
    .expect("submitted cases");
    assert_eq!(submitted.len(), 2, "the generator leaves cases to accept");
    let on = (1..15)
        .filter_map(|k| today.checked_sub(time::Duration::days(k)))
        .find(|on| {
            let deadline = acceptance_deadline(*on, calendar);
            deadline >= today && calendar.working_days_between(today, deadline) <= DUE_SOON_DAYS
        })
        .expect("a submission day whose deadline is near");
    let late = CaseState::AcceptedWithShortfall {
        since: today - time::Duration::days(20),
        promise: app::domain::case_flow::Promise {
            materials: vec!["lease".into()],
            deadline: today - time::Duration::days(3),
        },
    };
    for (id, state) in [
        (submitted[0], CaseState::Submitted { on }),
        (submitted[1], late),
    ] {
        sqlx::query(
            "UPDATE hall_case SET state = $1, status = $2, window_due = NULL WHERE id = $3",
        )
        .bind(serde_json::to_string(&state).expect("json"))
        .bind(state.status().code())
        .bind(id)
        .execute(&db.pool)
        .await
        .expect("move a case");
    }
    let dated = workbench::fill_window_due(&db, calendar)
        .await
        .expect("fill");
    assert!(dated >= 2, "{dated}");

    // The window's queue under every filter: the cases still at the window and the accepted ones whose every task
    // has ended, exactly as the domain decides them case by case (the queue reads an ordered index).
    let numbers: Vec<String> =
        sqlx::query_scalar("SELECT number FROM hall_case WHERE status <> 'closed' ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .expect("open cases");
    let mut expected = std::collections::BTreeMap::<&str, i64>::new();
    for number in numbers {
        let Some(case) = cases::by_number(&db, &number).await.expect("case") else {
            continue;
        };
        let tasks = cases::tasks(&db, case.id).await.expect("tasks");
        let status = case.state.status();
        let at_window = matches!(
            status,
            CaseStatus::Submitted
                | CaseStatus::CorrectionRequested
                | CaseStatus::AcceptedWithShortfall
        );
        let ready = status == CaseStatus::Accepted && tasks.iter().all(|t| t.task.has_ended());
        if !(at_window || ready) {
            continue;
        }
        *expected.entry("all").or_default() += 1;
        *expected.entry("ready").or_default() += i64::from(ready);
        if let CaseState::Submitted { on } = case.state {
            *expected.entry("new").or_default() += 1;
            let deadline = acceptance_deadline(on, calendar);
            if calendar.working_days_between(today, deadline) <= DUE_SOON_DAYS {
                *expected.entry("due soon").or_default() += 1;
            }
        }
        if case.state.shortfall_overdue(today) {
            *expected.entry("overdue").or_default() += 1;
        }
        if matches!(
            status,
            CaseStatus::CorrectionRequested | CaseStatus::AcceptedWithShortfall
        ) {
            *expected.entry("waiting").or_default() += 1;
        }
    }
    for name in ["ready", "new", "due soon", "overdue", "waiting"] {
        assert!(expected.get(name) > Some(&0), "none {name}: {expected:?}");
    }
    eprintln!("the window's queue, as the domain counts it: {expected:?}");
    let window = user(&db, Role::Window).await;
    for (filter, name) in [
        (QueueFilter::All, "all"),
        (QueueFilter::New, "new"),
        (QueueFilter::DueSoon, "due soon"),
        (QueueFilter::Overdue, "overdue"),
        (QueueFilter::Waiting, "waiting"),
    ] {
        let StaffPage::Ready(view) = workbench::queue(&state, Some(window.clone()), filter)
            .await
            .expect("window queue")
        else {
            panic!("the window has a queue");
        };
        let want = expected.get(name).copied().unwrap_or(0);
        assert_eq!(view.total, want, "the window's {name}: {expected:?}");
        assert_eq!(view.rows.len() as i64, want.min(LIST_LIMIT), "{name} lines");
        assert!(view
            .rows
            .iter()
            .all(|r| !r.ready_to_hand_over || r.case_status == CaseStatus::Accepted));
        assert!(in_due_order(&view.rows), "{name} not in due order");
    }

    // Supervision: its counts are the tables' counts.
    let StaffPage::Ready(view) = workbench::supervision(&state, Some(supervisor), "", "")
        .await
        .expect("supervision")
    else {
        panic!("the supervisor has a dashboard");
    };
    let cases_total = count(&db, "SELECT COUNT(*) FROM hall_case", &[]).await;
    assert_eq!(
        view.case_counts.iter().map(|(_, n)| n).sum::<i64>(),
        cases_total
    );
    assert_eq!(
        view.task_counts.iter().map(|(_, n)| n).sum::<i64>(),
        tasks_now
    );
    let overdue = count(
        &db,
        "SELECT COUNT(*) FROM case_task WHERE status = 'in_review' AND due_on < $1",
        &[&t],
    )
    .await;
    assert_eq!(view.overdue_total, overdue);
    // The list shows the tasks it can read: on a PostgreSQL database shared with the other suites, some of their
    // hand-made rows (bare `{}` states, for the SQL aggregates) are counted but not listable.
    let readable = sqlx::query_as::<_, (String, String)>(
        "SELECT c.state, t.task FROM case_task t JOIN hall_case c ON c.id = t.case_id \
         WHERE t.status = 'in_review' AND t.due_on < $1",
    )
    .bind(&t)
    .fetch_all(&db.pool)
    .await
    .expect("overdue rows")
    .iter()
    .filter(|(case, task)| {
        serde_json::from_str::<app::domain::case_flow::CaseState>(case).is_ok()
            && serde_json::from_str::<app::domain::case_flow::Task>(task).is_ok()
    })
    .count() as i64;
    assert!(readable > 0, "the generated cases have overdue tasks");
    if overdue <= LIST_LIMIT {
        assert_eq!(view.overdue.len() as i64, readable);
    } else {
        assert!(view.overdue.len() as i64 <= LIST_LIMIT);
    }
    let by_department: i64 = view.departments.iter().map(|l| l.overdue).sum();
    assert_eq!(by_department, overdue, "overdue by department");

    // Lookup by number, and the progress lookup with the printed code.
    let (number, code) = done.sample.expect("a sample case");
    let case = cases::by_number(&db, &number)
        .await
        .expect("by number")
        .expect("the sample case exists");
    assert_eq!(case.lookup_code, code);
    assert!(!cases::tasks(&db, case.id).await.expect("tasks").is_empty());
    let found = track::lookup(
        &db,
        &state.signer,
        &number,
        &code,
        "198.51.100.7",
        1_800_000_000,
    )
    .await
    .expect("lookup");
    assert!(matches!(found, track::Lookup::Pass(_)), "{found:?}");
}

/// `server generate-cases --days D` (the scale benchmark's "first weeks"): every case is submitted on one of the
/// last D working days up to today, and most of their tasks are still open, so the staff lists fill with few cases.
#[tokio::test]
async fn a_hall_in_its_first_weeks_is_submitted_over_its_last_working_days() {
    let _turn = GENERATING.lock().await;
    let db = test_db("scale", "days").await;
    let catalog = catalog();
    let today = clock::today(&db).await;
    let calendar = catalog.calendar();
    // The fifth working day back from today (today counts when it is one).
    let mut first = today;
    let mut seen = 0;
    loop {
        if calendar.is_working_day(first) {
            seen += 1;
            if seen == 5 {
                break;
            }
        }
        first = first.previous_day().expect("a day before");
    }
    let done = scale::generate(
        &db,
        &catalog,
        scale::Plan {
            cases: 400,
            seed: 11,
            today,
            days: Some(5),
        },
        |_| {},
    )
    .await
    .expect("generate");
    assert_eq!(done.cases, 400);
    // The generated citizens of this seed own exactly these cases (the suites may share a PostgreSQL database).
    let of_seed =
        "FROM hall_case c JOIN account a ON a.id = c.account_id WHERE a.login LIKE 'gen-11-%'";
    let earliest = strings(&db, &format!("SELECT MIN(c.submitted_at) {of_seed}"), &[]).await;
    let latest = strings(&db, &format!("SELECT MAX(c.submitted_at) {of_seed}"), &[]).await;
    assert!(
        earliest[0].as_str() >= first.to_string().as_str(),
        "submitted on {} before the fifth working day back ({first})",
        earliest[0]
    );
    assert!(
        latest[0].as_str() < today.next_day().expect("tomorrow").to_string().as_str(),
        "submitted after today: {}",
        latest[0]
    );
    let tasks = |and: &str| {
        format!("SELECT COUNT(*) FROM case_task t WHERE t.case_id IN (SELECT c.id {of_seed}){and}")
    };
    let all = count(&db, &tasks(""), &[]).await;
    let open = count(
        &db,
        &tasks(" AND t.status IN ('in_review', 'awaiting_applicant', 'to_do', 'waiting')"),
        &[],
    )
    .await;
    assert!(
        open * 2 > all,
        "{open} of {all} tasks open after five working days"
    );
}
