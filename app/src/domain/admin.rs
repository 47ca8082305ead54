//! Administration rules (管理): what a staff account may be created or changed to, which changes an administrator
//! may not make to their own account, masking personal numbers in lists, and the API token format. Pure: the
//! server checks the catalog's department ids and writes; these functions only decide.

use serde::{Deserialize, Serialize};

use super::registration::{PASSWORD_MAX, PASSWORD_MIN};
use super::Role;

pub const LOGIN_MIN: usize = 3;
pub const LOGIN_MAX: usize = 32;
pub const NAME_MAX: usize = super::registration::NAME_MAX;
pub const TOKEN_NAME_MAX: usize = 60;
/// Accounts per page in the administrators' list.
pub const PAGE_SIZE: i64 = 20;
/// The token's fixed start, so a leaked one is recognisable (and greppable) as ours.
pub const TOKEN_START: &str = "hall_";
/// Characters of a token kept in the clear to recognise it in lists: `hall_` and 8 more.
pub const TOKEN_PREFIX_LEN: usize = 13;

/// The roles an administrator gives staff accounts. Citizens and agents register or are set up elsewhere.
pub const STAFF_ROLES: [Role; 4] = [Role::Officer, Role::Window, Role::Supervisor, Role::Admin];

/// A field of the administrators' forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AdminField {
    Login,
    DisplayName,
    Role,
    Department,
    Password,
    PasswordConfirm,
    TokenName,
}

impl AdminField {
    pub const ALL: [AdminField; 7] = [
        AdminField::Login,
        AdminField::DisplayName,
        AdminField::Role,
        AdminField::Department,
        AdminField::Password,
        AdminField::PasswordConfirm,
        AdminField::TokenName,
    ];

    /// The form field's name, also its element id.
    pub fn code(self) -> &'static str {
        match self {
            AdminField::Login => "login",
            AdminField::DisplayName => "display_name",
            AdminField::Role => "role",
            AdminField::Department => "department",
            AdminField::Password => "password",
            AdminField::PasswordConfirm => "password_confirm",
            AdminField::TokenName => "name",
        }
    }
}

/// What is wrong with one field, or with a whole change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AdminProblem {
    Missing,
    LoginFormat,
    /// Eleven digits would read as a mobile number at sign-in.
    LoginLooksLikeMobile,
    LoginTaken,
    NameTooLong,
    NotStaffRole,
    /// An officer needs a department of the catalog.
    DepartmentNeeded,
    UnknownDepartment,
    /// Only officers belong to one department.
    DepartmentNotForRole,
    PasswordTooShort,
    PasswordTooLong,
    PasswordMismatch,
    TokenNameTooLong,
    /// An administrator tried to disable their own account.
    SelfDisable,
    /// An administrator tried to take the admin role from their own account.
    SelfDemote,
    /// Role changes are for staff accounts; citizens and agents keep theirs.
    NotStaffAccount,
}

impl AdminProblem {
    pub const ALL: [AdminProblem; 16] = [
        AdminProblem::Missing,
        AdminProblem::LoginFormat,
        AdminProblem::LoginLooksLikeMobile,
        AdminProblem::LoginTaken,
        AdminProblem::NameTooLong,
        AdminProblem::NotStaffRole,
        AdminProblem::DepartmentNeeded,
        AdminProblem::UnknownDepartment,
        AdminProblem::DepartmentNotForRole,
        AdminProblem::PasswordTooShort,
        AdminProblem::PasswordTooLong,
        AdminProblem::PasswordMismatch,
        AdminProblem::TokenNameTooLong,
        AdminProblem::SelfDisable,
        AdminProblem::SelfDemote,
        AdminProblem::NotStaffAccount,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AdminProblem::Missing => "missing",
            AdminProblem::LoginFormat => "login_format",
            AdminProblem::LoginLooksLikeMobile => "login_mobile",
            AdminProblem::LoginTaken => "login_taken",
            AdminProblem::NameTooLong => "name_long",
            AdminProblem::NotStaffRole => "not_staff_role",
            AdminProblem::DepartmentNeeded => "department_needed",
            AdminProblem::UnknownDepartment => "department_unknown",
            AdminProblem::DepartmentNotForRole => "department_not_for_role",
            AdminProblem::PasswordTooShort => "password_short",
            AdminProblem::PasswordTooLong => "password_long",
            AdminProblem::PasswordMismatch => "password_mismatch",
            AdminProblem::TokenNameTooLong => "token_name_long",
            AdminProblem::SelfDisable => "self_disable",
            AdminProblem::SelfDemote => "self_demote",
            AdminProblem::NotStaffAccount => "not_staff_account",
        }
    }

    pub fn from_code(code: &str) -> Option<AdminProblem> {
        AdminProblem::ALL.into_iter().find(|p| p.code() == code)
    }
}

