-- The nieuwsbrief module: the weekly LinkedIn planner (design §3.9). The Kenniscentrum posts
-- once a week; a post is drafted (often from a platform item), planned on a day of its week,
-- marked posted with its address, and its statistics are entered by hand as LinkedIn shows
-- them (LinkedIn's API is not open to a small organisation's page; the figures are typed).

-- status: concept | gepland | gepost
CREATE TABLE nb_linkedin_posts (
    id TEXT PRIMARY KEY,
    week TEXT NOT NULL,                      -- ISO week, '2026-W49'
    text TEXT NOT NULL,
    source_module TEXT,                      -- the item it was drafted from (ItemSource::key)
    source_id TEXT,
    source_title TEXT,
    source_href TEXT,
    status TEXT NOT NULL,
    planned_on TEXT,                         -- 'YYYY-MM-DD', a day of `week`
    posted_on TEXT,                          -- 'YYYY-MM-DD'
    url TEXT,                                -- the post on linkedin.com, once posted
    created_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX nb_linkedin_posts_week ON nb_linkedin_posts (week);

-- A post's figures on a day, as LinkedIn showed them then (cumulative since posting).
CREATE TABLE nb_linkedin_stats (
    post_id TEXT NOT NULL REFERENCES nb_linkedin_posts (id) ON DELETE CASCADE,
    measured_on TEXT NOT NULL,               -- 'YYYY-MM-DD'
    impressions BIGINT NOT NULL,
    reactions BIGINT NOT NULL,
    reposts BIGINT NOT NULL,
    clicks BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (post_id, measured_on)
);
