//! 预约取号: appointments at a service centre's windows. The centre's booking rules are catalog data
//! (`[service_centre.appointments]`: slot length, capacity per slot, limit per person per day, how far ahead,
//! opening hours per weekday, windows with the departments and items each serves); this module turns them into
//! the slots of a day on the working-day calendar, checks a requested slot, and makes queue numbers.
//!
//! Times are Beijing local time (minutes after midnight). A queue number is the window's letter and three digits:
//! `slot index × capacity + seat + 1`, so numbers follow the order of the day and are unique per centre and day
//! without a counter (the database's unique seat index does the rest).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Duration, PrimitiveDateTime, Weekday};

use super::calendar::{Calendar, DayKind};
use super::item::Item;
use super::role::Role;
use super::text::Text;

/// A centre's booking rules (`[service_centre.appointments]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appointments {
    /// Length of one slot in minutes.
    pub slot_minutes: u16,
    /// Appointments per window per slot.
    pub capacity: u16,
    /// Active appointments one person may hold at this centre on one day.
    pub per_person_per_day: u16,
    /// How many days ahead (after today) may be booked.
    pub days_ahead: u16,
    pub opening: Opening,
    #[serde(default, rename = "window")]
    pub windows: Vec<Window>,
}

/// Opening hours per weekday. Weekends are not working days, so they have no key; a 调休 make-up working day
/// keeps `make_up` hours, Monday's when not given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opening {
    #[serde(default)]
    pub mon: Vec<Period>,
    #[serde(default)]
    pub tue: Vec<Period>,
    #[serde(default)]
    pub wed: Vec<Period>,
    #[serde(default)]
    pub thu: Vec<Period>,
    #[serde(default)]
    pub fri: Vec<Period>,
    #[serde(default)]
    pub make_up: Option<Vec<Period>>,
}

impl Opening {
    /// The days in data order, with their key names (for validation messages).
    pub fn days(&self) -> [(&'static str, &[Period]); 6] {
        [
            ("mon", &self.mon),
            ("tue", &self.tue),
            ("wed", &self.wed),
            ("thu", &self.thu),
            ("fri", &self.fri),
            ("make_up", self.make_up.as_deref().unwrap_or(&[])),
        ]
    }

    fn of(&self, weekday: Weekday) -> &[Period] {
        match weekday {
            Weekday::Monday => &self.mon,
            Weekday::Tuesday => &self.tue,
            Weekday::Wednesday => &self.wed,
            Weekday::Thursday => &self.thu,
            Weekday::Friday => &self.fri,
            Weekday::Saturday | Weekday::Sunday => &[],
        }
    }
}

/// Opening hours `start..end`, minutes after midnight, written `"09:00-12:00"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    pub start: u16,
    pub end: u16,
}

impl Period {
    /// Parses `HH:MM-HH:MM` (24:00 allowed as an end). Does not check that start < end: the validator reports that.
    pub fn parse(s: &str) -> Option<Period> {
        let (a, b) = s.split_once('-')?;
        Some(Period {
            start: parse_hhmm(a.trim())?,
            end: parse_hhmm(b.trim())?,
        })
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", hhmm(self.start), hhmm(self.end))
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_string().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Period, D::Error> {
        let s = String::deserialize(d)?;
        Period::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("`{s}` is not opening hours like \"09:00-12:00\""))
        })
    }
}

/// `HH:MM` → minutes after midnight (00:00 to 24:00).
pub fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    match (h, m) {
        (24, 0) => Some(24 * 60),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

/// Minutes after midnight as `HH:MM`.
pub fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A window (窗口) of a centre: its letter starts its queue numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// One capital letter, unique in the centre.
    pub letter: String,
    pub name: Text,
    /// Every item of these departments is served here…
    #[serde(default)]
    pub departments: Vec<String>,
    /// …and these items.
    #[serde(default)]
    pub items: Vec<String>,
}

impl Window {
    pub fn serves(&self, item: &Item) -> bool {
        self.departments.contains(&item.department) || self.items.contains(&item.id)
    }
}

