//! 预约取号: booking, changing and cancelling appointments, the staff's list of the day and 叫号.
//!
//! The catalog says which centres take appointments and how (`domain::appointment`); this module stores them in
//! `appointment` (migration 0010). Over-booking is stopped by the database, not by a read: a slot of a window has
//! `capacity` seats and a person `per_person_per_day` places per centre and day, each a partial unique index over the
//! rows that are not cancelled. A booking reads which seats are free, inserts with `ON CONFLICT DO NOTHING`, and
//! when a concurrent booking took the seat first (nothing inserted) reads again; so under any number of concurrent
//! requests exactly `capacity` bookings of a slot succeed. On SQLite the write transaction takes the lock at BEGIN;
//! on PostgreSQL a conflicting insert waits for the other transaction and then does nothing. A change cancels and
//! books in one transaction: refused, it rolls back and the old appointment stands.

use time::{Date, PrimitiveDateTime};

use super::cases;
use super::db::{Db, DbError};
use super::state::AppState;
use crate::api::account::{login_path, SessionUser};
use crate::api::appointments::{
    AppointmentView, BookingAnswer, BookingPage, BookingQuery, CentreInfo, Purpose, SlotChoice,
    TodayAnswer, TodayRow, TodayView, WindowToday,
};
use crate::api::catalog::Named;
use crate::domain::appointment::{
    hhmm, parse_hhmm, queue_number, staff_may_call, staff_may_view, AppointmentStatus,
    Appointments, BookingProblem, Slot, Window,
};
use crate::domain::catalog::{Catalog, Centre, Item};
use crate::domain::condition::parse_date;
use crate::domain::text::Text;
use crate::domain::Role;

/// Now in Beijing time, moved by the demo clock's offset in days (demo and test mode only).
pub async fn local_now(db: &Db) -> PrimitiveDateTime {
    let now = time::OffsetDateTime::now_utc().to_offset(super::clock::LOCAL);
    let now = PrimitiveDateTime::new(now.date(), now.time());
    now.checked_add(time::Duration::days(super::clock::offset_days(db).await))
        .unwrap_or(now)
}

fn stamp() -> String {
    super::drafts::stamp(super::drafts::now())
}

/// A booking request: what for, where, when.
#[derive(Debug, Clone)]
pub struct Request {
    pub purpose: Purpose,
    pub centre: String,
    pub date: Date,
    /// Minutes after midnight.
    pub start: u16,
}

/// A refusal, or a database failure (logged, shown as "unavailable").
#[derive(Debug)]
pub enum Refused {
    Problem(BookingProblem),
    Db(DbError),
}

impl From<DbError> for Refused {
    fn from(e: DbError) -> Refused {
        Refused::Db(e)
    }
}

impl From<sqlx::Error> for Refused {
    fn from(e: sqlx::Error) -> Refused {
        Refused::Db(e.into())
    }
}

impl From<BookingProblem> for Refused {
    fn from(p: BookingProblem) -> Refused {
        Refused::Problem(p)
    }
}

impl Refused {
    fn problem(self) -> BookingProblem {
        match self {
            Refused::Problem(p) => p,
            Refused::Db(e) => {
                tracing::error!(error = %e, "appointment write failed");
                BookingProblem::Unavailable
            }
        }
    }
}

/// Centres that take appointments, with their rules.
fn bookable(catalog: &Catalog) -> impl Iterator<Item = (&Centre, &Appointments)> {
    catalog
        .centres()
        .iter()
        .filter_map(|c| c.appointments.as_ref().map(|a| (c, a)))
}

/// The items the purpose stands for: the item, or the case's tasks' items in roadmap order. `None` when the
/// item is unknown or the case is not the user's.
async fn purpose_items(
    db: &Db,
    catalog: &Catalog,
    user: &SessionUser,
    purpose: &Purpose,
) -> Result<Option<(Vec<String>, Text)>, DbError> {
    match purpose {
        Purpose::Item(id) => Ok(catalog
            .item(id)
            .map(|item| (vec![item.id.clone()], item.name.clone()))),
        Purpose::Case(number) => {
            let Some(case) = cases::by_number(db, number).await? else {
                return Ok(None);
            };
            if case.account_id != Some(user.account_id) {
                return Ok(None);
            }
            let tasks = cases::tasks(db, case.id).await?;
            let name = catalog
                .theme(&case.theme_id)
                .map(|t| t.name.clone())
                .unwrap_or_else(|| Text::zh(case.theme_id.clone()));
            Ok(Some((
                tasks.into_iter().map(|t| t.task.item).collect(),
                name,
            )))
        }
    }
}

