//! Releases in the database: freezing a plan into a snapshot, the release rows, and the one
//! change a release allows (publishing). See [`crate::release`] for what a release is and how
//! its immutability is kept.

use std::collections::HashMap;

use sqlx::{Acquire, Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::{CoreError, FieldError};
use steden_db::{flag, new_id, now_ms, Tx};

use super::parse_date_field;
use crate::indicators::health;
use crate::model::releases::{
    AmountSnapshot, IndicatorSnapshot, ItemSnapshot, KwestieSnapshot, MeasurementSnapshot,
    PlanSnapshot, Release, ReleaseSnapshot, ReleaseSummary, TargetSnapshot, NAME_MAX,
    SNAPSHOT_VERSION,
};

fn validate(name: &str, as_of: &str) -> Result<(String, String), CoreError> {
    let mut errors = Vec::new();
    let name = name.trim().to_string();
    if name.is_empty() {
        errors.push(FieldError::new("name", "Geef de release een naam."));
    } else if name.chars().count() > NAME_MAX {
        errors.push(FieldError::new(
            "name",
            "De naam mag hoogstens 200 tekens lang zijn.",
        ));
    }
    let date = match parse_date_field(as_of) {
        Ok(Some(date)) => Some(date),
        Ok(None) => {
            errors.push(FieldError::new("as_of", "Vul de datum van de release in."));
            None
        }
        Err(message) => {
            errors.push(FieldError::new("as_of", message));
            None
        }
    };
    match date {
        Some(date) if errors.is_empty() => Ok((name, date)),
        _ => Err(CoreError::Invalid(errors)),
    }
}

/// Freezes the plan at `as_of` (as typed: 'YYYY-MM-DD' or 'dd/mm/jjjj') into a new release.
pub async fn create(
    tx: &mut Tx<'_>,
    plan_id: &str,
    name: &str,
    as_of: &str,
    actor: &AuditActor,
) -> CoreResult<Release> {
    let (name, as_of) = validate(name, as_of)?;
    let snapshot = build(tx, plan_id, &as_of).await?;
    let json = serde_json::to_string(&snapshot)
        .map_err(|e| CoreError::Internal(anyhow::anyhow!("snapshot: {e}")))?;
    let id = new_id();
    let created_at = now_ms();
    sqlx::query(
        "INSERT INTO plan_releases (id, plan_id, name, as_of, snapshot, published, created_by,
             created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(plan_id)
    .bind(&name)
    .bind(&as_of)
    .bind(&json)
    .bind(flag::to_db(false))
    .bind(actor.user_id.as_deref())
    .bind(created_at)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&snapshot.plan.organisation_id),
            entity_type: "plan_release",
            entity_id: &id,
            action: "create",
            summary: "Release van het plan gemaakt",
            changes: Changes::new()
                .created("name", &name)
                .created("as_of", &as_of)
                .created("plan_id", plan_id),
        },
    )
    .await?;
    Ok(Release {
        summary: ReleaseSummary {
            id,
            plan_id: plan_id.to_string(),
            name,
            as_of,
            published: false,
            created_at,
        },
        snapshot,
    })
}

fn summary_from_row(row: &sqlx::any::AnyRow) -> Result<ReleaseSummary, sqlx::Error> {
    Ok(ReleaseSummary {
        id: row.try_get("id")?,
        plan_id: row.try_get("plan_id")?,
        name: row.try_get("name")?,
        as_of: row.try_get("as_of")?,
        published: flag::from_db(row.try_get("published")?),
        created_at: row.try_get("created_at")?,
    })
}

/// The releases of a plan, newest date first.
pub async fn list<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<Vec<ReleaseSummary>> {
    let rows = sqlx::query(
        "SELECT id, plan_id, name, as_of, published, created_at FROM plan_releases
         WHERE plan_id = $1 ORDER BY as_of DESC, created_at DESC",
    )
    .bind(plan_id)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(summary_from_row)
        .collect::<Result<_, _>>()?)
}

/// One release with its snapshot; fails with `NotFound` when there is none.
pub async fn get<'e>(executor: impl Executor<'e, Database = Any>, id: &str) -> CoreResult<Release> {
    find(executor, id)
        .await?
        .ok_or(CoreError::NotFound("release"))
}

