-- Geometry uploads (issue 15, points 2 and 11): a file read, checked, reprojected to WGS84 and
-- simplified at upload, kept here as its display geometry until the data team confirms it;
-- the confirmation writes it onto cijfers_geo_items.geometry in one transaction.
-- Portable SQL (SQLite and PostgreSQL): ids made by the application, times integer ms UTC.
CREATE TABLE cijfers_geo_uploads (
    id TEXT PRIMARY KEY,
    -- 'gemeente', 'wijk' or 'sector'
    level TEXT NOT NULL,
    -- the municipality (REFNIS) whose wijken or sectors the file holds; '' for municipalities
    municipality_code TEXT NOT NULL DEFAULT '',
    filename TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    -- the projection the file was in (EPSG code), 0 when it could not be read
    source_epsg BIGINT NOT NULL DEFAULT 0,
    owner_org_id TEXT REFERENCES organisations(id),
    -- 'preview', 'done'
    status TEXT NOT NULL,
    -- JSON: [{"code", "name", "geometry"}] with the display geometry (GeoJSON text, WGS84)
    features TEXT NOT NULL DEFAULT '[]',
    -- JSON: {"errors": [...], "features": n, "vertices": n}
    report TEXT NOT NULL DEFAULT '{}',
    created_by TEXT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX cijfers_geo_uploads_created ON cijfers_geo_uploads (created_at);
