-- Platform-wide settings that every server instance must share (they live in the database,
-- not in a local file, so that several instances behind a load balancer agree).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
