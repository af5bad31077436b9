//! Reading documents.

use std::collections::HashMap;

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_core::CoreError;

use crate::model::documents::{CollectionRef, Document, DocumentFilter, EXTRACT_JOB, PAGE_SIZE};
use crate::model::{Access, DocType, ExtractionStatus, Language};

pub(crate) const COLUMNS: &str =
    "d.id, d.slug, d.title, d.summary, d.doc_type, d.programme, d.werkspoor, \
     d.programme_id, d.werkspoor_id, \
     d.themes, d.organisations, d.period, d.doc_date, d.language, d.access, \
     d.access_organisation_id, d.access_group_id, d.external_url, d.file_id, d.file_format, \
     d.extraction_status, d.extraction_error, CAST(LENGTH(d.body_text) AS BIGINT) AS text_chars, \
     d.created_by, d.updated_by, d.created_at, d.updated_at, \
     f.filename AS file_name, f.size_bytes AS file_size, f.content_type AS file_content_type";

pub(crate) const FROM: &str = "kb_documents d LEFT JOIN kb_files f ON f.id = d.file_id";

fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

pub fn from_row(row: &sqlx::any::AnyRow) -> Document {
    Document {
        id: row.get("id"),
        slug: row.get("slug"),
        title: row.get("title"),
        summary: row.get("summary"),
        doc_type: DocType::parse(&row.get::<String, _>("doc_type")).unwrap_or(DocType::Rapport),
        programme: row.get("programme"),
        werkspoor: row.get("werkspoor"),
        programme_id: row.get("programme_id"),
        werkspoor_id: row.get("werkspoor_id"),
        themes: json_list(&row.get::<String, _>("themes")),
        organisations: json_list(&row.get::<String, _>("organisations")),
        period: row.get("period"),
        doc_date: row.get("doc_date"),
        language: Language::parse(&row.get::<String, _>("language")).unwrap_or(Language::Nl),
        // An unknown value must never open a document wider than meant: members only.
        access: Access::parse(&row.get::<String, _>("access")).unwrap_or(Access::Leden),
        access_organisation_id: row.get("access_organisation_id"),
        access_group_id: row.get("access_group_id"),
        external_url: row.get("external_url"),
        file_id: row.get("file_id"),
        file_format: row.get("file_format"),
        file_name: row.get("file_name"),
        file_size: row.get("file_size"),
        file_content_type: row.get("file_content_type"),
        extraction_status: ExtractionStatus::parse(&row.get::<String, _>("extraction_status"))
            .unwrap_or(ExtractionStatus::Geen),
        extraction_error: row.get("extraction_error"),
        text_chars: row.get::<Option<i64>, _>("text_chars").unwrap_or(0),
        created_by: row.get("created_by"),
        updated_by: row.get("updated_by"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    }
}

/// The document with `id`, if there is one.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Option<Document>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM {FROM} WHERE d.id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// The document with `id`; `NotFound` when there is none.
pub async fn get<'e, E: Executor<'e, Database = Any>>(exec: E, id: &str) -> CoreResult<Document> {
    find(exec, id).await?.ok_or(CoreError::NotFound("document"))
}

pub async fn find_by_slug<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    slug: &str,
) -> CoreResult<Option<Document>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM {FROM} WHERE d.slug = $1"))
        .bind(slug)
        .fetch_optional(executor)
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// Several documents by id (unknown ids are left out), in the order of `ids`.
pub async fn find_many<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    ids: &[String],
) -> CoreResult<Vec<Document>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE d.id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(id);
    }
    let rows = query.fetch_all(executor).await?;
    let mut by_id: HashMap<String, Document> = rows
        .iter()
        .map(from_row)
        .map(|d| (d.id.clone(), d))
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// The text read from the document's file ('' before extraction or for a link).
pub async fn body_text<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<String> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT body_text FROM kb_documents WHERE id = $1")
            .bind(id)
            .fetch_optional(executor)
            .await?;
    Ok(text.unwrap_or_default())
}

/// One page (from 1) of the documents matching `filter`, newest change first, and the total.
/// (Two statements: the executor is a pool, which is `Copy`.)
pub async fn list<'e, E: Executor<'e, Database = Any> + Copy>(
    executor: E,
    filter: &DocumentFilter,
    page: i64,
) -> CoreResult<(Vec<Document>, i64)> {
    let mut conditions: Vec<String> = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let mut add = |condition: &str, value: String| {
        binds.push(value);
        conditions.push(condition.replace('?', &format!("${}", binds.len())));
    };
    if !filter.doc_type.trim().is_empty() {
        add("d.doc_type = ?", filter.doc_type.trim().to_string());
    }
    if !filter.programme.trim().is_empty() {
        add("d.programme = ?", filter.programme.trim().to_string());
    }
    if !filter.period.trim().is_empty() {
        add("d.period = ?", filter.period.trim().to_string());
    }
    if !filter.extraction_status.trim().is_empty() {
        add(
            "d.extraction_status = ?",
            filter.extraction_status.trim().to_string(),
        );
    }
    if !filter.q.trim().is_empty() {
        add(
            "LOWER(d.title) LIKE ?",
            format!(
                "%{}%",
                filter.q.trim().to_lowercase().replace(['%', '_'], "")
            ),
        );
    }
    let condition = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let count_sql = format!("SELECT COUNT(*) FROM kb_documents d {condition}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for b in &binds {
        count = count.bind(b);
    }
    let total = count.fetch_one(executor).await?;
    let page = page.max(1);
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} {condition} ORDER BY d.updated_at DESC, d.id
         LIMIT {PAGE_SIZE} OFFSET {}",
        (page - 1) * PAGE_SIZE
    );
    let mut query = sqlx::query(&sql);
    for b in &binds {
        query = query.bind(b);
    }
    let rows = query.fetch_all(executor).await?;
    Ok((rows.iter().map(from_row).collect(), total))
}

