-- Issue 11 point 4: a parent's status is derived from its children (see docs/PLAN.md, "Status
-- van een bovenliggend item", and store/rollup.rs) unless it was set by hand.
-- 1 = the status of this item (a parent) was set by a person and is kept as it is; 0 = derived
-- (on parents) or the item's own (on leaves, where the flag is never set).
ALTER TABLE plan_items ADD COLUMN status_manual SMALLINT NOT NULL DEFAULT 0;

-- Existing parents. Their stored status came either from an import or a copy (which never
-- looked at the children: a programme at 49 % read "Niet gestart") or from a person (the edit
-- form or a progress report, both of which leave a status change in the item's history).
-- A parent whose current status a person set (its history has a status change to it) keeps it,
-- as hand-set; every other parent gets the derived status below.
UPDATE plan_items SET status_manual = 1
WHERE EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id)
  AND EXISTS (SELECT 1 FROM plan_updates u
              WHERE u.item_id = plan_items.id AND u.measurement_id IS NULL
                AND u.new_status = plan_items.status
                AND u.old_status IS NOT NULL AND u.old_status <> u.new_status);

-- The derived status, bottom-up: one statement per depth, deepest parents first, so that each
-- parent sees its children's final status (a plan has at most eight levels: parents sit at
-- depth 0 to 6; 9 and 8 cover items placed deeper than the plan's levels). The rule is the one
-- of rollup::derive_status:
--   all children stopgezet → stopgezet; otherwise, ignoring the stopped children:
--   all afgerond → afgerond; any vertraagd → vertraagd;
--   any lopend or afgerond, or any progress above 0 → lopend; else niet_gestart.
UPDATE plan_items SET status = CASE
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet') THEN 'stopgezet'
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status NOT IN ('afgerond', 'stopgezet')) THEN 'afgerond'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status = 'vertraagd') THEN 'vertraagd'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet' AND (c.status IN ('lopend', 'afgerond') OR c.progress > 0)) THEN 'lopend'
    ELSE 'niet_gestart' END
WHERE depth = 9 AND status_manual = 0 AND EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id);

UPDATE plan_items SET status = CASE
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet') THEN 'stopgezet'
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status NOT IN ('afgerond', 'stopgezet')) THEN 'afgerond'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status = 'vertraagd') THEN 'vertraagd'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet' AND (c.status IN ('lopend', 'afgerond') OR c.progress > 0)) THEN 'lopend'
    ELSE 'niet_gestart' END
WHERE depth = 8 AND status_manual = 0 AND EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id);

UPDATE plan_items SET status = CASE
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet') THEN 'stopgezet'
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status NOT IN ('afgerond', 'stopgezet')) THEN 'afgerond'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status = 'vertraagd') THEN 'vertraagd'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet' AND (c.status IN ('lopend', 'afgerond') OR c.progress > 0)) THEN 'lopend'
    ELSE 'niet_gestart' END
WHERE depth = 7 AND status_manual = 0 AND EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id);

UPDATE plan_items SET status = CASE
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet') THEN 'stopgezet'
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status NOT IN ('afgerond', 'stopgezet')) THEN 'afgerond'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status = 'vertraagd') THEN 'vertraagd'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet' AND (c.status IN ('lopend', 'afgerond') OR c.progress > 0)) THEN 'lopend'
    ELSE 'niet_gestart' END
WHERE depth = 6 AND status_manual = 0 AND EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id);

UPDATE plan_items SET status = CASE
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet') THEN 'stopgezet'
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status NOT IN ('afgerond', 'stopgezet')) THEN 'afgerond'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status = 'vertraagd') THEN 'vertraagd'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet' AND (c.status IN ('lopend', 'afgerond') OR c.progress > 0)) THEN 'lopend'
    ELSE 'niet_gestart' END
WHERE depth = 5 AND status_manual = 0 AND EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id);

UPDATE plan_items SET status = CASE
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet') THEN 'stopgezet'
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status NOT IN ('afgerond', 'stopgezet')) THEN 'afgerond'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status = 'vertraagd') THEN 'vertraagd'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet' AND (c.status IN ('lopend', 'afgerond') OR c.progress > 0)) THEN 'lopend'
    ELSE 'niet_gestart' END
WHERE depth = 4 AND status_manual = 0 AND EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id);

UPDATE plan_items SET status = CASE
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet') THEN 'stopgezet'
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status NOT IN ('afgerond', 'stopgezet')) THEN 'afgerond'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status = 'vertraagd') THEN 'vertraagd'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet' AND (c.status IN ('lopend', 'afgerond') OR c.progress > 0)) THEN 'lopend'
    ELSE 'niet_gestart' END
WHERE depth = 3 AND status_manual = 0 AND EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id);

UPDATE plan_items SET status = CASE
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet') THEN 'stopgezet'
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status NOT IN ('afgerond', 'stopgezet')) THEN 'afgerond'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status = 'vertraagd') THEN 'vertraagd'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet' AND (c.status IN ('lopend', 'afgerond') OR c.progress > 0)) THEN 'lopend'
    ELSE 'niet_gestart' END
WHERE depth = 2 AND status_manual = 0 AND EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id);

UPDATE plan_items SET status = CASE
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet') THEN 'stopgezet'
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status NOT IN ('afgerond', 'stopgezet')) THEN 'afgerond'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status = 'vertraagd') THEN 'vertraagd'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet' AND (c.status IN ('lopend', 'afgerond') OR c.progress > 0)) THEN 'lopend'
    ELSE 'niet_gestart' END
WHERE depth = 1 AND status_manual = 0 AND EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id);

UPDATE plan_items SET status = CASE
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet') THEN 'stopgezet'
    WHEN NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status NOT IN ('afgerond', 'stopgezet')) THEN 'afgerond'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status = 'vertraagd') THEN 'vertraagd'
    WHEN EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id AND c.status <> 'stopgezet' AND (c.status IN ('lopend', 'afgerond') OR c.progress > 0)) THEN 'lopend'
    ELSE 'niet_gestart' END
WHERE depth = 0 AND status_manual = 0 AND EXISTS (SELECT 1 FROM plan_items c WHERE c.parent_id = plan_items.id);
