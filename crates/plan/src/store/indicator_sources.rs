//! Indicators linked to a measurement source (see [`crate::indicators::source`]): the link,
//! the outcome of the last pull, and the measurements a pull writes.
//!
//! A pull writes the source's values by date: a date the indicator does not have yet is
//! added, a date whose value or comment changed is updated, the rest is left alone, so
//! pulling twice writes nothing the second time. Each added or changed value also leaves a
//! line in the item's history (with `measurement_id` set, as a measurement typed by hand
//! does), and the pull as a whole one audit entry.

use std::collections::{BTreeMap, HashMap};

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use crate::indicators::number::format_number;
use crate::indicators::source::{SourceLink, SourceMeasurement};
use crate::store::updates::{self, NewUpdate};

/// The longest comment a pulled value keeps (as for a measurement typed by hand).
const COMMENT_MAX: usize = 4000;

/// What a pull or a link needs to know of an indicator.
#[derive(Debug, Clone)]
pub struct LinkedIndicator {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub plan_id: String,
    pub item_id: String,
    pub organisation_id: String,
}

/// The indicator with its plan's organisation.
pub async fn indicator<'e>(
    executor: impl Executor<'e, Database = Any>,
    indicator_id: &str,
) -> CoreResult<Option<LinkedIndicator>> {
    let row = sqlx::query(
        "SELECT n.id, n.name, n.unit, n.plan_id, n.item_id, p.organisation_id
         FROM plan_indicators n JOIN plan_plans p ON p.id = n.plan_id WHERE n.id = $1",
    )
    .bind(indicator_id)
    .fetch_optional(executor)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    Ok(Some(LinkedIndicator {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        unit: row.try_get("unit")?,
        plan_id: row.try_get("plan_id")?,
        item_id: row.try_get("item_id")?,
        organisation_id: row.try_get("organisation_id")?,
    }))
}

fn link_from_row(row: &sqlx::any::AnyRow) -> Result<SourceLink, sqlx::Error> {
    Ok(SourceLink {
        indicator_id: row.try_get("indicator_id")?,
        source_key: row.try_get("source_key")?,
        series_ref: row.try_get("series_ref")?,
        series_label: row.try_get("series_label")?,
        linked_at: row.try_get("linked_at")?,
        last_pulled_at: row.try_get("last_pulled_at")?,
        last_error: row.try_get("last_error")?,
    })
}

/// The source of an indicator, when it has one.
pub async fn find<'e>(
    executor: impl Executor<'e, Database = Any>,
    indicator_id: &str,
) -> CoreResult<Option<SourceLink>> {
    let row = sqlx::query(
        "SELECT indicator_id, source_key, series_ref, series_label, linked_at, last_pulled_at,
             last_error
         FROM plan_indicator_sources WHERE indicator_id = $1",
    )
    .bind(indicator_id)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(link_from_row).transpose()?)
}

/// The indicators linked to one series of one source.
pub async fn indicators_of_series<'e>(
    executor: impl Executor<'e, Database = Any>,
    source_key: &str,
    series_ref: &str,
) -> CoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT indicator_id FROM plan_indicator_sources
         WHERE source_key = $1 AND series_ref = $2 ORDER BY indicator_id",
    )
    .bind(source_key)
    .bind(series_ref)
    .fetch_all(executor)
    .await?)
}

/// Every series of a source that at least one indicator links to.
pub async fn linked_series<'e>(
    executor: impl Executor<'e, Database = Any>,
    source_key: &str,
) -> CoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT series_ref FROM plan_indicator_sources WHERE source_key = $1
         ORDER BY series_ref",
    )
    .bind(source_key)
    .fetch_all(executor)
    .await?)
}

/// Whether any indicator links to the series.
pub async fn is_linked<'e>(
    executor: impl Executor<'e, Database = Any>,
    source_key: &str,
    series_ref: &str,
) -> CoreResult<bool> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM plan_indicator_sources WHERE source_key = $1 AND series_ref = $2",
    )
    .bind(source_key)
    .bind(series_ref)
    .fetch_one(executor)
    .await?;
    Ok(count > 0)
}