impl Appointments {
    /// The first window that serves the item.
    pub fn window_for(&self, item: &Item) -> Option<&Window> {
        self.windows.iter().find(|w| w.serves(item))
    }

    pub fn window(&self, letter: &str) -> Option<&Window> {
        self.windows.iter().find(|w| w.letter == letter)
    }

    /// Every slot of a day, open or not yet past: none on a day that is not a working day.
    pub fn slots_of_day(&self, calendar: &Calendar, date: Date) -> Vec<Slot> {
        let periods = match calendar.day_kind(date) {
            DayKind::Working => self.opening.of(date.weekday()),
            DayKind::MakeUpWorkday => self.opening.make_up.as_deref().unwrap_or(&self.opening.mon),
            DayKind::Weekend | DayKind::Holiday(_) => &[],
        };
        let step = self.slot_minutes.max(1);
        let mut slots = Vec::new();
        let mut sorted = periods.to_vec();
        sorted.sort();
        for p in sorted {
            let mut start = p.start;
            while start + step <= p.end {
                slots.push(Slot {
                    date,
                    start,
                    end: start + step,
                    index: u16::try_from(slots.len()).unwrap_or(u16::MAX),
                });
                start += step;
            }
        }
        slots
    }

    /// The slots of `date` that can still be booked at `now` (local time): none before today, none beyond
    /// `days_ahead`, none that has started.
    pub fn open_slots(&self, calendar: &Calendar, date: Date, now: PrimitiveDateTime) -> Vec<Slot> {
        if date < now.date() || date > last_day(now.date(), self.days_ahead) {
            return Vec::new();
        }
        self.slots_of_day(calendar, date)
            .into_iter()
            .filter(|s| s.starts_at() > now)
            .collect()
    }

    /// The days from today to `days_ahead` that have an open slot.
    pub fn bookable_dates(&self, calendar: &Calendar, now: PrimitiveDateTime) -> Vec<Date> {
        let today = now.date();
        (0..=i64::from(self.days_ahead))
            .filter_map(|d| today.checked_add(Duration::days(d)))
            .filter(|d| !self.open_slots(calendar, *d, now).is_empty())
            .collect()
    }

    /// The slot starting at `start` on `date`, if it may be booked at `now`; otherwise why not.
    pub fn check(
        &self,
        calendar: &Calendar,
        date: Date,
        start: u16,
        now: PrimitiveDateTime,
    ) -> Result<Slot, BookingProblem> {
        let day = self.slots_of_day(calendar, date);
        if day.is_empty() {
            return Err(if calendar.is_working_day(date) {
                BookingProblem::Closed
            } else {
                BookingProblem::NonWorkingDay
            });
        }
        let Some(slot) = day.into_iter().find(|s| s.start == start) else {
            return Err(BookingProblem::Closed);
        };
        if slot.starts_at() <= now {
            return Err(BookingProblem::Past);
        }
        if date > last_day(now.date(), self.days_ahead) {
            return Err(BookingProblem::TooFar);
        }
        Ok(slot)
    }

    /// The queue number of a seat in a slot.
    pub fn queue_number(&self, letter: &str, slot_index: u16, seat: u16) -> String {
        queue_number(letter, slot_index, seat, self.capacity)
    }

    /// The most numbers one window gives out in a day (the busiest day's slots × capacity).
    pub fn most_numbers_a_day(&self) -> u32 {
        self.opening
            .days()
            .iter()
            .map(|(_, periods)| {
                periods
                    .iter()
                    .map(|p| {
                        u32::from(p.end.saturating_sub(p.start))
                            / u32::from(self.slot_minutes.max(1))
                    })
                    .sum::<u32>()
            })
            .max()
            .unwrap_or(0)
            * u32::from(self.capacity)
    }
}

fn last_day(today: Date, days_ahead: u16) -> Date {
    today
        .checked_add(Duration::days(i64::from(days_ahead)))
        .unwrap_or(today)
}

