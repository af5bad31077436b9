-- When an event was last found to have taken place (attendance recorded with someone present),
-- kept when attendance is corrected to nobody: the plan keeps a value it pulled for the event's
-- date, so the measurement source must still give that date, with the count put right
-- (plan_source.rs; as wg_meetings.held_marked_at does for meetings).
ALTER TABLE wg_events ADD COLUMN held_marked_at BIGINT;
