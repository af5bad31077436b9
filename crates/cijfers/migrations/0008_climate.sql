-- Stad in cijfers (issue 15 point 6): the climate dashboard. Energy use per sector and carrier,
-- local PV production and EV charge points are ordinary indicator values (codes
-- `klimaat_energie_<sector>_<carrier>`, `klimaat_pv_productie`, `klimaat_laadpunten`; see
-- docs/CIJFERS.md); what is new here are the emission factors and the cities' targets.
-- Portable SQL as in 0001: dates as 'YYYY-MM-DD' text, timestamps integer milliseconds.

-- An emission factor: kg CO2 per kWh of one energy carrier, valid from a date until a date
-- (inclusive; NULL = still valid), with its source. The periods of one carrier do not overlap
-- (checked by the application: src/store/climate.rs).
CREATE TABLE cijfers_emission_factors (
    id TEXT PRIMARY KEY,
    -- 'elektriciteit', 'aardgas', 'stookolie', 'diesel', 'benzine' (src/climate/mod.rs)
    carrier TEXT NOT NULL,
    kg_co2_per_kwh DOUBLE PRECISION NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT,
    source TEXT NOT NULL,
    source_url TEXT NOT NULL DEFAULT '',
    demo SMALLINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cijfers_emission_factors_carrier ON cijfers_emission_factors (carrier, valid_from);

-- A city's climate target: so many percent less CO2 in target_year than in base_year.
CREATE TABLE cijfers_climate_targets (
    id TEXT PRIMARY KEY,
    -- the municipality's REFNIS code (a gemeente of cijfers_geo_items)
    place_code TEXT NOT NULL,
    label TEXT NOT NULL,
    base_year BIGINT NOT NULL,
    target_year BIGINT NOT NULL,
    reduction_pct DOUBLE PRECISION NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    demo SMALLINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cijfers_climate_targets_place ON cijfers_climate_targets (place_code, target_year);
