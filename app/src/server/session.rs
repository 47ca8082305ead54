//! Sessions (会话): who a request is from, stored in the database so any instance can answer.
//!
//! The browser holds a random 32-byte token in the `__Host-hall_session` cookie (Secure, HttpOnly, SameSite=Lax,
//! Path=/); the `session` table holds only its SHA-256, so reading the table does not let anyone sign in. Every
//! sign-in starts a new session (a new token), sign-out deletes it, "sign out everywhere" deletes all of the
//! account's sessions.
//!
//! Lifetimes ([`Lifetime::for_role`]): citizens stay signed in for 7 days of inactivity, at most 30 days; staff
//! and agents, who see other people's data, for 30 minutes of inactivity, at most 8 hours (one working day).
//! The idle limit slides with use, written at most once a minute per session.

use http::header;
use http::request::Parts;
use leptos::prelude::*;

use super::accounts::{self, Registered};
use super::db::{Db, DbError};
use super::login_throttle;
use super::memo::Changed;
use super::security_audit as audit;
use super::state::AppState;
use crate::api::account::{encode_component, safe_next, LoginProblem, SessionUser};
use crate::domain::registration::{self, Problem, RegistrationForm};
use crate::domain::Role;

pub const COOKIE: &str = "__Host-hall_session";
const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
/// The idle expiry is pushed forward at most this often, so reading pages does not write on every request.
const SLIDE_EVERY: i64 = MINUTE;

/// How long a session lasts, in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifetime {
    /// Without a request for this long, the session ends.
    pub idle: i64,
    /// The session ends this long after sign-in, used or not.
    pub absolute: i64,
}

impl Lifetime {
    pub fn for_role(role: Role) -> Lifetime {
        match role {
            Role::Citizen => Lifetime {
                idle: 7 * DAY,
                absolute: 30 * DAY,
            },
            _ => Lifetime {
                idle: 30 * MINUTE,
                absolute: 8 * HOUR,
            },
        }
    }
}

/// Where a request came from, recorded with its session.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub user_agent: Option<String>,
    pub address: Option<String>,
}

/// A session just created: the token for the cookie (never stored) and the cookie's lifetime.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub token: String,
    pub max_age: i64,
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh random token: 32 bytes from the operating system, as 64 hex digits.
pub fn new_token() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// The stored id of a token: its SHA-256, hex.
pub fn session_id(token: &str) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(token.as_bytes()))
}

fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Starts a session for an account; also removes every expired session (cheap: indexed).
pub async fn create(
    db: &Db,
    account_id: i64,
    role: Role,
    client: &ClientInfo,
    now: i64,
) -> Result<NewSession, DbError> {
    let lifetime = Lifetime::for_role(role);
    let token = new_token();
    sqlx::query(
        "INSERT INTO session (id, account_id, created_at, last_seen_at, expires_at, absolute_expires_at, \
         user_agent, address) VALUES ($1, $2, $3, $3, $4, $5, $6, $7)",
    )
    .bind(session_id(&token))
    .bind(account_id)
    .bind(now)
    .bind(now + lifetime.idle.min(lifetime.absolute))
    .bind(now + lifetime.absolute)
    .bind(client.user_agent.as_deref())
    .bind(client.address.as_deref())
    .execute(&db.pool)
    .await?;
    sqlx::query("DELETE FROM session WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(NewSession {
        token,
        max_age: lifetime.absolute,
    })
}

