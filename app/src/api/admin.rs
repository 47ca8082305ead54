//! Administration on the wire (管理, admin role only): the account list and page, the new-account form, API
//! tokens, and one server function per form. Every form answers with a redirect (post/redirect/get): `?done=`
//! for a change made, `?problem=` or `e_<field>=` codes with what was typed (never a password) for a mistake.
//! A secret (a generated password, a new token) travels to the next page once, in a short-lived cookie, never
//! in a URL.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::catalog::Named;
use crate::api::work::StaffPage;
use crate::domain::Role;

/// One account in the administrators' list and on its page; personal numbers masked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminAccount {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    /// `None`: a role this build does not know (shown as stored).
    pub role: Option<Role>,
    pub role_code: String,
    pub department: Option<Named>,
    pub mobile_masked: Option<String>,
    pub resident_id_masked: Option<String>,
    pub disabled: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountListView {
    pub rows: Vec<AdminAccount>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub role: Option<Role>,
    pub q: String,
}

/// One line of an account's audit: when (UTC), who, what, from where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    /// `2026-11-26 02:40:12 UTC`
    pub at: String,
    pub who: String,
    pub action: String,
    pub detail: Option<String>,
    pub address: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountPageView {
    pub account: AdminAccount,
    /// The administrator is looking at their own account.
    pub is_self: bool,
    pub created_at: String,
    pub sessions: i64,
    pub departments: Vec<Named>,
    pub audit: Vec<AuditLine>,
    /// A password just generated for this account, shown this once.
    pub new_password: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewAccountView {
    pub departments: Vec<Named>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenLine {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub department: Named,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokensView {
    pub departments: Vec<Named>,
    pub tokens: Vec<TokenLine>,
    /// A token just created: its id and secret, shown this once.
    pub new_token: Option<(i64, String)>,
}

#[cfg(feature = "ssr")]
fn internal(e: impl std::fmt::Display) -> ServerFnError {
    tracing::error!(error = %e, "admin request failed");
    ServerFnError::new("server_error")
}

#[server(endpoint = "admin/home")]
pub async fn get_admin_home() -> Result<StaffPage<()>, ServerFnError> {
    let user = crate::server::session::current_user().await?;
    Ok(crate::server::admin_views::gated(user, |_| ()))
}

#[server(endpoint = "admin/accounts")]
pub async fn get_admin_accounts(
    role: String,
    q: String,
    page: String,
) -> Result<StaffPage<AccountListView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::admin_views::accounts(&state, user, &role, &q, &page)
        .await
        .map_err(internal)
}

#[server(endpoint = "admin/account")]
pub async fn get_admin_account(id: String) -> Result<StaffPage<AccountPageView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::admin_views::account_page(&state, user, &id)
        .await
        .map_err(internal)
}

#[server(endpoint = "admin/new-account")]
pub async fn get_new_account() -> Result<StaffPage<NewAccountView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    Ok(crate::server::admin_views::gated(user, |_| {
        NewAccountView {
            departments: crate::server::admin_views::departments(&state),
        }
    }))
}

#[server(endpoint = "admin/tokens")]
pub async fn get_admin_tokens() -> Result<StaffPage<TokensView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::admin_views::tokens(&state, user)
        .await
        .map_err(internal)
}

#[server(endpoint = "admin/create-account")]
pub async fn create_account(
    login: String,
    display_name: String,
    #[server(default)] role: String,
    #[server(default)] department: String,
    #[server(default)] password: String,
    #[server(default)] password_confirm: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let form = crate::domain::admin::NewStaffForm {
        login,
        display_name,
        role,
        department,
        password,
        password_confirm,
    };
    let to = crate::server::admin_views::create_account(form).await;
    leptos_axum::redirect(&crate::server::admin_views::fresh(&to));
    Ok(())
}

#[server(endpoint = "admin/assign")]
pub async fn assign_account(
    id: String,
    #[server(default)] role: String,
    #[server(default)] department: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let to = crate::server::admin_views::assign(&id, &role, &department).await;
    leptos_axum::redirect(&crate::server::admin_views::fresh(&to));
    Ok(())
}

#[server(endpoint = "admin/disable")]
pub async fn set_account_disabled(
    id: String,
    disable: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let to = crate::server::admin_views::set_disabled(&id, disable == "1").await;
    leptos_axum::redirect(&crate::server::admin_views::fresh(&to));
    Ok(())
}

#[server(endpoint = "admin/password")]
pub async fn reset_account_password(
    id: String,
    #[server(default)] password: String,
    #[server(default)] password_confirm: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let to = crate::server::admin_views::reset_password(&id, &password, &password_confirm).await;
    leptos_axum::redirect(&crate::server::admin_views::fresh(&to));
    Ok(())
}

#[server(endpoint = "admin/create-token")]
pub async fn create_api_token(
    #[server(default)] name: String,
    #[server(default)] department: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let to = crate::server::admin_views::create_token(&name, &department).await;
    leptos_axum::redirect(&crate::server::admin_views::fresh(&to));
    Ok(())
}

#[server(endpoint = "admin/revoke-token")]
pub async fn revoke_api_token(
    id: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let to = crate::server::admin_views::revoke_token(&id).await;
    leptos_axum::redirect(&crate::server::admin_views::fresh(&to));
    Ok(())
}
