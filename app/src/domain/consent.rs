//! 授权委托: a resident's consent for a service-point agent (代办员) to act for them on one theme — what the agent
//! may do ([`Scope`]), until which day, and how it was given ([`Method`]) — with its life (pending → approved or
//! declined; approved → revoked) and the one question every access check asks: does this consent allow this now
//! ([`Consent::allows`])? The request form an agent fills is parsed here too ([`parse_request`]). Pure.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::ids::{MobilePhone, ResidentId, ResidentIdError};

/// The longest a consent may run: one year from the day it is asked for.
pub const MAX_VALID_DAYS: i64 = 366;
/// A resident's name as typed, at most this many characters.
pub const MAX_NAME_CHARS: usize = 40;

/// What the resident lets the agent do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// 申报: file an application of the theme in the resident's name.
    File,
    /// 跟踪: see the case and its progress.
    Follow,
    /// 补正: hand in corrections and promised materials, resubmit.
    Corrections,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::File, Scope::Follow, Scope::Corrections];

    pub fn code(self) -> &'static str {
        match self {
            Scope::File => "file",
            Scope::Follow => "follow",
            Scope::Corrections => "corrections",
        }
    }

    pub fn from_code(code: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.code() == code)
    }

    /// As stored: the codes, comma-separated, in [`Scope::ALL`] order.
    pub fn join(scopes: &[Scope]) -> String {
        Scope::ALL
            .into_iter()
            .filter(|s| scopes.contains(s))
            .map(Scope::code)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// From the stored text; unknown codes are ignored (they allow nothing).
    pub fn split(text: &str) -> Vec<Scope> {
        let mut scopes: Vec<Scope> = text
            .split(',')
            .filter_map(|c| Scope::from_code(c.trim()))
            .collect();
        scopes.sort();
        scopes.dedup();
        scopes
    }
}

/// How the consent was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The resident confirmed it from their own account (我的授权).
    Account,
}

impl Method {
    pub fn code(self) -> &'static str {
        match self {
            Method::Account => "account",
        }
    }

    pub fn from_code(code: &str) -> Option<Method> {
        (code == "account").then_some(Method::Account)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    /// Asked by the agent, not yet answered by the resident.
    Pending,
    Approved,
    Declined,
    /// Withdrawn by the resident: the agent loses access from that moment.
    Revoked,
}

impl ConsentStatus {
    pub const ALL: [ConsentStatus; 4] = [
        ConsentStatus::Pending,
        ConsentStatus::Approved,
        ConsentStatus::Declined,
        ConsentStatus::Revoked,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ConsentStatus::Pending => "pending",
            ConsentStatus::Approved => "approved",
            ConsentStatus::Declined => "declined",
            ConsentStatus::Revoked => "revoked",
        }
    }

    pub fn from_code(code: &str) -> Option<ConsentStatus> {
        ConsentStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What the resident does to a consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Decline,
    Revoke,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Decision::Approve => "approved",
            Decision::Decline => "declined",
            Decision::Revoke => "revoked",
        }
    }

    pub fn from_code(code: &str) -> Option<Decision> {
        match code {
            "approve" | "approved" => Some(Decision::Approve),
            "decline" | "declined" => Some(Decision::Decline),
            "revoke" | "revoked" => Some(Decision::Revoke),
            _ => None,
        }
    }
}

/// Why a consent does not allow something (now).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Invalid {
    /// The resident has not confirmed it yet.
    NotConfirmed,
    Declined,
    Revoked,
    /// Its last day has passed.
    Expired,
    /// It is for another theme.
    OtherTheme,
    /// It does not include this.
    OutOfScope,
    /// A decision that does not fit the consent's status (approving a revoked one, revoking a pending one …).
    WrongStatus,
}

impl Invalid {
    pub const ALL: [Invalid; 7] = [
        Invalid::NotConfirmed,
        Invalid::Declined,
        Invalid::Revoked,
        Invalid::Expired,
        Invalid::OtherTheme,
        Invalid::OutOfScope,
        Invalid::WrongStatus,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Invalid::NotConfirmed => "not_confirmed",
            Invalid::Declined => "declined",
            Invalid::Revoked => "revoked",
            Invalid::Expired => "expired",
            Invalid::OtherTheme => "other_theme",
            Invalid::OutOfScope => "out_of_scope",
            Invalid::WrongStatus => "wrong_status",
        }
    }

    pub fn from_code(code: &str) -> Option<Invalid> {
        Invalid::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A consent as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub theme: String,
    pub scopes: Vec<Scope>,
    /// The last day it is valid (inclusive).
    pub valid_until: Date,
    pub status: ConsentStatus,
}

