//! The history of a page: one revision per save.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

use crate::model::pages::Revision;
use crate::model::PageStatus;

pub(super) const REVISION_SELECT: &str =
    "SELECT r.page_id, r.version, r.title, r.summary, r.body_md, \
     r.status, r.publish_at, u.name AS author_name, r.created_at \
     FROM site_page_revisions r LEFT JOIN person_names u ON u.id = r.author_id";

pub(super) fn revision_from_row(row: &sqlx::any::AnyRow) -> Revision {
    Revision {
        page_id: row.get("page_id"),
        version: row.get("version"),
        title: row.get("title"),
        summary: row.get("summary"),
        body_md: row.get("body_md"),
        status: PageStatus::parse(&row.get::<String, _>("status")).unwrap_or(PageStatus::Concept),
        publish_at: row.get("publish_at"),
        author_name: row.get("author_name"),
        created_at: row.get("created_at"),
    }
}

/// Every version of a page, newest first.
pub async fn revisions<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    page_id: &str,
) -> CoreResult<Vec<Revision>> {
    let rows = sqlx::query(&format!(
        "{REVISION_SELECT} WHERE r.page_id = $1 ORDER BY r.version DESC"
    ))
    .bind(page_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(revision_from_row).collect())
}

pub async fn find_revision<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    page_id: &str,
    version: i64,
) -> CoreResult<Option<Revision>> {
    let row = sqlx::query(&format!(
        "{REVISION_SELECT} WHERE r.page_id = $1 AND r.version = $2"
    ))
    .bind(page_id)
    .bind(version)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(revision_from_row))
}
