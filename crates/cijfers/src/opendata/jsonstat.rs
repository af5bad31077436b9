//! JSON-stat 2.0 (https://json-stat.org/full/): one `dataset` with the dimensions
//! `indicator` (role metric, a unit with decimals per indicator), `geo` (role geo) and
//! `period` (role time), a dense `value` array with `null` for every cell without a published
//! number, and a `status` array.
//!
//! Status codes: JSON-stat leaves them free; we use the letters of the SDMX code lists so that
//! both formats read the same: `C` confidential (CL_CONF_STATUS: suppressed by disclosure
//! control, the value is `null`), `P` provisional and `E` estimated (CL_OBS_STATUS), `null` for
//! a definitive value. Their Dutch labels are in `extension.status`.

use serde_json::{json, Map, Value};

use super::cube::{CellStatus, Cube};

/// The JSON-stat status code of a cell.
pub fn status_code(status: Option<CellStatus>) -> Option<&'static str> {
    match status? {
        CellStatus::Definitive => None,
        CellStatus::Provisional => Some("P"),
        CellStatus::Estimated => Some("E"),
        CellStatus::Suppressed => Some("C"),
    }
}

/// A category: its index, and its labels when there are any (the schema wants at least one
/// label in a `label` object, so an empty dimension has none).
fn category<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Value {
    let (index, label) = labels(pairs);
    if label.is_empty() {
        json!({ "index": index })
    } else {
        json!({ "index": index, "label": label })
    }
}

fn labels<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> (Vec<Value>, Map<String, Value>) {
    let mut index = Vec::new();
    let mut label = Map::new();
    for (code, name) in pairs {
        index.push(Value::from(code));
        label.insert(code.to_string(), Value::from(name));
    }
    (index, label)
}

/// The dataset as a JSON value (serialise with `serde_json::to_vec`).
pub fn dataset(cube: &Cube) -> Value {
    let (i_index, i_label) = labels(
        cube.indicators()
            .iter()
            .map(|i| (i.code.as_str(), i.name.as_str())),
    );
    let mut unit = Map::new();
    let mut definitions = Map::new();
    for i in cube.indicators() {
        unit.insert(
            i.code.clone(),
            json!({ "label": i.unit, "decimals": i.decimals }),
        );
        if !i.definition.is_empty() {
            definitions.insert(i.code.clone(), json!([i.definition]));
        }
    }
    let mut indicator_category = json!({ "index": i_index, "unit": unit });
    if !i_label.is_empty() {
        indicator_category["label"] = Value::Object(i_label);
    }
    if !definitions.is_empty() {
        indicator_category["note"] = Value::Object(definitions);
    }

    let geo_category = category(
        cube.geo()
            .iter()
            .map(|g| (g.code.as_str(), g.name.as_str())),
    );
    let levels: Map<String, Value> = cube
        .geo()
        .iter()
        .map(|g| (g.code.clone(), Value::from(g.level.as_str())))
        .collect();
    let period_category = category(cube.periods().iter().map(|p| {
        let label = if p.label.is_empty() {
            &p.code
        } else {
            &p.label
        };
        (p.code.as_str(), label.as_str())
    }));

    let mut values = Vec::with_capacity(cube.cells().len());
    let mut statuses = Vec::with_capacity(cube.cells().len());
    for (i, _, _, cell) in cube.observations() {
        values.push(cube.rounded(i, cell).map_or(Value::Null, Value::from));
        statuses.push(status_code(cell.status()).map_or(Value::Null, Value::from));
    }

    let mut out = json!({
        "class": "dataset",
        "version": "2.0",
        "label": cube.meta.title,
        "id": ["indicator", "geo", "period"],
        "size": [cube.indicators().len(), cube.geo().len(), cube.periods().len()],
        "role": { "metric": ["indicator"], "geo": ["geo"], "time": ["period"] },
        "dimension": {
            "indicator": { "label": "Indicator", "category": indicator_category },
            "geo": {
                "label": "Gebied",
                "category": geo_category,
                "extension": { "level": levels },
            },
            "period": { "label": "Periode", "category": period_category },
        },
        "value": values,
        "extension": {
            "status": {
                "C": "geheim: niet gepubliceerd wegens statistische geheimhouding",
                "P": "voorlopig",
                "E": "geschat",
            },
        },
    });
    if statuses.iter().any(|s| !s.is_null()) {
        out["status"] = Value::Array(statuses);
    }
    if !cube.meta.source.is_empty() {
        out["source"] = Value::from(cube.meta.source.as_str());
    }
    if !cube.meta.updated.is_empty() {
        out["updated"] = Value::from(cube.meta.updated.as_str());
    }
    if let Some(href) = &cube.meta.href {
        out["href"] = Value::from(href.as_str());
    }
    if !cube.meta.notes.is_empty() {
        out["note"] = json!(cube.meta.notes);
    }
    if !cube.meta.description.is_empty() {
        out["extension"]["description"] = Value::from(cube.meta.description.as_str());
    }
    out
}

/// The content type of a JSON-stat download (JSON-stat has no media type of its own).
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";

#[cfg(test)]
#[path = "jsonstat_tests.rs"]
mod tests;
