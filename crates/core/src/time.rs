//! Time and Belgian (nl-BE) formatting. Timestamps are stored as integer milliseconds (UTC);
//! they are shown in Belgian time (Europe/Brussels) as 28/11/2026 and 14:05, numbers as
//! 1.234,56.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Brussels;

pub use steden_db::now_ms;

/// Milliseconds → the moment in Belgian time, if the value is a valid timestamp.
fn in_brussels(ms: i64) -> Option<DateTime<chrono_tz::Tz>> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .map(|utc| utc.with_timezone(&Brussels))
}

/// 28/11/2026
pub fn format_date(ms: i64) -> String {
    in_brussels(ms)
        .map(|t| t.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

/// 28/11/2026 14:05
pub fn format_datetime(ms: i64) -> String {
    in_brussels(ms)
        .map(|t| t.format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default()
}

/// A calendar date as 28/11/2026.
pub fn format_naive_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// A stored calendar date ('YYYY-MM-DD') for display, as 28/11/2026. Text that is not such a
/// date (an old free-text value) is shown as it is rather than hidden.
pub fn show_date(stored: &str) -> String {
    NaiveDate::parse_from_str(stored.trim(), "%Y-%m-%d")
        .map(format_naive_date)
        .unwrap_or_else(|_| stored.to_string())
}

/// [`show_date`] for an optional date; nothing shows as the empty string.
pub fn show_optional_date(stored: Option<&str>) -> String {
    stored.map(show_date).unwrap_or_default()
}

/// Parses a date as typed by a Belgian user (28/11/2026, 28-11-2026) or as sent by an HTML
/// date input or API (2026-11-28).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
}

/// A typed date (any form [`parse_date`] reads) as 'YYYY-MM-DD', the form the stores keep.
pub fn iso_date(text: &str) -> Option<String> {
    parse_date(text).map(|d| d.format("%Y-%m-%d").to_string())
}

/// An integer with a dot between thousands: 1.234.567, -1.234.
pub fn format_int(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    if value < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// A number with `decimals` decimals, a comma as decimal sign and dots between thousands:
/// 1.234,56.
pub fn format_decimal(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let fixed = format!("{:.*}", decimals, value.abs());
    let (int_part, frac_part) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let int_value: i64 = int_part.parse().unwrap_or(0);
    let negative = value < 0.0 && fixed.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&format_int(int_value));
    if decimals > 0 {
        out.push(',');
        out.push_str(frac_part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belgian_dates() {
        // 28 November 2026, 13:05 UTC is 14:05 in Brussels (winter time, UTC+1).
        let ms = Utc
            .with_ymd_and_hms(2026, 11, 28, 13, 5, 0)
            .unwrap()
            .timestamp_millis();
        assert_eq!(format_date(ms), "28/11/2026");
        assert_eq!(format_datetime(ms), "28/11/2026 14:05");
        // Summer time: UTC+2, and the date moves at 22:30 UTC.
        let summer = Utc
            .with_ymd_and_hms(2026, 6, 30, 22, 30, 0)
            .unwrap()
            .timestamp_millis();
        assert_eq!(format_datetime(summer), "01/07/2026 00:30");
    }

    #[test]
    fn belgian_numbers() {
        assert_eq!(format_int(0), "0");
        assert_eq!(format_int(999), "999");
        assert_eq!(format_int(1234), "1.234");
        assert_eq!(format_int(-1234567), "-1.234.567");
        assert_eq!(format_decimal(1234.56, 2), "1.234,56");
        assert_eq!(format_decimal(-0.5, 1), "-0,5");
        assert_eq!(format_decimal(-0.001, 2), "0,00");
        assert_eq!(format_decimal(1234567.891, 0), "1.234.568");
    }

    #[test]
    fn stored_dates_shown_the_belgian_way() {
        assert_eq!(show_date("2026-11-28"), "28/11/2026");
        // An old free-text value is shown, not hidden.
        assert_eq!(show_date("najaar 2026"), "najaar 2026");
        assert_eq!(show_optional_date(Some("2025-01-02")), "02/01/2025");
        assert_eq!(show_optional_date(None), "");
    }

    #[test]
    fn dates_typed_by_users() {
        let expected = NaiveDate::from_ymd_opt(2026, 11, 28);
        assert_eq!(parse_date("28/11/2026"), expected);
        assert_eq!(parse_date(" 2026-11-28 "), expected);
        assert_eq!(parse_date("28-11-2026"), expected);
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("morgen"), None);
    }
}
