-- Releases are immutable: once a plan is frozen into a release, its name, date and snapshot
-- never change (only `published` may be switched), and a release is never deleted on its own.
-- Deleting the plan itself still removes its releases through ON DELETE CASCADE: the cascade
-- runs after the plan's row is deleted, so the trigger only refuses while the plan still
-- exists. SQLite twin: 0002_release_immutable.sqlite.sql.
CREATE FUNCTION plan_releases_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM plan_plans WHERE id = OLD.plan_id) THEN
            RAISE EXCEPTION 'release is onveranderlijk';
        END IF;
        RETURN OLD;
    END IF;
    IF NEW.snapshot IS DISTINCT FROM OLD.snapshot OR NEW.as_of IS DISTINCT FROM OLD.as_of
        OR NEW.name IS DISTINCT FROM OLD.name OR NEW.plan_id IS DISTINCT FROM OLD.plan_id THEN
        RAISE EXCEPTION 'release is onveranderlijk';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER plan_releases_no_change BEFORE UPDATE OR DELETE ON plan_releases
    FOR EACH ROW EXECUTE FUNCTION plan_releases_immutable();
