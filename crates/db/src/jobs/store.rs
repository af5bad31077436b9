//! The queue's SQL: every state change of a job is one statement on its row.
//!
//! Functions that take `now` do so for testability: the worker passes [`crate::now_ms`], tests
//! pass a chosen instant (to expire a lease or reach a retry time without sleeping).

use sqlx::{Any, Executor, Row};

use super::JobStatus;
use crate::{new_id, now_ms, AnyRow, Db, Tx};

/// How many attempts a job gets unless its [`NewJob`] says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: i64 = 5;

/// A job to add to the queue.
#[derive(Debug, Clone, Default)]
pub struct NewJob {
    /// Which handler runs it, e.g. "mail.send" (module name, dot, verb).
    pub kind: String,
    /// The handler's input. Keep it small: ids rather than whole records.
    pub payload: serde_json::Value,
    /// Not before this instant (ms); `None` is now.
    pub run_at: Option<i64>,
    /// `None` is [`DEFAULT_MAX_ATTEMPTS`].
    pub max_attempts: Option<i64>,
    /// The user who started it (may follow its progress).
    pub created_by: Option<String>,
    pub organisation_id: Option<String>,
}

impl NewJob {
    pub fn new(kind: impl Into<String>, payload: serde_json::Value) -> NewJob {
        NewJob {
            kind: kind.into(),
            payload,
            ..NewJob::default()
        }
    }

    pub fn created_by(mut self, user_id: impl Into<String>) -> NewJob {
        self.created_by = Some(user_id.into());
        self
    }

    pub fn organisation(mut self, organisation_id: impl Into<String>) -> NewJob {
        self.organisation_id = Some(organisation_id.into());
        self
    }

    pub fn max_attempts(mut self, max_attempts: i64) -> NewJob {
        self.max_attempts = Some(max_attempts.max(1));
        self
    }

    pub fn run_at(mut self, run_at_ms: i64) -> NewJob {
        self.run_at = Some(run_at_ms);
        self
    }
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub status: JobStatus,
    /// Attempts started so far (a claim counts as one).
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: i64,
    pub locked_by: Option<String>,
    pub locked_until: Option<i64>,
    pub progress_done: Option<i64>,
    pub progress_total: Option<i64>,
    pub progress_message: Option<String>,
    pub last_error: Option<String>,
    pub created_by: Option<String>,
    pub organisation_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub finished_at: Option<i64>,
}

impl Job {
    /// Progress as a whole percentage (0–100), when the handler reported a total.
    pub fn percent(&self) -> Option<i64> {
        match (self.progress_done, self.progress_total) {
            (_, _) if self.status == JobStatus::Done => Some(100),
            (Some(done), Some(total)) if total > 0 => Some((done.clamp(0, total) * 100) / total),
            _ => None,
        }
    }

    /// Whether a failed attempt is waiting for its retry.
    pub fn is_retrying(&self) -> bool {
        self.status == JobStatus::Queued && self.last_error.is_some() && self.attempts > 0
    }

    fn from_row(row: &AnyRow) -> Result<Job, sqlx::Error> {
        let status: String = row.try_get("status")?;
        let payload: String = row.try_get("payload")?;
        Ok(Job {
            id: row.try_get("id")?,
            kind: row.try_get("kind")?,
            // A payload that is not JSON (edited by hand) reaches the handler as a string, which
            // then fails it as malformed input instead of failing every listing.
            payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::String(payload)),
            status: JobStatus::parse(&status).ok_or_else(|| {
                sqlx::Error::Decode(format!("onbekende jobstatus '{status}'").into())
            })?,
            attempts: row.try_get("attempts")?,
            max_attempts: row.try_get("max_attempts")?,
            run_at: row.try_get("run_at")?,
            locked_by: row.try_get("locked_by")?,
            locked_until: row.try_get("locked_until")?,
            progress_done: row.try_get("progress_done")?,
            progress_total: row.try_get("progress_total")?,
            progress_message: row.try_get("progress_message")?,
            last_error: row.try_get("last_error")?,
            created_by: row.try_get("created_by")?,
            organisation_id: row.try_get("organisation_id")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            finished_at: row.try_get("finished_at")?,
        })
    }
}

