//! Identifier newtypes that parse at the boundary: 居民身份证号码 ([`ResidentId`], GB 11643), 统一社会信用代码
//! ([`CreditCode`], GB 32100) and 中国大陆手机号 ([`MobilePhone`]). A value of these types is always valid and
//! normalised (upper-case check characters, digits only for phones).
//!
//! `Display` and `Debug` show the number masked, so it never reaches a log or a page in full by accident
//! (DOMAIN.md); `as_str()` gives the whole number where a window officer must verify it, and serde carries it whole.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// The first `head` and last `tail` characters, the rest as `*`. Callers pass ASCII only.
fn mask(s: &str, head: usize, tail: usize) -> String {
    let hidden = s.len().saturating_sub(head + tail);
    format!(
        "{}{}{}",
        &s[..head],
        "*".repeat(hidden),
        &s[s.len() - tail..]
    )
}

// ---------------------------------------------------------------- 居民身份证号码

const RESIDENT_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_CHECK: &[u8; 11] = b"10X98765432";
/// Birth dates before this are refused: no living applicant, and most likely a typo.
const EARLIEST_BIRTH: Date = time::macros::date!(1900 - 01 - 01);

/// 居民身份证号码 (GB 11643): 6-digit address code, birth date `YYYYMMDD`, 3-digit sequence, check character.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentId {
    id: String,
    birth: Date,
}

/// Why a string is not a resident ID number, in the order the checks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ResidentIdError {
    #[error("a resident ID number has 18 characters")]
    WrongLength,
    /// The first 17 are not all digits, or the last is neither a digit nor X.
    #[error("a resident ID number is 17 digits and a digit or X")]
    NotDigits,
    /// Characters 7–14 are not a real date between 1900-01-01 and today.
    #[error("the birth date in the resident ID number is not a real date")]
    BadBirthDate,
    /// The check character does not match (a typing error somewhere).
    #[error("the resident ID number's check digit does not match")]
    WrongCheckDigit,
}

impl ResidentId {
    /// Parses a resident ID number typed by a person; `today` bounds the birth date. Surrounding white space is
    /// ignored and a lower-case `x` becomes `X`.
    pub fn parse(raw: &str, today: Date) -> Result<ResidentId, ResidentIdError> {
        ResidentId::parse_until(raw, Some(today))
    }

    fn parse_until(raw: &str, today: Option<Date>) -> Result<ResidentId, ResidentIdError> {
        let s = raw.trim();
        if s.chars().count() != 18 {
            return Err(ResidentIdError::WrongLength);
        }
        let id = s.to_ascii_uppercase();
        let b = id.as_bytes();
        // 18 chars and all checked ASCII below, so byte indexing is char indexing.
        if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) || !is_check_char(b[17]) {
            return Err(ResidentIdError::NotDigits);
        }
        let birth = yyyymmdd(&b[6..14])
            .filter(|d| *d >= EARLIEST_BIRTH && today.is_none_or(|t| *d <= t))
            .ok_or(ResidentIdError::BadBirthDate)?;
        if resident_check(&b[..17]) != b[17] {
            return Err(ResidentIdError::WrongCheckDigit);
        }
        Ok(ResidentId { id, birth })
    }

    /// The check character for a 17-digit body, or `None` if `body` is not 17 ASCII digits.
    pub fn check_char(body: &str) -> Option<char> {
        let b = body.as_bytes();
        (b.len() == 17 && b.iter().all(u8::is_ascii_digit)).then(|| char::from(resident_check(b)))
    }

    /// The whole number, for a window officer who must verify it.
    pub fn as_str(&self) -> &str {
        &self.id
    }

    pub fn birth_date(&self) -> Date {
        self.birth
    }

    /// `1101**********002X`: the first 4 and last 4 characters.
    pub fn masked(&self) -> String {
        mask(&self.id, 4, 4)
    }
}

fn is_check_char(c: u8) -> bool {
    c.is_ascii_digit() || c == b'X'
}

fn resident_check(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .zip(RESIDENT_WEIGHTS)
        .map(|(c, w)| u32::from(c - b'0') * w)
        .sum();
    RESIDENT_CHECK[(sum % 11) as usize]
}

