//! The documents as the search index reads them: the fields it indexes and the text read from
//! the file (terms are read with [`super::terms`]).

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

use crate::access::DocumentAccess;
use crate::model::Access;

/// What the index needs of a document. `doc_type` is as stored (the index shows its label).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedDocument {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub doc_type: String,
    pub programme: Option<String>,
    pub themes: Vec<String>,
    /// Ids of the organisations involved.
    pub organisations: Vec<String>,
    pub period: Option<String>,
    pub doc_date: Option<String>,
    pub access: DocumentAccess,
    pub body: String,
}

const COLUMNS: &str = "id, title, summary, doc_type, programme, themes, organisations, \
     period, doc_date, access, access_organisation_id, access_group_id, body_text";

fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn from_row(row: &sqlx::any::AnyRow) -> IndexedDocument {
    IndexedDocument {
        id: row.get("id"),
        title: row.get("title"),
        summary: row.get("summary"),
        doc_type: row.get("doc_type"),
        programme: row.get("programme"),
        themes: json_list(&row.get::<String, _>("themes")),
        organisations: json_list(&row.get::<String, _>("organisations")),
        period: row.get("period"),
        doc_date: row.get("doc_date"),
        access: DocumentAccess {
            access: Access::parse(&row.get::<String, _>("access")).unwrap_or(Access::Leden),
            organisation_id: row.get("access_organisation_id"),
            group_id: row.get("access_group_id"),
        },
        body: row.get("body_text"),
    }
}

/// Every document.
pub async fn all_documents<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<Vec<IndexedDocument>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM kb_documents"))
        .fetch_all(executor)
        .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// Document `id`, when it exists.
pub async fn find_document<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<IndexedDocument>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM kb_documents WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    Ok(row.as_ref().map(from_row))
}