/// Public documents (access `publiek`) of the given types, newest date first: `limit` from
/// `offset`, and the total.
pub async fn list_public_by_type<'e, E: Executor<'e, Database = Any> + Copy>(
    executor: E,
    types: &[DocType],
    limit: i64,
    offset: i64,
) -> CoreResult<(Vec<Document>, i64)> {
    if types.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let placeholders: Vec<String> = (1..=types.len()).map(|i| format!("${i}")).collect();
    let condition = format!(
        "d.access = 'publiek' AND d.doc_type IN ({})",
        placeholders.join(", ")
    );
    let count_sql = format!("SELECT COUNT(*) FROM kb_documents d WHERE {condition}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for t in types {
        count = count.bind(t.as_str());
    }
    let total = count.fetch_one(executor).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {condition}
         ORDER BY COALESCE(d.doc_date, '') DESC, d.created_at DESC, d.id
         LIMIT {} OFFSET {}",
        limit.max(0),
        offset.max(0)
    );
    let mut query = sqlx::query(&sql);
    for t in types {
        query = query.bind(t.as_str());
    }
    let rows = query.fetch_all(executor).await?;
    Ok((rows.iter().map(from_row).collect(), total))
}

/// The documents restricted to working group `group_id` (access `werkgroep`), newest date
/// first, at most `limit`: the group's document space.
pub async fn list_for_group<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    group_id: &str,
    limit: i64,
) -> CoreResult<Vec<Document>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE d.access = $1 AND d.access_group_id = $2
         ORDER BY COALESCE(d.doc_date, '') DESC, d.created_at DESC, d.id
         LIMIT {}",
        limit.max(0)
    );
    let rows = sqlx::query(&sql)
        .bind(Access::Werkgroep.as_str())
        .bind(group_id)
        .fetch_all(executor)
        .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// The collections that list document `id`, by title.
pub async fn collections_of<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Vec<CollectionRef>> {
    let rows = sqlx::query(
        "SELECT c.slug, c.title, c.kind FROM kb_collection_entries e
         JOIN kb_collections c ON c.id = e.collection_id
         WHERE e.document_id = $1 ORDER BY c.title",
    )
    .bind(id)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|r| CollectionRef {
            slug: r.get("slug"),
            title: r.get("title"),
            kind: r.get("kind"),
        })
        .collect())
}

/// The names of organisations by id (unknown ids are left out), in the order of `ids`.
pub async fn organisation_names<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    ids: &[String],
) -> CoreResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let names = crate::store::organisations::names(executor).await?;
    Ok(ids.iter().filter_map(|id| names.get(id).cloned()).collect())
}

/// Every theme used on a document, sorted (for the form's choices).
pub async fn all_themes<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<Vec<String>> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT themes FROM kb_documents")
        .fetch_all(executor)
        .await?;
    let mut themes: Vec<String> = rows.iter().flat_map(|t| json_list(t)).collect();
    themes.sort_by_key(|t| t.to_lowercase());
    themes.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    Ok(themes)
}

/// Every programme named on a document, sorted (for the form's suggestions and filters).
pub async fn all_programmes<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<Vec<String>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT programme FROM kb_documents WHERE programme IS NOT NULL ORDER BY programme",
    )
    .fetch_all(executor)
    .await?;
    Ok(rows)
}

/// The job id of the latest extraction of document `id`, if any (for a link to the jobs page).
pub async fn latest_job<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<String>> {
    let like = format!("%\"document_id\":\"{id}\"%");
    let job: Option<String> = sqlx::query_scalar(
        "SELECT id FROM jobs WHERE kind = $1 AND payload LIKE $2 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(EXTRACT_JOB)
    .bind(like)
    .fetch_optional(executor)
    .await?;
    Ok(job)
}

/// The document with `id` when it is public (access `publiek`).
pub async fn find_public<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<Document>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE d.id = $1 AND d.access = 'publiek'"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(from_row))
}

/// The slug and last change of every public document, by slug (for the sitemap).
pub async fn public_slugs<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT slug, updated_at FROM kb_documents WHERE access = 'publiek' ORDER BY slug",
    )
    .fetch_all(executor)
    .await?)
}

/// The id of a document with exactly this title (the demo's seeding, which runs once per title).
pub async fn find_id_by_title<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    title: &str,
) -> CoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM kb_documents WHERE title = $1")
            .bind(title)
            .fetch_optional(executor)
            .await?,
    )
}
