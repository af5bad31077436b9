-- The nieuwsbrief module, first part: lists, subscribers, their subscriptions and the record of
-- their consent (docs/design/NIEUWSBRIEF.md §2). One portable file: TEXT, BIGINT, SMALLINT mean
-- the same on SQLite and PostgreSQL. Ids are steden_db::new_id(); moments UTC ms; booleans
-- SMALLINT 0/1.

-- Topic lists a subscriber chooses from.
CREATE TABLE nb_lists (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    public SMALLINT NOT NULL DEFAULT 1,     -- offered on the public subscription form
    position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
-- The texts a subscriber agreed to, by version; a consent row names the version it was given on.
CREATE TABLE nb_consent_texts (
    version BIGINT PRIMARY KEY,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
-- One row per address (stored trimmed and in lower case).
CREATE TABLE nb_subscribers (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'nl',     -- nl | en
    -- onbevestigd | bevestigd | afgemeld | gebounced | geblokkeerd
    status TEXT NOT NULL,
    -- the subscriber's own consent to statistics per person (off unless they turn it on)
    tracking SMALLINT NOT NULL DEFAULT 0,
    soft_bounces BIGINT NOT NULL DEFAULT 0,
    -- the last confirmation mail sent, so that a form cannot be used to flood a mailbox
    confirmation_sent_at BIGINT,
    confirmed_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX nb_subscribers_status ON nb_subscribers (status);
-- Which lists a subscriber gets: aangevraagd (until the address is confirmed) | actief | afgemeld.
CREATE TABLE nb_subscriptions (
    subscriber_id TEXT NOT NULL REFERENCES nb_subscribers (id) ON DELETE CASCADE,
    list_id TEXT NOT NULL REFERENCES nb_lists (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (subscriber_id, list_id)
);
CREATE INDEX nb_subscriptions_list ON nb_subscriptions (list_id, status);
-- The record of consent, append-only: what was agreed or withdrawn, when, where, on which text.
CREATE TABLE nb_consents (
    id TEXT PRIMARY KEY,
    subscriber_id TEXT NOT NULL REFERENCES nb_subscribers (id) ON DELETE CASCADE,
    -- aanvraag | bevestiging | voorkeuren | tracking | afmelding | import | beheer
    kind TEXT NOT NULL,
    given SMALLINT NOT NULL,
    at BIGINT NOT NULL,
    -- formulier:/nieuwsbrief | link:voorkeuren | list-unsubscribe | import:<file> | beheer:<user>
    source TEXT NOT NULL,
    consent_text_version BIGINT REFERENCES nb_consent_texts (version),
    -- the lists the consent is about, as JSON text (slugs)
    lists TEXT NOT NULL DEFAULT '[]',
    legal_basis TEXT,                        -- imports only
    ip TEXT                                  -- only when an administrator turned that on
);
CREATE INDEX nb_consents_subscriber ON nb_consents (subscriber_id, at);

-- The Kenniscentrum's topic lists (issue 14) and the first consent text. Fixed ids so that the
-- demo and tests find them on every database; 0 as moments because a migration has no clock.
INSERT INTO nb_lists (id, slug, name, description, public, position, created_at) VALUES
 ('nb-algemeen', 'algemeen', 'Maandelijkse nieuwsbrief', 'Aankondigingen, kennis, beleid, stadsprojecten en internationaal stedelijk beleid.', 1, 1, 0),
 ('nb-obmi', 'obmi', 'OBMi', 'Omgevings- en beleidsmanagementinformatie: data en monitoring voor het stedelijk beleid.', 1, 2, 0),
 ('nb-smart-cities', 'smart-cities', 'Smart Cities', 'Data, digitale dienstverlening en Smart Flanders.', 1, 3, 0),
 ('nb-klimaat', 'klimaat', 'Klimaat', 'Het Lokaal Energie- en Klimaatpact en klimaatbeleid van de steden.', 1, 4, 0),
 ('nb-stadsgenoten', 'stadsgenoten', 'Stadsgenoten', 'Sociaal beleid en de rechten van stadsbewoners.', 1, 5, 0),
 ('nb-digitale-transitie', 'digitale-transitie', 'Digitale Transitie', 'Datamaturiteit, GDPR en digitale transformatie van lokale besturen.', 1, 6, 0);
INSERT INTO nb_consent_texts (version, text, created_at) VALUES (1,
 'Ik wil de nieuwsbrief van het Kenniscentrum Vlaamse Steden ontvangen over de onderwerpen die ik aanvink. Het Kenniscentrum gebruikt mijn e-mailadres, naam en taal alleen daarvoor, deelt ze met niemand en houdt bij wanneer ik me inschreef. Ik kan me altijd afmelden via de link onderaan elke nieuwsbrief.',
 0);
