use super::*;
use proptest::prelude::*;
use time::macros::date;

fn holiday(date: Date, to: Date, zh: &str) -> Holiday {
    Holiday {
        date,
        to,
        name: Text::zh(zh),
    }
}

/// The two notices as the tests need them (the shipped data files are checked against these in `load`).
pub(crate) fn sample() -> Calendar {
    let y2025 = CalendarYear {
        year: 2025,
        source: "国务院办公厅关于2025年部分节假日安排的通知".into(),
        holidays: vec![
            holiday(date!(2025 - 01 - 28), date!(2025 - 02 - 04), "春节"),
            holiday(
                date!(2025 - 10 - 01),
                date!(2025 - 10 - 08),
                "国庆节、中秋节",
            ),
        ],
        workdays: vec![
            date!(2025 - 01 - 26),
            date!(2025 - 02 - 08),
            date!(2025 - 09 - 28),
            date!(2025 - 10 - 11),
        ],
    };
    let y2026 = CalendarYear {
        year: 2026,
        source: "国务院办公厅关于2026年部分节假日安排的通知".into(),
        holidays: vec![
            holiday(date!(2026 - 02 - 15), date!(2026 - 02 - 23), "春节"),
            holiday(date!(2026 - 10 - 01), date!(2026 - 10 - 07), "国庆节"),
        ],
        workdays: vec![
            date!(2026 - 02 - 14),
            date!(2026 - 02 - 28),
            date!(2026 - 09 - 20),
            date!(2026 - 10 - 10),
        ],
    };
    Calendar::new(vec![y2026, y2025])
}

#[test]
fn spring_festival_2026() {
    let cal = sample();
    // Saturday 14 February is a make-up working day, then nine days off.
    assert_eq!(cal.day_kind(date!(2026 - 02 - 14)), DayKind::MakeUpWorkday);
    for d in 15..=23 {
        let day = Date::from_calendar_date(2026, time::Month::February, d).expect("valid");
        assert!(!cal.is_working_day(day), "{day}");
    }
    assert!(
        matches!(cal.day_kind(date!(2026 - 02 - 18)), DayKind::Holiday(h) if h.name.zh == "春节")
    );
    assert!(cal.is_working_day(date!(2026 - 02 - 24)));
    assert!(
        cal.is_working_day(date!(2026 - 02 - 28)),
        "Saturday 28 February is worked"
    );
    assert!(
        !cal.is_working_day(date!(2026 - 03 - 01)),
        "an ordinary Sunday"
    );

    // Accepted on Friday 13 February: one working day later is the make-up Saturday, two is 24 February.
    assert_eq!(
        cal.add_working_days(date!(2026 - 02 - 13), 1),
        date!(2026 - 02 - 14)
    );
    assert_eq!(
        cal.add_working_days(date!(2026 - 02 - 13), 2),
        date!(2026 - 02 - 24)
    );
    // 20 working days from 13 February (art. 42): 14, 24–27, 28 (6), March 2–6 (11), 9–13 (16), 16–19 (20).
    assert_eq!(
        cal.add_working_days(date!(2026 - 02 - 13), 20),
        date!(2026 - 03 - 19)
    );
    assert_eq!(
        cal.working_days_between(date!(2026 - 02 - 13), date!(2026 - 03 - 19)),
        20
    );
}

#[test]
fn on_the_spot_means_the_next_day_the_window_is_open() {
    let cal = sample();
    assert_eq!(
        cal.add_working_days(date!(2026 - 02 - 24), 0),
        date!(2026 - 02 - 24)
    );
    assert_eq!(
        cal.add_working_days(date!(2026 - 02 - 15), 0),
        date!(2026 - 02 - 24)
    );
    assert_eq!(
        cal.add_working_days(date!(2026 - 02 - 14), 0),
        date!(2026 - 02 - 14)
    );
}

