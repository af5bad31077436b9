//! Progress updates: every change of an item's status or progress, and every indicator
//! measurement, with the comment that explains it. Together they are the item's history and
//! what a reporting round counts as "reported".

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{now_ms, Tx};

pub use super::history::{insert, NewUpdate};
use super::rollup;
use crate::model::ItemStatus;

/// An update as read back, with the author's name.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Update {
    pub id: String,
    pub item_id: String,
    pub round_id: Option<String>,
    #[schema(value_type = Option<String>)]
    pub old_status: Option<ItemStatus>,
    #[schema(value_type = Option<String>)]
    pub new_status: Option<ItemStatus>,
    pub old_progress: Option<i64>,
    pub new_progress: Option<i64>,
    pub measurement_id: Option<String>,
    pub comment: String,
    pub author: String,
    /// Milliseconds since the Unix epoch (UTC).
    pub created_at: i64,
}

/// A progress update as an owner or a tool reports it: a new status and/or progress, always
/// with a comment.
#[derive(Debug, Clone, Default)]
pub struct ProgressReport {
    pub status: Option<ItemStatus>,
    /// 0..=100; only for leaves (a parent's progress is its children's roll-up).
    pub progress: Option<i64>,
    pub comment: String,
    pub round_id: Option<String>,
    pub author_name: String,
}

/// Records a progress update on an item: changes its status and progress, keeps the update in
/// its history, and rolls progress up — in the caller's transaction.
pub async fn report(
    tx: &mut Tx<'_>,
    item_id: &str,
    report: &ProgressReport,
    actor: &AuditActor,
) -> CoreResult<Update> {
    let item = super::items::get(&mut **tx, item_id).await?;
    let comment = report.comment.trim();
    let mut errors = Vec::new();
    if comment.is_empty() {
        errors.push(steden_core::FieldError::new(
            "comment",
            "Licht de stand van zaken toe in een opmerking.",
        ));
    } else if comment.chars().count() > 4000 {
        errors.push(steden_core::FieldError::new(
            "comment",
            "Een opmerking mag hoogstens 4.000 tekens lang zijn.",
        ));
    }
    if let Some(progress) = report.progress {
        if !(0..=100).contains(&progress) {
            errors.push(steden_core::FieldError::new(
                "progress",
                "De voortgang is een geheel getal van 0 tot 100.",
            ));
        } else if !item.is_leaf() && progress != item.progress {
            errors.push(steden_core::FieldError::new(
                "progress",
                "De voortgang van dit item volgt uit die van zijn onderdelen; vul ze daar in.",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    let status = report.status.unwrap_or(item.status);
    let progress = if item.is_leaf() {
        report.progress.unwrap_or(item.progress)
    } else {
        item.progress
    };
    // A parent's status reported different from what it shows is set by hand from now on.
    let manual = !item.is_leaf() && (item.status_manual || status != item.status);
    sqlx::query(
        "UPDATE plan_items SET status = $2, progress = $3, updated_at = $4, status_manual = $5
         WHERE id = $1",
    )
    .bind(item_id)
    .bind(status.as_str())
    .bind(progress)
    .bind(now_ms())
    .bind(steden_db::flag::to_db(manual))
    .execute(&mut **tx)
    .await?;
    // An update made while a reporting round is open answers that round.
    let round_id = match &report.round_id {
        Some(round) => Some(round.clone()),
        None => super::rounds::open_round_id(&mut **tx, &item.plan_id).await?,
    };
    let id = insert(
        tx,
        &NewUpdate {
            plan_id: &item.plan_id,
            item_id,
            round_id: round_id.as_deref(),
            old_status: Some(item.status),
            new_status: Some(status),
            old_progress: Some(item.progress),
            new_progress: Some(progress),
            measurement_id: None,
            comment,
            author_name: report.author_name.trim(),
        },
        actor,
    )
    .await?;
    if let Some(parent) = &item.parent_id {
        rollup::recompute_from(tx, parent).await?;
    }
    let organisation_id = super::plans::organisation_of(&mut **tx, &item.plan_id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan_item",
            entity_id: item_id,
            action: "report",
            summary: &format!("Stand van zaken van {} bijgewerkt", item.code),
            changes: Changes::new()
                .field("status", item.status.as_str(), status.as_str())
                .field("progress", item.progress, progress),
        },
    )
    .await?;
    get(&mut **tx, &id).await
}

const UPDATE_COLUMNS: &str = "p.id, p.item_id, p.round_id, p.old_status, p.new_status, \
     p.old_progress, p.new_progress, p.measurement_id, p.comment, \
     COALESCE(u.name, p.author_name) AS author, p.created_at";

fn update_from_row(row: &sqlx::any::AnyRow) -> Result<Update, sqlx::Error> {
    let status = |name: &str| -> Result<Option<ItemStatus>, sqlx::Error> {
        Ok(row
            .try_get::<Option<String>, _>(name)?
            .and_then(|s| ItemStatus::parse(&s)))
    };
    Ok(Update {
        id: row.try_get("id")?,
        item_id: row.try_get("item_id")?,
        round_id: row.try_get("round_id")?,
        old_status: status("old_status")?,
        new_status: status("new_status")?,
        old_progress: row.try_get("old_progress")?,
        new_progress: row.try_get("new_progress")?,
        measurement_id: row.try_get("measurement_id")?,
        comment: row.try_get("comment")?,
        author: row.try_get("author")?,
        created_at: row.try_get("created_at")?,
    })
}

/// One update; fails with `NotFound` when there is none.
pub async fn get<'e>(executor: impl Executor<'e, Database = Any>, id: &str) -> CoreResult<Update> {
    find(executor, id)
        .await?
        .ok_or(CoreError::NotFound("update"))
}

pub async fn find<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: &str,
) -> CoreResult<Option<Update>> {
    let row = sqlx::query(&format!(
        "SELECT {UPDATE_COLUMNS} FROM plan_updates p LEFT JOIN person_names u ON u.id = p.author_user_id
         WHERE p.id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(update_from_row).transpose()?)
}

/// An item's history, newest first.
pub async fn for_item<'e>(
    executor: impl Executor<'e, Database = Any>,
    item_id: &str,
    limit: i64,
) -> CoreResult<Vec<Update>> {
    let rows = sqlx::query(&format!(
        "SELECT {UPDATE_COLUMNS} FROM plan_updates p LEFT JOIN person_names u ON u.id = p.author_user_id
         WHERE p.item_id = $1 ORDER BY p.created_at DESC, p.id DESC LIMIT $2"
    ))
    .bind(item_id)
    .bind(limit)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(update_from_row).collect::<Result<_, _>>()?)
}

/// The latest updates of a plan, newest first.
pub async fn for_plan<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
    limit: i64,
) -> CoreResult<Vec<Update>> {
    let rows = sqlx::query(&format!(
        "SELECT {UPDATE_COLUMNS} FROM plan_updates p LEFT JOIN person_names u ON u.id = p.author_user_id
         WHERE p.plan_id = $1 ORDER BY p.created_at DESC, p.id DESC LIMIT $2"
    ))
    .bind(plan_id)
    .bind(limit)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(update_from_row).collect::<Result<_, _>>()?)
}

/// The ids of a plan's items that have an update created at or after `since` (ms UTC): what a
/// round counts as reported.
pub async fn items_reported_since<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
    since: i64,
) -> CoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT item_id FROM plan_updates WHERE plan_id = $1 AND created_at >= $2",
    )
    .bind(plan_id)
    .bind(since)
    .fetch_all(executor)
    .await?)
}
