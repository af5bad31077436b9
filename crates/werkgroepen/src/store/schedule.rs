//! Daily work claimed by compare-and-set on `wg_schedule` (design §3.5): every server ticks,
//! but for each task and day only the one whose update changes the row enqueues the job, in
//! the same transaction, so the job exists if and only if the claim does.

use steden_core::error::CoreResult;
use steden_db::jobs::{self, NewJob};
use steden_db::Tx;

/// Claims task `key` when it is due at `now` and enqueues `job` with the claim; the next run
/// is then `next_run_at`. Returns whether this call claimed it. A task never seen before is
/// due at once.
pub async fn claim_and_enqueue(
    tx: &mut Tx<'_>,
    key: &str,
    now: i64,
    next_run_at: i64,
    job: NewJob,
) -> CoreResult<bool> {
    sqlx::query(
        "INSERT INTO wg_schedule (key, next_run_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let seen: i64 = sqlx::query_scalar("SELECT next_run_at FROM wg_schedule WHERE key = $1")
        .bind(key)
        .fetch_one(&mut **tx)
        .await?;
    if seen > now {
        return Ok(false);
    }
    let claimed =
        sqlx::query("UPDATE wg_schedule SET next_run_at = $1 WHERE key = $2 AND next_run_at = $3")
            .bind(next_run_at)
            .bind(key)
            .bind(seen)
            .execute(&mut **tx)
            .await?
            .rows_affected()
            == 1;
    if claimed {
        jobs::enqueue_tx(tx, job).await?;
    }
    Ok(claimed)
}