#[test]
fn national_day_2025_and_2026() {
    let cal = sample();
    assert!(
        cal.is_working_day(date!(2025 - 09 - 28)),
        "Sunday 28 September 2025 is worked"
    );
    assert!(!cal.is_working_day(date!(2025 - 10 - 08)));
    assert!(cal.is_working_day(date!(2025 - 10 - 09)));
    assert!(
        cal.is_working_day(date!(2025 - 10 - 11)),
        "Saturday 11 October 2025 is worked"
    );
    // Friday 26 September 2025 + 3 working days: Sunday 28, Monday 29, Tuesday 30.
    assert_eq!(
        cal.add_working_days(date!(2025 - 09 - 26), 3),
        date!(2025 - 09 - 30)
    );
    assert_eq!(
        cal.add_working_days(date!(2025 - 09 - 30), 1),
        date!(2025 - 10 - 09)
    );

    assert!(
        cal.is_working_day(date!(2026 - 09 - 20)),
        "Sunday 20 September 2026 is worked"
    );
    assert!(!cal.is_working_day(date!(2026 - 10 - 07)));
    assert!(cal.is_working_day(date!(2026 - 10 - 08)));
    assert!(
        cal.is_working_day(date!(2026 - 10 - 10)),
        "Saturday 10 October 2026 is worked"
    );
    assert_eq!(
        cal.add_working_days(date!(2026 - 09 - 30), 5),
        date!(2026 - 10 - 13)
    );
    assert_eq!(
        cal.working_days_between(date!(2026 - 09 - 30), date!(2026 - 10 - 13)),
        5
    );
    assert_eq!(
        cal.working_days_between(date!(2026 - 10 - 13), date!(2026 - 09 - 30)),
        -5
    );
    assert_eq!(
        cal.working_days_between(date!(2026 - 10 - 01), date!(2026 - 10 - 07)),
        0
    );
}

#[test]
fn years_without_data_are_weekends_only_and_provisional() {
    let cal = sample();
    assert!(cal.covers(2026) && cal.covers(2025) && !cal.covers(2027));
    assert!(cal.covers_span(date!(2025 - 12 - 01), date!(2026 - 01 - 05)));
    assert!(!cal.covers_span(date!(2026 - 12 - 01), date!(2027 - 01 - 05)));
    // 2027-02-06 is a Saturday; without 2027 data the Spring Festival is not known.
    assert!(!cal.is_working_day(date!(2027 - 02 - 06)));
    assert!(cal.is_working_day(date!(2027 - 02 - 08)));
    assert_eq!(
        Calendar::default().add_working_days(date!(2027 - 02 - 05), 1),
        date!(2027 - 02 - 08)
    );
}

#[test]
fn saturates_at_the_end_of_time() {
    let cal = Calendar::default();
    assert_eq!(cal.add_working_days(Date::MAX, 3), Date::MAX);
    assert_eq!(cal.add_working_days(Date::MAX, 0), Date::MAX);
}

#[test]
fn serialises_dates_as_iso_text() {
    let json = serde_json::to_string(&sample()).expect("serialises");
    assert!(
        json.contains(r#""workdays":["2025-01-26","2025-02-08""#),
        "{json}"
    );
    let back: Calendar = serde_json::from_str(&json).expect("parses");
    assert_eq!(back, sample());
}

fn day_in_2025_2026() -> impl Strategy<Value = Date> {
    (0i64..700).prop_map(|n| date!(2025 - 01 - 01) + time::Duration::days(n))
}

proptest! {
    #[test]
    fn adding_then_counting_gives_back_n(start in day_in_2025_2026(), n in 0u32..40) {
        let cal = sample();
        let end = cal.add_working_days(start, n);
        prop_assert!(cal.is_working_day(end));
        prop_assert!(end >= start);
        if n > 0 {
            prop_assert_eq!(cal.working_days_between(start, end), i64::from(n));
            // From a day off, "on the spot" and "one working day" can land on the same first working day.
            let before = cal.add_working_days(start, n - 1);
            prop_assert!(before < end || (n == 1 && before == end && !cal.is_working_day(start)));
        }
    }
}
