//! The entries of a collection: adding, changing, moving and removing documents.

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::ConstraintViolation;
use steden_core::{CoreError, FieldError};
use steden_db::Tx;

use super::query::{entries, get, MAX_ACTION_POINTS, MAX_SECTION};
use super::write::too_long;
use crate::model::collections::{Collection, Direction, EntryFields, EntryPlace};
use crate::model::EvaluationStatus;

// ---------------------------------------------------------------------------------------------
// Writing entries

pub(super) struct ValidEntry {
    pub(super) section: String,
    pub(super) evaluation_status: Option<EvaluationStatus>,
    pub(super) action_points: String,
}

/// Checks an entry's fields; field names get `suffix` (the form of one row is told apart by
/// the document id).
pub(super) fn validate_entry(fields: &EntryFields, suffix: &str) -> CoreResult<ValidEntry> {
    let mut errors = Vec::new();
    let section = fields
        .section
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if too_long(&section, MAX_SECTION) {
        errors.push(FieldError::new(
            format!("section{suffix}"),
            "Het thema mag hoogstens 120 tekens lang zijn.",
        ));
    }
    let status_text = fields.evaluation_status.trim();
    let evaluation_status = if status_text.is_empty() {
        None
    } else {
        let parsed = EvaluationStatus::parse(status_text);
        if parsed.is_none() {
            errors.push(FieldError::new(
                format!("evaluation_status{suffix}"),
                "Kies een geldige evaluatiestatus.",
            ));
        }
        parsed
    };
    let action_points = fields.action_points.trim().to_string();
    if too_long(&action_points, MAX_ACTION_POINTS) {
        errors.push(FieldError::new(
            format!("action_points{suffix}"),
            "De actiepunten mogen hoogstens 4.000 tekens lang zijn.",
        ));
    }
    if errors.is_empty() {
        Ok(ValidEntry {
            section,
            evaluation_status,
            action_points,
        })
    } else {
        Err(CoreError::Invalid(errors))
    }
}

pub(super) async fn document_title(
    tx: &mut Tx<'_>,
    document_id: &str,
) -> CoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT title FROM kb_documents WHERE id = $1")
            .bind(document_id)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn entry_record(
    tx: &mut Tx<'_>,
    collection: &Collection,
    document_id: &str,
    action: &str,
    summary: String,
    changes: Changes,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "kb_collection",
            entity_id: &collection.id,
            action,
            summary: &summary,
            changes: changes.created("document_id", document_id),
        },
    )
    .await?;
    Ok(())
}

/// Adds a document at the end of a collection.
pub async fn add_entry(
    tx: &mut Tx<'_>,
    collection_id: &str,
    document_id: &str,
    fields: &EntryFields,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    let collection = get(&mut **tx, collection_id).await?;
    let Some(title) = document_title(tx, document_id).await? else {
        return Err(CoreError::invalid(
            "document_id",
            "Kies een document uit de lijst.",
        ));
    };
    let valid = validate_entry(fields, "")?;
    let exists: Option<i64> = sqlx::query_scalar(
        "SELECT position FROM kb_collection_entries WHERE collection_id = $1 AND document_id = $2",
    )
    .bind(collection_id)
    .bind(document_id)
    .fetch_optional(&mut **tx)
    .await?;
    if exists.is_some() {
        return Err(CoreError::invalid(
            "document_id",
            "Dit document staat al in de collectie.",
        ));
    }
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(position) FROM kb_collection_entries WHERE collection_id = $1",
    )
    .bind(collection_id)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO kb_collection_entries (collection_id, document_id, section, position,
             evaluation_status, action_points)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(collection_id)
    .bind(document_id)
    .bind(&valid.section)
    .bind(last.map_or(0, |p| p + 1))
    .bind(valid.evaluation_status.map(EvaluationStatus::as_str))
    .bind(&valid.action_points)
    .execute(&mut **tx)
    .await
    .on_unique("document_id", "Dit document staat al in de collectie.")?;
    entry_record(
        tx,
        &collection,
        document_id,
        "add_document",
        format!(
            "Document ‘{title}’ toegevoegd aan collectie ‘{}’",
            collection.title
        ),
        Changes::new()
            .created("section", valid.section.as_str())
            .created(
                "evaluation_status",
                valid.evaluation_status.map(EvaluationStatus::as_str),
            ),
        actor,
        organisation_id,
    )
    .await
}