/// One release with its snapshot, if there is one.
pub async fn find<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: &str,
) -> CoreResult<Option<Release>> {
    let row = sqlx::query(
        "SELECT id, plan_id, name, as_of, published, created_at, snapshot FROM plan_releases
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(executor)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let summary = summary_from_row(&row)?;
    let snapshot = ReleaseSnapshot::from_json(&row.try_get::<String, _>("snapshot")?)?;
    Ok(Some(Release { summary, snapshot }))
}

/// How many releases a plan has.
pub async fn count_for_plan<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM plan_releases WHERE plan_id = $1")
            .bind(plan_id)
            .fetch_one(executor)
            .await?,
    )
}

/// One page of a plan's releases, newest made first (the API's order).
pub async fn page_for_plan<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
    limit: i64,
    offset: i64,
) -> CoreResult<Vec<ReleaseSummary>> {
    let rows = sqlx::query(
        "SELECT id, plan_id, name, as_of, published, created_at FROM plan_releases
         WHERE plan_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(plan_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(summary_from_row)
        .collect::<Result<_, _>>()?)
}

/// Publishes a release on the public pages (or takes it offline). The only change a release
/// allows.
pub async fn set_published(
    tx: &mut Tx<'_>,
    id: &str,
    published: bool,
    actor: &AuditActor,
) -> CoreResult<()> {
    let row = sqlx::query(
        "SELECT r.published, p.organisation_id FROM plan_releases r
         JOIN plan_plans p ON p.id = r.plan_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(CoreError::NotFound("release"))?;
    let old = flag::from_db(row.try_get("published")?);
    let organisation_id: String = row.try_get("organisation_id")?;
    sqlx::query("UPDATE plan_releases SET published = $2 WHERE id = $1")
        .bind(id)
        .bind(flag::to_db(published))
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan_release",
            entity_id: id,
            action: if published { "publish" } else { "unpublish" },
            summary: if published {
                "Release gepubliceerd"
            } else {
                "Publicatie van de release ingetrokken"
            },
            changes: Changes::new().field("published", old, published),
        },
    )
    .await?;
    Ok(())
}

/// Reads the plan (in a transaction's connection, for a release) and freezes it at `as_of`
/// ('YYYY-MM-DD').
///
/// It runs several queries on one connection, so it takes that connection (a generic
/// `Acquire` over a transaction's connection makes the handlers' futures lose `Send`).
pub(crate) async fn build(
    conn: &mut sqlx::AnyConnection,
    plan_id: &str,
    as_of: &str,
) -> CoreResult<ReleaseSnapshot> {
    let plan = super::plans::get_on(&mut *conn, plan_id).await?;
    let organisation_name: String =
        sqlx::query_scalar("SELECT name FROM organisation_names WHERE id = $1")
            .bind(&plan.organisation_id)
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or_default();
    let items: Vec<ItemSnapshot> = super::items::list_for_plan(&mut *conn, plan_id)
        .await?
        .into_iter()
        .map(|i| ItemSnapshot {
            id: i.id,
            parent_id: i.parent_id,
            depth: i.depth,
            level: Some(i.level),
            code: i.code,
            title: i.title,
            description: i.description,
            owner_name: i.owner_name,
            responsible_service: i.responsible_service,
            start_date: i.start_date,
            end_date: i.end_date,
            prioritair: i.prioritair,
            themes: i.themes,
            status: i.status,
            progress: i.progress,
        })
        .collect();
    let codes: HashMap<String, String> = items
        .iter()
        .map(|i| (i.id.clone(), i.code.clone()))
        .collect();
    let indicators = indicators_at(conn, plan_id, as_of, &codes).await?;
    let kwesties = kwesties_of(conn, plan_id, &codes).await?;
    let amounts = amounts_of(conn, plan_id, &codes).await?;
    Ok(ReleaseSnapshot {
        version: SNAPSHOT_VERSION,
        as_of: as_of.to_string(),
        plan: PlanSnapshot {
            id: plan.id,
            title: plan.title,
            description: plan.description,
            kind: plan.kind.as_str().to_string(),
            period_start: plan.period_start,
            period_end: plan.period_end,
            levels: plan.levels,
            organisation_id: plan.organisation_id,
            organisation_name,
        },
        items,
        indicators,
        kwesties,
        amounts,
    })
}

fn code_of(codes: &HashMap<String, String>, item_id: &str) -> String {
    codes.get(item_id).cloned().unwrap_or_default()
}

