-- Issue 11 point 1: an item's level is stored, not read from its depth. `level` indexes the
-- plan's levels (plan_levels.depth); a child's level is deeper than its parent's, but levels may
-- be skipped (a doelstelling directly under a programme).
ALTER TABLE plan_items ADD COLUMN level INTEGER NOT NULL DEFAULT 0;

-- By default the level is what the depth said so far.
UPDATE plan_items SET level = depth;

-- Kenniscentrum jaarplans: the doelstellingen of a chapter without werksporen (codes S1.D2,
-- their actions S1.D2.A3, sub-actions S1.D2.A3.1) were imported one level too high; they are
-- Doelstelling, Actie and Deelactie, one level deeper than their depth, where the plan has it.
UPDATE plan_items SET level = depth + 1
WHERE depth >= 1
  AND code LIKE 'S%.D%'
  AND code NOT LIKE '%.W%'
  AND EXISTS (SELECT 1 FROM plan_levels l
              WHERE l.plan_id = plan_items.plan_id AND l.depth = 1 AND l.name = 'Werkspoor')
  AND EXISTS (SELECT 1 FROM plan_levels l
              WHERE l.plan_id = plan_items.plan_id AND l.depth = plan_items.depth + 1);

-- BBC plans: the code says the level (BD.. beleidsdoelstelling, AP.. actieplan, AC.. actie).
UPDATE plan_items SET level = 1
WHERE code LIKE 'AP%'
  AND EXISTS (SELECT 1 FROM plan_levels l
              WHERE l.plan_id = plan_items.plan_id AND l.depth = 0 AND l.name = 'Beleidsdoelstelling');
UPDATE plan_items SET level = 2
WHERE code LIKE 'AC%'
  AND EXISTS (SELECT 1 FROM plan_levels l
              WHERE l.plan_id = plan_items.plan_id AND l.depth = 0 AND l.name = 'Beleidsdoelstelling')
  AND EXISTS (SELECT 1 FROM plan_levels l
              WHERE l.plan_id = plan_items.plan_id AND l.depth = 2);
