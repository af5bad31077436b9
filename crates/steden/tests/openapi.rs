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

/// The names of the types that derive `ToSchema` in `source`: utoipa names a component by its
/// type's name alone and keeps one of two equal names silently, so two modules' `SearchHitDto`
/// made the document describe one module's answer with the other's schema.
fn schema_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut deriving = false;
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[derive(") && line.contains("ToSchema") {
            deriving = true;
            continue;
        }
        if deriving && !line.starts_with("#[") && !line.starts_with("///") {
            let words: Vec<&str> = line.split_whitespace().collect();
            if let Some(at) = words.iter().position(|w| *w == "struct" || *w == "enum") {
                if let Some(name) = words.get(at + 1) {
                    let name: String = name
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    names.push(name);
                }
            }
            deriving = false;
        }
    }
    names
}

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_two_schema_types_share_a_name() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seen: std::collections::HashMap<String, std::path::PathBuf> = Default::default();
    let mut clashes = Vec::new();
    let mut files = Vec::new();
    for krate in std::fs::read_dir(&crates).unwrap().flatten() {
        let src = krate.path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    assert!(files.len() > 50, "crates/*/src not found from {crates:?}");
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for name in schema_names(&source) {
            if let Some(first) = seen.insert(name.clone(), file.clone()) {
                clashes.push(format!(
                    "{name}: {} and {}",
                    first.display(),
                    file.display()
                ));
            }
        }
    }
    assert!(
        clashes.is_empty(),
        "schema names used twice:\n{}",
        clashes.join("\n")
    );
    assert!(
        seen.contains_key("SearchResultsDto"),
        "the scan finds the schema types"
    );
}

#[test]
fn schema_names_are_read_from_derives() {
    let source = "#[derive(Debug, ToSchema)]\n/// doc\n#[serde(x)]\npub struct A {\n}\n#[derive(Debug)]\nstruct B;\n#[derive(ToSchema)]\npub(crate) enum C { X }";
    assert_eq!(schema_names(source), vec!["A", "C"]);
}
