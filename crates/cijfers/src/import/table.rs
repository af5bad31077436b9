//! Semicolon CSV in long form (`indicator;geo;period;value[;status]`, one value a line), in
//! wide form (one column per indicator, with a mapping of the columns), the Swing bulk format
//! (`"period";"geolevel";"geoitem";"<code>"…`, wide) and Swing's metadata file
//! (`Onderwerpcode;Naam;Beschrijving;Eenheid;Bron`).

use std::collections::HashMap;

use super::numbers::{parse_number, parse_status, shorten, DecimalMark};
use super::{LineError, Parsed, Row, MAX_LINES};
use crate::model::{GeoLevel, ValueStatus};
use crate::store::indicators::{valid_code, IndicatorFields};

/// The lines of a semicolon CSV with their line numbers (1 = first line). A broken line (an
/// unclosed quote) is an error of that line.
fn records(text: &str, parsed: &mut Parsed) -> Vec<(usize, Vec<String>)> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (index, record) in reader.records().enumerate() {
        if index > MAX_LINES {
            parsed.errors.push(LineError::new(
                0,
                format!("Het bestand heeft meer dan {MAX_LINES} regels; splits het op."),
            ));
            break;
        }
        match record {
            Ok(record) => {
                let line = record.position().map_or(index + 1, |p| p.line() as usize);
                let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
                if cells.iter().any(|c| !c.is_empty()) {
                    out.push((line, cells));
                }
            }
            Err(e) => {
                let line = e.position().map_or(index + 1, |p| p.line() as usize);
                parsed.errors.push(LineError::new(
                    line,
                    "de regel is onleesbaar (een aanhalingsteken niet gesloten?)",
                ));
            }
        }
    }
    out
}

fn header_index(header: &[String], names: &[&str]) -> Option<usize> {
    header
        .iter()
        .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
}

/// The long form: a header naming the columns indicator, geo, period, value and (optional)
/// status (Dutch names too: indicator, gebied, periode, waarde, status).
pub fn parse_long(text: &str, mark: DecimalMark) -> Parsed {
    let mut parsed = Parsed::default();
    let lines = records(text, &mut parsed);
    let Some(((_, header), data)) = lines.split_first() else {
        return parsed;
    };
    parsed.columns = header.clone();
    let find = |names: &[&str]| header_index(header, names);
    let (Some(ind), Some(geo), Some(per), Some(val)) = (
        find(&["indicator", "indicatorcode", "code"]),
        find(&["geo", "gebied", "geoitem", "refnis"]),
        find(&["period", "periode", "jaar"]),
        find(&["value", "waarde"]),
    ) else {
        parsed.errors.push(LineError::new(
            1,
            "de kopregel moet de kolommen indicator, geo, period en value hebben \
             (of indicator, gebied, periode en waarde)",
        ));
        return parsed;
    };
    let status = find(&["status"]);
    for (line, cells) in data {
        let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
        let mut problems = Vec::new();
        let value = parse_number(cell(val), mark)
            .map_err(|e| problems.push(e))
            .ok()
            .flatten();
        let status = match status {
            Some(i) => parse_status(cell(i))
                .map_err(|e| problems.push(e))
                .unwrap_or(ValueStatus::Definitive),
            None => ValueStatus::Definitive,
        };
        for (name, i) in [("indicator", ind), ("gebied", geo), ("periode", per)] {
            if cell(i).is_empty() {
                problems.push(format!("de kolom {name} is leeg"));
            }
        }
        if problems.is_empty() {
            parsed.rows.push(Row {
                line: *line,
                indicator: cell(ind).to_string(),
                level: None,
                geo: cell(geo).to_string(),
                municipality: None,
                period: cell(per).to_string(),
                value,
                status,
            });
        } else {
            parsed
                .errors
                .extend(problems.into_iter().map(|p| LineError::new(*line, p)));
        }
    }
    parsed
}

/// What a column of the wide form holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    Geo,
    Period,
    Level,
    Skip,
    Indicator(String),
}

