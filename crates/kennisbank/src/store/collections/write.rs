//! Creating, changing and deleting collections, each with its audit entry.

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::ConstraintViolation;
use steden_core::{CoreError, FieldError};
use steden_db::{new_id, now_ms, Tx};

use super::query::{get, ValidCollection, MAX_DESCRIPTION, MAX_TITLE};
use crate::model::collections::{Collection, CollectionFields};
use crate::model::{slugify, CollectionKind, PERIODS};

// ---------------------------------------------------------------------------------------------
// Writing collections

pub(super) fn too_long(value: &str, max: usize) -> bool {
    value.chars().count() > max
}

pub(super) async fn validate(
    tx: &mut Tx<'_>,
    fields: &CollectionFields,
    own_id: Option<&str>,
) -> CoreResult<ValidCollection> {
    let mut errors = Vec::new();
    let title = fields.title.trim().to_string();
    if title.is_empty() {
        errors.push(FieldError::new("title", "Geef de collectie een titel."));
    } else if too_long(&title, MAX_TITLE) {
        errors.push(FieldError::new(
            "title",
            "De titel mag hoogstens 200 tekens lang zijn.",
        ));
    }
    let typed_slug = fields.slug.trim();
    let slug = if typed_slug.is_empty() {
        slugify(&title)
    } else {
        slugify(typed_slug)
    };
    if !typed_slug.is_empty() && slug != typed_slug {
        errors.push(FieldError::new(
            "slug",
            "Gebruik in de korte naam alleen kleine letters zonder accenten, cijfers en koppeltekens.",
        ));
    } else if !title.is_empty() || !typed_slug.is_empty() {
        let taken: Option<String> =
            sqlx::query_scalar("SELECT id FROM kb_collections WHERE slug = $1")
                .bind(&slug)
                .fetch_optional(&mut **tx)
                .await?;
        if taken.is_some_and(|id| Some(id.as_str()) != own_id) {
            errors.push(FieldError::new(
                "slug",
                "Er bestaat al een collectie met deze korte naam. Kies een andere.",
            ));
        }
    }
    let description = fields.description.trim().to_string();
    if too_long(&description, MAX_DESCRIPTION) {
        errors.push(FieldError::new(
            "description",
            "De beschrijving mag hoogstens 20.000 tekens lang zijn.",
        ));
    }
    let kind = CollectionKind::parse(fields.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "Kies het soort collectie."));
    }
    let period = fields.period.trim();
    let period = match kind {
        Some(CollectionKind::Archief) => {
            if period.is_empty() {
                errors.push(FieldError::new(
                    "period",
                    "Kies de programmaperiode van het archief.",
                ));
                None
            } else if let Some(p) = PERIODS.iter().find(|p| **p == period) {
                Some(p.to_string())
            } else {
                errors.push(FieldError::new(
                    "period",
                    "Kies een bestaande programmaperiode.",
                ));
                None
            }
        }
        // Only an archive has a period; a value left in the form is ignored.
        _ => None,
    };
    match kind {
        Some(kind) if errors.is_empty() => Ok(ValidCollection {
            title,
            slug,
            description,
            kind,
            period,
        }),
        _ => Err(CoreError::Invalid(errors)),
    }
}

/// What the loser of a race for a collection's slug is told.
const SLUG_TAKEN: &str = "Er bestaat al een collectie met deze korte naam. Kies een andere.";

/// Creates a collection. `organisation_id` is the Kenniscentrum's (for the audit trail).
pub async fn create(
    tx: &mut Tx<'_>,
    fields: &CollectionFields,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<Collection> {
    let valid = validate(tx, fields, None).await?;
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO kb_collections (id, slug, title, description_md, kind, period, created_by,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&id)
    .bind(&valid.slug)
    .bind(&valid.title)
    .bind(&valid.description)
    .bind(valid.kind.as_str())
    .bind(valid.period.as_deref())
    .bind(actor.user_id.as_deref())
    .bind(now)
    .execute(&mut **tx)
    .await
    .on_unique("slug", SLUG_TAKEN)?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "kb_collection",
            entity_id: &id,
            action: "create",
            summary: &format!("Collectie ‘{}’ aangemaakt", valid.title),
            changes: Changes::new()
                .created("title", valid.title.as_str())
                .created("slug", valid.slug.as_str())
                .created("kind", valid.kind.as_str())
                .created("period", valid.period.as_deref()),
        },
    )
    .await?;
    get(&mut **tx, &id).await
}

/// Changes a collection's fields.
pub async fn update(
    tx: &mut Tx<'_>,
    id: &str,
    fields: &CollectionFields,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<Collection> {
    let old = get(&mut **tx, id).await?;
    let valid = validate(tx, fields, Some(id)).await?;
    sqlx::query(
        "UPDATE kb_collections SET slug = $2, title = $3, description_md = $4, kind = $5,
             period = $6, updated_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(&valid.slug)
    .bind(&valid.title)
    .bind(&valid.description)
    .bind(valid.kind.as_str())
    .bind(valid.period.as_deref())
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .on_unique("slug", SLUG_TAKEN)?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "kb_collection",
            entity_id: id,
            action: "update",
            summary: &format!("Collectie ‘{}’ gewijzigd", valid.title),
            changes: Changes::new()
                .field("title", old.title.as_str(), valid.title.as_str())
                .field("slug", old.slug.as_str(), valid.slug.as_str())
                .field("kind", old.kind.as_str(), valid.kind.as_str())
                .field("period", old.period.as_deref(), valid.period.as_deref())
                .field(
                    "description",
                    old.description_md.as_str(),
                    valid.description.as_str(),
                ),
        },
    )
    .await?;
    get(&mut **tx, id).await
}

/// Deletes a collection and its entries (the documents stay).
pub async fn delete(
    tx: &mut Tx<'_>,
    id: &str,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    let old = get(&mut **tx, id).await?;
    // Explicitly, not only by the foreign key's cascade: SQLite connections may run without
    // foreign key enforcement.
    sqlx::query("DELETE FROM kb_collection_entries WHERE collection_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM site_featured WHERE target_kind = 'collectie' AND target_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM kb_collections WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "kb_collection",
            entity_id: id,
            action: "delete",
            summary: &format!("Collectie ‘{}’ verwijderd", old.title),
            changes: Changes::new().field("title", old.title.as_str(), ""),
        },
    )
    .await?;
    Ok(())
}
