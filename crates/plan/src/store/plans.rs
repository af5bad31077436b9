//! Plans and their levels: create, read, change, publish, and start a new period as a copy.

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::ConstraintViolation;
use steden_core::{CoreError, FieldError};
use steden_db::{flag, new_id, now_ms, Tx};

use super::{parse_date_field, strings_from_json, strings_to_json};
use crate::model::{Plan, PlanKind, PlanStatus, PublishedField};

/// What an editor fills in for a plan (creating or changing it).
#[derive(Debug, Clone, Default)]
pub struct PlanFields {
    pub kind: String,
    pub title: String,
    pub description: String,
    /// As typed: 'YYYY-MM-DD' or 'dd/mm/jjjj'.
    pub period_start: String,
    pub period_end: String,
    pub status: String,
}

/// Checked plan fields.
struct ValidPlan {
    kind: PlanKind,
    title: String,
    description: String,
    period_start: String,
    period_end: String,
    status: PlanStatus,
}

fn validate(fields: &PlanFields) -> Result<ValidPlan, CoreError> {
    let mut errors = Vec::new();
    let kind = PlanKind::parse(fields.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "Kies het soort plan."));
    }
    let title = fields.title.trim().to_string();
    if title.is_empty() {
        errors.push(FieldError::new("title", "Geef het plan een titel."));
    } else if title.chars().count() > 200 {
        errors.push(FieldError::new(
            "title",
            "De titel mag hoogstens 200 tekens lang zijn.",
        ));
    }
    let status = if fields.status.trim().is_empty() {
        Some(PlanStatus::Ontwerp)
    } else {
        PlanStatus::parse(fields.status.trim())
    };
    if status.is_none() {
        errors.push(FieldError::new("status", "Kies een geldige status."));
    }
    let mut date = |name: &str, value: &str| match parse_date_field(value) {
        Ok(Some(date)) => Some(date),
        Ok(None) => {
            errors.push(FieldError::new(name, "Vul deze datum in."));
            None
        }
        Err(message) => {
            errors.push(FieldError::new(name, message));
            None
        }
    };
    let start = date("period_start", &fields.period_start);
    let end = date("period_end", &fields.period_end);
    if let (Some(start), Some(end)) = (&start, &end) {
        if end < start {
            errors.push(FieldError::new(
                "period_end",
                "Het einde van de periode ligt vóór het begin.",
            ));
        }
    }
    match (kind, status, start, end) {
        (Some(kind), Some(status), Some(period_start), Some(period_end)) if errors.is_empty() => {
            Ok(ValidPlan {
                kind,
                title,
                description: fields.description.trim().to_string(),
                period_start,
                period_end,
                status,
            })
        }
        _ => Err(CoreError::Invalid(errors)),
    }
}

/// Checks level names: at least one, none empty, at most 8.
pub fn validate_levels(levels: &[String]) -> Result<Vec<String>, CoreError> {
    let levels: Vec<String> = levels
        .iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if levels.is_empty() {
        return Err(CoreError::invalid("levels", "Geef minstens één niveau."));
    }
    if levels.len() > 8 {
        return Err(CoreError::invalid(
            "levels",
            "Een plan heeft hoogstens acht niveaus.",
        ));
    }
    if levels.iter().any(|l| l.chars().count() > 60) {
        return Err(CoreError::invalid(
            "levels",
            "Een niveaunaam mag hoogstens 60 tekens lang zijn.",
        ));
    }
    Ok(levels)
}

const PLAN_COLUMNS: &str =
    "id, organisation_id, kind, title, description, period_start, period_end, status, \
     is_demo, copied_from_id, published, published_fields, created_at, updated_at";

fn plan_from_row(row: &sqlx::any::AnyRow) -> Result<Plan, sqlx::Error> {
    Ok(Plan {
        id: row.try_get("id")?,
        organisation_id: row.try_get("organisation_id")?,
        kind: PlanKind::parse(&row.try_get::<String, _>("kind")?).unwrap_or(PlanKind::Jaarplan),
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        period_start: row.try_get("period_start")?,
        period_end: row.try_get("period_end")?,
        status: PlanStatus::parse(&row.try_get::<String, _>("status")?)
            .unwrap_or(PlanStatus::Ontwerp),
        is_demo: flag::from_db(row.try_get("is_demo")?),
        copied_from_id: row.try_get("copied_from_id")?,
        published: flag::from_db(row.try_get("published")?),
        published_fields: strings_from_json(&row.try_get::<String, _>("published_fields")?)
            .iter()
            .filter_map(|f| PublishedField::parse(f))
            .collect(),
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        levels: Vec::new(),
    })
}

async fn levels_of<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM plan_levels WHERE plan_id = $1 ORDER BY depth")
        .bind(plan_id)
        .fetch_all(executor)
        .await
}

