//! Working groups (werkgroepen) and who belongs to them. Modules use this to restrict content
//! to a group's members (a Kennisbank document "for the GDPR working group").
//!
//! The member list here is the *access list*: who is in the group now. The werkgroepen module
//! keeps roles and history in its own tables and keeps this list equal to its active
//! memberships through [`add_member_tx`] and [`remove_member`], in its own transaction, so
//! every change is in the audit trail of the group (entity `working_group`).

use sqlx::{Any, Executor, Row};
use steden_db::{new_id, now_ms, Tx};

use crate::audit::{self, AuditActor, Changes, NewEntry};
use crate::error::{ConstraintViolation, CoreError, CoreResult, FieldError};

/// The audit entity of a group and of changes to its member list.
pub const ENTITY: &str = "working_group";

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

/// The members of the group (user id, when they joined), earliest first.
pub async fn members<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
) -> CoreResult<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT user_id, created_at FROM working_group_members WHERE group_id = $1
         ORDER BY created_at, user_id",
    )
    .bind(group_id)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

fn validate_name(name: &str) -> Result<String, FieldError> {
    let name = name.trim();
    if name.is_empty() {
        Err(FieldError::new("name", "Vul een naam in."))
    } else if name.chars().count() > 200 {
        Err(FieldError::new(
            "name",
            "De naam is te lang (maximaal 200 tekens).",
        ))
    } else {
        Ok(name.to_string())
    }
}

fn validate_slug(slug: &str) -> Result<(), FieldError> {
    // The slug ends up in addresses and index terms: keep it to what needs no escaping.
    let ok = !slug.is_empty()
        && slug.len() <= 80
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            "slug",
            "De korte naam mag alleen kleine letters, cijfers en koppeltekens bevatten.",
        ))
    }
}

/// Creates a group. Refuses an empty or too long name, a slug with other characters than
/// lowercase letters, digits and hyphens, and a slug already in use (also when another request
/// takes it at the same moment: the unique index decides).
pub async fn create(
    tx: &mut Tx<'_>,
    slug: &str,
    name: &str,
    actor: &AuditActor,
) -> CoreResult<WorkingGroup> {
    let mut errors = Vec::new();
    if let Err(e) = validate_slug(slug) {
        errors.push(e);
    }
    let name = validate_name(name).map_err(|e| errors.push(e)).ok();
    let (Some(name), true) = (name, errors.is_empty()) else {
        return Err(CoreError::Invalid(errors));
    };
    let group = WorkingGroup {
        id: new_id(),
        slug: slug.to_string(),
        name,
    };
    sqlx::query("INSERT INTO working_groups (id, slug, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&group.id)
        .bind(&group.slug)
        .bind(&group.name)
        .bind(now_ms())
        .execute(&mut **tx)
        .await
        .on_unique("slug", "Er bestaat al een werkgroep met deze korte naam.")?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: &group.id,
            action: "create",
            summary: &format!("Werkgroep {} aangemaakt", group.name),
            changes: Changes::new()
                .created("slug", &group.slug)
                .created("name", &group.name),
        },
    )
    .await?;
    Ok(group)
}

/// Gives the group another name (the slug stays: addresses and index terms keep working).
pub async fn rename(tx: &mut Tx<'_>, id: &str, name: &str, actor: &AuditActor) -> CoreResult<()> {
    let name = validate_name(name).map_err(|e| CoreError::Invalid(vec![e]))?;
    let old = get(&mut **tx, id)
        .await?
        .ok_or(CoreError::NotFound("werkgroep"))?;
    let changes = Changes::new().field("name", old.name.as_str(), name.as_str());
    if changes.is_empty() {
        return Ok(());
    }
    sqlx::query("UPDATE working_groups SET name = $1 WHERE id = $2")
        .bind(&name)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: id,
            action: "update",
            summary: "Naam van de werkgroep gewijzigd",
            changes,
        },
    )
    .await?;
    Ok(())
}

/// Adds `user_id` to the group in the caller's transaction, with an audit entry on the group.
/// Returns false (and records nothing) when they already belong to it, so a repair that runs
/// twice leaves one entry. NotFound when the group or the user does not exist.
pub async fn add_member_tx(
    tx: &mut Tx<'_>,
    group_id: &str,
    user_id: &str,
    actor: &AuditActor,
) -> CoreResult<bool> {
    let added = sqlx::query(
        "INSERT INTO working_group_members (group_id, user_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (group_id, user_id) DO NOTHING",
    )
    .bind(group_id)
    .bind(user_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .on_foreign_key_with(|| CoreError::NotFound("werkgroep of gebruiker"))?
    .rows_affected()
        == 1;
    if added {
        audit::record(
            tx,
            NewEntry {
                actor,
                organisation_id: None,
                entity_type: ENTITY,
                entity_id: group_id,
                action: "add_member",
                summary: "Lid toegevoegd aan de werkgroep",
                changes: Changes::new().field("member", None, Some(user_id)),
            },
        )
        .await?;
    }
    Ok(added)
}

/// Takes `user_id` off the group's list in the caller's transaction, with an audit entry on
/// the group. Returns false (and records nothing) when they were not on it.
pub async fn remove_member(
    tx: &mut Tx<'_>,
    group_id: &str,
    user_id: &str,
    actor: &AuditActor,
) -> CoreResult<bool> {
    let removed =
        sqlx::query("DELETE FROM working_group_members WHERE group_id = $1 AND user_id = $2")
            .bind(group_id)
            .bind(user_id)
            .execute(&mut **tx)
            .await?
            .rows_affected()
            == 1;
    if removed {
        audit::record(
            tx,
            NewEntry {
                actor,
                organisation_id: None,
                entity_type: ENTITY,
                entity_id: group_id,
                action: "remove_member",
                summary: "Lid verwijderd uit de werkgroep",
                changes: Changes::new().field("member", Some(user_id), None),
            },
        )
        .await?;
    }
    Ok(removed)
}

/// The group with `slug`, created when it does not exist yet (demo content, seeds; no audit
/// entry: seeds are not changes someone made).
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

/// Adds `user_id` to the group (nothing happens when they already belong to it). For seeds
/// and demo content; a change made by someone goes through [`add_member_tx`].
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
