//! Wall time in Belgium and the instants it stands for.
//!
//! A meeting is typed as a date and a time in Brussels ("14:00 on 30/03/2026") and stored so
//! (`local_date`, `local_start`, `local_end`); the UTC milliseconds beside them are derived here,
//! at write, for sorting and filtering. Each date is converted on its own, so 14:00 stays 14:00
//! across a change of summer time and the UTC hour moves instead.
//!
//! Twice a year the wall clock is not a function of the instant: on the last Sunday of March
//! 02:00–03:00 does not exist (refused, with the Dutch sentence of the design's §3.9), and on
//! the last Sunday of October 02:00–03:00 happens twice (the earlier one, summer time, is
//! taken: a person who types 02:30 means the first time the clock shows it). No database here.

use chrono::{LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike};
use chrono_tz::Tz;

/// The time zone of every wall time in the module.
pub const ZONE: Tz = chrono_tz::Europe::Brussels;

/// Why a wall time has no instant; [`LocalTimeError::message`] says it in Dutch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalTimeError {
    /// Not a date of the calendar (30/02, 31/04) or not `YYYY-MM-DD`.
    NoSuchDate,
    /// Not `HH:MM` on a 24-hour clock.
    NoSuchTime,
    /// In the hour the clock skips: `from` and `to` are the wall times either side of the jump.
    Skipped {
        date: NaiveDate,
        from: NaiveTime,
        to: NaiveTime,
    },
}

impl LocalTimeError {
    /// The message shown beside the field (design §3.9).
    pub fn message(&self) -> String {
        match self {
            LocalTimeError::NoSuchDate => "Deze datum bestaat niet.".to_string(),
            LocalTimeError::NoSuchTime => {
                "Geef een tijdstip als UU:MM, bijvoorbeeld 14:00.".to_string()
            }
            LocalTimeError::Skipped { date, from, to } => format!(
                "Dit tijdstip bestaat niet in België: op {} gaat de klok van {} naar {}.",
                show_date(*date),
                show_time(*from),
                show_time(*to)
            ),
        }
    }
}

impl std::fmt::Display for LocalTimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for LocalTimeError {}

/// A date as stored and typed in forms: `YYYY-MM-DD` (what `<input type="date">` sends).
pub fn parse_date(text: &str) -> Result<NaiveDate, LocalTimeError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| LocalTimeError::NoSuchDate)
}

/// A wall time as stored: `HH:MM`, 00:00–23:59 (what `<input type="time">` sends).
pub fn parse_time(text: &str) -> Result<NaiveTime, LocalTimeError> {
    let text = text.trim();
    // chrono also takes "9:5"; the stored form is always two digits each, so demand it here.
    if text.len() != 5 {
        return Err(LocalTimeError::NoSuchTime);
    }
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| LocalTimeError::NoSuchTime)
}

