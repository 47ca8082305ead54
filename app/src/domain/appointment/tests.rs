use proptest::prelude::*;
use time::macros::{date, datetime};

use super::*;
use crate::domain::calendar::tests::sample as calendar_2026;

fn rules() -> Appointments {
    let day = vec![
        Period::parse("09:00-12:00").expect("period"),
        Period::parse("13:30-17:00").expect("period"),
    ];
    Appointments {
        slot_minutes: 30,
        capacity: 2,
        per_person_per_day: 2,
        days_ahead: 14,
        opening: Opening {
            mon: day.clone(),
            tue: day.clone(),
            wed: day.clone(),
            thu: day.clone(),
            fri: vec![Period::parse("09:00-12:00").expect("period")],
            make_up: None,
        },
        windows: vec![Window {
            letter: "A".into(),
            name: Text::new("窗口", "Window"),
            departments: vec!["samr".into()],
            items: vec!["psb-seal".into()],
        }],
    }
}

#[test]
fn periods_parse_and_print() {
    assert_eq!(
        Period::parse("09:00-12:30"),
        Some(Period {
            start: 540,
            end: 750
        })
    );
    assert_eq!(Period::parse("13:30 - 24:00").map(|p| p.end), Some(1440));
    for bad in [
        "9:00-12:00",
        "09:00",
        "09:60-10:00",
        "24:30-25:00",
        "",
        "a-b",
    ] {
        assert_eq!(Period::parse(bad), None, "{bad}");
    }
    assert_eq!(
        Period::parse("08:05-17:30").expect("period").to_string(),
        "08:05-17:30"
    );
}

#[test]
fn a_working_day_has_the_slots_of_its_opening_hours_in_order() {
    let cal = calendar_2026();
    // Wednesday 25 November 2026.
    let slots = rules().slots_of_day(&cal, date!(2026 - 11 - 25));
    assert_eq!(slots.len(), 6 + 7);
    assert_eq!(slots[0].start, 9 * 60);
    assert_eq!(slots[5].end, 12 * 60);
    assert_eq!(slots[6].start, 13 * 60 + 30);
    assert_eq!(slots.last().map(|s| s.end), Some(17 * 60));
    assert!(slots
        .iter()
        .enumerate()
        .all(|(i, s)| usize::from(s.index) == i));
    // Friday: mornings only.
    assert_eq!(rules().slots_of_day(&cal, date!(2026 - 11 - 27)).len(), 6);
}

#[test]
fn weekends_and_public_holidays_have_no_slots_but_make_up_days_do() {
    let cal = calendar_2026();
    let r = rules();
    assert!(
        r.slots_of_day(&cal, date!(2026 - 11 - 28)).is_empty(),
        "Saturday"
    );
    assert!(
        r.slots_of_day(&cal, date!(2026 - 10 - 01)).is_empty(),
        "National Day"
    );
    assert!(
        r.slots_of_day(&cal, date!(2026 - 10 - 05)).is_empty(),
        "a Monday in the holiday"
    );
    // Saturday 10 October 2026 is worked (调休): Monday's hours.
    assert_eq!(r.slots_of_day(&cal, date!(2026 - 10 - 10)).len(), 13);
    let mut fridays = r.clone();
    fridays.opening.make_up = Some(fridays.opening.fri.clone());
    assert_eq!(fridays.slots_of_day(&cal, date!(2026 - 10 - 10)).len(), 6);
}

#[test]
fn open_slots_leave_out_the_past_and_beyond_the_horizon() {
    let cal = calendar_2026();
    let r = rules();
    let now = datetime!(2026-11-25 10:10);
    let today = r.open_slots(&cal, date!(2026 - 11 - 25), now);
    assert_eq!(today.first().map(|s| s.start), Some(10 * 60 + 30));
    assert!(r.open_slots(&cal, date!(2026 - 11 - 24), now).is_empty());
    // 14 days ahead is 9 December; the 10th is too far.
    assert!(!r.open_slots(&cal, date!(2026 - 12 - 09), now).is_empty());
    assert!(r.open_slots(&cal, date!(2026 - 12 - 10), now).is_empty());
    let dates = r.bookable_dates(&cal, now);
    assert_eq!(dates.first(), Some(&date!(2026 - 11 - 25)));
    assert_eq!(dates.last(), Some(&date!(2026 - 12 - 09)));
    assert!(!dates.contains(&date!(2026 - 11 - 28)));
    // After closing time, today is gone.
    let late = r.bookable_dates(&cal, datetime!(2026-11-25 17:00));
    assert_eq!(late.first(), Some(&date!(2026 - 11 - 26)));
}

