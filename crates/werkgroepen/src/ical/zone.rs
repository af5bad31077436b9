//! The fixed `VTIMEZONE` of Europe/Brussels written into every calendar object, and the rule it
//! states in code, so that each emitted wall time can be checked against the tz database
//! (chrono-tz) before it is written with `TZID=Europe/Brussels`.
//!
//! The block states the EU rule in force since 1996: summer time from the last Sunday of March
//! 02:00 to the last Sunday of October 03:00. Should the rule change (the EU has discussed
//! ending the switch), tzdata and this block disagree; [`offset_agrees`] then says so, the
//! writer falls back to UTC for that moment, and the unit test over the coming years fails, so
//! the block gets updated instead of meetings shifting silently in people's calendars.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};

use crate::localtime::ZONE;

/// The TZID every event refers to.
pub const TZID: &str = "Europe/Brussels";

/// The block, one content line per entry (none longer than 75 octets, so none is folded).
pub const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Brussels",
    "X-LIC-LOCATION:Europe/Brussels",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19810329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19961027T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// The first year the block describes completely (the October rule dates from 1996).
const FIRST_YEAR: i32 = 1996;

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_of_next - Duration::days(1);
    let back = last.weekday().num_days_from_sunday();
    Some(last - Duration::days(i64::from(back)))
}

/// The UTC offset in seconds that the block gives the wall time `wall`; a time the clock
/// shows twice is its first pass (RFC 5545 §3.3.5), as `localtime::to_utc_ms` takes it.
/// `None` before 1996, where the block says nothing true.
pub fn block_offset(wall: NaiveDateTime) -> Option<i32> {
    let year = wall.year();
    if year < FIRST_YEAR {
        return None;
    }
    let spring = last_sunday(year, 3)?.and_time(NaiveTime::from_hms_opt(2, 0, 0)?);
    let autumn = last_sunday(year, 10)?.and_time(NaiveTime::from_hms_opt(3, 0, 0)?);
    Some(if wall >= spring && wall < autumn {
        7200
    } else {
        3600
    })
}

/// Whether the block and the tz database give the wall time `wall` the same UTC instant, the
/// one stored as `utc_ms`.
pub fn offset_agrees(wall: NaiveDateTime, utc_ms: i64) -> bool {
    let Some(offset) = block_offset(wall) else {
        return false;
    };
    let by_block = (wall.and_utc().timestamp() - i64::from(offset)) * 1000;
    let by_tzdata = ZONE
        .from_local_datetime(&wall)
        .earliest()
        .map(|at| at.timestamp_millis());
    by_block == utc_ms && by_tzdata == Some(utc_ms)
}

/// The offset tzdata gives the instant `utc_ms` (for tests and for the check above).
pub fn tzdata_offset(utc_ms: i64) -> Option<i32> {
    let at = chrono::DateTime::from_timestamp_millis(utc_ms)?;
    Some(
        ZONE.offset_from_utc_datetime(&at.naive_utc())
            .fix()
            .local_minus_utc(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::localtime;

    fn wall(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    /// Every day until 2099 (as far as chrono-tz knows Brussels' future), at the hours around
    /// the switches and a usual meeting hour: the block equals tzdata. A changed EU rule in a
    /// chrono-tz update fails here.
    #[test]
    fn the_block_equals_tzdata_every_day_until_2099() {
        let mut day = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2099, 12, 31).unwrap();
        let mut checked = 0;
        while day <= end {
            for (h, m) in [(0, 0), (1, 59), (3, 0), (9, 30), (14, 0), (23, 59)] {
                let wall = day.and_hms_opt(h, m, 0).unwrap();
                let Ok(utc) = localtime::to_utc_ms(day, wall.time()) else {
                    continue;
                };
                assert!(offset_agrees(wall, utc), "{wall}");
                assert_eq!(block_offset(wall), tzdata_offset(utc), "{wall}");
                checked += 1;
            }
            day += Duration::days(1);
        }
        assert!(checked > 200_000);
    }

    #[test]
    fn the_switch_days_of_2026() {
        // Summer time from 29/03/2026 03:00, winter time from 25/10/2026 03:00 (summer time).
        assert_eq!(block_offset(wall(2026, 3, 29, 1, 59)), Some(3600));
        assert_eq!(block_offset(wall(2026, 3, 29, 3, 0)), Some(7200));
        assert_eq!(
            block_offset(wall(2026, 10, 25, 2, 30)),
            Some(7200),
            "first pass"
        );
        assert_eq!(block_offset(wall(2026, 10, 25, 3, 0)), Some(3600));
        let fold = wall(2026, 10, 25, 2, 30);
        let stored = localtime::to_utc_ms(fold.date(), fold.time()).unwrap();
        assert!(offset_agrees(fold, stored));
    }

    #[test]
    fn before_1996_the_block_is_not_trusted() {
        assert_eq!(block_offset(wall(1990, 7, 1, 14, 0)), None);
        let old = wall(1990, 7, 1, 14, 0);
        let utc = localtime::to_utc_ms(old.date(), old.time()).unwrap();
        assert!(!offset_agrees(old, utc));
    }

    #[test]
    fn no_line_of_the_block_needs_folding() {
        assert!(VTIMEZONE.iter().all(|line| line.len() <= 75));
    }
}
