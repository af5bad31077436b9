//! The OpenAPI document of the whole build (every module) against the rules that keep it
//! truthful for generated clients and fuzzers such as schemathesis: what the code refuses, the
//! document says it may refuse.
//!
//! - an operation with query parameters documents 400 (bad parameters are answered so);
//! - an operation with a JSON body documents 400 (malformed JSON), 415 (not JSON) and 422;
//! - an integer query parameter states its bounds (`minimum` and `maximum`), because the code
//!   refuses what lies outside them;
//! - every operation documents 401 unless it needs no token;
//! - every `$ref` names a schema the document holds.

use serde_json::Value;

/// The rules the document breaks, one line each (empty when it keeps them all).
pub fn broken_rules(doc: &Value) -> Vec<String> {
    let mut broken = Vec::new();
    let mut refs = Vec::new();
    collect_refs(doc, &mut refs);
    for reference in refs {
        let name = reference.trim_start_matches("#/components/schemas/");
        if doc["components"]["schemas"].get(name).is_none() {
            broken.push(format!("$ref to a missing schema: {reference}"));
        }
    }
    let Some(paths) = doc["paths"].as_object() else {
        return vec!["no paths".into()];
    };
    for (path, item) in paths {
        let Some(operations) = item.as_object() else {
            continue;
        };
        for (method, op) in operations {
            let responses = &op["responses"];
            let declares = |status: &str| responses.get(status).is_some();
            let name = format!("{} {path}", method.to_uppercase());
            let query_params: Vec<&Value> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "query")
                .collect();
            if !query_params.is_empty() && !declares("400") {
                broken.push(format!("{name}: query parameters but no 400"));
            }
            for param in &query_params {
                let schema = &param["schema"];
                let is_integer = schema["type"] == "integer"
                    || schema["type"]
                        .as_array()
                        .is_some_and(|t| t.iter().any(|t| t == "integer"));
                if is_integer && (schema["minimum"].is_null() || schema["maximum"].is_null()) {
                    broken.push(format!("{name}: {} has no bounds", param["name"]));
                }
            }
            if !op["requestBody"].is_null() {
                for status in ["400", "415", "422"] {
                    if !declares(status) {
                        broken.push(format!("{name}: a JSON body but no {status}"));
                    }
                }
            }
            let needs_token = op["security"].as_array().is_some_and(|s| !s.is_empty());
            if needs_token && !declares("401") {
                broken.push(format!("{name}: needs a token but no 401"));
            }
        }
    }
    broken
}

fn collect_refs(value: &Value, refs: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner.as_str()) {
                    ("$ref", Some(target)) => refs.push(target.to_string()),
                    _ => collect_refs(inner, refs),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}

#[test]
fn the_rules_catch_what_they_name() {
    let doc = serde_json::json!({"paths": {"/x": {"get": {
        "parameters": [{"in": "query", "name": "page", "schema": {"type": "integer", "minimum": 1}}],
        "security": [{"bearer": []}],
        "responses": {"200": {}}
    }, "post": {
        "requestBody": {"content": {}},
        "responses": {"200": {"$ref": "#/components/schemas/Gone"}, "400": {}, "415": {}}
    }}}, "components": {"schemas": {}}});
    let broken = broken_rules(&doc);
    assert_eq!(
        broken,
        vec![
            "$ref to a missing schema: #/components/schemas/Gone",
            "GET /x: query parameters but no 400",
            "GET /x: \"page\" has no bounds",
            "GET /x: needs a token but no 401",
            "POST /x: a JSON body but no 422",
        ]
    );
}
