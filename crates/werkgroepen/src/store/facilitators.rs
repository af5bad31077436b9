//! Naming and removing a group's facilitators (`wg_facilitators`): Kenniscentrum staff who run
//! the group and get its mails. Staff may act on every group anyway; being named is what makes
//! someone the group's contact.

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{ConstraintViolation, CoreResult};
use steden_core::role::Role;
use steden_core::{membership, CoreError};
use steden_db::{now_ms, Tx};

use crate::store::profile::ENTITY;

/// Names `user_id` facilitator of the group; they must be redacteur or higher of the
/// Kenniscentrum (`kenniscentrum_id`). Naming someone twice changes nothing.
pub async fn add(
    tx: &mut Tx<'_>,
    group_id: &str,
    user_id: &str,
    kenniscentrum_id: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    let role = membership::role_of(&mut **tx, user_id, kenniscentrum_id).await?;
    if role.is_none_or(|role| role < Role::Redacteur) {
        return Err(CoreError::invalid(
            "user_id",
            "Alleen medewerkers van het Kenniscentrum (redacteur of hoger) kunnen een werkgroep begeleiden.",
        ));
    }
    let added = sqlx::query(
        "INSERT INTO wg_facilitators (group_id, user_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (group_id, user_id) DO NOTHING",
    )
    .bind(group_id)
    .bind(user_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .on_foreign_key_with(|| CoreError::NotFound("werkgroep of gebruiker"))?
    .rows_affected();
    if added == 1 {
        audit::record(
            tx,
            NewEntry {
                actor,
                organisation_id: None,
                entity_type: ENTITY,
                entity_id: group_id,
                action: "add_facilitator",
                summary: "Begeleider toegevoegd",
                changes: Changes::new().field("facilitator", None, Some(user_id)),
            },
        )
        .await?;
    }
    Ok(())
}

/// Takes `user_id` off the group's facilitators; false when they were not one.
pub async fn remove(
    tx: &mut Tx<'_>,
    group_id: &str,
    user_id: &str,
    actor: &AuditActor,
) -> CoreResult<bool> {
    let removed = sqlx::query("DELETE FROM wg_facilitators WHERE group_id = $1 AND user_id = $2")
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
                action: "remove_facilitator",
                summary: "Begeleider verwijderd",
                changes: Changes::new().field("facilitator", Some(user_id), None),
            },
        )
        .await?;
    }
    Ok(removed)
}