/// The window of a centre that serves the first of the items it serves, and that item.
fn window_for<'a>(
    catalog: &'a Catalog,
    rules: &'a Appointments,
    items: &[String],
) -> Option<(&'a Window, &'a Item)> {
    items
        .iter()
        .filter_map(|id| catalog.item(id))
        .find_map(|item| rules.window_for(item).map(|w| (w, item)))
}

/// Books a slot. `Ok(id)` of the new appointment.
pub async fn book(
    db: &Db,
    catalog: &Catalog,
    user: &SessionUser,
    request: &Request,
    now: PrimitiveDateTime,
) -> Result<i64, Refused> {
    if user.role.is_staff() {
        return Err(BookingProblem::NotForStaff.into());
    }
    let plan = plan(db, catalog, user, request, now).await?;
    let mut tx = db.begin_write().await?;
    match insert(&mut tx, &plan, user.account_id).await {
        Ok(id) => {
            tx.commit().await?;
            Ok(id)
        }
        Err(e) => {
            tx.rollback().await?;
            Err(e)
        }
    }
}

/// Moves the user's appointment `id` to another slot: cancel and book in one transaction; refused, nothing changes.
pub async fn change(
    db: &Db,
    catalog: &Catalog,
    user: &SessionUser,
    id: i64,
    request: &Request,
    now: PrimitiveDateTime,
) -> Result<i64, Refused> {
    if user.role.is_staff() {
        return Err(BookingProblem::NotForStaff.into());
    }
    let old = changeable(db, catalog, user, id, now).await?;
    let request = Request {
        purpose: old.purpose(),
        ..request.clone()
    };
    let plan = plan(db, catalog, user, &request, now).await?;
    let mut tx = db.begin_write().await?;
    let cancelled = sqlx::query(
        "UPDATE appointment SET status = 'cancelled', cancelled_at = $1 \
         WHERE id = $2 AND account_id = $3 AND status = 'booked'",
    )
    .bind(stamp())
    .bind(id)
    .bind(user.account_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if cancelled != 1 {
        tx.rollback().await?;
        return Err(BookingProblem::NotChangeable.into());
    }
    match insert(&mut tx, &plan, user.account_id).await {
        Ok(new) => {
            tx.commit().await?;
            Ok(new)
        }
        Err(e) => {
            tx.rollback().await?;
            Err(e)
        }
    }
}

/// Cancels the user's appointment if it is booked and has not started.
pub async fn cancel(
    db: &Db,
    catalog: &Catalog,
    user: &SessionUser,
    id: i64,
    now: PrimitiveDateTime,
) -> Result<(), Refused> {
    changeable(db, catalog, user, id, now).await?;
    let done = sqlx::query(
        "UPDATE appointment SET status = 'cancelled', cancelled_at = $1 \
         WHERE id = $2 AND account_id = $3 AND status = 'booked'",
    )
    .bind(stamp())
    .bind(id)
    .bind(user.account_id)
    .execute(&db.pool)
    .await?
    .rows_affected();
    if done == 1 {
        Ok(())
    } else {
        Err(BookingProblem::NotChangeable.into())
    }
}

/// Everything a booking needs, checked against the catalog and the clock before the transaction.
struct Plan {
    centre: String,
    window: String,
    item: String,
    case_number: Option<String>,
    slot: Slot,
    capacity: u16,
    per_person: u16,
}

async fn plan(
    db: &Db,
    catalog: &Catalog,
    user: &SessionUser,
    request: &Request,
    now: PrimitiveDateTime,
) -> Result<Plan, Refused> {
    let Some(rules) = catalog
        .centre(&request.centre)
        .and_then(|c| c.appointments.as_ref())
    else {
        return Err(BookingProblem::Unknown.into());
    };
    let Some((items, _)) = purpose_items(db, catalog, user, &request.purpose).await? else {
        return Err(BookingProblem::Unknown.into());
    };
    let Some((window, item)) = window_for(catalog, rules, &items) else {
        return Err(BookingProblem::Unknown.into());
    };
    let slot = rules.check(catalog.calendar(), request.date, request.start, now)?;
    Ok(Plan {
        centre: request.centre.clone(),
        window: window.letter.clone(),
        item: item.id.clone(),
        case_number: match &request.purpose {
            Purpose::Case(n) => Some(n.clone()),
            Purpose::Item(_) => None,
        },
        slot,
        capacity: rules.capacity,
        per_person: rules.per_person_per_day,
    })
}

/// Takes the lowest free seat of the slot and the lowest free place of the person's day; reads again when a
/// concurrent booking took either first.
async fn insert(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    plan: &Plan,
    account_id: i64,
) -> Result<i64, Refused> {
    let day = plan.slot.date.to_string();
    let attempts = usize::from(plan.capacity) + usize::from(plan.per_person) + 2;
    for _ in 0..attempts {
        let held: Vec<i64> = sqlx::query_scalar(
            "SELECT person_seat FROM appointment WHERE account_id = $1 AND centre_id = $2 AND day = $3 \
             AND status <> 'cancelled'",
        )
        .bind(account_id)
        .bind(&plan.centre)
        .bind(&day)
        .fetch_all(&mut **tx)
        .await?;
        let Some(person_seat) = (0..plan.per_person).find(|s| !held.contains(&i64::from(*s)))
        else {
            return Err(BookingProblem::Limit.into());
        };
        let taken: Vec<i64> = sqlx::query_scalar(
            "SELECT seat FROM appointment WHERE centre_id = $1 AND window_letter = $2 AND day = $3 \
             AND slot_index = $4 AND status <> 'cancelled'",
        )
        .bind(&plan.centre)
        .bind(&plan.window)
        .bind(&day)
        .bind(i64::from(plan.slot.index))
        .fetch_all(&mut **tx)
        .await?;
        let Some(seat) = (0..plan.capacity).find(|s| !taken.contains(&i64::from(*s))) else {
            return Err(BookingProblem::Full.into());
        };
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO appointment (account_id, centre_id, window_letter, item_id, case_number, day, \
             start_minute, end_minute, slot_index, seat, person_seat, queue_number, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'booked', $13) \
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(account_id)
        .bind(&plan.centre)
        .bind(&plan.window)
        .bind(&plan.item)
        .bind(plan.case_number.as_deref())
        .bind(&day)
        .bind(i64::from(plan.slot.start))
        .bind(i64::from(plan.slot.end))
        .bind(i64::from(plan.slot.index))
        .bind(i64::from(seat))
        .bind(i64::from(person_seat))
        .bind(queue_number(&plan.window, plan.slot.index, seat, plan.capacity))
        .bind(stamp())
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(id) = id {
            return Ok(id);
        }
    }
    Err(BookingProblem::Full.into())
}

/// A stored appointment.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: i64,
    pub account_id: i64,
    pub centre: String,
    pub window: String,
    pub item: String,
    pub case_number: Option<String>,
    pub day: String,
    pub start: u16,
    pub end: u16,
    pub queue_number: String,
    pub status: AppointmentStatus,
}

