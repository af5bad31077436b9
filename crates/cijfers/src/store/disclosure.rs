//! The disclosure check's SQL (src/gate): what it reads of an indicator's values and the
//! geography, the outcome it writes per value and per indicator, and the record of every run.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_db::{new_id, now_ms, Tx};

use crate::model::{GeoLevel, ValueStatus};

/// The outcome of the check for one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Written since the last check: never public.
    Pending,
    Passed,
    /// Sensitive in itself (too few units, dominance, or suppressed at the source).
    Primary,
    /// Hidden so that a primary cell cannot be computed back.
    Secondary,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Passed => "passed",
            Outcome::Primary => "primary",
            Outcome::Secondary => "secondary",
        }
    }
}

/// One stored value with what the check needs of its place and period.
#[derive(Debug, Clone, PartialEq)]
pub struct GateRow {
    pub geo_item_id: String,
    pub period_id: String,
    pub period: String,
    pub starts_on: String,
    pub level: GeoLevel,
    pub code: String,
    pub name: String,
    pub municipality_code: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub value: Option<f64>,
    pub status: ValueStatus,
}

/// Every value of an indicator with its place and period.
pub async fn rows<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    indicator_id: &str,
) -> CoreResult<Vec<GateRow>> {
    let rows = sqlx::query(
        "SELECT v.geo_item_id, v.period_id, p.code AS period, p.starts_on, g.level, g.code,
             g.name, g.municipality_code, g.valid_from, g.valid_to, v.value, v.status
         FROM cijfers_values v
         JOIN cijfers_geo_items g ON g.id = v.geo_item_id
         JOIN cijfers_periods p ON p.id = v.period_id
         WHERE v.indicator_id = $1
         ORDER BY p.starts_on, g.level, g.code",
    )
    .bind(indicator_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| {
            let level: String = row.get("level");
            let status: String = row.get("status");
            GateRow {
                geo_item_id: row.get("geo_item_id"),
                period_id: row.get("period_id"),
                period: row.get("period"),
                starts_on: row.get("starts_on"),
                level: GeoLevel::parse(&level).unwrap_or(GeoLevel::Sector),
                code: row.get("code"),
                name: row.get("name"),
                municipality_code: row.get("municipality_code"),
                valid_from: row.get("valid_from"),
                valid_to: row.get("valid_to"),
                value: row.get("value"),
                status: ValueStatus::parse(&status).unwrap_or(ValueStatus::Suppressed),
            }
        })
        .collect())
}

/// The known values of the indicator with this code by (place id, period id): the weight or
/// denominator of a mean or ratio. Empty for an unknown code.
pub async fn values_by_key<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    indicator_code: &str,
) -> CoreResult<HashMap<(String, String), f64>> {
    let rows = sqlx::query(
        "SELECT v.geo_item_id, v.period_id, v.value FROM cijfers_values v
         JOIN cijfers_indicators i ON i.id = v.indicator_id
         WHERE i.code = $1 AND v.value IS NOT NULL",
    )
    .bind(indicator_code)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| ((row.get(0), row.get(1)), row.get(2)))
        .collect())
}

/// Every wijk's sectors, as (wijk id, sector id).
pub async fn wijk_members<'e, E: Executor<'e, Database = Any>>(
    exec: E,
) -> CoreResult<Vec<(String, String)>> {
    let rows = sqlx::query("SELECT wijk_id, sector_id FROM cijfers_wijk_sectors")
        .fetch_all(exec)
        .await?;
    Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
}

