//! The glossary (begrippenkader): terms with a definition, its source, synonyms and related
//! terms.
//!
//! Relations are symmetric: saving a term rewrites every relation it takes part in, whichever
//! side it was recorded from, so the form shows and changes exactly what the term page shows.
//! Every write notes the term in the search index's change log ([`index_changes::record_change`]) in
//! its own transaction, so that search finds a term (also by its synonyms) as soon as it is
//! saved, and no longer after it is deleted.

use std::collections::HashSet;

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::ConstraintViolation;
use steden_core::{CoreError, FieldError};
use steden_db::{new_id, now_ms, Tx};

pub use crate::model::terms::{letter_of, sort_key, Term, TermFields};
use crate::model::IndexEntity;
use crate::store::index_changes;

pub const MAX_TERM: usize = 200;
pub const MAX_DEFINITION: usize = 4_000;
pub const MAX_SOURCE: usize = 300;
pub const MAX_SYNONYM: usize = 200;
pub const MAX_SYNONYMS: usize = 50;

/// The synonyms typed as a comma separated list: trimmed, empty ones dropped, each once
/// (case-insensitively), in the order typed.
pub fn parse_synonyms(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    text.split(',')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .filter(|s| seen.insert(s.to_lowercase()))
        .collect()
}

const TERM_COLUMNS: &str = "id, slug, term, definition, source, synonyms, created_at, updated_at";

fn term_from_row(row: &sqlx::any::AnyRow) -> Term {
    Term {
        id: row.get("id"),
        slug: row.get("slug"),
        term: row.get("term"),
        definition: row.get("definition"),
        source: row.get("source"),
        synonyms: serde_json::from_str(&row.get::<String, _>("synonyms")).unwrap_or_default(),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    }
}

fn sort(terms: &mut [Term]) {
    terms.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.term.cmp(&b.term))
    });
}

/// Every term, in A-Z order (accents folded).
pub async fn list<'e, E: Executor<'e, Database = Any>>(executor: E) -> CoreResult<Vec<Term>> {
    let rows = sqlx::query(&format!("SELECT {TERM_COLUMNS} FROM kb_terms"))
        .fetch_all(executor)
        .await?;
    let mut terms: Vec<Term> = rows.iter().map(term_from_row).collect();
    sort(&mut terms);
    Ok(terms)
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<Term>> {
    let row = sqlx::query(&format!(
        "SELECT {TERM_COLUMNS} FROM kb_terms WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(term_from_row))
}

/// Term `id`; `NotFound` when there is none.
pub async fn get<'e, E: Executor<'e, Database = Any>>(executor: E, id: &str) -> CoreResult<Term> {
    find(executor, id)
        .await?
        .ok_or(CoreError::NotFound("begrip"))
}

pub async fn find_by_slug<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    slug: &str,
) -> CoreResult<Option<Term>> {
    let row = sqlx::query(&format!(
        "SELECT {TERM_COLUMNS} FROM kb_terms WHERE slug = $1"
    ))
    .bind(slug)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(term_from_row))
}

/// The terms related to `id`, in either direction, in A-Z order.
pub async fn related<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Vec<Term>> {
    let rows = sqlx::query(&format!(
        "SELECT {TERM_COLUMNS} FROM kb_terms WHERE id <> $1 AND id IN (
             SELECT related_id FROM kb_term_relations WHERE term_id = $1
             UNION SELECT term_id FROM kb_term_relations WHERE related_id = $1)"
    ))
    .bind(id)
    .fetch_all(executor)
    .await?;
    let mut terms: Vec<Term> = rows.iter().map(term_from_row).collect();
    sort(&mut terms);
    Ok(terms)
}

// ---------------------------------------------------------------------------------------------
// Writing

struct ValidTerm {
    term: String,
    definition: String,
    source: String,
    synonyms: Vec<String>,
    related: Vec<String>,
}

fn too_long(value: &str, max: usize) -> bool {
    value.chars().count() > max
}

