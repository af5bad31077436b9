//! A group's cadence as a rule, and the meeting dates it gives between two dates (design §3.6).
//!
//! Dates are made in wall time first (the n-th weekday of a month, every 42 days from an
//! anchor), then each is converted to UTC on its own by [`crate::localtime`]: a series at 14:00
//! stays at 14:00 across summer time. Each meeting is its own calendar event, so no RRULE is
//! ever written; the rule lives in `wg_series.rule` as JSON ([`Rule::to_json`]).
//!
//! Months without the asked weekday (a fifth Thursday) get no meeting, as in RFC 5545's
//! `BYDAY=5TH`; "the last Thursday" is [`WeekOfMonth::LAST`]. No database here.

pub mod holidays;

#[cfg(test)]
mod tests;

use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::localtime::{self, LocalTimeError};
use crate::model::Cadence;
pub use holidays::Holiday;

/// Every how many days a `zeswekelijks` group meets.
pub const SIX_WEEKS_DAYS: u64 = 42;

/// Which weekday of the month: 1–5 counts from the start, -1 is the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WeekOfMonth(pub i8);

impl WeekOfMonth {
    pub const LAST: WeekOfMonth = WeekOfMonth(-1);

    fn is_valid(self) -> bool {
        self == Self::LAST || (1..=5).contains(&self.0)
    }
}

/// A cadence with what it needs to give dates. Stored as JSON with these field names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub cadence: Cadence,
    /// The first possible date: `zeswekelijks` counts 42 days from it; the others give no
    /// date before it.
    pub anchor: NaiveDate,
    /// ISO weekday, 1 = Monday … 7 = Sunday (`maandelijks` and `…_per_jaar`).
    pub weekday: u8,
    pub week_of_month: WeekOfMonth,
    /// The months (1–12) of a `…_per_jaar` cadence; ignored by the others.
    pub months: Vec<u32>,
    /// Wall times in Brussels, `HH:MM`.
    pub start: String,
    pub end: String,
    /// The last possible date, if the series ends.
    pub until: Option<NaiveDate>,
    /// Move a meeting that falls on a Belgian holiday one week later.
    pub skip_holidays: bool,
}

/// Why a rule gives no dates: the field and the Dutch message for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub field: &'static str,
    pub message: String,
}

