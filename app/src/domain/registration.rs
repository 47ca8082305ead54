//! Citizen self-registration (市民注册): what the form must hold, checked field by field so each mistake gets its
//! own message and nothing typed is lost. The resident ID is recorded as declared: real-name verification
//! (实名核验) happens at the window, not here.

use time::Date;

use super::ids::{MobilePhone, PhoneError, ResidentId, ResidentIdError};

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
pub const NAME_MAX: usize = 40;

/// The form as typed.
#[derive(Clone, Debug, Default)]
pub struct RegistrationForm {
    pub mobile: String,
    pub display_name: String,
    pub password: String,
    pub password_confirm: String,
    pub resident_id: String,
}

/// A form that passed every check.
#[derive(Clone, Debug)]
pub struct Registration {
    pub mobile: MobilePhone,
    pub display_name: String,
    pub password: String,
    pub resident_id: ResidentId,
}

/// The form's fields, in page order; `code` names them in URLs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Mobile,
    DisplayName,
    Password,
    PasswordConfirm,
    ResidentId,
}

impl Field {
    pub const ALL: [Field; 5] = [
        Field::Mobile,
        Field::DisplayName,
        Field::Password,
        Field::PasswordConfirm,
        Field::ResidentId,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Field::Mobile => "mobile",
            Field::DisplayName => "display_name",
            Field::Password => "password",
            Field::PasswordConfirm => "password_confirm",
            Field::ResidentId => "resident_id",
        }
    }
}

/// What is wrong with one field. `code` is stable: it travels in the redirect back to the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    Missing,
    Phone(PhoneError),
    MobileTaken,
    NameTooLong,
    PasswordTooShort,
    PasswordTooLong,
    PasswordMismatch,
    Resident(ResidentIdError),
}

impl Problem {
    pub const ALL: [Problem; 13] = [
        Problem::Missing,
        Problem::Phone(PhoneError::NotDigits),
        Problem::Phone(PhoneError::WrongLength),
        Problem::Phone(PhoneError::NotMobile),
        Problem::MobileTaken,
        Problem::NameTooLong,
        Problem::PasswordTooShort,
        Problem::PasswordTooLong,
        Problem::PasswordMismatch,
        Problem::Resident(ResidentIdError::WrongLength),
        Problem::Resident(ResidentIdError::NotDigits),
        Problem::Resident(ResidentIdError::BadBirthDate),
        Problem::Resident(ResidentIdError::WrongCheckDigit),
    ];

    pub fn code(self) -> &'static str {
        match self {
            Problem::Missing => "missing",
            Problem::Phone(PhoneError::NotDigits) => "phone_digits",
            Problem::Phone(PhoneError::WrongLength) => "phone_length",
            Problem::Phone(PhoneError::NotMobile) => "phone_not_mobile",
            Problem::MobileTaken => "mobile_taken",
            Problem::NameTooLong => "name_too_long",
            Problem::PasswordTooShort => "password_short",
            Problem::PasswordTooLong => "password_long",
            Problem::PasswordMismatch => "password_mismatch",
            Problem::Resident(ResidentIdError::WrongLength) => "id_length",
            Problem::Resident(ResidentIdError::NotDigits) => "id_digits",
            Problem::Resident(ResidentIdError::BadBirthDate) => "id_birth",
            Problem::Resident(ResidentIdError::WrongCheckDigit) => "id_check",
        }
    }

    pub fn from_code(code: &str) -> Option<Problem> {
        Problem::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Checks every field; on failure lists each wrong field once, in page order.
pub fn validate(
    form: &RegistrationForm,
    today: Date,
) -> Result<Registration, Vec<(Field, Problem)>> {
    let mut problems = Vec::new();
    let mobile = if form.mobile.trim().is_empty() {
        problems.push((Field::Mobile, Problem::Missing));
        None
    } else {
        MobilePhone::parse(&form.mobile)
            .map_err(|e| problems.push((Field::Mobile, Problem::Phone(e))))
            .ok()
    };
    let name = form.display_name.trim();
    if name.is_empty() {
        problems.push((Field::DisplayName, Problem::Missing));
    } else if name.chars().count() > NAME_MAX {
        problems.push((Field::DisplayName, Problem::NameTooLong));
    }
    let length = form.password.chars().count();
    if length == 0 {
        problems.push((Field::Password, Problem::Missing));
    } else if length < PASSWORD_MIN {
        problems.push((Field::Password, Problem::PasswordTooShort));
    } else if length > PASSWORD_MAX {
        problems.push((Field::Password, Problem::PasswordTooLong));
    } else if form.password_confirm != form.password {
        problems.push((Field::PasswordConfirm, Problem::PasswordMismatch));
    }
    let resident_id = if form.resident_id.trim().is_empty() {
        problems.push((Field::ResidentId, Problem::Missing));
        None
    } else {
        ResidentId::parse(&form.resident_id, today)
            .map_err(|e| problems.push((Field::ResidentId, Problem::Resident(e))))
            .ok()
    };
    match (mobile, resident_id) {
        (Some(mobile), Some(resident_id)) if problems.is_empty() => Ok(Registration {
            mobile,
            display_name: name.to_owned(),
            password: form.password.clone(),
            resident_id,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        time::macros::date!(2026 - 03 - 01)
    }

    fn good() -> RegistrationForm {
        RegistrationForm {
            mobile: "138 0013 8000".into(),
            display_name: " 王小明 ".into(),
            password: "correct horse".into(),
            password_confirm: "correct horse".into(),
            resident_id: "11010519491231002x".into(),
        }
    }

    #[test]
    fn a_good_form_is_normalised() {
        let r = validate(&good(), today()).expect("valid");
        assert_eq!(r.mobile.as_str(), "13800138000");
        assert_eq!(r.display_name, "王小明");
        assert_eq!(r.resident_id.as_str(), "11010519491231002X");
    }

    #[test]
    fn each_field_has_its_own_problem() {
        let form = RegistrationForm {
            mobile: "1380013800".into(),
            display_name: "".into(),
            password: "short".into(),
            password_confirm: "".into(),
            resident_id: "110105194912310021".into(),
        };
        assert_eq!(
            validate(&form, today()).unwrap_err(),
            vec![
                (Field::Mobile, Problem::Phone(PhoneError::WrongLength)),
                (Field::DisplayName, Problem::Missing),
                (Field::Password, Problem::PasswordTooShort),
                (
                    Field::ResidentId,
                    Problem::Resident(ResidentIdError::WrongCheckDigit)
                ),
            ]
        );
        let mismatch = RegistrationForm {
            password_confirm: "correct horsf".into(),
            ..good()
        };
        assert_eq!(
            validate(&mismatch, today()).unwrap_err(),
            vec![(Field::PasswordConfirm, Problem::PasswordMismatch)]
        );
        let long = RegistrationForm {
            password: "x".repeat(129),
            password_confirm: "x".repeat(129),
            display_name: "名".repeat(41),
            ..good()
        };
        assert_eq!(
            validate(&long, today()).unwrap_err(),
            vec![
                (Field::DisplayName, Problem::NameTooLong),
                (Field::Password, Problem::PasswordTooLong),
            ]
        );
    }

    #[test]
    fn problem_codes_round_trip() {
        for p in Problem::ALL {
            assert_eq!(Problem::from_code(p.code()), Some(p));
        }
        assert_eq!(Problem::from_code("nope"), None);
    }
}
