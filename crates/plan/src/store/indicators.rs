//! Indicators in the database: their definition and targets (edited by editors) and the reads
//! the pages need (an indicator with its targets and measurements as a series). Measurements
//! are written in [`super::measurements`]; what is typed is checked in
//! [`crate::indicators::fields`] before anything is written.

use std::collections::HashMap;

use sqlx::{Acquire, Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use crate::indicators::fields::{targets_text, validate, IndicatorFields};
use crate::indicators::health;
use crate::model::indicators::{
    Direction, Health, Indicator, IndicatorSeries, Measurement, Target,
};

pub(crate) async fn organisation_of(tx: &mut Tx<'_>, plan_id: &str) -> CoreResult<String> {
    crate::store::plans::organisation_of(&mut **tx, plan_id).await
}

async fn write_targets(tx: &mut Tx<'_>, indicator_id: &str, targets: &[Target]) -> CoreResult<()> {
    sqlx::query("DELETE FROM plan_indicator_targets WHERE indicator_id = $1")
        .bind(indicator_id)
        .execute(&mut **tx)
        .await?;
    for target in targets {
        sqlx::query(
            "INSERT INTO plan_indicator_targets (indicator_id, target_date, value) VALUES ($1, $2, $3)",
        )
        .bind(indicator_id)
        .bind(&target.date)
        .bind(target.value)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Adds an indicator to an item.
pub async fn create(
    tx: &mut Tx<'_>,
    item_id: &str,
    fields: &IndicatorFields,
    actor: &AuditActor,
) -> CoreResult<Indicator> {
    let valid = validate(fields)?;
    let item = crate::store::items::get(&mut **tx, item_id).await?;
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO plan_indicators (id, plan_id, item_id, definition_key, name, unit, direction,
             baseline_value, baseline_date, source, frequency, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
    )
    .bind(&id)
    .bind(&item.plan_id)
    .bind(item_id)
    .bind(&valid.definition_key)
    .bind(&valid.name)
    .bind(&valid.unit)
    .bind(valid.direction.as_str())
    .bind(valid.baseline_value)
    .bind(&valid.baseline_date)
    .bind(&valid.source)
    .bind(&valid.frequency)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    write_targets(tx, &id, &valid.targets).await?;
    let organisation_id = organisation_of(tx, &item.plan_id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan_indicator",
            entity_id: &id,
            action: "create",
            summary: &format!("Indicator \"{}\" toegevoegd aan {}", valid.name, item.code),
            changes: Changes::new()
                .created("name", &valid.name)
                .created("unit", &valid.unit)
                .created("direction", valid.direction.as_str())
                .created("baseline_value", valid.baseline_value)
                .created("baseline_date", &valid.baseline_date)
                .created("targets", targets_text(&valid.targets))
                .created("definition_key", &valid.definition_key),
        },
    )
    .await?;
    get(&mut **tx, &id).await
}

/// Changes an indicator's definition and replaces its targets (its measurements stay).
pub async fn update(
    tx: &mut Tx<'_>,
    id: &str,
    fields: &IndicatorFields,
    actor: &AuditActor,
) -> CoreResult<Indicator> {
    let valid = validate(fields)?;
    let old = get(&mut **tx, id).await?;
    let old_targets = targets_of(&mut **tx, id).await?;
    sqlx::query(
        "UPDATE plan_indicators SET definition_key = $2, name = $3, unit = $4, direction = $5,
             baseline_value = $6, baseline_date = $7, source = $8, frequency = $9, updated_at = $10
         WHERE id = $1",
    )
    .bind(id)
    .bind(&valid.definition_key)
    .bind(&valid.name)
    .bind(&valid.unit)
    .bind(valid.direction.as_str())
    .bind(valid.baseline_value)
    .bind(&valid.baseline_date)
    .bind(&valid.source)
    .bind(&valid.frequency)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    write_targets(tx, id, &valid.targets).await?;
    let organisation_id = organisation_of(tx, &old.plan_id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan_indicator",
            entity_id: id,
            action: "update",
            summary: &format!("Indicator \"{}\" gewijzigd", valid.name),
            changes: Changes::new()
                .field("name", old.name.as_str(), valid.name.as_str())
                .field("unit", old.unit.as_str(), valid.unit.as_str())
                .field(
                    "direction",
                    old.direction.as_str(),
                    valid.direction.as_str(),
                )
                .field("baseline_value", old.baseline_value, valid.baseline_value)
                .field(
                    "baseline_date",
                    old.baseline_date.as_str(),
                    valid.baseline_date.as_str(),
                )
                .field(
                    "targets",
                    targets_text(&old_targets),
                    targets_text(&valid.targets),
                )
                .field("source", old.source.as_str(), valid.source.as_str())
                .field(
                    "frequency",
                    old.frequency.as_str(),
                    valid.frequency.as_str(),
                )
                .field(
                    "definition_key",
                    old.definition_key.as_str(),
                    valid.definition_key.as_str(),
                ),
        },
    )
    .await?;
    get(&mut **tx, id).await
}

/// Deletes an indicator with its targets and measurements.
pub async fn delete(tx: &mut Tx<'_>, id: &str, actor: &AuditActor) -> CoreResult<()> {
    let old = get(&mut **tx, id).await?;
    sqlx::query(
        "DELETE FROM plan_updates WHERE measurement_id IN
             (SELECT id FROM plan_measurements WHERE indicator_id = $1)",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    // Its targets and measurements go with it (ON DELETE CASCADE; foreign keys are on in
    // both backends).
    sqlx::query("DELETE FROM plan_indicators WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let organisation_id = organisation_of(tx, &old.plan_id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan_indicator",
            entity_id: id,
            action: "delete",
            summary: &format!("Indicator \"{}\" verwijderd", old.name),
            changes: Changes::new().field("name", Some(old.name.as_str()), None),
        },
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reads

const INDICATOR_COLUMNS: &str = "n.id, n.plan_id, n.item_id, n.definition_key, n.name, n.unit, \
     n.direction, n.baseline_value, n.baseline_date, n.source, n.frequency";

fn indicator_from_row(row: &sqlx::any::AnyRow) -> Result<Indicator, sqlx::Error> {
    let direction: String = row.try_get("direction")?;
    Ok(Indicator {
        id: row.try_get("id")?,
        plan_id: row.try_get("plan_id")?,
        item_id: row.try_get("item_id")?,
        definition_key: row.try_get("definition_key")?,
        name: row.try_get("name")?,
        unit: row.try_get("unit")?,
        direction: Direction::parse(&direction).unwrap_or(Direction::Hoger),
        baseline_value: row.try_get("baseline_value")?,
        baseline_date: row.try_get("baseline_date")?,
        source: row.try_get("source")?,
        frequency: row.try_get("frequency")?,
    })
}

pub(crate) const MEASUREMENT_COLUMNS: &str =
    "m.id, m.indicator_id, m.measured_on, m.value, m.comment, \
     COALESCE(u.name, m.author_name) AS author, m.created_at";

pub(crate) const MEASUREMENT_FROM: &str =
    "FROM plan_measurements m LEFT JOIN person_names u ON u.id = m.author_user_id";

pub(crate) fn measurement_from_row(row: &sqlx::any::AnyRow) -> Result<Measurement, sqlx::Error> {
    Ok(Measurement {
        id: row.try_get("id")?,
        indicator_id: row.try_get("indicator_id")?,
        measured_on: row.try_get("measured_on")?,
        value: row.try_get("value")?,
        comment: row.try_get("comment")?,
        author: row.try_get("author")?,
        created_at: row.try_get("created_at")?,
    })
}

/// One indicator; fails with `NotFound` when there is none.
pub async fn get<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: &str,
) -> CoreResult<Indicator> {
    find(executor, id)
        .await?
        .ok_or(CoreError::NotFound("indicator"))
}

/// One indicator, if there is one.
pub async fn find<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: &str,
) -> CoreResult<Option<Indicator>> {
    let row = sqlx::query(&format!(
        "SELECT {INDICATOR_COLUMNS} FROM plan_indicators n WHERE n.id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(indicator_from_row).transpose()?)
}

async fn targets_of<'e>(
    executor: impl Executor<'e, Database = Any>,
    indicator_id: &str,
) -> CoreResult<Vec<Target>> {
    let rows = sqlx::query(
        "SELECT target_date, value FROM plan_indicator_targets WHERE indicator_id = $1
         ORDER BY target_date",
    )
    .bind(indicator_id)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            Ok::<_, sqlx::Error>(Target {
                date: r.try_get("target_date")?,
                value: r.try_get("value")?,
            })
        })
        .collect::<Result<_, _>>()?)
}