/// The account signed in with `token`, sliding the idle expiry; `None` for an unknown or expired session (an
/// expired one is deleted) or a disabled account. One read: the session joined with its account.
pub async fn lookup(db: &Db, token: &str, now: i64) -> Result<Option<SessionUser>, DbError> {
    if !well_formed(token) {
        return Ok(None);
    }
    let id = session_id(token);
    let memo = db.memo.as_deref().map(|m| &m.sessions);
    if let Some(kept) = memo.and_then(|m| m.get(&id)) {
        // Until the idle expiry is due to slide, the kept answer is the table's.
        if now < kept.expires_at && now - kept.last_seen_at < SLIDE_EVERY {
            return Ok(Some(kept.user));
        }
    }
    let stamp = memo.map(|m| m.begin());
    #[allow(clippy::type_complexity)]
    let row: Option<(i64, i64, i64, i64, String, String, String, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT s.account_id, s.last_seen_at, s.expires_at, s.absolute_expires_at, a.login, a.display_name, \
         a.role, a.department_id, a.disabled_at FROM session s JOIN account a ON a.id = s.account_id \
         WHERE s.id = $1",
    )
    .bind(&id)
    .fetch_optional(&db.pool)
    .await?;
    let Some((
        account_id,
        last_seen,
        expires,
        absolute,
        login,
        display_name,
        role,
        department,
        disabled,
    )) = row
    else {
        return Ok(None);
    };
    if now >= expires {
        delete_by_id(db, &id).await?;
        return Ok(None);
    }
    if disabled.is_some() {
        return Ok(None);
    }
    let Some(user) = accounts::session_user_of(account_id, login, display_name, &role, department)
    else {
        return Ok(None);
    };
    let (mut last_seen_at, mut expires_at) = (last_seen, expires);
    if now - last_seen >= SLIDE_EVERY {
        let idle = Lifetime::for_role(user.role).idle;
        (last_seen_at, expires_at) = (now, (now + idle).min(absolute));
        sqlx::query("UPDATE session SET last_seen_at = $1, expires_at = $2 WHERE id = $3")
            .bind(last_seen_at)
            .bind(expires_at)
            .bind(&id)
            .execute(&db.pool)
            .await?;
    }
    if let (Some(memo), Some(stamp)) = (memo, stamp) {
        let remembered = Remembered {
            user: user.clone(),
            last_seen_at,
            expires_at,
        };
        let from = vec![Changed::Session(id.clone()), Changed::Account(account_id)];
        memo.put(id, remembered, from, stamp);
    }
    Ok(Some(user))
}

/// A signed-in session as kept in memory (`memo`), with the times that decide when to read it again.
#[derive(Clone, Debug)]
pub struct Remembered {
    user: SessionUser,
    last_seen_at: i64,
    expires_at: i64,
}

async fn delete_by_id(db: &Db, id: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM session WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await?;
    db.changed(Changed::Session(id.to_owned()));
    Ok(())
}

/// Ends one session (sign out).
pub async fn delete(db: &Db, token: &str) -> Result<(), DbError> {
    delete_by_id(db, &session_id(token)).await
}

/// Ends every session of an account (sign out everywhere); returns how many there were.
pub async fn delete_all(db: &Db, account_id: i64) -> Result<u64, DbError> {
    let ended = sqlx::query("DELETE FROM session WHERE account_id = $1")
        .bind(account_id)
        .execute(&db.pool)
        .await?
        .rows_affected();
    db.changed(Changed::Account(account_id));
    Ok(ended)
}

/// The session token in a `Cookie` header.
pub fn token_from_cookies(cookie_header: &str) -> Option<&str> {
    cookie_header.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (name.trim() == COOKIE).then(|| value.trim())
    })
}

/// `Set-Cookie` for a new session. `__Host-` makes browsers insist on Secure, Path=/ and no Domain; browsers
/// accept Secure cookies from http://localhost and http://127.0.0.1 too.
pub fn set_cookie(session: &NewSession) -> String {
    format!(
        "{COOKIE}={}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={}",
        session.token, session.max_age
    )
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0")
}

// ------------------------------------------------------------------ for server functions and pages

/// Logs an internal failure and gives the caller a message that says nothing about it.
fn internal(e: impl std::fmt::Display) -> ServerFnError {
    tracing::error!(error = %e, "request failed");
    ServerFnError::new("server_error")
}

fn app_state() -> Result<AppState, ServerFnError> {
    use_context::<AppState>().ok_or_else(|| internal("AppState missing from the context"))
}

fn request_token(parts: Option<&Parts>) -> Option<String> {
    token_from_headers(&parts?.headers)
}

/// The session token in a request's `Cookie` headers, if any.
pub fn token_from_headers(headers: &http::HeaderMap) -> Option<String> {
    token_from_cookie_values(headers.get_all(header::COOKIE))
}

/// The session token in the values of `Cookie` headers (kept from a request that has moved on), if any.
pub fn token_from_cookie_values<'a>(
    values: impl IntoIterator<Item = &'a http::HeaderValue>,
) -> Option<String> {
    values
        .into_iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(token_from_cookies)
        .map(str::to_owned)
}

/// The peer address of a request (axum's ConnectInfo). Behind a reverse proxy every client shares the proxy's
/// address.
pub fn peer_address(parts: Option<&Parts>) -> Option<String> {
    parts?
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
}

