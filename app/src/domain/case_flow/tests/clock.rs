//! The task clock (电子监察): due dates through the calendar, pauses, the extension and the warning colours, with
//! "today" moved forward by the tests.

use time::macros::date;
use time::Date;

use super::*;

/// A department task in review since `started`, with these limits.
fn running(statutory: Limit, committed: Limit, started: Date) -> Task {
    let mut t = task("t", "samr", TaskKind::Department, &[]);
    t.statutory = statutory;
    t.committed = committed;
    t.state = TaskState::InReview;
    t.clock.started_on = Some(started);
    t
}

#[test]
fn due_dates_count_working_days_from_the_start() {
    let t = running(with_extension(wd(20), 10), wd(10), MON);
    assert_eq!(t.statutory_due(cal()), Some(date!(2025 - 03 - 31)));
    assert_eq!(t.committed_due(cal()), Some(date!(2025 - 03 - 17)));
    // Across the 2025 National Day holiday, with its make-up Sunday 28 September.
    let friday = date!(2025 - 09 - 26);
    let t = running(wd(20), wd(3), friday);
    assert_eq!(t.committed_due(cal()), Some(date!(2025 - 09 - 30)));
}

#[test]
fn no_due_date_before_the_start() {
    let t = task("t", "samr", TaskKind::Department, &[]);
    assert_eq!(
        (t.statutory_due(cal()), t.committed_due(cal())),
        (None, None)
    );
    assert_eq!(t.warning(MON, cal()), ClockStatus::NotStarted);
}

#[test]
fn on_the_spot_is_due_the_same_day() {
    let spot = Limit::new(LimitKind::OnTheSpot);
    let t = running(spot.clone(), spot, MON);
    assert_eq!(t.committed_due(cal()), Some(MON));
    assert_eq!(t.warning(MON, cal()), ClockStatus::DueSoon);
    assert_eq!(
        t.warning(date!(2025 - 03 - 04), cal()),
        ClockStatus::Overdue
    );
}

#[test]
fn open_limits_have_no_due_date() {
    for kind in [LimitKind::None, LimitKind::Local] {
        let t = running(Limit::new(kind), Limit::new(kind), MON);
        assert_eq!(t.committed_due(cal()), None, "{kind:?}");
        assert_eq!(t.statutory_due(cal()), None, "{kind:?}");
        assert_eq!(
            t.warning(date!(2026 - 01 - 01), cal()),
            ClockStatus::Untimed
        );
    }
    // A local committed limit falls back to the statutory one for the colour.
    let t = running(wd(3), Limit::new(LimitKind::Local), MON);
    assert_eq!(
        t.warning(date!(2025 - 03 - 07), cal()),
        ClockStatus::Overdue
    );
}

#[test]
fn the_colour_moves_with_today() {
    let t = running(with_extension(wd(20), 10), wd(10), MON);
    // Committed due Monday 17 March; yellow from two working days before.
    let colours = [
        (date!(2025 - 03 - 10), ClockStatus::OnTrack),
        (date!(2025 - 03 - 12), ClockStatus::OnTrack),
        (date!(2025 - 03 - 13), ClockStatus::DueSoon),
        (date!(2025 - 03 - 15), ClockStatus::DueSoon),
        (date!(2025 - 03 - 17), ClockStatus::DueSoon),
        (date!(2025 - 03 - 18), ClockStatus::Overdue),
    ];
    for (today, colour) in colours {
        assert_eq!(t.warning(today, cal()), colour, "{today}");
    }
    assert_eq!(DUE_SOON_DAYS, 2);
}

#[test]
fn the_clock_pauses_while_the_applicant_corrects() {
    let case = accepted(MON);
    let mut tasks = vec![running(with_extension(wd(20), 10), wd(10), MON)];
    let wed = date!(2025 - 03 - 05);
    let items = vec![CorrectionItem::material("layout", "missing")];
    act(
        &mut tasks,
        "t",
        TaskAction::RequestCorrection { items },
        &officer("samr"),
        &case,
        wed,
    )
    .expect("pause");
    // Long past the committed due date, but the department is not to blame.
    assert_eq!(
        tasks[0].warning(date!(2025 - 04 - 30), cal()),
        ClockStatus::Paused
    );
    act(
        &mut tasks,
        "t",
        TaskAction::SupplyCorrection,
        &citizen(),
        &case,
        date!(2025 - 03 - 10),
    )
    .expect("resume");
    // Thursday, Friday and Monday were the applicant's: both due dates move three working days.
    assert_eq!(tasks[0].committed_due(cal()), Some(date!(2025 - 03 - 20)));
    assert_eq!(tasks[0].statutory_due(cal()), Some(date!(2025 - 04 - 03)));
    assert_eq!(
        tasks[0].warning(date!(2025 - 03 - 18), cal()),
        ClockStatus::DueSoon
    );
    assert_eq!(
        tasks[0].warning(date!(2025 - 03 - 21), cal()),
        ClockStatus::Overdue
    );
}

#[test]
fn an_extension_moves_both_due_dates() {
    let case = accepted(MON);
    let mut tasks = vec![running(with_extension(wd(20), 10), wd(10), MON)];
    let action = TaskAction::Extend {
        days: 10,
        reason: "expert review of the kitchen".into(),
    };
    act(
        &mut tasks,
        "t",
        action,
        &officer("samr"),
        &case,
        date!(2025 - 03 - 14),
    )
    .expect("ok");
    assert_eq!(tasks[0].statutory_due(cal()), Some(date!(2025 - 04 - 14)));
    assert_eq!(tasks[0].committed_due(cal()), Some(date!(2025 - 03 - 31)));
    assert_eq!(
        tasks[0].warning(date!(2025 - 03 - 18), cal()),
        ClockStatus::OnTrack
    );
}

#[test]
fn an_on_the_spot_limit_extends_into_working_days() {
    let spot = with_extension(Limit::new(LimitKind::OnTheSpot), 3);
    let mut t = running(spot.clone(), spot, MON);
    t.clock.extension = Some(Extension {
        days: 3,
        reason: "r".into(),
    });
    assert_eq!(t.statutory_due(cal()), Some(date!(2025 - 03 - 06)));
}

#[test]
fn calendar_day_limits_end_on_a_working_day() {
    // 60 calendar days from Monday 3 March end on Friday 2 May 2025 (a working day in the sample calendar).
    let cd = Limit::new(LimitKind::CalendarDays(60));
    let t = running(cd.clone(), cd, MON);
    assert_eq!(t.committed_due(cal()), Some(date!(2025 - 05 - 02)));
    // Ending on a Saturday moves to Monday.
    let cd = Limit::new(LimitKind::CalendarDays(5));
    let t = running(cd.clone(), cd, MON);
    assert_eq!(t.committed_due(cal()), Some(date!(2025 - 03 - 10)));
}

#[test]
fn ended_tasks_and_to_dos() {
    let t = running(wd(20), wd(10), MON);
    for state in [
        TaskState::Approved,
        TaskState::Refused { reason: "r".into() },
        TaskState::Done,
        TaskState::NotNeeded {
            refused: "x".into(),
        },
    ] {
        let ended = with_state(t.clone(), state);
        assert_eq!(
            ended.warning(date!(2026 - 01 - 01), cal()),
            ClockStatus::Done
        );
    }
    let todo = with_state(t, TaskState::ToDo);
    assert_eq!(
        todo.warning(date!(2026 - 01 - 01), cal()),
        ClockStatus::Untimed
    );
}