/// Reads the indicators selected by `filter` (a condition on `n`, with one parameter `$1`),
/// with their targets and measurements, in item code order.
async fn series_where<'c>(
    db: impl Acquire<'c, Database = Any>,
    filter: &str,
    param: &str,
) -> CoreResult<Vec<IndicatorSeries>> {
    // Three queries on one connection (a pool's, or the caller's transaction).
    let mut conn = db.acquire().await?;
    series_on(&mut conn, filter, param).await
}

/// As [`series_where`], on a connection the caller holds. Not generic, so that a future that
/// calls it with a borrowed connection stays `Send` (a handler's must be; the generic
/// `Acquire` of `&mut AnyConnection` would need it for every lifetime, which rustc cannot show).
async fn series_on(
    conn: &mut sqlx::AnyConnection,
    filter: &str,
    param: &str,
) -> CoreResult<Vec<IndicatorSeries>> {
    let rows = sqlx::query(&format!(
        "SELECT {INDICATOR_COLUMNS} FROM plan_indicators n JOIN plan_items i ON i.id = n.item_id
         WHERE {filter} ORDER BY i.code, n.name, n.id"
    ))
    .bind(param)
    .fetch_all(&mut *conn)
    .await?;
    let mut series: Vec<IndicatorSeries> = Vec::with_capacity(rows.len());
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in &rows {
        let indicator = indicator_from_row(row)?;
        index.insert(indicator.id.clone(), series.len());
        series.push(IndicatorSeries {
            indicator,
            targets: Vec::new(),
            measurements: Vec::new(),
        });
    }
    let targets = sqlx::query(&format!(
        "SELECT t.indicator_id, t.target_date, t.value FROM plan_indicator_targets t
         JOIN plan_indicators n ON n.id = t.indicator_id WHERE {filter} ORDER BY t.target_date"
    ))
    .bind(param)
    .fetch_all(&mut *conn)
    .await?;
    for row in &targets {
        let id: String = row.try_get("indicator_id")?;
        if let Some(&i) = index.get(&id) {
            series[i].targets.push(Target {
                date: row.try_get("target_date")?,
                value: row.try_get("value")?,
            });
        }
    }
    let measurements = sqlx::query(&format!(
        "SELECT {MEASUREMENT_COLUMNS} {MEASUREMENT_FROM} JOIN plan_indicators n ON n.id = m.indicator_id
         WHERE {filter} ORDER BY m.measured_on, m.created_at"
    ))
    .bind(param)
    .fetch_all(&mut *conn)
    .await?;
    for row in &measurements {
        let m = measurement_from_row(row)?;
        if let Some(&i) = index.get(&m.indicator_id) {
            series[i].measurements.push(m);
        }
    }
    Ok(series)
}