#[test]
fn check_says_why_a_slot_cannot_be_booked() {
    let cal = calendar_2026();
    let r = rules();
    let now = datetime!(2026-11-25 10:10);
    let ok = r
        .check(&cal, date!(2026 - 11 - 26), 9 * 60, now)
        .expect("open");
    assert_eq!(ok.index, 0);
    assert_eq!(
        r.check(&cal, date!(2026 - 11 - 25), 10 * 60, now),
        Err(BookingProblem::Past)
    );
    assert_eq!(
        r.check(&cal, date!(2026 - 11 - 24), 9 * 60, now),
        Err(BookingProblem::Past)
    );
    assert_eq!(
        r.check(&cal, date!(2026 - 11 - 26), 12 * 60 + 30, now),
        Err(BookingProblem::Closed),
        "lunch"
    );
    assert_eq!(
        r.check(&cal, date!(2026 - 11 - 26), 9 * 60 + 10, now),
        Err(BookingProblem::Closed),
        "not a slot start"
    );
    assert_eq!(
        r.check(&cal, date!(2026 - 11 - 28), 9 * 60, now),
        Err(BookingProblem::NonWorkingDay)
    );
    assert_eq!(
        r.check(&cal, date!(2026 - 12 - 10), 9 * 60, now),
        Err(BookingProblem::TooFar)
    );
    let mut no_fridays = r.clone();
    no_fridays.opening.fri.clear();
    assert_eq!(
        no_fridays.check(&cal, date!(2026 - 11 - 27), 9 * 60, now),
        Err(BookingProblem::Closed),
        "a working day the centre is closed"
    );
}

#[test]
fn queue_numbers_follow_the_day() {
    assert_eq!(queue_number("A", 0, 0, 2), "A001");
    assert_eq!(queue_number("A", 0, 1, 2), "A002");
    assert_eq!(queue_number("B", 1, 0, 2), "B003");
    assert_eq!(queue_number("C", 12, 2, 3), "C039");
    assert_eq!(rules().most_numbers_a_day(), 13 * 2);
}

#[test]
fn windows_serve_their_departments_and_items() {
    let r = rules();
    let mut item: Item = serde_json::from_value(serde_json::json!({
        "id": "samr-reg", "department": "samr", "kind": "licensing", "name": { "zh": "事项" },
        "statutory_limit": { "kind": "working_days", "days": 20 },
        "committed_limit": { "kind": "working_days", "days": 5 },
        "fee": { "yuan": 0 }, "online_level": "apply_online",
    }))
    .expect("item");
    assert_eq!(r.window_for(&item).map(|w| w.letter.as_str()), Some("A"));
    item.department = "tax".into();
    assert!(r.window_for(&item).is_none());
    item.id = "psb-seal".into();
    assert!(r.window_for(&item).is_some());
}

#[test]
fn problem_codes_round_trip() {
    for p in BookingProblem::ALL {
        assert_eq!(BookingProblem::from_code(p.code()), Some(p));
    }
    assert_eq!(BookingProblem::from_code("nope"), None);
    for s in [
        AppointmentStatus::Booked,
        AppointmentStatus::Called,
        AppointmentStatus::Cancelled,
    ] {
        assert_eq!(AppointmentStatus::from_code(s.code()), Some(s));
    }
}

proptest! {
    /// Within a day every (slot, seat) has its own number, and numbers grow with time.
    #[test]
    fn queue_numbers_are_unique_and_ordered(capacity in 1u16..10, slots in 1u16..40) {
        let mut last = String::new();
        for slot in 0..slots {
            for seat in 0..capacity {
                let n = queue_number("A", slot, seat, capacity);
                prop_assert_eq!(n.len(), 4.max(1 + (u32::from(slots) * u32::from(capacity)).to_string().len()));
                prop_assert!(n > last, "{} after {}", n, last);
                last = n;
            }
        }
    }

    /// Open slots are always inside the opening hours, on a working day, after `now` and within the horizon,
    /// and `check` accepts exactly them.
    #[test]
    fn open_slots_agree_with_check(day in 0i64..120, minute in 0i64..1440, ahead in 0i64..20) {
        let cal = calendar_2026();
        let r = rules();
        let now = datetime!(2026-09-01 00:00) + Duration::days(day) + Duration::minutes(minute);
        let date = now.date() + Duration::days(ahead);
        let open = r.open_slots(&cal, date, now);
        for s in &open {
            prop_assert!(cal.is_working_day(date));
            prop_assert!(s.starts_at() > now);
            prop_assert_eq!(r.check(&cal, date, s.start, now), Ok(*s));
        }
        for start in (8 * 60..18 * 60).step_by(15) {
            let accepted = r.check(&cal, date, start, now).is_ok();
            prop_assert_eq!(accepted, open.iter().any(|s| s.start == start));
        }
    }
}

#[test]
fn who_may_view_and_call() {
    let r = rules();
    let w = &r.windows[0];
    assert!(staff_may_call(Role::Window, None, w));
    assert!(staff_may_call(Role::Officer, Some("samr"), w));
    assert!(!staff_may_call(Role::Officer, Some("tax"), w));
    assert!(!staff_may_call(Role::Officer, None, w));
    assert!(!staff_may_call(Role::Supervisor, None, w));
    assert!(!staff_may_call(Role::Citizen, None, w));
    assert!(staff_may_view(Role::Supervisor, None, &r));
    assert!(staff_may_view(Role::Officer, Some("samr"), &r));
    assert!(!staff_may_view(Role::Officer, Some("tax"), &r));
    assert!(!staff_may_view(Role::Citizen, None, &r));
    assert!(!staff_may_view(Role::Agent, None, &r));
}