/// Changes an entry's section, evaluation status and action points.
pub async fn update_entry(
    tx: &mut Tx<'_>,
    collection_id: &str,
    document_id: &str,
    fields: &EntryFields,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    let collection = get(&mut **tx, collection_id).await?;
    let old = entries(&mut **tx, collection_id)
        .await?
        .into_iter()
        .find(|d| d.id == document_id)
        .ok_or(CoreError::NotFound("document in de collectie"))?;
    let place = old.entry.clone().unwrap_or(EntryPlace {
        section: String::new(),
        position: 0,
        evaluation_status: None,
        action_points: String::new(),
    });
    let valid = validate_entry(fields, &format!("-{document_id}"))?;
    sqlx::query(
        "UPDATE kb_collection_entries SET section = $3, evaluation_status = $4, action_points = $5
         WHERE collection_id = $1 AND document_id = $2",
    )
    .bind(collection_id)
    .bind(document_id)
    .bind(&valid.section)
    .bind(valid.evaluation_status.map(EvaluationStatus::as_str))
    .bind(&valid.action_points)
    .execute(&mut **tx)
    .await?;
    entry_record(
        tx,
        &collection,
        document_id,
        "update_document",
        format!(
            "Document ‘{}’ in collectie ‘{}’ gewijzigd",
            old.title, collection.title
        ),
        Changes::new()
            .field("section", place.section.as_str(), valid.section.as_str())
            .field(
                "evaluation_status",
                place.evaluation_status.map(EvaluationStatus::as_str),
                valid.evaluation_status.map(EvaluationStatus::as_str),
            )
            .field(
                "action_points",
                place.action_points.as_str(),
                valid.action_points.as_str(),
            ),
        actor,
        organisation_id,
    )
    .await
}

/// Moves an entry one place up or down (nothing happens at either end). Positions are
/// renumbered 0..n in the same transaction, so gaps left by removals never matter.
pub async fn move_entry(
    tx: &mut Tx<'_>,
    collection_id: &str,
    document_id: &str,
    direction: Direction,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    let collection = get(&mut **tx, collection_id).await?;
    let mut order = entries(&mut **tx, collection_id).await?;
    let Some(index) = order.iter().position(|d| d.id == document_id) else {
        return Err(CoreError::NotFound("document in de collectie"));
    };
    let other = match direction {
        Direction::Up if index > 0 => index - 1,
        Direction::Down if index + 1 < order.len() => index + 1,
        _ => return Ok(()),
    };
    order.swap(index, other);
    for (position, doc) in order.iter().enumerate() {
        sqlx::query(
            "UPDATE kb_collection_entries SET position = $3
             WHERE collection_id = $1 AND document_id = $2",
        )
        .bind(collection_id)
        .bind(&doc.id)
        .bind(position as i64)
        .execute(&mut **tx)
        .await?;
    }
    let moved = &order[other];
    entry_record(
        tx,
        &collection,
        document_id,
        "move_document",
        format!(
            "Document ‘{}’ in collectie ‘{}’ {} verplaatst",
            moved.title,
            collection.title,
            if direction == Direction::Up {
                "omhoog"
            } else {
                "omlaag"
            }
        ),
        Changes::new().field("position", index as i64, other as i64),
        actor,
        organisation_id,
    )
    .await
}

/// Takes a document out of a collection (the document itself stays).
pub async fn remove_entry(
    tx: &mut Tx<'_>,
    collection_id: &str,
    document_id: &str,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    let collection = get(&mut **tx, collection_id).await?;
    let title = document_title(tx, document_id).await?.unwrap_or_default();
    let done = sqlx::query(
        "DELETE FROM kb_collection_entries WHERE collection_id = $1 AND document_id = $2",
    )
    .bind(collection_id)
    .bind(document_id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(CoreError::NotFound("document in de collectie"));
    }
    entry_record(
        tx,
        &collection,
        document_id,
        "remove_document",
        format!(
            "Document ‘{title}’ uit collectie ‘{}’ gehaald",
            collection.title
        ),
        Changes::new(),
        actor,
        organisation_id,
    )
    .await
}
