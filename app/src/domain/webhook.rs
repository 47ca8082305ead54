//! Signed webhooks for department systems (部门系统对接): how a delivery is signed, how a receiver checks it, how
//! often a failed delivery is retried, and which addresses may receive them. Pure (HMAC-SHA256 only); the outbox,
//! the worker and the HTTP post are `server::webhooks`.
//!
//! **For receivers.** Every delivery is a `POST` of a JSON body with three headers:
//! - `X-Hall-Timestamp`: Unix seconds when it was signed (each attempt is signed afresh);
//! - `X-Hall-Signature`: `sha256=` and the lowercase hex HMAC-SHA256, keyed with the department's webhook secret,
//!   of the timestamp, a `.`, and the body's bytes exactly as received;
//! - `X-Hall-Delivery`: the delivery's unique id, the same on every retry of that delivery.
//!
//! Check the signature with [`verify_signature`] (or the same steps in your language: recompute, compare in
//! constant time, refuse a timestamp more than five minutes from your clock), then keep the delivery ids you have
//! processed and drop a repeated one: a retry after a timeout, or a replay by someone who recorded the request.
//! Answer any 2xx once stored; anything else (or no answer in 10 s) is retried after 10 s, 1 min, 5 min and
//! 30 min, then given up (five attempts), and the administrator sees each attempt in the delivery log.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const SIGNATURE_HEADER: &str = "x-hall-signature";
pub const TIMESTAMP_HEADER: &str = "x-hall-timestamp";
pub const DELIVERY_HEADER: &str = "x-hall-delivery";
/// How far a delivery's timestamp may be from the receiver's clock.
pub const TOLERANCE_SECS: i64 = 300;
/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: i64 = 5;
/// The receiver's time to answer.
pub const TIMEOUT_SECS: u64 = 10;

fn mac(secret: &str, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `X-Hall-Signature` value for a body signed at `timestamp` (Unix seconds, as sent).
pub fn signature(secret: &str, timestamp: &str, body: &[u8]) -> String {
    let bytes = mac(secret, timestamp, body).finalize().into_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// Why a receiver refuses a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureProblem {
    MissingSignature,
    MissingTimestamp,
    /// Not Unix seconds.
    BadTimestamp,
    /// More than [`TOLERANCE_SECS`] from the receiver's clock (a replay of an old request, or a wrong clock).
    Stale,
    /// Not `sha256=<64 hex digits>`, or not this body's signature with this secret.
    WrongSignature,
}

impl std::fmt::Display for SignatureProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SignatureProblem::MissingSignature => "no X-Hall-Signature header",
            SignatureProblem::MissingTimestamp => "no X-Hall-Timestamp header",
            SignatureProblem::BadTimestamp => "X-Hall-Timestamp is not Unix seconds",
            SignatureProblem::Stale => "X-Hall-Timestamp is more than five minutes from now",
            SignatureProblem::WrongSignature => "X-Hall-Signature does not match the body",
        })
    }
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Whether a delivery is authentic and fresh: `header` is the `X-Hall-Signature` received, `timestamp` the
/// `X-Hall-Timestamp`, `body` the raw bytes, `now` the receiver's Unix seconds. The comparison takes constant
/// time. Replays within the five minutes are the receiver's to drop, by `X-Hall-Delivery`.
pub fn verify_signature(
    secret: &str,
    timestamp: Option<&str>,
    body: &[u8],
    header: Option<&str>,
    now: i64,
) -> Result<(), SignatureProblem> {
    let header = header
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .ok_or(SignatureProblem::MissingSignature)?;
    let timestamp = timestamp
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(SignatureProblem::MissingTimestamp)?;
    let at: i64 = timestamp
        .parse()
        .map_err(|_| SignatureProblem::BadTimestamp)?;
    if (now - at).abs() > TOLERANCE_SECS {
        return Err(SignatureProblem::Stale);
    }
    let given = header
        .strip_prefix("sha256=")
        .and_then(from_hex)
        .filter(|b| b.len() == 32)
        .ok_or(SignatureProblem::WrongSignature)?;
    mac(secret, timestamp, body)
        .verify_slice(&given)
        .map_err(|_| SignatureProblem::WrongSignature)
}

/// After `attempts` failed attempts, how many seconds until the next one; `None`: give up.
pub fn retry_delay(attempts: i64) -> Option<i64> {
    match attempts {
        ..=0 => Some(0),
        1 => Some(10),
        2 => Some(60),
        3 => Some(300),
        4 => Some(1800),
        _ => None,
    }
}

/// A receiver's address, checked: `http://host[:port]/path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl {
    pub host: String,
    pub port: u16,
    /// The path and query, starting with `/`.
    pub path: String,
}

/// Why an address cannot receive webhooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlProblem {
    Empty,
    TooLong,
    /// Only `http://` (HTTPS goes through the hall's egress proxy, which terminates TLS).
    Scheme,
    /// No host, a bad port, credentials in the address, spaces or control characters.
    Malformed,
}

impl UrlProblem {
    pub fn code(self) -> &'static str {
        match self {
            UrlProblem::Empty => "url_empty",
            UrlProblem::TooLong => "url_too_long",
            UrlProblem::Scheme => "url_scheme",
            UrlProblem::Malformed => "url_malformed",
        }
    }
}

