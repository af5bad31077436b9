//! Running jobs: the registry of handlers, the context a handler gets, and the worker pool that
//! `steden serve` starts inside the server process.

use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use futures::FutureExt;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::store::{self, ClaimRequest, FailOutcome, Failure, Job};
use crate::{now_ms, Db};

/// Why a handler did not finish its job.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// Worth trying again later (a server that did not answer, a lock, a timeout).
    #[error("{0}")]
    Retry(String),
    /// Trying again will not help (malformed payload, a record that no longer exists): the job
    /// goes to the dead letters at once.
    #[error("{0}")]
    Permanent(String),
}

impl JobError {
    pub fn retry(message: impl std::fmt::Display) -> JobError {
        JobError::Retry(message.to_string())
    }

    pub fn permanent(message: impl std::fmt::Display) -> JobError {
        JobError::Permanent(message.to_string())
    }

    pub fn is_permanent(&self) -> bool {
        matches!(self, JobError::Permanent(_))
    }
}

impl From<sqlx::Error> for JobError {
    fn from(err: sqlx::Error) -> JobError {
        JobError::Retry(format!("databankfout: {err}"))
    }
}

/// A payload that does not decode will not decode on the next attempt either.
impl From<serde_json::Error> for JobError {
    fn from(err: serde_json::Error) -> JobError {
        JobError::Permanent(format!("ongeldige invoer voor de taak: {err}"))
    }
}

impl From<anyhow::Error> for JobError {
    fn from(err: anyhow::Error) -> JobError {
        JobError::Retry(format!("{err:#}"))
    }
}

/// What a handler returns.
pub type HandlerFuture = BoxFuture<'static, Result<(), JobError>>;

/// A handler for one kind of job.
pub type Handler = Arc<dyn Fn(JobContext, serde_json::Value) -> HandlerFuture + Send + Sync>;

/// The handlers of this process, by job kind. Each module registers its own
/// (`Module::register_jobs`); a process only claims jobs whose kind it has a handler for, so a
/// job of a kind unknown here waits for a process that knows it instead of being lost.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<String, Handler>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("kinds", &self.kinds())
            .finish()
    }
}

impl Registry {
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Registers the handler for `kind`.
    ///
    /// # Panics
    /// When `kind` already has a handler: two modules claiming one kind is a programming error
    /// that must stop the server at start-up, not silently pick one.
    pub fn register<F, Fut>(&mut self, kind: impl Into<String>, handler: F)
    where
        F: Fn(JobContext, serde_json::Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        let handler: Handler = Arc::new(move |ctx, payload| handler(ctx, payload).boxed());
        self.register_boxed(kind, handler);
    }

    /// Registers an already boxed handler (see [`Registry::register`]).
    pub fn register_boxed(&mut self, kind: impl Into<String>, handler: Handler) {
        let kind = kind.into();
        assert!(
            !self.handlers.contains_key(&kind),
            "job kind '{kind}' has two handlers"
        );
        self.handlers.insert(kind, handler);
    }

    pub fn handler(&self, kind: &str) -> Option<&Handler> {
        self.handlers.get(kind)
    }

    /// The kinds with a handler, sorted.
    pub fn kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = self.handlers.keys().cloned().collect();
        kinds.sort();
        kinds
    }
}

/// What a handler knows about the job it runs.
#[derive(Clone)]
pub struct JobContext {
    db: Db,
    job: Arc<Job>,
    worker: Arc<str>,
    progress: Arc<Mutex<Option<Instant>>>,
    progress_interval: Duration,
}

impl JobContext {
    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn job_id(&self) -> &str {
        &self.job.id
    }

    pub fn kind(&self) -> &str {
        &self.job.kind
    }

    /// This attempt's number, from 1.
    pub fn attempt(&self) -> i64 {
        self.job.attempts
    }

    pub fn max_attempts(&self) -> i64 {
        self.job.max_attempts
    }

    /// Whether a failure now makes the job dead (e.g. to mark related rows as failed).
    pub fn is_last_attempt(&self) -> bool {
        self.job.attempts >= self.job.max_attempts
    }

    pub fn created_by(&self) -> Option<&str> {
        self.job.created_by.as_deref()
    }

    pub fn organisation_id(&self) -> Option<&str> {
        self.job.organisation_id.as_deref()
    }

    /// Reports progress: `done` of `total` steps, with a short message in Dutch for the
    /// progress bar. Written to the job's row at most once per throttle interval (250 ms by
    /// default) so that a tight loop does not flood the database; the final step
    /// (`done >= total`) is always written.
    ///
    /// Fails with a retryable error when this worker no longer holds the job (its lease was
    /// taken over): the handler should stop, another worker is running the job.
    pub async fn progress(&self, done: i64, total: i64, message: &str) -> Result<(), JobError> {
        {
            let mut last = self.progress.lock().unwrap_or_else(|e| e.into_inner());
            let due = last.is_none_or(|at| at.elapsed() >= self.progress_interval);
            if !due && done < total {
                return Ok(());
            }
            *last = Some(Instant::now());
        }
        if store::set_progress(&self.db, &self.job, &self.worker, done, total, message).await? {
            Ok(())
        } else {
            Err(JobError::retry(
                "de taak wordt niet meer door deze worker uitgevoerd",
            ))
        }
    }
}

