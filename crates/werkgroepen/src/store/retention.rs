//! Retention of event participants' data (design §3.8, issue 13 point 8): a set number of
//! months after an event ends, what the certificates do not need is removed. Registrations
//! that were cancelled, waited or did not attend are deleted; an attendee keeps their name,
//! the event, `attended` and `certificate_issued_at`, so their certificate can still be made,
//! while the address, the answers and the organisation they typed are blanked. The
//! evaluation responses lose their link to the registration (the answers stay, anonymous).
//! `anonymised_at` on the event makes a second run pass it by.

use chrono::{DateTime, Months};
use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_db::Tx;

use super::events;

/// The setting with the default number of months (`settings` table); an event's own
/// `retention_months` overrides it.
pub const SETTING: &str = "werkgroepen.retention_months";
/// Months kept when the setting is absent or not a number (issue 13 point 8).
pub const DEFAULT_MONTHS: u32 = 12;
/// More than a lifetime: a larger value is taken as this, so the date sum cannot overflow.
const MAX_MONTHS: u32 = 1_200;

/// The number of months a setting's text stands for; anything unreadable is the default.
pub fn parse_months(value: Option<&str>) -> u32 {
    value
        .and_then(|v| v.trim().parse::<u32>().ok())
        .map(|m| m.min(MAX_MONTHS))
        .unwrap_or(DEFAULT_MONTHS)
}

/// The moment (ms) from which an event that ended at `ends_at` is due: `months` calendar
/// months later (31 March + 1 month is 30 April, as chrono counts).
pub fn due_at(ends_at: i64, months: u32) -> i64 {
    DateTime::from_timestamp_millis(ends_at)
        .and_then(|end| end.checked_add_months(Months::new(months)))
        .map(|due| due.timestamp_millis())
        .unwrap_or(i64::MAX)
}

/// Events not yet anonymised whose retention ran out at `now`, given the default months.
pub async fn due_events<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    now: i64,
    default_months: u32,
) -> CoreResult<Vec<String>> {
    // Every retention is at least a month; the exact moment is reckoned per event in Rust,
    // because month arithmetic differs between the two SQL dialects.
    let rows = sqlx::query(
        "SELECT id, ends_at, retention_months FROM wg_events
         WHERE anonymised_at IS NULL AND ends_at < $1 ORDER BY ends_at, id",
    )
    .bind(now)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .filter(|row| {
            let months = row
                .get::<Option<i64>, _>("retention_months")
                .and_then(|m| u32::try_from(m).ok())
                .map(|m| m.min(MAX_MONTHS))
                .unwrap_or(default_months);
            due_at(row.get("ends_at"), months) <= now
        })
        .map(|row| row.get("id"))
        .collect())
}

/// What one event's anonymisation removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Anonymised {
    pub deleted: u64,
    pub kept: u64,
}

/// Anonymises one event (see the module documentation) and records one audit entry with
/// counts only. An event already anonymised is left alone (returns `None`), so a retried or
/// concurrent job changes nothing twice.
pub async fn anonymise_event(
    tx: &mut Tx<'_>,
    event_id: &str,
    now: i64,
    actor: &AuditActor,
) -> CoreResult<Option<Anonymised>> {
    // The claim first: of two runs, only the one whose update changes the row goes on.
    let claimed = sqlx::query(
        "UPDATE wg_events SET anonymised_at = $1 WHERE id = $2 AND anonymised_at IS NULL",
    )
    .bind(now)
    .bind(event_id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        return Ok(None);
    }
    sqlx::query("UPDATE wg_eval_responses SET registration_id = NULL WHERE event_id = $1")
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    let deleted = sqlx::query(
        "DELETE FROM wg_registrations
         WHERE event_id = $1 AND (status <> 'bevestigd' OR attended IS NULL OR attended = 0)",
    )
    .bind(event_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    // The id as `email_norm` keeps the once-per-address index satisfied without an address.
    // `user_id` stays: the account's own deletion already sets it to NULL (foreign key).
    let kept = sqlx::query(
        "UPDATE wg_registrations SET email = '', email_norm = id, answers = '{}',
            organisation_text = '', anonymised_at = $1, updated_at = $1
         WHERE event_id = $2 AND anonymised_at IS NULL",
    )
    .bind(now)
    .bind(event_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: events::ENTITY,
            entity_id: event_id,
            action: "anonymise",
            summary: &format!(
                "Deelnemersgegevens geanonimiseerd: {deleted} inschrijvingen verwijderd, {kept} aanwezigen bewaard"
            ),
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(Some(Anonymised { deleted, kept }))
}
