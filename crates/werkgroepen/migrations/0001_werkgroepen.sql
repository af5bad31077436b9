-- The werkgroepen module (docs/design/WERKGROEPEN.md §2.2). One portable file: every type means
-- the same on SQLite and PostgreSQL (TEXT, BIGINT, SMALLINT), partial unique indexes exist on
-- both, and nothing needs a trigger. Ids are steden_db::new_id(); moments are UTC ms; wall times
-- (Europe/Brussels) are text; booleans SMALLINT 0/1; JSON is TEXT. Plan and Kennisbank ids carry
-- no foreign key: their tables are not ours (as in kennisbank's 0002_structure_links.sql).

-- Fixed agenda formats (the Reflectiegroep Europa's three parts).
CREATE TABLE wg_agenda_templates (
    id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,
    parts TEXT NOT NULL,           -- JSON [{"title","explanation","duration_min"}]
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
-- A working group's profile; the group itself (id, slug, name) is the core's.
CREATE TABLE wg_groups (
    group_id TEXT PRIMARY KEY REFERENCES working_groups (id) ON DELETE CASCADE,
    -- werkgroep | stuurgroep | lerend_netwerk | reflectiegroep | projectgroep
    kind TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    programme_md TEXT NOT NULL DEFAULT '',
    -- items of a published plan of the Kenniscentrum (depth 0 and 1), via steden_plan::site
    plan_programme_id TEXT, plan_werkspoor_id TEXT,
    programme_title TEXT NOT NULL DEFAULT '', werkspoor_title TEXT NOT NULL DEFAULT '',
    -- publiek (description on the website) | verborgen
    visibility TEXT NOT NULL,
    -- zeswekelijks | maandelijks | vijfmaal_per_jaar | viermaal_per_jaar | driemaal_per_jaar
    -- | tweemaal_per_jaar | op_afroep
    cadence TEXT NOT NULL,
    default_start TEXT NOT NULL DEFAULT '14:00', default_end TEXT NOT NULL DEFAULT '16:00',
    default_place TEXT NOT NULL DEFAULT '', default_online_url TEXT NOT NULL DEFAULT '',
    proposal_days BIGINT NOT NULL DEFAULT 10,      -- default proposal deadline before a meeting
    comment_days BIGINT NOT NULL DEFAULT 10,       -- default comment period for minutes
    agenda_template_id TEXT REFERENCES wg_agenda_templates (id) ON DELETE SET NULL,
    kb_collection_id TEXT,                         -- the group's thematic collection, if any
    archived_at BIGINT,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE TABLE wg_facilitators (
    group_id TEXT NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
-- Memberships with their history: leaving closes the row; joining again opens a new one.
CREATE TABLE wg_memberships (
    id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id TEXT REFERENCES organisations (id) ON DELETE SET NULL, -- the city/partner represented
    role TEXT NOT NULL,            -- voorzitter | lid | waarnemer | gast
    status TEXT NOT NULL,          -- aangevraagd | actief | geweigerd | vertrokken
    motivation TEXT NOT NULL DEFAULT '',
    decided_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    decision_reason TEXT NOT NULL DEFAULT '',
    requested_at BIGINT, joined_at BIGINT, left_at BIGINT,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX wg_memberships_open ON wg_memberships (group_id, user_id)
    WHERE status IN ('aangevraagd', 'actief');
CREATE INDEX wg_memberships_user ON wg_memberships (user_id, status);

-- A series generated from a cadence (the rule as JSON, see cadence::Rule).
CREATE TABLE wg_series (
    id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    rule TEXT NOT NULL,            -- {"cadence","anchor","weekday","week_of_month","months","start","end","until","skip_holidays"}
    generated_until TEXT NOT NULL, -- YYYY-MM-DD
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE TABLE wg_meetings (
    id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    series_id TEXT REFERENCES wg_series (id) ON DELETE SET NULL,
    slot_date TEXT,                -- the series date this occurrence was generated for (kept when moved)
    title TEXT NOT NULL,
    local_date TEXT NOT NULL, local_start TEXT NOT NULL, local_end TEXT NOT NULL, -- Europe/Brussels
    starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL,                           -- UTC ms
    place TEXT NOT NULL DEFAULT '', online_url TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,          -- gepland | gehouden | geannuleerd
    cancel_reason TEXT NOT NULL DEFAULT '',
    moved SMALLINT NOT NULL DEFAULT 0,
    ical_uid TEXT NOT NULL UNIQUE, ical_sequence BIGINT NOT NULL DEFAULT 0,
    invited_sequence BIGINT,       -- the SEQUENCE last mailed (NULL: not invited yet)
    proposal_deadline_at BIGINT,
    agenda_status TEXT NOT NULL DEFAULT 'open',  -- open | gepubliceerd
    agenda_published_at BIGINT, agenda_version BIGINT NOT NULL DEFAULT 0,
    theme TEXT NOT NULL DEFAULT '', theme_collection_id TEXT, theme_section TEXT,
    minutes_md TEXT NOT NULL DEFAULT '',
    minutes_status TEXT NOT NULL DEFAULT 'geen', -- geen | concept | voorgelegd | goedgekeurd
    comment_until BIGINT, minutes_approved_at BIGINT,
    minutes_approved_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    held_marked_at BIGINT,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE INDEX wg_meetings_group ON wg_meetings (group_id, starts_at);
CREATE INDEX wg_meetings_starts ON wg_meetings (starts_at);
CREATE UNIQUE INDEX wg_meetings_slot ON wg_meetings (series_id, slot_date) WHERE series_id IS NOT NULL;

CREATE TABLE wg_replies (
    meeting_id TEXT NOT NULL REFERENCES wg_meetings (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    answer TEXT NOT NULL,          -- aanwezig | verontschuldigd | misschien
    via TEXT NOT NULL,             -- pagina | mail | api
    answered_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);
CREATE TABLE wg_attendance (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES wg_meetings (id) ON DELETE CASCADE,
    user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    guest_name TEXT NOT NULL DEFAULT '',
    organisation_id TEXT REFERENCES organisations (id) ON DELETE SET NULL,
    status TEXT NOT NULL           -- aanwezig | verontschuldigd | afwezig
);
CREATE UNIQUE INDEX wg_attendance_person ON wg_attendance (meeting_id, user_id) WHERE user_id IS NOT NULL;

-- Files attached to agenda proposals (members may attach; the Kennisbank is editors-only).
CREATE TABLE wg_files (
    id TEXT PRIMARY KEY, filename TEXT NOT NULL, content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL, sha256 TEXT NOT NULL, content_base64 TEXT NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL, created_at BIGINT NOT NULL
);
CREATE TABLE wg_agenda_items (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES wg_meetings (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    origin TEXT NOT NULL,          -- voorstel | facilitator | sjabloon | thema-evaluatie
    status TEXT NOT NULL,          -- voorgesteld | aanvaard | samengevoegd | afgewezen
    title TEXT NOT NULL, explanation_md TEXT NOT NULL DEFAULT '',
    duration_min BIGINT,
    proposer_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    proposer_org_id TEXT REFERENCES organisations (id) ON DELETE SET NULL,
    merged_into_id TEXT REFERENCES wg_agenda_items (id) ON DELETE SET NULL,
    decline_reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE INDEX wg_agenda_items_meeting ON wg_agenda_items (meeting_id, position);
CREATE TABLE wg_agenda_attachments (
    item_id TEXT NOT NULL REFERENCES wg_agenda_items (id) ON DELETE CASCADE,
    file_id TEXT NOT NULL REFERENCES wg_files (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, file_id)
);
CREATE TABLE wg_decisions (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES wg_meetings (id) ON DELETE CASCADE,
    position BIGINT NOT NULL, text TEXT NOT NULL, created_at BIGINT NOT NULL
);
CREATE TABLE wg_minutes_comments (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES wg_meetings (id) ON DELETE CASCADE,
    user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL, created_at BIGINT NOT NULL
);
CREATE TABLE wg_action_points (
    id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    meeting_id TEXT REFERENCES wg_meetings (id) ON DELETE SET NULL,  -- where it was agreed
    description TEXT NOT NULL,
    owner_user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    owner_org_id TEXT REFERENCES organisations (id) ON DELETE SET NULL,
    due_date TEXT,
    status TEXT NOT NULL,          -- open | bezig | gedaan | vervallen
    done_at BIGINT,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE INDEX wg_action_points_group ON wg_action_points (group_id, status);
CREATE INDEX wg_action_points_owner ON wg_action_points (owner_user_id, status);

-- Events and trainings.
CREATE TABLE wg_event_series (
    id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
    description_md TEXT NOT NULL DEFAULT '',
    group_id TEXT REFERENCES working_groups (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE TABLE wg_events (
    id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE,
    series_id TEXT REFERENCES wg_event_series (id) ON DELETE SET NULL,
    group_id TEXT REFERENCES working_groups (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,            -- studiedag | opleiding | coaching | lerend_netwerk | masterclass | terugkomdag | netwerkdag
    title TEXT NOT NULL, description_md TEXT NOT NULL DEFAULT '',
    local_date TEXT NOT NULL, local_start TEXT NOT NULL, local_end TEXT NOT NULL,
    starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL,
    place TEXT NOT NULL DEFAULT '', online_url TEXT NOT NULL DEFAULT '',
    registration TEXT NOT NULL,    -- publiek | leden | gesloten
    capacity BIGINT,               -- NULL: no limit
    seats_taken BIGINT NOT NULL DEFAULT 0,
    waitlist_last BIGINT NOT NULL DEFAULT 0,     -- last waiting-list number handed out
    registration_closes_at BIGINT,
    questions TEXT NOT NULL DEFAULT '[]',        -- JSON [{"key","label","kind":"tekst|keuze","options","required"}]
    certificates SMALLINT NOT NULL DEFAULT 0,
    retention_months BIGINT,                     -- NULL: the setting (default 12)
    status TEXT NOT NULL,          -- gepland | gehouden | geannuleerd
    ical_uid TEXT NOT NULL UNIQUE, ical_sequence BIGINT NOT NULL DEFAULT 0,
    anonymised_at BIGINT,
    organiser_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE INDEX wg_events_starts ON wg_events (starts_at);
CREATE TABLE wg_registrations (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES wg_events (id) ON DELETE CASCADE,
    user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    name TEXT NOT NULL, email TEXT NOT NULL,
    email_norm TEXT NOT NULL,      -- trimmed, lower case
    organisation_id TEXT REFERENCES organisations (id) ON DELETE SET NULL,
    organisation_text TEXT NOT NULL DEFAULT '',
    answers TEXT NOT NULL DEFAULT '{}',          -- JSON {question key: answer}
    status TEXT NOT NULL,          -- bevestigd | wachtlijst | geannuleerd
    waitlist_number BIGINT,
    attended SMALLINT,             -- NULL: not recorded
    certificate_issued_at BIGINT,
    cancelled_at BIGINT, anonymised_at BIGINT,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX wg_registrations_once ON wg_registrations (event_id, email_norm)
    WHERE status IN ('bevestigd', 'wachtlijst');
CREATE INDEX wg_registrations_wait ON wg_registrations (event_id, status, waitlist_number);
CREATE INDEX wg_registrations_user ON wg_registrations (user_id);
CREATE TABLE wg_eval_questions (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES wg_events (id) ON DELETE CASCADE,
    position BIGINT NOT NULL, kind TEXT NOT NULL,    -- schaal | open
    text TEXT NOT NULL, scale_max BIGINT
);
CREATE TABLE wg_eval_responses (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES wg_events (id) ON DELETE CASCADE,
    registration_id TEXT UNIQUE REFERENCES wg_registrations (id) ON DELETE SET NULL, -- one per participant; cut at retention
    submitted_at BIGINT NOT NULL
);
CREATE TABLE wg_eval_answers (
    response_id TEXT NOT NULL REFERENCES wg_eval_responses (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL REFERENCES wg_eval_questions (id) ON DELETE CASCADE,
    scale_value BIGINT, text TEXT,
    PRIMARY KEY (response_id, question_id)
);

-- Personal calendar feeds: only the SHA-256 of the secret is stored.
CREATE TABLE wg_feed_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL, revoked_at BIGINT, last_used_at BIGINT
);
CREATE UNIQUE INDEX wg_feed_tokens_live ON wg_feed_tokens (user_id) WHERE revoked_at IS NULL;

-- Mails already handed to the outbox per (subject, recipient), so fan-out jobs are idempotent.
CREATE TABLE wg_mail_log (
    kind TEXT NOT NULL,            -- uitnodiging | annulering | agenda | verslag | herinnering | …
    subject_id TEXT NOT NULL,      -- meeting or event id
    version BIGINT NOT NULL,       -- ical_sequence / agenda_version
    user_id TEXT NOT NULL,
    outbox_id TEXT NOT NULL, created_at BIGINT NOT NULL,
    PRIMARY KEY (kind, subject_id, version, user_id)
);
-- Daily work (series extension, retention): one row per task, claimed by compare-and-set.
CREATE TABLE wg_schedule (
    key TEXT PRIMARY KEY, next_run_at BIGINT NOT NULL
);
