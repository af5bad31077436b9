//! Collections and their documents as stored, and reading them.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_core::CoreError;

use crate::access::DocumentAccess;
use crate::model::collections::{Collection, CollectionDocument, DocumentChoice, EntryPlace};
use crate::model::{fold_text, Access, CollectionKind, EvaluationStatus};

/// Longest title, section and text an editor may give (the form says so in Dutch).
pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 20_000;
pub const MAX_SECTION: usize = 120;
pub const MAX_ACTION_POINTS: usize = 4_000;

pub(super) struct ValidCollection {
    pub(super) title: String,
    pub(super) slug: String,
    pub(super) description: String,
    pub(super) kind: CollectionKind,
    pub(super) period: Option<String>,
}

pub(super) const COLLECTION_COLUMNS: &str =
    "id, slug, title, description_md, kind, period, created_at, updated_at";

pub(super) fn collection_from_row(row: &sqlx::any::AnyRow) -> Collection {
    let kind: String = row.get("kind");
    Collection {
        id: row.get("id"),
        slug: row.get("slug"),
        title: row.get("title"),
        description_md: row.get("description_md"),
        kind: CollectionKind::parse(&kind).unwrap_or(CollectionKind::Publicatie),
        period: row.get("period"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    }
}

/// Every collection, by kind (in the order of [`CollectionKind::ALL`]) and title.
pub async fn list<'e, E: Executor<'e, Database = Any>>(executor: E) -> CoreResult<Vec<Collection>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLLECTION_COLUMNS} FROM kb_collections ORDER BY title, id"
    ))
    .fetch_all(executor)
    .await?;
    let mut all: Vec<Collection> = rows.iter().map(collection_from_row).collect();
    all.sort_by_key(|c| CollectionKind::ALL.iter().position(|k| *k == c.kind));
    Ok(all)
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<Collection>> {
    let row = sqlx::query(&format!(
        "SELECT {COLLECTION_COLUMNS} FROM kb_collections WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(collection_from_row))
}

/// The collection with `id`; `NotFound` when there is none.
pub async fn get<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Collection> {
    find(executor, id)
        .await?
        .ok_or(CoreError::NotFound("collectie"))
}

/// The collections of `kind`, last changed first.
pub async fn list_of_kind<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    kind: CollectionKind,
) -> CoreResult<Vec<Collection>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLLECTION_COLUMNS} FROM kb_collections WHERE kind = $1
         ORDER BY updated_at DESC, title"
    ))
    .bind(kind.as_str())
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(collection_from_row).collect())
}

pub async fn find_by_slug<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    slug: &str,
) -> CoreResult<Option<Collection>> {
    let row = sqlx::query(&format!(
        "SELECT {COLLECTION_COLUMNS} FROM kb_collections WHERE slug = $1"
    ))
    .bind(slug)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(collection_from_row))
}

/// The number of entries per collection id (for the editors' list).
pub async fn entry_counts<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT collection_id, COUNT(*) AS n FROM kb_collection_entries GROUP BY collection_id",
    )
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

// ---------------------------------------------------------------------------------------------
// Documents of a collection

pub(super) const DOCUMENT_COLUMNS: &str =
    "d.id, d.slug, d.title, d.summary, d.doc_type, d.doc_date, \
     d.period, d.access, d.access_organisation_id, d.access_group_id";

pub(super) fn document_from_row(row: &sqlx::any::AnyRow, with_entry: bool) -> CollectionDocument {
    let access: String = row.get("access");
    let entry = with_entry.then(|| {
        let status: Option<String> = row.get("evaluation_status");
        EntryPlace {
            section: row.get("section"),
            position: row.get("position"),
            evaluation_status: status.as_deref().and_then(EvaluationStatus::parse),
            action_points: row.get("action_points"),
        }
    });
    CollectionDocument {
        id: row.get("id"),
        slug: row.get("slug"),
        title: row.get("title"),
        summary: row.get("summary"),
        doc_type: row.get("doc_type"),
        doc_date: row.get("doc_date"),
        period: row.get("period"),
        access: DocumentAccess {
            // An unknown value is treated as the most restrictive sensible one.
            access: Access::parse(&access).unwrap_or(Access::Leden),
            organisation_id: row.get("access_organisation_id"),
            group_id: row.get("access_group_id"),
        },
        entry,
    }
}

/// The documents editors placed in a collection, in their order.
pub async fn entries<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    collection_id: &str,
) -> CoreResult<Vec<CollectionDocument>> {
    let rows = sqlx::query(&format!(
        "SELECT {DOCUMENT_COLUMNS}, e.section, e.position, e.evaluation_status, e.action_points
         FROM kb_collection_entries e JOIN kb_documents d ON d.id = e.document_id
         WHERE e.collection_id = $1 ORDER BY e.position, d.title"
    ))
    .bind(collection_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(|r| document_from_row(r, true)).collect())
}

/// Every document of a programme period, newest first.
pub async fn period_documents<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    period: &str,
) -> CoreResult<Vec<CollectionDocument>> {
    let rows = sqlx::query(&format!(
        "SELECT {DOCUMENT_COLUMNS} FROM kb_documents d WHERE d.period = $1
         ORDER BY d.doc_date DESC, d.title"
    ))
    .bind(period)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(|r| document_from_row(r, false)).collect())
}

/// Every document a collection page lists, before access is applied: the entries, and for an
/// archive also the documents of its period that are not entries (two statements: a `Copy`
/// executor).
pub async fn documents<'e, E: Executor<'e, Database = Any> + Copy>(
    executor: E,
    collection: &Collection,
) -> CoreResult<Vec<CollectionDocument>> {
    let mut docs = entries(executor, &collection.id).await?;
    if let (CollectionKind::Archief, Some(period)) = (collection.kind, &collection.period) {
        for doc in period_documents(executor, period).await? {
            if !docs.iter().any(|d| d.id == doc.id) {
                docs.push(doc);
            }
        }
    }
    Ok(docs)
}

/// Documents not yet in the collection whose title contains `text` (case-insensitively; all
/// when empty), by title, at most `limit`.
pub async fn addable_documents<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    collection_id: &str,
    text: &str,
    limit: usize,
) -> CoreResult<Vec<DocumentChoice>> {
    let rows = sqlx::query(
        "SELECT d.id, d.title, d.doc_type, d.doc_date FROM kb_documents d
         WHERE NOT EXISTS (SELECT 1 FROM kb_collection_entries e
                           WHERE e.collection_id = $1 AND e.document_id = d.id)
         ORDER BY d.title, d.id",
    )
    .bind(collection_id)
    .fetch_all(executor)
    .await?;
    // Matching in Rust keeps accents and case handling the same on both backends (SQLite's
    // LOWER only knows ASCII).
    let wanted = fold_text(text);
    Ok(rows
        .iter()
        .map(|r| DocumentChoice {
            id: r.get("id"),
            title: r.get("title"),
            doc_type: r.get("doc_type"),
            doc_date: r.get("doc_date"),
        })
        .filter(|d| wanted.is_empty() || fold_text(&d.title).contains(&wanted))
        .take(limit)
        .collect())
}

/// The slug and last change of every row, by slug (for the sitemap).
pub async fn slugs<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<Vec<(String, i64)>> {
    Ok(
        sqlx::query_as("SELECT slug, updated_at FROM kb_collections ORDER BY slug")
            .fetch_all(executor)
            .await?,
    )
}
