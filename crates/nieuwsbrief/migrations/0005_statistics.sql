-- Reading statistics (docs/design/NIEUWSBRIEF.md §3.5; issue 14 point 5), privacy first.
-- By default only counters: how many opens and clicks a campaign had, per link (and so per
-- section, through nb_campaign_links), per hour, separately for what looks like machine
-- traffic (mail privacy prefetches, link scanners). No row names a person.
-- kind: open | klik | afmelding. link_no is 0 when it does not apply (opens, unsubscribes).
-- hour: the start of the hour (ms UTC) in which the request came. machine: 1 when the request
-- was probably automatic (a known prefetch or scanner user agent, too soon after sending, HEAD).
CREATE TABLE nb_stat_counts (
    campaign_id TEXT NOT NULL REFERENCES nb_campaigns (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    link_no BIGINT NOT NULL DEFAULT 0,
    hour BIGINT NOT NULL,
    machine SMALLINT NOT NULL DEFAULT 0,
    n BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, kind, link_no, hour, machine)
);

-- Per-person events: written only when a manager turned on `nieuwsbrief.track_individuals`
-- AND the subscriber's own `tracking` is on. Turning tracking off, erasure (the foreign key)
-- and the daily retention (12 months) delete them.
CREATE TABLE nb_events (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES nb_campaigns (id) ON DELETE CASCADE,
    subscriber_id TEXT NOT NULL REFERENCES nb_subscribers (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                 -- open | klik
    link_no BIGINT NOT NULL DEFAULT 0,
    machine SMALLINT NOT NULL DEFAULT 0,
    at BIGINT NOT NULL
);
CREATE INDEX nb_events_subscriber ON nb_events (subscriber_id, at);
CREATE INDEX nb_events_at ON nb_events (at);
CREATE INDEX nb_events_campaign ON nb_events (campaign_id, kind);
