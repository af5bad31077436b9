//! The public events the werkgroepen module offers other modules through the port
//! `steden_web::items::ItemSource` ([`crate::items`]): events anyone may register for
//! (registration `publiek`, the events an anonymous visitor sees) that are not cancelled.
//! Meetings of working groups have no public page and are not offered.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_web::items::words_condition;

use crate::model::RegistrationMode;

/// A public event, as the port shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventItem {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub description_md: String,
    pub local_date: String,
    pub local_start: String,
    pub local_end: String,
    pub place: String,
}

const COLUMNS: &str = "id, slug, title, description_md, local_date, local_start, local_end, place";

/// The condition "public and not cancelled".
fn public_condition() -> String {
    format!(
        "registration = '{}' AND status <> 'geannuleerd'",
        RegistrationMode::Publiek.as_str()
    )
}

fn from_row(row: &sqlx::any::AnyRow) -> EventItem {
    EventItem {
        id: row.get("id"),
        slug: row.get("slug"),
        title: row.get("title"),
        description_md: row.get("description_md"),
        local_date: row.get("local_date"),
        local_start: row.get("local_start"),
        local_end: row.get("local_end"),
        place: row.get("place"),
    }
}

/// The public events whose title or description holds every pattern, on a day from `from` to
/// `until` ('YYYY-MM-DD', both included), latest day first.
pub async fn public_events<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    patterns: &[String],
    from: Option<&str>,
    until: Option<&str>,
    limit: i64,
) -> CoreResult<Vec<EventItem>> {
    let mut sql = format!(
        "SELECT {COLUMNS} FROM wg_events WHERE {} AND {}",
        public_condition(),
        words_condition(&["title", "description_md"], 1, patterns.len())
    );
    let mut next = patterns.len() + 1;
    for (bound, op) in [(from, ">="), (until, "<=")] {
        if bound.is_some() {
            sql.push_str(&format!(" AND local_date {op} ${next}"));
            next += 1;
        }
    }
    sql.push_str(&format!(
        " ORDER BY local_date DESC, local_start DESC, id LIMIT ${next}"
    ));
    let mut query = sqlx::query(&sql);
    for pattern in patterns {
        query = query.bind(pattern);
    }
    for bound in [from, until].into_iter().flatten() {
        query = query.bind(bound);
    }
    let rows = query.bind(limit).fetch_all(executor).await?;
    Ok(rows.iter().map(from_row).collect())
}

/// The event `id` when it is public and not cancelled.
pub async fn public_event<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<EventItem>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM wg_events WHERE id = $1 AND {}",
        public_condition()
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(from_row))
}
