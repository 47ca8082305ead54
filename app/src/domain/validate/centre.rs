//! A service centre's booking rules (预约取号): sensible numbers, opening hours that are real, ordered and do not
//! overlap and hold at least one slot, windows with a unique capital letter, serving known departments and items,
//! and no day with more numbers than three digits can count.

use std::collections::HashSet;

use super::{at, Cx, Entity, Kind, PathSeg};
use crate::domain::appointment::Appointments;
use crate::domain::catalog::Centre;

pub(super) fn check(cx: &mut Cx<'_>, c: usize, centre: &Centre) {
    let Some(a) = &centre.appointments else {
        return;
    };
    let e = Entity::Centre(c);
    let base = |rest: Vec<PathSeg>| {
        let mut p = at!["appointments"];
        p.extend(rest);
        p
    };
    let ranges: [(&'static str, u16, u16, u16); 4] = [
        ("slot_minutes", a.slot_minutes, 5, 240),
        ("capacity", a.capacity, 1, 99),
        ("per_person_per_day", a.per_person_per_day, 1, 10),
        ("days_ahead", a.days_ahead, 1, 90),
    ];
    for (key, value, min, max) in ranges {
        if !(min..=max).contains(&value) {
            cx.push(
                e,
                base(at![key]),
                format!("`{key}` must be from {min} to {max} (got {value})"),
            );
        }
    }
    opening(cx, e, a, &base);
    if a.windows.is_empty() {
        cx.push(
            e,
            base(Vec::new()),
            "appointments need at least one [[service_centre.appointments.window]]".into(),
        );
    }
    let mut letters = HashSet::new();
    for (w, window) in a.windows.iter().enumerate() {
        let l = &window.letter;
        let one_capital = l.len() == 1 && l.bytes().all(|b| b.is_ascii_uppercase());
        if !one_capital {
            cx.push(
                e,
                base(at!["window", w, "letter"]),
                format!("a window's `letter` is one capital letter A–Z (got `{l}`)"),
            );
        } else if !letters.insert(l.as_str()) {
            cx.push(
                e,
                base(at!["window", w, "letter"]),
                format!(
                    "two windows of centre `{}` have the letter `{l}`",
                    centre.id
                ),
            );
        }
        cx.text(e, base(at!["window", w, "name"]), &window.name, true);
        if window.departments.is_empty() && window.items.is_empty() {
            cx.push(
                e,
                base(at!["window", w]),
                format!("window `{l}` serves nothing: give `departments` or `items`"),
            );
        }
        for (k, d) in window.departments.iter().enumerate() {
            cx.reference(
                e,
                base(at!["window", w, "departments", k]),
                Kind::Department,
                d,
            );
        }
        for (k, i) in window.items.iter().enumerate() {
            cx.reference(e, base(at!["window", w, "items", k]), Kind::Item, i);
        }
    }
    let most = a.most_numbers_a_day();
    if a.slot_minutes > 0 && most > 999 {
        cx.push(
            e,
            base(at!["capacity"]),
            format!("a window would give out {most} numbers on its busiest day; queue numbers have three digits (at most 999)"),
        );
    }
}

fn opening(
    cx: &mut Cx<'_>,
    e: Entity,
    a: &Appointments,
    base: &dyn Fn(Vec<PathSeg>) -> Vec<PathSeg>,
) {
    let mut any = false;
    for (day, periods) in a.opening.days() {
        let mut valid = Vec::new();
        for (k, p) in periods.iter().enumerate() {
            let here = base(at!["opening", day, k]);
            if p.start >= p.end {
                cx.push(
                    e,
                    here,
                    format!("opening hours `{p}` on `{day}` end before they start"),
                );
            } else if p.end - p.start < a.slot_minutes {
                cx.push(
                    e,
                    here,
                    format!(
                        "opening hours `{p}` on `{day}` are shorter than one slot ({} minutes)",
                        a.slot_minutes
                    ),
                );
            } else {
                valid.push((k, *p));
            }
        }
        valid.sort_by_key(|(_, p)| *p);
        for pair in valid.windows(2) {
            let [(_, first), (k, second)] = pair else {
                continue;
            };
            if second.start < first.end {
                cx.push(
                    e,
                    base(at!["opening", day, *k]),
                    format!("opening hours `{second}` on `{day}` overlap `{first}`"),
                );
            }
        }
        any |= !valid.is_empty();
    }
    if !any {
        cx.push(
            e,
            base(at!["opening"]),
            "the centre takes appointments but is open on no day: give hours like mon = [\"09:00-12:00\"]".into(),
        );
    }
}
