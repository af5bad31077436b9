-- Releases are immutable: once a plan is frozen into a release, its name, date and snapshot
-- never change (only `published` may be switched), and a release is never deleted on its own.
-- Deleting the plan itself still removes its releases through ON DELETE CASCADE: SQLite runs
-- the cascade after the plan's row is gone, so the delete trigger only refuses while the plan
-- still exists. PostgreSQL twin: 0002_release_immutable.postgres.sql.
CREATE TRIGGER plan_releases_no_update BEFORE UPDATE OF snapshot, as_of, name, plan_id ON plan_releases
WHEN NEW.snapshot IS NOT OLD.snapshot OR NEW.as_of IS NOT OLD.as_of OR NEW.name IS NOT OLD.name
    OR NEW.plan_id IS NOT OLD.plan_id
BEGIN
    SELECT RAISE(ABORT, 'release is onveranderlijk');
END;
CREATE TRIGGER plan_releases_no_delete BEFORE DELETE ON plan_releases
WHEN EXISTS (SELECT 1 FROM plan_plans WHERE id = OLD.plan_id)
BEGIN
    SELECT RAISE(ABORT, 'release is onveranderlijk');
END;