impl WebhookUrl {
    pub fn parse(text: &str) -> Result<WebhookUrl, UrlProblem> {
        let text = text.trim();
        if text.is_empty() {
            return Err(UrlProblem::Empty);
        }
        if text.len() > 500 {
            return Err(UrlProblem::TooLong);
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(UrlProblem::Malformed);
        }
        let lower = text.to_ascii_lowercase();
        let Some(rest) = lower.strip_prefix("http://").map(|_| &text[7..]) else {
            return Err(UrlProblem::Scheme);
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if authority.contains('@') || authority.is_empty() {
            return Err(UrlProblem::Malformed);
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
                (h, p.parse::<u16>().map_err(|_| UrlProblem::Malformed)?)
            }
            _ => (authority, 80),
        };
        if host.is_empty() || port == 0 {
            return Err(UrlProblem::Malformed);
        }
        let path = if path.starts_with('?') {
            format!("/{path}")
        } else {
            path.to_owned()
        };
        Ok(WebhookUrl {
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port,
            path,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test";
    const BODY: &[u8] = br#"{"event":"task.changed"}"#;
    const NOW: i64 = 1_790_000_000;

    fn signed(at: i64) -> (String, String) {
        let ts = at.to_string();
        let sig = signature(SECRET, &ts, BODY);
        (ts, sig)
    }

    #[test]
    fn a_fresh_signed_body_passes() {
        let (ts, sig) = signed(NOW - 30);
        assert_eq!(
            verify_signature(SECRET, Some(&ts), BODY, Some(&sig), NOW),
            Ok(())
        );
        assert!(sig.starts_with("sha256=") && sig.len() == 7 + 64, "{sig}");
    }

    /// A known answer (`printf '1700000000.{}' | openssl dgst -sha256 -hmac secret`), so receivers in other
    /// languages can check theirs.
    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        assert_eq!(
            signature("secret", "1700000000", b"{}"),
            "sha256=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163"
        );
    }

    #[test]
    fn missing_wrong_or_old_is_refused() {
        let (ts, sig) = signed(NOW);
        assert_eq!(
            verify_signature(SECRET, Some(&ts), BODY, None, NOW),
            Err(SignatureProblem::MissingSignature)
        );
        assert_eq!(
            verify_signature(SECRET, None, BODY, Some(&sig), NOW),
            Err(SignatureProblem::MissingTimestamp)
        );
        assert_eq!(
            verify_signature(SECRET, Some("yesterday"), BODY, Some(&sig), NOW),
            Err(SignatureProblem::BadTimestamp)
        );
        assert_eq!(
            verify_signature("other", Some(&ts), BODY, Some(&sig), NOW),
            Err(SignatureProblem::WrongSignature)
        );
        assert_eq!(
            verify_signature(SECRET, Some(&ts), b"{\"event\":\"x\"}", Some(&sig), NOW),
            Err(SignatureProblem::WrongSignature)
        );
        // The timestamp is part of what is signed: a new timestamp on an old signature fails.
        let later = (NOW + 1).to_string();
        assert_eq!(
            verify_signature(SECRET, Some(&later), BODY, Some(&sig), NOW),
            Err(SignatureProblem::WrongSignature)
        );
        for bad in [
            "sha256=",
            "sha256=zz",
            "md5=abc",
            &sig[7..],
            &sig.to_uppercase(),
        ] {
            assert_eq!(
                verify_signature(SECRET, Some(&ts), BODY, Some(bad), NOW),
                Err(SignatureProblem::WrongSignature),
                "{bad}"
            );
        }
        let (old_ts, old_sig) = signed(NOW - TOLERANCE_SECS - 1);
        assert_eq!(
            verify_signature(SECRET, Some(&old_ts), BODY, Some(&old_sig), NOW),
            Err(SignatureProblem::Stale)
        );
        let (edge_ts, edge_sig) = signed(NOW - TOLERANCE_SECS);
        assert_eq!(
            verify_signature(SECRET, Some(&edge_ts), BODY, Some(&edge_sig), NOW),
            Ok(())
        );
        let (future_ts, future_sig) = signed(NOW + TOLERANCE_SECS + 1);
        assert_eq!(
            verify_signature(SECRET, Some(&future_ts), BODY, Some(&future_sig), NOW),
            Err(SignatureProblem::Stale)
        );
    }

    #[test]
    fn retries_back_off_then_give_up_after_five_attempts() {
        let delays: Vec<_> = (1..=MAX_ATTEMPTS).map(retry_delay).collect();
        assert_eq!(delays, [Some(10), Some(60), Some(300), Some(1800), None]);
        assert!(delays.windows(2).all(|w| match (w[0], w[1]) {
            (Some(a), Some(b)) => a < b,
            _ => true,
        }));
    }

    #[test]
    fn receiver_addresses_are_plain_http_with_a_host() {
        assert_eq!(
            WebhookUrl::parse(" http://127.0.0.1:8080/hook?x=1 "),
            Ok(WebhookUrl {
                host: "127.0.0.1".into(),
                port: 8080,
                path: "/hook?x=1".into()
            })
        );
        assert_eq!(
            WebhookUrl::parse("HTTP://dept.example"),
            Ok(WebhookUrl {
                host: "dept.example".into(),
                port: 80,
                path: "/".into()
            })
        );
        for (bad, problem) in [
            ("", UrlProblem::Empty),
            ("https://dept.example/", UrlProblem::Scheme),
            ("ftp://x/", UrlProblem::Scheme),
            ("dept.example/hook", UrlProblem::Scheme),
            ("http://user:pw@dept.example/", UrlProblem::Malformed),
            ("http://dept.example:99999/", UrlProblem::Malformed),
            ("http://dept.example:0/", UrlProblem::Malformed),
            ("http:///hook", UrlProblem::Malformed),
            ("http://dept example/", UrlProblem::Malformed),
        ] {
            assert_eq!(WebhookUrl::parse(bad), Err(problem), "{bad}");
        }
        assert_eq!(
            WebhookUrl::parse(&format!("http://x/{}", "a".repeat(600))),
            Err(UrlProblem::TooLong)
        );
    }
}
