//! Validation of the merged form's submitted values, field by field and by kind. The raw input is always kept
//! (the form shows it back with its error); the parsed values are normalised (trimmed text, upper-case check
//! characters, bare phone digits). Runs the same on the server and, after hydration, in the browser.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::{MergedField, MergedForm};
use crate::domain::answer::iso_date;
use crate::domain::catalog::FieldKind;
use crate::domain::ids::{CreditCode, CreditCodeError, MobilePhone, ResidentId, ResidentIdError};

/// A valid value of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum FieldValue {
    /// Text and textarea fields, trimmed.
    Text(String),
    Number(f64),
    Date(#[serde(with = "iso_date")] Date),
    /// The chosen option value.
    Choice(String),
    Email(String),
    Phone(MobilePhone),
    ResidentId(ResidentId),
    CreditCode(CreditCode),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: FieldProblem,
}

/// What is wrong with one value; the UI turns it into a sentence in the user's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "problem", content = "detail", rename_all = "snake_case")]
pub enum FieldProblem {
    Missing,
    /// Longer than this many characters.
    TooLong(u32),
    NotANumber,
    BelowMin(f64),
    AboveMax(f64),
    /// Not a real date written YYYY-MM-DD.
    NotADate,
    NotAnOption,
    BadEmail,
    /// Not a mainland mobile number.
    BadPhone,
    ResidentId(ResidentIdError),
    CreditCode(CreditCodeError),
}

impl FieldProblem {
    /// A stable code, e.g. `too_long` or `resident_id.wrong_check_digit`, to pick a translated message by.
    pub fn code(&self) -> &'static str {
        match self {
            FieldProblem::Missing => "missing",
            FieldProblem::TooLong(_) => "too_long",
            FieldProblem::NotANumber => "not_a_number",
            FieldProblem::BelowMin(_) => "below_min",
            FieldProblem::AboveMax(_) => "above_max",
            FieldProblem::NotADate => "not_a_date",
            FieldProblem::NotAnOption => "not_an_option",
            FieldProblem::BadEmail => "bad_email",
            FieldProblem::BadPhone => "bad_phone",
            FieldProblem::ResidentId(e) => match e {
                ResidentIdError::WrongLength => "resident_id.wrong_length",
                ResidentIdError::NotDigits => "resident_id.not_digits",
                ResidentIdError::BadBirthDate => "resident_id.bad_birth_date",
                ResidentIdError::WrongCheckDigit => "resident_id.wrong_check_digit",
            },
            FieldProblem::CreditCode(e) => match e {
                CreditCodeError::WrongLength => "credit_code.wrong_length",
                CreditCodeError::InvalidChar => "credit_code.invalid_char",
                CreditCodeError::WrongCheckChar => "credit_code.wrong_check_char",
            },
        }
    }
}

/// The outcome of checking a submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    /// Everything submitted, untouched — including keys that are not fields of this form.
    pub raw: BTreeMap<String, String>,
    /// The valid, non-empty values by field id.
    pub values: BTreeMap<String, FieldValue>,
    /// In form order, at most one per field.
    pub errors: Vec<FieldError>,
}

impl Validation {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn error(&self, field: &str) -> Option<&FieldProblem> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| &e.problem)
    }

    /// What the applicant typed, to show back.
    pub fn raw(&self, field: &str) -> &str {
        self.raw.get(field).map_or("", String::as_str)
    }
}

pub(super) fn validate(
    form: &MergedForm,
    raw: &BTreeMap<String, String>,
    today: Date,
) -> Validation {
    let mut values = BTreeMap::new();
    let mut errors = Vec::new();
    for field in &form.fields {
        let input = raw.get(field.id()).map_or("", String::as_str);
        match validate_field(field, input, today) {
            Ok(Some(value)) => {
                values.insert(field.id().to_owned(), value);
            }
            Ok(None) => {}
            Err(problem) => errors.push(FieldError {
                field: field.id().to_owned(),
                problem,
            }),
        }
    }
    Validation {
        raw: raw.clone(),
        values,
        errors,
    }
}

