//! Periods and values. A value is unique per (indicator, place, period): writing it again
//! replaces it, so importing the same file twice leaves the same values.

use std::collections::HashMap;

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_db::{new_id, now_ms, Tx};

use crate::model::{GeoLevel, Period, ValueRow, ValueStatus};

/// The id of `period`, made when missing.
pub async fn ensure_period(tx: &mut Tx<'_>, period: &Period) -> CoreResult<String> {
    if let Some(row) = sqlx::query("SELECT id FROM cijfers_periods WHERE code = $1")
        .bind(&period.code)
        .fetch_optional(&mut **tx)
        .await?
    {
        return Ok(row.get(0));
    }
    let id = new_id();
    sqlx::query("INSERT INTO cijfers_periods (id, kind, code, starts_on) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(period.kind.as_str())
        .bind(&period.code)
        .bind(&period.starts_on)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// One value to write.
#[derive(Debug, Clone, PartialEq)]
pub struct NewValue<'a> {
    pub indicator_id: &'a str,
    pub geo_item_id: &'a str,
    pub period_id: &'a str,
    pub value: Option<f64>,
    pub status: ValueStatus,
    pub import_id: Option<&'a str>,
}

/// Writes a value, replacing the one with the same key. The caller records the audit entry of
/// the batch (an import, an aggregation): one entry per value would drown the trail. A written
/// value is `pending` for disclosure control (never public) until the indicator's next check
/// (src/gate); the caller runs that check or marks the indicator unchecked
/// (`store::disclosure::mark_unchecked`), so that its old pattern is not trusted meanwhile.
pub async fn upsert(tx: &mut Tx<'_>, value: &NewValue<'_>) -> CoreResult<()> {
    // A missing number is written as the literal NULL, never bound: sqlx's Any driver sends a
    // missing f64 to PostgreSQL as a float4 NULL, and a statement prepared that way on a
    // connection then refuses every real (8-byte) number bound to it ("incorrect binary data
    // format"): an import whose first value was suppressed failed (tests/imports.rs).
    let sql = format!(
        "INSERT INTO cijfers_values (indicator_id, geo_item_id, period_id, status, import_id,
             updated_at, value)
         VALUES ($1, $2, $3, $4, $5, $6, {})
         ON CONFLICT (indicator_id, geo_item_id, period_id) DO UPDATE SET value = excluded.value,
             status = excluded.status, import_id = excluded.import_id,
             updated_at = excluded.updated_at, disclosure = 'pending'",
        if value.value.is_some() { "$7" } else { "NULL" }
    );
    let mut query = sqlx::query(&sql)
        .bind(value.indicator_id)
        .bind(value.geo_item_id)
        .bind(value.period_id)
        .bind(value.status.as_str())
        .bind(value.import_id)
        .bind(now_ms());
    if let Some(number) = value.value {
        query = query.bind(number);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

fn value_row(row: &sqlx::any::AnyRow) -> ValueRow {
    let level: String = row.get("level");
    let status: String = row.get("status");
    ValueRow {
        geo_code: row.get("code"),
        geo_name: row.get("name"),
        level: GeoLevel::parse(&level).unwrap_or(GeoLevel::Sector),
        period: row.get("period"),
        value: row.get("value"),
        status: ValueStatus::parse(&status).unwrap_or(ValueStatus::Suppressed),
    }
}

const SERIES: &str = "SELECT g.code, g.name, g.level, p.code AS period, v.value, v.status
     FROM cijfers_values v
     JOIN cijfers_geo_items g ON g.id = v.geo_item_id
     JOIN cijfers_periods p ON p.id = v.period_id";

/// Every value of an indicator at `level` (all statuses: for the data team), by place and
/// period.
pub async fn series<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    indicator_id: &str,
    level: GeoLevel,
) -> CoreResult<Vec<ValueRow>> {
    let rows = sqlx::query(&format!(
        "{SERIES} WHERE v.indicator_id = $1 AND g.level = $2 ORDER BY g.code, p.starts_on"
    ))
    .bind(indicator_id)
    .bind(level.as_str())
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(value_row).collect())
}

/// The values the public may see: of a published indicator whose last disclosure check
/// passed, not suppressed, with a value, and passed by that check (not a primary or secondary
/// suppression, not written since). The rule is in the SQL, so that no caller can forget it.
pub async fn public_series<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    indicator_code: &str,
    level: Option<GeoLevel>,
) -> CoreResult<Vec<ValueRow>> {
    let rows = sqlx::query(&format!(
        "{SERIES} JOIN cijfers_indicators i ON i.id = v.indicator_id
         WHERE i.code = $1 AND i.published = 1 AND i.disclosure_passed = 1
           AND v.status <> 'suppressed' AND v.disclosure = 'passed'
           AND v.value IS NOT NULL AND ($2 = '' OR g.level = $2)
         ORDER BY g.level, g.code, p.starts_on"
    ))
    .bind(indicator_code)
    .bind(level.map_or("", GeoLevel::as_str))
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(value_row).collect())
}

/// The values of an indicator at `level` by period code, then by place code (known values
/// only, suppressed ones included: aggregation works on the real figures; disclosure control
/// decides what is published).
pub async fn by_period<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    indicator_id: &str,
    level: GeoLevel,
) -> CoreResult<HashMap<String, HashMap<String, f64>>> {
    let rows = sqlx::query(
        "SELECT p.code AS period, g.code, v.value FROM cijfers_values v
         JOIN cijfers_geo_items g ON g.id = v.geo_item_id
         JOIN cijfers_periods p ON p.id = v.period_id
         WHERE v.indicator_id = $1 AND g.level = $2 AND v.value IS NOT NULL",
    )
    .bind(indicator_id)
    .bind(level.as_str())
    .fetch_all(exec)
    .await?;
    let mut out: HashMap<String, HashMap<String, f64>> = HashMap::new();
    for row in &rows {
        out.entry(row.get("period"))
            .or_default()
            .insert(row.get("code"), row.get("value"));
    }
    Ok(out)
}

/// The periods that have values of an indicator, with their first day, oldest first.
pub async fn periods_of<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    indicator_id: &str,
) -> CoreResult<Vec<(String, String)>> {
    let rows = sqlx::query(
        "SELECT DISTINCT p.code, p.starts_on FROM cijfers_values v
         JOIN cijfers_periods p ON p.id = v.period_id
         WHERE v.indicator_id = $1 ORDER BY p.starts_on",
    )
    .bind(indicator_id)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
}

/// How many values an indicator has (all statuses).
pub async fn count_for<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    indicator_id: &str,
) -> CoreResult<i64> {
    Ok(
        sqlx::query("SELECT COUNT(*) FROM cijfers_values WHERE indicator_id = $1")
            .bind(indicator_id)
            .fetch_one(exec)
            .await?
            .get(0),
    )
}
