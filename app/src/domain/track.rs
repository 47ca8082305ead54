//! Progress lookup without an account (进度查询), the pure parts: reading what was typed from a paper receipt,
//! comparing the lookup code in constant time, the short-lived pass the lookup hands out, and when to try again.

use time::{OffsetDateTime, UtcOffset};

/// How long the pass to a looked-up case's progress lasts (seconds).
pub const PASS_SECONDS: i64 = 30 * 60;

/// The case number as typed: spaces dropped, full-width digits and dashes folded (typed from paper on a phone).
pub fn normalise_number(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace())
        .map(fold_width)
        .collect()
}

/// The lookup code as typed: spaces and dashes dropped, upper case, full-width folded.
pub fn normalise_code(raw: &str) -> String {
    raw.chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn fold_width(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        '－' | '—' | '–' => '-',
        other => other,
    }
}

/// Whether two codes are equal, taking the same time wherever they differ (only the length shows, and every
/// code has the same length).
pub fn codes_match(given: &str, stored: &str) -> bool {
    let (a, b) = (given.as_bytes(), stored.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The message a pass signs: the case number and the second it expires.
pub fn pass_message(number: &str, expires: i64) -> String {
    format!("{number}.{expires}")
}

/// A pass split into (case number, expiry, signature), if it has that shape. Case numbers hold no `.`.
pub fn parse_pass(pass: &str) -> Option<(&str, i64, &str)> {
    let mut parts = pass.split('.');
    let (number, expires, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || number.is_empty() || signature.is_empty() {
        return None;
    }
    Some((number, expires.parse().ok()?, signature))
}

/// `HH:MM` in Beijing time (UTC+8) of the moment `now + wait` seconds, rounded up to the minute: when the next
/// attempt is allowed.
pub fn retry_at(now: i64, wait: i64) -> String {
    let at = now + wait.max(0) + 59;
    let offset = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    match OffsetDateTime::from_unix_timestamp(at) {
        Ok(t) => {
            let t = t.to_offset(offset);
            format!("{:02}:{:02}", t.hour(), t.minute())
        }
        Err(_) => "--:--".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_and_codes_are_normalised() {
        assert_eq!(normalise_number(" 20261125-000042 "), "20261125-000042");
        assert_eq!(
            normalise_number("２０２６１１２５－００００４２"),
            "20261125-000042"
        );
        assert_eq!(normalise_code(" abcd-efgh "), "ABCDEFGH");
        assert_eq!(normalise_code("ａｂ ｃｄ"), "ABCD");
    }

    #[test]
    fn codes_match_only_when_equal() {
        assert!(codes_match("ACDE3479", "ACDE3479"));
        assert!(!codes_match("ACDE3478", "ACDE3479"));
        assert!(!codes_match("ACDE347", "ACDE3479"));
        assert!(!codes_match("", "ACDE3479"));
    }

    #[test]
    fn passes_parse_back_only_in_their_shape() {
        let msg = pass_message("20261125-000042", 1_800_000_000);
        let pass = format!("{msg}.abcdef");
        assert_eq!(
            parse_pass(&pass),
            Some(("20261125-000042", 1_800_000_000, "abcdef"))
        );
        assert_eq!(parse_pass("20261125-000042.1800000000"), None);
        assert_eq!(parse_pass("a.b.c"), None);
        assert_eq!(parse_pass("a.1.c.d"), None);
        assert_eq!(parse_pass(".1.c"), None);
    }

    #[test]
    fn retry_time_is_beijing_time_rounded_up() {
        // 2026-11-26 02:00:00 UTC = 10:00 in Beijing; 14 min 1 s later rounds up to 10:15.
        let now = 1_795_658_400;
        assert_eq!(retry_at(now, 14 * 60 + 1), "10:15");
        assert_eq!(retry_at(now, 0), "10:00");
    }
}
