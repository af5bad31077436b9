//! Periodic clean-up of rows that have served their purpose: expired sessions, old login
//! attempts, spent account links and finished jobs. Every statement is an idempotent delete, so
//! several server instances on one database may run it at the same time.

use std::time::Duration;

use steden_db::{jobs, now_ms, Db};

use crate::{auth, session};

/// How long finished jobs stay visible on the jobs page.
pub const KEEP_FINISHED_JOBS_DAYS: i64 = 30;
/// How long spent or expired account links are kept (for support questions).
const KEEP_ACCOUNT_TOKENS_MS: i64 = 30 * 24 * 60 * 60 * 1000;
/// How often the clean-up runs.
pub const INTERVAL: Duration = Duration::from_secs(60 * 60);

/// What one run removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    pub sessions: u64,
    pub login_attempts: u64,
    pub account_tokens: u64,
    pub jobs: u64,
}

/// Removes what is no longer needed, as of now.
pub async fn run_once(db: &Db) -> Result<Removed, sqlx::Error> {
    let now = now_ms();
    let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(now - session::IDLE_TIMEOUT_MS)
        .execute(db.pool())
        .await?
        .rows_affected();
    // Attempts only count within the throttling windows; older ones say nothing any more.
    let login_attempts = steden_core::login::prune(db, auth::WINDOW_MS.max(auth::RESET_WINDOW_MS))
        .await
        .map_err(|e| match e {
            steden_core::CoreError::Database(e) => e,
            other => sqlx::Error::Protocol(other.to_string()),
        })?;
    let account_tokens =
        sqlx::query("DELETE FROM account_tokens WHERE expires_at <= $1 OR used_at <= $1")
            .bind(now - KEEP_ACCOUNT_TOKENS_MS)
            .execute(db.pool())
            .await?
            .rows_affected();
    let jobs = jobs::prune_older_than_days(db, KEEP_FINISHED_JOBS_DAYS).await?;
    Ok(Removed {
        sessions,
        login_attempts,
        account_tokens,
        jobs,
    })
}

/// Runs [`run_once`] now and then every [`INTERVAL`], until the task is aborted.
pub fn spawn(db: Db) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(INTERVAL);
        loop {
            ticker.tick().await;
            match run_once(&db).await {
                Ok(removed) => tracing::debug!(?removed, "opruiming"),
                Err(error) => tracing::warn!(%error, "opruiming mislukt"),
            }
        }
    })
}
