-- The nieuwsbrief module, sending (design §3.3). Which job holds a campaign's sending and until
-- when (renewed while it runs), so that two jobs of one campaign — a resume while the paused
-- run still finishes its messages in flight, or a second server — never send at once; and
-- whether its recipients were all listed in nb_deliveries (listed once, when sending starts,
-- so that a subscriber who joins later is not in it).
ALTER TABLE nb_campaigns ADD COLUMN sender_job TEXT;
ALTER TABLE nb_campaigns ADD COLUMN sender_until BIGINT;
ALTER TABLE nb_campaigns ADD COLUMN recipients_listed SMALLINT NOT NULL DEFAULT 0;
