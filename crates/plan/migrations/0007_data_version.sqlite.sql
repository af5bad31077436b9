-- Issue 12 point 6: the public pages keep the published plan in memory (site::published_plan
-- behind a cache) and must see every change at once, on every server sharing the database.
-- One row counts the changes to what a plan page shows: the triggers below bump it in the
-- same transaction as any insert, update or delete of a plan, a level or an item, so no write
-- path can forget it. `token` tells databases apart (a process may talk to several, in tests),
-- so a cache keyed by (token, version) never mixes them. PostgreSQL twin:
-- 0007_data_version.postgres.sql.
CREATE TABLE plan_data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO plan_data_version (id, token, version) VALUES (1, lower(hex(randomblob(16))), 0);

CREATE TRIGGER plan_plans_version_ins AFTER INSERT ON plan_plans
BEGIN UPDATE plan_data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER plan_plans_version_upd AFTER UPDATE ON plan_plans
BEGIN UPDATE plan_data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER plan_plans_version_del AFTER DELETE ON plan_plans
BEGIN UPDATE plan_data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER plan_levels_version_ins AFTER INSERT ON plan_levels
BEGIN UPDATE plan_data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER plan_levels_version_upd AFTER UPDATE ON plan_levels
BEGIN UPDATE plan_data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER plan_levels_version_del AFTER DELETE ON plan_levels
BEGIN UPDATE plan_data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER plan_items_version_ins AFTER INSERT ON plan_items
BEGIN UPDATE plan_data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER plan_items_version_upd AFTER UPDATE ON plan_items
BEGIN UPDATE plan_data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER plan_items_version_del AFTER DELETE ON plan_items
BEGIN UPDATE plan_data_version SET version = version + 1 WHERE id = 1; END;
