//! The mails already handed to the outbox (`wg_mail_log`), one row per (kind, meeting, version,
//! person), so that a retried fan-out job skips those it already sent (design §3.5); and who
//! receives a meeting's mails.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_db::{now_ms, Tx};

/// Someone a meeting's mail goes to (the address is asked of the core when sending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub user_id: String,
    pub name: String,
}

fn recipients_of(rows: Vec<sqlx::any::AnyRow>) -> Vec<Recipient> {
    rows.iter()
        .map(|row| Recipient {
            user_id: row.get(0),
            name: row.get(1),
        })
        .collect()
}

/// Who is invited to the group's meetings now: its active members (guests too: they are
/// invited to the meetings) and its named facilitators, each once, by name.
pub async fn recipients<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
) -> CoreResult<Vec<Recipient>> {
    let rows = sqlx::query(
        "SELECT p.id, p.name FROM person_names p
         WHERE p.id IN (SELECT user_id FROM wg_memberships WHERE group_id = $1 AND status = 'actief')
            OR p.id IN (SELECT user_id FROM wg_facilitators WHERE group_id = $1)
         ORDER BY p.name, p.id",
    )
    .bind(group_id)
    .fetch_all(exec)
    .await?;
    Ok(recipients_of(rows))
}

/// Who received an invitation (or its update) for the meeting: a cancellation goes to them,
/// also to those who left the group since.
pub async fn invited<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    meeting_id: &str,
) -> CoreResult<Vec<Recipient>> {
    let rows = sqlx::query(
        "SELECT p.id, p.name FROM person_names p
         WHERE p.id IN (SELECT user_id FROM wg_mail_log
                        WHERE subject_id = $1 AND kind IN ('uitnodiging', 'wijziging'))
         ORDER BY p.name, p.id",
    )
    .bind(meeting_id)
    .fetch_all(exec)
    .await?;
    Ok(recipients_of(rows))
}

/// Whether this mail was already handed to the outbox.
pub async fn was_sent(
    tx: &mut Tx<'_>,
    kind: &str,
    subject_id: &str,
    version: i64,
    user_id: &str,
) -> CoreResult<bool> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT outbox_id FROM wg_mail_log
         WHERE kind = $1 AND subject_id = $2 AND version = $3 AND user_id = $4",
    )
    .bind(kind)
    .bind(subject_id)
    .bind(version)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}

/// Records a mail handed to the outbox, in the transaction that enqueued it. The primary key
/// makes a second worker's copy fail and roll back rather than send twice.
pub async fn record(
    tx: &mut Tx<'_>,
    kind: &str,
    subject_id: &str,
    version: i64,
    user_id: &str,
    outbox_id: &str,
) -> CoreResult<()> {
    sqlx::query(
        "INSERT INTO wg_mail_log (kind, subject_id, version, user_id, outbox_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(kind)
    .bind(subject_id)
    .bind(version)
    .bind(user_id)
    .bind(outbox_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The SEQUENCE last mailed for the meeting (`None`: never invited).
pub async fn invited_sequence<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    meeting_id: &str,
) -> CoreResult<Option<i64>> {
    let found: Option<Option<i64>> =
        sqlx::query_scalar("SELECT invited_sequence FROM wg_meetings WHERE id = $1")
            .bind(meeting_id)
            .fetch_optional(exec)
            .await?;
    Ok(found.flatten())
}

/// Notes that the meeting's invitations went out at `version` (never lowers it; touches
/// neither the sequence nor `updated_at`, since the meeting itself did not change).
pub async fn mark_invited(tx: &mut Tx<'_>, meeting_id: &str, version: i64) -> CoreResult<()> {
    sqlx::query(
        "UPDATE wg_meetings SET invited_sequence = $1
         WHERE id = $2 AND (invited_sequence IS NULL OR invited_sequence < $1)",
    )
    .bind(version)
    .bind(meeting_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
