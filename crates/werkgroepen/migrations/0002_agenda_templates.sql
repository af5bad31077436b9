-- The one fixed agenda format the Kenniscentrum uses today: the Interstedelijke Reflectiegroep
-- Europa's three parts (jaarplan 2025, ACTIES). A fixed id, so that the demo and the groups'
-- settings can find it whatever the database; 0 as moments because a migration has no clock.
INSERT INTO wg_agenda_templates (id, name, parts, created_at, updated_at) VALUES (
    'reflectiegroep-europa',
    'Reflectiegroep Europa',
    '[{"title":"Nieuws uit de steden en de VGC","explanation":"Elke stad en de VGC brengt kort nieuws over Europese dossiers.","duration_min":30},{"title":"Thema in de diepte","explanation":"Eén Europees thema grondig besproken, met een inleiding door een stad of een gast.","duration_min":60},{"title":"Ruggenspraak over een urgent thema","explanation":"Een dringend dossier waarover de steden samen een standpunt voorbereiden.","duration_min":30}]',
    0,
    0
);
