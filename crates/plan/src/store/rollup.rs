//! The roll-up: a parent's progress is the weighted average of its children's, and a parent is
//! prioritair when it is marked so itself or any child is.
//!
//! Stopped children (stopgezet) do not count: stopping an action should not drag its
//! objective's progress down, nor keep it from reaching 100 %. Children with weight 0 count
//! for nothing. A parent whose children all count for nothing keeps progress 0.
//!
//! The derived columns are stored (not computed on every read) so that the tree's top levels
//! can be shown without reading every leaf of a large plan; every write that changes a child
//! calls [`recompute_from`] in its own transaction.

use std::collections::HashMap;

use sqlx::Row;
use steden_core::error::CoreResult;
use steden_db::{flag, Tx};

use crate::model::ItemStatus;

/// What the roll-up needs of a child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildProgress {
    pub progress: i64,
    pub weight: i64,
    pub status: ItemStatus,
}

/// The weighted average of the children that count, rounded to the nearest whole percent.
pub fn weighted_progress(children: &[ChildProgress]) -> i64 {
    let (mut sum, mut weights) = (0i64, 0i64);
    for child in children {
        if child.status == ItemStatus::Stopgezet || child.weight <= 0 {
            continue;
        }
        sum += child.progress.clamp(0, 100) * child.weight;
        weights += child.weight;
    }
    if weights == 0 {
        0
    } else {
        // Round half up, in integers.
        (2 * sum + weights) / (2 * weights)
    }
}

/// Recomputes the derived columns of `item_id` (if it has children) and of each of its
/// ancestors, bottom-up.
pub async fn recompute_from(tx: &mut Tx<'_>, item_id: &str) -> CoreResult<()> {
    let mut current = Some(item_id.to_string());
    while let Some(id) = current {
        let row = sqlx::query("SELECT parent_id, prioritair_own FROM plan_items WHERE id = $1")
            .bind(&id)
            .fetch_optional(&mut **tx)
            .await?;
        let Some(row) = row else { break };
        let parent: Option<String> = row.try_get("parent_id")?;
        let own = flag::from_db(row.try_get("prioritair_own")?);
        let children = sqlx::query(
            "SELECT progress, weight, status, prioritair FROM plan_items WHERE parent_id = $1",
        )
        .bind(&id)
        .fetch_all(&mut **tx)
        .await?;
        let mut child_progress = Vec::with_capacity(children.len());
        let mut any_prioritair = false;
        for child in &children {
            child_progress.push(ChildProgress {
                progress: child.try_get("progress")?,
                weight: child.try_get("weight")?,
                status: ItemStatus::parse(&child.try_get::<String, _>("status")?)
                    .unwrap_or(ItemStatus::NietGestart),
            });
            any_prioritair |= flag::from_db(child.try_get("prioritair")?);
        }
        if children.is_empty() {
            sqlx::query("UPDATE plan_items SET prioritair = $2 WHERE id = $1")
                .bind(&id)
                .bind(flag::to_db(own))
                .execute(&mut **tx)
                .await?;
        } else {
            sqlx::query("UPDATE plan_items SET progress = $2, prioritair = $3 WHERE id = $1")
                .bind(&id)
                .bind(weighted_progress(&child_progress))
                .bind(flag::to_db(own || any_prioritair))
                .execute(&mut **tx)
                .await?;
        }
        current = parent;
    }
    Ok(())
}