/// Checks one field's input: `Ok(None)` for an empty optional field (or one that awaits another step's result).
pub fn validate_field(
    field: &MergedField,
    raw: &str,
    today: Date,
) -> Result<Option<FieldValue>, FieldProblem> {
    let f = &field.field;
    let s = raw.trim();
    if s.is_empty() {
        return if f.required && field.awaits.is_none() {
            Err(FieldProblem::Missing)
        } else {
            Ok(None)
        };
    }
    let texty = matches!(
        f.kind,
        FieldKind::Text | FieldKind::Textarea | FieldKind::Email
    );
    if let Some(max) = f.max_len.filter(|_| texty) {
        if s.chars().count() > max as usize {
            return Err(FieldProblem::TooLong(max));
        }
    }
    let value = match f.kind {
        FieldKind::Text | FieldKind::Textarea => FieldValue::Text(s.to_owned()),
        FieldKind::Number => {
            let n = s
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or(FieldProblem::NotANumber)?;
            if let Some(min) = f.min.filter(|min| n < *min) {
                return Err(FieldProblem::BelowMin(min));
            }
            if let Some(max) = f.max.filter(|max| n > *max) {
                return Err(FieldProblem::AboveMax(max));
            }
            FieldValue::Number(n)
        }
        FieldKind::Date => FieldValue::Date(iso_date_strict(s).ok_or(FieldProblem::NotADate)?),
        FieldKind::Choice => {
            if !f.options.iter().any(|o| o.value == s) {
                return Err(FieldProblem::NotAnOption);
            }
            FieldValue::Choice(s.to_owned())
        }
        FieldKind::Email => {
            if !looks_like_email(s) {
                return Err(FieldProblem::BadEmail);
            }
            FieldValue::Email(s.to_owned())
        }
        FieldKind::Phone => {
            FieldValue::Phone(MobilePhone::parse(s).map_err(|_| FieldProblem::BadPhone)?)
        }
        FieldKind::ResidentId => {
            FieldValue::ResidentId(ResidentId::parse(s, today).map_err(FieldProblem::ResidentId)?)
        }
        FieldKind::CreditCode => {
            FieldValue::CreditCode(CreditCode::parse(s).map_err(FieldProblem::CreditCode)?)
        }
    };
    Ok(Some(value))
}

/// `YYYY-MM-DD`, exactly, and a real date.
fn iso_date_strict(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let year = s[0..4].parse().ok()?;
    let month = Month::try_from(s[5..7].parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year, month, s[8..10].parse().ok()?).ok()
}

/// A simple shape check (`local@domain.tld`, no spaces); whether the mailbox exists is not ours to know.
fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty())
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_dates() {
        assert_eq!(
            iso_date_strict("2026-02-28"),
            Some(time::macros::date!(2026 - 02 - 28))
        );
        for bad in [
            "2026-02-29",
            "2026-2-28",
            "26-02-28",
            "2026/02/28",
            "+2026-02-28",
            "2026-13-01",
            "２０２６-02-28",
        ] {
            assert_eq!(iso_date_strict(bad), None, "{bad}");
        }
    }

    #[test]
    fn email_shapes() {
        for ok in ["a@b.cn", "zhang.san+hall@example.com.cn", "用户@例子.中国"] {
            assert!(looks_like_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@", "@b.cn", "a@b", "a@b.", "a@.cn", "a@@b.cn", "a b@c.cn", "a@b..cn",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }

    #[test]
    fn codes_are_stable() {
        assert_eq!(FieldProblem::TooLong(50).code(), "too_long");
        assert_eq!(
            FieldProblem::ResidentId(ResidentIdError::WrongCheckDigit).code(),
            "resident_id.wrong_check_digit"
        );
        let json = serde_json::to_string(&FieldProblem::CreditCode(CreditCodeError::InvalidChar))
            .expect("serialises");
        assert_eq!(json, r#"{"problem":"credit_code","detail":"invalid_char"}"#);
    }
}
