//! The administration pages' services: who may see them (the admin role), the wire views, and each form's
//! handling, which always ends in a redirect: `?done=` when the change was made, problem codes and what was typed
//! (never a password) when not. A secret to show once (a generated password, a new API token) goes to the next
//! page in the short-lived `__Host-hall_once` cookie, which that page reads and clears; it is never in a URL.

use http::header;
use http::request::Parts;
use leptos::prelude::*;

use super::admin::{self as repo, Actor};
use super::db::DbError;
use super::state::AppState;
use crate::api::account::{encode_component, SessionUser};
use crate::api::admin::{
    AccountListView, AccountPageView, AdminAccount, AuditLine, TokenLine, TokensView,
};
use crate::api::catalog::Named;
use crate::api::work::StaffPage;
use crate::domain::admin::{
    self as rules, check_assignment, check_password, check_token_name, validate_new_staff,
    AdminField, AdminProblem, NewStaffForm, PAGE_SIZE,
};
use crate::domain::{Role, Text};

const ONCE_COOKIE: &str = "__Host-hall_once";

/// The page for an administrator, or why not.
pub fn gate(user: Option<SessionUser>) -> StaffPage<SessionUser> {
    match user {
        None => StaffPage::SignIn,
        Some(u) if u.role == Role::Admin => StaffPage::Ready(u),
        Some(_) => {
            super::security_audit::mark_refused("admin");
            StaffPage::Forbidden
        }
    }
}

/// [`gate`], then `view` for an administrator.
pub fn gated<T>(user: Option<SessionUser>, view: impl FnOnce(SessionUser) -> T) -> StaffPage<T> {
    match gate(user) {
        StaffPage::Ready(u) => {
            no_store();
            StaffPage::Ready(view(u))
        }
        StaffPage::SignIn => StaffPage::SignIn,
        StaffPage::NotFound => StaffPage::NotFound,
        StaffPage::Forbidden => StaffPage::Forbidden,
    }
}

fn no_store() {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
}

fn set_cookie(value: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        response.append_header(header::SET_COOKIE, value);
    }
    no_store();
}

/// Hands a secret to the next page: `kind` (`pw`, `tk`) and the id it belongs to.
pub(crate) fn show_once(kind: &str, id: i64, secret: &str) {
    set_cookie(&format!(
        "{ONCE_COOKIE}={kind}.{id}.{secret}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=300"
    ));
}

/// The secret handed to this page, if it is for `kind` and `id`; clears it (it is shown once).
pub(crate) fn take_once(kind: &str, id: Option<i64>) -> Option<(i64, String)> {
    let parts = use_context::<Parts>()?;
    let value = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|h| h.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            (name.trim() == ONCE_COOKIE).then(|| value.trim().to_owned())
        })?;
    let mut it = value.splitn(3, '.');
    let (k, found, secret) = (it.next()?, it.next()?.parse::<i64>().ok()?, it.next()?);
    if k != kind || id.is_some_and(|id| id != found) || secret.is_empty() {
        return None;
    }
    set_cookie(&format!(
        "{ONCE_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0"
    ));
    Some((found, secret.to_owned()))
}

/// The catalog's departments, for the forms' choices.
pub fn departments(state: &AppState) -> Vec<Named> {
    state
        .catalog
        .departments()
        .iter()
        .map(|d| Named {
            id: d.id.clone(),
            name: d.name.clone(),
        })
        .collect()
}

pub(crate) fn named_department(state: &AppState, id: &str) -> Named {
    Named {
        id: id.to_owned(),
        name: state
            .catalog
            .department(id)
            .map_or_else(|| Text::zh(id), |d| d.name.clone()),
    }
}

fn department_ids(state: &AppState) -> Vec<&str> {
    state
        .catalog
        .departments()
        .iter()
        .map(|d| d.id.as_str())
        .collect()
}

/// `2026-11-26 02:40:12 UTC`
pub fn utc(at: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(at) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Err(_) => at.to_string(),
    }
}

