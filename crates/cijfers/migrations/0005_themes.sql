-- Stad in cijfers (issue 15, point 4): the themes of the fact sheets (steekkaarten), made in the
-- browser by Kenniscentrum staff. A theme has a name, an intro text and an ordered list of
-- indicators, some of them key figures. Portable SQL as in 0001.

CREATE TABLE cijfers_themes (
    id TEXT PRIMARY KEY,
    -- the theme's part of the URL (/cijfers/steekkaart/{slug}/{place}), made from the name
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT '',
    demo SMALLINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE cijfers_theme_indicators (
    theme_id TEXT NOT NULL REFERENCES cijfers_themes(id) ON DELETE CASCADE,
    indicator_id TEXT NOT NULL REFERENCES cijfers_indicators(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    key_figure SMALLINT NOT NULL DEFAULT 0,
    PRIMARY KEY (theme_id, indicator_id)
);
CREATE INDEX cijfers_theme_indicators_indicator ON cijfers_theme_indicators (indicator_id);
