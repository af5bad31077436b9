//! The origins each organisation allows to frame the embeds (`cijfers_embed_origins`).
//! Validation lives in [`crate::interop::origins`]; what is stored is always normalised.

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{CoreResult, FieldError};
use steden_core::{ConstraintViolation, CoreError};
use steden_db::{now_ms, Tx};

use crate::interop::origins::{normalise, MAX_PER_ORGANISATION};

/// The field of the form (and of its errors).
pub const FIELD: &str = "origin";

/// The origins of one organisation, alphabetically.
pub async fn list<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    organisation_id: &str,
) -> CoreResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT origin FROM cijfers_embed_origins WHERE organisation_id = $1 ORDER BY origin",
    )
    .bind(organisation_id)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// The origins of every organisation, once each, alphabetically (the embeds of shared
/// indicators, which every city shows).
pub async fn list_all<'e, E: Executor<'e, Database = Any>>(exec: E) -> CoreResult<Vec<String>> {
    let rows = sqlx::query("SELECT DISTINCT origin FROM cijfers_embed_origins ORDER BY origin")
        .fetch_all(exec)
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Adds `text` (normalised) to the organisation's origins; a Dutch field error when it is no
/// https origin, already listed, or the list is full.
pub async fn add(
    tx: &mut Tx<'_>,
    organisation_id: &str,
    text: &str,
    actor: &AuditActor,
) -> CoreResult<String> {
    let origin =
        normalise(text).map_err(|e| CoreError::Invalid(vec![FieldError::new(FIELD, &e)]))?;
    let count: i64 =
        sqlx::query("SELECT COUNT(*) FROM cijfers_embed_origins WHERE organisation_id = $1")
            .bind(organisation_id)
            .fetch_one(&mut **tx)
            .await?
            .get(0);
    if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_PER_ORGANISATION {
        return Err(CoreError::Invalid(vec![FieldError::new(
            FIELD,
            format!("Er staan al {MAX_PER_ORGANISATION} oorsprongen in de lijst; verwijder er eerst een."),
        )]));
    }
    sqlx::query(
        "INSERT INTO cijfers_embed_origins (organisation_id, origin, created_at) VALUES ($1, $2, $3)",
    )
    .bind(organisation_id)
    .bind(&origin)
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .on_unique(FIELD, "Deze oorsprong staat al in de lijst.")?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "cijfers_embed_origin",
            entity_id: &origin,
            action: "create",
            summary: &format!("Oorsprong {origin} mag de cijfers insluiten"),
            changes: Changes::new().created("origin", origin.as_str()),
        },
    )
    .await?;
    Ok(origin)
}

/// Removes `origin` from the organisation's list; not found when it is not on it.
pub async fn remove(
    tx: &mut Tx<'_>,
    organisation_id: &str,
    origin: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    let removed =
        sqlx::query("DELETE FROM cijfers_embed_origins WHERE organisation_id = $1 AND origin = $2")
            .bind(organisation_id)
            .bind(origin)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    if removed == 0 {
        return Err(CoreError::NotFound("oorsprong"));
    }
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "cijfers_embed_origin",
            entity_id: origin,
            action: "delete",
            summary: &format!("Oorsprong {origin} mag de cijfers niet meer insluiten"),
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(())
}
