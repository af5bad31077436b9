-- Stad in cijfers (issue 15, points 3 and 10): the disclosure check as the gate of publication.
-- Portable SQL (SQLite and PostgreSQL): booleans small integers, timestamps integer ms (UTC).

-- Per indicator: how wide the interval of a suppressed cell must be (percent of its value;
-- NULL = 30), whether the platform adds secondary suppressions itself (1) or only audits the
-- data team's own pattern (0), and the outcome of the last check. Public reads need
-- disclosure_passed = 1 besides published = 1.
ALTER TABLE cijfers_indicators ADD COLUMN protection_pct BIGINT;
ALTER TABLE cijfers_indicators ADD COLUMN auto_secondary SMALLINT NOT NULL DEFAULT 1;
ALTER TABLE cijfers_indicators ADD COLUMN disclosure_passed SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE cijfers_indicators ADD COLUMN disclosure_checked_at BIGINT;

-- Per value: the outcome of the last check, next to the status the source gave (which stays):
-- 'pending' (written since the last check: never public), 'passed', 'primary' or 'secondary'.
ALTER TABLE cijfers_values ADD COLUMN disclosure TEXT NOT NULL DEFAULT 'pending';
CREATE INDEX cijfers_values_disclosure ON cijfers_values (indicator_id, disclosure);

-- Every check: when, by whom, why, passed or not, and per suppressed cell its rule and the
-- interval an outsider can deduce (JSON). Holds true values: for the data team only.
CREATE TABLE cijfers_disclosure_runs (
    id TEXT PRIMARY KEY,
    indicator_id TEXT NOT NULL REFERENCES cijfers_indicators(id) ON DELETE CASCADE,
    ran_at BIGINT NOT NULL,
    ran_by TEXT REFERENCES users(id),
    -- 'publish', 'import', 'demo'
    trigger_kind TEXT NOT NULL,
    passed SMALLINT NOT NULL,
    -- whether the outcome was written (0: a refused publication, recorded after the rollback)
    applied SMALLINT NOT NULL DEFAULT 1,
    summary TEXT NOT NULL DEFAULT '',
    cells TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX cijfers_disclosure_runs_indicator ON cijfers_disclosure_runs (indicator_id, ran_at);
