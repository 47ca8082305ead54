//! Today's date for the case engine, from one place. The hall counts its days in Beijing time (北京时间, UTC+8):
//! a case submitted at 07:00 on a Monday in the city is submitted on Monday, although it is still Sunday in UTC.
//! Timestamps (the audit trail, the history) stay in UTC. In demo and test mode (`HALL_DEMO=1` or
//! `HALL_TEST_CLOCK=1`) an offset in days stored in `app_meta.clock_offset_days` moves it forward, so a
//! Playwright test can make a task overdue; in production mode the offset is never read nor written.

use time::{Date, Duration, OffsetDateTime, UtcOffset};

use super::db::{Db, DbError};
use super::memo::Changed;

const OFFSET_KEY: &str = "clock_offset_days";
/// The furthest the demo clock may be moved, in days.
pub const MAX_OFFSET_DAYS: i64 = 400;

/// Beijing time (北京时间), the offset of the city's calendar.
pub const LOCAL: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// The date in the city at the instant `at`.
pub fn local_date(at: OffsetDateTime) -> Date {
    at.to_offset(LOCAL).date()
}

/// Today's date in the city, as the calendar on the wall shows it (no demo offset): what a form's dates are
/// checked against and what the roadmap counts from.
pub fn local_today() -> Date {
    local_date(OffsetDateTime::now_utc())
}

/// Whether the clock may be moved: only in demo or test mode, decided by the process environment.
pub fn offset_allowed() -> bool {
    let on = |name: &str| std::env::var(name).is_ok_and(|v| v == "1");
    on("HALL_DEMO") || on("HALL_TEST_CLOCK")
}

/// The stored offset in days (0 when none, or when moving the clock is not allowed).
pub async fn offset_days(db: &Db) -> i64 {
    if !offset_allowed() {
        return 0;
    }
    let memo = db.memo.as_deref().map(|m| &m.clock);
    if let Some(days) = memo.and_then(|m| m.get(&())) {
        return days;
    }
    let stamp = memo.map(|m| m.begin());
    let stored: Result<Option<String>, _> =
        sqlx::query_scalar("SELECT value FROM app_meta WHERE key = $1")
            .bind(OFFSET_KEY)
            .fetch_optional(&db.pool)
            .await;
    let Ok(stored) = stored else {
        return 0;
    };
    let days = stored
        .and_then(|v| v.parse::<i64>().ok())
        .map_or(0, |d| d.clamp(0, MAX_OFFSET_DAYS));
    if let (Some(memo), Some(stamp)) = (memo, stamp) {
        memo.put((), days, vec![Changed::Clock], stamp);
    }
    days
}

/// Today, as the case engine sees it (the city's date, plus the demo offset).
pub async fn today(db: &Db) -> Date {
    shifted(local_today(), offset_days(db).await)
}

/// `day` moved forward by `days` (saturating at the calendar's end).
pub fn shifted(day: Date, days: i64) -> Date {
    day.checked_add(Duration::days(days)).unwrap_or(day)
}

/// Stores a new offset; `Ok(false)` (and nothing stored) when moving the clock is not allowed.
pub async fn set_offset_days(db: &Db, days: i64) -> Result<bool, DbError> {
    if !offset_allowed() {
        tracing::warn!("refused to move the clock outside demo or test mode");
        return Ok(false);
    }
    let days = days.clamp(0, MAX_OFFSET_DAYS);
    sqlx::query(
        "INSERT INTO app_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2",
    )
    .bind(OFFSET_KEY)
    .bind(days.to_string())
    .execute(&db.pool)
    .await?;
    db.changed(Changed::Clock);
    tracing::info!(days, "demo clock offset set");
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifting_moves_forward_by_whole_days() {
        let d = time::macros::date!(2026 - 12 - 30);
        assert_eq!(shifted(d, 0), d);
        assert_eq!(shifted(d, 3), time::macros::date!(2027 - 01 - 02));
    }

    #[test]
    fn the_city_date_turns_at_midnight_beijing_time_not_utc() {
        // 15:59 UTC is 23:59 in Beijing: still the same day.
        assert_eq!(
            local_date(time::macros::datetime!(2026-11-26 15:59 UTC)).to_string(),
            "2026-11-26"
        );
        // 16:00 UTC is midnight in Beijing: the next day, while UTC still says the 26th.
        assert_eq!(
            local_date(time::macros::datetime!(2026-11-26 16:00 UTC)).to_string(),
            "2026-11-27"
        );
        // A Monday-morning submission in the city is Monday's, though UTC is still on Sunday.
        let sunday_night_utc = time::macros::datetime!(2026-11-29 23:00 UTC);
        assert_eq!(sunday_night_utc.weekday(), time::Weekday::Sunday);
        assert_eq!(
            local_date(sunday_night_utc).weekday(),
            time::Weekday::Monday
        );
    }
}
