//! The job queue on both backends: the store's state changes (with chosen instants, so no test
//! waits for a clock), and the worker pool running real handlers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use steden_db::jobs::{
    self, ClaimRequest, FailOutcome, Failure, Job, JobError, JobFilter, JobStatus, NewJob,
    Registry, WorkerOptions, WorkerPool,
};
use steden_db::testing::each_backend;
use steden_db::{now_ms, Db, Migration, MigrationSql, Row};

fn migrations() -> Vec<Migration> {
    let mut all = jobs::migrations();
    all.push(Migration {
        module: "jobs_test",
        version: 1,
        name: "runs",
        sql: MigrationSql::Portable(
            "CREATE TABLE job_runs (job_id TEXT NOT NULL, note TEXT NOT NULL);",
        ),
    });
    all
}

fn kinds(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

async fn claim_at(db: &Db, worker: &str, kind_list: &[String], now: i64) -> Option<Job> {
    jobs::claim(
        db,
        &ClaimRequest {
            worker,
            kinds: kind_list,
            now,
            lease_ms: 60_000,
        },
    )
    .await
    .unwrap()
}

fn failure(error: &str, now: i64, permanent: bool) -> Failure<'_> {
    Failure {
        error,
        permanent,
        now,
        retry_delay_ms: 30_000,
    }
}