/// Writes the check's outcome: every value of the indicator `passed`, then the suppressed
/// ones with their rule, and the indicator's verdict. Run again on the same data it writes
/// the same.
pub async fn apply(
    tx: &mut Tx<'_>,
    indicator_id: &str,
    suppressed: &[(String, String, Outcome)],
    passed: bool,
) -> CoreResult<()> {
    sqlx::query("UPDATE cijfers_values SET disclosure = 'passed' WHERE indicator_id = $1")
        .bind(indicator_id)
        .execute(&mut **tx)
        .await?;
    for (geo_item_id, period_id, outcome) in suppressed {
        sqlx::query(
            "UPDATE cijfers_values SET disclosure = $1
             WHERE indicator_id = $2 AND geo_item_id = $3 AND period_id = $4",
        )
        .bind(outcome.as_str())
        .bind(indicator_id)
        .bind(geo_item_id)
        .bind(period_id)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "UPDATE cijfers_indicators SET disclosure_passed = $1, disclosure_checked_at = $2
         WHERE id = $3",
    )
    .bind(i16::from(passed))
    .bind(now_ms())
    .bind(indicator_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The indicator's old check no longer holds (values were written): hidden from the public
/// until the next check passes.
pub async fn mark_unchecked(tx: &mut Tx<'_>, indicator_id: &str) -> CoreResult<()> {
    sqlx::query("UPDATE cijfers_indicators SET disclosure_passed = 0 WHERE id = $1")
        .bind(indicator_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One suppressed cell in a run's report (true values: for the data team only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunCell {
    pub period: String,
    pub place: String,
    /// The rule in Dutch (why it is hidden).
    pub rule: String,
    pub secondary: bool,
    pub value: f64,
    pub lower: f64,
    /// `None`: unbounded above.
    pub upper: Option<f64>,
    pub required_width: f64,
    /// Narrower than the protection level.
    pub leaks: bool,
}

/// A run of the check, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub id: String,
    pub indicator_id: String,
    pub ran_at: i64,
    pub ran_by: Option<String>,
    /// The name of the person, when known.
    pub ran_by_name: Option<String>,
    pub trigger: String,
    pub passed: bool,
    /// Whether its outcome was written (a refused publication is recorded after the rollback).
    pub applied: bool,
    pub summary: String,
    pub cells: Vec<RunCell>,
}

/// Records a run.
#[allow(clippy::too_many_arguments)]
pub async fn record_run(
    tx: &mut Tx<'_>,
    indicator_id: &str,
    ran_by: Option<&str>,
    trigger: &str,
    passed: bool,
    applied: bool,
    summary: &str,
    cells: &[RunCell],
) -> CoreResult<String> {
    let id = new_id();
    let json = serde_json::to_string(cells)
        .map_err(|e| steden_core::CoreError::Internal(anyhow::anyhow!(e)))?;
    sqlx::query(
        "INSERT INTO cijfers_disclosure_runs (id, indicator_id, ran_at, ran_by, trigger_kind,
             passed, applied, summary, cells)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(indicator_id)
    .bind(now_ms())
    .bind(ran_by)
    .bind(trigger)
    .bind(i16::from(passed))
    .bind(i16::from(applied))
    .bind(summary)
    .bind(json)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// The latest run of an indicator, if any.
pub async fn latest_run<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    indicator_id: &str,
) -> CoreResult<Option<Run>> {
    let row = sqlx::query(
        "SELECT r.id, r.indicator_id, r.ran_at, r.ran_by, u.name AS display_name, r.trigger_kind,
             CAST(r.passed AS BIGINT) AS passed, CAST(r.applied AS BIGINT) AS applied,
             r.summary, r.cells
         FROM cijfers_disclosure_runs r
         LEFT JOIN users u ON u.id = r.ran_by
         WHERE r.indicator_id = $1
         ORDER BY r.ran_at DESC, r.id DESC LIMIT 1",
    )
    .bind(indicator_id)
    .fetch_optional(exec)
    .await?;
    Ok(row.map(|row| {
        let cells: String = row.get("cells");
        Run {
            id: row.get("id"),
            indicator_id: row.get("indicator_id"),
            ran_at: row.get("ran_at"),
            ran_by: row.get("ran_by"),
            ran_by_name: row.get("display_name"),
            trigger: row.get("trigger_kind"),
            passed: row.get::<i64, _>("passed") != 0,
            applied: row.get::<i64, _>("applied") != 0,
            summary: row.get("summary"),
            cells: serde_json::from_str(&cells).unwrap_or_default(),
        }
    }))
}

/// How many runs an indicator has (tests, the admin page).
pub async fn run_count<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    indicator_id: &str,
) -> CoreResult<i64> {
    Ok(
        sqlx::query("SELECT COUNT(*) FROM cijfers_disclosure_runs WHERE indicator_id = $1")
            .bind(indicator_id)
            .fetch_one(exec)
            .await?
            .get(0),
    )
}

/// Sets an indicator's disclosure settings: the protection level in percent (`None`: the
/// default) and whether the platform adds secondary suppressions itself. The caller (the
/// indicator form) records the audit entry with the indicator's update.
pub async fn set_settings(
    tx: &mut Tx<'_>,
    indicator_id: &str,
    protection_pct: Option<i64>,
    auto_secondary: bool,
) -> CoreResult<()> {
    sqlx::query(
        "UPDATE cijfers_indicators SET protection_pct = $1, auto_secondary = $2 WHERE id = $3",
    )
    .bind(protection_pct)
    .bind(i16::from(auto_secondary))
    .bind(indicator_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
