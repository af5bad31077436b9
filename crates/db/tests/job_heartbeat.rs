//! A crashed job is picked up quickly, and a long one is not run twice: leases are short and
//! renewed by a heartbeat while the handler runs.
//!
//! - `a_killed_process_job_runs_again_within_the_lease`: a child process (this test binary,
//!   re-executed) starts a job that never ends and is killed with SIGKILL; a worker pool with
//!   the default options started afterwards (a new process on the same database) must run the
//!   job within about the default lease, not after minutes.
//! - `a_job_longer_than_its_lease_runs_once`: two pools with a lease far shorter than the
//!   handler; the heartbeat keeps the job with the first.
//! - `a_worker_that_lost_its_lease_stops_the_handler`: when the lease was taken over anyway
//!   (the process stalled longer than the lease), the old handler is stopped instead of running
//!   on beside the new one.

use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use steden_db::jobs::{self, ClaimRequest, JobStatus, NewJob, Registry, WorkerOptions, WorkerPool};
use steden_db::testing::{each_backend, each_test_db};
use steden_db::{now_ms, Db, Migration, MigrationSql, PoolSettings, Row};
use tokio::io::{AsyncBufReadExt, BufReader};

const URL_VAR: &str = "STEDEN_HEARTBEAT_CHILD_URL";

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

async fn runs(db: &Db, note: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM job_runs WHERE note = $1")
        .bind(note)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get::<i64, _>(0)
}

