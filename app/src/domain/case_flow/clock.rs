//! The clock of one task (电子监察): when it started, the working days it was paused while the applicant corrected
//! (补正), its one extension (art. 42), and from these the statutory and committed due dates and the warning
//! colour. Dates come from [`due_date`], so limit kinds are read in one place.
//!
//! Rules: `on_the_spot` is due the day the task starts; `none` (filing) and `local` (set by the city, unknown to
//! the catalog) have no due date, so such a task is [`ClockStatus::Untimed`]. Pauses are counted in working days
//! `d` with `paused_since < d ≤ resumed`, and push both due dates back by that many working days. An extension
//! lengthens both limits in their own unit (an on-the-spot limit becomes `days` working days): a lawful
//! extension must not turn the committed clock red.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::domain::answer::iso_date;
use crate::domain::calendar::Calendar;
use crate::domain::item::{Limit, LimitKind};
use crate::domain::roadmap::due_date;

/// Yellow card (黄牌): the committed due date is at most this many working days away.
pub const DUE_SOON_DAYS: i64 = 2;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// The working day the task entered review (or became the applicant's to-do).
    #[serde(default, with = "iso_date::option")]
    pub started_on: Option<Date>,
    /// Working days paused by completed corrections.
    pub paused_days: u32,
    /// Set while the applicant is correcting.
    #[serde(default, with = "iso_date::option")]
    pub paused_since: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<Extension>,
    /// The day the task ended (decision made, to-do done, or ended without a decision).
    #[serde(default, with = "iso_date::option")]
    pub stopped_on: Option<Date>,
}

/// 延期: extra working days, with the reason told to the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub days: u32,
    pub reason: String,
}

/// What an action did to the clock, for the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum ClockEffect {
    Started {
        #[serde(with = "iso_date")]
        on: Date,
    },
    Paused {
        #[serde(with = "iso_date")]
        on: Date,
    },
    /// The pause ended; `paused_days` working days were added to the due dates.
    Resumed {
        #[serde(with = "iso_date")]
        on: Date,
        paused_days: u32,
    },
    Extended {
        days: u32,
    },
    Stopped {
        #[serde(with = "iso_date")]
        on: Date,
    },
}

/// The supervision colour of a task on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    /// Waiting for the case or other tasks: the clock has not started.
    NotStarted,
    OnTrack,
    /// 黄牌: the committed due date is within [`DUE_SOON_DAYS`] working days.
    DueSoon,
    /// 红牌: the committed due date has passed.
    Overdue,
    /// The applicant is correcting; the department's clock stands still.
    Paused,
    /// No due date: a `none` or `local` limit, or the applicant's own to-do.
    Untimed,
    Done,
}

impl Clock {
    /// The day `limit` ends for this task, or `None` before it starts and for `none`/`local` limits.
    pub fn due(&self, limit: &Limit, calendar: &Calendar) -> Option<Date> {
        let started = self.started_on?;
        if limit.is_open() {
            return None;
        }
        let limit = extended(limit, self.extension.as_ref().map_or(0, |e| e.days));
        let base = due_date(started, &limit, calendar);
        Some(calendar.add_working_days(base, self.paused_days))
    }

    /// The colour while the task is in review, against the committed limit (the statutory one if the committed
    /// limit is open).
    pub(super) fn running_status(
        &self,
        statutory: &Limit,
        committed: &Limit,
        today: Date,
        calendar: &Calendar,
    ) -> ClockStatus {
        if self.paused_since.is_some() {
            return ClockStatus::Paused;
        }
        let due = self
            .due(committed, calendar)
            .or_else(|| self.due(statutory, calendar));
        match due {
            None if self.started_on.is_none() => ClockStatus::NotStarted,
            None => ClockStatus::Untimed,
            Some(due) if today > due => ClockStatus::Overdue,
            Some(due) if calendar.working_days_between(today, due) <= DUE_SOON_DAYS => {
                ClockStatus::DueSoon
            }
            Some(_) => ClockStatus::OnTrack,
        }
    }

    pub(super) fn start(&self, on: Date) -> (Clock, ClockEffect) {
        let clock = Clock {
            started_on: Some(on),
            ..self.clone()
        };
        (clock, ClockEffect::Started { on })
    }

    pub(super) fn pause(&self, on: Date) -> (Clock, ClockEffect) {
        let clock = Clock {
            paused_since: Some(on),
            ..self.clone()
        };
        (clock, ClockEffect::Paused { on })
    }

    pub(super) fn resume(&self, on: Date, calendar: &Calendar) -> (Clock, ClockEffect) {
        let paused = self.paused_since.map_or(0, |since| {
            u32::try_from(calendar.working_days_between(since, on).max(0)).unwrap_or(u32::MAX)
        });
        let clock = Clock {
            paused_days: self.paused_days.saturating_add(paused),
            paused_since: None,
            ..self.clone()
        };
        let effect = ClockEffect::Resumed {
            on,
            paused_days: paused,
        };
        (clock, effect)
    }

    pub(super) fn extend(&self, days: u32, reason: String) -> (Clock, ClockEffect) {
        let clock = Clock {
            extension: Some(Extension { days, reason }),
            ..self.clone()
        };
        (clock, ClockEffect::Extended { days })
    }

    pub(super) fn stop(&self, on: Date) -> (Clock, ClockEffect) {
        let clock = Clock {
            stopped_on: Some(on),
            paused_since: None,
            ..self.clone()
        };
        (clock, ClockEffect::Stopped { on })
    }
}

/// `limit` lengthened by `days` in its own unit; open limits stay open.
fn extended(limit: &Limit, days: u32) -> Limit {
    let kind = match limit.kind {
        _ if days == 0 => limit.kind,
        LimitKind::OnTheSpot => LimitKind::WorkingDays(days),
        LimitKind::WorkingDays(n) => LimitKind::WorkingDays(n.saturating_add(days)),
        LimitKind::CalendarDays(n) => LimitKind::CalendarDays(n.saturating_add(days)),
        LimitKind::None | LimitKind::Local => limit.kind,
    };
    Limit::new(kind)
}
