//! Reading pages, and what is online.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

use crate::model::pages::Page;
use crate::model::{PageKind, PageStatus, ProjectState};

/// The SQL condition for "online at $1" (see [`Page::is_live`]).
pub const LIVE_AT: &str =
    "(status = 'gepubliceerd' OR (status = 'gepland' AND publish_at IS NOT NULL AND publish_at <= $1))";

pub const COLUMNS: &str = "id, kind, slug, title, summary, body_md, status, publish_at, \
     project_state, programme, image_id, created_at, updated_at";

pub fn from_row(row: &sqlx::any::AnyRow) -> Page {
    Page {
        id: row.get("id"),
        kind: PageKind::parse(&row.get::<String, _>("kind")).unwrap_or(PageKind::Pagina),
        slug: row.get("slug"),
        title: row.get("title"),
        summary: row.get("summary"),
        body_md: row.get("body_md"),
        status: PageStatus::parse(&row.get::<String, _>("status")).unwrap_or(PageStatus::Concept),
        publish_at: row.get("publish_at"),
        project_state: row
            .get::<Option<String>, _>("project_state")
            .and_then(|s| ProjectState::parse(&s)),
        programme: row.get("programme"),
        image_id: row.get("image_id"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    }
}

/// The pages of `kind` online at `now`, newest first, at most `limit`.
pub async fn live<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    kind: PageKind,
    now: i64,
    limit: i64,
) -> CoreResult<Vec<Page>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM site_pages WHERE kind = $2 AND {LIVE_AT}
         ORDER BY COALESCE(publish_at, updated_at) DESC, title LIMIT $3"
    ))
    .bind(now)
    .bind(kind.as_str())
    .bind(limit)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// `limit` pages of `kind` online at `now` from `offset`, newest first (the news list's pages).
pub async fn live_from<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    kind: PageKind,
    now: i64,
    limit: i64,
    offset: i64,
) -> CoreResult<Vec<Page>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM site_pages WHERE kind = $2 AND {LIVE_AT}
         ORDER BY COALESCE(publish_at, updated_at) DESC, title LIMIT $3 OFFSET $4"
    ))
    .bind(now)
    .bind(kind.as_str())
    .bind(limit)
    .bind(offset)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// How many pages of `kind` are online at `now`.
pub async fn count_live<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    kind: PageKind,
    now: i64,
) -> CoreResult<i64> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM site_pages WHERE kind = $2 AND {LIVE_AT}"
    ))
    .bind(now)
    .bind(kind.as_str())
    .fetch_one(executor)
    .await?)
}

/// Every page online at `now`, by kind and slug (for the sitemap).
pub async fn all_live<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    now: i64,
) -> CoreResult<Vec<Page>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM site_pages WHERE {LIVE_AT} ORDER BY kind, slug"
    ))
    .bind(now)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// The page of `kind` with `slug`, whatever its status (callers check [`Page::is_live`]).
pub async fn find_by_slug<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    kind: PageKind,
    slug: &str,
) -> CoreResult<Option<Page>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM site_pages WHERE kind = $1 AND slug = $2"
    ))
    .bind(kind.as_str())
    .bind(slug)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(from_row))
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<Page>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM site_pages WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// Every page for the editors' list, optionally of one kind and status, last changed first.
pub async fn list_for_editors<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    kind: Option<PageKind>,
    status: Option<PageStatus>,
) -> CoreResult<Vec<Page>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM site_pages
         WHERE ($1 IS NULL OR kind = $1) AND ($2 IS NULL OR status = $2)
         ORDER BY updated_at DESC, title"
    ))
    .bind(kind.map(|k| k.as_str()))
    .bind(status.map(|s| s.as_str()))
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// How many pages wait: drafts, and scheduled pages whose moment is still to come.
pub async fn waiting_counts<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    now: i64,
) -> CoreResult<(i64, i64)> {
    let row = sqlx::query(
        "SELECT
             CAST(COALESCE(SUM(CASE WHEN status = 'concept' THEN 1 ELSE 0 END), 0) AS BIGINT) AS drafts,
             CAST(COALESCE(SUM(CASE WHEN status = 'gepland' AND publish_at > $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS scheduled
         FROM site_pages",
    )
    .bind(now)
    .fetch_one(executor)
    .await?;
    Ok((row.get("drafts"), row.get("scheduled")))
}
