//! Indicators in the database: their definition and targets (edited by editors), their
//! measurements (reported by editors and the item's owner), and the reads the pages need.
//!
//! Every measurement also leaves a progress update on its item (with `measurement_id` set and
//! status and progress untouched), so that the item's history shows who reported which value
//! and why. One indicator has at most one measurement per date: a second value for the same
//! date replaces the first, and the history says so.

use std::collections::HashMap;

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::{CoreError, FieldError};
use steden_db::{new_id, now_ms, Db, Tx};

use super::number::{format_number, parse_number};
use super::{health, Direction, Health, Indicator, IndicatorSeries, Measurement, Target};
use crate::store::updates::{self, NewUpdate};

/// How often an indicator is measured.
pub const FREQUENCIES: [&str; 4] = [
    "maandelijks",
    "driemaandelijks",
    "halfjaarlijks",
    "jaarlijks",
];

/// The most targets one indicator may have.
pub const TARGETS_MAX: usize = 20;

/// A measurement as posted (a form, the API, an import).
#[derive(Debug, Clone, Default)]
pub struct NewMeasurement {
    /// As typed: 'YYYY-MM-DD' or 'dd/mm/jjjj'.
    pub measured_on: String,
    /// As typed, Belgian or plain ("1.234,5" or "1234.5").
    pub value: String,
    pub comment: String,
    pub author_name: String,
}

/// An indicator's definition as an editor types it. Targets are lines "dd/mm/jjjj waarde".
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct IndicatorFields {
    pub name: String,
    pub unit: String,
    /// hoger | lager
    pub direction: String,
    pub baseline_value: String,
    pub baseline_date: String,
    /// One target a line: "31/12/2028 45" or "2028-12-31 1.234,5".
    pub targets: String,
    pub source: String,
    pub frequency: String,
    pub definition_key: String,
}

impl IndicatorFields {
    /// The fields of an existing indicator, for its edit form (numbers and dates the Belgian way).
    pub fn from_series(series: &IndicatorSeries) -> IndicatorFields {
        let i = &series.indicator;
        IndicatorFields {
            name: i.name.clone(),
            unit: i.unit.clone(),
            direction: i.direction.as_str().to_string(),
            baseline_value: format_number(i.baseline_value, 6),
            baseline_date: belgian_date(&i.baseline_date),
            targets: series
                .targets
                .iter()
                .map(|t| format!("{} {}", belgian_date(&t.date), format_number(t.value, 6)))
                .collect::<Vec<_>>()
                .join("\n"),
            source: i.source.clone(),
            frequency: i.frequency.clone(),
            definition_key: i.definition_key.clone(),
        }
    }
}

/// 'YYYY-MM-DD' as dd/mm/jjjj (unchanged when it is not a date).
pub fn belgian_date(date: &str) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(steden_core::time::format_naive_date)
        .unwrap_or_else(|_| date.to_string())
}

/// A typed date as 'YYYY-MM-DD'.
fn iso_date(text: &str) -> Option<String> {
    steden_core::time::parse_date(text).map(|d| d.format("%Y-%m-%d").to_string())
}

/// Checked fields.
#[derive(Debug, Clone)]
struct ValidIndicator {
    name: String,
    unit: String,
    direction: Direction,
    baseline_value: f64,
    baseline_date: String,
    targets: Vec<Target>,
    source: String,
    frequency: String,
    definition_key: String,
}

/// Reads target lines "dd/mm/jjjj waarde" (also "jjjj-mm-dd waarde", or with ';' between),
/// sorted by date; the Dutch message names the first line that is wrong.
pub fn parse_targets(text: &str) -> Result<Vec<Target>, String> {
    let mut targets: Vec<Target> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let number = index + 1;
        let (date, value) = line
            .split_once(|c: char| c.is_whitespace() || c == ';' || c == '\t')
            .ok_or_else(|| {
                format!("Regel {number}: geef een datum en een waarde, bv. \"31/12/2028 45\".")
            })?;
        let date = iso_date(date)
            .ok_or_else(|| format!("Regel {number}: \"{date}\" is geen datum (dd/mm/jjjj)."))?;
        let value = value.trim().trim_start_matches(';').trim();
        let value = parse_number(value)
            .ok_or_else(|| format!("Regel {number}: \"{value}\" is geen getal."))?;
        if targets.iter().any(|t| t.date == date) {
            return Err(format!(
                "Regel {number}: er is al een streefwaarde op {}.",
                belgian_date(&date)
            ));
        }
        targets.push(Target { date, value });
    }
    if targets.len() > TARGETS_MAX {
        return Err(format!("Geef hoogstens {TARGETS_MAX} streefwaarden."));
    }
    targets.sort_by(|a, b| a.date.cmp(&b.date));
    Ok(targets)
}

