//! The administrators' webhook page on the wire (`/admin/webhooks`, admin role only): each department's receiver,
//! the delivery log, and a server function per form (post/redirect/get; a new secret reaches the next page once,
//! in the short-lived cookie the token page uses).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::catalog::Named;
use crate::api::work::StaffPage;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhookLine {
    pub department: Named,
    pub url: String,
    pub updated_at: String,
}

/// One line of the delivery log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeliveryLine {
    pub id: i64,
    pub delivery_id: String,
    pub department: Named,
    pub case_number: String,
    pub created_at: String,
    /// `delivered`, `failed` or `pending`.
    pub state: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    /// While pending.
    pub next_attempt_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhooksView {
    pub departments: Vec<Named>,
    pub webhooks: Vec<WebhookLine>,
    pub deliveries: Vec<DeliveryLine>,
    /// A secret just made, shown this once.
    pub new_secret: Option<String>,
}

#[server(endpoint = "admin/webhooks")]
pub async fn get_admin_webhooks() -> Result<StaffPage<WebhooksView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::webhook_views::page(&state, user)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "webhook page failed");
            ServerFnError::new("server_error")
        })
}

#[server(endpoint = "admin/set-webhook")]
pub async fn set_dept_webhook(
    #[server(default)] department: String,
    #[server(default)] url: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let to = crate::server::webhook_views::set(&department, &url).await;
    leptos_axum::redirect(&crate::server::admin_views::fresh(&to));
    Ok(())
}

#[server(endpoint = "admin/remove-webhook")]
pub async fn remove_dept_webhook(
    #[server(default)] department: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let to = crate::server::webhook_views::remove(&department).await;
    leptos_axum::redirect(&crate::server::admin_views::fresh(&to));
    Ok(())
}
