//! The test harness: every storage and HTTP test runs on a fresh SQLite database, and again on
//! a fresh PostgreSQL database when `TEST_DATABASE_URL` is set (for example
//! `postgres://postgres@127.0.0.1:5432/postgres`). Each run gets its own database, created for
//! the test and dropped afterwards, so tests run in parallel without seeing each other.
//!
//! When `STEDEN_BACKEND_LOG` names a file, every run appends the backend's name to it; CI uses
//! this to fail when the PostgreSQL runs silently did not happen.

use std::future::Future;
use std::io::Write;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use sqlx::Connection;

use crate::{migrate, Backend, Db, Migration, PoolSettings};

/// A fresh, migrated database of one backend, removed again by [`TestDb::cleanup`].
pub struct TestDb {
    pub db: Db,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// A fresh SQLite database in a temporary directory.
    pub async fn sqlite(migrations: &[Migration]) -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = Db::sqlite_url_in(dir.path()).expect("sqlite url");
        let db = Db::connect(&url, &PoolSettings::default())
            .await
            .expect("open test SQLite database");
        migrate::run(&db, migrations)
            .await
            .expect("migrate test database");
        log_backend(Backend::Sqlite);
        TestDb {
            db,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A fresh PostgreSQL database on the server of `admin_url`.
    pub async fn postgres(admin_url: &str, migrations: &[Migration]) -> TestDb {
        let name = format!("steden_test_{}", crate::new_id());
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but not reachable: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create test database");
        admin.close().await.ok();
        let url = with_database(admin_url, &name);
        let settings = PoolSettings {
            max_connections: 8,
            ..PoolSettings::default()
        };
        let db = Db::connect(&url, &settings)
            .await
            .expect("open test PostgreSQL database");
        migrate::run(&db, migrations)
            .await
            .expect("migrate test database");
        log_backend(Backend::Postgres);
        TestDb {
            db,
            cleanup: Cleanup::Postgres {
                admin_url: admin_url.to_string(),
                name,
            },
        }
    }

    /// The URL of this database (for tests that start a second process on it).
    pub fn url(&self) -> String {
        match &self.cleanup {
            Cleanup::Sqlite(dir) => Db::sqlite_url_in(dir.path()).expect("sqlite url"),
            Cleanup::Postgres { admin_url, name } => with_database(admin_url, name),
        }
    }

    /// Closes the pool and removes the database.
    pub async fn cleanup(self) {
        self.db.close().await;
        if let Cleanup::Postgres { admin_url, name } = self.cleanup {
            if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin)
                    .await;
            }
        }
    }
}

/// The PostgreSQL server to test against, if any.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// Runs `test` on a fresh SQLite database and, when `TEST_DATABASE_URL` is set, on a fresh
/// PostgreSQL database, each migrated with `migrations`. A failure names the backend.
pub async fn each_backend<F, Fut>(migrations: &[Migration], test: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    each_test_db(migrations, |test_db| test(test_db.db.clone())).await
}

/// Like [`each_backend`], but hands the test the [`TestDb`] itself (for its URL).
pub async fn each_test_db<F, Fut>(migrations: &[Migration], test: F)
where
    F: Fn(&TestDb) -> Fut,
    Fut: Future<Output = ()>,
{
    let sqlite = TestDb::sqlite(migrations).await;
    run_one(Backend::Sqlite, sqlite, &test).await;
    if let Some(admin_url) = postgres_admin_url() {
        let postgres = TestDb::postgres(&admin_url, migrations).await;
        run_one(Backend::Postgres, postgres, &test).await;
    }
}

async fn run_one<F, Fut>(backend: Backend, test_db: TestDb, test: &F)
where
    F: Fn(&TestDb) -> Fut,
    Fut: Future<Output = ()>,
{
    let outcome = AssertUnwindSafe(test(&test_db)).catch_unwind().await;
    test_db.cleanup().await;
    if let Err(panic) = outcome {
        eprintln!("test failed on {}", backend.name());
        std::panic::resume_unwind(panic);
    }
}

fn with_database(admin_url: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("TEST_DATABASE_URL is a valid URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

fn log_backend(backend: Backend) {
    if let Ok(path) = std::env::var("STEDEN_BACKEND_LOG") {
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            // One write per line: with O_APPEND it lands whole even when tests run in parallel.
            let _ = file.write_all(format!("{}\n", backend.name()).as_bytes());
        }
    }
}
