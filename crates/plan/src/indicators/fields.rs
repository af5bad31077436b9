//! What an editor types for an indicator and a measurement, and how it is checked: pure logic
//! without a database (the writes are in `crate::store::indicators` and
//! `crate::store::measurements`).

use steden_core::{CoreError, FieldError};

use super::number::{format_number, parse_number};
use crate::model::indicators::{Direction, Indicator, IndicatorSeries, Target};

/// How often an indicator is measured.
pub const FREQUENCIES: [&str; 4] = [
    "maandelijks",
    "driemaandelijks",
    "halfjaarlijks",
    "jaarlijks",
];

/// The most targets one indicator may have.
pub const TARGETS_MAX: usize = 20;

/// A measurement as posted (a form, the API, an import).
#[derive(Debug, Clone, Default)]
pub struct NewMeasurement {
    /// As typed: 'YYYY-MM-DD' or 'dd/mm/jjjj'.
    pub measured_on: String,
    /// As typed, Belgian or plain ("1.234,5" or "1234.5").
    pub value: String,
    pub comment: String,
    pub author_name: String,
}

/// An indicator's definition as an editor types it. Targets are lines "dd/mm/jjjj waarde".
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct IndicatorFields {
    pub name: String,
    pub unit: String,
    /// hoger | lager
    pub direction: String,
    pub baseline_value: String,
    pub baseline_date: String,
    /// One target a line: "31/12/2028 45" or "2028-12-31 1.234,5".
    pub targets: String,
    pub source: String,
    pub frequency: String,
    pub definition_key: String,
}

impl IndicatorFields {
    /// The fields of an existing indicator, for its edit form (numbers and dates the Belgian way).
    pub fn from_series(series: &IndicatorSeries) -> IndicatorFields {
        let i = &series.indicator;
        IndicatorFields {
            name: i.name.clone(),
            unit: i.unit.clone(),
            direction: i.direction.as_str().to_string(),
            baseline_value: format_number(i.baseline_value, 6),
            baseline_date: belgian_date(&i.baseline_date),
            targets: series
                .targets
                .iter()
                .map(|t| format!("{} {}", belgian_date(&t.date), format_number(t.value, 6)))
                .collect::<Vec<_>>()
                .join("\n"),
            source: i.source.clone(),
            frequency: i.frequency.clone(),
            definition_key: i.definition_key.clone(),
        }
    }
}

/// 'YYYY-MM-DD' as dd/mm/jjjj (unchanged when it is not a date).
pub fn belgian_date(date: &str) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(steden_core::time::format_naive_date)
        .unwrap_or_else(|_| date.to_string())
}

pub(crate) use steden_core::time::iso_date;

/// Checked fields.
#[derive(Debug, Clone)]
pub(crate) struct ValidIndicator {
    pub(crate) name: String,
    pub(crate) unit: String,
    pub(crate) direction: Direction,
    pub(crate) baseline_value: f64,
    pub(crate) baseline_date: String,
    pub(crate) targets: Vec<Target>,
    pub(crate) source: String,
    pub(crate) frequency: String,
    pub(crate) definition_key: String,
}

/// Reads target lines "dd/mm/jjjj waarde" (also "jjjj-mm-dd waarde", or with ';' between),
/// sorted by date; the Dutch message names the first line that is wrong.
pub fn parse_targets(text: &str) -> Result<Vec<Target>, String> {
    let mut targets: Vec<Target> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let number = index + 1;
        let (date, value) = line
            .split_once(|c: char| c.is_whitespace() || c == ';' || c == '\t')
            .ok_or_else(|| {
                format!("Regel {number}: geef een datum en een waarde, bv. \"31/12/2028 45\".")
            })?;
        let date = iso_date(date)
            .ok_or_else(|| format!("Regel {number}: \"{date}\" is geen datum (dd/mm/jjjj)."))?;
        let value = value.trim().trim_start_matches(';').trim();
        let value = parse_number(value)
            .ok_or_else(|| format!("Regel {number}: \"{value}\" is geen getal."))?;
        if targets.iter().any(|t| t.date == date) {
            return Err(format!(
                "Regel {number}: er is al een streefwaarde op {}.",
                belgian_date(&date)
            ));
        }
        targets.push(Target { date, value });
    }
    if targets.len() > TARGETS_MAX {
        return Err(format!("Geef hoogstens {TARGETS_MAX} streefwaarden."));
    }
    targets.sort_by(|a, b| a.date.cmp(&b.date));
    Ok(targets)
}

