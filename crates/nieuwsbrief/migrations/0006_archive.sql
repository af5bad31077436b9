-- The nieuwsbrief module, the public archive (design §3.8; issue 14 point 6). A campaign is in
-- the archive when it was sent and `archived` is 1 (set when sending finishes; an editor can
-- take it out and put it back); `slug` is its address there, set once when it is first sent.
CREATE INDEX nb_campaigns_archive ON nb_campaigns (archived, status, finished_at);
-- Campaigns sent before the archive existed: in the archive too (the default), under their id.
UPDATE nb_campaigns SET archived = 1, slug = id WHERE status = 'verzonden' AND slug IS NULL;
