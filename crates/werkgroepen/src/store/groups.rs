//! Group profiles (`wg_groups`): what the module adds to a core working group.

use std::collections::HashMap;

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_core::working_group;

use crate::model::{Cadence, GroupKind, Visibility};

/// A group as the public list shows it: the core's name and slug with the module's profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicGroup {
    pub group_id: String,
    pub slug: String,
    pub name: String,
    pub kind: GroupKind,
    pub purpose: String,
    pub cadence: Cadence,
}

/// The public groups that are not archived, by name. The profile comes from `wg_groups`; the
/// name and slug through the core's function (a module does not read core tables in SQL).
pub async fn list_public(conn: &mut sqlx::AnyConnection) -> CoreResult<Vec<PublicGroup>> {
    let rows = sqlx::query(
        "SELECT group_id, kind, purpose, cadence FROM wg_groups
         WHERE visibility = $1 AND archived_at IS NULL",
    )
    .bind(Visibility::Publiek.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let core: HashMap<String, working_group::WorkingGroup> = working_group::list(&mut *conn)
        .await?
        .into_iter()
        .map(|group| (group.id.clone(), group))
        .collect();
    let mut groups: Vec<PublicGroup> = rows
        .iter()
        .filter_map(|row| {
            let group_id: String = row.get("group_id");
            let core = core.get(&group_id)?;
            Some(PublicGroup {
                slug: core.slug.clone(),
                name: core.name.clone(),
                // Only this module writes these columns, from the same lists.
                kind: GroupKind::parse(&row.get::<String, _>("kind"))
                    .unwrap_or(GroupKind::Werkgroep),
                purpose: row.get("purpose"),
                cadence: Cadence::parse(&row.get::<String, _>("cadence"))
                    .unwrap_or(Cadence::OpAfroep),
                group_id,
            })
        })
        .collect();
    groups.sort_by_key(|group| group.name.to_lowercase());
    Ok(groups)
}

/// The ids of the core groups that have a profile.
pub async fn profiled_ids<'e, E: Executor<'e, Database = Any>>(exec: E) -> CoreResult<Vec<String>> {
    let rows = sqlx::query("SELECT group_id FROM wg_groups")
        .fetch_all(exec)
        .await?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}
