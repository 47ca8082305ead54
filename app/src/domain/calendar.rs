//! The working-day calendar (工作日): national holidays and make-up working weekend days (调休), kept as yearly
//! data. Limits of 行政许可法 are counted in working days, so every deadline goes through here.
//!
//! Counting follows the usual rule for periods (民法典 art. 201): the day of the event does not count, the period
//! starts the next day. A year without data falls back to "Monday to Friday"; such results are provisional, which
//! [`Calendar::covers`] tells the UI.

use serde::{Deserialize, Serialize};
use time::{Date, Weekday};

use super::answer::iso_date;
use super::text::Text;

/// One year of the State Council's holiday notice (国务院办公厅关于部分节假日安排的通知).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarYear {
    pub year: i32,
    pub source: String,
    pub holidays: Vec<Holiday>,
    /// 调休上班: weekend days that are working days.
    #[serde(with = "iso_dates")]
    pub workdays: Vec<Date>,
}

/// A run of consecutive days off, `date..=to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    #[serde(with = "iso_date")]
    pub date: Date,
    #[serde(with = "iso_date")]
    pub to: Date,
    pub name: Text,
}

impl Holiday {
    pub fn contains(&self, day: Date) -> bool {
        self.date <= day && day <= self.to
    }
}

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind<'a> {
    Working,
    /// 调休: a weekend day worked in exchange for a holiday.
    MakeUpWorkday,
    Weekend,
    Holiday(&'a Holiday),
}

/// The working-day calendar over the years it has data for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Calendar {
    years: Vec<CalendarYear>,
}

impl Calendar {
    /// A calendar from yearly data (kept sorted by year; the first of two equal years wins, the validator reports it).
    pub fn new(mut years: Vec<CalendarYear>) -> Calendar {
        years.sort_by_key(|y| y.year);
        years.dedup_by_key(|y| y.year);
        Calendar { years }
    }

    pub fn years(&self) -> &[CalendarYear] {
        &self.years
    }

    /// Whether `year` has holiday data; without it, results are provisional (weekends only).
    pub fn covers(&self, year: i32) -> bool {
        self.year(year).is_some()
    }

    /// Whether every year from `a` to `b` has holiday data.
    pub fn covers_span(&self, a: Date, b: Date) -> bool {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        (a.year()..=b.year()).all(|y| self.covers(y))
    }

    fn year(&self, year: i32) -> Option<&CalendarYear> {
        self.years
            .binary_search_by_key(&year, |y| y.year)
            .ok()
            .and_then(|i| self.years.get(i))
    }

    pub fn day_kind(&self, day: Date) -> DayKind<'_> {
        let weekend = matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday);
        if let Some(year) = self.year(day.year()) {
            if year.workdays.contains(&day) {
                return DayKind::MakeUpWorkday;
            }
            if let Some(h) = year.holidays.iter().find(|h| h.contains(day)) {
                return DayKind::Holiday(h);
            }
        }
        if weekend {
            DayKind::Weekend
        } else {
            DayKind::Working
        }
    }

    pub fn is_working_day(&self, day: Date) -> bool {
        matches!(
            self.day_kind(day),
            DayKind::Working | DayKind::MakeUpWorkday
        )
    }

    /// The working day on which a limit of `n` working days counted from `start` ends.
    ///
    /// `n ≥ 1`: the `n`-th working day after `start` (the start day itself never counts, even if it is a working
    /// day). `n = 0` (on the spot): `start` if it is a working day, else the next working day — the earliest day
    /// the window can act. Saturates at the last representable date.
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        let mut day = start;
        if n == 0 {
            while !self.is_working_day(day) {
                match day.next_day() {
                    Some(next) => day = next,
                    None => return day,
                }
            }
            return day;
        }
        let mut left = n;
        while left > 0 {
            match day.next_day() {
                Some(next) => day = next,
                None => return day,
            }
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The number of working days `d` with `a < d ≤ b` — the working days used from `a` to `b`, so that
    /// `working_days_between(a, add_working_days(a, n)) == n`. Negative when `b` is before `a`.
    pub fn working_days_between(&self, a: Date, b: Date) -> i64 {
        if b < a {
            return -self.working_days_between(b, a);
        }
        let mut count = 0;
        let mut day = a;
        while day < b {
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
            if self.is_working_day(day) {
                count += 1;
            }
        }
        count
    }
}

/// `Vec<Date>` as a list of 'YYYY-MM-DD' strings.
mod iso_dates {
    use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(dates: &[Date], s: S) -> Result<S::Ok, S::Error> {
        dates
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Date>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|s| {
                crate::domain::condition::parse_date(s)
                    .ok_or_else(|| D::Error::custom(format!("bad date `{s}`")))
            })
            .collect()
    }
}

#[cfg(test)]
pub(crate) mod tests;
