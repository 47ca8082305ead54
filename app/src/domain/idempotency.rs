//! Idempotency keys (幂等键): the rules, without storage. Every form of the app carries a fresh key in a hidden
//! `idem` field (and department systems send an `Idempotency-Key` header); the server keeps the first answer per
//! key and gives it again to a retry, so a double click or a form re-sent after a dropped connection acts once.

/// The form field that carries the key.
pub const FIELD: &str = "idem";

/// How long a claimed key may stay without an answer before another request may take it over: the first request
/// died (a crash, a killed instance) and left nothing done — its transaction never committed.
pub const ABANDONED_AFTER_SECS: i64 = 120;

/// How long an answered key is kept (and so how long a retry still gets the first answer).
pub const KEPT_FOR_SECS: i64 = 24 * 3600;

/// A key a client may send: 16 to 64 characters of `A–Z a–z 0–9 - _` (UUIDs and random hex both fit).
pub fn well_formed(key: &str) -> bool {
    (16..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The key in an `application/x-www-form-urlencoded` body or a query string, if there is exactly one well-formed
/// one. (The key's characters need no percent-decoding; a key that would is not well formed.)
pub fn key_in_form(form: &[u8]) -> Option<&str> {
    let mut found = None;
    for pair in form.split(|b| *b == b'&') {
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        if name == FIELD.as_bytes() {
            if found.is_some() {
                return None;
            }
            found = Some(std::str::from_utf8(value).ok().filter(|k| well_formed(k))?);
        }
    }
    found
}

/// What is stored for a key that a new request presents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stored<'a> {
    pub request_hash: &'a str,
    pub claimed_at: i64,
    pub answered: bool,
}

/// What to do with a request whose key was seen before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// The same request, answered: give the stored answer again.
    Replay,
    /// The same request, still running elsewhere: ask the client to wait (409).
    InProgress,
    /// The same request, claimed long ago and never answered: run it now.
    TakeOver,
    /// Another request under the same key: refuse it (422), change nothing.
    Mismatch,
}

/// The decision for a request with `request_hash` presenting a key stored as `stored`, at `now` (seconds).
pub fn decide(stored: Stored<'_>, request_hash: &str, now: i64) -> Seen {
    if stored.request_hash != request_hash {
        Seen::Mismatch
    } else if stored.answered {
        Seen::Replay
    } else if now - stored.claimed_at >= ABANDONED_AFTER_SECS {
        Seen::TakeOver
    } else {
        Seen::InProgress
    }
}

/// Whether an answer is kept for replay: everything but server errors (after a 5xx nothing was done, so a retry
/// must run again).
pub fn keeps(status: u16) -> bool {
    status < 500
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_are_16_to_64_safe_characters() {
        assert!(well_formed("0123456789abcdef"));
        assert!(well_formed("3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b"));
        assert!(well_formed(&"a".repeat(64)));
        assert!(!well_formed("short"));
        assert!(!well_formed(&"a".repeat(65)));
        assert!(!well_formed("0123456789abcdef%20"));
        assert!(!well_formed("0123456789abcdef 0"));
        assert!(!well_formed("钥匙钥匙钥匙钥匙钥匙钥匙"));
    }

    #[test]
    fn the_key_is_found_in_a_form_body_wherever_it_is() {
        let key = "k3y-0123456789abcdef";
        assert_eq!(key_in_form(format!("idem={key}").as_bytes()), Some(key));
        assert_eq!(
            key_in_form(format!("number=A1&idem={key}&version=3").as_bytes()),
            Some(key)
        );
        assert_eq!(key_in_form(b"number=A1&version=3"), None);
        assert_eq!(key_in_form(b"idem=short"), None);
        assert_eq!(key_in_form(b"idem"), None);
        assert_eq!(key_in_form(b"xidem=0123456789abcdef"), None);
        // Two keys: ambiguous, so none.
        assert_eq!(
            key_in_form(format!("idem={key}&idem=0123456789abcdef").as_bytes()),
            None
        );
        assert_eq!(key_in_form(b"idem=\xff\xfe0123456789abcdef"), None);
    }

    #[test]
    fn a_seen_key_is_replayed_waited_for_taken_over_or_refused() {
        let stored = |answered, claimed_at| Stored {
            request_hash: "h1",
            claimed_at,
            answered,
        };
        assert_eq!(decide(stored(true, 0), "h1", 10), Seen::Replay);
        assert_eq!(decide(stored(true, 0), "h2", 10), Seen::Mismatch);
        assert_eq!(decide(stored(false, 0), "h1", 10), Seen::InProgress);
        assert_eq!(decide(stored(false, 0), "h2", 10), Seen::Mismatch);
        assert_eq!(
            decide(stored(false, 0), "h1", ABANDONED_AFTER_SECS),
            Seen::TakeOver
        );
        // An answered key is replayed however old (until it is removed).
        assert_eq!(decide(stored(true, 0), "h1", KEPT_FOR_SECS), Seen::Replay);
    }

    #[test]
    fn server_errors_are_not_kept() {
        assert!(keeps(200) && keeps(303) && keeps(409) && keeps(422));
        assert!(!keeps(500) && !keeps(503));
    }

    proptest! {
        #[test]
        fn any_body_is_read_without_panicking(body in proptest::collection::vec(any::<u8>(), 0..200)) {
            if let Some(key) = key_in_form(&body) {
                prop_assert!(well_formed(key));
            }
        }

        #[test]
        fn a_different_request_is_never_replayed(a in "[a-f0-9]{8}", b in "[a-f0-9]{8}", answered: bool,
                                                 age in 0i64..100_000) {
            let seen = decide(Stored { request_hash: &a, claimed_at: 0, answered }, &b, age);
            prop_assert_eq!(seen == Seen::Mismatch, a != b);
        }
    }
}
