//! The reads behind the plan link (src/plan_link.rs): the public series a plan indicator may
//! take its measurements from, and their values. Same rule as
//! [`super::values::public_series`]: a published indicator whose last disclosure check passed,
//! only values that passed it, not suppressed, not empty. Only the places a plan measures a
//! city by: the region, municipalities and wijken (no statistical sectors).

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

/// The levels a plan indicator can follow.
pub const LEVELS: &str = "('gewest', 'gemeente', 'wijk')";

const PUBLIC: &str = "FROM cijfers_values v
     JOIN cijfers_indicators i ON i.id = v.indicator_id
     JOIN cijfers_geo_items g ON g.id = v.geo_item_id
     JOIN cijfers_periods p ON p.id = v.period_id
     WHERE i.published = 1 AND i.disclosure_passed = 1
       AND v.status <> 'suppressed' AND v.disclosure = 'passed' AND v.value IS NOT NULL";

/// One public series: an indicator at a place.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicSeries {
    pub indicator_code: String,
    pub indicator_name: String,
    pub unit: String,
    pub source: String,
    pub level: String,
    pub geo_code: String,
    pub geo_name: String,
}

/// Every public series, by indicator name and place name.
pub async fn public_series<'e, E: Executor<'e, Database = Any>>(
    exec: E,
) -> CoreResult<Vec<PublicSeries>> {
    let rows = sqlx::query(&format!(
        "SELECT DISTINCT i.code AS icode, i.name AS iname, i.unit, i.source,
                g.level, g.code AS gcode, g.name AS gname
         {PUBLIC} AND g.level IN {LEVELS}
         ORDER BY i.name, i.code, g.level, g.name, g.code"
    ))
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|r| PublicSeries {
            indicator_code: r.get("icode"),
            indicator_name: r.get("iname"),
            unit: r.get("unit"),
            source: r.get("source"),
            level: r.get("level"),
            geo_code: r.get("gcode"),
            geo_name: r.get("gname"),
        })
        .collect())
}

/// One public value of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicValue {
    pub period: String,
    /// 'YYYY-MM-DD'.
    pub starts_on: String,
    pub value: f64,
    pub status: String,
}

/// The public values of indicator `code` at one place, oldest first.
pub async fn public_values<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    indicator_code: &str,
    level: &str,
    geo_code: &str,
) -> CoreResult<Vec<PublicValue>> {
    let rows = sqlx::query(&format!(
        "SELECT p.code AS period, p.starts_on, v.value, v.status
         {PUBLIC} AND i.code = $1 AND g.level = $2 AND g.code = $3
         ORDER BY p.starts_on, p.code"
    ))
    .bind(indicator_code)
    .bind(level)
    .bind(geo_code)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|r| PublicValue {
            period: r.get("period"),
            starts_on: r.get("starts_on"),
            value: r.get("value"),
            status: r.get("status"),
        })
        .collect())
}

/// The name, unit and source of indicator `code`, and the name of the place, when both exist.
pub async fn names<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    indicator_code: &str,
    level: &str,
    geo_code: &str,
) -> CoreResult<Option<(String, String, String)>> {
    let row = sqlx::query(
        "SELECT i.name AS iname, i.source, g.name AS gname
         FROM cijfers_indicators i, cijfers_geo_items g
         WHERE i.code = $1 AND g.level = $2 AND g.code = $3",
    )
    .bind(indicator_code)
    .bind(level)
    .bind(geo_code)
    .fetch_optional(exec)
    .await?;
    Ok(row.map(|r| (r.get("iname"), r.get("source"), r.get("gname"))))
}