impl Column {
    /// The column's role from a mapping value (`geo`, `period`, `level`, `skip` or a code).
    pub fn from_mapping(value: &str) -> Column {
        match value.trim() {
            "geo" => Column::Geo,
            "period" => Column::Period,
            "level" => Column::Level,
            "" | "skip" => Column::Skip,
            code => Column::Indicator(code.to_string()),
        }
    }

    /// The role guessed from a header (Swing's `period`, `geolevel`, `geoitem`).
    pub fn guess(header: &str) -> Column {
        match header.trim().to_lowercase().as_str() {
            "geo" | "geoitem" | "gebied" | "refnis" | "cd_refnis" => Column::Geo,
            "period" | "periode" | "jaar" => Column::Period,
            "geolevel" | "niveau" => Column::Level,
            "" => Column::Skip,
            _ => Column::Indicator(header.trim().to_string()),
        }
    }

    /// As the mapping screen writes it.
    pub fn mapping_value(&self) -> String {
        match self {
            Column::Geo => "geo".into(),
            Column::Period => "period".into(),
            Column::Level => "level".into(),
            Column::Skip => "skip".into(),
            Column::Indicator(code) => code.clone(),
        }
    }
}

/// Swing's names of levels, and ours.
fn level_of(text: &str) -> Option<GeoLevel> {
    match text.trim().to_lowercase().as_str() {
        "gewest" | "regio" => Some(GeoLevel::Gewest),
        "provincie" => Some(GeoLevel::Provincie),
        "gemeente" => Some(GeoLevel::Gemeente),
        "wijk" => Some(GeoLevel::Wijk),
        "sector" | "statistische sector" | "statsector" => Some(GeoLevel::Sector),
        _ => None,
    }
}

/// The wide form: one line per place and period, a column per indicator. `mapping` gives each
/// column's role (empty: guessed from the header).
pub fn parse_wide(text: &str, mark: DecimalMark, mapping: &[String]) -> Parsed {
    let mut parsed = Parsed::default();
    let lines = records(text, &mut parsed);
    let Some(((_, header), data)) = lines.split_first() else {
        return parsed;
    };
    parsed.columns = header.clone();
    let columns: Vec<Column> = if mapping.is_empty() {
        header.iter().map(|h| Column::guess(h)).collect()
    } else {
        (0..header.len())
            .map(|i| {
                mapping
                    .get(i)
                    .map_or(Column::Skip, |m| Column::from_mapping(m))
            })
            .collect()
    };
    let geo = columns.iter().position(|c| *c == Column::Geo);
    let period = columns.iter().position(|c| *c == Column::Period);
    let level = columns.iter().position(|c| *c == Column::Level);
    let (Some(geo), Some(period)) = (geo, period) else {
        parsed.errors.push(LineError::new(
            1,
            "geef aan welke kolom het gebied en welke de periode bevat",
        ));
        return parsed;
    };
    let indicator_columns: Vec<(usize, &String)> = columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Column::Indicator(code) => Some((i, code)),
            _ => None,
        })
        .collect();
    if indicator_columns.is_empty() {
        parsed
            .errors
            .push(LineError::new(1, "er is geen kolom met een indicator"));
        return parsed;
    }
    for (line, cells) in data {
        let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
        let row_level = match level {
            Some(i) => match level_of(cell(i)) {
                Some(l) => Some(l),
                None => {
                    parsed.errors.push(LineError::new(
                        *line,
                        format!("onbekend gebiedsniveau '{}'", shorten(cell(i))),
                    ));
                    continue;
                }
            },
            None => None,
        };
        if cell(geo).is_empty() || cell(period).is_empty() {
            parsed
                .errors
                .push(LineError::new(*line, "gebied of periode ontbreekt"));
            continue;
        }
        for (i, code) in &indicator_columns {
            let raw = cell(*i);
            // Swing and Statbel write a suppressed cell as '*' or 'x'.
            let (value, status) = if raw == "*" || raw.eq_ignore_ascii_case("x") {
                (Ok(None), ValueStatus::Suppressed)
            } else {
                (parse_number(raw, mark), ValueStatus::Definitive)
            };
            match value {
                Ok(None) if status != ValueStatus::Suppressed => {}
                Ok(value) => parsed.rows.push(Row {
                    line: *line,
                    indicator: (*code).clone(),
                    level: row_level,
                    geo: cell(geo).to_string(),
                    municipality: None,
                    period: cell(period).to_string(),
                    value,
                    status,
                }),
                Err(e) => parsed
                    .errors
                    .push(LineError::new(*line, format!("kolom {code}: {e}"))),
            }
        }
    }
    parsed
}

