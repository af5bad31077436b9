//! The weekly LinkedIn planner (issue 14 point 7, design §3.9): the Kenniscentrum posts once a
//! week; the planner shows twelve ISO weeks so that a week without a post stands out, drafts a
//! post from a platform item, follows it from concept to posted, and keeps the figures
//! LinkedIn showed for it so that they can be followed over time.
//!
//! - this file: the week ([`IsoWeek`]), the post's status and the rules a post must meet;
//! - [`chart`]: the charts (server-rendered SVG) of a post's figures and of the months.

pub mod chart;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use steden_core::CoreError;

/// An ISO 8601 week (Monday first), stored as `2026-W49`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    monday: NaiveDate,
}

impl IsoWeek {
    /// The week that holds `date`.
    pub fn of(date: NaiveDate) -> IsoWeek {
        let iso = date.iso_week();
        IsoWeek {
            monday: NaiveDate::from_isoywd_opt(iso.year(), iso.week(), Weekday::Mon)
                .expect("the ISO week of a valid date has a Monday"),
        }
    }

    /// This week in Belgian time.
    pub fn current() -> IsoWeek {
        IsoWeek::of(today())
    }

    /// `2026-W49` (also `2026-w49` and `2026W49`); anything else, or week 53 of a year with 52,
    /// is refused with a Dutch message on the field `week`.
    pub fn parse(text: &str) -> Result<IsoWeek, CoreError> {
        let invalid = || CoreError::invalid("week", "Kies een week, bijvoorbeeld 2026-W49.");
        let text = text.trim().to_ascii_uppercase();
        let (year, week) = text
            .split_once("-W")
            .or_else(|| text.split_once('W'))
            .ok_or_else(invalid)?;
        let year: i32 = year.parse().map_err(|_| invalid())?;
        let week: u32 = week.parse().map_err(|_| invalid())?;
        if !(2000..=2100).contains(&year) {
            return Err(invalid());
        }
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
            .map(|monday| IsoWeek { monday })
            .ok_or_else(invalid)
    }

    /// `2026-W49`, as stored and in addresses.
    pub fn key(self) -> String {
        let iso = self.monday.iso_week();
        format!("{}-W{:02}", iso.year(), iso.week())
    }

    /// The week's number within its ISO year.
    pub fn number(self) -> u32 {
        self.monday.iso_week().week()
    }

    pub fn monday(self) -> NaiveDate {
        self.monday
    }

    pub fn sunday(self) -> NaiveDate {
        self.monday + Duration::days(6)
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        (self.monday..=self.sunday()).contains(&date)
    }

    /// The week `weeks` later (earlier when negative).
    pub fn plus(self, weeks: i64) -> IsoWeek {
        IsoWeek {
            monday: self.monday + Duration::weeks(weeks),
        }
    }
}

/// Today in Belgian time.
pub fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Brussels)
        .date_naive()
}

/// Where a post stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PostStatus {
    /// Being written.
    Concept,
    /// Given a day in its week.
    Gepland,
    /// On LinkedIn, with its address.
    Gepost,
}

impl PostStatus {
    pub const ALL: [PostStatus; 3] = [PostStatus::Concept, PostStatus::Gepland, PostStatus::Gepost];

    pub fn as_str(self) -> &'static str {
        match self {
            PostStatus::Concept => "concept",
            PostStatus::Gepland => "gepland",
            PostStatus::Gepost => "gepost",
        }
    }

    pub fn parse(value: &str) -> Result<PostStatus, CoreError> {
        PostStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
            .ok_or_else(|| CoreError::invalid("status", "Onbekende status."))
    }

    /// The Fluent id of its label.
    pub fn label_key(self) -> String {
        format!("nb-li-status-{}", self.as_str())
    }

    /// The tone of its tag (the design system's `.tag-*`) and its icon.
    pub fn tone(self) -> (&'static str, &'static str) {
        match self {
            PostStatus::Concept => ("neutral", "circle"),
            PostStatus::Gepland => ("info", "clock"),
            PostStatus::Gepost => ("success", "check"),
        }
    }
}