const COLUMNS: &str = "id, kind, payload, status, attempts, max_attempts, run_at, locked_by, \
     locked_until, progress_done, progress_total, progress_message, last_error, created_by, \
     organisation_id, created_at, updated_at, finished_at";

/// Adds a job to the queue and wakes an idle worker of this process.
pub async fn enqueue(db: &Db, job: NewJob) -> Result<String, sqlx::Error> {
    let id = insert(db.pool(), &job).await?;
    super::wake();
    Ok(id)
}

/// Adds a job inside the caller's transaction: it exists only if the transaction commits.
/// Workers of this process are woken at once and find it at the latest one poll interval after
/// the commit.
pub async fn enqueue_tx(tx: &mut Tx<'_>, job: NewJob) -> Result<String, sqlx::Error> {
    let id = insert(&mut **tx, &job).await?;
    super::wake();
    Ok(id)
}

async fn insert<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    job: &NewJob,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, \
         created_by, organisation_id, created_at, updated_at) \
         VALUES ($1, $2, $3, 'queued', 0, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&id)
    .bind(&job.kind)
    .bind(job.payload.to_string())
    .bind(job.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS).max(1))
    .bind(job.run_at.unwrap_or(now))
    .bind(job.created_by.clone())
    .bind(job.organisation_id.clone())
    .bind(now)
    .execute(executor)
    .await?;
    Ok(id)
}

/// What a worker asks for when it looks for work.
#[derive(Debug, Clone)]
pub struct ClaimRequest<'a> {
    /// Unique per worker (and per process): the lease holder.
    pub worker: &'a str,
    /// The kinds this process has handlers for; other jobs are left for processes that do.
    pub kinds: &'a [String],
    pub now: i64,
    /// How long the lease lasts; the worker extends it while the handler runs.
    pub lease_ms: i64,
}

/// The condition under which a job may be claimed: queued and due, or running under a lease
/// that has expired (its worker crashed or lost the database). `$1` is now.
const RUNNABLE: &str = "((status = 'queued' AND run_at <= $1) \
     OR (status = 'running' AND locked_until < $1))";