/// Every indicator of a plan with its series, in item code order.
pub async fn list_for_plan<'c>(
    db: impl Acquire<'c, Database = Any>,
    plan_id: &str,
) -> CoreResult<Vec<IndicatorSeries>> {
    series_where(db, "n.plan_id = $1", plan_id).await
}

/// The indicators of one item, with their series.
pub async fn for_item<'c>(
    db: impl Acquire<'c, Database = Any>,
    item_id: &str,
) -> CoreResult<Vec<IndicatorSeries>> {
    series_where(db, "n.item_id = $1", item_id).await
}

/// As [`for_item`], on a connection the caller holds (see [`series_on`]).
pub async fn for_item_on(
    conn: &mut sqlx::AnyConnection,
    item_id: &str,
) -> CoreResult<Vec<IndicatorSeries>> {
    series_on(conn, "n.item_id = $1", item_id).await
}

/// One indicator with its series.
pub async fn series<'c>(
    db: impl Acquire<'c, Database = Any>,
    indicator_id: &str,
) -> CoreResult<Option<IndicatorSeries>> {
    Ok(series_where(db, "n.id = $1", indicator_id)
        .await?
        .into_iter()
        .next())
}

/// Every indicator that shares the definition `key`, across organisations (none for '').
pub async fn series_by_definition<'c>(
    db: impl Acquire<'c, Database = Any>,
    key: &str,
) -> CoreResult<Vec<IndicatorSeries>> {
    if key.trim().is_empty() {
        return Ok(Vec::new());
    }
    series_where(db, "n.definition_key = $1", key).await
}

/// How many indicators of a plan are "niet op koers" today.
pub async fn off_track_count<'c>(
    db: impl Acquire<'c, Database = Any>,
    plan_id: &str,
) -> CoreResult<i64> {
    let today = crate::store::today();
    let count = list_for_plan(db, plan_id)
        .await?
        .iter()
        .filter(|s| health::health(s, &today) == Some(Health::NietOpKoers))
        .count();
    Ok(count as i64)
}
