//! An OData-like read of the same shape as Swing's Open Data Service (OData v4 JSON at
//! `{base}/jiveservices/odata/`), so that a city's Swing site or a script written for Swing can
//! read from the platform at `/api/v1/cijfers/odata/…`:
//!
//! - `Variables`, `Variables('code')`
//! - `GeoLevels`, `GeoLevels('gemeente')/GeoItems`
//! - `PeriodLevels`, `Periods`
//! - `Variables('code')/GeoLevels('gemeente')/PeriodLevels('year')/Periods('2024' | 'all')/Values`
//!
//! Entities carry Swing's property names (`ExternalCode`, `Name`, `FullName`, `ValueString`).
//! A collection is `{"@odata.context": …, "value": […], "@odata.nextLink": …}`. In `Values`,
//! `ValueString` follows the Dutch statistical symbols Swing shows: `x` for a value kept secret
//! (suppressed: `Value` is `null`), `?` for an unknown value; otherwise the plain number.

use serde::Serialize;
use serde_json::{json, Value};

use super::cube::{plain_number, CellStatus, Cube};

/// The most entities in one response; the rest follows through `@odata.nextLink`.
pub const PAGE_SIZE: usize = 1000;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Variable {
    pub external_code: String,
    pub name: String,
    pub description: String,
    pub unit: String,
    pub decimals: u8,
    pub data_source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GeoLevel {
    pub external_code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GeoItem {
    pub external_code: String,
    pub name: String,
    pub geo_level: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PeriodLevel {
    pub external_code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Period {
    pub external_code: String,
    pub full_name: String,
    pub period_level: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ValueEntity {
    pub variable: String,
    pub geo_level: String,
    pub external_code: String,
    pub name: String,
    pub period_level: String,
    pub period: String,
    /// `null` when there is no published number (unknown or suppressed).
    pub value: Option<f64>,
    pub value_string: String,
    /// `definitive`, `provisional`, `estimated`, `suppressed`, or `unknown`.
    pub status: String,
}

fn level_name(level: &str) -> String {
    match level {
        "gewest" => "Gewest".into(),
        "provincie" => "Provincie".into(),
        "gemeente" => "Gemeente".into(),
        "wijk" => "Wijk".into(),
        "sector" => "Statistische sector".into(),
        "year" => "Jaar".into(),
        "quarter" => "Kwartaal".into(),
        "month" => "Maand".into(),
        "day" => "Dag".into(),
        other => other.into(),
    }
}

fn distinct<'a>(codes: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for code in codes {
        if !out.contains(&code) {
            out.push(code);
        }
    }
    out
}

pub fn variables(cube: &Cube) -> Vec<Variable> {
    cube.indicators()
        .iter()
        .map(|i| Variable {
            external_code: i.code.clone(),
            name: i.name.clone(),
            description: i.definition.clone(),
            unit: i.unit.clone(),
            decimals: i.decimals,
            data_source: i.source.clone(),
        })
        .collect()
}

pub fn geo_levels(cube: &Cube) -> Vec<GeoLevel> {
    distinct(cube.geo().iter().map(|g| g.level.as_str()))
        .into_iter()
        .map(|level| GeoLevel {
            external_code: level.to_string(),
            name: level_name(level),
        })
        .collect()
}

/// The places of one level (all places when `level` is `None`).
pub fn geo_items(cube: &Cube, level: Option<&str>) -> Vec<GeoItem> {
    cube.geo()
        .iter()
        .filter(|g| level.is_none_or(|l| g.level == l))
        .map(|g| GeoItem {
            external_code: g.code.clone(),
            name: g.name.clone(),
            geo_level: g.level.clone(),
        })
        .collect()
}

pub fn period_levels(cube: &Cube) -> Vec<PeriodLevel> {
    distinct(cube.periods().iter().map(|p| p.level()))
        .into_iter()
        .map(|level| PeriodLevel {
            external_code: level.to_string(),
            name: level_name(level),
        })
        .collect()
}

/// The periods of one level (all when `None`).
pub fn periods(cube: &Cube, level: Option<&str>) -> Vec<Period> {
    cube.periods()
        .iter()
        .filter(|p| level.is_none_or(|l| p.level().eq_ignore_ascii_case(l)))
        .map(|p| Period {
            external_code: p.code.clone(),
            full_name: if p.label.is_empty() {
                p.code.clone()
            } else {
                p.label.clone()
            },
            period_level: p.level().to_string(),
        })
        .collect()
}

/// What `…/Values` asks for; `period` `None` or `all` means every period of the level.
#[derive(Debug, Clone, Default)]
pub struct ValuesQuery<'a> {
    pub variable: &'a str,
    pub geo_level: &'a str,
    pub period_level: &'a str,
    pub period: Option<&'a str>,
}

/// The values of one variable at one level, as Swing lists them: per period, per place.
pub fn values(cube: &Cube, query: &ValuesQuery<'_>) -> Vec<ValueEntity> {
    let Some(i) = cube
        .indicators()
        .iter()
        .position(|x| x.code == query.variable)
    else {
        return Vec::new();
    };
    let decimals = cube.indicators().get(i).map_or(0, |x| x.decimals);
    let all = query.period.is_none_or(|p| p.eq_ignore_ascii_case("all"));
    let mut out = Vec::new();
    for (p, period) in cube.periods().iter().enumerate() {
        if !period.level().eq_ignore_ascii_case(query.period_level)
            || (!all && query.period != Some(period.code.as_str()))
        {
            continue;
        }
        for (g, geo) in cube.geo().iter().enumerate() {
            if geo.level != query.geo_level {
                continue;
            }
            let cell = cube.cell(i, g, p);
            let value = cube.rounded(i, cell);
            let (value_string, status) = match (cell.status(), value) {
                (Some(CellStatus::Suppressed), _) => ("x".to_string(), "suppressed"),
                (Some(status), Some(v)) => (plain_number(v, decimals), status_word(status)),
                _ => ("?".to_string(), "unknown"),
            };
            out.push(ValueEntity {
                variable: query.variable.to_string(),
                geo_level: geo.level.clone(),
                external_code: geo.code.clone(),
                name: geo.name.clone(),
                period_level: period.level().to_string(),
                period: period.code.clone(),
                value,
                value_string,
                status: status.to_string(),
            });
        }
    }
    out
}

fn status_word(status: CellStatus) -> &'static str {
    match status {
        CellStatus::Definitive => "definitive",
        CellStatus::Provisional => "provisional",
        CellStatus::Estimated => "estimated",
        CellStatus::Suppressed => "suppressed",
    }
}

/// An OData collection response: page `skip / PAGE_SIZE` of `items`. `service` is the root
/// (`https://…/api/v1/cijfers/odata`), `path` the resource path (`Variables`), used for the
/// context and the next link.
pub fn collection<T: Serialize>(
    service: &str,
    path: &str,
    entity_set: &str,
    items: &[T],
    skip: usize,
) -> Value {
    let page: Vec<Value> = items
        .iter()
        .skip(skip)
        .take(PAGE_SIZE)
        .map(|item| serde_json::to_value(item).unwrap_or(Value::Null))
        .collect();
    let mut out = json!({
        "@odata.context": format!("{service}/$metadata#{entity_set}"),
        "value": page,
    });
    let next = skip.saturating_add(PAGE_SIZE);
    if next < items.len() {
        out["@odata.nextLink"] = Value::from(format!("{service}/{path}?$skip={next}"));
    }
    out
}

/// A single entity response (`Variables('code')`).
pub fn entity<T: Serialize>(service: &str, entity_set: &str, item: &T) -> Value {
    let mut out = serde_json::to_value(item).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut out {
        map.insert(
            "@odata.context".into(),
            Value::from(format!("{service}/$metadata#{entity_set}/$entity")),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opendata::cube::sample_cube;

    const ROOT: &str = "https://steden.example/api/v1/cijfers/odata";

    #[test]
    fn entity_sets_have_swings_property_names() {
        let cube = sample_cube();
        let doc = collection(ROOT, "Variables", "Variables", &variables(&cube), 0);
        assert_eq!(doc["@odata.context"], format!("{ROOT}/$metadata#Variables"));
        assert_eq!(doc["value"][0]["ExternalCode"], "bev_tot");
        assert_eq!(doc["value"][0]["DataSource"], "Statbel");
        assert!(doc.get("@odata.nextLink").is_none());
        let levels = geo_levels(&cube);
        assert_eq!(levels.len(), 2);
        assert_eq!(
            serde_json::to_value(&levels[0]).unwrap(),
            json!({"ExternalCode": "gemeente", "Name": "Gemeente"})
        );
        assert_eq!(geo_items(&cube, Some("gemeente")).len(), 2);
        assert_eq!(period_levels(&cube)[0].external_code, "year");
        assert_eq!(periods(&cube, Some("YEAR"))[2].full_name, "2024");
        let one = entity(ROOT, "Variables", &variables(&cube)[1]);
        assert_eq!(
            one["@odata.context"],
            format!("{ROOT}/$metadata#Variables/$entity")
        );
        assert_eq!(one["Decimals"], 1);
    }

    #[test]
    fn values_mark_secret_and_unknown_cells_without_a_number() {
        let cube = sample_cube();
        let query = ValuesQuery {
            variable: "werkl_pct",
            geo_level: "gemeente",
            period_level: "year",
            period: Some("all"),
        };
        let rows = values(&cube, &query);
        assert_eq!(rows.len(), 6);
        let secret = rows
            .iter()
            .find(|v| v.external_code == "44021" && v.period == "2022")
            .unwrap();
        assert_eq!(
            (
                secret.value,
                secret.value_string.as_str(),
                secret.status.as_str()
            ),
            (None, "x", "suppressed")
        );
        let estimated = rows
            .iter()
            .find(|v| v.external_code == "11002" && v.period == "2023")
            .unwrap();
        assert_eq!(
            (estimated.value, estimated.value_string.as_str()),
            (Some(8.3), "8.3")
        );
        let text = serde_json::to_string(&collection(ROOT, "Values", "Values", &rows, 0)).unwrap();
        assert!(!text.contains("987"), "{text}");
        let one_year = values(
            &cube,
            &ValuesQuery {
                period: Some("2024"),
                ..query.clone()
            },
        );
        assert_eq!(one_year.len(), 2);
        assert!(values(
            &cube,
            &ValuesQuery {
                variable: "onbekend",
                ..query
            }
        )
        .is_empty());
    }

    #[test]
    fn long_collections_are_paged_with_a_next_link() {
        let items: Vec<u32> = (0..2500).collect();
        let first = collection(ROOT, "Values", "Values", &items, 0);
        assert_eq!(first["value"].as_array().unwrap().len(), PAGE_SIZE);
        assert_eq!(
            first["@odata.nextLink"],
            format!("{ROOT}/Values?$skip=1000")
        );
        let last = collection(ROOT, "Values", "Values", &items, 2000);
        assert_eq!(last["value"].as_array().unwrap().len(), 500);
        assert!(last.get("@odata.nextLink").is_none());
        let past = collection(ROOT, "Values", "Values", &items, usize::MAX);
        assert_eq!(past["value"].as_array().unwrap().len(), 0);
    }
}