/// Polls until the job satisfies `done`; the deadline only guards against a hanging test.
async fn wait_for(db: &Db, id: &str, done: impl Fn(&Job) -> bool) -> Job {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let job = jobs::get(db, id).await.unwrap().expect("job exists");
        if done(&job) {
            return job;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "job never reached the expected state: {job:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn fast_options(workers: usize) -> WorkerOptions {
    WorkerOptions {
        workers,
        name: "test".into(),
        poll_interval: Duration::from_millis(20),
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        shutdown_grace: Duration::from_secs(10),
        ..WorkerOptions::default()
    }
}

#[tokio::test]
async fn enqueue_claim_complete() {
    each_backend(&migrations(), |db| async move {
        let id = jobs::enqueue(
            &db,
            NewJob::new("test.echo", json!({"n": 1}))
                .created_by("u1")
                .organisation("o1"),
        )
        .await
        .unwrap();
        let queued = jobs::get(&db, &id).await.unwrap().unwrap();
        assert_eq!(queued.status, JobStatus::Queued);
        assert_eq!(queued.attempts, 0);
        assert_eq!(queued.max_attempts, jobs::DEFAULT_MAX_ATTEMPTS);
        assert_eq!(queued.created_by.as_deref(), Some("u1"));

        // A process without a handler for the kind leaves the job alone.
        assert!(
            claim_at(&db, "w-other", &kinds(&["other.kind"]), now_ms() + 1)
                .await
                .is_none()
        );

        let now = now_ms() + 1;
        let job = claim_at(&db, "w1", &kinds(&["test.echo"]), now)
            .await
            .expect("claimed");
        assert_eq!(job.id, id);
        assert_eq!(job.status, JobStatus::Running);
        assert_eq!(job.attempts, 1);
        assert_eq!(job.payload, json!({"n": 1}));
        assert_eq!(job.locked_by.as_deref(), Some("w1"));
        assert_eq!(job.locked_until, Some(now + 60_000));

        // Claimed means nobody else gets it while the lease holds.
        assert!(claim_at(&db, "w2", &kinds(&["test.echo"]), now + 10)
            .await
            .is_none());

        assert!(jobs::complete(&db, &job, "w1", now + 20).await.unwrap());
        let done = jobs::get(&db, &id).await.unwrap().unwrap();
        assert_eq!(done.status, JobStatus::Done);
        assert_eq!(done.finished_at, Some(now + 20));
        assert_eq!(done.locked_by, None);
        assert_eq!(done.percent(), Some(100));
        // Completing twice is refused: the claim is gone.
        assert!(!jobs::complete(&db, &job, "w1", now + 30).await.unwrap());
        assert!(claim_at(&db, "w2", &kinds(&["test.echo"]), now + 1_000_000)
            .await
            .is_none());
    })
    .await;
}

#[tokio::test]
async fn claims_follow_run_at_order_and_wait_for_run_at() {
    each_backend(&migrations(), |db| async move {
        let t = now_ms();
        let later = jobs::enqueue(&db, NewJob::new("k", json!(2)).run_at(t + 5_000))
            .await
            .unwrap();
        let sooner = jobs::enqueue(&db, NewJob::new("k", json!(1)).run_at(t + 1_000))
            .await
            .unwrap();
        let k = kinds(&["k"]);
        assert!(
            claim_at(&db, "w", &k, t).await.is_none(),
            "nothing is due yet"
        );
        assert_eq!(claim_at(&db, "w", &k, t + 1_000).await.unwrap().id, sooner);
        assert!(claim_at(&db, "w", &k, t + 4_999).await.is_none());
        assert_eq!(claim_at(&db, "w", &k, t + 5_000).await.unwrap().id, later);
    })
    .await;
}

#[tokio::test]
async fn retry_with_backoff_then_dead_letter_then_requeue() {
    each_backend(&migrations(), |db| async move {
        let id = jobs::enqueue(&db, NewJob::new("k", json!({})).max_attempts(3))
            .await
            .unwrap();
        let k = kinds(&["k"]);
        let mut t = now_ms() + 1;
        for attempt in 1..=2 {
            let job = claim_at(&db, "w", &k, t).await.expect("due");
            assert_eq!(job.attempts, attempt);
            let outcome = jobs::fail(&db, &job, "w", failure("smtp weg", t, false))
                .await
                .unwrap();
            assert_eq!(outcome, FailOutcome::Retrying { run_at: t + 30_000 });
            let waiting = jobs::get(&db, &id).await.unwrap().unwrap();
            assert_eq!(waiting.status, JobStatus::Queued);
            assert!(waiting.is_retrying());
            assert_eq!(waiting.last_error.as_deref(), Some("smtp weg"));
            // Not before the backoff has passed.
            assert!(claim_at(&db, "w", &k, t + 29_999).await.is_none());
            t += 30_000;
        }
        let last = claim_at(&db, "w", &k, t).await.expect("third attempt");
        assert_eq!(last.attempts, 3);
        let outcome = jobs::fail(&db, &last, "w", failure("nog steeds weg", t, false))
            .await
            .unwrap();
        assert_eq!(outcome, FailOutcome::Dead);
        let dead = jobs::get(&db, &id).await.unwrap().unwrap();
        assert_eq!(dead.status, JobStatus::Dead);
        assert_eq!(dead.attempts, 3);
        assert_eq!(dead.last_error.as_deref(), Some("nog steeds weg"));
        assert!(dead.finished_at.is_some());
        assert!(claim_at(&db, "w", &k, t + 100_000_000).await.is_none());

        // An administrator requeues the dead letter: a fresh set of attempts.
        let mut tx = db.begin().await.unwrap();
        assert!(jobs::requeue(&mut tx, &id).await.unwrap());
        tx.commit().await.unwrap();
        let again = jobs::get(&db, &id).await.unwrap().unwrap();
        assert_eq!(again.status, JobStatus::Queued);
        assert_eq!(again.attempts, 0);
        assert_eq!(again.finished_at, None);
        let job = claim_at(&db, "w", &k, now_ms() + 1)
            .await
            .expect("requeued job runs");
        assert_eq!(job.attempts, 1);
        // Only dead or cancelled jobs can be requeued.
        let mut tx = db.begin().await.unwrap();
        assert!(!jobs::requeue(&mut tx, &id).await.unwrap());
        assert!(!jobs::requeue(&mut tx, "bestaat-niet").await.unwrap());
        tx.rollback().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn permanent_failure_is_dead_at_once() {
    each_backend(&migrations(), |db| async move {
        let id = jobs::enqueue(&db, NewJob::new("k", json!("kapot")))
            .await
            .unwrap();
        let t = now_ms() + 1;
        let job = claim_at(&db, "w", &kinds(&["k"]), t).await.unwrap();
        let outcome = jobs::fail(&db, &job, "w", failure("ongeldige invoer", t, true))
            .await
            .unwrap();
        assert_eq!(outcome, FailOutcome::Dead);
        let dead = jobs::get(&db, &id).await.unwrap().unwrap();
        assert_eq!(dead.status, JobStatus::Dead);
        assert_eq!(dead.attempts, 1);
        assert_eq!(dead.last_error.as_deref(), Some("ongeldige invoer"));
    })
    .await;
}

#[tokio::test]
async fn an_expired_lease_is_reclaimed_and_the_old_holder_cannot_finish() {
    each_backend(&migrations(), |db| async move {
        let id = jobs::enqueue(&db, NewJob::new("k", json!({})))
            .await
            .unwrap();
        let k = kinds(&["k"]);
        let t = now_ms() + 1;
        let lease = |worker| ClaimRequest {
            worker,
            kinds: &k,
            now: t,
            lease_ms: 1_000,
        };
        let first = jobs::claim(&db, &lease("crashed")).await.unwrap().unwrap();
        let during = ClaimRequest {
            now: t + 1_000,
            ..lease("rescuer")
        };
        assert!(
            jobs::claim(&db, &during).await.unwrap().is_none(),
            "lease still holds"
        );
        let after = ClaimRequest {
            now: t + 1_001,
            ..lease("rescuer")
        };
        let second = jobs::claim(&db, &after).await.unwrap().expect("reclaimed");
        assert_eq!(second.id, id);
        assert_eq!(second.attempts, 2);
        assert_eq!(second.locked_by.as_deref(), Some("rescuer"));

        // The first holder wakes up: its outcome is refused, progress too.
        assert!(!jobs::complete(&db, &first, "crashed", t + 1_100)
            .await
            .unwrap());
        let lost = jobs::fail(&db, &first, "crashed", failure("x", t + 1_100, false))
            .await
            .unwrap();
        assert_eq!(lost, FailOutcome::LeaseLost);
        assert!(!jobs::set_progress(&db, &first, "crashed", 1, 2, "x")
            .await
            .unwrap());
        assert!(!jobs::extend_lease(&db, &first, "crashed", t + 9_000)
            .await
            .unwrap());

        assert!(jobs::complete(&db, &second, "rescuer", t + 1_200)
            .await
            .unwrap());
        let done = jobs::get(&db, &id).await.unwrap().unwrap();
        assert_eq!(done.status, JobStatus::Done);
    })
    .await;
}

#[tokio::test]
async fn transactional_enqueue_commits_or_rolls_back_with_the_caller() {
    each_backend(&migrations(), |db| async move {
        let mut tx = db.begin().await.unwrap();
        sqlx::query("INSERT INTO job_runs (job_id, note) VALUES ('x', 'outbox')")
            .execute(&mut *tx)
            .await
            .unwrap();
        let rolled_back = jobs::enqueue_tx(&mut tx, NewJob::new("k", json!(1)))
            .await
            .unwrap();
        tx.rollback().await.unwrap();
        assert!(jobs::get(&db, &rolled_back).await.unwrap().is_none());
        assert_eq!(jobs::count(&db, &JobFilter::default()).await.unwrap(), 0);

        let mut tx = db.begin().await.unwrap();
        let committed = jobs::enqueue_tx(&mut tx, NewJob::new("k", json!(2)))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(jobs::get(&db, &committed).await.unwrap().is_some());
        assert_eq!(jobs::count(&db, &JobFilter::default()).await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn listing_counting_depth_cancel_and_prune() {
    each_backend(&migrations(), |db| async move {
        let mut ids = Vec::new();
        for i in 0..5 {
            let job = NewJob::new(if i < 3 { "a" } else { "b" }, json!(i)).created_by("u1");
            ids.push(jobs::enqueue(&db, job).await.unwrap());
        }
        let t = now_ms() + 1;
        let job = claim_at(&db, "w", &kinds(&["a"]), t).await.unwrap();
        jobs::complete(&db, &job, "w", t).await.unwrap();
        let mut tx = db.begin().await.unwrap();
        assert!(jobs::cancel(&mut tx, &ids[4]).await.unwrap());
        assert!(
            !jobs::cancel(&mut tx, &job.id).await.unwrap(),
            "done jobs stay done"
        );
        tx.commit().await.unwrap();

        let depth = jobs::queue_depth(&db).await.unwrap();
        assert_eq!(
            depth,
            vec![
                ("cancelled".to_string(), 1),
                ("done".to_string(), 1),
                ("queued".to_string(), 3)
            ]
        );
        let queued = JobFilter {
            status: Some(JobStatus::Queued),
            ..JobFilter::default()
        };
        assert_eq!(jobs::count(&db, &queued).await.unwrap(), 3);
        let page = jobs::list(&db, &queued, 2, 0).await.unwrap();
        assert_eq!(page.len(), 2);
        let rest = jobs::list(&db, &queued, 2, 2).await.unwrap();
        assert_eq!(rest.len(), 1);
        assert!(page
            .iter()
            .chain(&rest)
            .all(|j| j.status == JobStatus::Queued));
        let kind_b = JobFilter {
            kind: Some("b".into()),
            created_by: Some("u1".into()),
            ..JobFilter::default()
        };
        assert_eq!(jobs::count(&db, &kind_b).await.unwrap(), 2);

        // Prune removes finished jobs finished before the cut-off, nothing else.
        assert_eq!(jobs::prune(&db, t - 1_000_000).await.unwrap(), 0);
        assert_eq!(jobs::prune(&db, now_ms() + 10_000).await.unwrap(), 2);
        assert_eq!(jobs::count(&db, &JobFilter::default()).await.unwrap(), 3);
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// The worker pool with real handlers.

async fn notes(db: &Db, job_id: &str) -> Vec<String> {
    sqlx::query("SELECT note FROM job_runs WHERE job_id = $1 ORDER BY note")
        .bind(job_id)
        .fetch_all(db.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| row.get("note"))
        .collect()
}

#[tokio::test]
async fn the_pool_runs_handlers_and_retries_until_dead() {
    each_backend(&migrations(), |db| async move {
        let failures = Arc::new(AtomicUsize::new(0));
        let mut registry = Registry::new();
        registry.register("test.note", |ctx, payload| async move {
            let note: String = serde_json::from_value(payload)?;
            sqlx::query("INSERT INTO job_runs (job_id, note) VALUES ($1, $2)")
                .bind(ctx.job_id())
                .bind(note)
                .execute(ctx.db().pool())
                .await?;
            Ok(())
        });
        let counter = failures.clone();
        registry.register("test.flaky", move |ctx, _| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                if ctx.attempt() == 2 {
                    panic!("onverwacht");
                }
                Err(JobError::retry(format!("poging {} mislukt", ctx.attempt())))
            }
        });
        let pool = WorkerPool::start_with(db.clone(), Arc::new(registry), fast_options(3));

        let ok = jobs::enqueue(&db, NewJob::new("test.note", json!("hallo")))
            .await
            .unwrap();
        let malformed = jobs::enqueue(&db, NewJob::new("test.note", json!({"geen": "tekst"})))
            .await
            .unwrap();
        let flaky = jobs::enqueue(&db, NewJob::new("test.flaky", json!({})).max_attempts(3))
            .await
            .unwrap();
        let unknown = jobs::enqueue(&db, NewJob::new("test.unknown", json!({})))
            .await
            .unwrap();

        let done = wait_for(&db, &ok, |j| j.status.is_finished()).await;
        assert_eq!(done.status, JobStatus::Done);
        assert_eq!(notes(&db, &ok).await, vec!["hallo"]);

        // Malformed input is a permanent failure: one attempt, then dead.
        let dead = wait_for(&db, &malformed, |j| j.status.is_finished()).await;
        assert_eq!(dead.status, JobStatus::Dead);
        assert_eq!(dead.attempts, 1);
        assert!(dead.last_error.unwrap().contains("ongeldige invoer"));

        // Failures (including a panic) are retried until max_attempts, then dead.
        let dead = wait_for(&db, &flaky, |j| j.status.is_finished()).await;
        assert_eq!(dead.status, JobStatus::Dead);
        assert_eq!(dead.attempts, 3);
        assert_eq!(failures.load(Ordering::SeqCst), 3);
        assert_eq!(dead.last_error.as_deref(), Some("poging 3 mislukt"));

        pool.shutdown().await;
        // No handler for the kind in this process: still waiting, not lost.
        let waiting = jobs::get(&db, &unknown).await.unwrap().unwrap();
        assert_eq!(waiting.status, JobStatus::Queued);
        assert_eq!(waiting.attempts, 0);
    })
    .await;
}

#[tokio::test]
async fn a_panic_is_recorded_as_a_retryable_error() {
    each_backend(&migrations(), |db| async move {
        let mut registry = Registry::new();
        registry.register("test.panic", |_ctx, payload| async move {
            let message: String = serde_json::from_value(payload)?;
            panic!("{message}")
        });
        let pool = WorkerPool::start_with(db.clone(), Arc::new(registry), fast_options(1));
        let id = jobs::enqueue(
            &db,
            NewJob::new("test.panic", json!("kapot")).max_attempts(2),
        )
        .await
        .unwrap();
        let dead = wait_for(&db, &id, |j| j.status.is_finished()).await;
        pool.shutdown().await;
        assert_eq!(dead.status, JobStatus::Dead);
        assert_eq!(dead.attempts, 2, "a panic is retried like any error");
        assert!(dead.last_error.unwrap().contains("kapot"));
    })
    .await;
}

#[tokio::test]
async fn progress_is_written_throttled_and_shown() {
    each_backend(&migrations(), |db| async move {
        let (reported_tx, reported_rx) = tokio::sync::oneshot::channel::<()>();
        let (go_on_tx, go_on_rx) = tokio::sync::oneshot::channel::<()>();
        let reported = Arc::new(std::sync::Mutex::new(Some(reported_tx)));
        let go_on = Arc::new(tokio::sync::Mutex::new(Some(go_on_rx)));
        let mut registry = Registry::new();
        registry.register("test.progress", move |ctx, _| {
            let reported = reported.clone();
            let go_on = go_on.clone();
            async move {
                ctx.progress(1, 4, "stap 1").await?;
                // Within the throttle interval (one hour here): not written.
                ctx.progress(2, 4, "stap 2").await?;
                if let Some(tx) = reported.lock().unwrap().take() {
                    let _ = tx.send(());
                }
                if let Some(rx) = go_on.lock().await.take() {
                    let _ = rx.await;
                }
                // The last step is always written.
                ctx.progress(4, 4, "klaar").await?;
                Ok(())
            }
        });
        let options = WorkerOptions {
            progress_interval: Duration::from_secs(3600),
            ..fast_options(1)
        };
        let pool = WorkerPool::start_with(db.clone(), Arc::new(registry), options);
        let id = jobs::enqueue(&db, NewJob::new("test.progress", json!({})))
            .await
            .unwrap();
        reported_rx.await.unwrap();
        let running = jobs::get(&db, &id).await.unwrap().unwrap();
        assert_eq!(running.status, JobStatus::Running);
        assert_eq!(running.progress_done, Some(1));
        assert_eq!(running.progress_total, Some(4));
        assert_eq!(running.progress_message.as_deref(), Some("stap 1"));
        assert_eq!(running.percent(), Some(25));
        go_on_tx.send(()).unwrap();
        let done = wait_for(&db, &id, |j| j.status.is_finished()).await;
        pool.shutdown().await;
        assert_eq!(done.status, JobStatus::Done);
        assert_eq!(done.progress_done, Some(4));
        assert_eq!(done.progress_message.as_deref(), Some("klaar"));
    })
    .await;
}

#[tokio::test]
async fn shutdown_gives_an_unfinished_job_back_without_counting_the_attempt() {
    each_backend(&migrations(), |db| async move {
        let (started_tx, started_rx) = tokio::sync::mpsc::channel::<()>(1);
        let mut registry = Registry::new();
        registry.register("test.forever", move |_ctx, _| {
            let started = started_tx.clone();
            async move {
                let _ = started.send(()).await;
                futures::future::pending::<()>().await;
                Ok(())
            }
        });
        let options = WorkerOptions {
            shutdown_grace: Duration::from_millis(50),
            ..fast_options(1)
        };
        let pool = WorkerPool::start_with(db.clone(), Arc::new(registry), options);
        let id = jobs::enqueue(&db, NewJob::new("test.forever", json!({})))
            .await
            .unwrap();
        let mut started_rx = started_rx;
        started_rx.recv().await.unwrap();
        assert_eq!(
            jobs::get(&db, &id).await.unwrap().unwrap().status,
            JobStatus::Running
        );
        pool.shutdown().await;
        let released = jobs::get(&db, &id).await.unwrap().unwrap();
        assert_eq!(released.status, JobStatus::Queued);
        assert_eq!(released.attempts, 0);
        assert_eq!(released.locked_by, None);
    })
    .await;
}

/// The group commits of long jobs (the newsletter's sending job) use `begin_relaxed`: on
/// PostgreSQL its `synchronous_commit = off` holds inside that transaction only, and its writes
/// commit like any other.
#[tokio::test]
async fn a_relaxed_transaction_commits_and_relaxes_only_itself() {
    each_backend(&migrations(), |db| async move {
        let mut tx = db.begin_relaxed().await.unwrap();
        sqlx::query("INSERT INTO job_runs (job_id, note) VALUES ('r', 'relaxed')")
            .execute(&mut *tx)
            .await
            .unwrap();
        if db.backend() == steden_db::Backend::Postgres {
            let inside: String = sqlx::query_scalar("SELECT current_setting('synchronous_commit')")
                .fetch_one(&mut *tx)
                .await
                .unwrap();
            assert_eq!(inside, "off");
        }
        tx.commit().await.unwrap();
        let notes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM job_runs WHERE job_id = 'r'")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(notes, 1);
        if db.backend() == steden_db::Backend::Postgres {
            let mut tx = db.begin().await.unwrap();
            let after: String = sqlx::query_scalar("SELECT current_setting('synchronous_commit')")
                .fetch_one(&mut *tx)
                .await
                .unwrap();
            tx.rollback().await.unwrap();
            assert_eq!(after, "on");
        }
    })
    .await;
}
