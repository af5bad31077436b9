//! A parent's status on an update: set by hand, or derived from its children again (the rule is
//! [`rollup::derive_status`]).

use super::*;

/// The status value that makes a parent's status derived from its children again.
pub const STATUS_DERIVED: &str = "afgeleid";

/// The status an update leaves on `old` and whether it is hand-set: on a parent a chosen status
/// is set by hand and [`STATUS_DERIVED`] derives it from the children again; a leaf's status is
/// its own.
pub(super) async fn status_choice(
    tx: &mut Tx<'_>,
    old: &Item,
    valid: &ValidItem,
) -> CoreResult<(ItemStatus, bool)> {
    if old.is_leaf() {
        if valid.status_derived {
            return Err(CoreError::invalid(
                "status",
                "Alleen een item met onderdelen heeft een afgeleide status; kies een status.",
            ));
        }
        return Ok((valid.status.unwrap_or(old.status), false));
    }
    Ok(match valid.status {
        Some(status) => (status, true),
        None if valid.status_derived => (
            rollup::derived_status(&mut **tx, &old.id)
                .await?
                .unwrap_or(old.status),
            false,
        ),
        None => (old.status, old.status_manual),
    })
}

/// Goes back to the status derived from the children for a parent whose status was set by hand
/// (the way back from the item page): the change is kept in the item's history, the ancestors'
/// roll-up is kept current and the audit log says who did it. Changes nothing on an item whose
/// status is not hand-set.
pub async fn derive_again(tx: &mut Tx<'_>, id: &str, actor: &AuditActor) -> CoreResult<Item> {
    let item = get(&mut **tx, id).await?;
    if !item.status_is_manual() {
        return Ok(item);
    }
    let status = rollup::derived_status(&mut **tx, id)
        .await?
        .unwrap_or(item.status);
    sqlx::query(
        "UPDATE plan_items SET status = $2, status_manual = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(flag::to_db(false))
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    if status != item.status {
        crate::store::history::insert(
            tx,
            &crate::store::history::NewUpdate {
                plan_id: &item.plan_id,
                item_id: id,
                round_id: None,
                old_status: Some(item.status),
                new_status: Some(status),
                old_progress: Some(item.progress),
                new_progress: Some(item.progress),
                measurement_id: None,
                comment: "Status weer afgeleid van de onderdelen.",
                author_name: "",
            },
            actor,
        )
        .await?;
    }
    rollup::recompute_from(tx, id).await?;
    let organisation_id = crate::store::plans::organisation_of(&mut **tx, &item.plan_id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan_item",
            entity_id: id,
            action: "update",
            summary: &format!("Status van {} weer afgeleid van de onderdelen", item.code),
            changes: Changes::new()
                .field("status", item.status.as_str(), status.as_str())
                .field("status_manual", true, false),
        },
    )
    .await?;
    get(&mut **tx, id).await
}