async fn note_run(db: &Db, job_id: &str, note: &str) {
    sqlx::query("INSERT INTO job_runs (job_id, note) VALUES ($1, $2)")
        .bind(job_id)
        .bind(note)
        .execute(db.pool())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_process_job_runs_again_within_the_lease() {
    if let Ok(url) = std::env::var(URL_VAR) {
        return child_that_hangs(url).await;
    }
    each_test_db(&migrations(), |test_db| {
        let db = test_db.db.clone();
        let url = test_db.url();
        async move {
            let id = jobs::enqueue(&db, NewJob::new("test.import", json!({})))
                .await
                .unwrap();
            let mut child = tokio::process::Command::new(std::env::current_exe().unwrap())
                .args([
                    "a_killed_process_job_runs_again_within_the_lease",
                    "--exact",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(URL_VAR, &url)
                .stdout(Stdio::piped())
                .kill_on_drop(true)
                .spawn()
                .expect("start child process");
            let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
            let started = tokio::time::timeout(Duration::from_secs(120), async {
                while let Some(line) = lines.next_line().await.unwrap() {
                    if line.contains("JOB STARTED") {
                        return true;
                    }
                }
                false
            })
            .await;
            assert_eq!(started, Ok(true), "the child did not start the job");
            // The job runs a while in the child (its lease renewed), then the child dies.
            tokio::time::sleep(Duration::from_secs(2)).await;
            child.start_kill().unwrap(); // SIGKILL
            child.wait().await.unwrap();
            let killed = Instant::now();
            let job = jobs::get(&db, &id).await.unwrap().unwrap();
            assert_eq!(
                job.status,
                JobStatus::Running,
                "left running by the dead child"
            );

            // A process that starts now, with the default options (lease included).
            let mut registry = Registry::new();
            registry.register("test.import", |ctx, _| async move {
                note_run(ctx.db(), ctx.job_id(), "rescued").await;
                Ok(())
            });
            let pool = WorkerPool::start_with(
                db.clone(),
                Arc::new(registry),
                WorkerOptions {
                    workers: 1,
                    name: "rescuer".into(),
                    ..WorkerOptions::default()
                },
            );
            let deadline = killed + jobs::DEFAULT_LEASE + Duration::from_secs(15);
            let job = loop {
                let job = jobs::get(&db, &id).await.unwrap().unwrap();
                if job.status == JobStatus::Done {
                    break job;
                }
                assert!(
                    Instant::now() < deadline,
                    "the job of the killed process was not picked up within {:?}: {job:?}",
                    deadline - killed
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            };
            let waited = killed.elapsed();
            println!("picked up and finished {waited:?} after the kill");
            pool.shutdown().await;
            assert!(waited <= jobs::DEFAULT_LEASE + Duration::from_secs(5));
            assert_eq!(job.attempts, 2, "the killed attempt is counted");
            assert_eq!(runs(&db, "rescued").await, 1);
        }
    })
    .await;
}

/// The child of [`a_killed_process_job_runs_again_within_the_lease`]: default options, a
/// handler that never ends.
async fn child_that_hangs(url: String) {
    let settings = PoolSettings {
        max_connections: 3,
        ..PoolSettings::default()
    };
    let db = Db::connect(&url, &settings).await.expect("child connects");
    let mut registry = Registry::new();
    registry.register("test.import", |_ctx, _| async move {
        println!("JOB STARTED");
        std::future::pending::<()>().await;
        Ok(())
    });
    let _pool = WorkerPool::start_with(
        db,
        Arc::new(registry),
        WorkerOptions {
            workers: 1,
            name: "doomed".into(),
            poll_interval: Duration::from_millis(50),
            ..WorkerOptions::default()
        },
    );
    std::future::pending::<()>().await;
}

fn short_lease(name: &str) -> WorkerOptions {
    WorkerOptions {
        workers: 2,
        name: name.into(),
        poll_interval: Duration::from_millis(20),
        lease: Duration::from_millis(600),
        shutdown_grace: Duration::from_secs(10),
        ..WorkerOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_job_longer_than_its_lease_runs_once() {
    each_backend(&migrations(), |db| async move {
        let started = Arc::new(AtomicUsize::new(0));
        let registry = |started: Arc<AtomicUsize>| {
            let mut registry = Registry::new();
            registry.register("test.long", move |ctx, _| {
                let started = started.clone();
                async move {
                    started.fetch_add(1, Ordering::SeqCst);
                    note_run(ctx.db(), ctx.job_id(), "long").await;
                    // Five leases long.
                    tokio::time::sleep(Duration::from_millis(3000)).await;
                    Ok(())
                }
            });
            Arc::new(registry)
        };
        let first = WorkerPool::start_with(db.clone(), registry(started.clone()), short_lease("a"));
        let second =
            WorkerPool::start_with(db.clone(), registry(started.clone()), short_lease("b"));
        let id = jobs::enqueue(&db, NewJob::new("test.long", json!({})))
            .await
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        let job = loop {
            let job = jobs::get(&db, &id).await.unwrap().unwrap();
            if job.status.is_finished() {
                break job;
            }
            assert!(Instant::now() < deadline, "never finished: {job:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        first.shutdown().await;
        second.shutdown().await;
        assert_eq!(job.status, JobStatus::Done);
        assert_eq!(job.attempts, 1, "claimed once");
        assert_eq!(started.load(Ordering::SeqCst), 1, "the handler ran once");
        assert_eq!(runs(&db, "long").await, 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_worker_that_lost_its_lease_stops_the_handler() {
    each_backend(&migrations(), |db| async move {
        let mut registry = Registry::new();
        registry.register("test.slow", |ctx, _| async move {
            note_run(ctx.db(), ctx.job_id(), "begun").await;
            for _ in 0..40 {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            note_run(ctx.db(), ctx.job_id(), "ran to the end").await;
            Ok(())
        });
        let pool = WorkerPool::start_with(db.clone(), Arc::new(registry), short_lease("a"));
        let id = jobs::enqueue(&db, NewJob::new("test.slow", json!({})))
            .await
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while runs(&db, "begun").await == 0 {
            assert!(Instant::now() < deadline, "the job never started");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // Another process takes the job over as if this one had stalled past its lease.
        let kinds = vec!["test.slow".to_string()];
        let stolen = jobs::claim(
            &db,
            &ClaimRequest {
                worker: "other-process",
                kinds: &kinds,
                now: now_ms() + 60_000,
                lease_ms: 600_000,
            },
        )
        .await
        .unwrap()
        .expect("the lease can be taken over once expired");
        assert_eq!(stolen.id, id);
        // The old handler is stopped at its next heartbeat, well before its 4 seconds.
        tokio::time::sleep(Duration::from_millis(4500)).await;
        assert_eq!(
            runs(&db, "ran to the end").await,
            0,
            "the handler whose lease was taken over ran on"
        );
        let job = jobs::get(&db, &id).await.unwrap().unwrap();
        assert_eq!(job.status, JobStatus::Running);
        assert_eq!(job.locked_by.as_deref(), Some("other-process"));
        pool.shutdown().await;
    })
    .await;
}