pub type Problems = Vec<(AdminField, AdminProblem)>;

/// A login name as stored: trimmed, lower-cased; 3–32 of `a–z 0–9 . _ -`, starting with a letter or digit, and
/// not eleven digits (which sign-in would take for a mobile number).
pub fn parse_login(raw: &str) -> Result<String, AdminProblem> {
    let login = raw.trim().to_lowercase();
    if login.is_empty() {
        return Err(AdminProblem::Missing);
    }
    let len = login.chars().count();
    let allowed = login
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    let starts_well = login
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !(LOGIN_MIN..=LOGIN_MAX).contains(&len) || !allowed || !starts_well {
        return Err(AdminProblem::LoginFormat);
    }
    if login.len() == 11 && login.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AdminProblem::LoginLooksLikeMobile);
    }
    Ok(login)
}

/// Checks a role and department: the role must be a staff role; an officer needs one of `departments`, the
/// others none. Returns the department to store.
pub fn check_assignment(
    role: &str,
    department: &str,
    departments: &[&str],
) -> Result<(Role, Option<String>), Problems> {
    let Some(role) = Role::from_code(role.trim()).filter(|r| STAFF_ROLES.contains(r)) else {
        return Err(vec![(AdminField::Role, AdminProblem::NotStaffRole)]);
    };
    let department = department.trim();
    match (role, department.is_empty()) {
        (Role::Officer, true) => Err(vec![(
            AdminField::Department,
            AdminProblem::DepartmentNeeded,
        )]),
        (Role::Officer, false) if !departments.contains(&department) => Err(vec![(
            AdminField::Department,
            AdminProblem::UnknownDepartment,
        )]),
        (Role::Officer, false) => Ok((role, Some(department.to_owned()))),
        (_, true) => Ok((role, None)),
        (_, false) => Err(vec![(
            AdminField::Department,
            AdminProblem::DepartmentNotForRole,
        )]),
    }
}

/// The password an administrator typed (with its confirmation), or `None` when both are empty: then the server
/// makes one and shows it once. The same length rules as registration.
pub fn check_password(password: &str, confirm: &str) -> Result<Option<String>, Problems> {
    if password.is_empty() && confirm.is_empty() {
        return Ok(None);
    }
    let length = password.chars().count();
    let problem = if length == 0 {
        Some((AdminField::Password, AdminProblem::Missing))
    } else if length < PASSWORD_MIN {
        Some((AdminField::Password, AdminProblem::PasswordTooShort))
    } else if length > PASSWORD_MAX {
        Some((AdminField::Password, AdminProblem::PasswordTooLong))
    } else if confirm != password {
        Some((AdminField::PasswordConfirm, AdminProblem::PasswordMismatch))
    } else {
        None
    };
    match problem {
        Some(p) => Err(vec![p]),
        None => Ok(Some(password.to_owned())),
    }
}

/// A new staff account as typed in the form.
#[derive(Clone, Debug, Default)]
pub struct NewStaffForm {
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub department: String,
    pub password: String,
    pub password_confirm: String,
}

/// A new staff account that passed every check (except that the login is free, which the database decides).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewStaff {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub department: Option<String>,
    /// `None`: generate one.
    pub password: Option<String>,
}

