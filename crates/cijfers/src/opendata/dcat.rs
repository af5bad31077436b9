//! The DCAT-AP Vlaanderen catalogue of the published datasets, as JSON-LD.
//!
//! Profile: DCAT-AP VL 3.0, "erkende standaard" of 2026-02-12
//! (https://data.vlaanderen.be/doc/applicatieprofiel/DCAT-AP-VL/erkendestandaard/2026-02-12).
//! Its mandatory properties (minimum cardinality 1), as the profile's SHACL shapes state them
//! and the GeoNetwork DCAT-AP plugin checks them (github.com/metadata101/dcat-ap,
//! `schematron-rules-dcat-ap-vl-300-cardinalities.sch`, commit 8db41208):
//!
//! - dcat:Catalog: dct:identifier, dct:title, dct:description, dct:publisher (1..1),
//!   dcat:contactPoint (1..1);
//! - dcat:Dataset: dct:identifier (1..1), dct:title, dct:description, dct:publisher (1..1),
//!   dcat:contactPoint (1..1), dct:accessRights (1..1); DCAT-AP VL also asks for at least
//!   one dcat:keyword (rule "trefwoord" of DCAT-AP VL 2.0);
//! - dcat:Distribution: dct:identifier (1..1), dcat:accessURL (1..1);
//! - foaf:Agent: foaf:name (with a language); vcard:Organization (contact point): an e-mail
//!   (`mailto:`) or a URL.
//!
//! Titles, descriptions and keywords are Dutch language-tagged strings. We also give what the
//! issue asks beyond the minimum: theme, temporal, spatial, license (Modellicentie Gratis
//! Hergebruik on the distributions, CC0 on the catalogue as DCAT-AP VL asks), modified, and
//! per distribution the download URL, media type and EU file type.

use serde_json::{json, Value};

/// The EU access-right concept for open data.
pub const ACCESS_PUBLIC: &str =
    "http://publications.europa.eu/resource/authority/access-right/PUBLIC";
/// The Flemish open-data licence for the datasets.
pub const LICENSE_MODELLICENTIE: &str =
    "https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0";
/// The licence DCAT-AP VL asks for the catalogue's own metadata.
pub const LICENSE_CC0: &str =
    "https://data.vlaanderen.be/id/licentie/creative-commons-zero-verklaring/v1.0";
/// EU data theme "Population and society" (most city statistics).
pub const THEME_SOCIETY: &str = "http://publications.europa.eu/resource/authority/data-theme/SOCI";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    pub iri: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    pub url: Option<String>,
}

/// The open-data formats the platform offers for a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    JsonStat,
    SdmxCsv,
    /// Swing's bulk format: a zip with the data file and its metadata file.
    SwingZip,
}

