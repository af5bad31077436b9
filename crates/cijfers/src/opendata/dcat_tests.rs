//! The catalogue is valid JSON, a JSON-LD tree with the profile's mandatory properties (listed
//! in the module comment with their source), and refused when one is missing.

use serde_json::Value;

use super::*;

const BASE: &str = "https://steden.example/api/v1/cijfers";

fn kvs() -> Agent {
    Agent {
        iri: "https://steden.example/organisatie/kvs".into(),
        name: "Kenniscentrum Vlaamse Steden".into(),
    }
}

fn contact_point() -> Contact {
    Contact {
        name: "Team Stad in cijfers".into(),
        email: Some("cijfers@steden.example".into()),
        url: None,
    }
}

fn sample() -> Catalog {
    let distributions = [
        (Format::Csv, "csv"),
        (Format::Xlsx, "xlsx"),
        (Format::JsonStat, "jsonstat"),
        (Format::SdmxCsv, "sdmx"),
    ]
    .map(|(format, ext)| Distribution {
        iri: format!("{BASE}/datasets/bevolking/{ext}"),
        identifier: format!("bevolking-{ext}"),
        format,
        access_url: format!("{BASE}/datasets/bevolking"),
        download_url: Some(format!("{BASE}/datasets/bevolking.{ext}")),
    })
    .to_vec();
    Catalog {
        iri: format!("{BASE}/catalogus"),
        identifier: "stad-in-cijfers".into(),
        title: "Stad in cijfers".into(),
        description: "Cijfers over de 13 centrumsteden en de VGC".into(),
        homepage: Some("https://steden.example/cijfers".into()),
        modified: "2025-03-01".into(),
        publisher: kvs(),
        contact: contact_point(),
        datasets: vec![Dataset {
            iri: format!("{BASE}/datasets/bevolking"),
            identifier: "bevolking".into(),
            title: "Bevolking per gemeente".into(),
            description: "Inwoners op 1 januari".into(),
            keywords: vec!["bevolking".into(), "centrumsteden".into()],
            themes: vec![THEME_SOCIETY.into()],
            temporal: Some(("2015-01-01".into(), "2024-12-31".into())),
            spatial: vec![Place {
                iri: Some("https://vocab.belgif.be/auth/refnis2025/44021".into()),
                name: "Gent".into(),
            }],
            modified: "2025-03-01".into(),
            landing_page: Some("https://steden.example/cijfers/bevolking".into()),
            publisher: kvs(),
            contact: contact_point(),
            distributions,
        }],
    }
}

fn has(node: &Value, property: &str) -> bool {
    match node.get(property) {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => o
            .get("@value")
            .and_then(Value::as_str)
            .is_none_or(|v| !v.trim().is_empty()),
        Some(_) => true,
    }
}

/// The mandatory properties of DCAT-AP VL 3.0 (see the module comment), checked on the
/// parsed document.
fn missing_mandatory(doc: &Value) -> Vec<String> {
    fn need(missing: &mut Vec<String>, node: &Value, class: &str, props: &[&str]) {
        assert_eq!(node["@type"], class);
        for p in props {
            if !has(node, p) {
                missing.push(format!("{class} {p}"));
            }
        }
    }
    let mut missing = Vec::new();
    need(
        &mut missing,
        doc,
        "dcat:Catalog",
        &[
            "dct:identifier",
            "dct:title",
            "dct:description",
            "dct:publisher",
            "dcat:contactPoint",
        ],
    );
    need(
        &mut missing,
        &doc["dct:publisher"],
        "foaf:Agent",
        &["foaf:name"],
    );
    for d in doc["dcat:dataset"].as_array().unwrap() {
        need(
            &mut missing,
            d,
            "dcat:Dataset",
            &[
                "dct:identifier",
                "dct:title",
                "dct:description",
                "dct:publisher",
                "dcat:contactPoint",
                "dct:accessRights",
                "dcat:keyword",
            ],
        );
        need(
            &mut missing,
            &d["dct:publisher"],
            "foaf:Agent",
            &["foaf:name"],
        );
        let c = &d["dcat:contactPoint"];
        if !has(c, "vcard:hasEmail") && !has(c, "vcard:hasURL") {
            missing.push("contact point without e-mail or URL".into());
        }
        for x in d["dcat:distribution"].as_array().unwrap() {
            need(
                &mut missing,
                x,
                "dcat:Distribution",
                &["dct:identifier", "dcat:accessURL"],
            );
        }
    }
    missing
}

