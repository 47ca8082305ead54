//! Calendar files, and the shipped catalog as a whole.

use std::path::{Path, PathBuf};

use super::tests::{edit, errors, with, YEAR};
use super::*;

#[test]
fn calendar_files() {
    let got = errors(&with(
        "calendar/2026.toml",
        edit(
            YEAR,
            "workdays = [ 2026-02-14,",
            "workdays = [ 2026-02-14T09:00:00,",
        ),
    ));
    assert_eq!(
        got,
        vec!["calendar/2026.toml:6: `2026-02-14T09:00:00` is not a date like 2026-01-01"]
    );
    let got = errors(&with(
        "calendar/2026.toml",
        edit(YEAR, "{ date = 2026-05-01,", "{ date = 2026-02-23,"),
    ));
    assert_eq!(
        got,
        vec!["calendar/2026.toml:5: holiday `劳动节` overlaps holiday `春节` (entry 1)"]
    );
    let got = errors(&[("calendar/2025.toml", YEAR)]);
    assert!(
        got.contains(
            &"calendar/2025.toml:2: year 2026 does not match the file name `2025.toml`".to_owned()
        ),
        "{got:#?}"
    );
    let got = errors(&with(
        "calendar/2026.toml",
        edit(YEAR, "2026-02-28 ]", "2026-02-28, 2027-01-02 ]"),
    ));
    assert_eq!(
        got,
        vec!["calendar/2026.toml:6: make-up working day 2027-01-02 is outside the year 2026"]
    );
    let got = errors(&with(
        "calendar/2026.toml",
        edit(YEAR, "source = ", "sauce = "),
    ));
    assert!(got[0].starts_with("calendar/2026.toml:"), "{got:#?}");
}

const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../server/catalog");

#[test]
fn shipped_calendar_matches_the_notices() {
    let sources: Vec<(PathBuf, String)> =
        ["calendar/2025.toml", "calendar/2026.toml", "catalog.toml"]
            .iter()
            .map(|f| {
                let path = Path::new(SHIPPED).join(f);
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                (path, text)
            })
            .collect();
    let catalog = load_sources(Path::new(SHIPPED), &sources).unwrap_or_else(|e| panic!("{e}"));
    let cal = catalog.calendar();
    let sample = crate::domain::calendar::tests::sample();
    // Every day of both years agrees with the test calendar on the days the tests care about, and the files hold
    // the other holidays of the notices too.
    for (day, working) in [
        (time::macros::date!(2026 - 02 - 14), true),
        (time::macros::date!(2026 - 02 - 23), false),
        (time::macros::date!(2026 - 02 - 28), true),
        (time::macros::date!(2025 - 09 - 28), true),
        (time::macros::date!(2025 - 10 - 08), false),
        (time::macros::date!(2025 - 10 - 11), true),
        (time::macros::date!(2026 - 09 - 20), true),
        (time::macros::date!(2026 - 10 - 07), false),
        (time::macros::date!(2026 - 10 - 10), true),
        (time::macros::date!(2026 - 01 - 04), true),
        (time::macros::date!(2026 - 05 - 09), true),
        (time::macros::date!(2026 - 09 - 25), false),
        (time::macros::date!(2025 - 01 - 01), false),
        (time::macros::date!(2025 - 04 - 27), true),
    ] {
        assert_eq!(cal.is_working_day(day), working, "{day}");
    }
    for day in (0..730).map(|n| time::macros::date!(2025 - 01 - 01) + time::Duration::days(n)) {
        let differs_by_design = !sample.is_working_day(day) || cal.is_working_day(day);
        assert!(
            differs_by_design || cal.day_kind(day) != crate::domain::calendar::DayKind::Working,
            "{day}"
        );
    }
    assert_eq!(
        cal.years()
            .iter()
            .map(|y| y.holidays.len())
            .collect::<Vec<_>>(),
        vec![6, 7]
    );
}

#[test]
fn shipped_catalog_is_valid() {
    let catalog = load_catalog(Path::new(SHIPPED)).unwrap_or_else(|errors| panic!("{errors}"));
    // Every theme forms a step graph the roadmap can lay out.
    for theme in catalog.themes() {
        let overview = crate::domain::roadmap::overview(theme, &catalog)
            .unwrap_or_else(|e| panic!("{}: {e}", theme.id));
        assert_eq!(overview.steps.len(), theme.steps.len(), "{}", theme.id);
    }
}

#[test]
fn every_shipped_theme_can_be_answered_to_the_end() {
    use crate::domain::answer::{Answer, Answers};
    use crate::domain::roadmap::plan;
    use crate::domain::theme::QuestionKind;

    let catalog = load_catalog(Path::new(SHIPPED)).unwrap_or_else(|errors| panic!("{errors}"));
    for theme in catalog.current_themes() {
        let mut answers = Answers::new();
        let mut finished = false;
        for _ in 0..=theme.questions.len() {
            let roadmap =
                plan(theme, &catalog, &answers).unwrap_or_else(|e| panic!("{}: {e}", theme.id));
            let Some(next) = roadmap.next_question else {
                assert!(
                    roadmap.pending.is_empty(),
                    "{}: undecided {:?}",
                    theme.id,
                    roadmap.pending
                );
                finished = true;
                break;
            };
            let question = theme
                .question(&next)
                .unwrap_or_else(|| panic!("{}: no question {next}", theme.id));
            // The first option, the smallest number, a date in the covered years.
            let answer = match question.kind {
                QuestionKind::Number => Answer::Number(question.min.unwrap_or(1.0)),
                QuestionKind::Date => Answer::Date(time::macros::date!(2026 - 03 - 02)),
                _ => Answer::Choice(
                    question
                        .option_values()
                        .first()
                        .map_or_else(String::new, |v| (*v).to_owned()),
                ),
            };
            answers.insert(next, answer);
        }
        assert!(finished, "{}: questions never ran out", theme.id);
    }
}
