//! Invitations a person has not answered (design §3.4, the workspace kind "vergadering"):
//! planned meetings they were mailed an invitation or update for (`wg_mail_log`), starting
//! within the coming weeks, with no reply in `wg_replies`, in a group they still belong to or
//! facilitate. A reply on the page, through the mail link or the API ends the task.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

use crate::store::mine::Waiting;

/// The unanswered invitations of `user_id` for meetings starting in `(now, now + ahead]`,
/// soonest first; `until` is the meeting's start.
pub async fn invitations<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: &str,
    now: i64,
    ahead: i64,
) -> CoreResult<Vec<Waiting>> {
    let rows = sqlx::query(
        "SELECT x.id, w.slug, w.name, x.title, x.local_date, x.starts_at
         FROM wg_meetings x
         JOIN working_groups w ON w.id = x.group_id
         JOIN wg_groups g ON g.group_id = x.group_id
         WHERE x.status = 'gepland' AND x.starts_at > $2 AND x.starts_at <= $3
           AND g.archived_at IS NULL
           AND EXISTS (SELECT 1 FROM wg_mail_log l WHERE l.subject_id = x.id
                       AND l.user_id = $1 AND l.kind IN ('uitnodiging', 'wijziging'))
           AND NOT EXISTS (SELECT 1 FROM wg_replies r
                           WHERE r.meeting_id = x.id AND r.user_id = $1)
           AND (x.group_id IN (SELECT m.group_id FROM wg_memberships m
                               WHERE m.user_id = $1 AND m.status = 'actief')
                OR x.group_id IN (SELECT f.group_id FROM wg_facilitators f
                                  WHERE f.user_id = $1))
         ORDER BY x.starts_at, x.id",
    )
    .bind(user_id)
    .bind(now)
    .bind(now + ahead)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Waiting {
            meeting_id: row.get("id"),
            group_slug: row.get("slug"),
            group_name: row.get("name"),
            title: row.get("title"),
            local_date: row.get("local_date"),
            until: row.get("starts_at"),
        })
        .collect())
}
