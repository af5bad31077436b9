//! Reading memberships (`wg_memberships`) and facilitators (`wg_facilitators`): who is in a
//! group, with what role, since when, and the history of those who left or were refused.
//! Names come through the core's read-only views; e-mail addresses are not read here (the pages
//! ask the core for them only when the reader may see them).

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

use crate::access::GroupFacts;
use crate::model::{MemberRole, MemberStatus};

/// One membership row, with the person's and the organisation's names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub id: String,
    pub group_id: String,
    pub user_id: String,
    pub person_name: String,
    pub organisation_id: Option<String>,
    pub organisation_name: Option<String>,
    pub role: MemberRole,
    pub status: MemberStatus,
    pub motivation: String,
    pub decided_by: Option<String>,
    pub decided_by_name: Option<String>,
    pub decision_reason: String,
    pub requested_at: Option<i64>,
    pub joined_at: Option<i64>,
    pub left_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const SELECT: &str = "SELECT m.id, m.group_id, m.user_id, p.name AS person_name,
        m.organisation_id, o.name AS organisation_name, m.role, m.status, m.motivation,
        m.decided_by, d.name AS decided_by_name, m.decision_reason, m.requested_at,
        m.joined_at, m.left_at, m.created_at, m.updated_at
    FROM wg_memberships m
    JOIN person_names p ON p.id = m.user_id
    LEFT JOIN organisation_names o ON o.id = m.organisation_id
    LEFT JOIN person_names d ON d.id = m.decided_by";

fn from_row(row: &sqlx::any::AnyRow) -> Membership {
    Membership {
        id: row.get("id"),
        group_id: row.get("group_id"),
        user_id: row.get("user_id"),
        person_name: row.get("person_name"),
        organisation_id: row.get("organisation_id"),
        organisation_name: row.get("organisation_name"),
        // Only this module writes these columns, from the same lists.
        role: MemberRole::parse(&row.get::<String, _>("role")).unwrap_or(MemberRole::Lid),
        status: MemberStatus::parse(&row.get::<String, _>("status"))
            .unwrap_or(MemberStatus::Vertrokken),
        motivation: row.get("motivation"),
        decided_by: row.get("decided_by"),
        decided_by_name: row.get("decided_by_name"),
        decision_reason: row.get("decision_reason"),
        requested_at: row.get("requested_at"),
        joined_at: row.get("joined_at"),
        left_at: row.get("left_at"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    }
}

/// The group's memberships with status `status`, by person name.
pub async fn list_with_status<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
    status: MemberStatus,
) -> CoreResult<Vec<Membership>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE m.group_id = $1 AND m.status = $2 ORDER BY p.name, m.created_at"
    ))
    .bind(group_id)
    .bind(status.as_str())
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// Every membership the group ever had (the history), latest change first.
pub async fn history<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
) -> CoreResult<Vec<Membership>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE m.group_id = $1 ORDER BY m.updated_at DESC, m.created_at DESC, m.id"
    ))
    .bind(group_id)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// One membership by id, within `group_id` (a request for another group's row finds nothing).
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
    membership_id: &str,
) -> CoreResult<Option<Membership>> {
    let row = sqlx::query(&format!("{SELECT} WHERE m.group_id = $1 AND m.id = $2"))
        .bind(group_id)
        .bind(membership_id)
        .fetch_optional(exec)
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// The person's open membership (asked or active) in the group, if any: at most one, by the
/// unique index `wg_memberships_open`.
pub async fn find_open<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
    user_id: &str,
) -> CoreResult<Option<Membership>> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE m.group_id = $1 AND m.user_id = $2
            AND m.status IN ('aangevraagd', 'actief')"
    ))
    .bind(group_id)
    .bind(user_id)
    .fetch_optional(exec)
    .await?;
    Ok(row.as_ref().map(from_row))
}

/// The ids of the people with an active membership whose role opens the group's documents
/// (the core's access list should equal this, design §2.1).
pub async fn access_list<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
) -> CoreResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT user_id FROM wg_memberships
         WHERE group_id = $1 AND status = 'actief' AND role IN ('voorzitter', 'lid', 'waarnemer')
         ORDER BY user_id",
    )
    .bind(group_id)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

/// One facilitator of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facilitator {
    pub user_id: String,
    pub name: String,
}

/// The group's named facilitators, by name.
pub async fn facilitators<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
) -> CoreResult<Vec<Facilitator>> {
    let rows = sqlx::query(
        "SELECT f.user_id, p.name FROM wg_facilitators f JOIN person_names p ON p.id = f.user_id
         WHERE f.group_id = $1 ORDER BY p.name, f.user_id",
    )
    .bind(group_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Facilitator {
            user_id: row.get(0),
            name: row.get(1),
        })
        .collect())
}

/// What the module knows about `user_id` in the group (for [`crate::access::Standing`]).
pub async fn facts(
    conn: &mut sqlx::AnyConnection,
    group_id: &str,
    user_id: &str,
) -> CoreResult<GroupFacts> {
    let active = sqlx::query(
        "SELECT role, organisation_id FROM wg_memberships
         WHERE group_id = $1 AND user_id = $2 AND status = 'actief'",
    )
    .bind(group_id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let facilitator: Option<String> = sqlx::query_scalar(
        "SELECT user_id FROM wg_facilitators WHERE group_id = $1 AND user_id = $2",
    )
    .bind(group_id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(GroupFacts {
        active_role: active
            .as_ref()
            .and_then(|row| MemberRole::parse(&row.get::<String, _>("role"))),
        represents: active.and_then(|row| row.get("organisation_id")),
        facilitator: facilitator.is_some(),
    })
}