/// Checks every field of the new-account form; on failure lists each wrong field once, in page order.
pub fn validate_new_staff(form: &NewStaffForm, departments: &[&str]) -> Result<NewStaff, Problems> {
    let mut problems = Problems::new();
    let login = parse_login(&form.login)
        .map_err(|p| problems.push((AdminField::Login, p)))
        .ok();
    let name = form.display_name.trim();
    if name.is_empty() {
        problems.push((AdminField::DisplayName, AdminProblem::Missing));
    } else if name.chars().count() > NAME_MAX {
        problems.push((AdminField::DisplayName, AdminProblem::NameTooLong));
    }
    let assignment = check_assignment(&form.role, &form.department, departments)
        .map_err(|p| problems.extend(p))
        .ok();
    let password = check_password(&form.password, &form.password_confirm)
        .map_err(|p| problems.extend(p))
        .ok();
    match (login, assignment, password) {
        (Some(login), Some((role, department)), Some(password)) if problems.is_empty() => {
            Ok(NewStaff {
                login,
                display_name: name.to_owned(),
                role,
                department,
                password,
            })
        }
        _ => Err(problems),
    }
}

/// Refuses a change an administrator may not make to their own account: disabling it, or giving it another role
/// (the last administrator could lock everyone out).
pub fn check_self_change(
    actor_id: i64,
    target_id: i64,
    disable: bool,
    new_role: Option<Role>,
) -> Result<(), AdminProblem> {
    if actor_id != target_id {
        return Ok(());
    }
    if disable {
        return Err(AdminProblem::SelfDisable);
    }
    match new_role {
        Some(role) if role != Role::Admin => Err(AdminProblem::SelfDemote),
        _ => Ok(()),
    }
}

/// The name given to a new API token: trimmed, not empty, at most 60 characters.
pub fn check_token_name(raw: &str) -> Result<String, AdminProblem> {
    let name = raw.trim();
    if name.is_empty() {
        Err(AdminProblem::Missing)
    } else if name.chars().count() > TOKEN_NAME_MAX {
        Err(AdminProblem::TokenNameTooLong)
    } else {
        Ok(name.to_owned())
    }
}

