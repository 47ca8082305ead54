//! Progress lookup without an account (进度查询): the case number and the 查询码 printed on the receipt open a
//! progress-only view through a short-lived signed pass (why a pass: see `api/track.rs`). Wrong attempts are
//! throttled per case number and per client address ([`login_throttle::TRACK`], shared by every instance).
//! Also the notifications list in the reader's language.

use super::case_views::{action_label, status_label};
use super::cases;
use super::db::{Db, DbError};
use super::login_throttle::TRACK;
use super::notifications;
use super::signing::Signer;
use super::state::AppState;
use crate::api::account::encode_component;
use crate::api::catalog::Named;
use crate::api::track::{
    NotificationView, TrackEvent, TrackPage, TrackProblem, TrackTask, TrackView,
};
use crate::domain::notify::{Change, Notice};
use crate::domain::text::{Lang, Text};
use crate::domain::track::{
    codes_match, normalise_code, normalise_number, parse_pass, pass_message, retry_at, PASS_SECONDS,
};
use crate::domain::Catalog;

const PURPOSE: &str = "track";
/// Compared against when the number names no case, so a wrong number costs the same work as a wrong code.
const NO_CODE: &str = "--------";

/// How a lookup ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The pass to `/track/{pass}`.
    Pass(String),
    Missing,
    /// Wrong number or wrong code (the caller must not say which).
    Wrong,
    /// Too many wrong attempts: seconds to wait.
    Throttled(i64),
}

/// Checks a number and a code typed by anyone, at `now` (Unix seconds), from `address`.
pub async fn lookup(
    db: &Db,
    signer: &Signer,
    number: &str,
    code: &str,
    address: &str,
    now: i64,
) -> Result<Lookup, DbError> {
    let (number, code) = (normalise_number(number), normalise_code(code));
    if number.is_empty() || code.is_empty() {
        return Ok(Lookup::Missing);
    }
    // Bounded, so a pasted essay is not stored as a throttle key.
    let key: String = number.chars().take(40).collect();
    if let Some(wait) = TRACK.retry_after(db, &key, address, now).await? {
        tracing::warn!(address, "progress lookup throttled");
        return Ok(Lookup::Throttled(wait));
    }
    let case = cases::by_number(db, &number).await?;
    let stored = case.as_ref().map_or(NO_CODE, |c| c.lookup_code.as_str());
    if case.is_some() && codes_match(&code, stored) {
        TRACK.clear_key(db, &key).await?;
        return Ok(Lookup::Pass(pass(signer, &number, now + PASS_SECONDS)));
    }
    // Neither the number nor the code is logged: the record of a guess must not help the next guess.
    tracing::warn!(address, "wrong progress lookup");
    TRACK.record_failure(db, &key, address, now).await?;
    Ok(Lookup::Wrong)
}

/// A pass for `number` that expires at `expires`.
pub fn pass(signer: &Signer, number: &str, expires: i64) -> String {
    let message = pass_message(number, expires);
    let signature = signer.sign(PURPOSE, &message);
    format!("{message}.{signature}")
}

/// The case number a pass opens, if it is ours and still valid at `now`.
pub fn open_pass(signer: &Signer, pass: &str, now: i64) -> Option<String> {
    let (number, expires, signature) = parse_pass(pass)?;
    (expires > now && signer.verify(PURPOSE, &pass_message(number, expires), signature))
        .then(|| number.to_owned())
}

/// The form's post: where to go next.
pub async fn lookup_and_redirect(number: &str, code: &str) -> String {
    let back = |problem: TrackProblem, extra: &str| {
        format!(
            "/track?problem={}{extra}&number={}",
            problem.code(),
            encode_component(
                normalise_number(number)
                    .chars()
                    .take(40)
                    .collect::<String>()
                    .as_str()
            )
        )
    };
    let Some(state) = leptos::prelude::use_context::<AppState>() else {
        return back(TrackProblem::Unavailable, "");
    };
    let address = super::application::client_address()
        .await
        .unwrap_or_else(|| "unknown".into());
    let now = super::session::now();
    match lookup(&state.db, &state.signer, number, code, &address, now).await {
        Ok(Lookup::Pass(pass)) => format!("/track/{pass}"),
        Ok(Lookup::Missing) => back(TrackProblem::Missing, ""),
        Ok(Lookup::Wrong) => back(TrackProblem::Wrong, ""),
        Ok(Lookup::Throttled(wait)) => back(
            TrackProblem::Throttled,
            &format!("&until={}", encode_component(&retry_at(now, wait))),
        ),
        Err(e) => {
            tracing::error!(error = %e, "progress lookup failed");
            back(TrackProblem::Unavailable, "")
        }
    }
}