type RawRow = (
    i64,
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    i64,
    String,
    String,
);

/// The columns of [`RawRow`], for `concat!` (sqlx takes only static query text).
macro_rules! columns {
    () => {
        "id, account_id, centre_id, window_letter, item_id, case_number, day, start_minute, end_minute, \
         queue_number, status"
    };
}

fn row(r: RawRow) -> Row {
    let (id, account_id, centre, window, item, case_number, day, start, end, queue_number, status) =
        r;
    Row {
        id,
        account_id,
        centre,
        window,
        item,
        case_number,
        day,
        start: u16::try_from(start).unwrap_or(0),
        end: u16::try_from(end).unwrap_or(0),
        queue_number,
        status: AppointmentStatus::from_code(&status).unwrap_or(AppointmentStatus::Cancelled),
    }
}

impl Row {
    fn purpose(&self) -> Purpose {
        match &self.case_number {
            Some(n) => Purpose::Case(n.clone()),
            None => Purpose::Item(self.item.clone()),
        }
    }

    fn starts_at(&self) -> Option<PrimitiveDateTime> {
        let date = parse_date(&self.day)?;
        Some(
            PrimitiveDateTime::new(date, time::Time::MIDNIGHT)
                + time::Duration::minutes(i64::from(self.start)),
        )
    }