/// The first `head` and last `tail` characters, the rest as `*`; a value too short to keep both is all `*`.
fn mask(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// A resident ID for lists: `3101**********1234`.
pub fn mask_resident_id(id: &str) -> String {
    mask(id, 4, 4)
}

/// A mobile number for lists: `138****5678`.
pub fn mask_mobile(mobile: &str) -> String {
    mask(mobile, 3, 4)
}

/// Base64url without padding (RFC 4648 §5): the token's text.
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// The secret of a new API token from 32 random bytes: `hall_` and 43 base64url characters.
pub fn token_from_bytes(bytes: &[u8; 32]) -> String {
    format!("{TOKEN_START}{}", base64url(bytes))
}

/// What lists show of a token: its first characters.
pub fn token_prefix(token: &str) -> String {
    token.chars().take(TOKEN_PREFIX_LEN).collect()
}

/// Whether a presented string could be one of our tokens (cheap check before hashing and looking it up).
pub fn token_well_formed(token: &str) -> bool {
    token.len() == TOKEN_START.len() + 43
        && token.starts_with(TOKEN_START)
        && token[TOKEN_START.len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPTS: [&str; 2] = ["samr", "fire"];

    fn form() -> NewStaffForm {
        NewStaffForm {
            login: " Officer.Li ".into(),
            display_name: "李 officer".into(),
            role: "officer".into(),
            department: "samr".into(),
            password: String::new(),
            password_confirm: String::new(),
        }
    }

    #[test]
    fn a_valid_officer_is_normalised_and_gets_a_generated_password() {
        let staff = validate_new_staff(&form(), &DEPTS).expect("valid");
        assert_eq!(staff.login, "officer.li");
        assert_eq!(staff.role, Role::Officer);
        assert_eq!(staff.department.as_deref(), Some("samr"));
        assert_eq!(staff.password, None);
    }

    #[test]
    fn every_wrong_field_is_listed_once_in_page_order() {
        let bad = NewStaffForm {
            login: "x".into(),
            display_name: " ".into(),
            role: "officer".into(),
            department: "".into(),
            password: "short".into(),
            password_confirm: "short".into(),
        };
        assert_eq!(
            validate_new_staff(&bad, &DEPTS),
            Err(vec![
                (AdminField::Login, AdminProblem::LoginFormat),
                (AdminField::DisplayName, AdminProblem::Missing),
                (AdminField::Department, AdminProblem::DepartmentNeeded),
                (AdminField::Password, AdminProblem::PasswordTooShort),
            ])
        );
    }

    #[test]
    fn logins() {
        assert_eq!(parse_login("Window-2"), Ok("window-2".into()));
        assert_eq!(parse_login(""), Err(AdminProblem::Missing));
        assert_eq!(parse_login("ab"), Err(AdminProblem::LoginFormat));
        assert_eq!(parse_login("-abc"), Err(AdminProblem::LoginFormat));
        assert_eq!(parse_login("张三丰"), Err(AdminProblem::LoginFormat));
        assert_eq!(parse_login("a b c"), Err(AdminProblem::LoginFormat));
        assert_eq!(parse_login(&"a".repeat(33)), Err(AdminProblem::LoginFormat));
        assert_eq!(
            parse_login("13800138000"),
            Err(AdminProblem::LoginLooksLikeMobile)
        );
    }

    #[test]
    fn assignments_follow_the_role() {
        assert_eq!(
            check_assignment("officer", "nowhere", &DEPTS),
            Err(vec![(
                AdminField::Department,
                AdminProblem::UnknownDepartment
            )])
        );
        assert_eq!(
            check_assignment("window", "samr", &DEPTS),
            Err(vec![(
                AdminField::Department,
                AdminProblem::DepartmentNotForRole
            )])
        );
        assert_eq!(
            check_assignment("window", "", &DEPTS),
            Ok((Role::Window, None))
        );
        assert_eq!(
            check_assignment("admin", " ", &DEPTS),
            Ok((Role::Admin, None))
        );
        for role in ["citizen", "agent", "root", ""] {
            assert_eq!(
                check_assignment(role, "", &DEPTS),
                Err(vec![(AdminField::Role, AdminProblem::NotStaffRole)]),
                "{role}"
            );
        }
    }

    #[test]
    fn passwords_follow_the_registration_rules() {
        assert_eq!(check_password("", ""), Ok(None));
        assert_eq!(
            check_password("correct horse", "correct horse"),
            Ok(Some("correct horse".into()))
        );
        assert_eq!(
            check_password("correct horse", "correct horsf"),
            Err(vec![(
                AdminField::PasswordConfirm,
                AdminProblem::PasswordMismatch
            )])
        );
        assert_eq!(
            check_password("", "something"),
            Err(vec![(AdminField::Password, AdminProblem::Missing)])
        );
        let long = "x".repeat(PASSWORD_MAX + 1);
        assert_eq!(
            check_password(&long, &long),
            Err(vec![(AdminField::Password, AdminProblem::PasswordTooLong)])
        );
    }

    #[test]
    fn an_admin_cannot_disable_or_demote_themselves() {
        assert_eq!(
            check_self_change(1, 1, true, None),
            Err(AdminProblem::SelfDisable)
        );
        assert_eq!(
            check_self_change(1, 1, false, Some(Role::Window)),
            Err(AdminProblem::SelfDemote)
        );
        assert_eq!(check_self_change(1, 1, false, Some(Role::Admin)), Ok(()));
        assert_eq!(check_self_change(1, 2, true, Some(Role::Window)), Ok(()));
    }

    #[test]
    fn problem_codes_round_trip() {
        for p in AdminProblem::ALL {
            assert_eq!(AdminProblem::from_code(p.code()), Some(p));
        }
        assert_eq!(AdminProblem::from_code("nope"), None);
    }

    #[test]
    fn masks_keep_only_the_ends() {
        assert_eq!(mask_resident_id("310101199001011234"), "3101**********1234");
        assert_eq!(mask_mobile("13812345678"), "138****5678");
        assert_eq!(mask_mobile("1234"), "****");
        assert_eq!(mask_mobile(""), "");
    }

    #[test]
    fn tokens_are_url_safe_and_recognisable() {
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        let token = token_from_bytes(&[0xff; 32]);
        assert!(token_well_formed(&token), "{token}");
        assert_eq!(token.len(), 48);
        assert_eq!(token_prefix(&token), "hall_________");
        assert!(!token_well_formed("hall_short"));
        assert!(!token_well_formed(&token.replace("hall_", "xxxx_")));
        assert!(!token_well_formed(&format!("{}=", &token[..47])));
    }
}
