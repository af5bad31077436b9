//! The module's settings and daily work in the database: the switch for recording IP addresses
//! with a consent (`nieuwsbrief.record_ip`, in the core's `settings` table), the retention of
//! unconfirmed subscribers (design §3.7) and the claim of a daily task in `nb_schedule`.

use sqlx::{Any, Executor};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::policy::Actor;
use steden_db::jobs::{self, NewJob};
use steden_db::Tx;

use crate::access;
use crate::model::SubscriberStatus;

/// The setting: "1" when the public form records the client's IP address with the consent.
pub const RECORD_IP: &str = "nieuwsbrief.record_ip";

/// How long an unconfirmed subscriber is kept after their last request.
pub const UNCONFIRMED_KEEP_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// Whether the public form records IP addresses (off unless a manager turned it on).
pub async fn record_ip<'e, E: Executor<'e, Database = Any>>(executor: E) -> CoreResult<bool> {
    switch(executor, RECORD_IP).await
}

/// The value of the module's setting `key` (in the platform's `settings` table), read within
/// the caller's transaction when it has one.
pub async fn setting<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    key: &str,
) -> CoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(executor)
            .await?,
    )
}

/// Whether the on/off setting `key` is on (off unless set to `1`).
pub async fn switch<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    key: &str,
) -> CoreResult<bool> {
    Ok(setting(executor, key).await?.as_deref() == Some("1"))
}

/// Turns the on/off setting `key` on or off (`1`/`0`), in the caller's transaction.
pub async fn write_switch(tx: &mut Tx<'_>, key: &str, on: bool, now: i64) -> CoreResult<()> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(if on { "1" } else { "0" })
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Turns recording IP addresses on or off: for managers of the Kenniscentrum, audited.
pub async fn set_record_ip(
    tx: &mut Tx<'_>,
    who: &Actor,
    kenniscentrum_id: &str,
    on: bool,
    actor: &AuditActor,
    now: i64,
) -> CoreResult<()> {
    access::require_manager(who, kenniscentrum_id)?;
    let before = record_ip(&mut **tx).await?;
    write_switch(tx, RECORD_IP, on, now).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(kenniscentrum_id),
            entity_type: "nieuwsbrief_instelling",
            entity_id: RECORD_IP,
            action: "update",
            summary: if on {
                "IP-adres bij toestemming bewaren: aan"
            } else {
                "IP-adres bij toestemming bewaren: uit"
            },
            changes: Changes::new().field("record_ip", before, on),
        },
    )
    .await?;
    Ok(())
}

/// Deletes the subscribers still unconfirmed whose last request is older than
/// [`UNCONFIRMED_KEEP_MS`] at `now`, with their subscriptions and consent records (by the
/// foreign keys); returns how many. One audit entry for the run, without addresses.
pub async fn delete_stale_unconfirmed(tx: &mut Tx<'_>, now: i64) -> CoreResult<u64> {
    let deleted = sqlx::query("DELETE FROM nb_subscribers WHERE status = $1 AND updated_at < $2")
        .bind(SubscriberStatus::Onbevestigd.as_str())
        .bind(now - UNCONFIRMED_KEEP_MS)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if deleted > 0 {
        audit::record(
            tx,
            NewEntry {
                actor: &AuditActor::system(),
                organisation_id: None,
                entity_type: "nb_subscriber",
                entity_id: "bewaartermijn",
                action: "retention",
                summary: &format!(
                    "{deleted} onbevestigde abonnee(s) verwijderd na 30 dagen zonder bevestiging"
                ),
                changes: Changes::new(),
            },
        )
        .await?;
    }
    Ok(deleted)
}

/// Claims task `key` when it is due at `now` and queues `job` with the claim; the task is then
/// due again at `next_run_at`. A task never seen before is due at once. Returns whether this
/// call claimed it (one conditional UPDATE: of servers ticking at once, one wins).
pub async fn claim_and_enqueue(
    tx: &mut Tx<'_>,
    key: &str,
    now: i64,
    next_run_at: i64,
    job: NewJob,
) -> CoreResult<bool> {
    sqlx::query(
        "INSERT INTO nb_schedule (key, next_run_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let claimed =
        sqlx::query("UPDATE nb_schedule SET next_run_at = $1 WHERE key = $2 AND next_run_at <= $3")
            .bind(next_run_at)
            .bind(key)
            .bind(now)
            .execute(&mut **tx)
            .await?
            .rows_affected()
            == 1;
    if claimed {
        jobs::enqueue_tx(tx, job).await?;
    }
    Ok(claimed)
}
