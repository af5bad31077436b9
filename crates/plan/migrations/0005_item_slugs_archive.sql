-- Issue 11 point 2: a stable slug per item (the public site addresses programmes and werksporen
-- by it, from one year to the next; '' until one is given, then the title's slug is used), and
-- archived items: stopped items that a new year's text no longer contains, kept for history
-- but left out of the current views.
ALTER TABLE plan_items ADD COLUMN slug TEXT NOT NULL DEFAULT '';
ALTER TABLE plan_items ADD COLUMN archived_at BIGINT;