/// Refuses a measurement typed by hand (a form, the API) on an indicator with a source: the
/// next pull would contradict it.
pub async fn refuse_manual_entry<'e>(
    executor: impl Executor<'e, Database = Any>,
    indicator_id: &str,
) -> CoreResult<()> {
    if find(executor, indicator_id).await?.is_some() {
        return Err(CoreError::invalid(
            "value",
            "De metingen van deze indicator komen uit een gekoppelde bron; voeg ze niet met de \
             hand toe. Ontkoppel de bron eerst als u zelf metingen wilt ingeven.",
        ));
    }
    Ok(())
}

/// Links an indicator to a series (replacing an earlier link), with an audit entry. The
/// caller has checked that the source offers the series to the indicator's organisation.
pub async fn link(
    tx: &mut Tx<'_>,
    indicator: &LinkedIndicator,
    (source_key, source_label): (&str, &str),
    (series_ref, series_label): (&str, &str),
    actor: &AuditActor,
) -> CoreResult<()> {
    let old = find(&mut **tx, &indicator.id).await?;
    sqlx::query("DELETE FROM plan_indicator_sources WHERE indicator_id = $1")
        .bind(&indicator.id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO plan_indicator_sources (indicator_id, source_key, series_ref, series_label,
             linked_at, last_pulled_at, last_error)
         VALUES ($1, $2, $3, $4, $5, NULL, NULL)",
    )
    .bind(&indicator.id)
    .bind(source_key)
    .bind(series_ref)
    .bind(series_label)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    let source_text = format!("{source_key}:{series_ref}");
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&indicator.organisation_id),
            entity_type: "plan_indicator",
            entity_id: &indicator.id,
            action: "link_source",
            summary: &format!(
                "Indicator \"{}\" haalt zijn metingen uit {source_label} — {series_label}",
                indicator.name
            ),
            changes: Changes::new().field(
                "source",
                old.map(|l| format!("{}:{}", l.source_key, l.series_ref)),
                Some(source_text),
            ),
        },
    )
    .await?;
    Ok(())
}

/// Removes an indicator's source, with an audit entry; its measurements stay (and can be
/// added to by hand again). `NotFound` when it had none.
pub async fn unlink(
    tx: &mut Tx<'_>,
    indicator: &LinkedIndicator,
    actor: &AuditActor,
) -> CoreResult<()> {
    let old = find(&mut **tx, &indicator.id)
        .await?
        .ok_or(CoreError::NotFound("indicator source"))?;
    sqlx::query("DELETE FROM plan_indicator_sources WHERE indicator_id = $1")
        .bind(&indicator.id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&indicator.organisation_id),
            entity_type: "plan_indicator",
            entity_id: &indicator.id,
            action: "unlink_source",
            summary: &format!(
                "Indicator \"{}\" haalt zijn metingen niet meer uit een bron",
                indicator.name
            ),
            changes: Changes::new().field(
                "source",
                Some(format!("{}:{}", old.source_key, old.series_ref)),
                None,
            ),
        },
    )
    .await?;
    Ok(())
}

