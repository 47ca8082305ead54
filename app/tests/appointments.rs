//! 预约取号 on a real database, run by `make db-test` on SQLite (a temp file) and on PostgreSQL (`DATABASE_URL`):
//! many concurrent bookings of one slot (exactly its capacity succeed), the per-person limit under concurrency,
//! the refusals (full, past, closed, non-working day, too far, someone else's case) that change nothing, change
//! and cancel, and 叫号 in time order. Each test books on a day of its own far in the future (the calendar counts
//! Monday to Friday there), so tests sharing one PostgreSQL database never share a slot.

#![cfg(feature = "ssr")]

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use app::api::account::SessionUser;
use app::api::appointments::Purpose;
use app::domain::appointment::BookingProblem;
use app::domain::roadmap::plan;
use app::domain::{Catalog, Role};
use app::server::appointments::{self, Refused, Request};
use app::server::cases::{self, NewCase};
use app::server::db::Db;
use app::server::wizard::{answers_of, decode_query};
use common::{catalog, test_db, unique, user};
use time::{Date, Duration, PrimitiveDateTime, Weekday};

const CENTRE: &str = "city-centre";
/// A 市场监管 item: window A of the city centre (capacity 2, at most 2 a person a day, 09:00–17:00, 30 minutes).
const ITEM: &str = "samr-business-registration";

/// A Tuesday of this test's own, far ahead (years without holiday data count Monday to Friday), and 08:00 on
/// the Monday before it as "now".
fn day_of_own() -> (Date, PrimitiveDateTime) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_nanos();
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // Up to the year 9000: the date type ends at 9999.
    let mixed = (nanos as u64 / 1000) ^ (u64::from(std::process::id()) << 20);
    let weeks = i64::try_from((mixed + n * 7) % 350_000).expect("small");
    let base = time::macros::date!(2101 - 01 - 03); // a Monday
    assert_eq!(base.weekday(), Weekday::Monday);
    let monday = base + Duration::weeks(weeks);
    let now = PrimitiveDateTime::new(monday, time::macros::time!(08:00));
    (monday + Duration::days(1), now)
}

fn at(day: Date, hhmm: &str) -> Request {
    Request {
        purpose: Purpose::Item(ITEM.into()),
        centre: CENTRE.into(),
        date: day,
        start: app::domain::appointment::parse_hhmm(hhmm).expect("time"),
    }
}

fn problem(r: Result<i64, Refused>) -> BookingProblem {
    match r {
        Ok(id) => panic!("booked {id}, expected a refusal"),
        Err(Refused::Problem(p)) => p,
        Err(Refused::Db(e)) => panic!("database error: {e}"),
    }
}

async fn active(db: &Db, day: Date) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM appointment WHERE centre_id = $1 AND day = $2 AND status <> 'cancelled'",
    )
    .bind(CENTRE)
    .bind(day.to_string())
    .fetch_one(&db.pool)
    .await
    .expect("count")
}

