//! The rows of an item's history (plan_updates) as they are written: by a progress report
//! ([`super::updates`]), by an edit that changes status or progress ([`super::items`]) and by
//! a measurement ([`super::measurements`]). Its own file so that those stores need not import
//! each other.

use steden_core::audit::AuditActor;
use steden_core::error::CoreResult;
use steden_db::{new_id, now_ms, Tx};

use crate::model::ItemStatus;

/// An update as written.
#[derive(Debug, Clone)]
pub struct NewUpdate<'a> {
    pub plan_id: &'a str,
    pub item_id: &'a str,
    pub round_id: Option<&'a str>,
    pub old_status: Option<ItemStatus>,
    pub new_status: Option<ItemStatus>,
    pub old_progress: Option<i64>,
    pub new_progress: Option<i64>,
    pub measurement_id: Option<&'a str>,
    pub comment: &'a str,
    /// For authors without an account (API tokens of other tools, imports).
    pub author_name: &'a str,
}

/// Writes an update row (the caller has changed the item itself).
pub async fn insert(
    tx: &mut Tx<'_>,
    update: &NewUpdate<'_>,
    actor: &AuditActor,
) -> CoreResult<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO plan_updates (id, plan_id, item_id, round_id, old_status, new_status,
             old_progress, new_progress, measurement_id, comment, author_user_id, author_name,
             created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&id)
    .bind(update.plan_id)
    .bind(update.item_id)
    .bind(update.round_id)
    .bind(update.old_status.map(ItemStatus::as_str))
    .bind(update.new_status.map(ItemStatus::as_str))
    .bind(update.old_progress)
    .bind(update.new_progress)
    .bind(update.measurement_id)
    .bind(update.comment)
    .bind(actor.user_id.as_deref())
    .bind(update.author_name)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}
