-- Read-only views of core tables for the modules' own queries.
--
-- A module may join these views in its SQL (an item's owner name, a document's organisation
-- name) instead of the core's tables, which only the core reads and writes. The views show what
-- every logged-in person may see anyway: no e-mail address, password hash or flag. Changing the
-- core's tables therefore means keeping these views' columns, not finding every module's joins.

CREATE VIEW person_names AS
    SELECT id, name FROM users;

CREATE VIEW organisation_names AS
    SELECT id, slug, name, kind FROM organisations;
