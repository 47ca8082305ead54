use proptest::prelude::*;
use time::macros::date;

use super::*;

const TODAY: Date = date!(2026 - 01 - 15);

fn rid(raw: &str) -> Result<ResidentId, ResidentIdError> {
    ResidentId::parse(raw, TODAY)
}

// ---------------------------------------------------------------- resident ID

#[test]
fn the_standard_example_passes_and_is_masked() {
    let id = rid("11010519491231002X").expect("valid");
    assert_eq!(id.as_str(), "11010519491231002X");
    assert_eq!(id.birth_date(), date!(1949 - 12 - 31));
    assert_eq!(id.masked(), "1101**********002X");
    assert_eq!(id.to_string(), "1101**********002X");
    assert_eq!(format!("{id:?}"), r#"ResidentId("1101**********002X")"#);
}

#[test]
fn lower_case_x_and_spaces_around_are_normalised() {
    let id = rid(" 11010519491231002x\n").expect("valid");
    assert_eq!(id.as_str(), "11010519491231002X");
}

#[test]
fn each_resident_id_error() {
    assert_eq!(rid(""), Err(ResidentIdError::WrongLength));
    assert_eq!(rid("11010519491231002"), Err(ResidentIdError::WrongLength));
    assert_eq!(
        rid("11010519491231002XX"),
        Err(ResidentIdError::WrongLength)
    );
    assert_eq!(rid("1101051949123100 X"), Err(ResidentIdError::NotDigits));
    assert_eq!(rid("X1010519491231002X"), Err(ResidentIdError::NotDigits));
    assert_eq!(rid("11010519491231002Y"), Err(ResidentIdError::NotDigits));
    // Full-width digits are 18 chars but not ASCII digits.
    assert_eq!(
        rid("１１０１０５１９４９１２３１００２Ｘ"),
        Err(ResidentIdError::NotDigits)
    );
    assert_eq!(
        rid("110105194912310021"),
        Err(ResidentIdError::WrongCheckDigit)
    );
}

/// A valid id for a body of 17 digits.
fn with_check(body: &str) -> String {
    let check = ResidentId::check_char(body).expect("17 digits");
    format!("{body}{check}")
}

#[test]
fn birth_date_must_be_real_after_1900_and_not_in_the_future() {
    assert_eq!(
        rid(&with_check("11010520230229001")),
        Err(ResidentIdError::BadBirthDate)
    );
    assert_eq!(
        rid(&with_check("11010520241301001")),
        Err(ResidentIdError::BadBirthDate)
    );
    assert_eq!(
        rid(&with_check("11010518991231001")),
        Err(ResidentIdError::BadBirthDate)
    );
    assert_eq!(
        rid(&with_check("11010520260116001")),
        Err(ResidentIdError::BadBirthDate)
    );
    let born_today = rid(&with_check("11010520260115001")).expect("born today");
    assert_eq!(born_today.birth_date(), TODAY);
    assert!(rid(&with_check("11010520240229001")).is_ok(), "a leap day");
    assert!(rid(&with_check("11010519000101001")).is_ok());
}

#[test]
fn check_char_needs_17_ascii_digits() {
    assert_eq!(ResidentId::check_char("11010519491231002"), Some('X'));
    assert_eq!(ResidentId::check_char("1101051949123100"), None);
    assert_eq!(ResidentId::check_char("1101051949123100A"), None);
}

#[test]
fn resident_id_travels_whole_and_is_checked_on_the_way_in() {
    let id = rid("11010519491231002x").expect("valid");
    let json = serde_json::to_string(&id).expect("serialises");
    assert_eq!(json, r#""11010519491231002X""#);
    assert_eq!(
        serde_json::from_str::<ResidentId>(&json).expect("parses"),
        id
    );
    assert!(serde_json::from_str::<ResidentId>(r#""110105194912310021""#).is_err());
}

// ---------------------------------------------------------------- credit code

#[test]
fn the_standard_credit_code_passes_in_either_case() {
    let code = CreditCode::parse("91512081MA62K0260E").expect("valid");
    assert_eq!(code.as_str(), "91512081MA62K0260E");
    assert_eq!(code.masked(), "9151**********260E");
    assert_eq!(
        format!("{code} {code:?}"),
        r#"9151**********260E CreditCode("9151**********260E")"#
    );
    assert_eq!(CreditCode::parse(" 91512081ma62k0260e "), Ok(code.clone()));
    let json = serde_json::to_string(&code).expect("serialises");
    assert_eq!(
        serde_json::from_str::<CreditCode>(&json).expect("parses"),
        code
    );
}

#[test]
fn each_credit_code_error() {
    assert_eq!(
        CreditCode::parse("91512081MA62K0260"),
        Err(CreditCodeError::WrongLength)
    );
    // I, O, S, V and Z are not in the alphabet.
    for bad in [
        "91512081MA62K0260I",
        "91512081MO62K0260E",
        "S1512081MA62K0260E",
    ] {
        assert_eq!(
            CreditCode::parse(bad),
            Err(CreditCodeError::InvalidChar),
            "{bad}"
        );
    }
    assert_eq!(
        CreditCode::parse("91512081MA62K0260é"),
        Err(CreditCodeError::InvalidChar)
    );
    assert_eq!(
        CreditCode::parse("91512081MA62K0260F"),
        Err(CreditCodeError::WrongCheckChar)
    );
    assert_eq!(CreditCode::check_char("91512081MA62K0260"), Some('E'));
    assert_eq!(CreditCode::check_char("91512081MA62K026O"), None);
}

// ---------------------------------------------------------------- mobile phone

#[test]
fn phones_are_written_in_many_ways() {
    for raw in [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+86-13812345678",
        "8613812345678",
        " 86 138 1234 5678 ",
    ] {
        let p = MobilePhone::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e:?}"));
        assert_eq!(p.as_str(), "13812345678");
        assert_eq!(p.masked(), "138****5678");
        assert_eq!(p.to_string(), "138****5678");
    }
}

#[test]
fn each_phone_error() {
    assert_eq!(
        MobilePhone::parse("1381234567"),
        Err(PhoneError::WrongLength)
    );
    assert_eq!(
        MobilePhone::parse("138123456789"),
        Err(PhoneError::WrongLength)
    );
    assert_eq!(
        MobilePhone::parse("138I2345678"),
        Err(PhoneError::NotDigits)
    );
    assert_eq!(
        MobilePhone::parse("(010) 1234567"),
        Err(PhoneError::NotDigits)
    );
    assert_eq!(
        MobilePhone::parse("12812345678"),
        Err(PhoneError::NotMobile)
    );
    assert_eq!(
        MobilePhone::parse("01012345678"),
        Err(PhoneError::NotMobile)
    );
    assert_eq!(
        MobilePhone::parse("+1 415 555 0100"),
        Err(PhoneError::NotMobile)
    );
    assert_eq!(MobilePhone::parse(""), Err(PhoneError::WrongLength));
}

// ---------------------------------------------------------------- properties

/// 17 digits whose birth date is real and in 1900..=2025.
fn resident_body() -> impl Strategy<Value = String> {
    (
        0u32..1_000_000,
        1900i32..=2025,
        1u8..=12,
        1u8..=31,
        0u32..1000,
    )
        .prop_filter_map("a real date", |(area, year, month, day, seq)| {
            let month = Month::try_from(month).ok()?;
            Date::from_calendar_date(year, month, day).ok()?;
            Some(format!(
                "{area:06}{year:04}{:02}{day:02}{seq:03}",
                u8::from(month)
            ))
        })
}

fn credit_body() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(CREDIT_ALPHABET.to_vec()), 17)
        .prop_map(|b| String::from_utf8(b).unwrap_or_default())
}

/// `s` with the char at `at` replaced by `c`.
fn replace(s: &str, at: usize, c: char) -> String {
    s.chars()
        .enumerate()
        .map(|(i, x)| if i == at { c } else { x })
        .collect()
}

proptest! {
    #[test]
    fn a_body_with_its_check_char_always_parses(body in resident_body()) {
        let raw = with_check(&body);
        let id = rid(&raw).expect("valid");
        prop_assert_eq!(id.as_str(), raw.as_str());
        prop_assert_eq!(&id.as_str()[6..14], &body[6..14]);
        prop_assert_eq!(rid(&raw.to_lowercase()), Ok(id));
    }

    #[test]
    fn one_changed_char_is_caught(body in resident_body(), at in 0usize..18,
                                  c in proptest::sample::select("0123456789Xx".chars().collect::<Vec<_>>())) {
        let valid = with_check(&body);
        let changed = replace(&valid, at, c);
        match rid(&changed) {
            // Only the same id again (x for X) may pass: mod 11 catches every single substitution.
            Ok(id) => prop_assert_eq!(id.as_str(), valid.as_str()),
            Err(_) => prop_assert_ne!(changed.to_uppercase(), valid),
        }
    }

    #[test]
    fn a_credit_body_with_its_check_char_always_parses(body in credit_body()) {
        let check = CreditCode::check_char(&body).expect("alphabet only");
        let raw = format!("{body}{check}");
        let code = CreditCode::parse(&raw).expect("valid");
        prop_assert_eq!(code.as_str(), raw.as_str());
        prop_assert_eq!(CreditCode::parse(&raw.to_lowercase()), Ok(code));
    }

    #[test]
    fn one_changed_credit_char_is_caught(body in credit_body(), at in 0usize..18,
                                         c in proptest::sample::select(CREDIT_ALPHABET.to_vec())) {
        let check = CreditCode::check_char(&body).expect("alphabet only");
        let valid = format!("{body}{check}");
        let changed = replace(&valid, at, char::from(c));
        prop_assert_eq!(CreditCode::parse(&changed).is_ok(), changed == valid);
    }

    #[test]
    fn parsing_never_panics(raw in "\\PC{0,40}") {
        if let Ok(id) = rid(&raw) {
            prop_assert_eq!(id.as_str().len(), 18);
        }
        if let Ok(code) = CreditCode::parse(&raw) {
            prop_assert_eq!(code.as_str().len(), 18);
        }
        if let Ok(p) = MobilePhone::parse(&raw) {
            prop_assert_eq!(p.masked().len(), 11);
        }
    }

    #[test]
    fn eighteen_chars_of_anything_never_panic(raw in "[0-9Xx一二\\-+ é]{18}") {
        let _ = rid(&raw);
        let _ = CreditCode::parse(&raw);
        let _ = MobilePhone::parse(&raw);
    }

    #[test]
    fn formatted_mobiles_parse_to_their_digits(second in 3u8..=9, rest in "[0-9]{9}",
                                               prefix in proptest::sample::select(vec!["", "+86", "86", "+86 "]),
                                               sep in proptest::sample::select(vec!["", " ", "-"])) {
        let digits = format!("1{second}{rest}");
        let raw = format!("{prefix}{}{sep}{}{sep}{}", &digits[..3], &digits[3..7], &digits[7..]);
        let p = MobilePhone::parse(&raw).expect("valid");
        prop_assert_eq!(p.as_str(), digits.as_str());
    }
}
