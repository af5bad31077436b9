//! Measurements of indicators: reported by editors and the item's owner, by the API and
//! pulled from a measurement source.
//!
//! Every measurement also leaves a progress update on its item (with `measurement_id` set and
//! status and progress untouched), so that the item's history shows who reported which value
//! and why. One indicator has at most one measurement per date: a second value for the same
//! date replaces the first, and the history says so.

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use super::history::{self, NewUpdate};
use super::indicators::{
    self, measurement_from_row, organisation_of, MEASUREMENT_COLUMNS, MEASUREMENT_FROM,
};
use crate::indicators::fields::{belgian_date, history_text, validate_measurement, NewMeasurement};
use crate::model::indicators::Measurement;

/// Adds a measurement (and a progress update with its comment to the item's history). A
/// measurement on a date that already has one replaces its value.
pub async fn add_measurement(
    tx: &mut Tx<'_>,
    indicator_id: &str,
    measurement: &NewMeasurement,
    actor: &AuditActor,
) -> CoreResult<Measurement> {
    let indicator = indicators::get(&mut **tx, indicator_id).await?;
    let (date, value, comment) = validate_measurement(measurement)?;
    let author_name = measurement.author_name.trim();
    let existing: Option<(String, f64)> = sqlx::query(
        "SELECT id, value FROM plan_measurements WHERE indicator_id = $1 AND measured_on = $2",
    )
    .bind(indicator_id)
    .bind(&date)
    .fetch_optional(&mut **tx)
    .await?
    .map(|row| Ok::<_, sqlx::Error>((row.try_get("id")?, row.try_get("value")?)))
    .transpose()?;
    let now = now_ms();
    let id = match &existing {
        Some((id, _)) => {
            sqlx::query(
                "UPDATE plan_measurements SET value = $2, comment = $3, author_user_id = $4,
                     author_name = $5, created_at = $6 WHERE id = $1",
            )
            .bind(id)
            .bind(value)
            .bind(&comment)
            .bind(actor.user_id.as_deref())
            .bind(author_name)
            .bind(now)
            .execute(&mut **tx)
            .await?;
            id.clone()
        }
        None => {
            let id = new_id();
            sqlx::query(
                "INSERT INTO plan_measurements (id, indicator_id, measured_on, value, comment,
                     author_user_id, author_name, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id)
            .bind(indicator_id)
            .bind(&date)
            .bind(value)
            .bind(&comment)
            .bind(actor.user_id.as_deref())
            .bind(author_name)
            .bind(now)
            .execute(&mut **tx)
            .await?;
            id
        }
    };
    let replaced = existing.as_ref().map(|(_, old)| *old);
    let text = history_text(&indicator, &date, value, replaced, &comment);
    history::insert(
        tx,
        &NewUpdate {
            plan_id: &indicator.plan_id,
            item_id: &indicator.item_id,
            round_id: None,
            old_status: None,
            new_status: None,
            old_progress: None,
            new_progress: None,
            measurement_id: Some(&id),
            comment: &text,
            author_name,
        },
        actor,
    )
    .await?;
    let organisation_id = organisation_of(tx, &indicator.plan_id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan_measurement",
            entity_id: &id,
            action: if replaced.is_some() {
                "update"
            } else {
                "create"
            },
            summary: &text,
            changes: match replaced {
                Some(old) => Changes::new().field("value", old, value),
                None => Changes::new()
                    .created("indicator_id", indicator_id)
                    .created("measured_on", &date)
                    .created("value", value),
            },
        },
    )
    .await?;
    get(&mut **tx, &id).await
}

/// Deletes a measurement, with its line in the item's history.
pub async fn delete_measurement(
    tx: &mut Tx<'_>,
    measurement_id: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    let old = get(&mut **tx, measurement_id).await?;
    let indicator = indicators::get(&mut **tx, &old.indicator_id).await?;
    sqlx::query("DELETE FROM plan_updates WHERE measurement_id = $1")
        .bind(measurement_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM plan_measurements WHERE id = $1")
        .bind(measurement_id)
        .execute(&mut **tx)
        .await?;
    let organisation_id = organisation_of(tx, &indicator.plan_id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan_measurement",
            entity_id: measurement_id,
            action: "delete",
            summary: &format!(
                "Meting \"{}\" van {} verwijderd",
                indicator.name,
                belgian_date(&old.measured_on)
            ),
            changes: Changes::new().field("value", Some(old.value), None),
        },
    )
    .await?;
    Ok(())
}

/// One measurement; fails with `NotFound` when there is none.
pub async fn get<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: &str,
) -> CoreResult<Measurement> {
    find(executor, id)
        .await?
        .ok_or(CoreError::NotFound("measurement"))
}

/// One measurement, if there is one.
pub async fn find<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: &str,
) -> CoreResult<Option<Measurement>> {
    let row = sqlx::query(&format!(
        "SELECT {MEASUREMENT_COLUMNS} {MEASUREMENT_FROM} WHERE m.id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(measurement_from_row).transpose()?)
}
