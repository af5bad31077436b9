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

/// A group's whole profile: the core's id, slug and name with the module's `wg_groups` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub group_id: String,
    pub slug: String,
    pub name: String,
    pub kind: GroupKind,
    pub purpose: String,
    pub programme_md: String,
    pub plan_programme_id: Option<String>,
    pub plan_werkspoor_id: Option<String>,
    pub programme_title: String,
    pub werkspoor_title: String,
    pub visibility: Visibility,
    pub cadence: Cadence,
    pub default_start: String,
    pub default_end: String,
    pub default_place: String,
    pub default_online_url: String,
    pub proposal_days: i64,
    pub comment_days: i64,
    pub archived_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const PROFILE_COLUMNS: &str = "group_id, kind, purpose, programme_md, plan_programme_id,
    plan_werkspoor_id, programme_title, werkspoor_title, visibility, cadence, default_start,
    default_end, default_place, default_online_url, proposal_days, comment_days, archived_at,
    created_at, updated_at";

fn profile_from_row(row: &sqlx::any::AnyRow, core: &working_group::WorkingGroup) -> Profile {
    Profile {
        group_id: row.get("group_id"),
        slug: core.slug.clone(),
        name: core.name.clone(),
        // Only this module writes these columns, from the same lists.
        kind: GroupKind::parse(&row.get::<String, _>("kind")).unwrap_or(GroupKind::Werkgroep),
        purpose: row.get("purpose"),
        programme_md: row.get("programme_md"),
        plan_programme_id: row.get("plan_programme_id"),
        plan_werkspoor_id: row.get("plan_werkspoor_id"),
        programme_title: row.get("programme_title"),
        werkspoor_title: row.get("werkspoor_title"),
        visibility: Visibility::parse(&row.get::<String, _>("visibility"))
            .unwrap_or(Visibility::Verborgen),
        cadence: Cadence::parse(&row.get::<String, _>("cadence")).unwrap_or(Cadence::OpAfroep),
        default_start: row.get("default_start"),
        default_end: row.get("default_end"),
        default_place: row.get("default_place"),
        default_online_url: row.get("default_online_url"),
        proposal_days: row.get("proposal_days"),
        comment_days: row.get("comment_days"),
        archived_at: row.get("archived_at"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    }
}

/// The profile of the group with core slug `slug`, if it exists and has a profile.
pub async fn find_by_slug(
    conn: &mut sqlx::AnyConnection,
    slug: &str,
) -> CoreResult<Option<Profile>> {
    let Some(core) = working_group::list(&mut *conn)
        .await?
        .into_iter()
        .find(|group| group.slug == slug)
    else {
        return Ok(None);
    };
    find_for(conn, core).await
}

/// The profile of the group with id `group_id`, if it has one.
pub async fn find(conn: &mut sqlx::AnyConnection, group_id: &str) -> CoreResult<Option<Profile>> {
    let Some(core) = working_group::get(&mut *conn, group_id).await? else {
        return Ok(None);
    };
    find_for(conn, core).await
}

async fn find_for(
    conn: &mut sqlx::AnyConnection,
    core: working_group::WorkingGroup,
) -> CoreResult<Option<Profile>> {
    let row = sqlx::query(&format!(
        "SELECT {PROFILE_COLUMNS} FROM wg_groups WHERE group_id = $1"
    ))
    .bind(&core.id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|row| profile_from_row(&row, &core)))
}

/// Every profiled group that is not archived, by name (public and hidden: the caller filters
/// by what the reader may see).
pub async fn list_profiles(conn: &mut sqlx::AnyConnection) -> CoreResult<Vec<Profile>> {
    let rows = sqlx::query(&format!(
        "SELECT {PROFILE_COLUMNS} FROM wg_groups WHERE archived_at IS NULL"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let core: HashMap<String, working_group::WorkingGroup> = working_group::list(&mut *conn)
        .await?
        .into_iter()
        .map(|group| (group.id.clone(), group))
        .collect();
    let mut profiles: Vec<Profile> = rows
        .iter()
        .filter_map(|row| {
            let core = core.get(&row.get::<String, _>("group_id"))?;
            Some(profile_from_row(row, core))
        })
        .collect();
    profiles.sort_by_key(|profile| profile.name.to_lowercase());
    Ok(profiles)
}
