//! The JSON-stat writer against the published JSON Schema (tests/fixtures, with its source) and
//! against the rules of the specification that a schema cannot express.

use serde_json::Value;

use super::*;
use crate::opendata::cube::{sample_cube, CubeMeta};

const SCHEMA: &str = include_str!("../../tests/fixtures/jsonstat-2.0-dataset.schema.json");

fn schema_errors(document: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(SCHEMA).expect("the fixture is JSON");
    let location = "https://json-stat.org/format/schema/2.0/dataset.json";
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    // Formats are asserted: the schema's `updated` is a oneOf of a date-time and a date.
    compiler.enable_format_assertions();
    compiler
        .add_resource(location, schema)
        .expect("the schema loads");
    let index = compiler
        .compile(location, &mut schemas)
        .expect("the schema compiles");
    match schemas.validate(document, index) {
        Ok(()) => Vec::new(),
        Err(error) => vec![format!("{error:#}")],
    }
}

/// The cross-field rules of https://json-stat.org/full/ ("id", "size", "dimension", "value",
/// "status", "role") that JSON Schema cannot state.
fn structural_errors(doc: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let ids: Vec<&str> = doc["id"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let sizes: Vec<u64> = doc["size"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    if ids.len() != sizes.len() {
        errors.push("id and size differ in length".to_string());
    }
    let dimension = doc["dimension"].as_object().cloned().unwrap_or_default();
    if dimension.len() != ids.len() || ids.iter().any(|id| !dimension.contains_key(*id)) {
        errors.push("dimension keys differ from id".to_string());
    }
    for (id, size) in ids.iter().zip(&sizes) {
        let category = &doc["dimension"][*id]["category"];
        let index: Vec<&str> = category["index"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if index.len() as u64 != *size {
            errors.push(format!("{id}: size {size} but {} categories", index.len()));
        }
        let label = category["label"].as_object().cloned().unwrap_or_default();
        if label.len() != index.len() || index.iter().any(|c| !label.contains_key(*c)) {
            errors.push(format!("{id}: label keys differ from index"));
        }
        if let Some(unit) = category["unit"].as_object() {
            if unit.keys().any(|k| !index.contains(&k.as_str())) {
                errors.push(format!("{id}: unit for an unknown category"));
            }
        }
    }
    let product: u64 = sizes.iter().product();
    let values = doc["value"].as_array().map_or(0, Vec::len) as u64;
    if values != product {
        errors.push(format!("value has {values} items, size says {product}"));
    }
    if let Some(status) = doc["status"].as_array() {
        if status.len() as u64 != product {
            errors.push(format!(
                "status has {} items, size says {product}",
                status.len()
            ));
        }
    }
    for role in ["time", "geo", "metric"] {
        for id in doc["role"][role].as_array().into_iter().flatten() {
            if !id.as_str().is_some_and(|id| ids.contains(&id)) {
                errors.push(format!("role {role} names an unknown dimension {id}"));
            }
        }
    }
    for id in doc["role"]["metric"].as_array().into_iter().flatten() {
        let id = id.as_str().unwrap_or_default();
        let category = &doc["dimension"][id]["category"];
        let count = category["index"].as_array().map_or(0, Vec::len);
        if category["unit"].as_object().map_or(0, |u| u.len()) != count {
            errors.push(format!("metric dimension {id} lacks a unit per category"));
        }
    }
    errors
}

/// The value at the categories' codes, read the way a JSON-stat client reads it.
fn value_at<'a>(doc: &'a Value, codes: &[&str]) -> &'a Value {
    let mut position = 0usize;
    for (n, id) in doc["id"].as_array().unwrap().iter().enumerate() {
        let index = doc["dimension"][id.as_str().unwrap()]["category"]["index"]
            .as_array()
            .unwrap();
        let at = index.iter().position(|c| c == codes[n]).unwrap();
        position = position * index.len() + at;
    }
    &doc["value"][position]
}

#[test]
fn the_dataset_is_valid_against_the_published_schema_and_the_structural_rules() {
    let doc = dataset(&sample_cube());
    assert_eq!(schema_errors(&doc), Vec::<String>::new(), "{doc:#}");
    assert_eq!(structural_errors(&doc), Vec::<String>::new(), "{doc:#}");
    assert_eq!(doc["class"], "dataset");
    assert_eq!(doc["version"], "2.0");
    assert_eq!(doc["size"], serde_json::json!([2, 3, 3]));
    assert_eq!(doc["role"]["time"], serde_json::json!(["period"]));
    assert_eq!(doc["updated"], "2025-03-01");
    assert_eq!(doc["source"], "Statbel; Steunpunt Werk");
    assert_eq!(
        doc["dimension"]["indicator"]["category"]["unit"]["werkl_pct"],
        serde_json::json!({"label": "%", "decimals": 1})
    );
    assert_eq!(
        doc["dimension"]["geo"]["extension"]["level"]["02000"],
        "gewest"
    );
}

#[test]
fn values_sit_where_a_client_looks_for_them_rounded_to_their_decimals() {
    let cube = sample_cube();
    let doc = dataset(&cube);
    // bev_tot, Antwerpen, 2023 is the fifth value written: 5000.4 rounded to 0 decimals.
    assert_eq!(value_at(&doc, &["bev_tot", "11002", "2023"]), 5000.0);
    assert_eq!(value_at(&doc, &["bev_tot", "44021", "2024"]), 265_086.0);
    // werkl_pct, Vlaams Gewest, 2024 = 18 / 3.
    assert_eq!(value_at(&doc, &["werkl_pct", "02000", "2024"]), 6.0);
    assert_eq!(value_at(&doc, &["werkl_pct", "11002", "2023"]), 8.3);
    for (i, g, p, cell) in cube.observations() {
        let codes = [
            cube.indicators()[i].code.as_str(),
            cube.geo()[g].code.as_str(),
            cube.periods()[p].code.as_str(),
        ];
        assert_eq!(value_at(&doc, &codes).as_f64(), cube.rounded(i, cell));
    }
}

#[test]
fn a_suppressed_cell_is_null_and_flagged_confidential() {
    let doc = dataset(&sample_cube());
    assert_eq!(
        value_at(&doc, &["werkl_pct", "44021", "2022"]),
        &Value::Null
    );
    let position = doc["value"]
        .as_array()
        .unwrap()
        .iter()
        .position(Value::is_null)
        .unwrap();
    assert_eq!(doc["status"][position], "C");
    let statuses: Vec<&Value> = doc["status"].as_array().unwrap().iter().collect();
    assert_eq!(statuses.iter().filter(|s| **s == "C").count(), 1);
    assert_eq!(statuses.iter().filter(|s| **s == "P").count(), 1);
    assert_eq!(statuses.iter().filter(|s| **s == "E").count(), 1);
    let text = serde_json::to_string(&doc).unwrap();
    assert!(!text.contains("987"), "the suppressed number leaks: {text}");
}

#[test]
fn an_empty_cube_and_awkward_labels_stay_valid() {
    let cube = Cube::new(CubeMeta::default(), vec![], vec![], vec![]).unwrap();
    let doc = dataset(&cube);
    assert_eq!(schema_errors(&doc), Vec::<String>::new(), "{doc:#}");
    assert_eq!(structural_errors(&doc), Vec::<String>::new(), "{doc:#}");
    assert!(doc.get("status").is_none());
}

#[test]
fn the_checks_catch_a_broken_document() {
    let mut doc = dataset(&sample_cube());
    doc["value"].as_array_mut().unwrap().pop();
    doc["size"][0] = serde_json::json!(3);
    let errors = structural_errors(&doc);
    assert!(
        errors.iter().any(|e| e.contains("size 3 but 2")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("value has 17")),
        "{errors:?}"
    );
    let mut doc = dataset(&sample_cube());
    doc["role"]["geo"] = serde_json::json!(["plaats"]);
    doc["class"] = serde_json::json!("tabel");
    assert!(!schema_errors(&doc).is_empty());
    assert!(!structural_errors(&doc).is_empty());
}