fn client_info(parts: Option<&Parts>) -> ClientInfo {
    let Some(parts) = parts else {
        return ClientInfo::default();
    };
    let user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(256).collect());
    let address = peer_address(Some(parts));
    ClientInfo {
        user_agent,
        address,
    }
}

fn set_response_cookie(value: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        response.append_header(header::SET_COOKIE, value);
        // A page that depends on who is signed in must not be stored by shared caches.
        response.insert_header(
            header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
}

/// One request's answer to "who is signed in", shared by everything that asks during the request (an SSR page
/// asks from its header, its body and each of its resources, concurrently): the session is read once a request.
/// The server puts a fresh one in every request's extensions; without it, every call reads the table.
#[derive(Clone, Default)]
pub struct RequestUser(std::sync::Arc<tokio::sync::OnceCell<Option<SessionUser>>>);

/// The signed-in account of the current request, if any. Slides the session's idle expiry.
pub async fn current_user() -> Result<Option<SessionUser>, ServerFnError> {
    let parts = use_context::<Parts>();
    let Some(token) = request_token(parts.as_ref()) else {
        return Ok(None);
    };
    let state = app_state()?;
    let read = || async { lookup(&state.db, &token, now()).await.map_err(internal) };
    match parts
        .as_ref()
        .and_then(|p| p.extensions.get::<RequestUser>())
    {
        Some(memo) => memo.0.get_or_try_init(read).await.cloned(),
        None => read().await,
    }
}

/// The signed-in account, or the error `unauthenticated` (pages redirect to `/login?next=…` instead).
pub async fn require_user() -> Result<SessionUser, ServerFnError> {
    current_user()
        .await?
        .ok_or_else(|| ServerFnError::new("unauthenticated"))
}

/// Starts a session for the account and sets its cookie; the session this browser had before, if any, ends.
async fn start_session(db: &Db, account_id: i64, role: Role) -> Result<(), DbError> {
    let parts = use_context::<Parts>();
    if let Some(old) = request_token(parts.as_ref()) {
        delete(db, &old).await?;
    }
    let session = create(db, account_id, role, &client_info(parts.as_ref()), now()).await?;
    set_response_cookie(&set_cookie(&session));
    Ok(())
}

fn with_next(mut url: String, next: &str) -> String {
    if next != "/" {
        url.push_str(if url.contains('?') { "&" } else { "?" });
        url.push_str("next=");
        url.push_str(&encode_component(next));
    }
    url
}

/// Signs in with a login name or mobile number; returns where to go next: `next` on success, else the sign-in
/// form with a problem code and the account as typed.
pub async fn sign_in(login: &str, password: &str, next: &str) -> String {
    let next = safe_next(next);
    let back = |problem: LoginProblem, extra: &str| {
        with_next(
            format!(
                "/login?error={}{extra}&login={}",
                problem.code(),
                encode_component(login.trim())
            ),
            &next,
        )
    };
    if login.trim().is_empty() || password.is_empty() {
        return back(LoginProblem::Missing, "");
    }
    let Ok(state) = app_state() else {
        return back(LoginProblem::Unavailable, "");
    };
    let db = &state.db;
    let key = accounts::account_key(login);
    let address = client_info(use_context::<Parts>().as_ref())
        .address
        .unwrap_or_else(|| "unknown".into());
    let at = now();
    let result = async {
        if let Some(wait) = login_throttle::retry_after(db, &key, &address, at).await? {
            audit::record(db, audit::Kind::SignInThrottled, None, "sign_in").await;
            return Ok(Err(Some(wait)));
        }
        match accounts::authenticate(db, login, password).await? {
            Some(account_id) => {
                login_throttle::clear_account(db, &key).await?;
                if accounts::is_disabled(db, account_id).await? {
                    audit::record(db, audit::Kind::SignInDisabled, Some(account_id), "sign_in")
                        .await;
                    // The password was right, so saying why tells a guesser nothing.
                    return Ok(Err(None));
                }
                Ok(Ok(accounts::session_user(db, account_id).await?))
            }
            None => {
                login_throttle::record_failure(db, &key, &address, at).await?;
                // The typed login is not kept: it may be a mobile number.
                audit::record(db, audit::Kind::SignInFailed, None, "sign_in").await;
                Ok(Ok(None))
            }
        }
    }
    .await;
    match result {
        Ok(Ok(Some(user))) => match start_session(db, user.account_id, user.role).await {
            Ok(()) => {
                audit::record(db, audit::Kind::SignedIn, Some(user.account_id), "sign_in").await;
                next
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot start a session");
                back(LoginProblem::Unavailable, "")
            }
        },
        Ok(Ok(None)) => back(LoginProblem::Wrong, ""),
        Ok(Err(None)) => back(LoginProblem::Disabled, ""),
        Ok(Err(Some(wait))) => {
            let minutes = (wait + MINUTE - 1) / MINUTE;
            back(LoginProblem::Throttled, &format!("&retry={minutes}"))
        }
        Err(e) => {
            let e: DbError = e;
            tracing::error!(error = %e, "sign-in failed");
            back(LoginProblem::Unavailable, "")
        }
    }
}

/// Registers a citizen and signs them in; returns where to go next: `next`, or the form with a problem code per
/// field and everything typed except the passwords.
pub async fn register_and_sign_in(form: RegistrationForm, next: &str) -> String {
    let next = safe_next(next);
    let back = |problems: &[(registration::Field, Problem)]| {
        let mut url = format!(
            "/register?mobile={}&display_name={}&resident_id={}",
            encode_component(form.mobile.trim()),
            encode_component(form.display_name.trim()),
            encode_component(form.resident_id.trim()),
        );
        for (field, problem) in problems {
            url.push_str(&format!("&e_{}={}", field.code(), problem.code()));
        }
        with_next(url, &next)
    };
    let today = super::clock::local_today();
    let valid = match registration::validate(&form, today) {
        Ok(valid) => valid,
        Err(problems) => return back(&problems),
    };
    let unavailable = || with_next("/register?error=unavailable".to_owned(), &next);
    let Ok(state) = app_state() else {
        return unavailable();
    };
    match accounts::register_citizen(&state.db, &valid).await {
        Ok(Registered::Created(account_id)) => {
            match start_session(&state.db, account_id, Role::Citizen).await {
                Ok(()) => {
                    tracing::info!(account_id, "citizen registered");
                    next
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot start a session");
                    with_next("/login?error=unavailable".to_owned(), &next)
                }
            }
        }
        Ok(Registered::MobileTaken) => back(&[(registration::Field::Mobile, Problem::MobileTaken)]),
        Err(e) => {
            tracing::error!(error = %e, "registration failed");
            unavailable()
        }
    }
}

/// Ends this browser's session, or every session of its account; clears the cookie either way.
pub async fn sign_out(everywhere: bool) -> Result<(), ServerFnError> {
    let state = app_state()?;
    let parts = use_context::<Parts>();
    if let Some(token) = request_token(parts.as_ref()) {
        if everywhere {
            if let Some(user) = lookup(&state.db, &token, now()).await.map_err(internal)? {
                let ended = delete_all(&state.db, user.account_id)
                    .await
                    .map_err(internal)?;
                tracing::info!(account_id = user.account_id, ended, "signed out everywhere");
                audit::record(
                    &state.db,
                    audit::Kind::SignedOutEverywhere,
                    Some(user.account_id),
                    "sign_out",
                )
                .await;
            }
        } else if let Some(user) = lookup(&state.db, &token, now()).await.map_err(internal)? {
            audit::record(
                &state.db,
                audit::Kind::SignedOut,
                Some(user.account_id),
                "sign_out",
            )
            .await;
        }
        delete(&state.db, &token).await.map_err(internal)?;
    }
    set_response_cookie(&clear_cookie());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_an_id() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert!(well_formed(&a));
        let id = session_id(&a);
        assert_eq!(id.len(), 64);
        assert_ne!(id, a);
        assert_eq!(session_id(&a), id);
    }

    #[test]
    fn cookie_is_host_only_secure_http_only() {
        let c = set_cookie(&NewSession {
            token: "ab".into(),
            max_age: 60,
        });
        assert!(c.starts_with("__Host-hall_session=ab; Path=/; Secure; HttpOnly; SameSite=Lax"));
        assert!(!c.contains("Domain"));
        assert_eq!(
            token_from_cookies("hall_lang=en; __Host-hall_session=xyz ; a=b"),
            Some("xyz")
        );
        assert_eq!(token_from_cookies("hall_lang=en"), None);
    }

    #[test]
    fn staff_sessions_are_short() {
        assert_eq!(Lifetime::for_role(Role::Window).idle, 30 * MINUTE);
        assert_eq!(Lifetime::for_role(Role::Agent).absolute, 8 * HOUR);
        assert_eq!(Lifetime::for_role(Role::Citizen).idle, 7 * DAY);
    }
}
