-- Stad in cijfers (issue 15, point 9): the origins a city lists as allowed to frame the
-- embeddable charts and tables (the Content-Security-Policy's frame-ancestors of the embeds).
-- An origin is stored normalised: https://host or https://host:port, lower case, no path.
CREATE TABLE cijfers_embed_origins (
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    origin TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, origin)
);
