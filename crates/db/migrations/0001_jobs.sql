-- The job queue. One row per job; the row is the whole state machine:
--   queued    waiting to run at run_at (also after a failed attempt: last_error is then set)
--   running   claimed by locked_by until locked_until (the lease; an expired lease is reclaimable)
--   done      finished
--   dead      gave up (max_attempts reached or a permanent error); keeps last_error
--   cancelled stopped by an administrator before it ran
-- created_by and organisation_id are not foreign keys: this table belongs to the storage crate,
-- which is migrated before the core creates users and organisations.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead', 'cancelled')),
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    run_at BIGINT NOT NULL,
    locked_by TEXT,
    locked_until BIGINT,
    progress_done BIGINT,
    progress_total BIGINT,
    progress_message TEXT,
    last_error TEXT,
    created_by TEXT,
    organisation_id TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    finished_at BIGINT
);

-- The claim probe: runnable queued jobs in run_at order.
CREATE INDEX jobs_status_run_at ON jobs (status, run_at);
-- Reclaiming expired leases of running jobs.
CREATE INDEX jobs_status_locked_until ON jobs (status, locked_until);
-- The admin list (newest first) and a user's own jobs.
CREATE INDEX jobs_created_at ON jobs (created_at);
CREATE INDEX jobs_created_by ON jobs (created_by);
