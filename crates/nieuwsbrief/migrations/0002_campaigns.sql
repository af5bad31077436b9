-- The nieuwsbrief module, second part: templates, campaigns with their sections and blocks,
-- the links of a frozen campaign and the per-recipient delivery record (design §2, §3.2, §3.3).
-- Portable: TEXT, BIGINT, SMALLINT mean the same on SQLite and PostgreSQL.

-- Mail templates in minijinja, edited in the browser; compiled before they are saved.
CREATE TABLE nb_templates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    is_default SMALLINT NOT NULL DEFAULT 0,  -- the template a new campaign starts with
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT                          -- users.id, kept as text: a user may be erased
);

-- One newsletter. status: concept | gepland | bezig | gepauzeerd | geannuleerd | verzonden.
CREATE TABLE nb_campaigns (
    id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    preheader TEXT NOT NULL DEFAULT '',      -- the line a mail client shows after the subject
    template_id TEXT REFERENCES nb_templates (id),
    language TEXT NOT NULL DEFAULT 'nl',
    status TEXT NOT NULL,
    lists TEXT NOT NULL DEFAULT '[]',        -- the lists it goes to, as JSON text (slugs)
    scheduled_at BIGINT,                     -- when a gepland campaign starts sending
    started_at BIGINT,
    finished_at BIGINT,
    -- Rendered once when the campaign is frozen (scheduled or sent now), with the
    -- per-recipient slots of crate::frozen in it; NULL while it is a concept.
    frozen_html TEXT,
    frozen_text TEXT,
    frozen_at BIGINT,
    -- Cached totals, kept by the sending job in the transaction that records deliveries.
    recipients BIGINT NOT NULL DEFAULT 0,
    sent BIGINT NOT NULL DEFAULT 0,
    failed BIGINT NOT NULL DEFAULT 0,
    archived SMALLINT NOT NULL DEFAULT 0,    -- shown in the public archive once sent
    slug TEXT UNIQUE,                        -- its address in the archive, set when sent
    created_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX nb_campaigns_status ON nb_campaigns (status, scheduled_at);

-- The newsletter's structure: Aankondigingen, Kennis, Beleid, Stadsprojecten, Links,
-- Internationaal, … in the order of `position`.
CREATE TABLE nb_sections (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES nb_campaigns (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX nb_sections_campaign ON nb_sections (campaign_id, position);

-- A block: an item of the platform (a copy of what steden_web::items gave) or free Markdown.
CREATE TABLE nb_blocks (
    id TEXT PRIMARY KEY,
    section_id TEXT NOT NULL REFERENCES nb_sections (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,                      -- item | markdown
    source_module TEXT,                      -- item: ItemSource::key
    source_id TEXT,
    title TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    image_url TEXT,
    image_alt TEXT NOT NULL DEFAULT '',
    markdown TEXT NOT NULL DEFAULT ''
);
CREATE INDEX nb_blocks_section ON nb_blocks (section_id, position);

-- Every link of a frozen campaign, numbered: the click redirect only ever goes to these.
CREATE TABLE nb_campaign_links (
    campaign_id TEXT NOT NULL REFERENCES nb_campaigns (id) ON DELETE CASCADE,
    link_no BIGINT NOT NULL,
    url TEXT NOT NULL,
    section_id TEXT,                         -- NULL for links outside a section (the footer)
    PRIMARY KEY (campaign_id, link_no)
);

-- One row per recipient of a campaign, filled when sending starts.
-- status: wachtend | verzonden | mislukt.
CREATE TABLE nb_deliveries (
    campaign_id TEXT NOT NULL REFERENCES nb_campaigns (id) ON DELETE CASCADE,
    subscriber_id TEXT NOT NULL REFERENCES nb_subscribers (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL DEFAULT 0, -- a temporary failure waits until then
    last_error TEXT,
    sent_at BIGINT,
    PRIMARY KEY (campaign_id, subscriber_id)
);
CREATE INDEX nb_deliveries_pending ON nb_deliveries (campaign_id, status, subscriber_id);