impl Consent {
    /// Whether the agent may do `scope` on `theme` on `today`; the first reason why not otherwise.
    pub fn allows(&self, scope: Scope, theme: &str, today: Date) -> Result<(), Invalid> {
        match self.status {
            ConsentStatus::Pending => return Err(Invalid::NotConfirmed),
            ConsentStatus::Declined => return Err(Invalid::Declined),
            ConsentStatus::Revoked => return Err(Invalid::Revoked),
            ConsentStatus::Approved => {}
        }
        if today > self.valid_until {
            return Err(Invalid::Expired);
        }
        if self.theme != theme {
            return Err(Invalid::OtherTheme);
        }
        if !self.scopes.contains(&scope) {
            return Err(Invalid::OutOfScope);
        }
        Ok(())
    }

    /// Approved and not past its last day.
    pub fn in_force(&self, today: Date) -> bool {
        self.status == ConsentStatus::Approved && today <= self.valid_until
    }
}

/// The status after the resident's decision: approve or decline a pending consent, revoke an approved one (also
/// after it expired: revoking costs nothing and says so in the audit).
pub fn decide(status: ConsentStatus, decision: Decision) -> Result<ConsentStatus, Invalid> {
    match (status, decision) {
        (ConsentStatus::Pending, Decision::Approve) => Ok(ConsentStatus::Approved),
        (ConsentStatus::Pending, Decision::Decline) => Ok(ConsentStatus::Declined),
        (ConsentStatus::Approved, Decision::Revoke) => Ok(ConsentStatus::Revoked),
        _ => Err(Invalid::WrongStatus),
    }
}

/// The agent's request form as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestForm {
    pub resident_id: String,
    pub resident_name: String,
    pub resident_mobile: String,
    pub theme: String,
    pub scopes: Vec<String>,
    pub valid_until: String,
}

/// The form's fields, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    ResidentId,
    ResidentName,
    ResidentMobile,
    Theme,
    Scope,
    ValidUntil,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::ResidentId,
        Field::ResidentName,
        Field::ResidentMobile,
        Field::Theme,
        Field::Scope,
        Field::ValidUntil,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Field::ResidentId => "resident_id",
            Field::ResidentName => "resident_name",
            Field::ResidentMobile => "resident_mobile",
            Field::Theme => "theme",
            Field::Scope => "scope",
            Field::ValidUntil => "valid_until",
        }
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Missing,
    ResidentId(ResidentIdError),
    Mobile,
    NameTooLong,
    UnknownTheme,
    NoScope,
    BadDate,
    DateInPast,
    DateTooFar,
}

impl Problem {
    pub const ALL: [Problem; 12] = [
        Problem::Missing,
        Problem::ResidentId(ResidentIdError::WrongLength),
        Problem::ResidentId(ResidentIdError::NotDigits),
        Problem::ResidentId(ResidentIdError::BadBirthDate),
        Problem::ResidentId(ResidentIdError::WrongCheckDigit),
        Problem::Mobile,
        Problem::NameTooLong,
        Problem::UnknownTheme,
        Problem::NoScope,
        Problem::BadDate,
        Problem::DateInPast,
        Problem::DateTooFar,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Problem::Missing => "missing",
            Problem::ResidentId(ResidentIdError::WrongLength) => "id_length",
            Problem::ResidentId(ResidentIdError::NotDigits) => "id_digits",
            Problem::ResidentId(ResidentIdError::BadBirthDate) => "id_birth",
            Problem::ResidentId(ResidentIdError::WrongCheckDigit) => "id_check",
            Problem::Mobile => "mobile",
            Problem::NameTooLong => "name_long",
            Problem::UnknownTheme => "unknown_theme",
            Problem::NoScope => "no_scope",
            Problem::BadDate => "bad_date",
            Problem::DateInPast => "date_past",
            Problem::DateTooFar => "date_far",
        }
    }

    pub fn from_code(code: &str) -> Option<Problem> {
        Problem::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// A request that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub resident_id: ResidentId,
    pub resident_name: String,
    pub mobile: MobilePhone,
    pub theme: String,
    pub scopes: Vec<Scope>,
    pub valid_until: Date,
}

