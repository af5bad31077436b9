-- Bounces and complaints per campaign (docs/design/NIEUWSBRIEF.md §3.4): the sending page
-- counts a campaign's hard and soft bounces and complaints from nb_bounces.
CREATE INDEX nb_bounces_campaign ON nb_bounces (campaign_id, kind);
-- A subscriber's deliveries: the daily reset of soft bounce counts looks for a delivery after
-- the last soft bounce, the subscriber's page counts them, and erasing a subscriber deletes
-- them (the primary key starts with the campaign and serves none of these).
CREATE INDEX nb_deliveries_subscriber ON nb_deliveries (subscriber_id);