async fn validate(
    tx: &mut Tx<'_>,
    fields: &TermFields,
    own_id: Option<&str>,
) -> CoreResult<ValidTerm> {
    let mut errors = Vec::new();
    let all = list(&mut **tx).await?;
    let term = fields.term.split_whitespace().collect::<Vec<_>>().join(" ");
    if term.is_empty() {
        errors.push(FieldError::new("term", "Vul het begrip in."));
    } else if too_long(&term, MAX_TERM) {
        errors.push(FieldError::new(
            "term",
            "Het begrip mag hoogstens 200 tekens lang zijn.",
        ));
    } else if let Some(existing) = all
        .iter()
        .find(|t| Some(t.id.as_str()) != own_id && t.term.to_lowercase() == term.to_lowercase())
    {
        errors.push(FieldError::new(
            "term",
            format!(
                "Het begrip ‘{}’ staat al in het begrippenkader. Pas dat begrip aan of kies een andere naam.",
                existing.term
            ),
        ));
    }
    let definition = fields.definition.trim().to_string();
    if definition.is_empty() {
        errors.push(FieldError::new("definition", "Vul de definitie in."));
    } else if too_long(&definition, MAX_DEFINITION) {
        errors.push(FieldError::new(
            "definition",
            "De definitie mag hoogstens 4.000 tekens lang zijn.",
        ));
    }
    let source = fields.source.trim().to_string();
    if too_long(&source, MAX_SOURCE) {
        errors.push(FieldError::new(
            "source",
            "De bron mag hoogstens 300 tekens lang zijn.",
        ));
    }
    let synonyms = parse_synonyms(&fields.synonyms);
    if synonyms.len() > MAX_SYNONYMS {
        errors.push(FieldError::new("synonyms", "Geef hoogstens 50 synoniemen."));
    } else if synonyms.iter().any(|s| too_long(s, MAX_SYNONYM)) {
        errors.push(FieldError::new(
            "synonyms",
            "Een synoniem mag hoogstens 200 tekens lang zijn.",
        ));
    }
    let mut related = Vec::new();
    for id in &fields.related {
        if Some(id.as_str()) == own_id || related.contains(id) {
            continue;
        }
        if all.iter().any(|t| &t.id == id) {
            related.push(id.clone());
        } else {
            errors.push(FieldError::new(
                "related",
                "Een gekozen verwant begrip bestaat niet meer. Kies opnieuw.",
            ));
            break;
        }
    }
    if errors.is_empty() {
        Ok(ValidTerm {
            term,
            definition,
            source,
            synonyms,
            related,
        })
    } else {
        Err(CoreError::Invalid(errors))
    }
}

