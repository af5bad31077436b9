//! Releases: a whole plan frozen at a date, as an immutable report.
//!
//! A release stores a [`ReleaseSnapshot`] as JSON in `plan_releases.snapshot`: the plan, every
//! item with its status and progress, the indicators with their targets, the measurements up to
//! the release date and their health at that date, the kwesties and the amounts. Pages render
//! a release from its snapshot only, so later changes to the plan never alter it.
//!
//! Immutability is kept twice: this module has no function that changes a snapshot, name or
//! date, and migration 0002 adds triggers that refuse such an UPDATE (and any DELETE while the
//! plan exists) on both backends. Only `published` may change ([`set_published`]).
//!
//! Items are frozen as they are when the release is made (the store keeps no per-date state of
//! items); the "as of" date bounds the measurements and the health of the indicators.
//!
//! The snapshot is versioned ([`SNAPSHOT_VERSION`]): a later version adds fields with
//! `#[serde(default)]`, so older releases stay readable.

pub mod compare;
pub mod snapshot;

use sqlx::Row;
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::{CoreError, FieldError};
use steden_db::{flag, new_id, now_ms, Db, Tx};

pub use compare::{compare, ReleaseDiff};
pub use snapshot::{ReleaseSnapshot, SNAPSHOT_VERSION};

use crate::store::parse_date_field;

/// A release without its snapshot (for lists).
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseSummary {
    pub id: String,
    pub plan_id: String,
    pub name: String,
    /// 'YYYY-MM-DD'.
    pub as_of: String,
    pub published: bool,
    pub created_at: i64,
}

/// A release with its frozen plan.
#[derive(Debug, Clone)]
pub struct Release {
    pub summary: ReleaseSummary,
    pub snapshot: ReleaseSnapshot,
}

/// The longest release name.
pub const NAME_MAX: usize = 200;

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
    let snapshot = snapshot::build(tx, plan_id, &as_of).await?;
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
pub async fn list(db: &Db, plan_id: &str) -> CoreResult<Vec<ReleaseSummary>> {
    let rows = sqlx::query(
        "SELECT id, plan_id, name, as_of, published, created_at FROM plan_releases
         WHERE plan_id = $1 ORDER BY as_of DESC, created_at DESC",
    )
    .bind(plan_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(summary_from_row)
        .collect::<Result<_, _>>()?)
}

/// One release with its snapshot.
pub async fn get(db: &Db, id: &str) -> CoreResult<Option<Release>> {
    let row = sqlx::query(
        "SELECT id, plan_id, name, as_of, published, created_at, snapshot FROM plan_releases
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let summary = summary_from_row(&row)?;
    let snapshot = ReleaseSnapshot::from_json(&row.try_get::<String, _>("snapshot")?)?;
    Ok(Some(Release { summary, snapshot }))
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
