//! The public items the Kennisbank offers other modules through the port
//! `steden_web::items::ItemSource` ([`crate::items`]): documents with access `publiek`, and
//! news pages that are online. Nothing else: what an anonymous reader may not open is never
//! read here.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_web::items::words_condition;

use super::pages::LIVE_AT;
use crate::model::Access;

/// A public document, as the port shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentItem {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// 'YYYY-MM-DD', when the document has a date.
    pub doc_date: Option<String>,
}

/// Which public documents: the search words' `LIKE` patterns, a period of document dates
/// ('YYYY-MM-DD'; a document without a date is left out when a period is given).
#[derive(Debug, Clone, Default)]
pub struct ItemFilter<'a> {
    pub patterns: &'a [String],
    pub from: Option<&'a str>,
    pub until: Option<&'a str>,
    pub limit: i64,
}

fn document(row: &sqlx::any::AnyRow) -> DocumentItem {
    DocumentItem {
        id: row.get("id"),
        slug: row.get("slug"),
        title: row.get("title"),
        summary: row.get("summary"),
        doc_date: row.get("doc_date"),
    }
}

/// The public documents that match `filter`, newest date first (undated last).
pub async fn public_documents<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    filter: &ItemFilter<'_>,
) -> CoreResult<Vec<DocumentItem>> {
    let mut sql = format!(
        "SELECT id, slug, title, summary, doc_date FROM kb_documents
         WHERE access = '{}' AND {}",
        Access::Publiek.as_str(),
        words_condition(&["title", "summary"], 1, filter.patterns.len())
    );
    let mut next = filter.patterns.len() + 1;
    for (bound, op) in [(filter.from, ">="), (filter.until, "<=")] {
        if bound.is_some() {
            sql.push_str(&format!(
                " AND doc_date IS NOT NULL AND doc_date {op} ${next}"
            ));
            next += 1;
        }
    }
    sql.push_str(&format!(
        " ORDER BY COALESCE(doc_date, '') DESC, created_at DESC, id LIMIT ${next}"
    ));
    let mut query = sqlx::query(&sql);
    for pattern in filter.patterns {
        query = query.bind(pattern);
    }
    for bound in [filter.from, filter.until].into_iter().flatten() {
        query = query.bind(bound);
    }
    let rows = query.bind(filter.limit).fetch_all(executor).await?;
    Ok(rows.iter().map(document).collect())
}

/// The document `id` when it is public.
pub async fn public_document<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<DocumentItem>> {
    let row = sqlx::query(
        "SELECT id, slug, title, summary, doc_date FROM kb_documents WHERE id = $1 AND access = $2",
    )
    .bind(id)
    .bind(Access::Publiek.as_str())
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(document))
}

/// A news page online, with its picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsItem {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// When it went online (ms), else its last change.
    pub shown_at: i64,
    pub image_id: Option<String>,
    pub image_alt: Option<String>,
}

const NEWS_COLUMNS: &str = "p.id, p.slug, p.title, p.summary, \
     COALESCE(p.publish_at, p.updated_at) AS shown_at, p.image_id, i.alt AS image_alt";

fn news(row: &sqlx::any::AnyRow) -> NewsItem {
    NewsItem {
        id: row.get("id"),
        slug: row.get("slug"),
        title: row.get("title"),
        summary: row.get("summary"),
        shown_at: row.get("shown_at"),
        image_id: row.get("image_id"),
        image_alt: row.get("image_alt"),
    }
}

/// The news pages online at `now` that match `patterns`, shown between `from` and `until` (ms,
/// `until` exclusive), newest first.
pub async fn live_news<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    now: i64,
    patterns: &[String],
    from: Option<i64>,
    until: Option<i64>,
    limit: i64,
) -> CoreResult<Vec<NewsItem>> {
    // LIVE_AT reads $1 (now).
    let mut sql = format!(
        "SELECT {NEWS_COLUMNS} FROM site_pages p LEFT JOIN site_images i ON i.id = p.image_id
         WHERE p.kind = 'nieuws' AND {LIVE_AT} AND {}",
        words_condition(&["p.title", "p.summary"], 2, patterns.len())
    );
    let mut next = patterns.len() + 2;
    for (bound, op) in [(from, ">="), (until, "<")] {
        if bound.is_some() {
            sql.push_str(&format!(
                " AND COALESCE(p.publish_at, p.updated_at) {op} ${next}"
            ));
            next += 1;
        }
    }
    sql.push_str(&format!(
        " ORDER BY COALESCE(p.publish_at, p.updated_at) DESC, p.id LIMIT ${next}"
    ));
    let mut query = sqlx::query(&sql).bind(now);
    for pattern in patterns {
        query = query.bind(pattern);
    }
    for bound in [from, until].into_iter().flatten() {
        query = query.bind(bound);
    }
    let rows = query.bind(limit).fetch_all(executor).await?;
    Ok(rows.iter().map(news).collect())
}

/// The news page `id` when it is online at `now`.
pub async fn live_news_page<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    now: i64,
    id: &str,
) -> CoreResult<Option<NewsItem>> {
    let row = sqlx::query(&format!(
        "SELECT {NEWS_COLUMNS} FROM site_pages p LEFT JOIN site_images i ON i.id = p.image_id
         WHERE p.kind = 'nieuws' AND {LIVE_AT} AND p.id = $2"
    ))
    .bind(now)
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(news))
}