    fn changeable_at(&self, now: PrimitiveDateTime) -> bool {
        self.status == AppointmentStatus::Booked && self.starts_at().is_some_and(|t| t > now)
    }
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Row>, DbError> {
    let r: Option<RawRow> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM appointment WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(r.map(row))
}

/// The user's appointment `id` if it may still be changed or cancelled.
async fn changeable(
    db: &Db,
    _catalog: &Catalog,
    user: &SessionUser,
    id: i64,
    now: PrimitiveDateTime,
) -> Result<Row, Refused> {
    match by_id(db, id).await? {
        Some(r) if r.account_id == user.account_id && r.changeable_at(now) => Ok(r),
        Some(r) if r.account_id != user.account_id => {
            super::security_audit::mark_refused(&format!("appointment:{id}"));
            Err(BookingProblem::NotChangeable.into())
        }
        _ => Err(BookingProblem::NotChangeable.into()),
    }
}

/// 叫号: marks the window's next waiting number of `day` called; the number, or `None` when nobody waits.
pub async fn call_next_number(
    db: &Db,
    centre: &str,
    window: &str,
    day: Date,
) -> Result<Option<String>, DbError> {
    // Two windows calling at once may pick the same row; the guarded update lets one win and the other go on.
    for _ in 0..20 {
        let next: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, queue_number FROM appointment WHERE centre_id = $1 AND window_letter = $2 AND day = $3 \
             AND status = 'booked' ORDER BY slot_index, seat LIMIT 1",
        )
        .bind(centre)
        .bind(window)
        .bind(day.to_string())
        .fetch_optional(&db.pool)
        .await?;
        let Some((id, number)) = next else {
            return Ok(None);
        };
        let done = sqlx::query(
            "UPDATE appointment SET status = 'called', called_at = $1 WHERE id = $2 AND status = 'booked'",
        )
        .bind(stamp())
        .bind(id)
        .execute(&db.pool)
        .await?
        .rows_affected();
        if done == 1 {
            return Ok(Some(number));
        }
    }
    Ok(None)
}

/// A centre's appointments of one day, in time order.
pub async fn of_day(db: &Db, centre: &str, day: Date) -> Result<Vec<Row>, DbError> {
    let rows: Vec<RawRow> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM appointment WHERE centre_id = $1 AND day = $2 AND status <> 'cancelled' \
         ORDER BY slot_index, window_letter, seat"
    ))
    .bind(centre)
    .bind(day.to_string())
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(row).collect())
}

/// The last number called at each window of a centre on a day.
async fn last_called(db: &Db, centre: &str, day: Date) -> Result<Vec<(String, String)>, DbError> {
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT window_letter, queue_number, called_at FROM appointment WHERE centre_id = $1 AND day = $2 \
         AND status = 'called' ORDER BY called_at, slot_index, seat",
    )
    .bind(centre)
    .bind(day.to_string())
    .fetch_all(&db.pool)
    .await?;
    let mut last: Vec<(String, String)> = Vec::new();
    for (w, n, _) in rows {
        match last.iter_mut().find(|(x, _)| *x == w) {
            Some(entry) => entry.1 = n,
            None => last.push((w, n)),
        }
    }
    Ok(last)
}

// ---------------------------------------------------------------- views

fn named(id: &str, name: &Text) -> Named {
    Named {
        id: id.to_owned(),
        name: name.clone(),
    }
}

fn view_of(catalog: &Catalog, r: &Row, now: PrimitiveDateTime) -> AppointmentView {
    let centre = catalog.centre(&r.centre);
    let window = centre
        .and_then(|c| c.appointments.as_ref())
        .and_then(|a| a.window(&r.window));
    let item = catalog.item(&r.item);
    let bring = match (&r.case_number, item) {
        (None, Some(item)) => item
            .materials
            .iter()
            .filter(|m| m.required && m.produced_by.is_none())
            .map(|m| m.name.clone())
            .collect(),
        _ => Vec::new(),
    };
    AppointmentView {
        id: r.id,
        queue_number: r.queue_number.clone(),
        status: r.status,
        centre: centre.map_or_else(
            || named(&r.centre, &Text::zh(r.centre.clone())),
            |c| named(&c.id, &c.name),
        ),
        address: centre.and_then(|c| c.address.clone()),
        window: r.window.clone(),
        window_name: window.map_or_else(|| Text::zh(r.window.clone()), |w| w.name.clone()),
        date: r.day.clone(),
        start: hhmm(r.start),
        end: hhmm(r.end),
        item: item.map_or_else(
            || named(&r.item, &Text::zh(r.item.clone())),
            |i| named(&i.id, &i.name),
        ),
        case_number: r.case_number.clone(),
        bring,
        changeable: r.changeable_at(now),
    }
}

