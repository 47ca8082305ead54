//! Calendar checks: one file per year, dates inside their year, no overlapping holidays, make-up working days on
//! weekends outside holidays.

use std::collections::HashMap;

use time::Weekday;

use super::{at, Cx, Entity, Issue, Site};
use crate::domain::calendar::CalendarYear;

pub(super) fn check(cx: &mut Cx<'_>, years: &[CalendarYear]) {
    let mut first: HashMap<i32, usize> = HashMap::new();
    for (y, year) in years.iter().enumerate() {
        let e = Entity::CalendarYear(y);
        if let Some(&earlier) = first.get(&year.year) {
            cx.issues.push(Issue {
                at: Site {
                    entity: e,
                    path: at!["year"],
                },
                message: format!("calendar year {} is given twice", year.year),
                related: Some(Site {
                    entity: Entity::CalendarYear(earlier),
                    path: at!["year"],
                }),
            });
        } else {
            first.insert(year.year, y);
        }
        if year.source.trim().is_empty() {
            cx.push(
                e,
                at!["source"],
                "a calendar year needs its `source` (the State Council notice)".into(),
            );
        }
        check_year(cx, e, year);
    }
}

fn check_year(cx: &mut Cx<'_>, e: Entity, year: &CalendarYear) {
    let y = year.year;
    for (h, holiday) in year.holidays.iter().enumerate() {
        cx.text(e, at!["holidays", h, "name"], &holiday.name, true);
        if holiday.to < holiday.date {
            cx.push(
                e,
                at!["holidays", h, "to"],
                format!("holiday `{}` ends before it starts", holiday.name.zh),
            );
        }
        if holiday.date.year() != y || holiday.to.year() != y {
            cx.push(
                e,
                at!["holidays", h, "date"],
                format!(
                    "holiday `{}` ({}..={}) is outside the year {y}",
                    holiday.name.zh, holiday.date, holiday.to
                ),
            );
        }
        for (g, other) in year.holidays.iter().enumerate().take(h) {
            if holiday.date <= other.to && other.date <= holiday.to {
                cx.push(
                    e,
                    at!["holidays", h, "date"],
                    format!(
                        "holiday `{}` overlaps holiday `{}` (entry {})",
                        holiday.name.zh,
                        other.name.zh,
                        g + 1
                    ),
                );
            }
        }
    }
    for (w, day) in year.workdays.iter().enumerate() {
        let at = at!["workdays", w];
        if day.year() != y {
            cx.push(
                e,
                at.clone(),
                format!("make-up working day {day} is outside the year {y}"),
            );
        }
        if !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
            cx.push(
                e,
                at.clone(),
                format!(
                    "make-up working day {day} is a {}, not a weekend day",
                    day.weekday()
                ),
            );
        }
        if let Some(h) = year.holidays.iter().find(|h| h.contains(*day)) {
            cx.push(
                e,
                at.clone(),
                format!(
                    "make-up working day {day} falls inside holiday `{}`",
                    h.name.zh
                ),
            );
        }
        if year.workdays.iter().take(w).any(|d| d == day) {
            cx.push(e, at, format!("make-up working day {day} is listed twice"));
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use crate::domain::calendar::{CalendarYear, Holiday};
    use crate::domain::catalog::CatalogParts;
    use crate::domain::text::Text;
    use crate::domain::validate::validate;

    /// A catalog holding one valid calendar year and nothing else.
    fn base() -> CatalogParts {
        CatalogParts {
            calendar: vec![CalendarYear {
                year: 2026,
                source: "国务院办公厅关于2026年部分节假日安排的通知".into(),
                holidays: vec![Holiday {
                    date: date!(2026 - 02 - 15),
                    to: date!(2026 - 02 - 23),
                    name: Text::new("春节", "Spring Festival"),
                }],
                workdays: vec![date!(2026 - 02 - 14), date!(2026 - 02 - 28)],
            }],
            ..Default::default()
        }
    }

    #[track_caller]
    fn one(parts: &CatalogParts, site: &str, message: &str) {
        let issues = validate(parts);
        let shown: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
        assert_eq!(issues.len(), 1, "expected one issue, got {shown:#?}");
        assert_eq!(issues[0].at.to_string(), site, "{shown:#?}");
        assert!(issues[0].message.contains(message), "{shown:#?}");
    }

    #[test]
    fn the_fixture_is_valid() {
        assert_eq!(validate(&base()), vec![]);
    }

    #[test]
    fn calendar_overlaps_and_dates_outside_the_year() {
        let mut p = base();
        let mut overlap = p.calendar[0].holidays[0].clone();
        overlap.date = date!(2026 - 02 - 23);
        overlap.to = date!(2026 - 02 - 24);
        p.calendar[0].holidays.push(overlap);
        one(&p, "CalendarYear(0).holidays[1].date", "overlaps holiday");
        let mut p = base();
        let mut next_year = p.calendar[0].holidays[0].clone();
        next_year.date = date!(2027 - 01 - 01);
        next_year.to = date!(2027 - 01 - 01);
        p.calendar[0].holidays.push(next_year);
        one(
            &p,
            "CalendarYear(0).holidays[1].date",
            "outside the year 2026",
        );
        let mut p = base();
        p.calendar[0].holidays[0].to = date!(2026 - 02 - 01);
        one(
            &p,
            "CalendarYear(0).holidays[0].to",
            "ends before it starts",
        );
        let mut p = base();
        p.calendar[0].workdays.push(date!(2025 - 12 - 27));
        one(&p, "CalendarYear(0).workdays[2]", "outside the year 2026");
    }

    #[test]
    fn calendar_make_up_days_and_years() {
        let mut p = base();
        p.calendar[0].workdays.push(date!(2026 - 03 - 02));
        one(
            &p,
            "CalendarYear(0).workdays[2]",
            "is a Monday, not a weekend day",
        );
        let mut p = base();
        p.calendar[0].workdays.push(date!(2026 - 02 - 21));
        one(
            &p,
            "CalendarYear(0).workdays[2]",
            "falls inside holiday `春节`",
        );
        let mut p = base();
        p.calendar[0].workdays.push(date!(2026 - 02 - 14));
        one(&p, "CalendarYear(0).workdays[2]", "listed twice");
        let mut p = base();
        let again = p.calendar[0].clone();
        p.calendar.push(again);
        one(
            &p,
            "CalendarYear(1).year",
            "calendar year 2026 is given twice",
        );
        let mut p = base();
        p.calendar[0].source = " ".into();
        one(&p, "CalendarYear(0).source", "needs its `source`");
    }
}