fn wire_account(state: &AppState, row: &repo::AccountRow) -> AdminAccount {
    AdminAccount {
        id: row.id,
        login: row.login.clone(),
        display_name: row.display_name.clone(),
        role: Role::from_code(&row.role),
        role_code: row.role.clone(),
        department: row
            .department
            .as_deref()
            .map(|d| named_department(state, d)),
        mobile_masked: row.mobile.as_deref().map(rules::mask_mobile),
        resident_id_masked: row.resident_id.as_deref().map(rules::mask_resident_id),
        disabled: row.disabled_at.is_some(),
    }
}

pub async fn accounts(
    state: &AppState,
    user: Option<SessionUser>,
    role: &str,
    q: &str,
    page: &str,
) -> Result<StaffPage<AccountListView>, DbError> {
    match gate(user) {
        StaffPage::Ready(_) => {}
        StaffPage::SignIn => return Ok(StaffPage::SignIn),
        _ => return Ok(StaffPage::Forbidden),
    }
    no_store();
    let role = Role::from_code(role);
    let q: String = q.trim().chars().take(64).collect();
    let page = page.parse::<i64>().unwrap_or(1).max(1);
    let (rows, total) = repo::list_accounts(&state.db, role, &q, page).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    Ok(StaffPage::Ready(AccountListView {
        rows: rows.iter().map(|r| wire_account(state, r)).collect(),
        total,
        page,
        pages,
        role,
        q,
    }))
}

pub async fn account_page(
    state: &AppState,
    user: Option<SessionUser>,
    id: &str,
) -> Result<StaffPage<AccountPageView>, DbError> {
    let admin = match gate(user) {
        StaffPage::Ready(u) => u,
        StaffPage::SignIn => return Ok(StaffPage::SignIn),
        _ => return Ok(StaffPage::Forbidden),
    };
    no_store();
    let Ok(id) = id.parse::<i64>() else {
        return Ok(StaffPage::NotFound);
    };
    let Some(row) = repo::account(&state.db, id).await? else {
        return Ok(StaffPage::NotFound);
    };
    let audit = repo::account_audit(&state.db, id)
        .await?
        .into_iter()
        .map(|a| AuditLine {
            at: utc(a.at),
            who: a.actor_name,
            action: a.action,
            detail: a.detail,
            address: a.address,
        })
        .collect();
    Ok(StaffPage::Ready(AccountPageView {
        account: wire_account(state, &row),
        is_self: admin.account_id == id,
        created_at: row.created_at.replace('T', " ").replace('Z', " UTC"),
        sessions: repo::session_count(&state.db, id).await?,
        departments: departments(state),
        audit,
        new_password: take_once("pw", Some(id)).map(|(_, s)| s),
    }))
}

pub async fn tokens(
    state: &AppState,
    user: Option<SessionUser>,
) -> Result<StaffPage<TokensView>, DbError> {
    match gate(user) {
        StaffPage::Ready(_) => {}
        StaffPage::SignIn => return Ok(StaffPage::SignIn),
        _ => return Ok(StaffPage::Forbidden),
    }
    no_store();
    let tokens = repo::list_tokens(&state.db)
        .await?
        .into_iter()
        .map(|t| TokenLine {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            department: named_department(state, &t.department),
            created_at: utc(t.created_at),
            last_used_at: t.last_used_at.map(utc),
            revoked_at: t.revoked_at.map(utc),
        })
        .collect();
    Ok(StaffPage::Ready(TokensView {
        departments: departments(state),
        tokens,
        new_token: take_once("tk", None),
    }))
}

// ------------------------------------------------------------------ the forms

/// Every answer to a form goes to a URL of its own (`n=` a random nonce), so a page reads its data exactly
/// once per answer: a repeated outcome still changes the URL, and a secret to show once is not consumed by a
/// second read.
pub fn fresh(url: &str) -> String {
    if url.starts_with("/login") {
        return url.to_owned();
    }
    let (path, fragment) = url
        .split_once('#')
        .map_or((url, None), |(p, f)| (p, Some(f)));
    let nonce = &super::tokens::url_token()[..8];
    let sep = if path.contains('?') { '&' } else { '?' };
    match fragment {
        Some(f) => format!("{path}{sep}n={nonce}#{f}"),
        None => format!("{path}{sep}n={nonce}"),
    }
}