/// Recomputes the derived columns of every item of a plan in one pass (after an import or a
/// copy), writing only the rows whose values change.
pub async fn recompute_plan(tx: &mut Tx<'_>, plan_id: &str) -> CoreResult<usize> {
    struct Node {
        parent: Option<String>,
        depth: i64,
        own: bool,
        progress: i64,
        weight: i64,
        status: ItemStatus,
        prioritair: bool,
        children: Vec<String>,
    }
    let rows = sqlx::query(
        "SELECT id, parent_id, depth, prioritair_own, prioritair, progress, weight, status
         FROM plan_items WHERE plan_id = $1",
    )
    .bind(plan_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut nodes: HashMap<String, Node> = HashMap::with_capacity(rows.len());
    for row in &rows {
        nodes.insert(
            row.try_get("id")?,
            Node {
                parent: row.try_get("parent_id")?,
                depth: row.try_get("depth")?,
                own: flag::from_db(row.try_get("prioritair_own")?),
                progress: row.try_get("progress")?,
                weight: row.try_get("weight")?,
                status: ItemStatus::parse(&row.try_get::<String, _>("status")?)
                    .unwrap_or(ItemStatus::NietGestart),
                prioritair: flag::from_db(row.try_get("prioritair")?),
                children: Vec::new(),
            },
        );
    }
    let links: Vec<(String, String)> = nodes
        .iter()
        .filter_map(|(id, n)| n.parent.clone().map(|p| (p, id.clone())))
        .collect();
    for (parent, child) in links {
        if let Some(node) = nodes.get_mut(&parent) {
            node.children.push(child);
        }
    }
    // Deepest first, so that every child is final before its parent is computed.
    let mut order: Vec<(i64, String)> = nodes.iter().map(|(id, n)| (n.depth, id.clone())).collect();
    order.sort_by_key(|(depth, _)| std::cmp::Reverse(*depth));
    let mut changed = Vec::new();
    for (_, id) in order {
        let node = &nodes[&id];
        let (progress, prioritair) = if node.children.is_empty() {
            (node.progress, node.own)
        } else {
            let children: Vec<ChildProgress> = node
                .children
                .iter()
                .map(|c| {
                    let child = &nodes[c];
                    ChildProgress {
                        progress: child.progress,
                        weight: child.weight,
                        status: child.status,
                    }
                })
                .collect();
            let any = node.children.iter().any(|c| nodes[c].prioritair);
            (weighted_progress(&children), node.own || any)
        };
        let node = nodes.get_mut(&id).expect("present");
        if node.progress != progress || node.prioritair != prioritair {
            node.progress = progress;
            node.prioritair = prioritair;
            changed.push((id.clone(), progress, prioritair));
        }
    }
    for (id, progress, prioritair) in &changed {
        sqlx::query("UPDATE plan_items SET progress = $2, prioritair = $3 WHERE id = $1")
            .bind(id)
            .bind(progress)
            .bind(flag::to_db(*prioritair))
            .execute(&mut **tx)
            .await?;
    }
    Ok(changed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child(progress: i64, weight: i64, status: ItemStatus) -> ChildProgress {
        ChildProgress {
            progress,
            weight,
            status,
        }
    }

    #[test]
    fn weights_count() {
        let lopend = ItemStatus::Lopend;
        assert_eq!(
            weighted_progress(&[child(100, 3, lopend), child(0, 1, lopend)]),
            75
        );
        assert_eq!(
            weighted_progress(&[child(100, 1, lopend), child(0, 1, lopend)]),
            50
        );
        // 1/3 rounds to 33, 2/3 to 67.
        assert_eq!(
            weighted_progress(&[child(100, 1, lopend), child(0, 2, lopend)]),
            33
        );
        assert_eq!(
            weighted_progress(&[child(100, 2, lopend), child(0, 1, lopend)]),
            67
        );
    }

    #[test]
    fn stopped_and_weightless_children_do_not_count() {
        let lopend = ItemStatus::Lopend;
        assert_eq!(
            weighted_progress(&[child(100, 1, lopend), child(0, 1, ItemStatus::Stopgezet)]),
            100
        );
        assert_eq!(
            weighted_progress(&[child(40, 1, lopend), child(0, 0, lopend)]),
            40
        );
        assert_eq!(weighted_progress(&[child(80, 0, lopend)]), 0);
        assert_eq!(weighted_progress(&[]), 0);
    }
}