/// `dd/mm/yyyy`, as every page of the platform shows a date.
pub fn show_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// `HH:MM`, the stored and shown form of a wall time.
pub fn show_time(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

/// The instant (UTC milliseconds) of `time` on `date` in Brussels: the hour the clock skips is
/// refused, the hour it repeats resolves to its first pass (summer time).
pub fn to_utc_ms(date: NaiveDate, time: NaiveTime) -> Result<i64, LocalTimeError> {
    let wall = date.and_time(time);
    match ZONE.from_local_datetime(&wall) {
        LocalResult::Single(at) => Ok(at.timestamp_millis()),
        LocalResult::Ambiguous(earlier, _later) => Ok(earlier.timestamp_millis()),
        LocalResult::None => {
            let (from, to) = skipped_span(wall);
            Err(LocalTimeError::Skipped { date, from, to })
        }
    }
}

/// [`to_utc_ms`] of the stored text forms (`YYYY-MM-DD`, `HH:MM`).
pub fn to_utc(date: &str, time: &str) -> Result<i64, LocalTimeError> {
    to_utc_ms(parse_date(date)?, parse_time(time)?)
}

/// Whether `time` on `date` happens twice (the autumn fold), so the form can say which one
/// it took.
pub fn is_ambiguous(date: NaiveDate, time: NaiveTime) -> bool {
    matches!(
        ZONE.from_local_datetime(&date.and_time(time)),
        LocalResult::Ambiguous(..)
    )
}

/// The wall date and time in Brussels of an instant (for showing a stored moment).
pub fn from_utc_ms(ms: i64) -> Option<NaiveDateTime> {
    chrono::DateTime::from_timestamp_millis(ms).map(|at| at.with_timezone(&ZONE).naive_local())
}

/// The first skipped minute and the first existing one after it, around `wall` (which does
/// not exist). Found by stepping through the day rather than assumed to be 02:00–03:00, so the
/// message stays true if the rule ever changes; on the same date, since a gap never spans
/// midnight in Brussels.
fn skipped_span(wall: NaiveDateTime) -> (NaiveTime, NaiveTime) {
    let exists = |at: NaiveDateTime| !matches!(ZONE.from_local_datetime(&at), LocalResult::None);
    let minute = chrono::Duration::minutes(1);
    let wall = wall.with_second(0).unwrap_or(wall);
    let mut first = wall;
    while first.time() > NaiveTime::MIN && !exists(first - minute) {
        first -= minute;
    }
    let mut after = wall;
    while !exists(after) && after.date() == wall.date() {
        after += minute;
    }
    (first.time(), after.time())
}

/// "maandag 29 maart 2055": a date as the mails say it. (The meeting pages have their own copy
/// in web/group/meetings.rs; the mail job may not import the pages, which queue it.)
pub fn long_date_nl(date: NaiveDate) -> String {
    use chrono::Datelike;
    const WEEKDAYS: [&str; 7] = [
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ];
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    format!(
        "{} {} {} {}",
        WEEKDAYS[date.weekday().num_days_from_monday() as usize],
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
        chrono::Utc
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn two_in_the_afternoon_stays_two_in_the_afternoon_across_both_changes_of_2026() {
        let two = NaiveTime::from_hms_opt(14, 0, 0).unwrap();
        // Spring: the clock goes forward on Sunday 29/03/2026.
        assert_eq!(
            to_utc_ms(date(2026, 3, 28), two),
            Ok(utc(2026, 3, 28, 13, 0))
        );
        assert_eq!(
            to_utc_ms(date(2026, 3, 29), two),
            Ok(utc(2026, 3, 29, 12, 0))
        );
        assert_eq!(
            to_utc_ms(date(2026, 3, 30), two),
            Ok(utc(2026, 3, 30, 12, 0))
        );
        // Autumn: back on Sunday 25/10/2026.
        assert_eq!(
            to_utc_ms(date(2026, 10, 24), two),
            Ok(utc(2026, 10, 24, 12, 0))
        );
        assert_eq!(
            to_utc_ms(date(2026, 10, 25), two),
            Ok(utc(2026, 10, 25, 13, 0))
        );
        assert_eq!(
            to_utc_ms(date(2026, 10, 26), two),
            Ok(utc(2026, 10, 26, 13, 0))
        );
    }

    #[test]
    fn the_skipped_hour_is_refused_with_the_dutch_sentence() {
        let err = to_utc("2026-03-29", "02:30").unwrap_err();
        assert_eq!(
            err.message(),
            "Dit tijdstip bestaat niet in België: op 29/03/2026 gaat de klok van 02:00 naar 03:00."
        );
        assert!(to_utc("2026-03-29", "02:00").is_err());
        assert!(to_utc("2026-03-29", "02:59").is_err());
        // Either side of the gap exists: 01:59 is winter time, 03:00 summer time.
        assert_eq!(to_utc("2026-03-29", "01:59"), Ok(utc(2026, 3, 29, 0, 59)));
        assert_eq!(to_utc("2026-03-29", "03:00"), Ok(utc(2026, 3, 29, 1, 0)));
    }

    #[test]
    fn the_repeated_hour_resolves_to_its_first_pass() {
        let half_past_two = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        assert!(is_ambiguous(date(2026, 10, 25), half_past_two));
        assert!(!is_ambiguous(date(2026, 10, 24), half_past_two));
        // 02:30 CEST = 00:30 UTC (the later pass, CET, would be 01:30 UTC).
        assert_eq!(to_utc("2026-10-25", "02:30"), Ok(utc(2026, 10, 25, 0, 30)));
        // The next minute after the fold ends is unambiguous winter time.
        assert_eq!(to_utc("2026-10-25", "03:00"), Ok(utc(2026, 10, 25, 2, 0)));
    }

    #[test]
    fn bad_dates_and_times_are_refused() {
        assert_eq!(
            to_utc("2026-02-30", "14:00"),
            Err(LocalTimeError::NoSuchDate)
        );
        assert_eq!(
            to_utc("2026-04-31", "14:00"),
            Err(LocalTimeError::NoSuchDate)
        );
        assert_eq!(
            to_utc("30/03/2026", "14:00"),
            Err(LocalTimeError::NoSuchDate)
        );
        assert_eq!(
            to_utc("2026-03-30", "24:00"),
            Err(LocalTimeError::NoSuchTime)
        );
        assert_eq!(
            to_utc("2026-03-30", "9:00"),
            Err(LocalTimeError::NoSuchTime)
        );
        assert_eq!(to_utc("2026-03-30", "14u"), Err(LocalTimeError::NoSuchTime));
        assert_eq!(
            LocalTimeError::NoSuchDate.message(),
            "Deze datum bestaat niet."
        );
    }

    #[test]
    fn an_instant_reads_back_as_its_wall_time() {
        let back = from_utc_ms(utc(2026, 10, 25, 13, 0)).unwrap();
        assert_eq!(back, date(2026, 10, 25).and_hms_opt(14, 0, 0).unwrap());
        let summer = from_utc_ms(utc(2026, 7, 1, 12, 0)).unwrap();
        assert_eq!(summer.time(), NaiveTime::from_hms_opt(14, 0, 0).unwrap());
    }
}
