-- Whether an event keeps a waiting list once its places are taken (design §3.9: "Deze
-- activiteit is volzet." for a full event whose waiting list is closed). 1 = open (the default
-- the issue asks for: the list moves up by itself), 0 = a full event refuses registrations.
ALTER TABLE wg_events ADD COLUMN waitlist SMALLINT NOT NULL DEFAULT 1;
