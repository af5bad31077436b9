-- Beleidsopvolging: plans, their levels and items, progress updates, indicators, reporting
-- rounds, kwesties, releases, projects and finance. See crates/plan/src/model.rs for the
-- meaning of each column's values. Dates are 'YYYY-MM-DD' text; moments are milliseconds (UTC).

CREATE TABLE plan_plans (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    -- jaarplan | meerjarenplan | bestuursakkoord
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    -- ontwerp | vastgesteld | gearchiveerd
    status TEXT NOT NULL,
    -- Made up for the demo (shown as such on every page of the plan).
    is_demo SMALLINT NOT NULL DEFAULT 0,
    copied_from_id TEXT REFERENCES plan_plans (id) ON DELETE SET NULL,
    -- Public page without login, showing only the fields listed in published_fields (JSON array).
    published SMALLINT NOT NULL DEFAULT 0,
    published_fields TEXT NOT NULL DEFAULT '[]',
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX plan_plans_organisation ON plan_plans (organisation_id);

-- The named levels of a plan's tree, depth 0 at the top.
CREATE TABLE plan_levels (
    plan_id TEXT NOT NULL REFERENCES plan_plans (id) ON DELETE CASCADE,
    depth INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (plan_id, depth)
);

CREATE TABLE plan_items (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plan_plans (id) ON DELETE CASCADE,
    parent_id TEXT REFERENCES plan_items (id) ON DELETE CASCADE,
    depth INTEGER NOT NULL,
    -- Order among siblings, 0-based.
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner_user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    -- A name for owners without an account (imported plans).
    owner_name TEXT NOT NULL DEFAULT '',
    responsible_service TEXT NOT NULL DEFAULT '',
    -- JSON array of names.
    partners TEXT NOT NULL DEFAULT '[]',
    start_date TEXT,
    end_date TEXT,
    -- Set by an editor on this item.
    prioritair_own SMALLINT NOT NULL DEFAULT 0,
    -- prioritair_own, or any descendant prioritair (kept by the store).
    prioritair SMALLINT NOT NULL DEFAULT 0,
    beleidsveld TEXT NOT NULL DEFAULT '',
    -- JSON array of theme codes (sdg-1 .. sdg-17 and free themes).
    themes TEXT NOT NULL DEFAULT '[]',
    -- niet_gestart | lopend | vertraagd | afgerond | stopgezet
    status TEXT NOT NULL DEFAULT 'niet_gestart',
    -- 0..100: entered on leaves; on parents the weighted roll-up (kept by the store).
    progress INTEGER NOT NULL DEFAULT 0,
    -- Weight of this item in its parent's roll-up.
    weight INTEGER NOT NULL DEFAULT 1,
    -- The financial software's own code of an action (BBC "interne code").
    internal_code TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (plan_id, code)
);
CREATE INDEX plan_items_parent ON plan_items (parent_id, position);
CREATE INDEX plan_items_owner ON plan_items (owner_user_id);
CREATE INDEX plan_items_depth ON plan_items (plan_id, depth, position);

-- Every update of status, progress or an indicator value, with its comment: the item's history.
CREATE TABLE plan_updates (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plan_plans (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL REFERENCES plan_items (id) ON DELETE CASCADE,
    -- The reporting round this update answers, if any.
    round_id TEXT,
    old_status TEXT,
    new_status TEXT,
    old_progress INTEGER,
    new_progress INTEGER,
    -- Set when the update is an indicator measurement.
    measurement_id TEXT,
    comment TEXT NOT NULL,
    author_user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    -- For updates through the API or an import.
    author_name TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX plan_updates_item ON plan_updates (item_id, created_at);
CREATE INDEX plan_updates_plan ON plan_updates (plan_id, created_at);

CREATE TABLE plan_indicators (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plan_plans (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL REFERENCES plan_items (id) ON DELETE CASCADE,
    -- Indicators of several organisations with the same key share one definition and are
    -- compared across cities; '' for an indicator of its own.
    definition_key TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    -- hoger | lager (which is better)
    direction TEXT NOT NULL,
    baseline_value DOUBLE PRECISION NOT NULL,
    baseline_date TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    -- maandelijks | driemaandelijks | halfjaarlijks | jaarlijks
    frequency TEXT NOT NULL DEFAULT 'jaarlijks',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX plan_indicators_item ON plan_indicators (item_id);
CREATE INDEX plan_indicators_plan ON plan_indicators (plan_id);
CREATE INDEX plan_indicators_definition ON plan_indicators (definition_key);

CREATE TABLE plan_indicator_targets (
    indicator_id TEXT NOT NULL REFERENCES plan_indicators (id) ON DELETE CASCADE,
    target_date TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (indicator_id, target_date)
);

CREATE TABLE plan_measurements (
    id TEXT PRIMARY KEY,
    indicator_id TEXT NOT NULL REFERENCES plan_indicators (id) ON DELETE CASCADE,
    measured_on TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    author_user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    author_name TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX plan_measurements_indicator ON plan_measurements (indicator_id, measured_on);

-- Rapporteringsrondes.
CREATE TABLE plan_rounds (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plan_plans (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    deadline TEXT NOT NULL,
    -- Days before the deadline on which owners who have not reported get a reminder.
    reminder_days INTEGER NOT NULL DEFAULT 3,
    reminded_at BIGINT,
    -- open | gesloten
    status TEXT NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX plan_rounds_plan ON plan_rounds (plan_id);

-- Kwesties: issues and risks per item.
CREATE TABLE plan_kwesties (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plan_plans (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL REFERENCES plan_items (id) ON DELETE CASCADE,
    -- kwestie | risico
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- laag | middel | hoog | kritiek
    severity TEXT NOT NULL,
    owner_user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    due_date TEXT,
    -- open | in_behandeling | opgelost
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX plan_kwesties_plan ON plan_kwesties (plan_id, status);
CREATE INDEX plan_kwesties_owner ON plan_kwesties (owner_user_id);

-- Releases: the whole plan frozen at a date, as JSON (see crates/plan/src/release).
CREATE TABLE plan_releases (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plan_plans (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    as_of TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    published SMALLINT NOT NULL DEFAULT 0,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX plan_releases_plan ON plan_releases (plan_id, created_at);

CREATE TABLE plan_projects (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plan_plans (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL REFERENCES plan_items (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    -- same values as plan_items.status
    status TEXT NOT NULL DEFAULT 'niet_gestart',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX plan_projects_item ON plan_projects (item_id);
CREATE INDEX plan_projects_plan ON plan_projects (plan_id);

CREATE TABLE plan_milestones (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES plan_projects (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_date TEXT NOT NULL,
    done SMALLINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX plan_milestones_project ON plan_milestones (project_id, due_date);

-- Amounts per item, year, kind and type, in cents. '' where the file gives no type/direction.
CREATE TABLE plan_amounts (
    item_id TEXT NOT NULL REFERENCES plan_items (id) ON DELETE CASCADE,
    plan_id TEXT NOT NULL REFERENCES plan_plans (id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    -- raming | krediet | rekening
    kind TEXT NOT NULL,
    -- exploitatie | investering | financiering | ''
    budget_type TEXT NOT NULL DEFAULT '',
    -- uitgaven | ontvangsten | ''
    direction TEXT NOT NULL DEFAULT '',
    cents BIGINT NOT NULL,
    PRIMARY KEY (item_id, year, kind, budget_type, direction)
);
CREATE INDEX plan_amounts_plan ON plan_amounts (plan_id);

-- Uploaded import files waiting for confirmation, and what became of them. The file is kept
-- (base64) so that the import job, on any server, can read it.
CREATE TABLE plan_imports (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    -- The plan imported into (NULL until the plan exists, for an import that creates one).
    plan_id TEXT REFERENCES plan_plans (id) ON DELETE CASCADE,
    -- bbc | jaarplan
    kind TEXT NOT NULL,
    filename TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content_base64 TEXT NOT NULL,
    -- JSON: the column mapping chosen (bbc), and other options
    options TEXT NOT NULL DEFAULT '{}',
    -- uploaded | queued | done | failed
    status TEXT NOT NULL,
    -- JSON: counts created / changed / unchanged, or the error
    result TEXT NOT NULL DEFAULT '{}',
    job_id TEXT,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX plan_imports_organisation ON plan_imports (organisation_id, created_at);