#[test]
fn the_catalogue_is_json_ld_with_the_mandatory_properties() {
    let doc = catalog_jsonld(&sample()).unwrap();
    // Valid JSON: it survives a round trip through text.
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(missing_mandatory(&doc), Vec::<String>::new());
    assert_eq!(doc["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    assert_eq!(doc["dct:title"]["@language"], "nl");
    assert_eq!(doc["dct:license"]["@id"], LICENSE_CC0);
    let dataset = &doc["dcat:dataset"][0];
    assert_eq!(dataset["dct:accessRights"]["@id"], ACCESS_PUBLIC);
    assert_eq!(
        dataset["dct:temporal"]["dcat:startDate"]["@value"],
        "2015-01-01"
    );
    assert_eq!(
        dataset["dct:spatial"][0]["skos:prefLabel"]["@value"],
        "Gent"
    );
    assert_eq!(
        dataset["dcat:contactPoint"]["vcard:hasEmail"]["@id"],
        "mailto:cijfers@steden.example"
    );
    let distributions = dataset["dcat:distribution"].as_array().unwrap();
    assert_eq!(distributions.len(), 4);
    let formats: Vec<&str> = distributions
        .iter()
        .map(|d| d["dct:format"]["@id"].as_str().unwrap())
        .collect();
    assert!(formats
        .iter()
        .all(|f| f.starts_with("http://publications.europa.eu/resource/authority/file-type/")));
    assert!(distributions
        .iter()
        .all(|d| d["dct:license"]["@id"] == LICENSE_MODELLICENTIE));
    assert_eq!(
        distributions[2]["dct:conformsTo"]["@id"],
        "https://json-stat.org/format/"
    );
    // Every IRI-valued node is an absolute IRI.
    fn iris(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(iri)) = map.get("@id") {
                    out.push(iri.clone());
                }
                map.values().for_each(|v| iris(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| iris(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    iris(&doc, &mut all);
    assert!(all.len() > 20);
    assert!(
        all.iter()
            .all(|i| i.starts_with("http") || i.starts_with("mailto:")),
        "{all:?}"
    );
}

#[test]
fn a_catalogue_missing_a_mandatory_property_is_refused_in_dutch() {
    let mut catalog = sample();
    catalog.datasets[0].keywords.clear();
    catalog.datasets[0].contact.email = None;
    catalog.datasets[0].distributions[1].access_url.clear();
    let err = catalog_jsonld(&catalog).unwrap_err().to_string();
    assert!(
        err.starts_with("De catalogus voldoet niet aan DCAT-AP Vlaanderen"),
        "{err}"
    );
    assert!(err.contains("zonder trefwoord"), "{err}");
    assert!(
        err.contains("contactpunt zonder e-mailadres of URL"),
        "{err}"
    );
    assert!(
        err.contains("distributie zonder identificator of toegangs-URL"),
        "{err}"
    );
    let mut catalog = sample();
    catalog.title = "  ".into();
    assert!(catalog_jsonld(&catalog)
        .unwrap_err()
        .to_string()
        .contains("catalogus zonder titel"));
    // The checker of this test agrees: strip a property and it is reported.
    let mut doc = catalog_jsonld(&sample()).unwrap();
    doc["dcat:dataset"][0]
        .as_object_mut()
        .unwrap()
        .remove("dct:accessRights");
    assert_eq!(
        missing_mandatory(&doc),
        vec!["dcat:Dataset dct:accessRights".to_string()]
    );
}