/// The signed-in administrator making a change, with the state and the request's address; or where to send
/// anyone else (the page that says they may not, or sign-in).
pub(crate) async fn admin_actor(back: &str) -> Result<(AppState, Actor), String> {
    let user = super::session::current_user().await.ok().flatten();
    let admin = match gate(user) {
        StaffPage::Ready(u) => u,
        StaffPage::SignIn => return Err(crate::api::account::login_path(back)),
        _ => return Err(back.to_owned()),
    };
    let Some(state) = use_context::<AppState>() else {
        return Err(format!("{back}?problem=unavailable"));
    };
    let address = super::application::client_address().await;
    Ok((
        state,
        Actor {
            id: admin.account_id,
            name: admin.display_name,
            address,
        },
    ))
}

fn with_problems(mut url: String, problems: &[(AdminField, AdminProblem)]) -> String {
    for (field, problem) in problems {
        url.push_str(&format!("&e_{}={}", field.code(), problem.code()));
    }
    url
}

pub(crate) fn failed(e: DbError, back: &str) -> String {
    tracing::error!(error = %e, "admin change failed");
    format!("{back}?problem=unavailable")
}

pub async fn create_account(form: NewStaffForm) -> String {
    let back = "/admin/accounts/new";
    let (state, actor) = match admin_actor(back).await {
        Ok(x) => x,
        Err(to) => return to,
    };
    let typed = format!(
        "{back}?login={}&display_name={}&role={}&department={}",
        encode_component(form.login.trim()),
        encode_component(form.display_name.trim()),
        encode_component(form.role.trim()),
        encode_component(form.department.trim()),
    );
    let staff = match validate_new_staff(&form, &department_ids(&state)) {
        Ok(staff) => staff,
        Err(problems) => return with_problems(typed, &problems),
    };
    let generated = staff.password.is_none();
    let password = staff
        .password
        .clone()
        .unwrap_or_else(repo::generated_password);
    match repo::create_staff(&state.db, &actor, &staff, &password, super::session::now()).await {
        Ok(Ok(id)) => {
            tracing::info!(account_id = id, by = actor.id, "staff account created");
            if generated {
                show_once("pw", id, &password);
            }
            format!("/admin/accounts/{id}?done=created")
        }
        Ok(Err(problem)) => with_problems(typed, &[(AdminField::Login, problem)]),
        Err(e) => failed(e, back),
    }
}

fn account_path(id: &str) -> Option<(i64, String)> {
    let id = id.trim().parse::<i64>().ok()?;
    Some((id, format!("/admin/accounts/{id}")))
}

pub async fn assign(id: &str, role: &str, department: &str) -> String {
    let Some((id, back)) = account_path(id) else {
        return "/admin/accounts".into();
    };
    let (state, actor) = match admin_actor(&back).await {
        Ok(x) => x,
        Err(to) => return to,
    };
    let typed = format!(
        "{back}?role={}&department={}",
        encode_component(role.trim()),
        encode_component(department.trim())
    );
    let (role, department) = match check_assignment(role, department, &department_ids(&state)) {
        Ok(x) => x,
        Err(problems) => return format!("{}#assignment", with_problems(typed, &problems)),
    };
    match repo::assign(
        &state.db,
        &actor,
        id,
        role,
        department.as_deref(),
        super::session::now(),
    )
    .await
    {
        Ok(Ok(true)) => format!("{back}?done=assigned"),
        Ok(Ok(false)) => back,
        Ok(Err(problem)) => format!("{back}?problem={}", problem.code()),
        Err(e) => failed(e, &back),
    }
}

pub async fn set_disabled(id: &str, disable: bool) -> String {
    let Some((id, back)) = account_path(id) else {
        return "/admin/accounts".into();
    };
    let (state, actor) = match admin_actor(&back).await {
        Ok(x) => x,
        Err(to) => return to,
    };
    match repo::set_disabled(&state.db, &actor, id, disable, super::session::now()).await {
        Ok(Ok(_)) => {
            tracing::info!(
                account_id = id,
                by = actor.id,
                disable,
                "account disabled or enabled"
            );
            format!(
                "{back}?done={}",
                if disable { "disabled" } else { "enabled" }
            )
        }
        Ok(Err(problem)) => format!("{back}?problem={}", problem.code()),
        Err(e) => failed(e, &back),
    }
}