/// The user's appointment `id`; `None` when it is not theirs.
pub async fn appointment_of(
    state: &AppState,
    user: &SessionUser,
    id: i64,
) -> Result<Option<AppointmentView>, DbError> {
    let now = local_now(&state.db).await;
    let row = by_id(&state.db, id).await?;
    if row
        .as_ref()
        .is_some_and(|r| r.account_id != user.account_id)
    {
        // Someone else's appointment: not found to the asker, a refusal in the security trail.
        super::security_audit::mark_refused(&format!("appointment:{id}"));
    }
    Ok(row
        .filter(|r| r.account_id == user.account_id)
        .map(|r| view_of(&state.catalog, &r, now)))
}

/// 我的预约: the user's appointments that are not cancelled, latest day first.
pub async fn mine(state: &AppState, user: &SessionUser) -> Result<Vec<AppointmentView>, DbError> {
    let now = local_now(&state.db).await;
    let rows: Vec<RawRow> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM appointment WHERE account_id = $1 AND status <> 'cancelled' \
         ORDER BY day DESC, start_minute DESC, id DESC LIMIT 100"
    ))
    .bind(user.account_id)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(row)
        .map(|r| view_of(&state.catalog, &r, now))
        .collect())
}

fn purpose_of(query: &BookingQuery) -> Option<Purpose> {
    match (&query.item, &query.case) {
        (Some(item), None) if !item.is_empty() => Some(Purpose::Item(item.clone())),
        (None, Some(case)) if !case.is_empty() => Some(Purpose::Case(case.clone())),
        _ => None,
    }
}

/// The booking page: the centres serving the purpose; once one is chosen, its dates; once a date is chosen, its
/// slots with the seats left.
pub async fn booking_page(
    state: &AppState,
    user: &SessionUser,
    query: &BookingQuery,
) -> Result<BookingAnswer, DbError> {
    if user.role.is_staff() {
        return Ok(BookingAnswer::Staff);
    }
    let catalog = &state.catalog;
    let now = local_now(&state.db).await;
    let (purpose, change) = match query.change {
        Some(id) => match by_id(&state.db, id).await? {
            Some(r) if r.account_id == user.account_id && r.changeable_at(now) => {
                (r.purpose(), Some(view_of(catalog, &r, now)))
            }
            _ => return Ok(BookingAnswer::NotFound),
        },
        None => match purpose_of(query) {
            Some(p) => (p, None),
            None => return Ok(BookingAnswer::NotFound),
        },
    };
    let Some((items, purpose_name)) = purpose_items(&state.db, catalog, user, &purpose).await?
    else {
        return Ok(BookingAnswer::NotFound);
    };
    let centres: Vec<(&Centre, &Appointments)> = bookable(catalog)
        .filter(|(_, a)| window_for(catalog, a, &items).is_some())
        .collect();
    if centres.is_empty() {
        return Ok(BookingAnswer::NotFound);
    }
    let chosen = query
        .centre
        .as_deref()
        .and_then(|id| centres.iter().find(|(c, _)| c.id == id))
        .or(if centres.len() == 1 {
            centres.first()
        } else {
            None
        });
    let mut page = BookingPage {
        purpose: purpose.clone(),
        purpose_name,
        case_number: match &purpose {
            Purpose::Case(n) => Some(n.clone()),
            Purpose::Item(_) => None,
        },
        centres: centres.iter().map(|(c, _)| named(&c.id, &c.name)).collect(),
        centre: None,
        dates: Vec::new(),
        date: None,
        slots: Vec::new(),
        change,
    };
    let Some((centre, rules)) = chosen else {
        return Ok(BookingAnswer::Ready(Box::new(page)));
    };
    let Some((window, _)) = window_for(catalog, rules, &items) else {
        return Ok(BookingAnswer::Ready(Box::new(page)));
    };
    page.centre = Some(CentreInfo {
        id: centre.id.clone(),
        name: centre.name.clone(),
        address: centre.address.clone(),
        hours: centre.hours.clone(),
        window: window.letter.clone(),
        window_name: window.name.clone(),
    });
    let dates = rules.bookable_dates(catalog.calendar(), now);
    page.dates = dates.iter().map(Date::to_string).collect();
    let Some(date) = query
        .date
        .as_deref()
        .and_then(parse_date)
        .filter(|d| dates.contains(d))
    else {
        return Ok(BookingAnswer::Ready(Box::new(page)));
    };
    page.date = Some(date.to_string());
    let taken: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT slot_index, COUNT(*) FROM appointment WHERE centre_id = $1 AND window_letter = $2 AND day = $3 \
         AND status <> 'cancelled' GROUP BY slot_index",
    )
    .bind(&centre.id)
    .bind(&window.letter)
    .bind(date.to_string())
    .fetch_all(&state.db.pool)
    .await?;
    page.slots = rules
        .open_slots(catalog.calendar(), date, now)
        .into_iter()
        .map(|s| {
            let used = taken
                .iter()
                .find(|(i, _)| *i == i64::from(s.index))
                .map_or(0, |(_, n)| *n);
            SlotChoice {
                start: hhmm(s.start),
                end: hhmm(s.end),
                free: u16::try_from((i64::from(rules.capacity) - used).max(0)).unwrap_or(0),
            }
        })
        .collect();
    Ok(BookingAnswer::Ready(Box::new(page)))
}