impl Format {
    fn media_type(self) -> &'static str {
        match self {
            Format::Csv | Format::SdmxCsv => "https://www.iana.org/assignments/media-types/text/csv",
            Format::Xlsx => "https://www.iana.org/assignments/media-types/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::JsonStat => "https://www.iana.org/assignments/media-types/application/json",
            Format::SwingZip => "https://www.iana.org/assignments/media-types/application/zip",
        }
    }

    /// The EU file-type authority concept.
    fn file_type(self) -> &'static str {
        match self {
            Format::Csv | Format::SdmxCsv => {
                "http://publications.europa.eu/resource/authority/file-type/CSV"
            }
            Format::Xlsx => "http://publications.europa.eu/resource/authority/file-type/XLSX",
            Format::JsonStat => "http://publications.europa.eu/resource/authority/file-type/JSON",
            Format::SwingZip => "http://publications.europa.eu/resource/authority/file-type/ZIP",
        }
    }

    fn standard(self) -> Option<&'static str> {
        match self {
            Format::JsonStat => Some("https://json-stat.org/format/"),
            Format::SdmxCsv => Some("https://github.com/sdmx-twg/sdmx-csv"),
            _ => None,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Format::Csv => "CSV (puntkomma, decimale komma)",
            Format::Xlsx => "Excel (XLSX)",
            Format::JsonStat => "JSON-stat 2.0",
            Format::SdmxCsv => "SDMX-CSV 2.0",
            Format::SwingZip => "Swing-bulkbestand (zip met gegevens en metadata)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    pub iri: String,
    pub identifier: String,
    pub format: Format,
    pub access_url: String,
    pub download_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// A REFNIS IRI when there is one (e.g. on vocab.belgif.be).
    pub iri: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    pub iri: String,
    pub identifier: String,
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    /// Theme IRIs (EU data themes).
    pub themes: Vec<String>,
    /// First and last day covered, `YYYY-MM-DD`.
    pub temporal: Option<(String, String)>,
    pub spatial: Vec<Place>,
    /// `YYYY-MM-DD`.
    pub modified: String,
    pub landing_page: Option<String>,
    pub publisher: Agent,
    pub contact: Contact,
    pub distributions: Vec<Distribution>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    pub iri: String,
    pub identifier: String,
    pub title: String,
    pub description: String,
    pub homepage: Option<String>,
    pub modified: String,
    pub publisher: Agent,
    pub contact: Contact,
    pub datasets: Vec<Dataset>,
}

/// What keeps the catalogue from meeting the profile (Dutch, for the user).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("De catalogus voldoet niet aan DCAT-AP Vlaanderen: {0}.")]
pub struct DcatError(pub String);

fn nl(text: &str) -> Value {
    json!({ "@value": text, "@language": "nl" })
}

fn id(iri: &str) -> Value {
    json!({ "@id": iri })
}

fn date(day: &str) -> Value {
    json!({ "@value": day, "@type": "xsd:date" })
}

fn agent(agent: &Agent) -> Value {
    json!({ "@id": agent.iri, "@type": "foaf:Agent", "foaf:name": nl(&agent.name) })
}

fn contact(contact: &Contact) -> Value {
    let mut out = json!({ "@type": "vcard:Organization", "vcard:fn": nl(&contact.name) });
    if let Some(email) = &contact.email {
        out["vcard:hasEmail"] = id(&format!("mailto:{email}"));
    }
    if let Some(url) = &contact.url {
        out["vcard:hasURL"] = id(url);
    }
    out
}

fn require(ok: bool, what: &str, errors: &mut Vec<String>) {
    if !ok {
        errors.push(what.to_string());
    }
}

fn check_agent_and_contact(owner: &str, a: &Agent, c: &Contact, errors: &mut Vec<String>) {
    require(
        !a.iri.trim().is_empty() && !a.name.trim().is_empty(),
        &format!("{owner}: uitgever zonder naam of IRI"),
        errors,
    );
    require(
        c.email.as_deref().is_some_and(|e| e.contains('@'))
            || c.url.as_deref().is_some_and(|u| u.starts_with("http")),
        &format!("{owner}: contactpunt zonder e-mailadres of URL"),
        errors,
    );
}

