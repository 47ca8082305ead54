//! Any text to the unified social credit code parser (GB 32100): a code or an error, never a panic; an accepted
//! code is 18 characters with a valid check character.
#![no_main]

use app::domain::ids::CreditCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(code) = CreditCode::parse(raw) {
        let s = code.as_str();
        assert_eq!(s.chars().count(), 18);
        assert_eq!(CreditCode::check_char(&s[..17]), s.chars().last());
        let _ = code.masked();
    }
});