/// A real date from 8 ASCII digits.
fn yyyymmdd(digits: &[u8]) -> Option<Date> {
    let num = |r: std::ops::Range<usize>| {
        digits[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if digits.len() != 8 {
        return None;
    }
    let year = i32::try_from(num(0..4)?).ok()?;
    let month = Month::try_from(u8::try_from(num(4..6)?).ok()?).ok()?;
    let day = u8::try_from(num(6..8)?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// From stored or wire data: every check but "not in the future", as the domain has no clock.
impl TryFrom<String> for ResidentId {
    type Error = ResidentIdError;

    fn try_from(s: String) -> Result<ResidentId, ResidentIdError> {
        ResidentId::parse_until(&s, None)
    }
}

impl From<ResidentId> for String {
    fn from(id: ResidentId) -> String {
        id.id
    }
}

/// Masked: see the module docs.
impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ResidentId").field(&self.masked()).finish()
    }
}

// ---------------------------------------------------------------- 统一社会信用代码

/// The 31 characters of GB 32100 in value order (no I, O, S, V, Z).
const CREDIT_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// 统一社会信用代码 (GB 32100): registration authority, organisation type, address code, organisation code, check.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum CreditCodeError {
    #[error("a unified social credit code has 18 characters")]
    WrongLength,
    /// A character outside 0-9 and A-Y without I, O, S, V, Z.
    #[error("a unified social credit code uses 0-9 and A-Y except I, O, S, V and Z")]
    InvalidChar,
    #[error("the unified social credit code's check character does not match")]
    WrongCheckChar,
}

impl CreditCode {
    /// Parses a code typed by a person: white space around it ignored, letters upper-cased.
    pub fn parse(raw: &str) -> Result<CreditCode, CreditCodeError> {
        let s = raw.trim();
        if s.chars().count() != 18 {
            return Err(CreditCodeError::WrongLength);
        }
        let code = s.to_ascii_uppercase();
        let b = code.as_bytes();
        if b.len() != 18 || !b.iter().all(|&c| credit_value(c).is_some()) {
            return Err(CreditCodeError::InvalidChar);
        }
        if credit_check(&b[..17]) != Some(b[17]) {
            return Err(CreditCodeError::WrongCheckChar);
        }
        Ok(CreditCode(code))
    }

    /// The check character for a 17-character body, or `None` if `body` is not 17 characters of the alphabet.
    pub fn check_char(body: &str) -> Option<char> {
        let b = body.as_bytes();
        if b.len() != 17 {
            return None;
        }
        credit_check(b).map(char::from)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `9151**********260E`: the first 4 and last 4 characters.
    pub fn masked(&self) -> String {
        mask(&self.0, 4, 4)
    }
}

fn credit_value(c: u8) -> Option<u32> {
    CREDIT_ALPHABET
        .iter()
        .position(|&a| a == c)
        .and_then(|p| u32::try_from(p).ok())
}

fn credit_check(body: &[u8]) -> Option<u8> {
    let mut sum = 0;
    for (&c, w) in body.iter().zip(CREDIT_WEIGHTS) {
        sum += credit_value(c)? * w;
    }
    // 31 − (sum mod 31), where 31 wraps to 0.
    CREDIT_ALPHABET
        .get(((31 - sum % 31) % 31) as usize)
        .copied()
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;

    fn try_from(s: String) -> Result<CreditCode, CreditCodeError> {
        CreditCode::parse(&s)
    }
}

impl From<CreditCode> for String {
    fn from(c: CreditCode) -> String {
        c.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CreditCode").field(&self.masked()).finish()
    }
}

// ---------------------------------------------------------------- 手机号

/// 中国大陆手机号: 11 digits, `1` then `3`–`9`. Stored as the bare 11 digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MobilePhone(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum PhoneError {
    /// Something other than digits, spaces, hyphens and a leading +86.
    #[error("a mobile number is digits only")]
    NotDigits,
    /// Not 11 digits after the country code.
    #[error("a mobile number has 11 digits")]
    WrongLength,
    /// 11 digits, but not a mainland mobile number (a landline, or another country's code).
    #[error("not a mainland China mobile number")]
    NotMobile,
}

impl MobilePhone {
    /// Parses a number as people write it: `138 0013 8000`, `138-0013-8000`, `+86 138 0013 8000`, `8613800138000`.
    pub fn parse(raw: &str) -> Result<MobilePhone, PhoneError> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let digits = match compact.strip_prefix('+') {
            Some(rest) => rest.strip_prefix("86").ok_or(PhoneError::NotMobile)?,
            None if compact.len() == 13 => compact.strip_prefix("86").unwrap_or(&compact),
            None => &compact,
        };
        if !digits.bytes().all(|c| c.is_ascii_digit()) {
            return Err(PhoneError::NotDigits);
        }
        if digits.len() != 11 {
            return Err(PhoneError::WrongLength);
        }
        match digits.as_bytes() {
            [b'1', b'3'..=b'9', ..] => Ok(MobilePhone(digits.to_owned())),
            _ => Err(PhoneError::NotMobile),
        }
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****5678`: the first 3 and last 4 digits.
    pub fn masked(&self) -> String {
        mask(&self.0, 3, 4)
    }
}

impl TryFrom<String> for MobilePhone {
    type Error = PhoneError;

    fn try_from(s: String) -> Result<MobilePhone, PhoneError> {
        MobilePhone::parse(&s)
    }
}

impl From<MobilePhone> for String {
    fn from(p: MobilePhone) -> String {
        p.0
    }
}

impl fmt::Display for MobilePhone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for MobilePhone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("MobilePhone").field(&self.masked()).finish()
    }
}

#[cfg(test)]
mod tests;
