-- Documents belong to the plan's structure (issue 10, point 12): the programme and werkspoor
-- a document is filed under are items of a published plan of the Kenniscentrum (depth 0 and
-- 1), chosen from it instead of typed. The ids point into the plan module's items, which this
-- module never reads with SQL (it goes through steden_plan::site), hence no foreign key: an
-- item that is deleted or no longer published leaves the document "niet gekoppeld".
-- The text columns stay: they hold the title at the moment of linking (what search facets
-- show), or, for a value that matched nothing, the text as it was typed.
ALTER TABLE kb_documents ADD COLUMN programme_id TEXT;
ALTER TABLE kb_documents ADD COLUMN werkspoor_id TEXT;
CREATE INDEX kb_documents_programme_id ON kb_documents (programme_id);
CREATE INDEX kb_documents_werkspoor_id ON kb_documents (werkspoor_id);
