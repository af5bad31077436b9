//! Numbers as people type them: the Belgian way ("1.234,5", "12,5", "1 234,5") or the plain
//! way ("1234.5"), and back in Belgian form for the pages.
//!
//! A dot is a thousands separator when the number also has a decimal comma, when there are
//! several dots, or when a single dot is followed by exactly three digits after a non-zero
//! integer part ("1.234" is 1234, as a Belgian reads it); otherwise it is the decimal sign
//! ("12.5", "0.125").

/// Parses a typed number, or `None` when it is not one (no letters, one decimal sign).
pub fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.strip_prefix('+').unwrap_or(&cleaned)),
    };
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let plain = normalise(digits)?;
    let value: f64 = plain.parse().ok()?;
    value
        .is_finite()
        .then_some(if negative { -value } else { value })
}

/// The digits with at most one '.' as decimal sign.
fn normalise(digits: &str) -> Option<String> {
    let commas = digits.matches(',').count();
    let dots = digits.matches('.').count();
    let (integer, fraction) = if commas > 1 {
        return None;
    } else if commas == 1 {
        let (integer, fraction) = digits.split_once(',')?;
        (grouped(integer)?, fraction)
    } else if dots > 1 {
        (grouped(digits)?, "")
    } else if let Some((integer, fraction)) = digits.split_once('.') {
        let thousands = fraction.len() == 3 && !integer.is_empty() && !integer.starts_with('0');
        if thousands {
            (format!("{integer}{fraction}"), "")
        } else {
            (integer.to_string(), fraction)
        }
    } else {
        (digits.to_string(), "")
    };
    if fraction.contains('.') || (integer.is_empty() && fraction.is_empty()) {
        return None;
    }
    let integer = if integer.is_empty() {
        "0".to_string()
    } else {
        integer
    };
    Some(if fraction.is_empty() {
        integer
    } else {
        format!("{integer}.{fraction}")
    })
}

/// An integer part with dots between groups of three: "1.234.567" → "1234567".
fn grouped(integer: &str) -> Option<String> {
    let mut groups = integer.split('.');
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    if !rest.is_empty()
        && (first.is_empty() || first.len() > 3 || rest.iter().any(|g| g.len() != 3))
    {
        return None;
    }
    Some(format!("{first}{}", rest.concat()))
}

/// A value the Belgian way with as many decimals as it needs (at most `max_decimals`):
/// 1.234,5 — 12 — 0,25.
pub fn format_number(value: f64, max_decimals: usize) -> String {
    let mut decimals = 0;
    while decimals < max_decimals {
        let scale = 10f64.powi(decimals as i32);
        if ((value * scale).round() - value * scale).abs() < 1e-6 {
            break;
        }
        decimals += 1;
    }
    steden_core::time::format_decimal(value, decimals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belgian_numbers() {
        assert_eq!(parse_number("1.234,5"), Some(1234.5));
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number("1.234.567"), Some(1_234_567.0));
        assert_eq!(parse_number("1.234"), Some(1234.0));
        assert_eq!(parse_number("1 234,5"), Some(1234.5));
        assert_eq!(parse_number("-3,25"), Some(-3.25));
        assert_eq!(parse_number(",5"), Some(0.5));
    }

    #[test]
    fn plain_numbers() {
        assert_eq!(parse_number("1234.5"), Some(1234.5));
        assert_eq!(parse_number("12.5"), Some(12.5));
        assert_eq!(parse_number("0.125"), Some(0.125));
        assert_eq!(parse_number(" 42 "), Some(42.0));
        assert_eq!(parse_number("+7"), Some(7.0));
    }

    #[test]
    fn refused_input() {
        for text in [
            "", "abc", "12a", "1,2,3", "1.23,4", "12.34.5", "-", ",", "1e5", "1.2.3,4",
        ] {
            assert_eq!(parse_number(text), None, "{text}");
        }
    }

    #[test]
    fn formatted_the_belgian_way() {
        assert_eq!(format_number(1234.5, 2), "1.234,5");
        assert_eq!(format_number(12.0, 2), "12");
        assert_eq!(format_number(0.25, 2), "0,25");
        assert_eq!(format_number(-1_000_000.0, 2), "-1.000.000");
        assert_eq!(format_number(1.0 / 3.0, 2), "0,33");
    }
}
