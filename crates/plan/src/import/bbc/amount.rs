//! Belgian amounts ("1.234.567,89", "(1.234)", "€ 1.234,00") as integer cents.
//!
//! The rule, so that no amount is ever read with the wrong magnitude:
//! - the comma is the only decimal separator, followed by one or two digits;
//! - a dot (or a space) only separates groups of three digits before the comma;
//! - so "1.234" is one thousand two hundred and thirty-four euro, and anything that only makes
//!   sense as an English number ("1234.56", "1,234.56", "1,234") is refused rather than guessed:
//!   such a file comes from a differently configured export and must be fixed at the source;
//! - a minus in front or behind, or parentheses, make the amount negative; "€"/"EUR" is ignored;
//! - an empty cell (or a lone "-", as reports print for "nothing") is no amount, "0" is zero.

use std::fmt;

/// An amount in euro cents. Integer so that sums over thousands of lines are exact.
pub type Cents = i64;

/// Why a cell is not a Belgian amount; the Display text completes "… is geen geldig bedrag".
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("verwacht cijfers met punten voor duizendtallen en een komma voor decimalen")]
    Invalid,
    #[error("meer dan twee cijfers na de komma")]
    TooManyDecimals,
    #[error("een punt scheidt in een Belgisch bedrag alleen duizendtallen; schrijf decimalen na een komma")]
    AmbiguousDot,
    #[error("het bedrag is te groot")]
    TooLarge,
}

/// Parses a Belgian amount into cents. `Ok(None)` is an empty cell.
pub fn parse_amount(input: &str) -> Result<Option<Cents>, AmountError> {
    let mut s = trim(input);
    if s.is_empty() {
        return Ok(None);
    }
    let mut negative = false;
    let mut parens = false;
    // Peel currency, signs and parentheses off both ends, in any order ("-€ 12", "€ (12)", "12-").
    loop {
        s = trim(s);
        if let Some(rest) = s.strip_prefix('€').or_else(|| strip_prefix_ci(s, "EUR")) {
            s = rest;
        } else if let Some(rest) = s.strip_suffix('€').or_else(|| strip_suffix_ci(s, "EUR")) {
            s = rest;
        } else if s.len() >= 2 && s.starts_with('(') && s.ends_with(')') {
            if negative || parens {
                return Err(AmountError::Invalid);
            }
            negative = true;
            parens = true;
            s = &s[1..s.len() - 1];
        } else if let Some(rest) = s.strip_prefix(['-', '\u{2212}']) {
            if negative {
                return Err(AmountError::Invalid);
            }
            negative = true;
            s = rest;
        } else if let Some(rest) = s.strip_suffix('-') {
            if negative {
                return Err(AmountError::Invalid);
            }
            negative = true;
            s = rest;
        } else if let Some(rest) = s.strip_prefix('+') {
            s = rest;
        } else {
            break;
        }
    }
    if s.is_empty() {
        return if parens {
            Err(AmountError::Invalid)
        } else {
            Ok(None)
        };
    }
    let cents = parse_unsigned(s)?;
    Ok(Some(if negative { -cents } else { cents }))
}

/// Digits, thousands groups and an optional decimal comma.
fn parse_unsigned(s: &str) -> Result<Cents, AmountError> {
    let (int_part, frac_part) = match s.split_once(',') {
        Some((int_part, frac)) => {
            if frac.contains(',') {
                return Err(AmountError::Invalid);
            }
            if frac.contains('.') {
                // "1,234.56": English notation, never guessed.
                return Err(AmountError::AmbiguousDot);
            }
            (int_part, Some(frac))
        }
        None => (s, None),
    };
    let whole = parse_grouped(int_part, frac_part.is_some())?;
    let fraction = match frac_part {
        None => 0,
        Some(f) => {
            if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
                return Err(AmountError::Invalid);
            }
            match f.len() {
                1 => i64::from(f.as_bytes()[0] - b'0') * 10,
                2 => i64::from(f.as_bytes()[0] - b'0') * 10 + i64::from(f.as_bytes()[1] - b'0'),
                _ => return Err(AmountError::TooManyDecimals),
            }
        }
    };
    whole
        .checked_mul(100)
        .and_then(|c| c.checked_add(fraction))
        .ok_or(AmountError::TooLarge)
}

/// The part before the comma: plain digits, or groups of three separated by one kind of
/// separator (dot, space or non-breaking space).
fn parse_grouped(s: &str, has_comma: bool) -> Result<i64, AmountError> {
    if s.is_empty() {
        return Err(AmountError::Invalid);
    }
    let separator = s.chars().find(|c| !c.is_ascii_digit());
    let mut value: i64 = 0;
    let mut push = |digits: &str| -> Result<(), AmountError> {
        for b in digits.bytes() {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(i64::from(b - b'0')))
                .ok_or(AmountError::TooLarge)?;
        }
        Ok(())
    };
    match separator {
        None => push(s)?,
        Some(sep) if matches!(sep, '.' | ' ' | '\u{a0}' | '\u{202f}') => {
            let groups: Vec<&str> = s.split(sep).collect();
            let well_grouped = groups.iter().enumerate().all(|(i, g)| {
                g.bytes().all(|b| b.is_ascii_digit())
                    && if i == 0 {
                        (1..=3).contains(&g.len())
                    } else {
                        g.len() == 3
                    }
            });
            if !well_grouped {
                // "1234.56" or "12.5": only an English decimal point fits; refuse, do not guess.
                if sep == '.'
                    && !has_comma
                    && groups.len() == 2
                    && groups
                        .iter()
                        .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
                {
                    return Err(AmountError::AmbiguousDot);
                }
                return Err(AmountError::Invalid);
            }
            for g in groups {
                push(g)?;
            }
        }
        Some(_) => return Err(AmountError::Invalid),
    }
    Ok(value)
}

fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}')
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let at = s.len().checked_sub(suffix.len())?;
    let tail = s.get(at..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &s[..at])
}

/// Cents written the Belgian way with two decimals: `-123456789` → "-1.234.567,89".
pub fn format_amount(cents: Cents) -> String {
    BelgianAmount(cents).to_string()
}

/// Display adapter for [`format_amount`].
pub struct BelgianAmount(pub Cents);

impl fmt::Display for BelgianAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.0.unsigned_abs();
        let whole = (abs / 100).to_string();
        if self.0 < 0 {
            f.write_str("-")?;
        }
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                f.write_str(".")?;
            }
            write!(f, "{ch}")?;
        }
        write!(f, ",{:02}", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Option<Cents> {
        parse_amount(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn belgian_forms() {
        assert_eq!(ok("1.234.567,89"), Some(123_456_789));
        assert_eq!(ok("1234567,89"), Some(123_456_789));
        assert_eq!(ok("1.234"), Some(123_400));
        assert_eq!(ok("1234"), Some(123_400));
        assert_eq!(ok("0"), Some(0));
        assert_eq!(ok("0,00"), Some(0));
        assert_eq!(ok("12,5"), Some(1250));
        assert_eq!(ok("12,05"), Some(1205));
        assert_eq!(ok("999"), Some(99_900));
        assert_eq!(ok("1 234 567,89"), Some(123_456_789));
        assert_eq!(ok("1\u{a0}234,00"), Some(123_400));
        assert_eq!(ok("  7,10 "), Some(710));
        assert_eq!(ok("+5"), Some(500));
    }

    #[test]
    fn negatives_and_currency() {
        assert_eq!(ok("-1.234"), Some(-123_400));
        assert_eq!(ok("\u{2212}1.234"), Some(-123_400));
        assert_eq!(ok("(1.234)"), Some(-123_400));
        assert_eq!(ok("(1.234,56)"), Some(-123_456));
        assert_eq!(ok("1.234-"), Some(-123_400));
        assert_eq!(ok("€ 1.234,00"), Some(123_400));
        assert_eq!(ok("€1.234,00"), Some(123_400));
        assert_eq!(ok("1.234,00 €"), Some(123_400));
        assert_eq!(ok("EUR 12"), Some(1200));
        assert_eq!(ok("-€ 12"), Some(-1200));
        assert_eq!(ok("€ -12"), Some(-1200));
        assert_eq!(ok("€ (12,30)"), Some(-1230));
        assert_eq!(ok("(€ 12,30)"), Some(-1230));
        assert_eq!(ok("-0"), Some(0));
    }

    #[test]
    fn empty_is_none() {
        assert_eq!(ok(""), None);
        assert_eq!(ok("   "), None);
        assert_eq!(ok("-"), None);
        assert_eq!(ok("€"), None);
    }

    #[test]
    fn refused_forms() {
        use AmountError::*;
        for (s, e) in [
            ("12,34,5", Invalid),
            ("1,234.56", AmbiguousDot),
            ("1234.56", AmbiguousDot),
            ("12.5", AmbiguousDot),
            ("1,234", TooManyDecimals),
            ("1,2345", TooManyDecimals),
            ("1.23.456", Invalid),
            ("1.2345", AmbiguousDot),
            ("12.345.67", Invalid),
            ("1.234 567", Invalid),
            (".5", Invalid),
            (",5", Invalid),
            ("5,", Invalid),
            ("abc", Invalid),
            ("12a", Invalid),
            ("1e5", Invalid),
            ("--5", Invalid),
            ("-(5)", Invalid),
            ("((5))", Invalid),
            ("()", Invalid),
            ("- 5 -", Invalid),
            ("5,-", Invalid),
            ("99999999999999999999", TooLarge),
            ("92233720368547758,08", TooLarge),
        ] {
            assert_eq!(parse_amount(s), Err(e), "{s:?}");
        }
    }

    #[test]
    fn extremes_do_not_overflow() {
        assert_eq!(ok("92.233.720.368.547.758,07"), Some(i64::MAX));
        assert_eq!(ok("-92.233.720.368.547.758,07"), Some(-i64::MAX));
    }

    #[test]
    fn format_round_trips() {
        for cents in [
            0,
            5,
            99,
            100,
            123_456_789,
            -123_456_789,
            100_000,
            -1,
            i64::MAX,
            -i64::MAX,
        ] {
            let text = format_amount(cents);
            assert_eq!(ok(&text), Some(cents), "{text}");
        }
        assert_eq!(format_amount(123_456_789), "1.234.567,89");
        assert_eq!(format_amount(-100), "-1,00");
        assert_eq!(format_amount(100_000), "1.000,00");
    }
}