fn check(catalog: &Catalog) -> Result<(), DcatError> {
    let mut errors = Vec::new();
    for (what, text) in [
        ("IRI", &catalog.iri),
        ("identificator", &catalog.identifier),
        ("titel", &catalog.title),
        ("beschrijving", &catalog.description),
    ] {
        require(
            !text.trim().is_empty(),
            &format!("catalogus zonder {what}"),
            &mut errors,
        );
    }
    check_agent_and_contact(
        "catalogus",
        &catalog.publisher,
        &catalog.contact,
        &mut errors,
    );
    for d in &catalog.datasets {
        let owner = format!("dataset '{}'", d.identifier);
        for (what, text) in [
            ("IRI", &d.iri),
            ("identificator", &d.identifier),
            ("titel", &d.title),
            ("beschrijving", &d.description),
        ] {
            require(
                !text.trim().is_empty(),
                &format!("{owner} zonder {what}"),
                &mut errors,
            );
        }
        require(
            d.keywords.iter().any(|k| !k.trim().is_empty()),
            &format!("{owner} zonder trefwoord"),
            &mut errors,
        );
        check_agent_and_contact(&owner, &d.publisher, &d.contact, &mut errors);
        for x in &d.distributions {
            require(
                !x.identifier.trim().is_empty() && !x.access_url.trim().is_empty(),
                &format!("{owner}: distributie zonder identificator of toegangs-URL"),
                &mut errors,
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DcatError(errors.join("; ")))
    }
}

fn distribution(d: &Distribution) -> Value {
    let mut out = json!({
        "@id": d.iri,
        "@type": "dcat:Distribution",
        "dct:identifier": d.identifier,
        "dct:title": nl(d.format.title()),
        "dcat:accessURL": id(&d.access_url),
        "dcat:mediaType": id(d.format.media_type()),
        "dct:format": id(d.format.file_type()),
        "dct:license": id(LICENSE_MODELLICENTIE),
    });
    if let Some(url) = &d.download_url {
        out["dcat:downloadURL"] = id(url);
    }
    if let Some(standard) = d.format.standard() {
        out["dct:conformsTo"] = id(standard);
    }
    out
}

fn dataset(d: &Dataset) -> Value {
    let mut out = json!({
        "@id": d.iri,
        "@type": "dcat:Dataset",
        "dct:identifier": d.identifier,
        "dct:title": nl(&d.title),
        "dct:description": nl(&d.description),
        "dct:publisher": agent(&d.publisher),
        "dcat:contactPoint": contact(&d.contact),
        "dct:accessRights": id(ACCESS_PUBLIC),
        "dcat:keyword": d.keywords.iter().map(|k| nl(k)).collect::<Vec<_>>(),
        "dcat:theme": d.themes.iter().map(|t| id(t)).collect::<Vec<_>>(),
        "dct:spatial": d.spatial.iter().map(|p| {
            let mut place = json!({ "@type": "dct:Location", "skos:prefLabel": nl(&p.name) });
            if let Some(iri) = &p.iri {
                place["@id"] = Value::from(iri.as_str());
            }
            place
        }).collect::<Vec<_>>(),
        "dcat:distribution": d.distributions.iter().map(distribution).collect::<Vec<_>>(),
    });
    if !d.modified.is_empty() {
        out["dct:modified"] = date(&d.modified);
    }
    if let Some((start, end)) = &d.temporal {
        out["dct:temporal"] = json!({
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": date(start),
            "dcat:endDate": date(end),
        });
    }
    if let Some(page) = &d.landing_page {
        out["dcat:landingPage"] = id(page);
    }
    out
}

/// The catalogue as a JSON-LD document (`application/ld+json`).
pub fn catalog_jsonld(catalog: &Catalog) -> Result<Value, DcatError> {
    check(catalog)?;
    let mut out = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": catalog.iri,
        "@type": "dcat:Catalog",
        "dct:identifier": catalog.identifier,
        "dct:title": nl(&catalog.title),
        "dct:description": nl(&catalog.description),
        "dct:publisher": agent(&catalog.publisher),
        "dcat:contactPoint": contact(&catalog.contact),
        "dct:license": id(LICENSE_CC0),
        "dct:language": id("http://publications.europa.eu/resource/authority/language/NLD"),
        "dcat:dataset": catalog.datasets.iter().map(dataset).collect::<Vec<_>>(),
    });
    if !catalog.modified.is_empty() {
        out["dct:modified"] = date(&catalog.modified);
    }
    if let Some(homepage) = &catalog.homepage {
        out["foaf:homepage"] = id(homepage);
    }
    Ok(out)
}

/// The content type of the catalogue.
pub const CONTENT_TYPE: &str = "application/ld+json; charset=utf-8";

#[cfg(test)]
#[path = "dcat_tests.rs"]
mod tests;
