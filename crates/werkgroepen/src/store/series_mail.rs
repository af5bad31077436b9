//! What the invitations of series meetings need to read (design §3.5): whether a meeting was
//! ever invited, and which planned series meetings have come within the invitation horizon
//! without an invitation yet.

use sqlx::{Any, Executor};
use steden_core::error::CoreResult;

use crate::store::meetings::MeetingStatus;

/// Planned series meetings starting in `(from, to]` that were never invited, oldest first.
pub async fn uninvited<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    from: i64,
    to: i64,
) -> CoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT m.id FROM wg_meetings m JOIN wg_groups g ON g.group_id = m.group_id
         WHERE m.series_id IS NOT NULL AND m.status = $1 AND m.invited_sequence IS NULL
            AND m.starts_at > $2 AND m.starts_at <= $3 AND g.archived_at IS NULL
         ORDER BY m.starts_at, m.id",
    )
    .bind(MeetingStatus::Gepland.as_str())
    .bind(from)
    .bind(to)
    .fetch_all(exec)
    .await?)
}