async fn write_relations(tx: &mut Tx<'_>, id: &str, related: &[String]) -> CoreResult<()> {
    sqlx::query("DELETE FROM kb_term_relations WHERE term_id = $1 OR related_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for other in related {
        sqlx::query("INSERT INTO kb_term_relations (term_id, related_id) VALUES ($1, $2)")
            .bind(id)
            .bind(other)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// What the loser of a race for a term is told.
const TERM_TAKEN: &str = "Dit begrip werd net door iemand anders opgeslagen. Probeer opnieuw.";

fn synonyms_json(synonyms: &[String]) -> String {
    serde_json::to_string(synonyms).unwrap_or_else(|_| "[]".to_string())
}

/// Creates a term. `organisation_id` is the Kenniscentrum's (for the audit trail).
pub async fn create(
    tx: &mut Tx<'_>,
    fields: &TermFields,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<Term> {
    let valid = validate(tx, fields, None).await?;
    let id = new_id();
    let slug = super::free_slug(tx, "kb_terms", &valid.term, None).await?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO kb_terms (id, slug, term, definition, source, synonyms, created_by,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&id)
    .bind(&slug)
    .bind(&valid.term)
    .bind(&valid.definition)
    .bind(&valid.source)
    .bind(synonyms_json(&valid.synonyms))
    .bind(actor.user_id.as_deref())
    .bind(now)
    .execute(&mut **tx)
    .await
    .on_unique("term", TERM_TAKEN)?;
    write_relations(tx, &id, &valid.related).await?;
    index_changes::record_change(tx, IndexEntity::Term, &id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "kb_term",
            entity_id: &id,
            action: "create",
            summary: &format!("Begrip ‘{}’ toegevoegd", valid.term),
            changes: Changes::new()
                .created("term", valid.term.as_str())
                .created("source", valid.source.as_str())
                .created("synonyms", &valid.synonyms)
                .created("related", &valid.related),
        },
    )
    .await?;
    get(&mut **tx, &id).await
}

/// Changes a term and its relations. The slug follows the term when the term changes.
pub async fn update(
    tx: &mut Tx<'_>,
    id: &str,
    fields: &TermFields,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<Term> {
    let old = get(&mut **tx, id).await?;
    let old_related: Vec<String> = related(&mut **tx, id)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let valid = validate(tx, fields, Some(id)).await?;
    let slug = if valid.term == old.term {
        old.slug.clone()
    } else {
        super::free_slug(tx, "kb_terms", &valid.term, Some(id)).await?
    };
    sqlx::query(
        "UPDATE kb_terms SET slug = $2, term = $3, definition = $4, source = $5, synonyms = $6,
             updated_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(&slug)
    .bind(&valid.term)
    .bind(&valid.definition)
    .bind(&valid.source)
    .bind(synonyms_json(&valid.synonyms))
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .on_unique("term", TERM_TAKEN)?;
    write_relations(tx, id, &valid.related).await?;
    index_changes::record_change(tx, IndexEntity::Term, id).await?;
    let mut new_related = valid.related.clone();
    new_related.sort();
    let mut old_related = old_related;
    old_related.sort();
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "kb_term",
            entity_id: id,
            action: "update",
            summary: &format!("Begrip ‘{}’ gewijzigd", valid.term),
            changes: Changes::new()
                .field("term", old.term.as_str(), valid.term.as_str())
                .field(
                    "definition",
                    old.definition.as_str(),
                    valid.definition.as_str(),
                )
                .field("source", old.source.as_str(), valid.source.as_str())
                .field("synonyms", &old.synonyms, &valid.synonyms)
                .field("related", &old_related, &new_related),
        },
    )
    .await?;
    get(&mut **tx, id).await
}

/// Deletes a term and its relations; search no longer finds it.
pub async fn delete(
    tx: &mut Tx<'_>,
    id: &str,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    let old = get(&mut **tx, id).await?;
    // Explicitly, not only by the foreign keys' cascade: SQLite connections may run without
    // foreign key enforcement.
    write_relations(tx, id, &[]).await?;
    sqlx::query("DELETE FROM kb_terms WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    index_changes::record_change(tx, IndexEntity::Term, id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "kb_term",
            entity_id: id,
            action: "delete",
            summary: &format!("Begrip ‘{}’ verwijderd", old.term),
            changes: Changes::new().field("term", old.term.as_str(), ""),
        },
    )
    .await?;
    Ok(())
}

/// The slug and last change of every row, by slug (for the sitemap).
pub async fn slugs<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<Vec<(String, i64)>> {
    Ok(
        sqlx::query_as("SELECT slug, updated_at FROM kb_terms ORDER BY slug")
            .fetch_all(executor)
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_synonyms() {
        assert_eq!(letter_of("Één loket"), 'E');
        assert_eq!(letter_of("data"), 'D');
        assert_eq!(letter_of("5G"), '#');
        assert_eq!(sort_key("Één loket"), "een loket");
        assert_eq!(
            parse_synonyms(" PII , persoonsgegeven,, pii ,Persoonlijke  data"),
            vec!["PII", "persoonsgegeven", "Persoonlijke data"]
        );
    }
}
