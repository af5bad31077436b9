//! Connecting to the platform database.

use std::path::Path;
use std::sync::Once;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

/// Which database engine a [`Db`] talks to. The SQL is the same for both; the backend only
/// matters for connection set-up, backups and the few operations that have no portable form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// The backend a database URL points at, if it is one we support.
    pub fn from_url(url: &str) -> Option<Backend> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            _ => None,
        }
    }
}

/// Why the database could not be opened. The messages are meant for the operator's terminal.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("onbekend databanktype in DATABASE_URL '{0}': gebruik sqlite://… of postgres://…")]
    UnsupportedUrl(String),
    #[error("kan de databank {url} niet bereiken: {source}")]
    Unreachable {
        url: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("kan de map voor de databank niet aanmaken ({path}): {source}")]
    DataDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Pool tuning. The defaults suit one server process; several processes on one PostgreSQL
/// share the server's connection limit, so keep `max_connections` × processes below it.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            max_connections: 16,
            acquire_timeout: Duration::from_secs(10),
        }
    }
}

/// A handle on the platform database: a connection pool and the backend it talks to.
/// Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    redacted_url: String,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .field("url", &self.redacted_url)
            .finish()
    }
}

static INSTALL_DRIVERS: Once = Once::new();

impl Db {
    /// The URL of the embedded SQLite database in a data directory, creating the directory.
    pub fn sqlite_url_in(data_dir: &Path) -> Result<String, DbError> {
        std::fs::create_dir_all(data_dir).map_err(|source| DbError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })?;
        Ok(format!(
            "sqlite://{}?mode=rwc",
            data_dir.join("steden.db").display()
        ))
    }

    /// Opens a pool on `url` and checks that the database answers.
    pub async fn connect(url: &str, settings: &PoolSettings) -> Result<Db, DbError> {
        INSTALL_DRIVERS.call_once(sqlx::any::install_default_drivers);
        let backend =
            Backend::from_url(url).ok_or_else(|| DbError::UnsupportedUrl(redact_url(url)))?;
        let options = AnyPoolOptions::new()
            .max_connections(match backend {
                // SQLite has one writer at a time; more connections only add lock waits.
                Backend::Sqlite => settings.max_connections.min(8),
                Backend::Postgres => settings.max_connections,
            })
            .acquire_timeout(settings.acquire_timeout)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers proceed while one writer writes; foreign keys are off
                        // by default in SQLite; the busy timeout turns lock contention into a
                        // short wait instead of an immediate "database is locked".
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            });
        let redacted_url = redact_url(url);
        let pool = options
            .connect(url)
            .await
            .map_err(|source| DbError::Unreachable {
                url: redacted_url.clone(),
                source,
            })?;
        Ok(Db {
            pool,
            backend,
            redacted_url,
        })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL without its password, safe for logs.
    pub fn redacted_url(&self) -> &str {
        &self.redacted_url
    }

    /// Starts a transaction.
    ///
    /// On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken at the start (waiting up to
    /// the busy timeout) instead of at the first write. A deferred transaction that reads and
    /// then writes fails with "database is locked" when another connection wrote in between,
    /// whatever the busy timeout — which happens as soon as a job worker writes beside a page.
    pub async fn begin(&self) -> Result<crate::Tx<'static>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Starts a transaction whose commit does not wait for PostgreSQL's WAL flush
    /// (`synchronous_commit = off` for this transaction only, set in the same round trip as
    /// `BEGIN`). For group commits that a crash of the database's machine may undo for its last
    /// ~0.6 s (3 × `wal_writer_delay`) because redoing them is harmless; a crash of this process
    /// loses nothing. On SQLite it is [`Db::begin`] (WAL with `synchronous = NORMAL` is that
    /// guarantee already).
    pub async fn begin_relaxed(&self) -> Result<crate::Tx<'static>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.begin().await,
            Backend::Postgres => {
                self.pool
                    .begin_with("BEGIN; SET LOCAL synchronous_commit = off")
                    .await
            }
        }
    }

    /// Whether the database answers a trivial query (for readiness probes).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A database URL with any password replaced, so that it can be logged or shown.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_from_url() {
        assert_eq!(Backend::from_url("sqlite://x.db"), Some(Backend::Sqlite));
        assert_eq!(
            Backend::from_url("postgresql://u@h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::from_url("mysql://h/db"), None);
    }

    #[test]
    fn passwords_are_redacted() {
        let shown = redact_url("postgres://steden:geheim@db.local/steden");
        assert!(!shown.contains("geheim"), "{shown}");
        assert!(shown.contains("steden:***@db.local"), "{shown}");
    }

    #[tokio::test]
    async fn unreachable_database_is_one_clear_error() {
        let settings = PoolSettings {
            acquire_timeout: Duration::from_secs(2),
            ..PoolSettings::default()
        };
        // Port 1 on loopback: nothing listens there.
        let err = Db::connect("postgres://steden:geheim@127.0.0.1:1/steden", &settings)
            .await
            .unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("kan de databank"), "{message}");
        assert!(!message.contains("geheim"), "{message}");
    }
}