/// A definition key: lower case letters, digits and '-', '_', '.'.
fn clean_key(text: &str) -> Result<String, &'static str> {
    let key = text.trim().to_lowercase();
    if key.chars().count() > 60 {
        return Err("De gedeelde sleutel mag hoogstens 60 tekens lang zijn.");
    }
    if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(
            "Een gedeelde sleutel bevat enkel letters, cijfers, '-', '_' en '.' (geen spaties).",
        );
    }
    Ok(key)
}

pub(crate) fn validate(fields: &IndicatorFields) -> Result<ValidIndicator, CoreError> {
    let mut errors = Vec::new();
    let name = fields.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        errors.push(FieldError::new("name", "Geef de naam van de indicator."));
    } else if name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            "De naam mag hoogstens 200 tekens lang zijn.",
        ));
    }
    let direction = Direction::parse(fields.direction.trim());
    if direction.is_none() {
        errors.push(FieldError::new(
            "direction",
            "Kies of hoger of lager beter is.",
        ));
    }
    let baseline_value = parse_number(&fields.baseline_value);
    if baseline_value.is_none() {
        errors.push(FieldError::new(
            "baseline_value",
            "Geef de beginwaarde als getal, bv. 1.234,5.",
        ));
    }
    let baseline_date = iso_date(&fields.baseline_date);
    if baseline_date.is_none() {
        errors.push(FieldError::new(
            "baseline_date",
            "Geef de datum van de beginwaarde als dd/mm/jjjj.",
        ));
    }
    let targets = match parse_targets(&fields.targets) {
        Ok(targets) if targets.is_empty() => {
            errors.push(FieldError::new(
                "targets",
                "Geef minstens één streefwaarde: een datum en een waarde per regel.",
            ));
            targets
        }
        Ok(targets) => targets,
        Err(message) => {
            errors.push(FieldError::new("targets", message));
            Vec::new()
        }
    };
    if let (Some(baseline), Some(first)) = (&baseline_date, targets.first()) {
        if first.date.as_str() <= baseline.as_str() {
            errors.push(FieldError::new(
                "targets",
                "Elke streefwaarde ligt na de datum van de beginwaarde.",
            ));
        }
    }
    let frequency = match fields.frequency.trim() {
        "" => "jaarlijks".to_string(),
        f if FREQUENCIES.contains(&f) => f.to_string(),
        _ => {
            errors.push(FieldError::new("frequency", "Kies een geldige frequentie."));
            String::new()
        }
    };
    let definition_key = clean_key(&fields.definition_key).unwrap_or_else(|message| {
        errors.push(FieldError::new("definition_key", message));
        String::new()
    });
    for (field, value) in [("unit", &fields.unit), ("source", &fields.source)] {
        if value.trim().chars().count() > 200 {
            errors.push(FieldError::new(field, "Hoogstens 200 tekens."));
        }
    }
    match (direction, baseline_value, baseline_date) {
        (Some(direction), Some(baseline_value), Some(baseline_date)) if errors.is_empty() => {
            Ok(ValidIndicator {
                name,
                unit: fields.unit.trim().to_string(),
                direction,
                baseline_value,
                baseline_date,
                targets,
                source: fields.source.trim().to_string(),
                frequency,
                definition_key,
            })
        }
        _ => Err(CoreError::Invalid(errors)),
    }
}

