//! What the daily reminders (crate::reminders, design §3.5) read: the meetings whose proposal
//! deadline or start is near, and who should be reminded of each. The state is read when the
//! task runs, so a meeting cancelled or moved since is judged as it is now.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

use crate::store::mail_log::Recipient;

/// A meeting due for a reminder: the version its reminder is logged under is `version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub meeting_id: String,
    pub version: i64,
}

/// Planned meetings with an open agenda whose proposal deadline falls in `(now, now + ahead]`;
/// the version is the deadline itself, so a deadline moved later is reminded of again.
pub async fn proposal_deadlines<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    now: i64,
    ahead: i64,
) -> CoreResult<Vec<Due>> {
    let rows = sqlx::query(
        "SELECT x.id, x.proposal_deadline_at FROM wg_meetings x
         JOIN wg_groups g ON g.group_id = x.group_id
         WHERE x.status = 'gepland' AND x.agenda_status = 'open'
           AND x.proposal_deadline_at > $1 AND x.proposal_deadline_at <= $2
           AND g.archived_at IS NULL
         ORDER BY x.proposal_deadline_at, x.id",
    )
    .bind(now)
    .bind(now + ahead)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Due {
            meeting_id: row.get(0),
            version: row.get(1),
        })
        .collect())
}

/// Planned meetings that were invited at their current SEQUENCE and start in
/// `(now, now + ahead]`; the version is that SEQUENCE, so a meeting moved after its reminder
/// (and invited again) is reminded of again before its new date.
pub async fn meetings_soon<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    now: i64,
    ahead: i64,
) -> CoreResult<Vec<Due>> {
    let rows = sqlx::query(
        "SELECT x.id, x.ical_sequence FROM wg_meetings x
         JOIN wg_groups g ON g.group_id = x.group_id
         WHERE x.status = 'gepland' AND x.invited_sequence = x.ical_sequence
           AND x.starts_at > $1 AND x.starts_at <= $2 AND g.archived_at IS NULL
         ORDER BY x.starts_at, x.id",
    )
    .bind(now)
    .bind(now + ahead)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Due {
            meeting_id: row.get(0),
            version: row.get(1),
        })
        .collect())
}

/// Members who may propose agenda items (`lid`, `voorzitter`) of the group, by name.
pub async fn proposers<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
) -> CoreResult<Vec<Recipient>> {
    let rows = sqlx::query(
        "SELECT p.id, p.name FROM person_names p
         WHERE p.id IN (SELECT user_id FROM wg_memberships WHERE group_id = $1
                        AND status = 'actief' AND role IN ('lid', 'voorzitter'))
         ORDER BY p.name, p.id",
    )
    .bind(group_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Recipient {
            user_id: row.get(0),
            name: row.get(1),
        })
        .collect())
}

/// Who was invited to the meeting (by mail, at any version), is still in the group or
/// facilitates it, and has not replied.
pub async fn not_replied<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    meeting_id: &str,
    group_id: &str,
) -> CoreResult<Vec<Recipient>> {
    let rows = sqlx::query(
        "SELECT p.id, p.name FROM person_names p
         WHERE p.id IN (SELECT user_id FROM wg_mail_log WHERE subject_id = $1
                        AND kind IN ('uitnodiging', 'wijziging'))
           AND (p.id IN (SELECT user_id FROM wg_memberships WHERE group_id = $2
                         AND status = 'actief')
                OR p.id IN (SELECT user_id FROM wg_facilitators WHERE group_id = $2))
           AND p.id NOT IN (SELECT user_id FROM wg_replies WHERE meeting_id = $1)
         ORDER BY p.name, p.id",
    )
    .bind(meeting_id)
    .bind(group_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Recipient {
            user_id: row.get(0),
            name: row.get(1),
        })
        .collect())
}
