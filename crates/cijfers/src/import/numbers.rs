//! Numbers as files write them. The decimal mark is the file's convention, chosen on the upload
//! form: with a decimal point "1.234" is one and a bit; with a decimal comma it is 1234 and
//! "1.234,5" is 1234.5. A number that only makes sense under the other convention is refused,
//! so that a file mixing both never imports half its figures a thousand times too large.

use serde::{Deserialize, Serialize};

use crate::model::ValueStatus;

/// The decimal mark of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecimalMark {
    #[default]
    Point,
    Comma,
}

impl DecimalMark {
    pub fn parse(text: &str) -> DecimalMark {
        if text.trim() == "comma" {
            DecimalMark::Comma
        } else {
            DecimalMark::Point
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DecimalMark::Point => "point",
            DecimalMark::Comma => "comma",
        }
    }
}

/// A cell read as a number: `Ok(None)` when empty, `Err` with a Dutch reason otherwise.
pub fn parse_number(raw: &str, mark: DecimalMark) -> Result<Option<f64>, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    if unsigned.is_empty()
        || !unsigned
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        || !unsigned.starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(format!("'{}' is geen getal", shorten(text)));
    }
    let normal = match mark {
        DecimalMark::Point => {
            if unsigned.contains(',') {
                return Err(format!(
                    "'{}' bevat een komma, maar het bestand gebruikt een decimaalpunt \
                     (gemengd gebruik van punt en komma)",
                    shorten(text)
                ));
            }
            if unsigned.matches('.').count() > 1 {
                return Err(format!(
                    "'{}' heeft meer dan één decimaalpunt",
                    shorten(text)
                ));
            }
            text.to_string()
        }
        DecimalMark::Comma => {
            let (whole, fraction) = match unsigned.split_once(',') {
                Some((whole, fraction)) => (whole, Some(fraction)),
                None => (unsigned, None),
            };
            if fraction.is_some_and(|f| f.is_empty() || f.contains([',', '.'])) {
                return Err(format!(
                    "'{}' is geen getal met een decimaalkomma",
                    shorten(text)
                ));
            }
            if whole.contains('.') && !thousands_grouped(whole) {
                return Err(format!(
                    "'{}' bevat een punt die geen duizendtalscheiding is, maar het bestand \
                     gebruikt een decimaalkomma (gemengd gebruik van punt en komma)",
                    shorten(text)
                ));
            }
            let sign = if text.starts_with('-') { "-" } else { "" };
            let digits = whole.replace('.', "");
            match fraction {
                Some(fraction) => format!("{sign}{digits}.{fraction}"),
                None => format!("{sign}{digits}"),
            }
        }
    };
    normal
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| format!("'{}' is geen getal", shorten(text)))
}

/// "1.234.567": groups of three digits after the first group of one to three.
fn thousands_grouped(whole: &str) -> bool {
    let mut groups = whole.split('.');
    let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
    first_ok && groups.all(|g| g.len() == 3)
}

/// A status cell: empty is definitive; Dutch and English words are read.
pub fn parse_status(raw: &str) -> Result<ValueStatus, String> {
    match raw.trim().to_lowercase().as_str() {
        "" | "definitief" | "definitive" | "d" => Ok(ValueStatus::Definitive),
        "voorlopig" | "provisional" | "p" => Ok(ValueStatus::Provisional),
        "geschat" | "schatting" | "estimated" | "e" => Ok(ValueStatus::Estimated),
        "geheim" | "onderdrukt" | "suppressed" | "c" => Ok(ValueStatus::Suppressed),
        other => Err(format!(
            "onbekende status '{}' (definitief, voorlopig, geschat of geheim)",
            shorten(other)
        )),
    }
}

/// A cell as quoted in a message: at most 40 characters.
pub fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decimal_point_file_reads_points_and_refuses_commas() {
        assert_eq!(parse_number("1.5", DecimalMark::Point), Ok(Some(1.5)));
        assert_eq!(parse_number("-12", DecimalMark::Point), Ok(Some(-12.0)));
        assert_eq!(parse_number(" ", DecimalMark::Point), Ok(None));
        assert!(parse_number("1.234,5", DecimalMark::Point)
            .unwrap_err()
            .contains("gemengd"));
        assert!(parse_number("1,5", DecimalMark::Point).is_err());
        assert!(parse_number("1.2.3", DecimalMark::Point).is_err());
    }

    #[test]
    fn a_decimal_comma_file_reads_thousands_points_and_refuses_a_lone_point() {
        assert_eq!(
            parse_number("1.234,5", DecimalMark::Comma),
            Ok(Some(1234.5))
        );
        assert_eq!(parse_number("1.234", DecimalMark::Comma), Ok(Some(1234.0)));
        assert_eq!(parse_number("-0,25", DecimalMark::Comma), Ok(Some(-0.25)));
        assert_eq!(
            parse_number("12.345.678", DecimalMark::Comma),
            Ok(Some(12_345_678.0))
        );
        assert!(parse_number("1234.5", DecimalMark::Comma)
            .unwrap_err()
            .contains("gemengd"));
        assert!(parse_number("1,2,3", DecimalMark::Comma).is_err());
        assert!(parse_number("1,", DecimalMark::Comma).is_err());
    }

    #[test]
    fn text_infinity_and_signs_alone_are_not_numbers() {
        for bad in ["abc", "inf", "NaN", "-", "1e5", "12 345", "€5", ".5"] {
            assert!(parse_number(bad, DecimalMark::Point).is_err(), "{bad}");
            assert!(parse_number(bad, DecimalMark::Comma).is_err(), "{bad}");
        }
        assert!(parse_number(&"9".repeat(400), DecimalMark::Point).is_err());
    }

    #[test]
    fn statuses_are_read_in_dutch_and_english() {
        assert_eq!(parse_status(""), Ok(ValueStatus::Definitive));
        assert_eq!(parse_status("Voorlopig"), Ok(ValueStatus::Provisional));
        assert_eq!(parse_status("suppressed"), Ok(ValueStatus::Suppressed));
        assert!(parse_status("misschien").is_err());
    }
}
