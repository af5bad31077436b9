-- Issue 12 point 6: the public pages keep the published plan in memory (site::published_plan
-- behind a cache) and must see every change at once, on every server sharing the database.
-- One row counts the changes to what a plan page shows: the triggers below bump it in the
-- same transaction as any insert, update or delete of a plan, a level or an item (once per
-- statement, so a bulk update costs one bump), so no write path can forget it. `token` tells
-- databases apart (a process may talk to several, in tests), so a cache keyed by
-- (token, version) never mixes them. SQLite twin: 0007_data_version.sqlite.sql.
CREATE TABLE plan_data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO plan_data_version (id, token, version)
    VALUES (1, md5(random()::text || clock_timestamp()::text), 0);

CREATE FUNCTION plan_data_version_bump() RETURNS trigger AS $$
BEGIN
    UPDATE plan_data_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER plan_plans_version AFTER INSERT OR UPDATE OR DELETE ON plan_plans
    FOR EACH STATEMENT EXECUTE FUNCTION plan_data_version_bump();
CREATE TRIGGER plan_levels_version AFTER INSERT OR UPDATE OR DELETE ON plan_levels
    FOR EACH STATEMENT EXECUTE FUNCTION plan_data_version_bump();
CREATE TRIGGER plan_items_version AFTER INSERT OR UPDATE OR DELETE ON plan_items
    FOR EACH STATEMENT EXECUTE FUNCTION plan_data_version_bump();
