//! Progress lookup without an account (进度查询) and the signed-in user's notifications, on the wire.
//!
//! The lookup form posts the case number and the 查询码 to [`track_lookup`], which answers with a redirect
//! (post/redirect/get, so it works with JavaScript off). On success it redirects to `/track/{pass}`: a pass signed
//! with the instance-shared HMAC key that names the case and expires after 30 minutes. We chose a signed pass over
//! a GET form because a GET form would put the lookup code in the URL — in access logs, browser history and the
//! Referer — for as long as the case lives; the pass in the URL does not contain the code, opens only this
//! progress view and dies in half an hour. It is signed rather than stored so no table fills with one row per
//! lookup, and every instance can check it. A mistake redirects back to `/track?problem=…` with the number typed
//! (never the code).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::catalog::Named;
use crate::domain::case_flow::{CaseStatus, ClockStatus, TaskStatus};
use crate::domain::text::Lang;

/// Why a lookup went back to the form (`?problem=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrackProblem {
    /// Wrong number or wrong code: one message for both.
    Wrong,
    Missing,
    /// Too many wrong attempts; `?until=HH:MM` says when to try again.
    Throttled,
    /// The pass expired or was altered: look up again.
    Expired,
    Unavailable,
}

impl TrackProblem {
    pub const ALL: [TrackProblem; 5] = [
        TrackProblem::Wrong,
        TrackProblem::Missing,
        TrackProblem::Throttled,
        TrackProblem::Expired,
        TrackProblem::Unavailable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TrackProblem::Wrong => "wrong",
            TrackProblem::Missing => "missing",
            TrackProblem::Throttled => "throttled",
            TrackProblem::Expired => "expired",
            TrackProblem::Unavailable => "unavailable",
        }
    }

    pub fn from_code(code: &str) -> Option<TrackProblem> {
        TrackProblem::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Only progress: no names, form values, materials, notices or reasons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackView {
    pub number: String,
    pub theme: Named,
    pub status: CaseStatus,
    /// ISO date of submission.
    pub submitted_on: String,
    pub tasks: Vec<TrackTask>,
    pub history: Vec<TrackEvent>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackTask {
    /// The step's number on the roadmap.
    pub number: i64,
    pub item: Named,
    pub department: Named,
    pub status: TaskStatus,
    pub clock: ClockStatus,
    /// ISO dates.
    pub planned_due: Option<String>,
    pub committed_due: Option<String>,
    pub statutory_due: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackEvent {
    /// ISO date-time.
    pub at: String,
    pub task: Option<i64>,
    /// The status it moved to, in words.
    pub to_status: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TrackPage {
    Ready(Box<TrackView>),
    /// The pass expired, was altered or names no case: look up again.
    Expired,
}

#[server(endpoint = "track/lookup")]
pub async fn track_lookup(number: String, code: String) -> Result<(), ServerFnError> {
    let to = crate::server::track::lookup_and_redirect(&number, &code).await;
    leptos_axum::redirect(&to);
    Ok(())
}

#[server(endpoint = "track/view")]
pub async fn get_track(pass: String, lang: Lang) -> Result<TrackPage, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    crate::server::track::view(&state, &pass, lang)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "progress lookup failed");
            ServerFnError::new("server_error")
        })
}

/// One notification as its reader sees it: built from its code and parameters in the reader's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotificationView {
    /// Empty for a notification that belongs to no case (then `link` says where it leads).
    pub case_number: String,
    pub link: Option<String>,
    pub text: String,
    /// ISO date-time.
    pub at: String,
    pub read: bool,
}

/// The signed-in user's notifications, newest first; `None` when nobody is signed in.
#[server(endpoint = "notifications/list")]
pub async fn get_notifications(lang: Lang) -> Result<Option<Vec<NotificationView>>, ServerFnError> {
    // Before any await: a render that ends first takes the context with it.
    let state = expect_context::<crate::server::state::AppState>();
    let Some(user) = crate::server::session::current_user().await? else {
        return Ok(None);
    };
    crate::server::track::notifications_of(&state, user.account_id, lang)
        .await
        .map(Some)
        .map_err(|e| {
            tracing::error!(error = %e, "notifications failed");
            ServerFnError::new("server_error")
        })
}

/// How many notifications the signed-in user has not read (0 when nobody is signed in).
#[server(endpoint = "notifications/unread")]
pub async fn get_unread_count() -> Result<i64, ServerFnError> {
    // Before any await: a render that ends first takes the context with it.
    let state = expect_context::<crate::server::state::AppState>();
    let Some(user) = crate::server::session::current_user().await? else {
        return Ok(0);
    };
    crate::server::notifications::unread_count(&state.db, user.account_id)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "unread count failed");
            ServerFnError::new("server_error")
        })
}

#[server(endpoint = "notifications/read")]
pub async fn mark_notifications_read(#[server(default)] idem: String) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
                  // Before any await: a render that ends first takes the context with it.
    let state = expect_context::<crate::server::state::AppState>();
    let Some(user) = crate::server::session::current_user().await? else {
        leptos_axum::redirect(&crate::api::account::login_path("/notifications"));
        return Ok(());
    };
    let at = crate::server::drafts::stamp(crate::server::drafts::now());
    match crate::server::notifications::mark_all_read(&state.db, user.account_id, &at).await {
        Ok(_) => leptos_axum::redirect("/notifications?done=read"),
        Err(e) => {
            tracing::error!(error = %e, "mark read failed");
            leptos_axum::redirect("/notifications?problem=unavailable");
        }
    }
    Ok(())
}
