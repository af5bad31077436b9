//! Statbel's population structure: a pipe-separated text file with a UTF-8 BOM (often inside a
//! zip) with a line per municipality, sex, nationality, civil status and age, and the number
//! of people (`CD_REFNIS|…|CD_SEX|…|CD_AGE|MS_POPULATION`). It is summed to indicators per
//! municipality and year: the population, by sex and in three age groups. The year is the
//! file's `CD_YEAR` or `DT_REFDATE` column when it has one, else the year in its name.

use std::collections::BTreeMap;

use super::numbers::shorten;
use super::{LineError, Parsed, Row, MAX_LINES};
use crate::model::{GeoLevel, ValueStatus};
use crate::store::indicators::IndicatorFields;

/// The indicators this import writes: code, name, unit.
pub const INDICATORS: [(&str, &str); 6] = [
    ("bevolking", "Bevolking"),
    ("bevolking_mannen", "Bevolking, mannen"),
    ("bevolking_vrouwen", "Bevolking, vrouwen"),
    ("bevolking_0_17", "Bevolking van 0 tot 17 jaar"),
    ("bevolking_18_64", "Bevolking van 18 tot 64 jaar"),
    ("bevolking_65plus", "Bevolking van 65 jaar en ouder"),
];

fn year_in(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let candidate = text.get(i..i + 4)?;
        let before_ok = i == 0 || !bytes.get(i - 1).is_some_and(u8::is_ascii_digit);
        let after_ok = !bytes.get(i + 4).is_some_and(u8::is_ascii_digit);
        (before_ok
            && after_ok
            && candidate.bytes().all(|b| b.is_ascii_digit())
            && (candidate.starts_with("19") || candidate.starts_with("20")))
        .then(|| candidate.to_string())
    })
}

