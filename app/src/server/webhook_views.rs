//! The administrators' webhook page (`/admin/webhooks`): the view, and the forms' services (each answers with
//! where to go: `?done=`, or `e_department=`/`e_url=` codes with what was typed).

use super::admin_views::{admin_actor, failed, gated, named_department, show_once, take_once, utc};
use super::db::DbError;
use super::state::AppState;
use super::webhooks;
use crate::api::account::{encode_component, SessionUser};
use crate::api::webhooks::{DeliveryLine, WebhookLine, WebhooksView};
use crate::api::work::StaffPage;
use crate::domain::webhook::WebhookUrl;

const BACK: &str = "/admin/webhooks";
/// The delivery log's length on the page.
const LOG_LINES: i64 = 50;

pub async fn page(
    state: &AppState,
    user: Option<SessionUser>,
) -> Result<StaffPage<WebhooksView>, DbError> {
    match super::admin_views::gate(user.clone()) {
        StaffPage::Ready(_) => {}
        StaffPage::SignIn => return Ok(StaffPage::SignIn),
        StaffPage::Forbidden => return Ok(StaffPage::Forbidden),
        StaffPage::NotFound => return Ok(StaffPage::NotFound),
    }
    let webhooks = webhooks::list_webhooks(&state.db)
        .await?
        .into_iter()
        .map(|w| WebhookLine {
            department: named_department(state, &w.department),
            url: w.url,
            updated_at: utc(w.updated_at),
        })
        .collect();
    let deliveries = webhooks::deliveries(&state.db, "", LOG_LINES)
        .await?
        .into_iter()
        .map(|d| DeliveryLine {
            id: d.id,
            state: d.state().to_owned(),
            next_attempt_at: (d.state() == "pending").then(|| utc(d.next_attempt_at)),
            delivery_id: d.delivery_id,
            department: named_department(state, &d.department),
            case_number: d.case_number,
            created_at: utc(d.created_at),
            attempts: d.attempts,
            last_status: d.last_status,
            last_error: d.last_error,
        })
        .collect();
    Ok(gated(user, |_| WebhooksView {
        departments: super::admin_views::departments(state),
        webhooks,
        deliveries,
        new_secret: take_once("wh", None).map(|(_, secret)| secret),
    }))
}

pub async fn set(department: &str, url: &str) -> String {
    let (state, actor) = match admin_actor(BACK).await {
        Ok(x) => x,
        Err(to) => return to,
    };
    let department = department.trim();
    let mut to = format!(
        "{BACK}?department={}&url={}",
        encode_component(department),
        encode_component(url.trim())
    );
    let mut wrong = false;
    if department.is_empty() {
        to.push_str("&e_department=department_missing");
        wrong = true;
    } else if state.catalog.department(department).is_none() {
        to.push_str("&e_department=department_unknown");
        wrong = true;
    }
    let parsed = WebhookUrl::parse(url);
    if let Err(p) = &parsed {
        to.push_str(&format!("&e_url={}", p.code()));
        wrong = true;
    }
    let Ok(parsed) = parsed.as_ref() else {
        return to;
    };
    if wrong {
        return to;
    }
    match webhooks::set_webhook(
        &state.db,
        &actor,
        department,
        parsed,
        url,
        super::session::now(),
    )
    .await
    {
        Ok(secret) => {
            tracing::info!(department, by = actor.id, "webhook receiver set");
            show_once("wh", 0, &secret);
            format!("{BACK}?done=set")
        }
        Err(e) => failed(e, BACK),
    }
}

pub async fn remove(department: &str) -> String {
    let (state, actor) = match admin_actor(BACK).await {
        Ok(x) => x,
        Err(to) => return to,
    };
    match webhooks::remove_webhook(&state.db, &actor, department.trim(), super::session::now())
        .await
    {
        Ok(true) => {
            tracing::info!(department, by = actor.id, "webhook receiver removed");
            format!("{BACK}?done=removed")
        }
        Ok(false) => BACK.to_owned(),
        Err(e) => failed(e, BACK),
    }
}