/// The default [`WorkerOptions::lease`]: a killed process's job runs again within about this
/// time (it was 5 minutes; the heartbeat makes a short lease safe for long jobs).
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

/// How a [`WorkerPool`] works.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Concurrent jobs in this process.
    pub workers: usize,
    /// Shown as the lease holder (`locked_by`), e.g. the host name.
    pub name: String,
    /// How often an idle worker looks for work (besides being woken by a local enqueue).
    pub poll_interval: Duration,
    /// How long a claim lasts without renewal; renewed every third of it while the handler
    /// runs (the heartbeat), so a job may run far longer than its lease. It is the time after
    /// which the job of a process that died (kill -9, a lost machine) runs again elsewhere:
    /// keep it short. Longer than the longest stall of the database or the process, though,
    /// or a job that is still running is started a second time.
    pub lease: Duration,
    /// First retry delay; doubles per attempt (with jitter) up to `backoff_max`.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// How long [`WorkerPool::shutdown`] lets running jobs finish before releasing them.
    pub shutdown_grace: Duration,
    /// Minimum time between two progress writes of one job.
    pub progress_interval: Duration,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            workers: 2,
            name: "steden".to_string(),
            poll_interval: Duration::from_secs(1),
            lease: DEFAULT_LEASE,
            backoff_base: Duration::from_secs(10),
            backoff_max: Duration::from_secs(60 * 60),
            shutdown_grace: Duration::from_secs(25),
            progress_interval: Duration::from_millis(250),
        }
    }
}

/// The job workers of one process. Stop it with [`WorkerPool::shutdown`]; dropping it stops the
/// workers after their current job without releasing it.
#[must_use = "dropping the pool stops its workers; keep it and call shutdown().await"]
pub struct WorkerPool {
    handles: Vec<JoinHandle<()>>,
    stop: watch::Sender<bool>,
    abort: watch::Sender<bool>,
    grace: Duration,
}

impl WorkerPool {
    /// Starts `workers` workers named after `worker_name`, with default timings.
    pub fn start(db: Db, registry: Arc<Registry>, workers: usize, worker_name: &str) -> WorkerPool {
        WorkerPool::start_with(
            db,
            registry,
            WorkerOptions {
                workers,
                name: worker_name.to_string(),
                ..WorkerOptions::default()
            },
        )
    }

    pub fn start_with(db: Db, registry: Arc<Registry>, options: WorkerOptions) -> WorkerPool {
        let (stop, _) = watch::channel(false);
        let (abort, _) = watch::channel(false);
        // Worker names must be unique across processes: a claim is recognised by its holder.
        let pool_tag = &uuid::Uuid::new_v4().simple().to_string()[..8];
        let kinds = Arc::new(registry.kinds());
        let options = Arc::new(options);
        // Jobs of processes that stopped heartbeating go back to the queue now, visibly, rather
        // than when a worker next happens to claim them.
        tokio::spawn(reclaim_at_start(db.clone()));
        let handles = (0..options.workers)
            .map(|i| {
                let worker = Worker {
                    db: db.clone(),
                    registry: registry.clone(),
                    kinds: kinds.clone(),
                    name: format!("{}:{pool_tag}:{i}", options.name).into(),
                    options: options.clone(),
                    stop: stop.subscribe(),
                    abort: abort.subscribe(),
                };
                tokio::spawn(worker.run())
            })
            .collect();
        tracing::info!(
            workers = options.workers,
            kinds = ?kinds,
            "taakverwerking gestart"
        );
        WorkerPool {
            handles,
            stop,
            abort,
            grace: options.shutdown_grace,
        }
    }

    /// Stops claiming new jobs, lets running jobs finish within the grace period, then stops the
    /// rest and gives their jobs back to the queue (without counting the attempt).
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let mut handles = self.handles;
        let all_done = futures::future::join_all(handles.iter_mut());
        if tokio::time::timeout(self.grace, all_done).await.is_err() {
            tracing::warn!("lopende taken worden teruggegeven aan de wachtrij");
            let _ = self.abort.send(true);
            for handle in handles {
                let _ = handle.await;
            }
        }
        tracing::info!("taakverwerking gestopt");
    }
}

async fn reclaim_at_start(db: Db) {
    match store::reclaim_expired(&db, now_ms()).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(
            jobs = n,
            "taken van een gestopt proces (verlopen lease) terug in de wachtrij"
        ),
        Err(err) => tracing::warn!(error = %err, "kan verlopen taken niet terugzetten"),
    }
}

struct Worker {
    db: Db,
    registry: Arc<Registry>,
    kinds: Arc<Vec<String>>,
    name: Arc<str>,
    options: Arc<WorkerOptions>,
    stop: watch::Receiver<bool>,
    abort: watch::Receiver<bool>,
}

