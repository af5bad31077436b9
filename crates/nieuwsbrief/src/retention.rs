//! The daily `nieuwsbrief.retention` job (design §3.7): unconfirmed subscribers whose last
//! request is older than 30 days are deleted, with their subscriptions and consent records.
//! How many is the job's result (its progress message on the jobs page). The same run deletes
//! bounce records older than 24 months and sets soft bounce counts back to 0 after a delivery
//! 30 days past the last soft bounce ([`run_daily`]).
//!
//! As in werkgroepen, each server ticks every [`TICK`]; the task whose day has come is claimed
//! in `nb_schedule` by exactly one of them ([`housekeeping::claim_and_enqueue`]), which queues
//! the job; the job queue runs it on whichever server is free, with retries.

use std::time::Duration;

use steden_core::error::CoreResult;
use steden_db::jobs::{JobContext, JobError, NewJob, Registry};
use steden_db::{now_ms, Db};

use crate::store::housekeeping;

/// Deletes the unconfirmed subscribers past their time.
pub const RETENTION_JOB: &str = "nieuwsbrief.retention";

/// The task's key in `nb_schedule`.
const TASK: &str = "retention";
/// How often a server looks whether the task is due.
pub const TICK: Duration = Duration::from_secs(10 * 60);
/// The first look after start-up: not at once, so that a server that restarts often (or a
/// test) does not queue work before it has settled.
const FIRST_TICK: Duration = Duration::from_secs(5 * 60);
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

pub fn register_jobs(registry: &mut Registry) {
    registry.register(RETENTION_JOB, |ctx: JobContext, _payload| async move {
        let done = run_daily(ctx.db(), now_ms())
            .await
            .map_err(JobError::retry)?;
        let deleted = i64::try_from(done.unconfirmed).unwrap_or(i64::MAX);
        let mut message = format!("{deleted} onbevestigde abonnee(s) verwijderd");
        if done.bounces > 0 || done.soft_resets > 0 {
            message.push_str(&format!(
                "; {} bounceregistratie(s) ouder dan 24 maanden verwijderd; {} teller(s) van zachte bounces op 0 gezet",
                done.bounces, done.soft_resets
            ));
        }
        ctx.progress(deleted, deleted, &message).await
    });
}

/// Deletes what is due at `now` in one transaction; returns how many subscribers.
pub async fn run(db: &Db, now: i64) -> CoreResult<u64> {
    let mut tx = db.begin().await?;
    let deleted = housekeeping::delete_stale_unconfirmed(&mut tx, now).await?;
    // Per-person reading statistics are kept 12 months (design §3.7).
    crate::store::stats::delete_old_events(&mut tx, now).await?;
    tx.commit().await?;
    Ok(deleted)
}

/// What one daily run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DailyRun {
    /// Unconfirmed subscribers deleted.
    pub unconfirmed: u64,
    /// Bounce and complaint records deleted after 24 months (design §3.7).
    pub bounces: u64,
    /// Soft bounce counts set back to 0 by a delivery 30 days after the last soft bounce.
    pub soft_resets: u64,
}

/// The whole daily task at `now`, in one transaction: [`run`], the retention of bounce records
/// and the reset of soft bounce counts ([`crate::store::bounces`]).
pub async fn run_daily(db: &Db, now: i64) -> CoreResult<DailyRun> {
    let mut tx = db.begin().await?;
    let unconfirmed = housekeeping::delete_stale_unconfirmed(&mut tx, now).await?;
    let bounces = crate::store::bounces::delete_expired(&mut tx, now).await?;
    let soft_resets = crate::store::bounces::reset_soft_counts(&mut tx, now).await?;
    tx.commit().await?;
    Ok(DailyRun {
        unconfirmed,
        bounces,
        soft_resets,
    })
}

/// Claims and queues the task when it is due at `now`; returns whether this call queued it.
pub async fn enqueue_due(db: &Db, now: i64) -> CoreResult<bool> {
    let mut tx = db.begin().await?;
    let job = NewJob::new(RETENTION_JOB, serde_json::json!({}));
    let queued = housekeeping::claim_and_enqueue(&mut tx, TASK, now, now + DAY_MS, job).await?;
    tx.commit().await?;
    Ok(queued)
}

/// Starts this server's ticker (see the module documentation).
pub fn spawn(db: Db) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + FIRST_TICK, TICK);
        loop {
            ticks.tick().await;
            if let Err(error) = enqueue_due(&db, now_ms()).await {
                tracing::warn!(%error, "dagelijkse taak van de nieuwsbrief niet ingepland");
            }
        }
    });
}
