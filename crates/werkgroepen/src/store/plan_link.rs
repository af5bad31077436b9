//! Linking a group to the Kenniscentrum's plan (design §1 row 1): a programme (depth 0) or a
//! werkspoor (depth 1) of a published plan, chosen through the plan's facade
//! (`steden_plan::site::published_structure`). The ids and titles are stored, so the group
//! keeps showing its werkspoor when a later plan period replaces the published one; plan ids
//! carry no foreign key (the plan's tables are not ours).

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{now_ms, Tx};
use steden_plan::site::{self, StructureItem, StructurePlan};

use crate::store::groups::Profile;
use crate::store::profile::ENTITY;

/// The programmes and werksporen a group may be linked to: those of the Kenniscentrum's
/// published plans, newest period first.
pub async fn choices(
    conn: &mut sqlx::AnyConnection,
    kenniscentrum_id: &str,
) -> CoreResult<Vec<StructurePlan>> {
    site::published_structure(conn, kenniscentrum_id).await
}

/// Links the group to the item `item_id` (empty: no link), checked against the published
/// structure inside `tx`.
pub async fn set(
    tx: &mut Tx<'_>,
    old: &Profile,
    item_id: &str,
    kenniscentrum_id: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    let item_id = item_id.trim();
    let (programme, werkspoor): (Option<StructureItem>, Option<StructureItem>) = if item_id
        .is_empty()
    {
        (None, None)
    } else {
        let plans = site::published_structure(tx, kenniscentrum_id).await?;
        let items: Vec<&StructureItem> = plans.iter().flat_map(|p| p.items.iter()).collect();
        let chosen = items
            .iter()
            .find(|item| item.id == item_id)
            .map(|item| (*item).clone())
            .ok_or_else(|| {
                CoreError::invalid(
                    "plan_item_id",
                    "Kies een programma of werkspoor uit een gepubliceerd plan van het Kenniscentrum.",
                )
            })?;
        if chosen.depth == 0 {
            (Some(chosen), None)
        } else {
            let parent = items
                .iter()
                .find(|item| Some(&item.id) == chosen.parent_id.as_ref())
                .map(|item| (*item).clone());
            (parent, Some(chosen))
        }
    };
    let label = |item: &Option<StructureItem>| {
        item.as_ref()
            .map(|i| format!("{} {}", i.code, i.title).trim().to_string())
            .unwrap_or_default()
    };
    let programme_title = label(&programme);
    let werkspoor_title = label(&werkspoor);
    let programme_id = programme.map(|i| i.id);
    let werkspoor_id = werkspoor.map(|i| i.id);
    let changes = Changes::new()
        .field(
            "plan_programme_id",
            old.plan_programme_id.as_deref(),
            programme_id.as_deref(),
        )
        .field(
            "plan_werkspoor_id",
            old.plan_werkspoor_id.as_deref(),
            werkspoor_id.as_deref(),
        );
    if changes.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE wg_groups SET plan_programme_id = $1, plan_werkspoor_id = $2,
            programme_title = $3, werkspoor_title = $4, updated_at = $5
         WHERE group_id = $6",
    )
    .bind(&programme_id)
    .bind(&werkspoor_id)
    .bind(&programme_title)
    .bind(&werkspoor_title)
    .bind(now_ms())
    .bind(&old.group_id)
    .execute(&mut **tx)
    .await?;
    let changes = changes
        .field(
            "programme_title",
            old.programme_title.as_str(),
            programme_title.as_str(),
        )
        .field(
            "werkspoor_title",
            old.werkspoor_title.as_str(),
            werkspoor_title.as_str(),
        );
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: &old.group_id,
            action: "link_plan",
            summary: "Koppeling met het plan gewijzigd",
            changes,
        },
    )
    .await?;
    Ok(())
}