impl Worker {
    async fn run(mut self) {
        let lease_ms = self.options.lease.as_millis() as i64;
        // `has_changed` fails once the pool is dropped without `shutdown`.
        while !*self.stop.borrow() && self.stop.has_changed().is_ok() {
            let request = ClaimRequest {
                worker: &self.name,
                kinds: &self.kinds,
                now: now_ms(),
                lease_ms,
            };
            match store::claim(&self.db, &request).await {
                Ok(Some(job)) => {
                    // There may be more: let an idle colleague look too.
                    super::wake();
                    self.run_job(job).await;
                    continue;
                }
                Ok(None) => {}
                Err(err) => tracing::warn!(error = %err, "kan geen taak ophalen"),
            }
            tokio::select! {
                _ = super::WAKE.notified() => {}
                _ = tokio::time::sleep(self.options.poll_interval) => {}
                changed = self.stop.changed() => {
                    // The pool was dropped without `shutdown`: nobody can stop us any more.
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
    }

    async fn run_job(&mut self, job: Job) {
        let job = Arc::new(job);
        if job.attempts > job.max_attempts {
            // The previous holder's lease expired during the last attempt, most likely because
            // the job brought its process down: do not try it yet again.
            self.record_failure(
                &job,
                JobError::permanent(
                    "de vorige poging werd niet afgerond (worker gestopt of verbinding verloren)",
                ),
            )
            .await;
            return;
        }
        let Some(handler) = self.registry.handler(&job.kind).cloned() else {
            // Cannot happen: only registered kinds are claimed. Give it back rather than lose it.
            let _ = store::release(&self.db, &job, &self.name).await;
            return;
        };
        let ctx = JobContext {
            db: self.db.clone(),
            job: job.clone(),
            worker: self.name.clone(),
            progress: Arc::new(Mutex::new(None)),
            progress_interval: self.options.progress_interval,
        };
        let started = Instant::now();
        let handler_run = AssertUnwindSafe(handler(ctx, job.payload.clone())).catch_unwind();
        tokio::pin!(handler_run);
        let renew_every = self.options.lease / 3;
        let mut renew = tokio::time::interval_at(
            tokio::time::Instant::now() + renew_every,
            renew_every.max(Duration::from_millis(10)),
        );
        let outcome = loop {
            tokio::select! {
                result = &mut handler_run => break Some(result),
                _ = renew.tick() => {
                    let until = now_ms() + self.options.lease.as_millis() as i64;
                    match store::extend_lease(&self.db, &job, &self.name, until).await {
                        Ok(true) => {}
                        Ok(false) => {
                            // Another worker holds the job now (this one stalled longer than the
                            // lease): stop the handler here rather than run the job twice at once.
                            tracing::warn!(job = %job.id, "lease van taak verloren: uitvoering gestopt");
                            break Some(Ok(Err(JobError::retry("lease verloren"))));
                        }
                        Err(err) => tracing::warn!(job = %job.id, error = %err, "kan lease niet verlengen"),
                    }
                }
                Ok(()) = self.abort.changed() => {
                    if *self.abort.borrow() {
                        break None;
                    }
                }
            }
        };
        match outcome {
            None => {
                // Shutdown past the grace period: the handler future was dropped (rolling back any
                // open transaction); the job goes back to the queue for another process.
                let _ = store::release(&self.db, &job, &self.name).await;
                tracing::info!(job = %job.id, kind = %job.kind, "taak teruggegeven");
            }
            Some(Ok(Ok(()))) => match store::complete(&self.db, &job, &self.name, now_ms()).await {
                Ok(true) => {
                    metrics::counter!("steden_jobs_finished_total", "kind" => job.kind.clone(), "outcome" => "done").increment(1);
                    tracing::info!(job = %job.id, kind = %job.kind, ms = started.elapsed().as_millis() as u64, "taak klaar");
                }
                Ok(false) => {
                    tracing::warn!(job = %job.id, "taak klaar, maar de lease was verlopen")
                }
                Err(err) => {
                    tracing::error!(job = %job.id, error = %err, "kan afgeronde taak niet opslaan")
                }
            },
            Some(Ok(Err(err))) => self.record_failure(&job, err).await,
            Some(Err(panic)) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                self.record_failure(&job, JobError::retry(format!("taak crashte: {message}")))
                    .await;
            }
        }
    }

    async fn record_failure(&self, job: &Job, err: JobError) {
        let delay = store::backoff_ms(
            job.attempts,
            self.options.backoff_base.as_millis() as i64,
            self.options.backoff_max.as_millis() as i64,
        );
        let failure = Failure {
            error: &err.to_string(),
            permanent: err.is_permanent(),
            now: now_ms(),
            retry_delay_ms: delay,
        };
        match store::fail(&self.db, job, &self.name, failure).await {
            Ok(outcome) => {
                let label = match outcome {
                    FailOutcome::Retrying { .. } => "retry",
                    FailOutcome::Dead => "dead",
                    FailOutcome::LeaseLost => "lease_lost",
                };
                metrics::counter!("steden_jobs_finished_total", "kind" => job.kind.clone(), "outcome" => label).increment(1);
                tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, outcome = label, error = %err, "taak mislukt");
            }
            Err(db_err) => {
                tracing::error!(job = %job.id, error = %db_err, "kan mislukte taak niet opslaan")
            }
        }
    }
}