async fn status_of(db: &Db, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM appointment WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .expect("status")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_bookings_of_one_slot_fill_exactly_its_capacity() {
    let db = test_db("appointments", "concurrent").await;
    let catalog = Arc::new(catalog());
    let (day, now) = day_of_own();
    let mut people = Vec::new();
    for _ in 0..16 {
        people.push(user(&db, Role::Citizen).await);
    }
    let mut handles = Vec::new();
    for person in people {
        let (db, catalog) = (db.clone(), catalog.clone());
        handles.push(tokio::spawn(async move {
            appointments::book(&db, &catalog, &person, &at(day, "10:00"), now).await
        }));
    }
    let mut booked = Vec::new();
    let mut full = 0;
    for h in handles {
        match h.await.expect("task") {
            Ok(id) => booked.push(id),
            Err(Refused::Problem(BookingProblem::Full)) => full += 1,
            Err(Refused::Problem(p)) => panic!("unexpected refusal {p:?}"),
            Err(Refused::Db(e)) => panic!("database error: {e}"),
        }
    }
    assert_eq!(booked.len(), 2, "capacity is 2");
    assert_eq!(full, 14);
    assert_eq!(active(&db, day).await, 2);
    // 10:00 is the third slot of the day: seats 0 and 1 are numbers 5 and 6.
    let mut numbers: Vec<String> = Vec::new();
    for id in booked {
        numbers.push(
            appointments::by_id(&db, id)
                .await
                .expect("read")
                .expect("row")
                .queue_number,
        );
    }
    numbers.sort();
    assert_eq!(numbers, vec!["A005", "A006"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_person_cannot_exceed_the_daily_limit_even_concurrently() {
    let db = test_db("appointments", "limit").await;
    let catalog = Arc::new(catalog());
    let (day, now) = day_of_own();
    let person = user(&db, Role::Citizen).await;
    let mut handles = Vec::new();
    for time in ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"] {
        let (db, catalog, person) = (db.clone(), catalog.clone(), person.clone());
        handles.push(tokio::spawn(async move {
            appointments::book(&db, &catalog, &person, &at(day, time), now).await
        }));
    }
    let mut ok = 0;
    for h in handles {
        match h.await.expect("task") {
            Ok(_) => ok += 1,
            Err(Refused::Problem(p)) => assert_eq!(p, BookingProblem::Limit),
            Err(Refused::Db(e)) => panic!("database error: {e}"),
        }
    }
    assert_eq!(ok, 2, "at most 2 a person a day");
    assert_eq!(active(&db, day).await, 2);
    // The next day is another day.
    let next = appointments::book(
        &db,
        &catalog,
        &person,
        &at(day + Duration::days(1), "09:00"),
        now,
    )
    .await;
    assert!(next.is_ok());
}

#[tokio::test]
async fn refused_bookings_change_nothing() {
    let db = test_db("appointments", "refusals").await;
    let catalog = catalog();
    let (day, now) = day_of_own();
    let person = user(&db, Role::Citizen).await;
    let monday = now.date();
    // Past: 08:00 on Monday is now; 09:00 Monday is still open, but a slot that started is not.
    let late = PrimitiveDateTime::new(monday, time::macros::time!(10:15));
    assert_eq!(
        problem(appointments::book(&db, &catalog, &person, &at(monday, "10:00"), late).await),
        BookingProblem::Past
    );
    assert_eq!(
        problem(
            appointments::book(
                &db,
                &catalog,
                &person,
                &at(monday - Duration::days(3), "10:00"),
                now
            )
            .await
        ),
        BookingProblem::Past
    );
    // Closed: before opening, after closing, not a slot's start.
    for t in ["08:00", "17:00", "09:10"] {
        assert_eq!(
            problem(appointments::book(&db, &catalog, &person, &at(day, t), now).await),
            BookingProblem::Closed,
            "{t}"
        );
    }
    // A Saturday.
    assert_eq!(
        problem(
            appointments::book(
                &db,
                &catalog,
                &person,
                &at(day + Duration::days(4), "10:00"),
                now
            )
            .await
        ),
        BookingProblem::NonWorkingDay
    );
    // Beyond 14 days ahead.
    assert_eq!(
        problem(
            appointments::book(
                &db,
                &catalog,
                &person,
                &at(day + Duration::weeks(3), "10:00"),
                now
            )
            .await
        ),
        BookingProblem::TooFar
    );
    // An unknown centre or item, an item the centre does not serve.
    let mut wrong = at(day, "10:00");
    wrong.centre = "moon".into();
    assert_eq!(
        problem(appointments::book(&db, &catalog, &person, &wrong, now).await),
        BookingProblem::Unknown
    );
    let mut wrong = at(day, "10:00");
    wrong.purpose = Purpose::Item("no-such-item".into());
    assert_eq!(
        problem(appointments::book(&db, &catalog, &person, &wrong, now).await),
        BookingProblem::Unknown
    );
    // Staff book nothing.
    let staff = user(&db, Role::Window).await;
    assert_eq!(
        problem(appointments::book(&db, &catalog, &staff, &at(day, "10:00"), now).await),
        BookingProblem::NotForStaff
    );
    // Full.
    for _ in 0..2 {
        let other = user(&db, Role::Citizen).await;
        appointments::book(&db, &catalog, &other, &at(day, "11:00"), now)
            .await
            .map_err(|_| "book")
            .expect("book");
    }
    assert_eq!(
        problem(appointments::book(&db, &catalog, &person, &at(day, "11:00"), now).await),
        BookingProblem::Full
    );
    let mine: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM appointment WHERE account_id = $1")
        .bind(person.account_id)
        .fetch_one(&db.pool)
        .await
        .expect("count");
    assert_eq!(mine, 0, "no refusal stored anything");
    assert_eq!(active(&db, day).await, 2);
}

#[tokio::test]
async fn change_is_all_or_nothing_and_cancel_frees_the_seat() {
    let db = test_db("appointments", "change").await;
    let catalog = catalog();
    let (day, now) = day_of_own();
    let person = user(&db, Role::Citizen).await;
    let first = appointments::book(&db, &catalog, &person, &at(day, "09:00"), now)
        .await
        .map_err(|_| "book")
        .expect("book");
    // Someone fills 14:00.
    for _ in 0..2 {
        let other = user(&db, Role::Citizen).await;
        appointments::book(&db, &catalog, &other, &at(day, "14:00"), now)
            .await
            .map_err(|_| "book")
            .expect("book");
    }
    // Moving to the full slot is refused and the first appointment stands.
    assert_eq!(
        problem(appointments::change(&db, &catalog, &person, first, &at(day, "14:00"), now).await),
        BookingProblem::Full
    );
    assert_eq!(status_of(&db, first).await, "booked");
    // Moving to an open slot cancels the first and books the second in one go.
    let second = appointments::change(&db, &catalog, &person, first, &at(day, "15:30"), now)
        .await
        .map_err(|_| "change")
        .expect("change");
    assert_eq!(status_of(&db, first).await, "cancelled");
    assert_eq!(status_of(&db, second).await, "booked");
    let row = appointments::by_id(&db, second)
        .await
        .expect("read")
        .expect("row");
    assert_eq!(
        (row.start, row.queue_number.as_str()),
        (15 * 60 + 30, "A027")
    );
    // Someone else cannot change or cancel it.
    let stranger = user(&db, Role::Citizen).await;
    assert_eq!(
        problem(
            appointments::change(&db, &catalog, &stranger, second, &at(day, "16:00"), now).await
        ),
        BookingProblem::NotChangeable
    );
    assert!(matches!(
        appointments::cancel(&db, &catalog, &stranger, second, now).await,
        Err(Refused::Problem(BookingProblem::NotChangeable))
    ));
    // A change made while at the limit (2 a day) still works: the old one is cancelled first.
    appointments::book(&db, &catalog, &person, &at(day, "16:00"), now)
        .await
        .map_err(|_| "book")
        .expect("book");
    let third = appointments::change(&db, &catalog, &person, second, &at(day, "16:30"), now)
        .await
        .map_err(|_| "change at the limit")
        .expect("change at the limit");
    // Cancelled: the seat is free again; a cancelled one cannot be cancelled twice.
    appointments::cancel(&db, &catalog, &person, third, now)
        .await
        .map_err(|_| "cancel")
        .expect("cancel");
    assert_eq!(status_of(&db, third).await, "cancelled");
    assert!(appointments::cancel(&db, &catalog, &person, third, now)
        .await
        .is_err());
    // After it started, it can no longer be changed.
    let started = PrimitiveDateTime::new(day, time::macros::time!(16:05));
    let at_four: i64 = sqlx::query_scalar(
        "SELECT id FROM appointment WHERE account_id = $1 AND start_minute = 960 AND status = 'booked'",
    )
    .bind(person.account_id)
    .fetch_one(&db.pool)
    .await
    .expect("16:00");
    assert!(
        appointments::cancel(&db, &catalog, &person, at_four, started)
            .await
            .is_err()
    );
    assert_eq!(status_of(&db, at_four).await, "booked");
}

#[tokio::test]
async fn calling_takes_numbers_in_time_order_once_each() {
    let db = test_db("appointments", "call").await;
    let catalog = catalog();
    let (day, now) = day_of_own();
    let mut ids = Vec::new();
    for t in ["11:00", "09:30", "11:00"] {
        let person = user(&db, Role::Citizen).await;
        ids.push(
            appointments::book(&db, &catalog, &person, &at(day, t), now)
                .await
                .map_err(|_| "book")
                .expect("book"),
        );
    }
    let mut called = Vec::new();
    while let Some(n) = appointments::call_next_number(&db, CENTRE, "A", day)
        .await
        .expect("call")
    {
        called.push(n);
    }
    assert_eq!(called, vec!["A003", "A009", "A010"]);
    // Another window and another day have nobody.
    assert_eq!(
        appointments::call_next_number(&db, CENTRE, "B", day)
            .await
            .expect("call"),
        None
    );
    assert_eq!(status_of(&db, ids[0]).await, "called");
}

const ANSWERS: &str =
    "a.entity=sole&a.applicant_age=30&a.premises_type=commercial&a.area=60&a.seats=20&a.alcohol=no\
&a.entertainment=no&a.sign=no&a.sewer=no&a.fire_accepted=yes&a.staff=1";

async fn case_of_own(db: &Db, catalog: &Catalog, owner: &SessionUser) -> String {
    let theme = catalog.theme("open-restaurant").expect("theme");
    let (answers, _) = answers_of(theme, &decode_query(ANSWERS));
    let roadmap = plan(theme, catalog, &answers).expect("roadmap");
    let fields: BTreeMap<String, String> = BTreeMap::new();
    cases::submit(
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
    .expect("submit")
}

#[tokio::test]
async fn a_case_is_booked_by_its_owner_only() {
    let db = test_db("appointments", "case").await;
    let catalog = catalog();
    let (day, now) = day_of_own();
    let owner = user(&db, Role::Citizen).await;
    let number = case_of_own(&db, &catalog, &owner).await;
    let mut request = at(day, "10:00");
    request.purpose = Purpose::Case(number.clone());
    let stranger = user(&db, Role::Citizen).await;
    assert_eq!(
        problem(appointments::book(&db, &catalog, &stranger, &request, now).await),
        BookingProblem::Unknown
    );
    let id = appointments::book(&db, &catalog, &owner, &request, now)
        .await
        .map_err(|_| "book")
        .expect("book");
    let row = appointments::by_id(&db, id)
        .await
        .expect("read")
        .expect("row");
    assert_eq!(row.case_number.as_deref(), Some(number.as_str()));
    // The restaurant's first step is the business licence: 市场监管, window A.
    assert_eq!(row.window, "A");
    assert_eq!(row.item, ITEM);
}
