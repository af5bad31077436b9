//! A meeting's theme as the next meeting sees it (design §1 point 4): the GDPR group picks a
//! theme each time and evaluates it at the next meeting. Read by the minutes and by the
//! agenda's mail, so it sits below both.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

/// The theme of the group's last meeting before `starts_at` (not cancelled) that had one:
/// the next agenda evaluates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousTheme {
    pub meeting_id: String,
    pub local_date: String,
    pub theme: String,
    pub collection_id: Option<String>,
    pub section: Option<String>,
}

pub async fn previous_theme<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
    starts_at: i64,
) -> CoreResult<Option<PreviousTheme>> {
    // Only the meeting right before counts: a theme is evaluated at the next meeting, not at
    // every later one.
    let row = sqlx::query(
        "SELECT id, local_date, theme, theme_collection_id, theme_section FROM wg_meetings
         WHERE group_id = $1 AND starts_at < $2 AND status <> 'geannuleerd'
         ORDER BY starts_at DESC, id DESC LIMIT 1",
    )
    .bind(group_id)
    .bind(starts_at)
    .fetch_optional(exec)
    .await?;
    Ok(row
        .map(|row| PreviousTheme {
            meeting_id: row.get(0),
            local_date: row.get(1),
            theme: row.get(2),
            collection_id: row.get(3),
            section: row.get(4),
        })
        .filter(|t| !t.theme.is_empty()))
}
