//! The security audit trail (安全审计): sign-ins, failed and throttled sign-ins, sign-outs, throttled look-ups and
//! submissions, and every refusal of access — who, what, when (UTC) and from where, in the append-only
//! `security_event` table (migration 0014) that every instance writes to. State changes keep their own trails
//! (`history`, `admin_audit`, `consent_audit`).
//!
//! Writing the row must never turn a refusal into a server error: a failed write is logged and the request goes
//! on. Nothing personal is stored beyond an account id (a failed sign-in's typed login may be a mobile number).

use http::request::Parts;
use leptos::prelude::use_context;

use super::db::{Db, DbError};
use super::session::now;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    SignedIn,
    SignInFailed,
    SignInThrottled,
    /// The password was right but the account is disabled.
    SignInDisabled,
    SignedOut,
    SignedOutEverywhere,
    /// A record or an action the account (or an anonymous visitor) may not have.
    AccessRefused,
    /// A department system's call with a missing, wrong or revoked token.
    ApiTokenRefused,
    LookupThrottled,
    SubmissionThrottled,
    /// Signed hidden state (the wizard's answers) that did not verify.
    Tampered,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::SignedIn,
        Kind::SignInFailed,
        Kind::SignInThrottled,
        Kind::SignInDisabled,
        Kind::SignedOut,
        Kind::SignedOutEverywhere,
        Kind::AccessRefused,
        Kind::ApiTokenRefused,
        Kind::LookupThrottled,
        Kind::SubmissionThrottled,
        Kind::Tampered,
    ];

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            Kind::SignedIn => "signed_in",
            Kind::SignInFailed => "sign_in_failed",
            Kind::SignInThrottled => "sign_in_throttled",
            Kind::SignInDisabled => "sign_in_disabled",
            Kind::SignedOut => "signed_out",
            Kind::SignedOutEverywhere => "signed_out_everywhere",
            Kind::AccessRefused => "access_refused",
            Kind::ApiTokenRefused => "api_token_refused",
            Kind::LookupThrottled => "lookup_throttled",
            Kind::SubmissionThrottled => "submission_throttled",
            Kind::Tampered => "tampered",
        }
    }
}

/// One row of the trail, as read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub at: i64,
    pub kind: String,
    pub account_id: Option<i64>,
    pub target: Option<String>,
    pub address: Option<String>,
}

/// Appends one event. `target` names the record or action (`case:…`, `task:…`, `page:/work`), never personal data.
pub async fn append(
    db: &Db,
    kind: Kind,
    account_id: Option<i64>,
    target: Option<&str>,
    address: Option<&str>,
    at: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO security_event (at, kind, account_id, target, address) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(at)
    .bind(kind.code())
    .bind(account_id)
    .bind(target.map(|t| t.chars().take(200).collect::<String>()))
    .bind(address)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The response header by which a page or server function marks its answer as a refusal to audit
/// ([`mark`]); the HTTP layer (`server/src/http.rs`) removes it, resolves who asked from the session and writes
/// the row, so sync code can mark too and the browser never sees the header.
pub const MARK_HEADER: &str = "x-hall-audit";

/// Marks the response being built as a refusal (or another event) to write to the trail: `target` names what was
/// asked for (`case:…`, `draft:…`), never personal data.
pub fn mark(kind: Kind, target: &str) {
    if let (Some(response), Some(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        mark_value(kind, target),
    ) {
        response.append_header(http::HeaderName::from_static(MARK_HEADER), value);
    }
}

/// The [`MARK_HEADER`] value for an event, for handlers that build their response themselves; logs it too.
pub fn mark_value(kind: Kind, target: &str) -> Option<http::HeaderValue> {
    let target: String = target
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(200)
        .collect();
    tracing::warn!(kind = kind.code(), %target, "refused");
    http::HeaderValue::from_str(&format!("{} {target}", kind.code())).ok()
}

/// Marks a refusal of access ([`mark`]).
pub fn mark_refused(target: &str) {
    mark(Kind::AccessRefused, target);
}

/// Reads a [`MARK_HEADER`] value back: the kind and the target.
pub fn parse_mark(value: &str) -> Option<(Kind, &str)> {
    let (kind, target) = value.split_once(' ').unwrap_or((value, ""));
    Some((Kind::from_code(kind)?, target))
}

/// Records an event of the current request (its peer address from the request, the time now), logging instead of
/// failing when the row cannot be written.
pub async fn record(db: &Db, kind: Kind, account_id: Option<i64>, target: &str) {
    let address = request_address();
    tracing::warn!(kind = kind.code(), account_id, target, "security event");
    if let Err(e) = append(
        db,
        kind,
        account_id,
        Some(target),
        address.as_deref(),
        now(),
    )
    .await
    {
        tracing::error!(error = %e, kind = kind.code(), "cannot write the security audit row");
    }
}

/// The peer address of the request being served, when there is one.
pub fn request_address() -> Option<String> {
    super::session::peer_address(use_context::<Parts>().as_ref())
}

type EventRow = (
    i64,
    i64,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// The newest events first, at most `limit`; of one account when `account_id` is given.
pub async fn recent(db: &Db, account_id: Option<i64>, limit: i64) -> Result<Vec<Event>, DbError> {
    let rows: Vec<EventRow> = match account_id {
        Some(id) => {
            sqlx::query_as(
                "SELECT id, at, kind, account_id, target, address FROM security_event \
                     WHERE account_id = $1 ORDER BY id DESC LIMIT $2",
            )
            .bind(id)
            .bind(limit)
            .fetch_all(&db.pool)
            .await?
        }
        None => {
            sqlx::query_as(
                "SELECT id, at, kind, account_id, target, address FROM security_event \
                     ORDER BY id DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(&db.pool)
            .await?
        }
    };
    Ok(rows
        .into_iter()
        .map(|(id, at, kind, account_id, target, address)| Event {
            id,
            at,
            kind,
            account_id,
            target,
            address,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn a_mark_reads_back_as_its_kind_and_target() {
        assert_eq!(
            super::parse_mark("access_refused case:HB-1"),
            Some((Kind::AccessRefused, "case:HB-1"))
        );
        assert_eq!(super::parse_mark("signed_in"), Some((Kind::SignedIn, "")));
        assert_eq!(super::parse_mark("nonsense case:1"), None);
    }

    #[test]
    fn every_kind_has_its_own_code() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_code(k.code()), Some(k));
        }
        let mut codes: Vec<_> = Kind::ALL.iter().map(|k| k.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Kind::ALL.len());
    }
}