/// Swing's metadata file: an indicator a line (`Onderwerpcode;Naam;Beschrijving;Eenheid;Bron`).
pub fn parse_swing_meta(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let lines = records(text, &mut parsed);
    let Some(((_, header), data)) = lines.split_first() else {
        return parsed;
    };
    parsed.columns = header.clone();
    let find = |name: &str| header_index(header, &[name]);
    let (Some(code), Some(name)) = (find("Onderwerpcode"), find("Naam")) else {
        parsed.errors.push(LineError::new(
            1,
            "de kopregel moet Onderwerpcode;Naam;Beschrijving;Eenheid;Bron zijn",
        ));
        return parsed;
    };
    let (description, unit, source) = (find("Beschrijving"), find("Eenheid"), find("Bron"));
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, cells) in data {
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i))
                .map(String::as_str)
                .unwrap_or("")
        };
        let code_text = cell(Some(code));
        if !valid_code(code_text) {
            parsed.errors.push(LineError::new(
                *line,
                format!("'{}' is geen geldige onderwerpcode", shorten(code_text)),
            ));
            continue;
        }
        if let Some(first) = seen.insert(code_text.to_string(), *line) {
            parsed.errors.push(LineError::new(
                *line,
                format!("onderwerpcode {code_text} staat ook op regel {first}"),
            ));
            continue;
        }
        if cell(Some(name)).is_empty() {
            parsed
                .errors
                .push(LineError::new(*line, "de naam ontbreekt"));
            continue;
        }
        parsed.indicators.push(IndicatorFields {
            code: code_text.to_string(),
            name: cell(Some(name)).to_string(),
            definition: cell(description).to_string(),
            unit: cell(unit).to_string(),
            source: cell(source).to_string(),
            theme: "Swing".into(),
            aggregation: "sum".into(),
            ..IndicatorFields::default()
        });
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_long_form_reads_values_and_reports_each_bad_line() {
        let text = "indicator;geo;period;value;status\n\
                    bev;44021;2024;263.5;voorlopig\n\
                    bev;44021;2023;abc;\n\
                    bev;;2023;1;\n";
        let parsed = parse_long(text, DecimalMark::Point);
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rows[0].value, Some(263.5));
        assert_eq!(parsed.rows[0].status, ValueStatus::Provisional);
        let lines: Vec<usize> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4]);
    }

    #[test]
    fn swing_bulk_files_are_wide_with_quoted_headers_and_levels() {
        let text = "\"period\";\"geolevel\";\"geoitem\";\"bev\";\"opp\"\n\
                    \"2024\";\"gemeente\";\"44021\";\"263000\";\"*\"\n\
                    \"2024\";\"planeet\";\"44021\";\"1\";\"2\"\n";
        let parsed = parse_wide(text, DecimalMark::Point, &[]);
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.rows[0].level, Some(GeoLevel::Gemeente));
        assert_eq!(parsed.rows[1].status, ValueStatus::Suppressed);
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 3);
    }

    #[test]
    fn a_mapping_renames_and_skips_columns() {
        let text = "Gemeente;Jaar;Inwoners;Opmerking\n44021;2024;263000;ok\n";
        let mapping = ["geo", "period", "bev", "skip"].map(String::from);
        let parsed = parse_wide(text, DecimalMark::Point, &mapping);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rows[0].indicator, "bev");
    }

    #[test]
    fn swing_metadata_brings_indicator_definitions() {
        let text = "Onderwerpcode;Naam;Beschrijving;Eenheid;Bron\n\
                    bev;Bevolking;Inwoners op 1 januari;aantal;Statbel\n\
                    bev;Dubbel;;;\n";
        let parsed = parse_swing_meta(text);
        assert_eq!(parsed.indicators.len(), 1);
        assert_eq!(parsed.indicators[0].source, "Statbel");
        assert_eq!(parsed.errors[0].line, 3);
    }
}