pub fn parse(text: &str, filename: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut lines = text.lines().enumerate();
    let Some((_, header)) = lines.next() else {
        return parsed;
    };
    let header: Vec<String> = header.split('|').map(|h| h.trim().to_uppercase()).collect();
    parsed.columns = header.clone();
    let find = |name: &str| header.iter().position(|h| h == name);
    let (Some(refnis), Some(sex), Some(age), Some(count)) = (
        find("CD_REFNIS"),
        find("CD_SEX"),
        find("CD_AGE"),
        find("MS_POPULATION"),
    ) else {
        parsed.errors.push(LineError::new(
            1,
            "dit is geen bevolkingsbestand van Statbel: de kolommen CD_REFNIS, CD_SEX, CD_AGE \
             en MS_POPULATION ontbreken (gescheiden door |)",
        ));
        return parsed;
    };
    let year_column = find("CD_YEAR").or_else(|| find("DT_REFDATE"));
    let file_year = year_in(filename);
    if year_column.is_none() && file_year.is_none() {
        parsed.errors.push(LineError::new(
            0,
            "Het jaar staat niet in het bestand en niet in de bestandsnaam \
             (bv. TF_SOC_POP_STRUCT_2024.zip).",
        ));
        return parsed;
    }
    // (indicator, refnis, year) → (sum, first line)
    let mut sums: BTreeMap<(usize, String, String), (i64, usize)> = BTreeMap::new();
    for (index, raw) in lines {
        let line = index + 1;
        if line > MAX_LINES {
            parsed.errors.push(LineError::new(
                0,
                format!("Het bestand heeft meer dan {MAX_LINES} regels."),
            ));
            break;
        }
        if raw.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = raw.split('|').map(str::trim).collect();
        let cell = |i: usize| cells.get(i).copied().unwrap_or("");
        let code = cell(refnis);
        if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
            parsed.errors.push(LineError::new(
                line,
                format!("'{}' is geen REFNIS-code van vijf cijfers", shorten(code)),
            ));
            continue;
        }
        let year = match year_column {
            Some(i) => match year_in(cell(i)) {
                Some(year) => year,
                None => {
                    parsed.errors.push(LineError::new(
                        line,
                        format!("'{}' is geen jaar", shorten(cell(i))),
                    ));
                    continue;
                }
            },
            None => file_year.clone().unwrap_or_default(),
        };
        let sex_index = match cell(sex) {
            "M" => 1,
            "F" | "V" => 2,
            other => {
                parsed.errors.push(LineError::new(
                    line,
                    format!("geslacht '{}' is geen M of F", shorten(other)),
                ));
                continue;
            }
        };
        let Ok(age) = cell(age).parse::<u32>() else {
            parsed.errors.push(LineError::new(
                line,
                format!("leeftijd '{}' is geen geheel getal", shorten(cell(age))),
            ));
            continue;
        };
        let Ok(people) = cell(count).parse::<i64>() else {
            parsed.errors.push(LineError::new(
                line,
                format!("aantal '{}' is geen geheel getal", shorten(cell(count))),
            ));
            continue;
        };
        if !(0..=10_000_000).contains(&people) {
            parsed
                .errors
                .push(LineError::new(line, format!("aantal {people} kan niet")));
            continue;
        }
        let age_index = match age {
            0..=17 => 3,
            18..=64 => 4,
            _ => 5,
        };
        for indicator in [0, sex_index, age_index] {
            let entry = sums
                .entry((indicator, code.to_string(), year.clone()))
                .or_insert((0, line));
            entry.0 = entry.0.saturating_add(people);
        }
    }
    for ((indicator, refnis, year), (sum, line)) in sums {
        let Some((code, _)) = INDICATORS.get(indicator) else {
            continue;
        };
        parsed.rows.push(Row {
            line,
            indicator: (*code).to_string(),
            level: Some(GeoLevel::Gemeente),
            geo: refnis,
            municipality: None,
            period: year,
            value: Some(sum as f64),
            status: ValueStatus::Definitive,
        });
    }
    parsed.indicators = INDICATORS
        .iter()
        .map(|(code, name)| IndicatorFields {
            code: (*code).into(),
            name: (*name).into(),
            definition: "Aantal inwoners op 1 januari volgens het Rijksregister.".into(),
            unit: "inwoners".into(),
            source: "Statbel, bevolkingsstructuur".into(),
            theme: "Bevolking".into(),
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
    fn people_are_summed_per_municipality_sex_and_age_group() {
        let text = "CD_REFNIS|TX_DESCR_NL|CD_SEX|CD_NATLTY|CD_CIV_STS|CD_AGE|MS_POPULATION\n\
                    44021|Gent|M|BEL|1|5|100\n\
                    44021|Gent|F|BEL|1|40|150\n\
                    44021|Gent|F|ETR|2|70|30\n\
                    11002|Antwerpen|M|BEL|1|20|7\n";
        let parsed = parse(text, "TF_SOC_POP_STRUCT_2024.txt");
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let get = |ind: &str, geo: &str| {
            parsed
                .rows
                .iter()
                .find(|r| r.indicator == ind && r.geo == geo)
                .and_then(|r| r.value)
        };
        assert_eq!(get("bevolking", "44021"), Some(280.0));
        assert_eq!(get("bevolking_vrouwen", "44021"), Some(180.0));
        assert_eq!(get("bevolking_0_17", "44021"), Some(100.0));
        assert_eq!(get("bevolking_65plus", "44021"), Some(30.0));
        assert_eq!(get("bevolking_mannen", "11002"), Some(7.0));
        assert!(parsed.rows.iter().all(|r| r.period == "2024"));
    }

    #[test]
    fn bad_lines_and_a_missing_year_are_reported() {
        let text =
            "CD_REFNIS|CD_SEX|CD_AGE|MS_POPULATION\n4402|M|5|1\n44021|X|5|1\n44021|M|vijf|1\n";
        let parsed = parse(text, "bevolking.txt");
        assert!(parsed.rows.is_empty());
        assert_eq!(parsed.errors.len(), 1, "no year: {:?}", parsed.errors);
        let parsed = parse(text, "pop_2023.txt");
        let lines: Vec<usize> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4]);
    }
}