impl RuleError {
    fn new(field: &'static str, message: impl Into<String>) -> RuleError {
        RuleError {
            field,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for RuleError {}

/// One date of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The date the rule gives: the slot key `(series_id, slot_date)`, kept when moved.
    pub slot_date: NaiveDate,
    /// The date of the meeting: the slot date, or later when it fell on a holiday.
    pub date: NaiveDate,
    /// The holidays it was moved away from (the preview says so), first one first.
    pub skipped: Vec<Holiday>,
    /// Start and end in UTC ms, or why the wall time does not exist on that date.
    pub instants: Result<(i64, i64), LocalTimeError>,
}

/// How many meetings a year a `…_per_jaar` cadence means; `None` for the others.
pub fn per_year(cadence: Cadence) -> Option<usize> {
    match cadence {
        Cadence::VijfmaalPerJaar => Some(5),
        Cadence::ViermaalPerJaar => Some(4),
        Cadence::DriemaalPerJaar => Some(3),
        Cadence::TweemaalPerJaar => Some(2),
        _ => None,
    }
}

/// The months a `…_per_jaar` cadence proposes (the facilitator may change them).
pub fn default_months(cadence: Cadence) -> Vec<u32> {
    match cadence {
        Cadence::VijfmaalPerJaar => vec![2, 4, 6, 9, 11],
        Cadence::ViermaalPerJaar => vec![2, 5, 9, 11],
        Cadence::DriemaalPerJaar => vec![2, 6, 10],
        Cadence::TweemaalPerJaar => vec![3, 10],
        _ => Vec::new(),
    }
}

/// Days after the last meeting before a group counts as "not met for too long" (its interval
/// plus 14 days' grace); `None` for `op_afroep`, which is never late.
pub fn overdue_after_days(cadence: Cadence) -> Option<i64> {
    let interval = match cadence {
        Cadence::Zeswekelijks => 42,
        Cadence::Maandelijks => 31,
        Cadence::VijfmaalPerJaar => 73,
        Cadence::ViermaalPerJaar => 91,
        Cadence::DriemaalPerJaar => 122,
        Cadence::TweemaalPerJaar => 183,
        Cadence::OpAfroep => return None,
    };
    Some(interval + 14)
}

/// The chrono weekday of an ISO number (1 = Monday).
fn weekday_of(iso: u8) -> Option<Weekday> {
    (1..=7)
        .contains(&iso)
        .then(|| Weekday::try_from(iso - 1).expect("0..=6 is a weekday"))
}

impl Rule {
    /// The rule a new series of `cadence` proposes from `anchor`: the anchor's weekday, its
    /// week of the month, the default months, 14:00–16:00.
    pub fn proposed(cadence: Cadence, anchor: NaiveDate) -> Rule {
        let week = ((anchor.day() - 1) / 7 + 1) as i8;
        Rule {
            cadence,
            anchor,
            weekday: anchor.weekday().number_from_monday() as u8,
            week_of_month: WeekOfMonth(week),
            months: default_months(cadence),
            start: "14:00".into(),
            end: "16:00".into(),
            until: None,
            skip_holidays: true,
        }
    }

    /// The rule as stored in `wg_series.rule`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a rule serialises")
    }

    /// A stored rule; `None` if it is not one (never written by this module).
    pub fn from_json(text: &str) -> Option<Rule> {
        serde_json::from_str(text).ok()
    }

    /// Checks everything but the dates' instants (which are per occurrence); the first problem
    /// found, with its field.
    pub fn validate(&self) -> Result<(NaiveTime, NaiveTime), RuleError> {
        let start =
            localtime::parse_time(&self.start).map_err(|e| RuleError::new("start", e.message()))?;
        let end =
            localtime::parse_time(&self.end).map_err(|e| RuleError::new("end", e.message()))?;
        if end <= start {
            return Err(RuleError::new("end", "Het einde moet na het begin liggen."));
        }
        if self.until.is_some_and(|until| until < self.anchor) {
            return Err(RuleError::new(
                "until",
                "De laatste datum moet na de eerste liggen.",
            ));
        }
        match self.cadence {
            Cadence::OpAfroep => Err(RuleError::new(
                "cadence",
                "Een werkgroep die op afroep samenkomt, heeft geen reeks: plan de vergaderingen één voor één.",
            )),
            Cadence::Zeswekelijks => Ok((start, end)),
            Cadence::Maandelijks => {
                self.check_day()?;
                Ok((start, end))
            }
            cadence => {
                self.check_day()?;
                let wanted = per_year(cadence).unwrap_or_default();
                let mut months = self.months.clone();
                months.sort_unstable();
                months.dedup();
                if months.len() != wanted || months.iter().any(|m| !(1..=12).contains(m)) {
                    return Err(RuleError::new(
                        "months",
                        format!("Kies {wanted} verschillende maanden."),
                    ));
                }
                Ok((start, end))
            }
        }
    }

    fn check_day(&self) -> Result<(), RuleError> {
        if weekday_of(self.weekday).is_none() {
            return Err(RuleError::new("weekday", "Kies een dag van de week."));
        }
        if !self.week_of_month.is_valid() {
            return Err(RuleError::new(
                "week_of_month",
                "Kies de eerste tot vijfde of de laatste week van de maand.",
            ));
        }
        Ok(())
    }

    /// The dates the rule gives from `from` to `to` (both included), without holidays or
    /// times: the slot dates.
    pub fn slot_dates(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<NaiveDate>, RuleError> {
        self.validate()?;
        let low = from.max(self.anchor);
        let high = self.until.map_or(to, |until| to.min(until));
        if low > high {
            return Ok(Vec::new());
        }
        if self.cadence == Cadence::Zeswekelijks {
            return Ok(every_six_weeks(self.anchor, low, high));
        }
        let weekday = weekday_of(self.weekday).expect("validated");
        let months: Vec<u32> = if self.cadence == Cadence::Maandelijks {
            (1..=12).collect()
        } else {
            self.months.clone()
        };
        let mut dates = Vec::new();
        let (mut year, mut month) = (low.year(), low.month());
        while (year, month) <= (high.year(), high.month()) {
            if months.contains(&month) {
                if let Some(date) = nth_weekday(year, month, weekday, self.week_of_month) {
                    if (low..=high).contains(&date) {
                        dates.push(date);
                    }
                }
            }
            (year, month) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
        }
        Ok(dates)
    }

    /// The occurrences from `from` to `to`: each slot date, moved past holidays when asked,
    /// with its instants.
    pub fn expand(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Occurrence>, RuleError> {
        let (start, end) = self.validate()?;
        let slots = self.slot_dates(from, to)?;
        Ok(slots
            .into_iter()
            .map(|slot_date| {
                let mut date = slot_date;
                let mut skipped = Vec::new();
                // A week later may be a holiday too (25 December + 7 days is 1 January):
                // move until a free day.
                while let Some(holiday) = self
                    .skip_holidays
                    .then(|| holidays::holiday_on(date))
                    .flatten()
                {
                    skipped.push(holiday);
                    date = date + Days::new(7);
                }
                let instants = localtime::to_utc_ms(date, start)
                    .and_then(|s| localtime::to_utc_ms(date, end).map(|e| (s, e)));
                Occurrence {
                    slot_date,
                    date,
                    skipped,
                    instants,
                }
            })
            .collect())
    }
}

/// `anchor + 42·k` for every k ≥ 0 that falls in `low..=high` (with `low ≥ anchor`).
fn every_six_weeks(anchor: NaiveDate, low: NaiveDate, high: NaiveDate) -> Vec<NaiveDate> {
    let offset = (low - anchor).num_days().max(0) as u64;
    let first_k = offset.div_ceil(SIX_WEEKS_DAYS);
    let mut date = anchor + Days::new(first_k * SIX_WEEKS_DAYS);
    let mut dates = Vec::new();
    while date <= high {
        dates.push(date);
        date = date + Days::new(SIX_WEEKS_DAYS);
    }
    dates
}

/// The `which`-th `weekday` of a month, or `None` when the month has no such day (a fifth
/// Thursday in a month with four).
pub fn nth_weekday(
    year: i32,
    month: u32,
    weekday: Weekday,
    which: WeekOfMonth,
) -> Option<NaiveDate> {
    if which == WeekOfMonth::LAST {
        let next_month = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        let last = next_month.pred_opt()?;
        let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
        return last.checked_sub_days(Days::new(back.into()));
    }
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let ahead = (7 + weekday.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
    let day = 1 + ahead + 7 * (u32::try_from(which.0).ok()? - 1);
    NaiveDate::from_ymd_opt(year, month, day)
}