/// Starts a pull in `tx`: takes the link's row lock (so that two pulls of one indicator, say
/// the job and the button, write one after the other and the second finds nothing new) and
/// returns the link as it is now; `None` when the indicator was unlinked in the meantime.
pub async fn lock_for_pull(tx: &mut Tx<'_>, indicator_id: &str) -> CoreResult<Option<SourceLink>> {
    let locked = sqlx::query(
        "UPDATE plan_indicator_sources SET linked_at = linked_at WHERE indicator_id = $1",
    )
    .bind(indicator_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if locked == 0 {
        return Ok(None);
    }
    find(&mut **tx, indicator_id).await
}

/// Records a pull that succeeded.
pub async fn record_success(tx: &mut Tx<'_>, indicator_id: &str) -> CoreResult<()> {
    sqlx::query(
        "UPDATE plan_indicator_sources SET last_pulled_at = $2, last_error = NULL
         WHERE indicator_id = $1",
    )
    .bind(indicator_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records a pull that failed, with its Dutch message (the last success stays).
pub async fn record_error<'e>(
    executor: impl Executor<'e, Database = Any>,
    indicator_id: &str,
    message: &str,
) -> CoreResult<()> {
    sqlx::query("UPDATE plan_indicator_sources SET last_error = $2 WHERE indicator_id = $1")
        .bind(indicator_id)
        .bind(message)
        .execute(executor)
        .await?;
    Ok(())
}

/// How many values a pull wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pulled {
    pub added: usize,
    pub changed: usize,
}

/// Writes a source's values on the indicator by date (see the module documentation), as the
/// system with `author_name` (the source's label) as author. Values that are not finite are
/// refused; a later value for the same date in `measurements` wins.
pub async fn write_pulled(
    tx: &mut Tx<'_>,
    indicator: &LinkedIndicator,
    measurements: &[SourceMeasurement],
    author_name: &str,
) -> CoreResult<Pulled> {
    if measurements.iter().any(|m| !m.value.is_finite()) {
        return Err(CoreError::Conflict(
            "De bron gaf een waarde die geen getal is.".into(),
        ));
    }
    let wanted: BTreeMap<String, (f64, String)> = measurements
        .iter()
        .map(|m| {
            let comment: String = m
                .comment
                .as_deref()
                .unwrap_or("")
                .trim()
                .chars()
                .take(COMMENT_MAX)
                .collect();
            (m.date.format("%Y-%m-%d").to_string(), (m.value, comment))
        })
        .collect();
    let existing: HashMap<String, (String, f64, String)> = sqlx::query(
        "SELECT id, measured_on, value, comment FROM plan_measurements WHERE indicator_id = $1",
    )
    .bind(&indicator.id)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|row| {
        Ok::<_, sqlx::Error>((
            row.try_get("measured_on")?,
            (
                row.try_get("id")?,
                row.try_get("value")?,
                row.try_get("comment")?,
            ),
        ))
    })
    .collect::<Result<_, _>>()?;
    let actor = AuditActor::system();
    let now = now_ms();
    let mut pulled = Pulled::default();
    for (date, (value, comment)) in &wanted {
        let (id, replaced) = match existing.get(date) {
            Some((_, old, old_comment)) if old == value && old_comment == comment => continue,
            Some((id, old, _)) => {
                sqlx::query(
                    "UPDATE plan_measurements SET value = $2, comment = $3, author_user_id = NULL,
                         author_name = $4, created_at = $5 WHERE id = $1",
                )
                .bind(id)
                .bind(*value)
                .bind(comment)
                .bind(author_name)
                .bind(now)
                .execute(&mut **tx)
                .await?;
                pulled.changed += 1;
                (id.clone(), Some(*old))
            }
            None => {
                let id = new_id();
                sqlx::query(
                    "INSERT INTO plan_measurements (id, indicator_id, measured_on, value, comment,
                         author_user_id, author_name, created_at)
                     VALUES ($1, $2, $3, $4, $5, NULL, $6, $7)",
                )
                .bind(&id)
                .bind(&indicator.id)
                .bind(date)
                .bind(*value)
                .bind(comment)
                .bind(author_name)
                .bind(now)
                .execute(&mut **tx)
                .await?;
                pulled.added += 1;
                (id, None)
            }
        };
        let text = history_text(indicator, date, *value, replaced, author_name);
        updates::insert(
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
            &actor,
        )
        .await?;
    }
    if pulled != Pulled::default() {
        audit::record(
            tx,
            NewEntry {
                actor: &actor,
                organisation_id: Some(&indicator.organisation_id),
                entity_type: "plan_indicator",
                entity_id: &indicator.id,
                action: "pull_measurements",
                summary: &format!(
                    "Metingen van \"{}\" bijgewerkt uit {author_name}: {} nieuw, {} gewijzigd",
                    indicator.name, pulled.added, pulled.changed
                ),
                changes: Changes::new()
                    .created("added", pulled.added)
                    .created("changed", pulled.changed),
            },
        )
        .await?;
    }
    Ok(pulled)
}

/// The line in the item's history for a pulled value.
fn history_text(
    indicator: &LinkedIndicator,
    date: &str,
    value: f64,
    replaced: Option<f64>,
    source: &str,
) -> String {
    let unit = if indicator.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", indicator.unit)
    };
    let day = steden_core::time::parse_date(date)
        .map(steden_core::time::format_naive_date)
        .unwrap_or_else(|| date.to_string());
    let mut text = format!(
        "Meting \"{}\" op {day}: {}{unit}",
        indicator.name,
        format_number(value, 6)
    );
    if let Some(old) = replaced {
        text.push_str(&format!(" (was {}{unit})", format_number(old, 6)));
    }
    text.push_str(&format!(" — uit {source}"));
    text
}