/// Parses the agent's request. `theme_known` says whether a theme id may be filed; `today` bounds the dates.
/// Every problem at once, in field order.
pub fn parse_request(
    form: &RequestForm,
    theme_known: impl Fn(&str) -> bool,
    today: Date,
) -> Result<Request, Vec<(Field, Problem)>> {
    let mut problems = Vec::new();
    let resident_id = match form.resident_id.trim() {
        "" => {
            problems.push((Field::ResidentId, Problem::Missing));
            None
        }
        raw => ResidentId::parse(raw, today)
            .map_err(|e| problems.push((Field::ResidentId, Problem::ResidentId(e))))
            .ok(),
    };
    let name = form.resident_name.trim();
    if name.is_empty() {
        problems.push((Field::ResidentName, Problem::Missing));
    } else if name.chars().count() > MAX_NAME_CHARS {
        problems.push((Field::ResidentName, Problem::NameTooLong));
    }
    let mobile = match form.resident_mobile.trim() {
        "" => {
            problems.push((Field::ResidentMobile, Problem::Missing));
            None
        }
        raw => MobilePhone::parse(raw)
            .map_err(|_| problems.push((Field::ResidentMobile, Problem::Mobile)))
            .ok(),
    };
    let theme = form.theme.trim();
    if theme.is_empty() {
        problems.push((Field::Theme, Problem::Missing));
    } else if !theme_known(theme) {
        problems.push((Field::Theme, Problem::UnknownTheme));
    }
    let scopes: Vec<Scope> = Scope::split(&form.scopes.join(","));
    if scopes.is_empty() {
        problems.push((Field::Scope, Problem::NoScope));
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let valid_until = match form.valid_until.trim() {
        "" => {
            problems.push((Field::ValidUntil, Problem::Missing));
            None
        }
        raw => match Date::parse(raw, &format) {
            Err(_) => {
                problems.push((Field::ValidUntil, Problem::BadDate));
                None
            }
            Ok(d) if d < today => {
                problems.push((Field::ValidUntil, Problem::DateInPast));
                None
            }
            Ok(d) if d > today + Duration::days(MAX_VALID_DAYS) => {
                problems.push((Field::ValidUntil, Problem::DateTooFar));
                None
            }
            Ok(d) => Some(d),
        },
    };
    match (resident_id, mobile, valid_until) {
        (Some(resident_id), Some(mobile), Some(valid_until)) if problems.is_empty() => {
            Ok(Request {
                resident_id,
                resident_name: name.to_owned(),
                mobile,
                theme: theme.to_owned(),
                scopes,
                valid_until,
            })
        }
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 26);

    fn approved() -> Consent {
        Consent {
            theme: "open-restaurant".into(),
            scopes: vec![Scope::File, Scope::Follow],
            valid_until: date!(2026 - 12 - 31),
            status: ConsentStatus::Approved,
        }
    }

    #[test]
    fn an_approved_consent_allows_its_scope_on_its_theme_until_its_last_day() {
        let c = approved();
        assert_eq!(c.allows(Scope::File, "open-restaurant", TODAY), Ok(()));
        assert_eq!(
            c.allows(Scope::Follow, "open-restaurant", date!(2026 - 12 - 31)),
            Ok(())
        );
        assert_eq!(
            c.allows(Scope::Follow, "open-restaurant", date!(2027 - 01 - 01)),
            Err(Invalid::Expired)
        );
        assert_eq!(
            c.allows(Scope::Corrections, "open-restaurant", TODAY),
            Err(Invalid::OutOfScope)
        );
        assert_eq!(
            c.allows(Scope::File, "newborn", TODAY),
            Err(Invalid::OtherTheme)
        );
        assert!(c.in_force(TODAY));
        assert!(!c.in_force(date!(2027 - 01 - 01)));
    }

    #[test]
    fn only_an_approved_consent_allows_anything() {
        for (status, why) in [
            (ConsentStatus::Pending, Invalid::NotConfirmed),
            (ConsentStatus::Declined, Invalid::Declined),
            (ConsentStatus::Revoked, Invalid::Revoked),
        ] {
            let c = Consent {
                status,
                ..approved()
            };
            for scope in Scope::ALL {
                assert_eq!(c.allows(scope, "open-restaurant", TODAY), Err(why));
            }
            assert!(!c.in_force(TODAY));
        }
    }

    #[test]
    fn the_resident_approves_or_declines_once_and_revokes_an_approved_consent() {
        use ConsentStatus as S;
        use Decision as D;
        assert_eq!(decide(S::Pending, D::Approve), Ok(S::Approved));
        assert_eq!(decide(S::Pending, D::Decline), Ok(S::Declined));
        assert_eq!(decide(S::Approved, D::Revoke), Ok(S::Revoked));
        for (s, d) in [
            (S::Pending, D::Revoke),
            (S::Approved, D::Approve),
            (S::Approved, D::Decline),
            (S::Declined, D::Approve),
            (S::Revoked, D::Approve),
            (S::Revoked, D::Revoke),
        ] {
            assert_eq!(decide(s, d), Err(Invalid::WrongStatus), "{s:?} {d:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in Scope::ALL {
            assert_eq!(Scope::from_code(s.code()), Some(s));
        }
        for s in ConsentStatus::ALL {
            assert_eq!(ConsentStatus::from_code(s.code()), Some(s));
        }
        for p in Problem::ALL {
            assert_eq!(Problem::from_code(p.code()), Some(p));
        }
        for i in Invalid::ALL {
            assert_eq!(Invalid::from_code(i.code()), Some(i));
        }
        assert_eq!(
            Scope::join(&[Scope::Corrections, Scope::File]),
            "file,corrections"
        );
        assert_eq!(
            Scope::split("corrections, file,root,file"),
            [Scope::File, Scope::Corrections]
        );
    }

    fn form() -> RequestForm {
        RequestForm {
            resident_id: "11010519491231002x".into(),
            resident_name: " 张三 ".into(),
            resident_mobile: "138 0013 8000".into(),
            theme: "open-restaurant".into(),
            scopes: vec!["file".into(), "follow".into()],
            valid_until: "2026-12-31".into(),
        }
    }

    #[test]
    fn a_good_request_parses() {
        let r = parse_request(&form(), |t| t == "open-restaurant", TODAY).expect("valid");
        assert_eq!(r.resident_id.as_str(), "11010519491231002X");
        assert_eq!(r.resident_name, "张三");
        assert_eq!(r.mobile.as_str(), "13800138000");
        assert_eq!(r.scopes, [Scope::File, Scope::Follow]);
        assert_eq!(r.valid_until, date!(2026 - 12 - 31));
    }

    #[test]
    fn every_problem_of_a_request_is_named_at_once() {
        let bad = RequestForm {
            resident_id: "110105194912310021".into(),
            resident_name: "".into(),
            resident_mobile: "12345".into(),
            theme: "nope".into(),
            scopes: vec!["root".into()],
            valid_until: "2026-11-25".into(),
        };
        let problems = parse_request(&bad, |t| t == "open-restaurant", TODAY).unwrap_err();
        assert_eq!(
            problems,
            [
                (
                    Field::ResidentId,
                    Problem::ResidentId(ResidentIdError::WrongCheckDigit)
                ),
                (Field::ResidentName, Problem::Missing),
                (Field::ResidentMobile, Problem::Mobile),
                (Field::Theme, Problem::UnknownTheme),
                (Field::Scope, Problem::NoScope),
                (Field::ValidUntil, Problem::DateInPast),
            ]
        );
        let far = RequestForm {
            valid_until: "2028-01-01".into(),
            ..form()
        };
        assert_eq!(
            parse_request(&far, |_| true, TODAY).unwrap_err(),
            [(Field::ValidUntil, Problem::DateTooFar)]
        );
        let garbled = RequestForm {
            valid_until: "next year".into(),
            ..form()
        };
        assert_eq!(
            parse_request(&garbled, |_| true, TODAY).unwrap_err(),
            [(Field::ValidUntil, Problem::BadDate)]
        );
    }
}
