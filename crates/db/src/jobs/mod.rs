//! The job queue: long or unreliable work (mail, imports, indexing) runs as jobs stored in the
//! database, so that it survives restarts and is shared by every server process on one database.
//!
//! - [`enqueue`] / [`enqueue_tx`] add a job (the latter inside the caller's transaction, so that
//!   e.g. an outbox row and the job that sends it commit or roll back together);
//! - a [`WorkerPool`] inside each server process claims runnable jobs atomically
//!   ([`claim`]: see there why two processes never run one job twice), runs the handler that a
//!   module registered for the job's kind in the [`Registry`], and records the outcome;
//! - a failed attempt is retried with exponential backoff and jitter; after `max_attempts`, or
//!   at once on a [`JobError::Permanent`], the job is `dead` and keeps its last error until an
//!   administrator requeues it;
//! - handlers report progress through [`JobContext::progress`], shown on the admin page and in
//!   the progress fragment that modules embed.

mod store;
mod worker;

pub use store::*;
pub use worker::*;

use crate::{Migration, MigrationSql};

/// Wakes idle workers of this process after an enqueue (they otherwise find new work at the
/// next poll). Workers of other processes find it by polling. It lives here, between the store
/// that signals and the worker that waits, so that neither imports the other.
static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

pub(crate) fn wake() {
    WAKE.notify_one();
}

/// The queue's schema (module "db", migrated before the core).
pub fn migrations() -> Vec<Migration> {
    vec![Migration {
        module: "db",
        version: 1,
        name: "jobs",
        sql: MigrationSql::Portable(include_str!("../../migrations/0001_jobs.sql")),
    }]
}

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobStatus {
    /// Waiting for `run_at` (a first attempt, or a retry when `last_error` is set).
    Queued,
    /// Claimed by a worker whose lease runs until `locked_until`.
    Running,
    Done,
    /// Gave up; keeps its last error. An administrator can requeue it.
    Dead,
    Cancelled,
}

impl JobStatus {
    pub const ALL: [JobStatus; 5] = [
        JobStatus::Queued,
        JobStatus::Running,
        JobStatus::Done,
        JobStatus::Dead,
        JobStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Dead => "dead",
            JobStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<JobStatus> {
        JobStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether the job will not change any more by itself.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            JobStatus::Done | JobStatus::Dead | JobStatus::Cancelled
        )
    }
}

impl std::fmt::Display for JobStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_round_trip() {
        for status in JobStatus::ALL {
            assert_eq!(JobStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(JobStatus::parse("failed"), None);
        assert!(JobStatus::Dead.is_finished());
        assert!(!JobStatus::Queued.is_finished());
    }
}