/// Claims the next runnable job, if any, for `request.worker`.
///
/// Two steps, the same SQL on both backends:
/// 1. a plain `SELECT` finds a candidate (cheap when idle: no write, no lock on SQLite);
/// 2. a compare-and-set `UPDATE … WHERE id = $candidate AND <runnable> RETURNING …` takes it.
///
/// Why no job is claimed twice: the `UPDATE` repeats the runnable condition, and a successful
/// claim makes it false (status becomes 'running' with a lease in the future).
/// - PostgreSQL (READ COMMITTED): two claimers that picked the same candidate both try to update
///   the row; the second blocks on the first's row lock and, once the first commits, PostgreSQL
///   re-evaluates the `WHERE` on the *new* row version (EvalPlanQual). It no longer matches, so
///   the second update changes zero rows and returns nothing.
/// - SQLite: writes are serialised by the database lock; the second update runs after the first
///   committed and sees the new row, which again no longer matches.
///
/// A claimer that loses the race gets `None` from the `UPDATE` and tries the next candidate.
/// Every claim adds one to `attempts`, which therefore also identifies the claim: completion and
/// failure are recorded only `WHERE locked_by = worker AND attempts = claimed attempts`, so a
/// worker whose lease expired and was taken over cannot overwrite the new holder's outcome.
/// The one way a job can still run twice is a lease that expires while its handler is still
/// running (the worker renews it every third of the lease, so only a worker that is stalled or
/// cut off from the database longer than the lease, or a clock skew between servers larger than
/// the lease, gets there): keep handlers idempotent where that matters.
pub async fn claim(db: &Db, request: &ClaimRequest<'_>) -> Result<Option<Job>, sqlx::Error> {
    if request.kinds.is_empty() {
        return Ok(None);
    }
    let kind_params = (0..request.kinds.len())
        .map(|i| format!("${}", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let probe_sql = format!(
        "SELECT id FROM jobs WHERE {RUNNABLE} AND kind IN ({kind_params}) \
         ORDER BY run_at, id LIMIT 5"
    );
    let cas_sql = format!(
        "UPDATE jobs SET status = 'running', locked_by = $2, locked_until = $3, \
         attempts = attempts + 1, updated_at = $1 \
         WHERE id = $4 AND {RUNNABLE} RETURNING {COLUMNS}"
    );
    // A few rounds: candidates taken by another claimer between probe and update are skipped.
    for _round in 0..3 {
        let mut probe = sqlx::query(&probe_sql).bind(request.now);
        for kind in request.kinds {
            probe = probe.bind(kind);
        }
        let candidates: Vec<String> = probe
            .fetch_all(db.pool())
            .await?
            .iter()
            .map(|row| row.try_get("id"))
            .collect::<Result<_, _>>()?;
        if candidates.is_empty() {
            return Ok(None);
        }
        for id in candidates {
            let claimed = sqlx::query(&cas_sql)
                .bind(request.now)
                .bind(request.worker)
                .bind(request.now + request.lease_ms)
                .bind(&id)
                .fetch_optional(db.pool())
                .await?;
            if let Some(row) = claimed {
                return Job::from_row(&row).map(Some);
            }
        }
    }
    Ok(None)
}

/// Marks a claimed job as done. `false` when the claim was no longer this worker's.
pub async fn complete(db: &Db, job: &Job, worker: &str, now: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE jobs SET status = 'done', locked_by = NULL, locked_until = NULL, \
         progress_done = COALESCE(progress_total, progress_done), updated_at = $1, \
         finished_at = $1 \
         WHERE id = $2 AND status = 'running' AND locked_by = $3 AND attempts = $4",
    )
    .bind(now)
    .bind(&job.id)
    .bind(worker)
    .bind(job.attempts)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// What happened to a job after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOutcome {
    /// Queued again, not before this instant.
    Retrying { run_at: i64 },
    /// Given up (attempts exhausted or permanent error).
    Dead,
    /// The claim was no longer this worker's; nothing was recorded.
    LeaseLost,
}

/// How a failed attempt is recorded.
#[derive(Debug, Clone, Copy)]
pub struct Failure<'a> {
    pub error: &'a str,
    /// Do not retry (malformed input, a bug that will not go away by waiting).
    pub permanent: bool,
    pub now: i64,
    /// The delay before the retry, e.g. from [`backoff_ms`].
    pub retry_delay_ms: i64,
}

/// Records a failed attempt: retry later, or dead when attempts are used up or the error is
/// permanent. The error is kept in `last_error` either way.
pub async fn fail(
    db: &Db,
    job: &Job,
    worker: &str,
    failure: Failure<'_>,
) -> Result<FailOutcome, sqlx::Error> {
    let error = truncate(failure.error, 4000);
    let give_up = failure.permanent || job.attempts >= job.max_attempts;
    let (sql, outcome) = if give_up {
        (
            "UPDATE jobs SET status = 'dead', locked_by = NULL, locked_until = NULL, \
             last_error = $1, updated_at = $2, finished_at = $2 \
             WHERE id = $3 AND status = 'running' AND locked_by = $4 AND attempts = $5",
            FailOutcome::Dead,
        )
    } else {
        let run_at = failure.now + failure.retry_delay_ms.max(0);
        (
            "UPDATE jobs SET status = 'queued', locked_by = NULL, locked_until = NULL, \
             last_error = $1, updated_at = $2, run_at = $6 \
             WHERE id = $3 AND status = 'running' AND locked_by = $4 AND attempts = $5",
            FailOutcome::Retrying { run_at },
        )
    };
    let mut query = sqlx::query(sql)
        .bind(error)
        .bind(failure.now)
        .bind(&job.id)
        .bind(worker)
        .bind(job.attempts);
    if let FailOutcome::Retrying { run_at } = outcome {
        query = query.bind(run_at);
    }
    let result = query.execute(db.pool()).await?;
    Ok(if result.rows_affected() == 1 {
        outcome
    } else {
        FailOutcome::LeaseLost
    })
}

