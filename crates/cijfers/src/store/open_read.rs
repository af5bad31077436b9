//! Public reads for the catalogue and the OData-like read: which periods have public values,
//! per published indicator, and the places the public cube shows. Same rule as
//! [`super::values::public_series`]: published indicators whose
//! disclosure check passed, only values that passed it, no empty one.

use sqlx::{Any, AnyPool, Executor, Row};
use steden_core::error::CoreResult;

use crate::model::GeoLevel;
use crate::model::{CITIES, FLANDERS_CODE};
use crate::opendata::CubeGeo;
use crate::store::geo;

const PUBLIC: &str = "FROM cijfers_values v
     JOIN cijfers_indicators i ON i.id = v.indicator_id
     JOIN cijfers_periods p ON p.id = v.period_id
     WHERE i.published = 1 AND i.disclosure_passed = 1
       AND v.status <> 'suppressed' AND v.disclosure = 'passed' AND v.value IS NOT NULL";

/// Every (indicator code, period code) with at least one public value.
pub async fn public_periods_by_indicator<'e, E: Executor<'e, Database = Any>>(
    exec: E,
) -> CoreResult<Vec<(String, String)>> {
    let rows = sqlx::query(&format!(
        "SELECT DISTINCT i.code AS indicator, p.code AS period, p.starts_on {PUBLIC}
         ORDER BY i.code, p.starts_on, p.code"
    ))
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get("indicator"), r.get("period")))
        .collect())
}

/// The periods with at least one public value of any published indicator, oldest first.
pub async fn public_periods<'e, E: Executor<'e, Database = Any>>(
    exec: E,
) -> CoreResult<Vec<String>> {
    let rows = sqlx::query(&format!(
        "SELECT DISTINCT p.code AS period, p.starts_on {PUBLIC} ORDER BY p.starts_on, p.code"
    ))
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(|r| r.get("period")).collect())
}

/// The places of the public cube ([`super::cube::public_cube`]): the centrumsteden and Brussel
/// by name, then the Vlaams Gewest; the stored name where the place is stored.
pub async fn public_places(pool: &AnyPool) -> CoreResult<Vec<CubeGeo>> {
    let stored = geo::list_level(pool, GeoLevel::Gemeente).await?;
    let mut places: Vec<CubeGeo> = CITIES
        .iter()
        .map(|(code, name)| CubeGeo {
            level: GeoLevel::Gemeente.as_str().into(),
            code: (*code).into(),
            name: stored
                .iter()
                .find(|g| g.code == *code)
                .map_or_else(|| (*name).to_string(), |g| g.name.clone()),
        })
        .collect();
    places.sort_by(|a, b| a.name.cmp(&b.name));
    let flanders = geo::find(pool, GeoLevel::Gewest, FLANDERS_CODE).await?;
    places.push(CubeGeo {
        level: GeoLevel::Gewest.as_str().into(),
        code: FLANDERS_CODE.into(),
        name: flanders.map_or_else(|| "Vlaams Gewest".to_string(), |g| g.name),
    });
    Ok(places)
}