/// A definition key: lower case letters, digits and '-', '_', '.'.
fn clean_key(text: &str) -> Result<String, &'static str> {
    let key = text.trim().to_lowercase();
    if key.chars().count() > 60 {
        return Err("De gedeelde sleutel mag hoogstens 60 tekens lang zijn.");
    }
    if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(
            "Een gedeelde sleutel bevat enkel letters, cijfers, '-', '_' en '.' (geen spaties).",
        );
    }
    Ok(key)
}

fn validate(fields: &IndicatorFields) -> Result<ValidIndicator, CoreError> {
    let mut errors = Vec::new();
    let name = fields.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        errors.push(FieldError::new("name", "Geef de naam van de indicator."));
    } else if name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            "De naam mag hoogstens 200 tekens lang zijn.",
        ));
    }
    let direction = Direction::parse(fields.direction.trim());
    if direction.is_none() {
        errors.push(FieldError::new(
            "direction",
            "Kies of hoger of lager beter is.",
        ));
    }
    let baseline_value = parse_number(&fields.baseline_value);
    if baseline_value.is_none() {
        errors.push(FieldError::new(
            "baseline_value",
            "Geef de beginwaarde als getal, bv. 1.234,5.",
        ));
    }
    let baseline_date = iso_date(&fields.baseline_date);
    if baseline_date.is_none() {
        errors.push(FieldError::new(
            "baseline_date",
            "Geef de datum van de beginwaarde als dd/mm/jjjj.",
        ));
    }
    let targets = match parse_targets(&fields.targets) {
        Ok(targets) if targets.is_empty() => {
            errors.push(FieldError::new(
                "targets",
                "Geef minstens één streefwaarde: een datum en een waarde per regel.",
            ));
            targets
        }
        Ok(targets) => targets,
        Err(message) => {
            errors.push(FieldError::new("targets", message));
            Vec::new()
        }
    };
    if let (Some(baseline), Some(first)) = (&baseline_date, targets.first()) {
        if first.date.as_str() <= baseline.as_str() {
            errors.push(FieldError::new(
                "targets",
                "Elke streefwaarde ligt na de datum van de beginwaarde.",
            ));
        }
    }
    let frequency = match fields.frequency.trim() {
        "" => "jaarlijks".to_string(),
        f if FREQUENCIES.contains(&f) => f.to_string(),
        _ => {
            errors.push(FieldError::new("frequency", "Kies een geldige frequentie."));
            String::new()
        }
    };
    let definition_key = clean_key(&fields.definition_key).unwrap_or_else(|message| {
        errors.push(FieldError::new("definition_key", message));
        String::new()
    });
    for (field, value) in [("unit", &fields.unit), ("source", &fields.source)] {
        if value.trim().chars().count() > 200 {
            errors.push(FieldError::new(field, "Hoogstens 200 tekens."));
        }
    }
    match (direction, baseline_value, baseline_date) {
        (Some(direction), Some(baseline_value), Some(baseline_date)) if errors.is_empty() => {
            Ok(ValidIndicator {
                name,
                unit: fields.unit.trim().to_string(),
                direction,
                baseline_value,
                baseline_date,
                targets,
                source: fields.source.trim().to_string(),
                frequency,
                definition_key,
            })
        }
        _ => Err(CoreError::Invalid(errors)),
    }
}

