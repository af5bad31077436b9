-- The nieuwsbrief module's daily work (docs/design/NIEUWSBRIEF.md §3.7): when each task is due
-- next. Every server ticks; the one whose conditional UPDATE moves `next_run_at` queues the job,
-- in the same transaction, so a task runs once a day however many servers there are.
CREATE TABLE nb_schedule (
    key TEXT PRIMARY KEY,
    next_run_at BIGINT NOT NULL
);
-- The retention job looks for unconfirmed subscribers by their last change.
CREATE INDEX nb_subscribers_status_updated ON nb_subscribers (status, updated_at);
