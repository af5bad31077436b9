//! The DCAT-AP Vlaanderen catalogue of the published datasets: one dataset per published
//! indicator (an unpublished one is not in it), with a distribution per download format whose
//! access and download URL is the real download of the indicator's page. Written as JSON-LD by
//! [`crate::opendata::dcat`], which checks the profile's mandatory properties.

use std::collections::HashMap;

use serde_json::Value;
use sqlx::AnyPool;
use steden_core::error::{CoreError, CoreResult};

use crate::access::KENNISCENTRUM_SLUG;
use crate::model::CITIES;
use crate::model::{Indicator, Period, PeriodKind};
use crate::opendata::dcat::{
    self, Agent, Catalog, Contact, Dataset, Distribution, Format as DcatFormat, Place,
    THEME_SOCIETY,
};
use crate::paths;
use crate::store::{indicators, open_read};
use crate::web::downloads::Format;

/// EU data theme "Energy", for the energy and climate indicators.
const THEME_ENERGY: &str = "http://publications.europa.eu/resource/authority/data-theme/ENER";

/// The last day of `period`, `YYYY-MM-DD`.
fn last_day(period: &Period) -> Option<String> {
    let start = chrono::NaiveDate::parse_from_str(&period.starts_on, "%Y-%m-%d").ok()?;
    let months = match period.kind {
        PeriodKind::Year => 12,
        PeriodKind::Quarter => 3,
        PeriodKind::Month => 1,
        _ => return Some(period.starts_on.clone()),
    };
    let next = start.checked_add_months(chrono::Months::new(months))?;
    Some(next.pred_opt()?.format("%Y-%m-%d").to_string())
}

fn dcat_format(format: Format) -> DcatFormat {
    match format {
        Format::Csv => DcatFormat::Csv,
        Format::Xlsx => DcatFormat::Xlsx,
        Format::JsonStat => DcatFormat::JsonStat,
        Format::Sdmx => DcatFormat::SdmxCsv,
        Format::Swing => DcatFormat::SwingZip,
    }
}

fn day(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The catalogue as the pure model, for `base_url` (absolute URLs throughout).
pub async fn catalog(pool: &AnyPool, base_url: &str) -> CoreResult<Catalog> {
    let base = base_url.trim_end_matches('/');
    let published = indicators::list_published(pool).await?;
    let organisations: HashMap<String, steden_core::org::Organisation> =
        steden_core::org::list(pool)
            .await?
            .into_iter()
            .map(|o| (o.id.clone(), o))
            .collect();
    let kenniscentrum = organisations
        .values()
        .find(|o| o.slug == KENNISCENTRUM_SLUG)
        .map_or_else(
            || "Kenniscentrum Vlaamse Steden".to_string(),
            |o| o.name.clone(),
        );
    let agent = |slug: &str, name: &str| Agent {
        iri: format!("{base}/id/organisatie/{slug}"),
        name: name.to_string(),
    };
    let contact = Contact {
        name: format!("{kenniscentrum}, Stad in cijfers"),
        email: None,
        url: Some(format!("{base}{}", paths::OVERVIEW)),
    };
    // First and last day with public values, per indicator.
    let mut temporal: HashMap<String, (String, String)> = HashMap::new();
    for (indicator, code) in open_read::public_periods_by_indicator(pool).await? {
        let Some(period) = Period::parse(&code) else {
            continue;
        };
        let end = last_day(&period).unwrap_or_else(|| period.starts_on.clone());
        let entry = temporal
            .entry(indicator)
            .or_insert_with(|| (period.starts_on.clone(), end.clone()));
        if period.starts_on < entry.0 {
            entry.0.clone_from(&period.starts_on);
        }
        if end > entry.1 {
            entry.1 = end;
        }
    }
    let mut spatial: Vec<Place> = CITIES
        .iter()
        .map(|(_, name)| Place {
            iri: None,
            name: (*name).to_string(),
        })
        .collect();
    spatial.push(Place {
        iri: None,
        name: "Vlaams Gewest".into(),
    });
    let mut modified = 0;
    let datasets = published
        .iter()
        .map(|i: &Indicator| {
            modified = modified.max(i.updated_at);
            let page = format!("{base}{}", paths::indicator(&i.code));
            let publisher = match i.owner_org_id.as_ref().and_then(|id| organisations.get(id)) {
                Some(org) => agent(&org.slug, &org.name),
                None => agent(KENNISCENTRUM_SLUG, &kenniscentrum),
            };
            let mut keywords = vec!["Stad in cijfers".to_string(), "centrumsteden".to_string()];
            if !i.theme.is_empty() {
                keywords.insert(0, i.theme.clone());
            }
            let theme = if i.theme.to_lowercase().contains("energie") {
                THEME_ENERGY
            } else {
                THEME_SOCIETY
            };
            Dataset {
                iri: format!("{page}#dataset"),
                identifier: format!("stedenplatform-cijfers-{}", i.code),
                title: i.name.clone(),
                description: if i.definition.trim().is_empty() {
                    format!(
                        "{} in de centrumsteden, Brussel en het Vlaams Gewest.",
                        i.name
                    )
                } else {
                    i.definition.clone()
                },
                keywords,
                themes: vec![theme.to_string()],
                temporal: temporal.get(&i.code).cloned(),
                spatial: spatial.clone(),
                modified: day(i.updated_at),
                landing_page: Some(page),
                publisher,
                contact: contact.clone(),
                distributions: Format::ALL
                    .into_iter()
                    .map(|f| {
                        let url =
                            format!("{base}{}", paths::indicator_download(&i.code, f.as_str()));
                        Distribution {
                            iri: format!("{url}#distributie"),
                            identifier: format!("stedenplatform-cijfers-{}-{}", i.code, f.as_str()),
                            format: dcat_format(f),
                            access_url: url.clone(),
                            download_url: Some(url),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Catalog {
        iri: format!("{base}{}#catalogus", paths::CATALOG),
        identifier: "stedenplatform-cijfers".into(),
        title: "Stad in cijfers: open data van de centrumsteden".into(),
        description: "De gepubliceerde indicatoren van Stad in cijfers voor de 13 centrumsteden, \
                      Brussel (VGC) en het Vlaams Gewest, per indicator in CSV, XLSX, JSON-stat \
                      2.0, SDMX-CSV 2.0 en het bulkformaat van Swing."
            .into(),
        homepage: Some(format!("{base}{}", paths::OVERVIEW)),
        modified: if modified > 0 {
            day(modified)
        } else {
            String::new()
        },
        publisher: agent(KENNISCENTRUM_SLUG, &kenniscentrum),
        contact,
        datasets,
    })
}

/// The catalogue as a JSON-LD document.
pub async fn catalog_jsonld(pool: &AnyPool, base_url: &str) -> CoreResult<Value> {
    let catalog = catalog(pool, base_url).await?;
    dcat::catalog_jsonld(&catalog).map_err(|e| CoreError::Internal(anyhow::anyhow!(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_day_of_each_kind_of_period() {
        for (code, last) in [
            ("2024", "2024-12-31"),
            ("2024-Q1", "2024-03-31"),
            ("2024-02", "2024-02-29"),
            ("2023-02", "2023-02-28"),
        ] {
            assert_eq!(
                last_day(&Period::parse(code).unwrap()).as_deref(),
                Some(last),
                "{code}"
            );
        }
    }
}