pub async fn reset_password(id: &str, password: &str, confirm: &str) -> String {
    let Some((id, back)) = account_path(id) else {
        return "/admin/accounts".into();
    };
    let (state, actor) = match admin_actor(&back).await {
        Ok(x) => x,
        Err(to) => return to,
    };
    let chosen = match check_password(password, confirm) {
        Ok(p) => p,
        Err(problems) => {
            return format!(
                "{}#password-reset",
                with_problems(format!("{back}?form=password"), &problems)
            )
        }
    };
    let generated = chosen.is_none();
    let password = chosen.unwrap_or_else(repo::generated_password);
    match repo::reset_password(&state.db, &actor, id, &password, super::session::now()).await {
        Ok(true) => {
            if generated {
                show_once("pw", id, &password);
            }
            format!("{back}?done=password")
        }
        Ok(false) => back,
        Err(e) => failed(e, &back),
    }
}

pub async fn create_token(name: &str, department: &str) -> String {
    let back = "/admin/tokens";
    let (state, actor) = match admin_actor(back).await {
        Ok(x) => x,
        Err(to) => return to,
    };
    let typed = format!(
        "{back}?name={}&department={}",
        encode_component(name.trim()),
        encode_component(department.trim())
    );
    let mut problems = Vec::new();
    let name = check_token_name(name)
        .map_err(|p| problems.push((AdminField::TokenName, p)))
        .ok();
    let department = department.trim();
    if department.is_empty() {
        problems.push((AdminField::Department, AdminProblem::Missing));
    } else if state.catalog.department(department).is_none() {
        problems.push((AdminField::Department, AdminProblem::UnknownDepartment));
    }
    let Some(name) = name.filter(|_| problems.is_empty()) else {
        return with_problems(typed, &problems);
    };
    match repo::create_token(&state.db, &actor, &name, department, super::session::now()).await {
        Ok((id, secret)) => {
            tracing::info!(token_id = id, by = actor.id, "API token created");
            show_once("tk", id, &secret);
            format!("{back}?done=token_created")
        }
        Err(e) => failed(e, back),
    }
}

pub async fn revoke_token(id: &str) -> String {
    let back = "/admin/tokens";
    let (state, actor) = match admin_actor(back).await {
        Ok(x) => x,
        Err(to) => return to,
    };
    let Ok(id) = id.trim().parse::<i64>() else {
        return back.into();
    };
    match repo::revoke_token(&state.db, &actor, id, super::session::now()).await {
        Ok(true) => {
            tracing::info!(token_id = id, by = actor.id, "API token revoked");
            format!("{back}?done=token_revoked")
        }
        Ok(false) => back.into(),
        Err(e) => failed(e, back),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> SessionUser {
        SessionUser {
            account_id: 1,
            login: "x".into(),
            display_name: "X".into(),
            role,
            department: None,
        }
    }

    #[test]
    fn only_administrators_pass_the_gate() {
        assert!(matches!(gate(None), StaffPage::SignIn));
        assert!(matches!(gate(Some(user(Role::Admin))), StaffPage::Ready(_)));
        for role in [
            Role::Citizen,
            Role::Agent,
            Role::Officer,
            Role::Window,
            Role::Supervisor,
        ] {
            assert!(
                matches!(gate(Some(user(role))), StaffPage::Forbidden),
                "{role:?}"
            );
        }
    }

    #[test]
    fn answers_get_a_url_of_their_own() {
        let a = fresh("/admin/tokens?done=token_revoked");
        assert!(a.starts_with("/admin/tokens?done=token_revoked&n="), "{a}");
        assert_ne!(a, fresh("/admin/tokens?done=token_revoked"));
        let b = fresh("/admin/accounts/3?form=password&e_password=missing#password-reset");
        assert!(b.ends_with("#password-reset") && b.contains("&n="), "{b}");
        assert!(fresh("/admin/tokens").starts_with("/admin/tokens?n="));
        assert_eq!(fresh("/login?next=%2Fadmin"), "/login?next=%2Fadmin");
    }

    #[test]
    fn times_are_utc() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_800_000_000), "2027-01-15 08:00:00 UTC");
    }
}