/// The indicators with targets, the measurements up to `as_of` and their health then, in
/// item code order.
async fn indicators_at(
    conn: &mut sqlx::AnyConnection,
    plan_id: &str,
    as_of: &str,
    codes: &HashMap<String, String>,
) -> CoreResult<Vec<IndicatorSnapshot>> {
    let rows = sqlx::query(
        "SELECT id, item_id, name, unit, direction, baseline_value, baseline_date, source,
             frequency FROM plan_indicators WHERE plan_id = $1 ORDER BY name, id",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let id: String = row.try_get("id")?;
        let item_id: String = row.try_get("item_id")?;
        let targets = sqlx::query(
            "SELECT target_date, value FROM plan_indicator_targets WHERE indicator_id = $1
             ORDER BY target_date",
        )
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(TargetSnapshot {
                date: r.try_get("target_date")?,
                value: r.try_get("value")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let measurements = sqlx::query(
            "SELECT m.measured_on, m.value, m.comment, COALESCE(u.name, m.author_name) AS author
             FROM plan_measurements m LEFT JOIN person_names u ON u.id = m.author_user_id
             WHERE m.indicator_id = $1 AND m.measured_on <= $2
             ORDER BY m.measured_on, m.created_at",
        )
        .bind(&id)
        .bind(as_of)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(MeasurementSnapshot {
                measured_on: r.try_get("measured_on")?,
                value: r.try_get("value")?,
                comment: r.try_get("comment")?,
                author: r.try_get("author")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let mut snapshot = IndicatorSnapshot {
            item_code: code_of(codes, &item_id),
            id,
            item_id,
            name: row.try_get("name")?,
            unit: row.try_get("unit")?,
            direction: row.try_get("direction")?,
            baseline_value: row.try_get("baseline_value")?,
            baseline_date: row.try_get("baseline_date")?,
            source: row.try_get("source")?,
            frequency: row.try_get("frequency")?,
            targets,
            measurements,
            health: None,
        };
        snapshot.health = health::health(&snapshot.to_series(), as_of).map(|h| h.as_str().into());
        out.push(snapshot);
    }
    out.sort_by(|a, b| a.item_code.cmp(&b.item_code).then(a.name.cmp(&b.name)));
    Ok(out)
}

async fn kwesties_of(
    conn: &mut sqlx::AnyConnection,
    plan_id: &str,
    codes: &HashMap<String, String>,
) -> CoreResult<Vec<KwestieSnapshot>> {
    let rows = sqlx::query(
        "SELECT k.id, k.item_id, k.kind, k.title, k.description, k.severity,
             COALESCE(u.name, '') AS owner_name, k.due_date, k.status, k.created_at, k.updated_at
         FROM plan_kwesties k LEFT JOIN person_names u ON u.id = k.owner_user_id
         WHERE k.plan_id = $1 ORDER BY k.created_at, k.id",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let item_id: String = row.try_get("item_id")?;
        out.push(KwestieSnapshot {
            id: row.try_get("id")?,
            item_code: code_of(codes, &item_id),
            item_id,
            kind: row.try_get("kind")?,
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            severity: row.try_get("severity")?,
            owner_name: row.try_get("owner_name")?,
            due_date: row.try_get("due_date")?,
            status: row.try_get("status")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        });
    }
    Ok(out)
}

async fn amounts_of(
    conn: &mut sqlx::AnyConnection,
    plan_id: &str,
    codes: &HashMap<String, String>,
) -> CoreResult<Vec<AmountSnapshot>> {
    let rows = sqlx::query(
        "SELECT item_id, year, kind, budget_type, direction, cents FROM plan_amounts
         WHERE plan_id = $1 ORDER BY year, kind, budget_type, direction, item_id",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let item_id: String = row.try_get("item_id")?;
        out.push(AmountSnapshot {
            item_code: code_of(codes, &item_id),
            item_id,
            year: row.try_get::<i64, _>("year")?,
            kind: row.try_get("kind")?,
            budget_type: row.try_get("budget_type")?,
            direction: row.try_get("direction")?,
            cents: row.try_get("cents")?,
        });
    }
    Ok(out)
}

/// The plan as it is now, with every measurement: what the export writes.
pub async fn current<'c>(
    db: impl Acquire<'c, Database = Any>,
    plan_id: &str,
) -> CoreResult<ReleaseSnapshot> {
    let mut conn = db.acquire().await?;
    build(&mut conn, plan_id, "9999-12-31").await
}