/// Where the booking page of `query` is, with a problem code.
fn back_to(query: &BookingQuery, problem: BookingProblem) -> String {
    let mut parts = Vec::new();
    if let Some(id) = query.change {
        parts.push(format!("change={id}"));
    } else if let Some(p) = purpose_of(query) {
        parts.push(p.query());
    }
    if let Some(c) = &query.centre {
        parts.push(format!(
            "centre={}",
            Purpose::Item(c.clone()).query().trim_start_matches("item=")
        ));
    }
    if let Some(d) = query.date.as_deref().and_then(parse_date) {
        parts.push(format!("date={d}"));
    }
    parts.push(format!("problem={}", problem.code()));
    format!("/appointments/new?{}", parts.join("&"))
}

/// The booking form's handler: books or changes, and answers where to go.
pub async fn book_and_redirect(query: &BookingQuery, start: Option<&str>) -> String {
    let Ok(Some(user)) = super::session::current_user().await else {
        return login_path("/appointments");
    };
    let Some(state) = leptos::prelude::use_context::<AppState>() else {
        return back_to(query, BookingProblem::Unavailable);
    };
    let (Some(start), Some(date), Some(centre)) = (
        start.and_then(parse_hhmm),
        query.date.as_deref().and_then(parse_date),
        query.centre.clone(),
    ) else {
        return back_to(query, BookingProblem::Missing);
    };
    let now = local_now(&state.db).await;
    let result = match query.change {
        Some(id) => {
            let request = Request {
                // `change` keeps the appointment's own purpose.
                purpose: Purpose::Item(String::new()),
                centre,
                date,
                start,
            };
            change(&state.db, &state.catalog, &user, id, &request, now).await
        }
        None => {
            let Some(purpose) = purpose_of(query) else {
                return back_to(query, BookingProblem::Unknown);
            };
            let request = Request {
                purpose,
                centre,
                date,
                start,
            };
            book(&state.db, &state.catalog, &user, &request, now).await
        }
    };
    match result {
        Ok(id) => format!(
            "/appointments/{id}?done={}",
            if query.change.is_some() {
                "changed"
            } else {
                "booked"
            }
        ),
        Err(e) => back_to(query, e.problem()),
    }
}

pub async fn cancel_and_redirect(id: i64) -> String {
    let Ok(Some(user)) = super::session::current_user().await else {
        return login_path("/appointments");
    };
    let Some(state) = leptos::prelude::use_context::<AppState>() else {
        return "/appointments?problem=unavailable".into();
    };
    let now = local_now(&state.db).await;
    match cancel(&state.db, &state.catalog, &user, id, now).await {
        Ok(()) => "/appointments?done=cancelled".into(),
        Err(e) => format!("/appointments?problem={}", e.problem().code()),
    }
}

/// The centres this staff account may see, with their rules.
fn staff_centres<'a>(
    catalog: &'a Catalog,
    user: &SessionUser,
) -> Vec<(&'a Centre, &'a Appointments)> {
    bookable(catalog)
        .filter(|(_, a)| staff_may_view(user.role, user.department.as_deref(), a))
        .collect()
}