async fn organisation_of(tx: &mut Tx<'_>, plan_id: &str) -> CoreResult<String> {
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

fn targets_text(targets: &[Target]) -> String {
    targets
        .iter()
        .map(|t| format!("{} {}", t.date, t.value))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Adds an indicator to an item.
pub async fn create(
    tx: &mut Tx<'_>,
    item_id: &str,
    fields: &IndicatorFields,
    actor: &AuditActor,
) -> CoreResult<Indicator> {
    let valid = validate(fields)?;
    let item = crate::store::items::get(&mut **tx, item_id)
        .await?
        .ok_or(CoreError::NotFound("item"))?;
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
    get(&mut **tx, &id)
        .await?
        .ok_or(CoreError::NotFound("indicator"))
}

/// Changes an indicator's definition and replaces its targets (its measurements stay).
pub async fn update(
    tx: &mut Tx<'_>,
    id: &str,
    fields: &IndicatorFields,
    actor: &AuditActor,
) -> CoreResult<Indicator> {
    let valid = validate(fields)?;
    let old = get(&mut **tx, id)
        .await?
        .ok_or(CoreError::NotFound("indicator"))?;
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
    get(&mut **tx, id)
        .await?
        .ok_or(CoreError::NotFound("indicator"))
}

/// Deletes an indicator with its targets and measurements.
pub async fn delete(tx: &mut Tx<'_>, id: &str, actor: &AuditActor) -> CoreResult<()> {
    let old = get(&mut **tx, id)
        .await?
        .ok_or(CoreError::NotFound("indicator"))?;
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

/// Checked measurement input.
fn validate_measurement(m: &NewMeasurement) -> Result<(String, f64, String), CoreError> {
    let mut errors = Vec::new();
    let date = if m.measured_on.trim().is_empty() {
        errors.push(FieldError::new(
            "measured_on",
            "Geef de datum van de meting.",
        ));
        None
    } else {
        let date = iso_date(&m.measured_on);
        if date.is_none() {
            errors.push(FieldError::new(
                "measured_on",
                "Geef de datum van de meting als dd/mm/jjjj.",
            ));
        }
        date
    };
    let value = parse_number(&m.value);
    if value.is_none() {
        errors.push(FieldError::new(
            "value",
            "Geef de gemeten waarde als getal, bv. 1.234,5 of 12,5.",
        ));
    }
    let comment = m.comment.trim().to_string();
    if comment.chars().count() > 4000 {
        errors.push(FieldError::new(
            "comment",
            "Een opmerking mag hoogstens 4.000 tekens lang zijn.",
        ));
    }
    match (date, value) {
        (Some(date), Some(value)) if errors.is_empty() => Ok((date, value, comment)),
        _ => Err(CoreError::Invalid(errors)),
    }
}

/// The text of a measurement in the item's history.
fn history_text(
    indicator: &Indicator,
    date: &str,
    value: f64,
    replaced: Option<f64>,
    comment: &str,
) -> String {
    let unit = if indicator.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", indicator.unit)
    };
    let mut text = format!(
        "Meting \"{}\" op {}: {}{unit}",
        indicator.name,
        belgian_date(date),
        format_number(value, 6)
    );
    if let Some(old) = replaced {
        text.push_str(&format!(
            " (vervangt de vorige waarde {}{unit} van die datum)",
            format_number(old, 6)
        ));
    }
    if !comment.is_empty() {
        text.push_str(" — ");
        text.push_str(comment);
    }
    text
}

/// Adds a measurement (and a progress update with its comment to the item's history). A
/// measurement on a date that already has one replaces its value.
pub async fn add_measurement(
    tx: &mut Tx<'_>,
    indicator_id: &str,
    measurement: &NewMeasurement,
    actor: &AuditActor,
) -> CoreResult<Measurement> {
    let indicator = get(&mut **tx, indicator_id)
        .await?
        .ok_or(CoreError::NotFound("indicator"))?;
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
    self::measurement(&mut **tx, &id)
        .await?
        .ok_or(CoreError::NotFound("measurement"))
}

/// Deletes a measurement, with its line in the item's history.
pub async fn delete_measurement(
    tx: &mut Tx<'_>,
    measurement_id: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    let old = self::measurement(&mut **tx, measurement_id)
        .await?
        .ok_or(CoreError::NotFound("measurement"))?;
    let indicator = get(&mut **tx, &old.indicator_id)
        .await?
        .ok_or(CoreError::NotFound("indicator"))?;
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

const MEASUREMENT_COLUMNS: &str = "m.id, m.indicator_id, m.measured_on, m.value, m.comment, \
     COALESCE(u.name, m.author_name) AS author, m.created_at";

const MEASUREMENT_FROM: &str =
    "FROM plan_measurements m LEFT JOIN person_names u ON u.id = m.author_user_id";

fn measurement_from_row(row: &sqlx::any::AnyRow) -> Result<Measurement, sqlx::Error> {
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

/// One indicator.
pub async fn get<'e>(
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

/// One measurement.
pub async fn measurement<'e>(
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
async fn series_where(db: &Db, filter: &str, param: &str) -> CoreResult<Vec<IndicatorSeries>> {
    let pool = db.pool();
    let rows = sqlx::query(&format!(
        "SELECT {INDICATOR_COLUMNS} FROM plan_indicators n JOIN plan_items i ON i.id = n.item_id
         WHERE {filter} ORDER BY i.code, n.name, n.id"
    ))
    .bind(param)
    .fetch_all(pool)
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
    .fetch_all(pool)
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
    .fetch_all(pool)
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
pub async fn list_for_plan(db: &Db, plan_id: &str) -> CoreResult<Vec<IndicatorSeries>> {
    series_where(db, "n.plan_id = $1", plan_id).await
}

/// The indicators of one item, with their series.
pub async fn for_item(db: &Db, item_id: &str) -> CoreResult<Vec<IndicatorSeries>> {
    series_where(db, "n.item_id = $1", item_id).await
}

/// One indicator with its series.
pub async fn series(db: &Db, indicator_id: &str) -> CoreResult<Option<IndicatorSeries>> {
    Ok(series_where(db, "n.id = $1", indicator_id)
        .await?
        .into_iter()
        .next())
}

/// Every indicator that shares the definition `key`, across organisations (none for '').
pub async fn series_by_definition(db: &Db, key: &str) -> CoreResult<Vec<IndicatorSeries>> {
    if key.trim().is_empty() {
        return Ok(Vec::new());
    }
    series_where(db, "n.definition_key = $1", key).await
}

/// How many indicators of a plan are "niet op koers" today.
pub async fn off_track_count(db: &Db, plan_id: &str) -> CoreResult<i64> {
    let today = crate::store::today();
    let count = list_for_plan(db, plan_id)
        .await?
        .iter()
        .filter(|s| health::health(s, &today) == Some(Health::NietOpKoers))
        .count();
    Ok(count as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_lines() {
        let targets = parse_targets("31/12/2030 1.234,5\n\n2028-12-31;40\n").unwrap();
        assert_eq!(
            targets,
            vec![
                Target {
                    date: "2028-12-31".into(),
                    value: 40.0
                },
                Target {
                    date: "2030-12-31".into(),
                    value: 1234.5
                },
            ]
        );
        let err = parse_targets("31/12/2030 40\n31/13/2031 50").unwrap_err();
        assert!(err.starts_with("Regel 2"), "{err}");
        assert!(parse_targets("31/12/2030").unwrap_err().contains("Regel 1"));
        assert!(parse_targets("31/12/2030 veel")
            .unwrap_err()
            .contains("geen getal"));
        assert!(parse_targets("31/12/2030 1\n2030-12-31 2").is_err());
    }

    #[test]
    fn refused_fields_name_each_field() {
        let fields = IndicatorFields {
            name: " ".into(),
            direction: "beter".into(),
            baseline_value: "abc".into(),
            baseline_date: "morgen".into(),
            targets: String::new(),
            frequency: "wekelijks".into(),
            definition_key: "met spatie".into(),
            ..IndicatorFields::default()
        };
        let Err(CoreError::Invalid(errors)) = validate(&fields) else {
            panic!("accepted");
        };
        let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "name",
            "direction",
            "baseline_value",
            "baseline_date",
            "targets",
            "frequency",
            "definition_key",
        ] {
            assert!(names.contains(&field), "{field} in {names:?}");
        }
    }

    #[test]
    fn a_target_before_the_baseline_is_refused() {
        let fields = IndicatorFields {
            name: "Fietsers".into(),
            direction: "hoger".into(),
            baseline_value: "10".into(),
            baseline_date: "01/01/2026".into(),
            targets: "01/01/2025 20".into(),
            ..IndicatorFields::default()
        };
        assert!(matches!(validate(&fields), Err(CoreError::Invalid(e)) if e[0].field == "targets"));
    }
}
