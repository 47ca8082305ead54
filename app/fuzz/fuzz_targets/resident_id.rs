//! Any text to the resident ID parser (GB 11643): an ID or an error, never a panic; an accepted ID keeps its
//! check digit valid, its birth date before "today" and its masked form hides the middle.
#![no_main]

use app::domain::ids::ResidentId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let today = time::macros::date!(2026 - 11 - 26);
    if let Ok(id) = ResidentId::parse(raw, today) {
        let s = id.as_str();
        assert_eq!(s.len(), 18);
        assert_eq!(ResidentId::check_char(&s[..17]), s.chars().last());
        assert!(id.birth_date() <= today);
        assert!(!id.masked().contains(&s[6..14]));
    }
});