/// The level names of every plan, top first, by plan id (one query, for lists).
pub async fn levels_by_plan<'e>(
    executor: impl Executor<'e, Database = Any>,
) -> CoreResult<std::collections::HashMap<String, Vec<String>>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT plan_id, name FROM plan_levels ORDER BY plan_id, depth")
            .fetch_all(executor)
            .await?;
    let mut levels: std::collections::HashMap<String, Vec<String>> = Default::default();
    for (plan_id, name) in rows {
        levels.entry(plan_id).or_default().push(name);
    }
    Ok(levels)
}

/// One plan (several queries, hence a connection); fails with `NotFound` when there is none.
pub async fn get_on(conn: &mut sqlx::AnyConnection, id: &str) -> CoreResult<Plan> {
    find_on(conn, id).await?.ok_or(CoreError::NotFound("plan"))
}

/// A plan with its levels.
pub async fn find_on(tx: &mut sqlx::AnyConnection, id: &str) -> CoreResult<Option<Plan>> {
    let row = sqlx::query(&format!(
        "SELECT {PLAN_COLUMNS} FROM plan_plans WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut plan = plan_from_row(&row)?;
    plan.levels = levels_of(&mut *tx, id).await?;
    Ok(Some(plan))
}

/// The organisation a plan belongs to (for audit entries and permission checks of writes
/// that start from a plan id).
pub async fn organisation_of<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<String> {
    sqlx::query_scalar("SELECT organisation_id FROM plan_plans WHERE id = $1")
        .bind(plan_id)
        .fetch_optional(executor)
        .await?
        .ok_or(CoreError::NotFound("plan"))
}

/// Whether the organisation has a plan with this title.
pub async fn exists_with_title<'e>(
    executor: impl Executor<'e, Database = Any>,
    organisation_id: &str,
    title: &str,
) -> CoreResult<bool> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM plan_plans WHERE organisation_id = $1 AND title = $2",
    )
    .bind(organisation_id)
    .bind(title)
    .fetch_one(executor)
    .await?;
    Ok(count > 0)
}

/// A plan's title, if the plan exists.
pub async fn find_title<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT title FROM plan_plans WHERE id = $1")
            .bind(plan_id)
            .fetch_optional(executor)
            .await?,
    )
}

/// [`find_on`] on a connection from the pool.
pub async fn find(pool: &sqlx::AnyPool, id: &str) -> CoreResult<Option<Plan>> {
    let mut conn = pool.acquire().await?;
    find_on(&mut conn, id).await
}

/// The plans of the given organisations (all plans when `None`), newest period first. Levels
/// are not loaded.
pub async fn list(
    db: &steden_db::Db,
    organisation_ids: Option<&[String]>,
) -> CoreResult<Vec<Plan>> {
    let rows = sqlx::query(&format!(
        "SELECT {PLAN_COLUMNS} FROM plan_plans ORDER BY period_start DESC, title"
    ))
    .fetch_all(db.pool())
    .await?;
    let mut plans = Vec::new();
    for row in &rows {
        let plan = plan_from_row(row)?;
        if organisation_ids.is_none_or(|ids| ids.contains(&plan.organisation_id)) {
            plans.push(plan);
        }
    }
    Ok(plans)
}

/// The published plans (for the public pages), newest first.
pub async fn list_published(db: &steden_db::Db) -> CoreResult<Vec<Plan>> {
    let rows = sqlx::query(&format!(
        "SELECT {PLAN_COLUMNS} FROM plan_plans WHERE published = 1 ORDER BY period_start DESC, title"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(plan_from_row).collect::<Result<_, _>>()?)
}

/// The published plans of one organisation, newest period first (levels not loaded): the
/// structure other modules may link to (`crate::site::published_structure`).
pub async fn list_published_of<'e>(
    executor: impl Executor<'e, Database = Any>,
    organisation_id: &str,
) -> CoreResult<Vec<Plan>> {
    let rows = sqlx::query(&format!(
        "SELECT {PLAN_COLUMNS} FROM plan_plans WHERE published = 1 AND organisation_id = $1
         ORDER BY period_start DESC, created_at DESC, id"
    ))
    .bind(organisation_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(plan_from_row).collect::<Result<_, _>>()?)
}