/// 今日预约 of one centre (the first this account may see when none is asked for).
pub async fn today_view(
    state: &AppState,
    user: &SessionUser,
    centre: Option<&str>,
) -> Result<TodayAnswer, DbError> {
    if !matches!(
        user.role,
        Role::Window | Role::Officer | Role::Supervisor | Role::Admin
    ) {
        super::security_audit::mark_refused("appointments_today");
        return Ok(TodayAnswer::Forbidden);
    }
    let catalog = &state.catalog;
    let centres = staff_centres(catalog, user);
    let chosen = match centre {
        Some(id) => match centres.iter().find(|(c, _)| c.id == id) {
            Some(c) => *c,
            None => {
                super::security_audit::mark_refused(&format!("appointments_today:{id}"));
                return Ok(TodayAnswer::Forbidden);
            }
        },
        None => match centres.first() {
            Some(c) => *c,
            None => return Ok(TodayAnswer::NoCentre),
        },
    };
    let (c, rules) = chosen;
    let today = local_now(&state.db).await.date();
    let rows = of_day(&state.db, &c.id, today).await?;
    let last = last_called(&state.db, &c.id, today).await?;
    let windows = rules
        .windows
        .iter()
        .map(|w| WindowToday {
            letter: w.letter.clone(),
            name: w.name.clone(),
            may_call: staff_may_call(user.role, user.department.as_deref(), w),
            current: last
                .iter()
                .find(|(x, _)| *x == w.letter)
                .map(|(_, n)| n.clone()),
            waiting: rows
                .iter()
                .filter(|r| r.window == w.letter && r.status == AppointmentStatus::Booked)
                .count(),
        })
        .collect();
    // An officer sees the appointments of the windows serving their department; the window, supervision and
    // the administrator see the whole centre.
    let shown = |letter: &str| {
        user.role != Role::Officer
            || rules.windows.iter().any(|w| {
                w.letter == letter && staff_may_call(user.role, user.department.as_deref(), w)
            })
    };
    let rows = rows
        .iter()
        .filter(|r| shown(&r.window))
        .map(|r| TodayRow {
            queue_number: r.queue_number.clone(),
            window: r.window.clone(),
            start: hhmm(r.start),
            end: hhmm(r.end),
            item: catalog.item(&r.item).map_or_else(
                || named(&r.item, &Text::zh(r.item.clone())),
                |i| named(&i.id, &i.name),
            ),
            case_number: r.case_number.clone(),
            status: r.status,
        })
        .collect();
    Ok(TodayAnswer::Ready(Box::new(TodayView {
        centres: centres.iter().map(|(c, _)| named(&c.id, &c.name)).collect(),
        centre: named(&c.id, &c.name),
        date: today.to_string(),
        windows,
        rows,
    })))
}

/// Whether this account may call at the centre's window.
pub fn may_call(catalog: &Catalog, user: &SessionUser, centre: &str, window: &str) -> bool {
    catalog
        .centre(centre)
        .and_then(|c| c.appointments.as_ref())
        .and_then(|a| a.window(window))
        .is_some_and(|w| staff_may_call(user.role, user.department.as_deref(), w))
}

pub async fn call_and_redirect(centre: &str, window: &str) -> String {
    let Ok(Some(user)) = super::session::current_user().await else {
        return login_path("/work/appointments");
    };
    let Some(state) = leptos::prelude::use_context::<AppState>() else {
        return "/work/appointments?problem=unavailable".into();
    };
    let base = format!(
        "/work/appointments?centre={}",
        Purpose::Item(centre.to_owned())
            .query()
            .trim_start_matches("item=")
    );
    if !may_call(&state.catalog, &user, centre, window) {
        tracing::warn!(account = user.account_id, "refused to call a number");
        super::security_audit::mark_refused(&format!("call:{centre}"));
        return format!("{base}&problem=forbidden");
    }
    let today = local_now(&state.db).await.date();
    match call_next_number(&state.db, centre, window, today).await {
        Ok(Some(number)) => format!("{base}&called={number}"),
        Ok(None) => format!("{base}&problem=nobody"),
        Err(e) => {
            tracing::error!(error = %e, "call next failed");
            format!("{base}&problem=unavailable")
        }
    }
}