pub async fn view(state: &AppState, pass: &str, lang: Lang) -> Result<TrackPage, DbError> {
    progress(
        &state.db,
        &state.catalog,
        &state.signer,
        pass,
        lang,
        super::session::now(),
    )
    .await
}

/// The progress a pass opens: the theme, the case status, each step's status and due dates, and the dates of the
/// history with the status each entry moved to. Nothing personal: no names, form values, reasons or materials.
pub async fn progress(
    db: &Db,
    catalog: &Catalog,
    signer: &Signer,
    pass: &str,
    lang: Lang,
    now: i64,
) -> Result<TrackPage, DbError> {
    let Some(number) = open_pass(signer, pass, now) else {
        return Ok(TrackPage::Expired);
    };
    let Some(mut case) = cases::by_number(db, &number).await? else {
        return Ok(TrackPage::Expired);
    };
    let today = super::clock::today(db).await;
    if super::case_actions::deem_if_due(db, catalog, &case, today).await? {
        case = cases::by_number(db, &number).await?.unwrap_or(case);
    }
    let tasks = cases::tasks(db, case.id).await?;
    let events = cases::events(db, case.id).await?;
    let calendar = catalog.calendar();
    let named = |id: &str, name: Option<&Text>| Named {
        id: id.to_owned(),
        name: name.cloned().unwrap_or_else(|| Text::zh(id)),
    };
    let track_tasks = tasks
        .iter()
        .map(|row| {
            let t = &row.task;
            let started = t.clock.started_on.is_some();
            TrackTask {
                number: row.position,
                item: named(&t.item, catalog.item(&t.item).map(|i| &i.name)),
                department: named(
                    &t.department,
                    catalog.department(&t.department).map(|d| &d.name),
                ),
                status: t.status(),
                clock: t.warning(today, calendar),
                planned_due: row.planned_due.clone(),
                committed_due: started
                    .then(|| t.committed_due(calendar).map(|d| d.to_string()))
                    .flatten(),
                statutory_due: started
                    .then(|| t.statutory_due(calendar).map(|d| d.to_string()))
                    .flatten(),
            }
        })
        .collect();
    let history = events
        .into_iter()
        .map(|e| {
            let task = e.task_id.is_some();
            TrackEvent {
                at: e.at,
                task: e
                    .task_id
                    .and_then(|id| tasks.iter().find(|t| t.id == id).map(|t| t.position)),
                to_status: status_label(&e.to_status, task, lang),
            }
        })
        .collect();
    Ok(TrackPage::Ready(Box::new(TrackView {
        number: case.number,
        theme: named(
            &case.theme_id,
            catalog.theme(&case.theme_id).map(|t| &t.name),
        ),
        status: case.state.status(),
        submitted_on: case.submitted_at.chars().take(10).collect(),
        tasks: track_tasks,
        history,
    })))
}

/// An account's notifications in `lang`, newest first.
pub async fn notifications_of(
    state: &AppState,
    account_id: i64,
    lang: Lang,
) -> Result<Vec<NotificationView>, DbError> {
    let rows = notifications::list(&state.db, account_id, 100).await?;
    Ok(rows
        .into_iter()
        .map(|row| NotificationView {
            text: crate::domain::feedback::notification_text(&row.code, lang)
                .map(str::to_owned)
                .or_else(|| {
                    Notice::from_json(&row.params).map(|n| notice_text(&state.catalog, &n, lang))
                })
                .unwrap_or_else(|| row.code.clone()),
            link: row.link,
            case_number: row.case_number,
            at: row.created_at,
            read: row.read,
        })
        .collect())
}

/// A notice in words, in `lang`: the catalog names the items, the state machines name actions and statuses.
pub fn notice_text(catalog: &Catalog, notice: &Notice, lang: Lang) -> String {
    let item_name = |id: &str| {
        catalog
            .item(id)
            .map_or_else(|| id.to_owned(), |i| i.name.get(lang).0.to_owned())
    };
    let then: Vec<(String, String)> = notice
        .follow_ups
        .iter()
        .map(|m| (item_name(&m.item), status_label(&m.to, true, lang)))
        .collect();
    let words = match &notice.change {
        Change::Submitted => crate::i18n::track::NoticeWords::Submitted,
        Change::Case { action, to } => crate::i18n::track::NoticeWords::Case {
            action: action_label(action, false, lang),
            status: status_label(to, false, lang),
        },
        Change::Task { item, action, to } => crate::i18n::track::NoticeWords::Task {
            item: item_name(item),
            action: action_label(action, true, lang),
            status: status_label(to, true, lang),
        },
    };
    crate::i18n::track::notice_text(&notice.case_number, &words, &then, lang)
}
