//! The module's daily work (design §3.5): each server ticks every [`TICK`], and the task whose
//! day has come is claimed in `wg_schedule` by exactly one of them
//! ([`crate::store::schedule::claim_and_enqueue`]), which queues its job; the job queue then
//! runs it on whichever server is free, with retries.
//!
//! - [`EXTEND_SERIES_JOB`]: every series planned a year ahead
//!   ([`crate::store::series_extend`]), then the series meetings that came within a year
//!   invited ([`crate::series_mail::invite_due`]) when the job carries the server's origin.
//! - [`RETENTION_JOB`]: event participants' data anonymised after the retention period
//!   ([`crate::retention`]).
//! - [`REMINDERS_JOB`]: the reminders before proposal deadlines and meetings
//!   ([`crate::reminders`]); each is sent once, logged in `wg_mail_log`.

use std::time::Duration;

use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::jobs::{JobContext, JobError, NewJob, Registry};
use steden_db::{now_ms, Db};

use crate::invitations::Origin;
use crate::store::{meetings, schedule, series_extend};
use crate::{reminders, series_mail};

/// Extends every series up to a year ahead.
pub const EXTEND_SERIES_JOB: &str = "werkgroepen.extend_series";

/// Anonymises the participants of events whose retention ran out.
pub const RETENTION_JOB: &str = "werkgroepen.retention";

/// Sends the reminders that are due ([`crate::reminders`]).
pub const REMINDERS_JOB: &str = "werkgroepen.remind";

/// How often a server looks whether a daily task is due.
pub const TICK: Duration = Duration::from_secs(10 * 60);
/// The first look after start-up: not at once, so that a server that restarts often (or a
/// test) does not queue work before it has settled.
const FIRST_TICK: Duration = Duration::from_secs(5 * 60);
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The daily tasks: (key in `wg_schedule`, job kind).
pub const TASKS: &[(&str, &str)] = &[
    ("extend_series", EXTEND_SERIES_JOB),
    ("retention", RETENTION_JOB),
    ("reminders", REMINDERS_JOB),
];

pub fn register_jobs(registry: &mut Registry) {
    registry.register(EXTEND_SERIES_JOB, |ctx: JobContext, payload| async move {
        extend_all(ctx.db()).await.map_err(JobError::retry)?;
        // The origin (for the links in mails) comes from the server that queued the task.
        if let Ok(origin) = serde_json::from_value::<Origin>(payload) {
            series_mail::invite_due(ctx.db(), &origin, now_ms())
                .await
                .map_err(JobError::retry)?;
        }
        Ok(())
    });
    registry.register(REMINDERS_JOB, |ctx: JobContext, payload| async move {
        // Without the server's origin no link can be written: nothing is sent.
        if let Ok(origin) = serde_json::from_value::<Origin>(payload) {
            reminders::send_due(ctx.db(), &origin, now_ms())
                .await
                .map_err(JobError::retry)?;
        }
        Ok(())
    });
    registry.register(RETENTION_JOB, |ctx: JobContext, _payload| async move {
        crate::retention::run(ctx.db(), now_ms())
            .await
            .map(drop)
            .map_err(JobError::retry)
    });
}

/// Claims and queues the daily tasks that are due at `now`; returns how many this call queued.
pub async fn enqueue_due(db: &Db, now: i64) -> CoreResult<usize> {
    enqueue_due_from(db, now, None).await
}

/// [`enqueue_due`] with the server's origin in each job, so that its mails can be sent.
pub async fn enqueue_due_from(db: &Db, now: i64, origin: Option<&Origin>) -> CoreResult<usize> {
    let payload = match origin {
        Some(origin) => serde_json::to_value(origin).map_err(|e| CoreError::Internal(e.into()))?,
        None => serde_json::json!({}),
    };
    let mut queued = 0;
    for (key, kind) in TASKS {
        let mut tx = db.begin().await?;
        let job = NewJob::new(*kind, payload.clone());
        if schedule::claim_and_enqueue(&mut tx, key, now, now + DAY_MS, job).await? {
            queued += 1;
        }
        tx.commit().await?;
    }
    Ok(queued)
}

/// Starts this server's ticker (see the module documentation).
pub fn spawn(db: Db, origin: Origin) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + FIRST_TICK, TICK);
        loop {
            ticks.tick().await;
            if let Err(error) = enqueue_due_from(&db, now_ms(), Some(&origin)).await {
                tracing::warn!(%error, "dagelijkse taken van werkgroepen niet ingepland");
            }
        }
    });
}

/// Extends every live series, each in its own transaction; returns the meetings made.
pub async fn extend_all(db: &Db) -> CoreResult<usize> {
    let mut conn = db.pool().acquire().await?;
    let ids = series_extend::live_series(&mut conn).await?;
    drop(conn);
    let today = meetings::today();
    let mut created = 0;
    for id in ids {
        let mut tx = db.begin().await?;
        created += series_extend::extend(&mut tx, &id, today).await?;
        tx.commit().await?;
    }
    Ok(created)
}