/// Creates a plan with its level names; `is_demo` marks content made up for the demo.
pub async fn create(
    tx: &mut Tx<'_>,
    organisation_id: &str,
    fields: &PlanFields,
    levels: &[String],
    is_demo: bool,
    actor: &AuditActor,
) -> CoreResult<Plan> {
    let valid = validate(fields);
    let levels = validate_levels(levels);
    let (valid, levels) = match (valid, levels) {
        (Ok(v), Ok(l)) => (v, l),
        (Err(CoreError::Invalid(mut a)), Err(CoreError::Invalid(b))) => {
            a.extend(b);
            return Err(CoreError::Invalid(a));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO plan_plans (id, organisation_id, kind, title, description, period_start,
             period_end, status, is_demo, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(&id)
    .bind(organisation_id)
    .bind(valid.kind.as_str())
    .bind(&valid.title)
    .bind(&valid.description)
    .bind(&valid.period_start)
    .bind(&valid.period_end)
    .bind(valid.status.as_str())
    .bind(flag::to_db(is_demo))
    .bind(actor.user_id.as_deref())
    .bind(now)
    .execute(&mut **tx)
    .await
    .on_foreign_key_with(|| CoreError::NotFound("organisatie"))?;
    write_levels(tx, &id, &levels).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "plan",
            entity_id: &id,
            action: "create",
            summary: &format!("Plan ‘{}’ aangemaakt", valid.title),
            changes: Changes::new()
                .field("title", "", valid.title.as_str())
                .field("kind", "", valid.kind.as_str()),
        },
    )
    .await?;
    get_on(tx, &id).await
}

async fn write_levels(tx: &mut Tx<'_>, plan_id: &str, levels: &[String]) -> CoreResult<()> {
    sqlx::query("DELETE FROM plan_levels WHERE plan_id = $1")
        .bind(plan_id)
        .execute(&mut **tx)
        .await?;
    for (depth, name) in levels.iter().enumerate() {
        sqlx::query("INSERT INTO plan_levels (plan_id, depth, name) VALUES ($1, $2, $3)")
            .bind(plan_id)
            .bind(depth as i64)
            .bind(name)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Changes a plan's fields.
pub async fn update(
    tx: &mut Tx<'_>,
    id: &str,
    fields: &PlanFields,
    actor: &AuditActor,
) -> CoreResult<Plan> {
    let old = get_on(tx, id).await?;
    let valid = validate(fields)?;
    sqlx::query(
        "UPDATE plan_plans SET kind = $2, title = $3, description = $4, period_start = $5,
             period_end = $6, status = $7, updated_at = $8 WHERE id = $1",
    )
    .bind(id)
    .bind(valid.kind.as_str())
    .bind(&valid.title)
    .bind(&valid.description)
    .bind(&valid.period_start)
    .bind(&valid.period_end)
    .bind(valid.status.as_str())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&old.organisation_id),
            entity_type: "plan",
            entity_id: id,
            action: "update",
            summary: &format!("Plan ‘{}’ gewijzigd", valid.title),
            changes: Changes::new()
                .field("title", old.title.as_str(), valid.title.as_str())
                .field("kind", old.kind.as_str(), valid.kind.as_str())
                .field("status", old.status.as_str(), valid.status.as_str())
                .field(
                    "description",
                    old.description.as_str(),
                    valid.description.as_str(),
                )
                .field(
                    "period_start",
                    old.period_start.as_str(),
                    valid.period_start.as_str(),
                )
                .field(
                    "period_end",
                    old.period_end.as_str(),
                    valid.period_end.as_str(),
                ),
        },
    )
    .await?;
    get_on(tx, id).await
}

/// Renames the levels (an editor's own level names). The number of levels may not drop below
/// the depth the plan's items use.
pub async fn set_levels(
    tx: &mut Tx<'_>,
    id: &str,
    levels: &[String],
    actor: &AuditActor,
) -> CoreResult<()> {
    let old = get_on(tx, id).await?;
    let levels = validate_levels(levels)?;
    let deepest: Option<i64> =
        sqlx::query_scalar("SELECT MAX(level) FROM plan_items WHERE plan_id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    if let Some(deepest) = deepest {
        if (levels.len() as i64) <= deepest {
            return Err(CoreError::invalid(
                "levels",
                &format!(
                    "Dit plan heeft items op {} niveaus; geef minstens zoveel niveaunamen.",
                    deepest + 1
                ),
            ));
        }
    }
    write_levels(tx, id, &levels).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&old.organisation_id),
            entity_type: "plan",
            entity_id: id,
            action: "update",
            summary: "Niveaus van het plan gewijzigd",
            changes: Changes::new().field("levels", &old.levels, &levels),
        },
    )
    .await?;
    Ok(())
}

