-- An evaluation question may be required (typed with `*` at the end of its line, as
-- registration questions): the form is refused while it is left empty.
ALTER TABLE wg_eval_questions ADD COLUMN required SMALLINT NOT NULL DEFAULT 0;
