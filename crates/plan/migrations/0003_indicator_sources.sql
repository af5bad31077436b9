-- Indicators whose measurements come from another module (a measurement source, see
-- crates/plan/src/indicators/source.rs): which source and which of its series, and how the
-- last pull went. At most one source per indicator; the row goes with its indicator.
CREATE TABLE plan_indicator_sources (
    indicator_id TEXT PRIMARY KEY REFERENCES plan_indicators (id) ON DELETE CASCADE,
    -- The source's stable key, e.g. 'werkgroepen.meetings' or 'cijfers.series'.
    source_key TEXT NOT NULL,
    -- The series within the source, as the source names it.
    series_ref TEXT NOT NULL,
    -- The series' label when it was linked, shown when the source is not in this build.
    series_label TEXT NOT NULL DEFAULT '',
    linked_at BIGINT NOT NULL,
    last_pulled_at BIGINT,
    -- The Dutch message of the last failed pull; NULL after a pull that succeeded.
    last_error TEXT
);
-- A source that changes a series finds the indicators to pull by key and series.
CREATE INDEX plan_indicator_sources_series ON plan_indicator_sources (source_key, series_ref);