/// Publishes a plan (or takes it offline) with the fields the public page may show.
pub async fn set_publication(
    tx: &mut Tx<'_>,
    id: &str,
    published: bool,
    fields: &[PublishedField],
    actor: &AuditActor,
) -> CoreResult<()> {
    let old = get_on(tx, id).await?;
    let names: Vec<String> = fields.iter().map(|f| f.as_str().to_string()).collect();
    let old_names: Vec<String> = old
        .published_fields
        .iter()
        .map(|f| f.as_str().to_string())
        .collect();
    sqlx::query(
        "UPDATE plan_plans SET published = $2, published_fields = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(flag::to_db(published))
    .bind(strings_to_json(&names))
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&old.organisation_id),
            entity_type: "plan",
            entity_id: id,
            action: if published { "publish" } else { "unpublish" },
            summary: if published {
                "Plan gepubliceerd"
            } else {
                "Publicatie van het plan ingetrokken"
            },
            changes: Changes::new()
                .field("published", old.published, published)
                .field("published_fields", old_names, names),
        },
    )
    .await?;
    Ok(())
}

/// Starts a plan for a new period as a copy of `source_id`: levels, items (same codes, texts,
/// owners, weights, themes, prioritair; status and progress start over), indicators with their
/// targets (not their measurements). One transaction; returns the new plan.
pub async fn copy(
    tx: &mut Tx<'_>,
    source_id: &str,
    fields: &PlanFields,
    actor: &AuditActor,
) -> CoreResult<Plan> {
    let source = get_on(tx, source_id).await?;
    let plan = create(
        tx,
        &source.organisation_id,
        fields,
        &source.levels,
        source.is_demo,
        actor,
    )
    .await?;
    sqlx::query("UPDATE plan_plans SET copied_from_id = $2 WHERE id = $1")
        .bind(&plan.id)
        .bind(source_id)
        .execute(&mut **tx)
        .await?;
    // Slugs are stored first, so that the copy carries the same ones (see `crate::slug`).
    super::slugs::fill(tx, source_id).await?;
    // Items in depth order, so that every parent exists before its children; archived items
    // stay behind in the period they were stopped in.
    let rows = sqlx::query(
        "SELECT id, parent_id FROM plan_items WHERE plan_id = $1 AND archived_at IS NULL
         ORDER BY depth, position",
    )
    .bind(source_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut new_ids = std::collections::HashMap::new();
    let now = now_ms();
    for row in &rows {
        let old_id: String = row.try_get("id")?;
        let old_parent: Option<String> = row.try_get("parent_id")?;
        let id = new_id();
        let parent = old_parent.and_then(|p| new_ids.get(&p).cloned());
        sqlx::query(
            "INSERT INTO plan_items (id, plan_id, parent_id, depth, position, code, title,
                 description, owner_user_id, owner_name, responsible_service, partners,
                 start_date, end_date, prioritair_own, prioritair, beleidsveld, themes, status,
                 progress, weight, internal_code, created_at, updated_at, level, slug)
             SELECT $1, $2, $3, depth, position, code, title, description, owner_user_id,
                 owner_name, responsible_service, partners, NULL, NULL, prioritair_own,
                 prioritair, beleidsveld, themes, 'niet_gestart', 0, weight, internal_code, $4, $4,
                 level, slug
             FROM plan_items WHERE id = $5",
        )
        .bind(&id)
        .bind(&plan.id)
        .bind(parent)
        .bind(now)
        .bind(&old_id)
        .execute(&mut **tx)
        .await?;
        new_ids.insert(old_id, id);
    }
    let indicators = sqlx::query("SELECT id, item_id FROM plan_indicators WHERE plan_id = $1")
        .bind(source_id)
        .fetch_all(&mut **tx)
        .await?;
    for row in &indicators {
        let old_id: String = row.try_get("id")?;
        let old_item: String = row.try_get("item_id")?;
        let Some(item) = new_ids.get(&old_item) else {
            continue;
        };
        let id = new_id();
        sqlx::query(
            "INSERT INTO plan_indicators (id, plan_id, item_id, definition_key, name, unit,
                 direction, baseline_value, baseline_date, source, frequency, created_at, updated_at)
             SELECT $1, $2, $3, definition_key, name, unit, direction, baseline_value,
                 baseline_date, source, frequency, $4, $4
             FROM plan_indicators WHERE id = $5",
        )
        .bind(&id)
        .bind(&plan.id)
        .bind(item)
        .bind(now)
        .bind(&old_id)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO plan_indicator_targets (indicator_id, target_date, value)
             SELECT $1, target_date, value FROM plan_indicator_targets WHERE indicator_id = $2",
        )
        .bind(&id)
        .bind(&old_id)
        .execute(&mut **tx)
        .await?;
    }
    super::rollup::recompute_plan(tx, &plan.id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&plan.organisation_id),
            entity_type: "plan",
            entity_id: &plan.id,
            action: "copy",
            summary: &format!(
                "Plan aangemaakt als kopie van ‘{}’ ({} items)",
                source.title,
                rows.len()
            ),
            changes: Changes::new().field("copied_from_id", "", source_id),
        },
    )
    .await?;
    get_on(tx, &plan.id).await
}