/// `A` + three digits: the slot's position in the day times the capacity, plus the seat, from 1.
pub fn queue_number(letter: &str, slot_index: u16, seat: u16, capacity: u16) -> String {
    let n = u32::from(slot_index) * u32::from(capacity) + u32::from(seat) + 1;
    format!("{letter}{n:03}")
}

/// One bookable period of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub date: Date,
    /// Minutes after midnight.
    pub start: u16,
    pub end: u16,
    /// Position in the day, from 0 (part of the queue number).
    pub index: u16,
}

impl Slot {
    pub fn starts_at(&self) -> PrimitiveDateTime {
        PrimitiveDateTime::new(self.date, time::Time::MIDNIGHT)
            + Duration::minutes(i64::from(self.start))
    }
}

/// Why a booking, change or cancellation was refused; the code travels in `?problem=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BookingProblem {
    /// Every seat of the slot is taken.
    Full,
    /// The slot has started or is over.
    Past,
    /// Not a slot of that day: outside the opening hours.
    Closed,
    /// A weekend or public holiday.
    NonWorkingDay,
    /// Beyond how far ahead the centre takes bookings.
    TooFar,
    /// The person already holds as many appointments at this centre that day as allowed.
    Limit,
    /// The centre, window, item or case is unknown, not served there, or not the user's.
    Unknown,
    /// The appointment is not the user's, or was cancelled or called already.
    NotChangeable,
    /// Nothing chosen.
    Missing,
    /// Staff book nothing.
    NotForStaff,
    Unavailable,
}

impl BookingProblem {
    pub const ALL: [BookingProblem; 11] = [
        BookingProblem::Full,
        BookingProblem::Past,
        BookingProblem::Closed,
        BookingProblem::NonWorkingDay,
        BookingProblem::TooFar,
        BookingProblem::Limit,
        BookingProblem::Unknown,
        BookingProblem::NotChangeable,
        BookingProblem::Missing,
        BookingProblem::NotForStaff,
        BookingProblem::Unavailable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            BookingProblem::Full => "full",
            BookingProblem::Past => "past",
            BookingProblem::Closed => "closed",
            BookingProblem::NonWorkingDay => "non_working_day",
            BookingProblem::TooFar => "too_far",
            BookingProblem::Limit => "limit",
            BookingProblem::Unknown => "unknown",
            BookingProblem::NotChangeable => "not_changeable",
            BookingProblem::Missing => "missing",
            BookingProblem::NotForStaff => "not_for_staff",
            BookingProblem::Unavailable => "unavailable",
        }
    }

    pub fn from_code(code: &str) -> Option<BookingProblem> {
        BookingProblem::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Who may see a centre's list of the day (今日预约): window staff, officers of a department one of its windows
/// serves, and supervisors and administrators (who only read).
pub fn staff_may_view(role: Role, department: Option<&str>, rules: &Appointments) -> bool {
    match role {
        Role::Window | Role::Supervisor | Role::Admin => true,
        Role::Officer => rules
            .windows
            .iter()
            .any(|w| staff_may_call(role, department, w)),
        Role::Citizen | Role::Agent => false,
    }
}

/// Who may call the next number (叫号) at a window: window staff at any window, an officer at a window serving
/// their department.
pub fn staff_may_call(role: Role, department: Option<&str>, window: &Window) -> bool {
    match role {
        Role::Window => true,
        Role::Officer => department.is_some_and(|d| window.departments.iter().any(|x| x == d)),
        _ => false,
    }
}

/// An appointment's state. `Booked` and `Called` hold their seat; `Cancelled` frees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppointmentStatus {
    Booked,
    Called,
    Cancelled,
}

impl AppointmentStatus {
    pub fn code(self) -> &'static str {
        match self {
            AppointmentStatus::Booked => "booked",
            AppointmentStatus::Called => "called",
            AppointmentStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<AppointmentStatus> {
        [
            AppointmentStatus::Booked,
            AppointmentStatus::Called,
            AppointmentStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

#[cfg(test)]
mod tests;