/// The longest post LinkedIn accepts (characters).
pub const TEXT_MAX: usize = 3000;

/// A post's text, trimmed; required and at most [`TEXT_MAX`] characters.
pub fn check_text(text: &str) -> Result<String, CoreError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CoreError::invalid("text", "Schrijf de tekst van de post."));
    }
    if text.chars().count() > TEXT_MAX {
        return Err(CoreError::invalid(
            "text",
            "Een post op LinkedIn is hoogstens 3.000 tekens lang.",
        ));
    }
    Ok(text.to_string())
}

/// A post's address on LinkedIn: required to mark it posted, and only a
/// `https://www.linkedin.com/` address (a typo elsewhere would lead readers of the planner off
/// the site). The address is kept without its query string (tracking parameters).
pub fn check_post_url(url: &str) -> Result<String, CoreError> {
    let url = url.trim();
    if url.is_empty() {
        return Err(CoreError::invalid(
            "url",
            "Geef het adres van de post op LinkedIn.",
        ));
    }
    let refuse = || {
        CoreError::invalid(
            "url",
            "Het adres moet beginnen met https://www.linkedin.com/.",
        )
    };
    let rest = url
        .strip_prefix("https://www.linkedin.com/")
        .ok_or_else(refuse)?;
    let path = rest.split(['?', '#']).next().unwrap_or_default();
    if path.is_empty()
        || path
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '<')
    {
        return Err(refuse());
    }
    Ok(format!("https://www.linkedin.com/{path}"))
}

/// A date typed as `2026-12-07` or `7/12/2026`, on the field `field`.
pub fn parse_day(text: &str, field: &'static str) -> Result<NaiveDate, CoreError> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map_err(|_| CoreError::invalid(field, "Geef een datum, bijvoorbeeld 2026-12-07."))
}

/// A count typed on the statistics form: a whole number, 0 or more, dots as thousands
/// separators allowed (1.234).
pub fn parse_count(text: &str, field: &'static str) -> Result<i64, CoreError> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| *c != '.' && *c != ' ')
        .collect();
    match cleaned.parse::<i64>() {
        Ok(n) if (0..=1_000_000_000).contains(&n) => Ok(n),
        _ if cleaned.is_empty() => Ok(0),
        _ => Err(CoreError::invalid(
            field,
            "Geef een geheel getal van 0 of meer.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_weeks_parse_and_print_at_year_ends() {
        // 2026-12-31 is a Thursday: its week is 2026-W53; 2027-01-01 belongs to it too.
        let week = IsoWeek::of(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(week.key(), "2026-W53");
        assert_eq!(IsoWeek::parse("2026-w53").unwrap(), week);
        assert_eq!(week.plus(1).key(), "2027-W01");
        // 2025 has 52 weeks.
        assert!(IsoWeek::parse("2025-W53").is_err());
        assert!(IsoWeek::parse("2026-W00").is_err());
        assert!(IsoWeek::parse("volgende week").is_err());
        let w49 = IsoWeek::parse("2026W49").unwrap();
        assert_eq!(w49.monday(), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert!(w49.contains(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()));
        assert!(!w49.contains(NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()));
    }

    #[test]
    fn post_urls_must_be_linkedin_and_lose_their_query() {
        assert_eq!(
            check_post_url(" https://www.linkedin.com/posts/kvs_activity-1?utm_source=x ").unwrap(),
            "https://www.linkedin.com/posts/kvs_activity-1"
        );
        assert!(check_post_url("").is_err());
        assert!(check_post_url("https://www.linkedin.com.evil.example/posts/1").is_err());
        assert!(check_post_url("http://www.linkedin.com/posts/1").is_err());
        assert!(check_post_url("https://www.linkedin.com/").is_err());
    }

    #[test]
    fn counts_accept_thousands_dots_and_refuse_the_rest() {
        assert_eq!(parse_count("1.234", "impressions").unwrap(), 1234);
        assert_eq!(parse_count("", "impressions").unwrap(), 0);
        assert!(parse_count("-3", "impressions").is_err());
        assert!(parse_count("veel", "impressions").is_err());
    }
}
