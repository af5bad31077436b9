//! Working groups (werkgroepen) and who belongs to them. Modules use this to restrict content
//! to a group's members (a Kennisbank document "for the GDPR working group").

use sqlx::{Any, Executor, Row};
use steden_db::{new_id, now_ms};

use crate::error::CoreResult;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WorkingGroup {
    pub id: String,
    pub slug: String,
    pub name: String,
}

fn from_row(row: &sqlx::any::AnyRow) -> WorkingGroup {
    WorkingGroup {
        id: row.get("id"),
        slug: row.get("slug"),
        name: row.get("name"),
    }
}

/// Every working group, by name.
pub async fn list<'e, E: Executor<'e, Database = Any>>(exec: E) -> CoreResult<Vec<WorkingGroup>> {
    let rows = sqlx::query("SELECT id, slug, name FROM working_groups ORDER BY name")
        .fetch_all(exec)
        .await?;
    Ok(rows.iter().map(from_row).collect())
}

pub async fn get<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Option<WorkingGroup>> {
    let row = sqlx::query("SELECT id, slug, name FROM working_groups WHERE id = $1")
        .bind(id)
        .fetch_optional(exec)
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// The ids of the groups `user_id` belongs to.
pub async fn groups_of<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: &str,
) -> CoreResult<Vec<String>> {
    let rows = sqlx::query("SELECT group_id FROM working_group_members WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(exec)
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// The group with `slug`, created when it does not exist yet (demo content, seeds).
pub async fn ensure(conn: &mut sqlx::AnyConnection, slug: &str, name: &str) -> CoreResult<String> {
    sqlx::query(
        "INSERT INTO working_groups (id, slug, name, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (slug) DO NOTHING",
    )
    .bind(new_id())
    .bind(slug)
    .bind(name)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    let id: String = sqlx::query_scalar("SELECT id FROM working_groups WHERE slug = $1")
        .bind(slug)
        .fetch_one(&mut *conn)
        .await?;
    Ok(id)
}

/// Adds `user_id` to the group (nothing happens when they already belong to it).
pub async fn add_member(
    conn: &mut sqlx::AnyConnection,
    group_id: &str,
    user_id: &str,
) -> CoreResult<()> {
    sqlx::query(
        "INSERT INTO working_group_members (group_id, user_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (group_id, user_id) DO NOTHING",
    )
    .bind(group_id)
    .bind(user_id)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