/// The delay before retry number `attempt` (1 after the first failure): exponential from
/// `base_ms`, capped at `max_ms`, with "equal jitter" (between half and all of it) so that jobs
/// that failed together (a mail server that was down) do not all come back at the same instant.
pub fn backoff_ms(attempt: i64, base_ms: i64, max_ms: i64) -> i64 {
    let exponent = attempt.clamp(1, 32) - 1;
    let delay = base_ms
        .max(0)
        .saturating_mul(1_i64 << exponent.min(40))
        .min(max_ms.max(0));
    let half = delay / 2;
    let random = (uuid::Uuid::new_v4().as_u128() as u64) % (half as u64 + 1);
    half + random as i64
}

/// Extends a running job's lease. `false` when the claim was no longer this worker's.
pub async fn extend_lease(
    db: &Db,
    job: &Job,
    worker: &str,
    until: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE jobs SET locked_until = $1 \
         WHERE id = $2 AND status = 'running' AND locked_by = $3 AND attempts = $4",
    )
    .bind(until)
    .bind(&job.id)
    .bind(worker)
    .bind(job.attempts)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Puts running jobs whose lease expired before `now` (their process stopped heartbeating:
/// killed, crashed, cut off) back in the queue, due at once. The attempt they were on stays
/// counted; the next claim counts its own, and a job that used its last attempt this way goes
/// to the dead letters when claimed (see the worker). Only expired leases: several processes
/// may share one database, a SQLite file included, and a live lease is another process's job.
/// Returns how many were reclaimed.
pub async fn reclaim_expired(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE jobs SET status = 'queued', locked_by = NULL, locked_until = NULL, \
         run_at = $1, updated_at = $1, \
         last_error = $2 \
         WHERE status = 'running' AND locked_until < $1",
    )
    .bind(now)
    .bind("de vorige poging werd niet afgerond (proces gestopt of verbinding verloren)")
    .execute(db.pool())
    .await?;
    if result.rows_affected() > 0 {
        super::wake();
    }
    Ok(result.rows_affected())
}

/// Gives a claimed job back to the queue without counting the attempt (graceful shutdown of a
/// worker that could not finish it in time).
pub async fn release(db: &Db, job: &Job, worker: &str) -> Result<bool, sqlx::Error> {
    let now = now_ms();
    let result = sqlx::query(
        "UPDATE jobs SET status = 'queued', locked_by = NULL, locked_until = NULL, \
         attempts = attempts - 1, run_at = $1, updated_at = $1 \
         WHERE id = $2 AND status = 'running' AND locked_by = $3 AND attempts = $4",
    )
    .bind(now)
    .bind(&job.id)
    .bind(worker)
    .bind(job.attempts)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Records progress of a running job (the worker's [`super::JobContext::progress`] throttles).
pub async fn set_progress(
    db: &Db,
    job: &Job,
    worker: &str,
    done: i64,
    total: i64,
    message: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE jobs SET progress_done = $1, progress_total = $2, progress_message = $3, \
         updated_at = $4 \
         WHERE id = $5 AND status = 'running' AND locked_by = $6 AND attempts = $7",
    )
    .bind(done)
    .bind(total)
    .bind(truncate(message, 500))
    .bind(now_ms())
    .bind(&job.id)
    .bind(worker)
    .bind(job.attempts)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// One job.
pub async fn get(db: &Db, id: &str) -> Result<Option<Job>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM jobs WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(Job::from_row).transpose()
}

/// Which jobs to list or count.
#[derive(Debug, Clone, Default)]
pub struct JobFilter {
    pub status: Option<JobStatus>,
    pub kind: Option<String>,
    pub created_by: Option<String>,
}

impl JobFilter {
    /// The `WHERE` clause and its parameters, numbered from `$1`.
    fn clause(&self) -> (String, Vec<String>) {
        let mut conditions = Vec::new();
        let mut params = Vec::new();
        let mut add = |column: &str, value: String| {
            params.push(value);
            conditions.push(format!("{column} = ${}", params.len()));
        };
        if let Some(status) = self.status {
            add("status", status.as_str().to_string());
        }
        if let Some(kind) = &self.kind {
            add("kind", kind.clone());
        }
        if let Some(user) = &self.created_by {
            add("created_by", user.clone());
        }
        let clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        (clause, params)
    }
}

/// Jobs matching `filter`, newest first.
pub async fn list(
    db: &Db,
    filter: &JobFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<Job>, sqlx::Error> {
    let (clause, params) = filter.clause();
    let n = params.len();
    let sql = format!(
        "SELECT {COLUMNS} FROM jobs {clause} ORDER BY created_at DESC, id DESC \
         LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut query = sqlx::query(&sql);
    for param in params {
        query = query.bind(param);
    }
    let rows = query
        .bind(limit.clamp(1, 1000))
        .bind(offset.max(0))
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(Job::from_row).collect()
}

/// How many jobs match `filter`.
pub async fn count(db: &Db, filter: &JobFilter) -> Result<i64, sqlx::Error> {
    let (clause, params) = filter.clause();
    let sql = format!("SELECT COUNT(*) AS n FROM jobs {clause}");
    let mut query = sqlx::query(&sql);
    for param in params {
        query = query.bind(param);
    }
    query.fetch_one(db.pool()).await?.try_get("n")
}

/// The number of jobs per status (only statuses that have jobs), for metrics.
pub async fn queue_depth(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status ORDER BY status")
            .fetch_all(db.pool())
            .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("status")?, row.try_get("n")?)))
        .collect()
}

