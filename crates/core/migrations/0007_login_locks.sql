-- One row per throttling key (a hash of the account's address, the client address, or the
-- whole platform). Checking a login takes this row first (INSERT … ON CONFLICT DO UPDATE locks
-- it until the transaction ends), so that counting the recent failures in login_attempts and
-- recording the new attempt happen as one step: parallel attempts on the same key queue here
-- instead of all reading the same count. See crates/core/src/login.rs.
CREATE TABLE login_locks (
    key_hash TEXT PRIMARY KEY,
    touched_at BIGINT NOT NULL
);
CREATE INDEX login_locks_touched ON login_locks (touched_at);
