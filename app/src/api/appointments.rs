//! 预约取号 on the wire: the booking page (centre → date → time), the confirmation, 我的预约, and the staff's list of
//! the day with 叫号. Every action is a plain form answered with a redirect (post/redirect/get); a refusal goes back
//! to the page it came from with `?problem=<code>` (see `domain::appointment::BookingProblem`) and nothing changed.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::catalog::Named;
use crate::domain::appointment::AppointmentStatus;
use crate::domain::text::{Lang, Text};

/// What the appointment is for, as the booking page's query says (`?item=` or `?case=`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Purpose {
    Item(String),
    Case(String),
}

impl Purpose {
    /// The query string naming it (`item=…` or `case=…`).
    pub fn query(&self) -> String {
        match self {
            Purpose::Item(id) => format!("item={}", urlencoding(id)),
            Purpose::Case(n) => format!("case={}", urlencoding(n)),
        }
    }
}

/// Ids and case numbers are `[A-Za-z0-9-]`; anything else is percent-encoded so a crafted value stays one value.
fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The booking page's query, as read by the page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BookingQuery {
    pub item: Option<String>,
    pub case: Option<String>,
    pub centre: Option<String>,
    pub date: Option<String>,
    /// The appointment being changed (改约).
    pub change: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BookingPage {
    pub purpose: Purpose,
    /// The item's name, or the case's theme.
    pub purpose_name: Text,
    pub case_number: Option<String>,
    pub centres: Vec<Named>,
    pub centre: Option<CentreInfo>,
    /// ISO dates that have an open slot.
    pub dates: Vec<String>,
    pub date: Option<String>,
    pub slots: Vec<SlotChoice>,
    pub change: Option<AppointmentView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CentreInfo {
    pub id: String,
    pub name: Text,
    pub address: Option<Text>,
    pub hours: Option<Text>,
    pub window: String,
    pub window_name: Text,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlotChoice {
    /// `HH:MM`.
    pub start: String,
    pub end: String,
    pub free: u16,
}

/// Why the booking page cannot be shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum BookingAnswer {
    Ready(Box<BookingPage>),
    SignIn,
    /// Staff accounts do not book.
    Staff,
    /// The item or case is unknown, not the user's, or not served at any centre.
    NotFound,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppointmentView {
    pub id: i64,
    pub queue_number: String,
    pub status: AppointmentStatus,
    pub centre: Named,
    pub address: Option<Text>,
    pub window: String,
    pub window_name: Text,
    /// ISO date.
    pub date: String,
    pub start: String,
    pub end: String,
    pub item: Named,
    pub case_number: Option<String>,
    /// Catalog materials to bring (the page adds the ID card and, for a case, the receipt).
    pub bring: Vec<Text>,
    /// Still booked and not started: may be changed or cancelled.
    pub changeable: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AppointmentAnswer {
    Ready(Box<AppointmentView>),
    SignIn,
    NotFound,
}

/// The staff's list of the day for one centre.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TodayView {
    pub centres: Vec<Named>,
    pub centre: Named,
    /// ISO date (today on the hall's clock).
    pub date: String,
    pub windows: Vec<WindowToday>,
    pub rows: Vec<TodayRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WindowToday {
    pub letter: String,
    pub name: Text,
    pub may_call: bool,
    /// The number called last today.
    pub current: Option<String>,
    pub waiting: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TodayRow {
    pub queue_number: String,
    pub window: String,
    pub start: String,
    pub end: String,
    pub item: Named,
    pub case_number: Option<String>,
    pub status: AppointmentStatus,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TodayAnswer {
    Ready(Box<TodayView>),
    SignIn,
    Forbidden,
    /// No centre takes appointments that this account may see.
    NoCentre,
}

#[cfg(feature = "ssr")]
fn server_error(e: impl std::fmt::Display) -> ServerFnError {
    tracing::error!(error = %e, "appointments failed");
    ServerFnError::new("server_error")
}

#[server(endpoint = "appointments/booking")]
pub async fn get_booking(query: BookingQuery, lang: Lang) -> Result<BookingAnswer, ServerFnError> {
    let _ = lang;
    // Before any await: a render that ends first takes the context with it.
    let state = expect_context::<crate::server::state::AppState>();
    let Some(user) = crate::server::session::current_user().await? else {
        return Ok(BookingAnswer::SignIn);
    };
    crate::server::appointments::booking_page(&state, &user, &query)
        .await
        .map_err(server_error)
}

/// 确认预约 / 确认改约: books the slot (or moves the appointment `change` to it) and goes to the confirmation.
#[server(endpoint = "appointments/book")]
pub async fn book_appointment(
    item: Option<String>,
    case: Option<String>,
    centre: String,
    date: String,
    start: Option<String>,
    change: Option<i64>,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let query = BookingQuery {
        item,
        case,
        centre: Some(centre),
        date: Some(date),
        change,
    };
    let to = crate::server::appointments::book_and_redirect(&query, start.as_deref()).await;
    leptos_axum::redirect(&to);
    Ok(())
}

#[server(endpoint = "appointments/cancel")]
pub async fn cancel_appointment(
    id: i64,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let to = crate::server::appointments::cancel_and_redirect(id).await;
    leptos_axum::redirect(&to);
    Ok(())
}

#[server(endpoint = "appointments/view")]
pub async fn get_appointment(id: i64) -> Result<AppointmentAnswer, ServerFnError> {
    // Before any await: a render that ends first takes the context with it.
    let state = expect_context::<crate::server::state::AppState>();
    let Some(user) = crate::server::session::current_user().await? else {
        return Ok(AppointmentAnswer::SignIn);
    };
    crate::server::appointments::appointment_of(&state, &user, id)
        .await
        .map(|a| match a {
            Some(a) => AppointmentAnswer::Ready(Box::new(a)),
            None => AppointmentAnswer::NotFound,
        })
        .map_err(server_error)
}

/// 我的预约, newest day first; `None` when nobody is signed in.
#[server(endpoint = "appointments/mine")]
pub async fn get_my_appointments() -> Result<Option<Vec<AppointmentView>>, ServerFnError> {
    // Before any await: a render that ends first takes the context with it.
    let state = expect_context::<crate::server::state::AppState>();
    let Some(user) = crate::server::session::current_user().await? else {
        return Ok(None);
    };
    crate::server::appointments::mine(&state, &user)
        .await
        .map(Some)
        .map_err(server_error)
}

#[server(endpoint = "appointments/today")]
pub async fn get_today(centre: Option<String>) -> Result<TodayAnswer, ServerFnError> {
    // Before any await: a render that ends first takes the context with it.
    let state = expect_context::<crate::server::state::AppState>();
    let Some(user) = crate::server::session::current_user().await? else {
        return Ok(TodayAnswer::SignIn);
    };
    crate::server::appointments::today_view(&state, &user, centre.as_deref())
        .await
        .map_err(server_error)
}

/// 叫号: marks the window's next waiting number called and shows it.
#[server(endpoint = "appointments/call")]
pub async fn call_next(
    centre: String,
    window: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let to = crate::server::appointments::call_and_redirect(&centre, &window).await;
    leptos_axum::redirect(&to);
    Ok(())
}
