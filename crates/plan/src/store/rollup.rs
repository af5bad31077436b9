//! The roll-up: a parent's progress is the weighted average of its children's, a parent is
//! prioritair when it is marked so itself or any child is, and a parent's status is derived
//! from its children's ([`derive_status`]) unless it was set by hand (`status_manual`).
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

/// A parent's status as its children's statuses (and progress) say, unless set by hand:
///
/// 1. no children: nothing to derive (`None`; a leaf's status is its own);
/// 2. every child stopgezet → stopgezet;
/// 3. otherwise the stopped children are left out, as in the progress roll-up, and of the rest:
///    all afgerond → afgerond; any vertraagd → vertraagd; any lopend or afgerond, or any
///    progress above 0 → lopend; else niet gestart.
///
/// Children's weights do not matter here (a child of weight 0 that has started has started).
/// The same rule, in SQL, set the status of existing parents in migration 0006.
pub fn derive_status(children: &[ChildProgress]) -> Option<ItemStatus> {
    if children.is_empty() {
        return None;
    }
    let counting: Vec<&ChildProgress> = children
        .iter()
        .filter(|c| c.status != ItemStatus::Stopgezet)
        .collect();
    Some(if counting.is_empty() {
        ItemStatus::Stopgezet
    } else if counting.iter().all(|c| c.status == ItemStatus::Afgerond) {
        ItemStatus::Afgerond
    } else if counting.iter().any(|c| c.status == ItemStatus::Vertraagd) {
        ItemStatus::Vertraagd
    } else if counting
        .iter()
        .any(|c| matches!(c.status, ItemStatus::Lopend | ItemStatus::Afgerond) || c.progress > 0)
    {
        ItemStatus::Lopend
    } else {
        ItemStatus::NietGestart
    })
}

/// What the children of `item_id` say its status should be (`None` for a leaf), whether or not
/// its status is hand-set: for the form's "afgeleid" choice and the item page.
pub async fn derived_status<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    item_id: &str,
) -> CoreResult<Option<ItemStatus>> {
    let rows = sqlx::query("SELECT progress, weight, status FROM plan_items WHERE parent_id = $1")
        .bind(item_id)
        .fetch_all(executor)
        .await?;
    let mut children = Vec::with_capacity(rows.len());
    for row in &rows {
        children.push(ChildProgress {
            progress: row.try_get("progress")?,
            weight: row.try_get("weight")?,
            status: ItemStatus::parse(&row.try_get::<String, _>("status")?)
                .unwrap_or(ItemStatus::NietGestart),
        });
    }
    Ok(derive_status(&children))
}

/// Recomputes the derived columns of `item_id` (if it has children) and of each of its
/// ancestors, bottom-up.
pub async fn recompute_from(tx: &mut Tx<'_>, item_id: &str) -> CoreResult<()> {
    let mut current = Some(item_id.to_string());
    while let Some(id) = current {
        let row = sqlx::query(
            "SELECT parent_id, prioritair_own, status, status_manual FROM plan_items WHERE id = $1",
        )
        .bind(&id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(row) = row else { break };
        let parent: Option<String> = row.try_get("parent_id")?;
        let own = flag::from_db(row.try_get("prioritair_own")?);
        let manual = flag::from_db(row.try_get("status_manual")?);
        let status: String = row.try_get("status")?;
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
            // A leaf's status is its own: a hand-set mark left from when it had children goes.
            sqlx::query("UPDATE plan_items SET prioritair = $2, status_manual = $3 WHERE id = $1")
                .bind(&id)
                .bind(flag::to_db(own))
                .bind(flag::to_db(false))
                .execute(&mut **tx)
                .await?;
        } else {
            let status = match derive_status(&child_progress) {
                Some(derived) if !manual => derived.as_str().to_string(),
                _ => status,
            };
            sqlx::query(
                "UPDATE plan_items SET progress = $2, prioritair = $3, status = $4 WHERE id = $1",
            )
            .bind(&id)
            .bind(weighted_progress(&child_progress))
            .bind(flag::to_db(own || any_prioritair))
            .bind(status)
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
        manual: bool,
        prioritair: bool,
        children: Vec<String>,
    }
    let rows = sqlx::query(
        "SELECT id, parent_id, depth, prioritair_own, prioritair, progress, weight, status,
             status_manual
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
                manual: flag::from_db(row.try_get("status_manual")?),
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
        let (progress, prioritair, status, manual) = if node.children.is_empty() {
            (node.progress, node.own, node.status, false)
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
            let status = match derive_status(&children) {
                Some(derived) if !node.manual => derived,
                _ => node.status,
            };
            (
                weighted_progress(&children),
                node.own || any,
                status,
                node.manual,
            )
        };
        let node = nodes.get_mut(&id).expect("present");
        if node.progress != progress
            || node.prioritair != prioritair
            || node.status != status
            || node.manual != manual
        {
            node.progress = progress;
            node.prioritair = prioritair;
            node.status = status;
            node.manual = manual;
            changed.push((id.clone(), progress, prioritair, status, manual));
        }
    }
    for (id, progress, prioritair, status, manual) in &changed {
        sqlx::query(
            "UPDATE plan_items SET progress = $2, prioritair = $3, status = $4, status_manual = $5
             WHERE id = $1",
        )
        .bind(id)
        .bind(progress)
        .bind(flag::to_db(*prioritair))
        .bind(status.as_str())
        .bind(flag::to_db(*manual))
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
    fn status_is_derived_from_the_children() {
        use ItemStatus::*;
        let derive = |children: &[(ItemStatus, i64)]| {
            derive_status(
                &children
                    .iter()
                    .map(|(s, p)| child(*p, 1, *s))
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(derive(&[]), None);
        assert_eq!(
            derive(&[(NietGestart, 0), (NietGestart, 0)]),
            Some(NietGestart)
        );
        // A programme at 49 % has started, whatever its children's statuses say.
        assert_eq!(derive(&[(NietGestart, 98), (NietGestart, 0)]), Some(Lopend));
        assert_eq!(derive(&[(Lopend, 0), (NietGestart, 0)]), Some(Lopend));
        assert_eq!(derive(&[(Afgerond, 100), (NietGestart, 0)]), Some(Lopend));
        assert_eq!(derive(&[(Afgerond, 100), (Vertraagd, 10)]), Some(Vertraagd));
        assert_eq!(derive(&[(Afgerond, 100), (Afgerond, 100)]), Some(Afgerond));
        // Stopped children are left out, unless all are stopped.
        assert_eq!(derive(&[(Afgerond, 100), (Stopgezet, 0)]), Some(Afgerond));
        assert_eq!(
            derive(&[(NietGestart, 0), (Stopgezet, 50)]),
            Some(NietGestart)
        );
        assert_eq!(derive(&[(Stopgezet, 0), (Stopgezet, 0)]), Some(Stopgezet));
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
