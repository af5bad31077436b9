//! Two server processes on one database never run the same job twice.
//!
//! The test re-executes its own test binary twice as child worker processes: the same test,
//! selected with `--exact`, finds the child's environment variables and acts as a worker
//! process instead of as the parent. Each child opens its own pool and runs several workers; every run of a job
//! inserts a row into `job_runs` (no constraint: a second run would show as a second row) and
//! into `job_once` (job id UNIQUE: a second run would fail its job). Jobs are enqueued only once
//! both children are polling, so that both compete for every job.

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use steden_db::jobs::{self, JobError, NewJob, Registry, WorkerOptions, WorkerPool};
use steden_db::testing::each_test_db;
use steden_db::{Db, Migration, MigrationSql, PoolSettings, Row};
use tokio::io::{AsyncBufReadExt, BufReader};

const JOBS: i64 = 300;
const URL_VAR: &str = "STEDEN_JOBS_CHILD_URL";
const NAME_VAR: &str = "STEDEN_JOBS_CHILD_NAME";

fn migrations() -> Vec<Migration> {
    let mut all = jobs::migrations();
    all.push(Migration {
        module: "jobs_test",
        version: 1,
        name: "runs",
        sql: MigrationSql::Portable(
            "CREATE TABLE job_runs (job_id TEXT NOT NULL, process TEXT NOT NULL);
             CREATE TABLE job_once (job_id TEXT PRIMARY KEY);",
        ),
    });
    all
}

async fn scalar(db: &Db, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get::<i64, _>(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_never_run_a_job_twice() {
    if let (Ok(url), Ok(name)) = (std::env::var(URL_VAR), std::env::var(NAME_VAR)) {
        return child_worker_process(url, name).await;
    }
    each_test_db(&migrations(), |test_db| {
        let db = test_db.db.clone();
        let url = test_db.url();
        run_two_children(db, url)
    })
    .await;
}

async fn run_two_children(db: Db, url: String) {
    {
        let exe = std::env::current_exe().unwrap();
        let mut children = Vec::new();
        for name in ["proces-a", "proces-b"] {
            let mut child = tokio::process::Command::new(&exe)
                .args([
                    "two_processes_never_run_a_job_twice",
                    "--exact",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(URL_VAR, &url)
                .env(NAME_VAR, name)
                .stdout(Stdio::piped())
                .kill_on_drop(true)
                .spawn()
                .expect("start child worker process");
            // Wait until the child's workers are polling.
            let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
            let ready = tokio::time::timeout(Duration::from_secs(120), async {
                while let Some(line) = lines.next_line().await.unwrap() {
                    if line.contains("CHILD READY") {
                        return true;
                    }
                }
                false
            })
            .await;
            assert_eq!(ready, Ok(true), "child {name} did not start");
            // Keep draining its output so that it never blocks on a full pipe.
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            children.push((name, child));
        }

        let mut tx = db.begin().await.unwrap();
        for i in 0..JOBS {
            jobs::enqueue_tx(&mut tx, NewJob::new("test.once", json!(i)))
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();

        for (name, child) in &mut children {
            let status = tokio::time::timeout(Duration::from_secs(300), child.wait())
                .await
                .unwrap_or_else(|_| panic!("child {name} did not finish"))
                .unwrap();
            assert!(status.success(), "child {name} failed: {status}");
        }

        assert_eq!(
            scalar(&db, "SELECT COUNT(*) FROM jobs WHERE status = 'done'").await,
            JOBS
        );
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM job_runs").await, JOBS);
        assert_eq!(
            scalar(&db, "SELECT COUNT(DISTINCT job_id) FROM job_runs").await,
            JOBS
        );
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM job_once").await, JOBS);
        // Every job was claimed exactly once (a second claim would have raised attempts).
        assert_eq!(scalar(&db, "SELECT MAX(attempts) FROM jobs").await, 1);
        // Both processes really competed.
        assert_eq!(
            scalar(&db, "SELECT COUNT(DISTINCT process) FROM job_runs").await,
            2
        );
    }
}

/// The work of one child process of [`two_processes_never_run_a_job_twice`].
async fn child_worker_process(url: String, name: String) {
    let settings = PoolSettings {
        max_connections: 6,
        ..PoolSettings::default()
    };
    let db = Db::connect(&url, &settings).await.expect("child connects");
    let mut registry = Registry::new();
    let process = Arc::new(name.clone());
    registry.register("test.once", move |ctx, _payload| {
        let process = process.clone();
        async move {
            sqlx::query("INSERT INTO job_runs (job_id, process) VALUES ($1, $2)")
                .bind(ctx.job_id())
                .bind(process.as_str())
                .execute(ctx.db().pool())
                .await?;
            // Some work, so that both processes have jobs in flight at the same time.
            tokio::time::sleep(Duration::from_millis(3)).await;
            sqlx::query("INSERT INTO job_once (job_id) VALUES ($1)")
                .bind(ctx.job_id())
                .execute(ctx.db().pool())
                .await
                .map_err(|e| JobError::permanent(format!("tweede uitvoering: {e}")))?;
            Ok(())
        }
    });
    let options = WorkerOptions {
        workers: 4,
        name,
        poll_interval: Duration::from_millis(10),
        ..WorkerOptions::default()
    };
    let pool = WorkerPool::start_with(db.clone(), Arc::new(registry), options);
    println!("CHILD READY");
    // Run until every job is finished (by either process).
    loop {
        let row = sqlx::query(
            "SELECT COUNT(*) AS total, \
             COUNT(CASE WHEN status IN ('done', 'dead') THEN 1 END) AS finished FROM jobs",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        let (total, finished): (i64, i64) = (row.get("total"), row.get("finished"));
        if total == JOBS && finished == JOBS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    pool.shutdown().await;
    db.close().await;
}
