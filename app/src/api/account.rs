//! Accounts and sessions on the wire: who is signed in, and the sign-in, registration and sign-out actions.
//!
//! Every action answers with a redirect (post/redirect/get), so the forms work with JavaScript off: a user's
//! mistake goes back to the form with a short code and what was typed (never the password) in the query, never
//! as an `Err` (which would land on the Referer as `?__err=`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::Role;

/// The signed-in account, as pages and server functions see it. Nothing secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub account_id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// The department a window officer works for (`officer` only), by catalog id.
    pub department: Option<String>,
}

/// What the `/account` page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub user: SessionUser,
    pub department_name: Option<crate::domain::Text>,
}

/// Why a sign-in went back to the form (`?error=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginProblem {
    /// Unknown account or wrong password: the same words for both, so nobody learns which accounts exist.
    Wrong,
    Missing,
    /// Too many failures; `?retry=` carries the minutes to wait.
    Throttled,
    /// The right password, but an administrator has disabled the account.
    Disabled,
    /// The database failed: not the user's fault.
    Unavailable,
}

impl LoginProblem {
    pub fn code(self) -> &'static str {
        match self {
            LoginProblem::Wrong => "wrong",
            LoginProblem::Missing => "missing",
            LoginProblem::Throttled => "throttled",
            LoginProblem::Disabled => "disabled",
            LoginProblem::Unavailable => "unavailable",
        }
    }

    pub fn from_code(code: &str) -> Option<LoginProblem> {
        [
            LoginProblem::Wrong,
            LoginProblem::Missing,
            LoginProblem::Throttled,
            LoginProblem::Disabled,
            LoginProblem::Unavailable,
        ]
        .into_iter()
        .find(|p| p.code() == code)
    }
}

/// A `next` value safe to redirect to after signing in: a same-site path, else `/`.
pub fn safe_next(next: &str) -> String {
    crate::prefs::safe_back_path(next.trim()).to_owned()
}

/// Percent-encodes a query component (RFC 3986 unreserved characters stay as they are).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The sign-in page that comes back to `next` afterwards.
pub fn login_path(next: &str) -> String {
    let next = safe_next(next);
    if next == "/" {
        "/login".to_owned()
    } else {
        format!("/login?next={}", encode_component(&next))
    }
}

#[server(endpoint = "account/me")]
pub async fn get_current_user() -> Result<Option<SessionUser>, ServerFnError> {
    crate::server::session::current_user().await
}

#[server(endpoint = "account/view")]
pub async fn get_account() -> Result<Option<AccountView>, ServerFnError> {
    // Before any await: a render that ends first takes the context with it.
    let state = expect_context::<crate::server::state::AppState>();
    let Some(user) = crate::server::session::current_user().await? else {
        return Ok(None);
    };
    let department_name = user
        .department
        .as_deref()
        .and_then(|id| state.catalog.department(id))
        .map(|d| d.name.clone());
    Ok(Some(AccountView {
        user,
        department_name,
    }))
}

#[server(endpoint = "account/login")]
pub async fn login(login: String, password: String, next: String) -> Result<(), ServerFnError> {
    let to = crate::server::session::sign_in(&login, &password, &next).await;
    leptos_axum::redirect(&to);
    Ok(())
}

#[server(endpoint = "account/register")]
pub async fn register(
    mobile: String,
    display_name: String,
    password: String,
    password_confirm: String,
    resident_id: String,
    next: String,
) -> Result<(), ServerFnError> {
    let form = crate::domain::registration::RegistrationForm {
        mobile,
        display_name,
        password,
        password_confirm,
        resident_id,
    };
    let to = crate::server::session::register_and_sign_in(form, &next).await;
    leptos_axum::redirect(&to);
    Ok(())
}

#[server(endpoint = "account/logout")]
pub async fn logout() -> Result<(), ServerFnError> {
    crate::server::session::sign_out(false).await?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "account/logout-everywhere")]
pub async fn logout_everywhere() -> Result<(), ServerFnError> {
    crate::server::session::sign_out(true).await?;
    leptos_axum::redirect("/login?notice=everywhere");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next("/account"), "/account");
        assert_eq!(safe_next("https://evil.example/"), "/");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(login_path("/account"), "/login?next=%2Faccount");
        assert_eq!(login_path("//evil"), "/login");
    }
}
