//! 代办 on the wire: the agent's page (`/agent`: ask a resident for consent, see every consent asked), the
//! resident's page (`/my/consents`, 我的授权: approve, decline, revoke) and their forms. Every form answers with a
//! redirect (post/redirect/get): `?done=` for a change made, `?problem=` or `e_<field>=` codes for a mistake,
//! with what was typed except the resident's ID number and mobile number (never put in an address).

// The request form has one argument per field (three checkboxes among them); `#[server]` generates the browser's
// copy of the function too, which an item-level allow does not reach.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::catalog::Named;
use crate::domain::consent::{ConsentStatus, Scope};

/// A resident an agent may file for (on the check page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsentChoice {
    pub id: i64,
    pub resident_name: String,
    pub resident_id_masked: String,
    /// ISO date, inclusive.
    pub valid_until: String,
}

/// One line of a consent's audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsentAuditLine {
    /// `2026-11-26 02:40:12 UTC`
    pub at: String,
    pub who: String,
    /// requested | approved | declined | revoked
    pub action: String,
}

/// A consent as either side sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsentLine {
    pub id: i64,
    pub agent_name: String,
    pub resident_name: String,
    pub resident_id_masked: String,
    pub theme: Named,
    pub scopes: Vec<Scope>,
    /// ISO date, inclusive.
    pub valid_until: String,
    pub status: ConsentStatus,
    /// Approved but past its last day.
    pub expired: bool,
    pub audit: Vec<ConsentAuditLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgentView {
    /// The themes an agent may ask consent for.
    pub themes: Vec<Named>,
    pub consents: Vec<ConsentLine>,
    /// ISO: today, and the default last day of a new consent.
    pub today: String,
    pub default_until: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ConsentPage<T> {
    Ready(T),
    SignIn,
    /// Signed in with a role this page is not for.
    Forbidden,
}

#[cfg(feature = "ssr")]
fn internal(e: impl std::fmt::Display) -> ServerFnError {
    tracing::error!(error = %e, "consent request failed");
    ServerFnError::new("server_error")
}

#[server(endpoint = "consent/agent")]
pub async fn get_agent_page() -> Result<ConsentPage<AgentView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::consent_views::agent_page(&state, user)
        .await
        .map_err(internal)
}

#[server(endpoint = "consent/mine")]
pub async fn get_my_consents() -> Result<ConsentPage<Vec<ConsentLine>>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::consent_views::resident_page(&state, user)
        .await
        .map_err(internal)
}

/// The agent asks a resident for consent (the resident confirms it in 我的授权).
#[server(endpoint = "consent/request")]
pub async fn request_consent(
    #[server(default)] resident_id: String,
    #[server(default)] resident_name: String,
    #[server(default)] resident_mobile: String,
    #[server(default)] theme: String,
    #[server(default)] scope_file: Option<String>,
    #[server(default)] scope_follow: Option<String>,
    #[server(default)] scope_corrections: Option<String>,
    #[server(default)] valid_until: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    let address = crate::server::application::client_address().await;
    let scopes = [
        (Scope::File, scope_file),
        (Scope::Follow, scope_follow),
        (Scope::Corrections, scope_corrections),
    ]
    .into_iter()
    .filter(|(_, on)| on.is_some())
    .map(|(s, _)| s.code().to_owned())
    .collect();
    let form = crate::domain::consent::RequestForm {
        resident_id,
        resident_name,
        resident_mobile,
        theme,
        scopes,
        valid_until,
    };
    let to = crate::server::consent_views::request(&state, user, form, address.as_deref())
        .await
        .map_err(internal)?;
    leptos_axum::redirect(&to);
    Ok(())
}

/// The resident approves, declines or revokes a consent (`decision`: approve | decline | revoke).
#[server(endpoint = "consent/decide")]
pub async fn decide_consent(
    consent: String,
    decision: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    let address = crate::server::application::client_address().await;
    let to =
        crate::server::consent_views::decide(&state, user, &consent, &decision, address.as_deref())
            .await
            .map_err(internal)?;
    leptos_axum::redirect(&to);
    Ok(())
}
