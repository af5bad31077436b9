//! Fluvius' energy use per statistical sector (Opendatasoft export, semicolon CSV):
//! `Verbruiksjaar;Markt;Richting;StatistischeSector;…;BenaderendVerbruikkWh`. Each market and
//! direction becomes an indicator (`fluvius_elektriciteit_afname_kwh`, …). Fluvius splits a
//! sector's use over several lines (kinds of connection), so lines of the same sector, year,
//! market and direction are added up; small sectors come folded into `<refnis>REST`. A
//! municipality column (`NIS-code`, `CD_REFNIS`), when present, is checked against the sector.

use std::collections::BTreeMap;

use super::numbers::{parse_number, shorten, DecimalMark};
use super::{LineError, Parsed, Row, MAX_LINES};

/// (indicator, sector, year) → (sum of kWh, first line, the municipality the file says).
type Sums = BTreeMap<(String, String, String), (f64, usize, Option<String>)>;
use crate::model::{GeoLevel, ValueStatus};
use crate::store::indicators::IndicatorFields;

/// The indicator code of a market and direction.
pub fn indicator_code(market: &str, direction: &str) -> String {
    let slug = |s: &str| -> String {
        s.trim()
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect()
    };
    format!("fluvius_{}_{}_kwh", slug(market), slug(direction))
}

pub fn parse(text: &str, mark: DecimalMark) -> Parsed {
    let mut parsed = Parsed::default();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(h)) => h.iter().map(|c| c.trim().to_string()).collect(),
        _ => return parsed,
    };
    parsed.columns = header.clone();
    let find = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let (Some(year), Some(market), Some(direction), Some(sector), Some(kwh)) = (
        find(&["Verbruiksjaar"]),
        find(&["Markt"]),
        find(&["Richting"]),
        find(&["StatistischeSector", "Statistische sector"]),
        find(&["BenaderendVerbruikkWh", "Benaderend Verbruik (kWh)"]),
    ) else {
        parsed.errors.push(LineError::new(
            1,
            "dit is geen Fluvius-bestand: de kolommen Verbruiksjaar, Markt, Richting, \
             StatistischeSector en BenaderendVerbruikkWh ontbreken",
        ));
        return parsed;
    };
    let municipality = find(&["NIS-code", "NIS", "CD_REFNIS", "Gemeentecode"]);
    let mut sums: Sums = BTreeMap::new();
    let mut markets = BTreeMap::new();
    for (index, record) in records.enumerate() {
        let line = index + 2;
        if line > MAX_LINES {
            parsed.errors.push(LineError::new(
                0,
                format!("Het bestand heeft meer dan {MAX_LINES} regels."),
            ));
            break;
        }
        let Ok(record) = record else {
            parsed
                .errors
                .push(LineError::new(line, "de regel is onleesbaar"));
            continue;
        };
        let cell = |i: usize| record.get(i).map(str::trim).unwrap_or("");
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let year_text = cell(year);
        if year_text.len() != 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
            parsed.errors.push(LineError::new(
                line,
                format!("'{}' is geen verbruiksjaar", shorten(year_text)),
            ));
            continue;
        }
        let sector_code = cell(sector).to_uppercase();
        if sector_code.len() < 6 || sector_code.len() > 12 {
            parsed.errors.push(LineError::new(
                line,
                format!("'{}' is geen statistische sector", shorten(cell(sector))),
            ));
            continue;
        }
        let value = match parse_number(cell(kwh), mark) {
            Ok(Some(v)) => v,
            Ok(None) => continue,
            Err(e) => {
                parsed
                    .errors
                    .push(LineError::new(line, format!("BenaderendVerbruikkWh: {e}")));
                continue;
            }
        };
        if cell(market).is_empty() || cell(direction).is_empty() {
            parsed
                .errors
                .push(LineError::new(line, "markt of richting ontbreekt"));
            continue;
        }
        let code = indicator_code(cell(market), cell(direction));
        markets.insert(
            code.clone(),
            format!("{}, {}", cell(market), cell(direction).to_lowercase()),
        );
        let entry = sums
            .entry((code, sector_code, year_text.to_string()))
            .or_insert((0.0, line, municipality.map(|i| cell(i).to_string())));
        entry.0 += value;
    }
    for ((indicator, sector, year), (sum, line, municipality)) in sums {
        parsed.rows.push(Row {
            line,
            indicator,
            level: Some(GeoLevel::Sector),
            geo: sector,
            municipality: municipality.filter(|m| !m.is_empty()),
            period: year,
            value: Some(sum),
            status: ValueStatus::Definitive,
        });
    }
    parsed.indicators = markets
        .into_iter()
        .map(|(code, label)| IndicatorFields {
            code,
            name: format!("Energieverbruik {label}"),
            definition: "Benaderend verbruik per statistische sector volgens Fluvius.".into(),
            unit: "kWh".into(),
            source: "Fluvius open data".into(),
            theme: "Energie en klimaat".into(),
            aggregation: "sum".into(),
            ..IndicatorFields::default()
        })
        .collect();
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_a_sector_are_added_per_market_and_direction() {
        let text = "Verbruiksjaar;Markt;Richting;Hoofdgemeente;NIS-code;StatistischeSector;Aansluiting;BenaderendVerbruikkWh\n\
                    2023;Elektriciteit;Afname;Gent;44021;44021A00-;Huishoudelijk;1000.5\n\
                    2023;Elektriciteit;Afname;Gent;44021;44021A00-;Niet-huishoudelijk;500\n\
                    2023;Aardgas;Afname;Gent;44021;44021REST;Huishoudelijk;20\n\
                    2023;Aardgas;Afname;Gent;44021;44021REST;Huishoudelijk;twintig\n";
        let parsed = parse(text, DecimalMark::Point);
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 5);
        let electricity = parsed
            .rows
            .iter()
            .find(|r| r.indicator == "fluvius_elektriciteit_afname_kwh")
            .unwrap();
        assert_eq!(electricity.value, Some(1500.5));
        assert_eq!(electricity.municipality.as_deref(), Some("44021"));
        assert!(parsed.rows.iter().any(|r| r.geo == "44021REST"));
        assert_eq!(parsed.indicators.len(), 2);
    }
}
