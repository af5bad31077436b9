-- Releases are immutable: see 0002_release_immutable.postgres.sql.
CREATE TABLE plan_release_guard_placeholder (id INTEGER);
DROP TABLE plan_release_guard_placeholder;
