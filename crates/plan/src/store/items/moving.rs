//! Moving an item under another parent or among its siblings, with the codes, depths, levels
//! and roll-up kept current.

use super::*;

/// Where an item goes: under `parent_id` (or the top level) at `position` among the new
/// siblings (clamped; `None` = last).
#[derive(Debug, Clone)]
pub struct Destination {
    pub parent_id: Option<String>,
    pub position: Option<i64>,
}

/// Moves an item (with its subtree) to another place in the same plan, or to another position
/// among its siblings. Refuses a move under itself or its own descendants, or deeper than the
/// plan has levels.
pub async fn move_to(
    tx: &mut Tx<'_>,
    id: &str,
    destination: &Destination,
    actor: &AuditActor,
) -> CoreResult<Item> {
    let item = get(&mut **tx, id).await?;
    let plan_items = list_for_plan(&mut **tx, &item.plan_id).await?;
    let new_parent = match &destination.parent_id {
        Some(pid) => Some(
            plan_items
                .iter()
                .find(|i| &i.id == pid)
                .cloned()
                .ok_or(CoreError::NotFound("bovenliggend item"))?,
        ),
        None => None,
    };
    // The moved subtree: the item and everything below it.
    let mut subtree: Vec<&Item> = vec![&item];
    let mut index = 0;
    while index < subtree.len() {
        let parent_id = subtree[index].id.clone();
        subtree.extend(
            plan_items
                .iter()
                .filter(|i| i.parent_id.as_deref() == Some(parent_id.as_str())),
        );
        index += 1;
    }
    if let Some(parent) = &new_parent {
        if subtree.iter().any(|i| i.id == parent.id) {
            return Err(CoreError::invalid(
                "parent_id",
                "Een item kan niet onder zichzelf of onder een van zijn onderdelen staan.",
            ));
        }
    }
    let new_depth = new_parent.as_ref().map_or(0, |p| p.depth + 1);
    let depth_delta = new_depth - item.depth;
    // Levels stay valid: a child's level is deeper than its parent's. The item keeps its level
    // where it is deeper than the new parent's; else it and its subtree go down as far as needed.
    let level_delta = new_parent
        .as_ref()
        .map_or(0, |p| (p.level + 1 - item.level).max(0));
    let deepest = subtree.iter().map(|i| i.level).max().unwrap_or(item.level) + level_delta;
    let level_count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM plan_levels WHERE plan_id = $1")
            .bind(&item.plan_id)
            .fetch_one(&mut **tx)
            .await?;
    if deepest >= level_count {
        return Err(CoreError::invalid(
            "parent_id",
            "Daar zou het item dieper staan dan het plan niveaus heeft.",
        ));
    }
    // New sibling order: the destination's children without the item, with the item inserted.
    let mut siblings: Vec<&Item> = plan_items
        .iter()
        .filter(|i| i.parent_id == destination.parent_id && i.id != item.id)
        .collect();
    siblings.sort_by_key(|i| i.position);
    let at = destination.position.map_or(siblings.len(), |p| {
        p.clamp(0, siblings.len() as i64) as usize
    });
    siblings.insert(at, &item);
    let now = now_ms();
    // Positions are rewritten in two steps (negative first) nowhere needed: position has no
    // unique constraint, so a plain rewrite is safe.
    for (position, sibling) in siblings.iter().enumerate() {
        sqlx::query("UPDATE plan_items SET position = $2, updated_at = $3 WHERE id = $1")
            .bind(&sibling.id)
            .bind(position as i64)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("UPDATE plan_items SET parent_id = $2 WHERE id = $1")
        .bind(&item.id)
        .bind(destination.parent_id.as_deref())
        .execute(&mut **tx)
        .await?;
    if depth_delta != 0 || level_delta != 0 {
        for moved in &subtree {
            sqlx::query("UPDATE plan_items SET depth = $2, level = $3 WHERE id = $1")
                .bind(&moved.id)
                .bind(moved.depth + depth_delta)
                .bind(moved.level + level_delta)
                .execute(&mut **tx)
                .await?;
        }
    }
    // Close the gap the item left among its old siblings.
    if item.parent_id != destination.parent_id {
        let mut old_siblings: Vec<&Item> = plan_items
            .iter()
            .filter(|i| i.parent_id == item.parent_id && i.id != item.id)
            .collect();
        old_siblings.sort_by_key(|i| i.position);
        for (position, sibling) in old_siblings.iter().enumerate() {
            sqlx::query("UPDATE plan_items SET position = $2 WHERE id = $1")
                .bind(&sibling.id)
                .bind(position as i64)
                .execute(&mut **tx)
                .await?;
        }
        if let Some(old_parent) = &item.parent_id {
            rollup::recompute_from(tx, old_parent).await?;
        }
    }
    rollup::recompute_from(tx, &item.id).await?;
    let organisation_id = organisation_of_plan(tx, &item.plan_id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan_item",
            entity_id: &item.id,
            action: "move",
            summary: &format!(
                "{} verplaatst{}",
                item.code,
                new_parent
                    .as_ref()
                    .map(|p| format!(" onder {}", p.code))
                    .unwrap_or_else(|| " naar het hoogste niveau".to_string())
            ),
            changes: Changes::new()
                .field(
                    "parent_id",
                    item.parent_id.as_deref(),
                    destination.parent_id.as_deref(),
                )
                .field("position", item.position, at as i64),
        },
    )
    .await?;
    get(&mut **tx, id).await
}
