-- Bounces and complaints (docs/design/NIEUWSBRIEF.md §3.4): one row per recipient of a delivery
-- status notification or per complaint, as the editors read them. The raw message is not kept
-- (it holds other people's data). The address is kept only for an address that is no
-- subscriber; a subscriber's row names the subscriber, and erasing the subscriber leaves the
-- row without a person (subscriber_id set to NULL).
CREATE TABLE nb_bounces (
    id TEXT PRIMARY KEY,
    subscriber_id TEXT REFERENCES nb_subscribers (id) ON DELETE SET NULL,
    email TEXT,                         -- only when no subscriber has the address
    campaign_id TEXT,                   -- from X-Nb-Campaign or our Message-ID, when known
    kind TEXT NOT NULL,                 -- hard | soft | complaint
    status_code TEXT NOT NULL DEFAULT '',  -- 5.1.1, or the complaint's feedback type
    diagnostic TEXT NOT NULL DEFAULT '',   -- at most 500 characters
    source TEXT NOT NULL,               -- webhook | cli | imap
    message_id TEXT NOT NULL DEFAULT '',   -- of the returned message
    -- SHA-256 of the report's own Message-ID and the recipient: the same report twice is
    -- recorded (and counted) once
    dedup_key TEXT NOT NULL UNIQUE,
    received_at BIGINT NOT NULL
);
CREATE INDEX nb_bounces_subscriber ON nb_bounces (subscriber_id, received_at);
CREATE INDEX nb_bounces_received ON nb_bounces (received_at);
