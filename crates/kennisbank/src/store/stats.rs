//! Anonymous usage counts: page views per page per day and search queries per day. Nothing
//! about the visitor is stored — no cookie, no address, no user id, no user agent — only the
//! path or the normalised query and a count.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_db::Tx;

pub use crate::model::stats::{Counted, QueryCount};

/// The day (UTC, 'YYYY-MM-DD') of a moment in milliseconds.
pub fn day_of(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.date_naive().format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Adds one view of `path` on the day of `now`.
pub async fn record_view(tx: &mut Tx<'_>, path: &str, now: i64) -> CoreResult<()> {
    sqlx::query(
        "INSERT INTO site_page_views (day, path, views) VALUES ($1, $2, 1)
         ON CONFLICT (day, path) DO UPDATE SET views = site_page_views.views + 1",
    )
    .bind(day_of(now))
    .bind(path)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A query as it is counted: lower case, spaces collapsed, at most 100 characters.
pub fn normalise_query(query: &str) -> String {
    query
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(100)
        .collect()
}

/// Counts one search for `query` (ignored when empty) that found `total` documents.
pub async fn record_search(tx: &mut Tx<'_>, query: &str, total: usize, now: i64) -> CoreResult<()> {
    let query = normalise_query(query);
    if query.is_empty() {
        return Ok(());
    }
    let without = i64::from(total == 0);
    sqlx::query(
        "INSERT INTO kb_search_queries (day, query, searches, without_results) VALUES ($1, $2, 1, $3)
         ON CONFLICT (day, query) DO UPDATE SET searches = kb_search_queries.searches + 1,
             without_results = kb_search_queries.without_results + excluded.without_results",
    )
    .bind(day_of(now))
    .bind(&query)
    .bind(without)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The first day (inclusive) of the last `days` days up to the day of `now`.
pub fn first_day(now: i64, days: i64) -> String {
    day_of(now - (days.max(1) - 1) * 24 * 60 * 60 * 1000)
}

/// All page views since `from_day` (inclusive).
pub async fn total_views<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    from_day: &str,
) -> CoreResult<i64> {
    let total: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(SUM(views) AS BIGINT) FROM site_page_views WHERE day >= $1",
    )
    .bind(from_day)
    .fetch_one(executor)
    .await?;
    Ok(total.unwrap_or(0))
}

/// The views of `path` on `day` (0 when none).
pub async fn views_of<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    path: &str,
    day: &str,
) -> CoreResult<i64> {
    let views: Option<i64> =
        sqlx::query_scalar("SELECT views FROM site_page_views WHERE day = $1 AND path = $2")
            .bind(day)
            .bind(path)
            .fetch_optional(executor)
            .await?;
    Ok(views.unwrap_or(0))
}

/// The most visited paths since `from_day`, most first.
pub async fn top_pages<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    from_day: &str,
    limit: i64,
) -> CoreResult<Vec<Counted>> {
    let rows = sqlx::query(
        "SELECT path, CAST(SUM(views) AS BIGINT) AS total FROM site_page_views WHERE day >= $1
         GROUP BY path ORDER BY total DESC, path LIMIT $2",
    )
    .bind(from_day)
    .bind(limit)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Counted {
            key: row.get("path"),
            count: row.get("total"),
        })
        .collect())
}

async fn queries<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    sql: &str,
    from_day: &str,
    limit: i64,
) -> CoreResult<Vec<QueryCount>> {
    let rows = sqlx::query(sql)
        .bind(from_day)
        .bind(limit)
        .fetch_all(executor)
        .await?;
    Ok(rows
        .iter()
        .map(|row| QueryCount {
            query: row.get("query"),
            searches: row.get("searches"),
            without_results: row.get("without"),
        })
        .collect())
}

/// The most frequent search queries since `from_day`, most first.
pub async fn top_queries<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    from_day: &str,
    limit: i64,
) -> CoreResult<Vec<QueryCount>> {
    queries(
        executor,
        "SELECT query, CAST(SUM(searches) AS BIGINT) AS searches,
                CAST(SUM(without_results) AS BIGINT) AS without
         FROM kb_search_queries WHERE day >= $1
         GROUP BY query ORDER BY searches DESC, query LIMIT $2",
        from_day,
        limit,
    )
    .await
}

/// Queries since `from_day` for which every search found nothing — what the library is
/// missing — most asked first.
pub async fn queries_without_results<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    from_day: &str,
    limit: i64,
) -> CoreResult<Vec<QueryCount>> {
    queries(
        executor,
        "SELECT query, CAST(SUM(searches) AS BIGINT) AS searches,
                CAST(SUM(without_results) AS BIGINT) AS without
         FROM kb_search_queries WHERE day >= $1
         GROUP BY query HAVING SUM(without_results) >= SUM(searches)
         ORDER BY searches DESC, query LIMIT $2",
        from_day,
        limit,
    )
    .await
}