/// Puts a dead or cancelled job back in the queue with a fresh set of attempts (an
/// administrator's "opnieuw proberen"). The last error is kept until the next attempt ends.
/// `false` when the job does not exist or is not dead or cancelled. Runs in the caller's
/// transaction so that the audit entry commits with it.
pub async fn requeue(tx: &mut Tx<'_>, id: &str) -> Result<bool, sqlx::Error> {
    let now = now_ms();
    let result = sqlx::query(
        "UPDATE jobs SET status = 'queued', attempts = 0, run_at = $1, updated_at = $1, \
         finished_at = NULL, locked_by = NULL, locked_until = NULL \
         WHERE id = $2 AND status IN ('dead', 'cancelled')",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    super::wake();
    Ok(result.rows_affected() == 1)
}

/// Cancels a job that has not started (queued, including one waiting for a retry).
/// `false` when it is running or finished.
pub async fn cancel(tx: &mut Tx<'_>, id: &str) -> Result<bool, sqlx::Error> {
    let now = now_ms();
    let result = sqlx::query(
        "UPDATE jobs SET status = 'cancelled', updated_at = $1, finished_at = $1 \
         WHERE id = $2 AND status = 'queued'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Deletes finished jobs (done, dead, cancelled) that finished before `before_ms`. Returns how
/// many were removed.
pub async fn prune(db: &Db, before_ms: i64) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "DELETE FROM jobs WHERE status IN ('done', 'dead', 'cancelled') AND finished_at < $1",
    )
    .bind(before_ms)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected())
}

/// Deletes finished jobs older than `days` days.
pub async fn prune_older_than_days(db: &Db, days: i64) -> Result<u64, sqlx::Error> {
    prune(db, now_ms() - days.max(0) * 24 * 60 * 60 * 1000).await
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped_with_jitter() {
        for _ in 0..50 {
            let first = backoff_ms(1, 1000, 60_000);
            assert!((500..=1000).contains(&first), "{first}");
            let third = backoff_ms(3, 1000, 60_000);
            assert!((2000..=4000).contains(&third), "{third}");
            let capped = backoff_ms(30, 1000, 60_000);
            assert!((30_000..=60_000).contains(&capped), "{capped}");
        }
    }

    #[test]
    fn long_errors_are_cut_on_a_char_boundary() {
        let text = "é".repeat(10);
        assert_eq!(truncate(&text, 3), "ééé…");
        assert_eq!(truncate("kort", 10), "kort");
    }
}
