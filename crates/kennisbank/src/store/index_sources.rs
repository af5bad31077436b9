//! The documents as the search index reads them: the fields it indexes and the text read from
//! the file (terms are read with [`super::terms`]).

use std::collections::HashMap;

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

use crate::access::DocumentAccess;
pub use crate::model::index::{HitTarget, IndexedDocument};
use crate::model::Access;

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

/// The slug, type and access of the given documents and terms, in one query, by index id
/// ("document:…", "term:…"); rows that are gone are left out.
pub async fn hit_targets<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    documents: &[String],
    terms: &[String],
) -> CoreResult<HashMap<String, HitTarget>> {
    if documents.is_empty() && terms.is_empty() {
        return Ok(HashMap::new());
    }
    let placeholders = |from: usize, n: usize| {
        (from..from + n)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !documents.is_empty() {
        parts.push(format!(
            "SELECT 'document' AS entity, id, slug, doc_type AS kind, access, \
             access_organisation_id, access_group_id FROM kb_documents WHERE id IN ({})",
            placeholders(1, documents.len())
        ));
    }
    if !terms.is_empty() {
        parts.push(format!(
            "SELECT 'term' AS entity, id, slug, '' AS kind, 'publiek' AS access, \
             CAST(NULL AS TEXT) AS access_organisation_id, CAST(NULL AS TEXT) AS access_group_id \
             FROM kb_terms WHERE id IN ({})",
            placeholders(documents.len() + 1, terms.len())
        ));
    }
    let sql = parts.join(" UNION ALL ");
    let mut query = sqlx::query(&sql);
    for id in documents.iter().chain(terms.iter()) {
        query = query.bind(id);
    }
    let rows = query.fetch_all(executor).await?;
    let mut found = HashMap::new();
    for row in &rows {
        let entity: String = row.get("entity");
        let id: String = row.get("id");
        let access = DocumentAccess {
            // An unknown value is treated as the most restrictive kind there is for members.
            access: Access::parse(&row.get::<String, _>("access")).unwrap_or(Access::Organisatie),
            organisation_id: row.get("access_organisation_id"),
            group_id: row.get("access_group_id"),
        };
        found.insert(
            format!("{entity}:{id}"),
            HitTarget {
                slug: row.get("slug"),
                kind: row.get("kind"),
                access,
            },
        );
    }
    Ok(found)
}
