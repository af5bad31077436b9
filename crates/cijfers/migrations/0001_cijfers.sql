-- Stad in cijfers (issue 15): indicators, geography, periods, values and imports.
-- Portable SQL: ids are text made by the application, timestamps integer milliseconds (UTC),
-- booleans small integers, JSON as text, dates as 'YYYY-MM-DD' text.

-- An indicator: what is measured, how it aggregates over geography, whose it is.
-- owner_org_id NULL = shared (the Kenniscentrum's, the same for every city).
CREATE TABLE cijfers_indicators (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    definition TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    theme TEXT NOT NULL DEFAULT '',
    decimals BIGINT NOT NULL DEFAULT 0,
    -- 'sum', 'weighted_mean' (weight_code) or 'ratio' (numerator_code / denominator_code)
    aggregation TEXT NOT NULL DEFAULT 'sum',
    weight_code TEXT,
    numerator_code TEXT,
    denominator_code TEXT,
    owner_org_id TEXT REFERENCES organisations(id),
    published SMALLINT NOT NULL DEFAULT 0,
    demo SMALLINT NOT NULL DEFAULT 0,
    -- disclosure control: a cell counting fewer units than min_count, or where one unit holds
    -- more than dominance_pct percent of the total, is not published (NULL = no rule)
    min_count BIGINT,
    dominance_pct BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cijfers_indicators_theme ON cijfers_indicators (theme, code);

-- A place at one geographic level: a region, province, municipality (REFNIS), wijk or
-- statistical sector. Wijken belong to the city (owner_org_id) that defines them.
CREATE TABLE cijfers_geo_items (
    id TEXT PRIMARY KEY,
    level TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    municipality_code TEXT,
    valid_from TEXT,
    valid_to TEXT,
    geometry TEXT,
    owner_org_id TEXT REFERENCES organisations(id),
    created_at BIGINT NOT NULL,
    UNIQUE (level, code)
);
CREATE INDEX cijfers_geo_items_municipality ON cijfers_geo_items (municipality_code, level);

-- A wijk as a set of statistical sectors.
CREATE TABLE cijfers_wijk_sectors (
    wijk_id TEXT NOT NULL REFERENCES cijfers_geo_items(id) ON DELETE CASCADE,
    sector_id TEXT NOT NULL REFERENCES cijfers_geo_items(id) ON DELETE CASCADE,
    PRIMARY KEY (wijk_id, sector_id)
);

-- REFNIS codes that changed: old_code is part of new_code from valid_from on.
CREATE TABLE cijfers_refnis_crosswalk (
    old_code TEXT NOT NULL,
    new_code TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    PRIMARY KEY (old_code, new_code)
);

-- A period: kind 'year' (2024), 'quarter' (2024-Q1), 'month' (2024-03) or 'date' (2024-03-15).
CREATE TABLE cijfers_periods (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    starts_on TEXT NOT NULL
);

-- An upload: what was read, its checksum, and what became of it.
CREATE TABLE cijfers_imports (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    filename TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    owner_org_id TEXT REFERENCES organisations(id),
    -- 'preview', 'queued', 'done', 'failed'
    status TEXT NOT NULL,
    -- the file's text (unpacked, as UTF-8), kept between preview and confirmation, and the
    -- reading options (decimal mark, column mapping) as JSON
    content TEXT NOT NULL DEFAULT '',
    options TEXT NOT NULL DEFAULT '{}',
    report TEXT NOT NULL DEFAULT '{}',
    rows_read BIGINT NOT NULL DEFAULT 0,
    values_written BIGINT NOT NULL DEFAULT 0,
    job_id TEXT,
    created_by TEXT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX cijfers_imports_created ON cijfers_imports (created_at);

-- A value of an indicator for a place and period. value NULL = not available (or suppressed).
CREATE TABLE cijfers_values (
    indicator_id TEXT NOT NULL REFERENCES cijfers_indicators(id) ON DELETE CASCADE,
    geo_item_id TEXT NOT NULL REFERENCES cijfers_geo_items(id) ON DELETE CASCADE,
    period_id TEXT NOT NULL REFERENCES cijfers_periods(id),
    value DOUBLE PRECISION,
    -- 'definitive', 'provisional', 'estimated' or 'suppressed'
    status TEXT NOT NULL DEFAULT 'definitive',
    import_id TEXT REFERENCES cijfers_imports(id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (indicator_id, geo_item_id, period_id)
);
CREATE INDEX cijfers_values_geo ON cijfers_values (geo_item_id, period_id);