pub(crate) fn targets_text(targets: &[Target]) -> String {
    targets
        .iter()
        .map(|t| format!("{} {}", t.date, t.value))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Checked measurement input.
pub(crate) fn validate_measurement(m: &NewMeasurement) -> Result<(String, f64, String), CoreError> {
    let mut errors = Vec::new();
    let date = if m.measured_on.trim().is_empty() {
        errors.push(FieldError::new(
            "measured_on",
            "Geef de datum van de meting.",
        ));
        None
    } else {
        let date = iso_date(&m.measured_on);
        if date.is_none() {
            errors.push(FieldError::new(
                "measured_on",
                "Geef de datum van de meting als dd/mm/jjjj.",
            ));
        }
        date
    };
    let value = parse_number(&m.value);
    if value.is_none() {
        errors.push(FieldError::new(
            "value",
            "Geef de gemeten waarde als getal, bv. 1.234,5 of 12,5.",
        ));
    }
    let comment = m.comment.trim().to_string();
    if comment.chars().count() > 4000 {
        errors.push(FieldError::new(
            "comment",
            "Een opmerking mag hoogstens 4.000 tekens lang zijn.",
        ));
    }
    match (date, value) {
        (Some(date), Some(value)) if errors.is_empty() => Ok((date, value, comment)),
        _ => Err(CoreError::Invalid(errors)),
    }
}

/// The text of a measurement in the item's history.
pub(crate) fn history_text(
    indicator: &Indicator,
    date: &str,
    value: f64,
    replaced: Option<f64>,
    comment: &str,
) -> String {
    let unit = if indicator.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", indicator.unit)
    };
    let mut text = format!(
        "Meting \"{}\" op {}: {}{unit}",
        indicator.name,
        belgian_date(date),
        format_number(value, 6)
    );
    if let Some(old) = replaced {
        text.push_str(&format!(
            " (vervangt de vorige waarde {}{unit} van die datum)",
            format_number(old, 6)
        ));
    }
    if !comment.is_empty() {
        text.push_str(" — ");
        text.push_str(comment);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_lines() {
        let targets = parse_targets("31/12/2030 1.234,5\n\n2028-12-31;40\n").unwrap();
        assert_eq!(
            targets,
            vec![
                Target {
                    date: "2028-12-31".into(),
                    value: 40.0
                },
                Target {
                    date: "2030-12-31".into(),
                    value: 1234.5
                },
            ]
        );
        let err = parse_targets("31/12/2030 40\n31/13/2031 50").unwrap_err();
        assert!(err.starts_with("Regel 2"), "{err}");
        assert!(parse_targets("31/12/2030").unwrap_err().contains("Regel 1"));
        assert!(parse_targets("31/12/2030 veel")
            .unwrap_err()
            .contains("geen getal"));
        assert!(parse_targets("31/12/2030 1\n2030-12-31 2").is_err());
    }

    #[test]
    fn refused_fields_name_each_field() {
        let fields = IndicatorFields {
            name: " ".into(),
            direction: "beter".into(),
            baseline_value: "abc".into(),
            baseline_date: "morgen".into(),
            targets: String::new(),
            frequency: "wekelijks".into(),
            definition_key: "met spatie".into(),
            ..IndicatorFields::default()
        };
        let Err(CoreError::Invalid(errors)) = validate(&fields) else {
            panic!("accepted");
        };
        let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "name",
            "direction",
            "baseline_value",
            "baseline_date",
            "targets",
            "frequency",
            "definition_key",
        ] {
            assert!(names.contains(&field), "{field} in {names:?}");
        }
    }

    #[test]
    fn a_target_before_the_baseline_is_refused() {
        let fields = IndicatorFields {
            name: "Fietsers".into(),
            direction: "hoger".into(),
            baseline_value: "10".into(),
            baseline_date: "01/01/2026".into(),
            targets: "01/01/2025 20".into(),
            ..IndicatorFields::default()
        };
        assert!(matches!(validate(&fields), Err(CoreError::Invalid(e)) if e[0].field == "targets"));
    }
}
