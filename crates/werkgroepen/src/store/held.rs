//! What the plan's indicators read through [`crate::plan_source::MeetingsHeld`]: the groups and
//! event series linked to a plan item, and the meetings and events that actually took place.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

/// A group filed under a plan item, or an event series.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedSeries {
    /// `groep` or `reeks`.
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    /// The plan items (programme, werkspoor) of the group.
    pub plan_item_ids: Vec<String>,
}

/// The non-archived groups with a plan link, and every event series (with its group's plan
/// items, if it has a group), by title.
pub async fn linked<'e, E: Executor<'e, Database = Any> + Copy>(
    exec: E,
) -> CoreResult<Vec<LinkedSeries>> {
    let items = |row: &sqlx::any::AnyRow| -> Vec<String> {
        ["plan_programme_id", "plan_werkspoor_id"]
            .iter()
            .filter_map(|column| row.get::<Option<String>, _>(*column))
            .collect()
    };
    let groups = sqlx::query(
        "SELECT g.id, g.name, p.plan_programme_id, p.plan_werkspoor_id
         FROM wg_groups p JOIN working_groups g ON g.id = p.group_id
         WHERE p.archived_at IS NULL
           AND (p.plan_programme_id IS NOT NULL OR p.plan_werkspoor_id IS NOT NULL)
         ORDER BY g.name, g.id",
    )
    .fetch_all(exec)
    .await?;
    // Every event series: the Kenniscentrum organises them, with or without a group.
    let series = sqlx::query(
        "SELECT s.id, s.title, p.plan_programme_id, p.plan_werkspoor_id
         FROM wg_event_series s LEFT JOIN wg_groups p ON p.group_id = s.group_id
         ORDER BY s.title, s.id",
    )
    .fetch_all(exec)
    .await?;
    let mut out = Vec::with_capacity(groups.len() + series.len());
    for (kind, rows) in [("groep", groups), ("reeks", series)] {
        out.extend(rows.iter().map(|row| LinkedSeries {
            kind,
            id: row.get("id"),
            title: row.get(1),
            plan_item_ids: items(row),
        }));
    }
    Ok(out)
}

/// A meeting or event that took place (or was once marked so), with its date in Brussels
/// (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq)]
pub struct HeldOccasion {
    pub local_date: String,
    pub title: String,
    /// False for a meeting marked held once and since marked not held or cancelled: the plan
    /// keeps a value it pulled for that date, so the source must still give the date, with
    /// the count corrected.
    pub held: bool,
}

/// The group's name, if the group exists.
pub async fn group_name<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
) -> CoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT name FROM working_groups WHERE id = $1")
            .bind(group_id)
            .fetch_optional(exec)
            .await?,
    )
}

/// The event series' title, if it exists.
pub async fn series_title<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    series_id: &str,
) -> CoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT title FROM wg_event_series WHERE id = $1")
            .bind(series_id)
            .fetch_optional(exec)
            .await?,
    )
}

/// The group's meetings marked held, and those marked held once but no longer, oldest first.
pub async fn held_meetings<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
) -> CoreResult<Vec<HeldOccasion>> {
    let rows = sqlx::query(
        "SELECT local_date, title, status FROM wg_meetings
         WHERE group_id = $1 AND (status = 'gehouden' OR held_marked_at IS NOT NULL)
         ORDER BY starts_at, id",
    )
    .bind(group_id)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(occasion).collect())
}

/// The series' events that took place, and those once found so but no longer, oldest first.
pub async fn held_events<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    series_id: &str,
) -> CoreResult<Vec<HeldOccasion>> {
    let rows = sqlx::query(
        "SELECT local_date, title, status FROM wg_events
         WHERE series_id = $1 AND (status = 'gehouden' OR held_marked_at IS NOT NULL)
         ORDER BY starts_at, id",
    )
    .bind(series_id)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(occasion).collect())
}

fn occasion(row: &sqlx::any::AnyRow) -> HeldOccasion {
    HeldOccasion {
        local_date: row.get("local_date"),
        title: row.get("title"),
        held: row.get::<String, _>("status") == "gehouden",
    }
}
