//! The reading statistics' SQL (design §3.5, migration 5): the counters `nb_stat_counts`
//! (incremented by an upsert, atomic on both backends), the per-person events `nb_events`
//! (only with both switches on), the managers' switch `nieuwsbrief.track_individuals`, the
//! subscriber's own tracking flag, and what the statistics pages read.

use std::collections::HashSet;

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::policy::Actor;
use steden_db::{new_id, Tx};

use crate::access;
use crate::model::{CampaignStatus, ConsentKind, DeliveryStatus};
use crate::store::consents::{self, NewConsent};

/// The setting: "1" when subscribers who agreed (their own `tracking`) are followed per person.
pub const TRACK_INDIVIDUALS: &str = "nieuwsbrief.track_individuals";

/// How long a per-person event is kept (12 months).
pub const EVENTS_KEEP_MS: i64 = 365 * 24 * 60 * 60 * 1000;

/// What a counter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountKind {
    Open,
    Click,
    Unsubscribe,
}

impl CountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CountKind::Open => "open",
            CountKind::Click => "klik",
            CountKind::Unsubscribe => "afmelding",
        }
    }
}

/// Whether per-person statistics are on (off unless a manager turned them on).
pub async fn track_individuals<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<bool> {
    super::housekeeping::switch(executor, TRACK_INDIVIDUALS).await
}

/// Turns per-person statistics on or off: for managers of the Kenniscentrum, audited. Turning
/// them off deletes every per-person event (what is no longer collected is not kept either).
pub async fn set_track_individuals(
    tx: &mut Tx<'_>,
    who: &Actor,
    kenniscentrum_id: &str,
    on: bool,
    actor: &AuditActor,
    now: i64,
) -> CoreResult<()> {
    access::require_manager(who, kenniscentrum_id)?;
    let before = track_individuals(&mut **tx).await?;
    super::housekeeping::write_switch(tx, TRACK_INDIVIDUALS, on, now).await?;
    if !on {
        sqlx::query("DELETE FROM nb_events")
            .execute(&mut **tx)
            .await?;
    }
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(kenniscentrum_id),
            entity_type: "nieuwsbrief_instelling",
            entity_id: TRACK_INDIVIDUALS,
            action: "update",
            summary: if on {
                "Leesstatistieken per persoon (met toestemming): aan"
            } else {
                "Leesstatistieken per persoon: uit (bestaande gegevens gewist)"
            },
            changes: Changes::new().field("track_individuals", before, on),
        },
    )
    .await?;
    Ok(())
}

/// The start of the hour of `at` (ms UTC): the counters' time bucket.
pub fn hour_of(at: i64) -> i64 {
    at.div_euclid(3_600_000) * 3_600_000
}

/// Adds one to the counter of (`campaign_id`, `kind`, `link_no`, hour of `at`, `machine`).
/// A campaign that does not exist counts nothing (the foreign key; the caller checked).
pub async fn increment<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    campaign_id: &str,
    kind: CountKind,
    link_no: i64,
    at: i64,
    machine: bool,
) -> CoreResult<()> {
    sqlx::query(
        "INSERT INTO nb_stat_counts (campaign_id, kind, link_no, hour, machine, n)
         VALUES ($1, $2, $3, $4, $5, 1)
         ON CONFLICT (campaign_id, kind, link_no, hour, machine)
         DO UPDATE SET n = nb_stat_counts.n + 1",
    )
    .bind(campaign_id)
    .bind(kind.as_str())
    .bind(link_no)
    .bind(hour_of(at))
    .bind(steden_db::flag::to_db(machine))
    .execute(executor)
    .await?;
    Ok(())
}

/// Whether the campaign exists and was frozen (only those have opens).
pub async fn is_frozen<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    campaign_id: &str,
) -> CoreResult<bool> {
    let frozen: Option<Option<i64>> =
        sqlx::query_scalar("SELECT frozen_at FROM nb_campaigns WHERE id = $1")
            .bind(campaign_id)
            .fetch_optional(executor)
            .await?;
    Ok(matches!(frozen, Some(Some(_))))
}

/// The address of link `link_no` of `campaign_id`, as frozen: the only place a click goes.
pub async fn link_url<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    campaign_id: &str,
    link_no: i64,
) -> CoreResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT url FROM nb_campaign_links WHERE campaign_id = $1 AND link_no = $2",
    )
    .bind(campaign_id)
    .bind(link_no)
    .fetch_optional(executor)
    .await?)
}

/// The numbered links of a campaign, in order (the sending job rewrites them).
pub async fn links<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    campaign_id: &str,
) -> CoreResult<Vec<(i64, String)>> {
    let rows = sqlx::query(
        "SELECT link_no, url FROM nb_campaign_links WHERE campaign_id = $1 ORDER BY link_no",
    )
    .bind(campaign_id)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get("link_no"), r.get("url")))
        .collect())
}

/// The recipients of `campaign_id` who agreed to per-person statistics (their `tracking`):
/// the sending job signs their tokens with their id when the managers' switch is on.
pub async fn tracking_recipients<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    campaign_id: &str,
) -> CoreResult<HashSet<String>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT d.subscriber_id FROM nb_deliveries d
         JOIN nb_subscribers s ON s.id = d.subscriber_id
         WHERE d.campaign_id = $1 AND s.tracking = 1",
    )
    .bind(campaign_id)
    .fetch_all(executor)
    .await?;
    Ok(ids.into_iter().collect())
}

/// Whether `subscriber_id` exists and has tracking on.
pub async fn subscriber_tracks<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    subscriber_id: &str,
) -> CoreResult<bool> {
    let flag: Option<i64> =
        sqlx::query_scalar("SELECT CAST(tracking AS BIGINT) FROM nb_subscribers WHERE id = $1")
            .bind(subscriber_id)
            .fetch_optional(executor)
            .await?;
    Ok(flag.map(steden_db::flag::from_db).unwrap_or(false))
}

/// Writes one per-person event (the caller checked both switches).
pub async fn insert_event<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    campaign_id: &str,
    subscriber_id: &str,
    kind: CountKind,
    link_no: i64,
    machine: bool,
    at: i64,
) -> CoreResult<()> {
    sqlx::query(
        "INSERT INTO nb_events (id, campaign_id, subscriber_id, kind, link_no, machine, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(campaign_id)
    .bind(subscriber_id)
    .bind(kind.as_str())
    .bind(link_no)
    .bind(steden_db::flag::to_db(machine))
    .bind(at)
    .execute(executor)
    .await?;
    Ok(())
}

/// Sets the subscriber's own consent to per-person statistics, with a consent record; turning
/// it off deletes their events. Setting what is already set writes nothing.
pub async fn set_tracking(
    tx: &mut Tx<'_>,
    subscriber_id: &str,
    on: bool,
    source: &str,
    now: i64,
) -> CoreResult<()> {
    let before = subscriber_tracks(&mut **tx, subscriber_id).await?;
    if !on {
        delete_events_of(tx, subscriber_id).await?;
    }
    if before == on {
        return Ok(());
    }
    sqlx::query("UPDATE nb_subscribers SET tracking = $2, updated_at = $3 WHERE id = $1")
        .bind(subscriber_id)
        .bind(steden_db::flag::to_db(on))
        .bind(now)
        .execute(&mut **tx)
        .await?;
    consents::record(
        tx,
        &NewConsent {
            subscriber_id,
            kind: ConsentKind::Tracking,
            given: on,
            at: now,
            source,
            text_version: None,
            lists: &[],
            ip: None,
        },
    )
    .await?;
    Ok(())
}

/// Deletes every per-person event of `subscriber_id`; how many.
pub async fn delete_events_of(tx: &mut Tx<'_>, subscriber_id: &str) -> CoreResult<u64> {
    Ok(
        sqlx::query("DELETE FROM nb_events WHERE subscriber_id = $1")
            .bind(subscriber_id)
            .execute(&mut **tx)
            .await?
            .rows_affected(),
    )
}

/// Deletes the per-person events older than [`EVENTS_KEEP_MS`] at `now`; how many.
pub async fn delete_old_events(tx: &mut Tx<'_>, now: i64) -> CoreResult<u64> {
    Ok(sqlx::query("DELETE FROM nb_events WHERE at < $1")
        .bind(now - EVENTS_KEEP_MS)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// One per-person event, as the subscriber's own-data download shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Event {
    pub campaign: String,
    pub kind: String,
    /// The address clicked (clicks only).
    pub url: Option<String>,
    pub machine: bool,
    pub at: i64,
}

/// The subscriber's events, oldest first.
pub async fn events_of<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    subscriber_id: &str,
) -> CoreResult<Vec<Event>> {
    let rows = sqlx::query(
        "SELECT c.subject, e.kind, l.url, CAST(e.machine AS BIGINT) AS machine, e.at
         FROM nb_events e JOIN nb_campaigns c ON c.id = e.campaign_id
         LEFT JOIN nb_campaign_links l ON l.campaign_id = e.campaign_id AND l.link_no = e.link_no
         WHERE e.subscriber_id = $1 ORDER BY e.at, e.id",
    )
    .bind(subscriber_id)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Event {
            campaign: r.get("subject"),
            kind: r.get("kind"),
            url: r.get("url"),
            machine: steden_db::flag::from_db(r.get("machine")),
            at: r.get("at"),
        })
        .collect())
}

/// Counts an unsubscribe for the last campaign delivered to `subscriber_id` (none: nothing).
/// The links in a mail do not say which campaign they came from (they are the subscriber's
/// own, the same in every mail), so the unsubscribe goes to the newsletter they received last.
pub async fn count_unsubscribe(tx: &mut Tx<'_>, subscriber_id: &str, now: i64) -> CoreResult<()> {
    let last: Option<String> = sqlx::query_scalar(
        "SELECT campaign_id FROM nb_deliveries
         WHERE subscriber_id = $1 AND status = $2 AND sent_at IS NOT NULL
         ORDER BY sent_at DESC LIMIT 1",
    )
    .bind(subscriber_id)
    .bind(DeliveryStatus::Verzonden.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(campaign_id) = last {
        increment(
            &mut **tx,
            &campaign_id,
            CountKind::Unsubscribe,
            0,
            now,
            false,
        )
        .await?;
    }
    Ok(())
}

/// A campaign's totals, as the comparison shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct StatTotals {
    pub opens: i64,
    pub opens_machine: i64,
    pub clicks: i64,
    pub clicks_machine: i64,
    pub unsubscribes: i64,
    pub hard_bounces: i64,
    pub soft_bounces: i64,
    pub complaints: i64,
}

/// A campaign that was (being) sent, with its totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignTotals {
    pub id: String,
    pub subject: String,
    pub status: CampaignStatus,
    pub started_at: Option<i64>,
    pub sent: i64,
    pub totals: StatTotals,
}

/// The campaigns that have started sending, newest first, with their totals.
pub async fn sent_campaigns<'e, E: Executor<'e, Database = Any> + Copy>(
    executor: E,
    limit: i64,
) -> CoreResult<Vec<CampaignTotals>> {
    let rows = sqlx::query(
        "SELECT id, subject, status, started_at, sent FROM nb_campaigns
         WHERE status IN ($1, $2, $3, $4) AND started_at IS NOT NULL
         ORDER BY started_at DESC, id DESC LIMIT $5",
    )
    .bind(CampaignStatus::Verzonden.as_str())
    .bind(CampaignStatus::Bezig.as_str())
    .bind(CampaignStatus::Gepauzeerd.as_str())
    .bind(CampaignStatus::Geannuleerd.as_str())
    .bind(limit)
    .fetch_all(executor)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id: String = row.get("id");
        let status: String = row.get("status");
        out.push(CampaignTotals {
            totals: totals(executor, &id).await?,
            subject: row.get("subject"),
            status: CampaignStatus::parse(&status)?,
            started_at: row.get("started_at"),
            sent: row.get("sent"),
            id,
        });
    }
    Ok(out)
}

/// The totals of one campaign: the counters summed, and its bounces and complaints counted
/// from `nb_bounces` (those whose report named the campaign).
pub async fn totals<'e, E: Executor<'e, Database = Any> + Copy>(
    executor: E,
    campaign_id: &str,
) -> CoreResult<StatTotals> {
    let rows = sqlx::query(
        "SELECT kind, CAST(machine AS BIGINT) AS machine, CAST(SUM(n) AS BIGINT) AS n
         FROM nb_stat_counts WHERE campaign_id = $1 GROUP BY kind, machine",
    )
    .bind(campaign_id)
    .fetch_all(executor)
    .await?;
    let mut t = StatTotals::default();
    for row in rows {
        let kind: String = row.get("kind");
        let machine = steden_db::flag::from_db(row.get("machine"));
        let n: i64 = row.get("n");
        match (kind.as_str(), machine) {
            ("open", false) => t.opens += n,
            ("open", true) => t.opens_machine += n,
            ("klik", false) => t.clicks += n,
            ("klik", true) => t.clicks_machine += n,
            ("afmelding", _) => t.unsubscribes += n,
            _ => {}
        }
    }
    let rows = sqlx::query(
        "SELECT kind, COUNT(*) AS n FROM nb_bounces WHERE campaign_id = $1 GROUP BY kind",
    )
    .bind(campaign_id)
    .fetch_all(executor)
    .await?;
    for row in rows {
        let kind: String = row.get("kind");
        let n: i64 = row.get("n");
        match kind.as_str() {
            "hard" => t.hard_bounces += n,
            "soft" => t.soft_bounces += n,
            "complaint" => t.complaints += n,
            _ => {}
        }
    }
    Ok(t)
}

/// One link's clicks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct StatLinkCount {
    pub link_no: i64,
    pub url: String,
    /// The section's title; none for the template's own links.
    pub section: Option<String>,
    pub clicks: i64,
    pub clicks_machine: i64,
}

/// The clicks of every link of the campaign (also those never clicked), in the mail's order.
pub async fn link_counts<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    campaign_id: &str,
) -> CoreResult<Vec<StatLinkCount>> {
    let rows = sqlx::query(
        "SELECT l.link_no, l.url, s.title,
                CAST(COALESCE(SUM(CASE WHEN c.machine = 0 THEN c.n ELSE 0 END), 0) AS BIGINT) AS human,
                CAST(COALESCE(SUM(CASE WHEN c.machine = 1 THEN c.n ELSE 0 END), 0) AS BIGINT) AS machine
         FROM nb_campaign_links l
         LEFT JOIN nb_sections s ON s.id = l.section_id
         LEFT JOIN nb_stat_counts c ON c.campaign_id = l.campaign_id AND c.link_no = l.link_no
              AND c.kind = 'klik'
         WHERE l.campaign_id = $1
         GROUP BY l.link_no, l.url, s.title
         ORDER BY l.link_no",
    )
    .bind(campaign_id)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|r| StatLinkCount {
            link_no: r.get("link_no"),
            url: r.get("url"),
            section: r.get("title"),
            clicks: r.get("human"),
            clicks_machine: r.get("machine"),
        })
        .collect())
}

/// One hour's opens and clicks.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct StatHourCount {
    /// The start of the hour, ms UTC.
    pub hour: i64,
    pub opens: i64,
    pub opens_machine: i64,
    pub clicks: i64,
    pub clicks_machine: i64,
}

/// The campaign's opens and clicks per hour, oldest first (only hours with any).
pub async fn hour_counts<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    campaign_id: &str,
) -> CoreResult<Vec<StatHourCount>> {
    let rows = sqlx::query(
        "SELECT hour, kind, CAST(machine AS BIGINT) AS machine, CAST(SUM(n) AS BIGINT) AS n
         FROM nb_stat_counts WHERE campaign_id = $1 AND kind IN ('open', 'klik')
         GROUP BY hour, kind, machine ORDER BY hour",
    )
    .bind(campaign_id)
    .fetch_all(executor)
    .await?;
    let mut out: Vec<StatHourCount> = Vec::new();
    for row in rows {
        let hour: i64 = row.get("hour");
        if out.last().map(|h| h.hour) != Some(hour) {
            out.push(StatHourCount {
                hour,
                ..StatHourCount::default()
            });
        }
        let entry = out.last_mut().expect("pushed above");
        let kind: String = row.get("kind");
        let n: i64 = row.get("n");
        match (kind.as_str(), steden_db::flag::from_db(row.get("machine"))) {
            ("open", false) => entry.opens += n,
            ("open", true) => entry.opens_machine += n,
            ("klik", false) => entry.clicks += n,
            _ => entry.clicks_machine += n,
        }
    }
    Ok(out)
}

/// How many per-person events a campaign has (shown so editors know the switch's effect).
pub async fn event_count<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    campaign_id: &str,
) -> CoreResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM nb_events WHERE campaign_id = $1")
            .bind(campaign_id)
            .fetch_one(executor)
            .await?,
    )
}

/// The clicks of one section (of a campaign, or of every sent campaign with that title).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct StatSectionCount {
    /// The section's title; empty for the template's own links (logo, site, archive).
    pub title: String,
    /// In how many campaigns (1 for one campaign's page).
    pub campaigns: i64,
    /// How many numbered links it held.
    pub links: i64,
    pub clicks: i64,
    pub clicks_machine: i64,
}

const SECTION_SUMS: &str =
    "COUNT(DISTINCT l.campaign_id) AS campaigns, COUNT(DISTINCT l.campaign_id || ':' || l.link_no) AS links,
     CAST(COALESCE(SUM(CASE WHEN c.machine = 0 THEN c.n ELSE 0 END), 0) AS BIGINT) AS human,
     CAST(COALESCE(SUM(CASE WHEN c.machine = 1 THEN c.n ELSE 0 END), 0) AS BIGINT) AS machine";

fn section_from_row(r: &sqlx::any::AnyRow) -> StatSectionCount {
    StatSectionCount {
        title: r.get("title"),
        campaigns: r.get("campaigns"),
        links: r.get("links"),
        clicks: r.get("human"),
        clicks_machine: r.get("machine"),
    }
}

/// The clicks per section of one campaign, in the newsletter's order (the template's own
/// links last).
pub async fn section_counts<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    campaign_id: &str,
) -> CoreResult<Vec<StatSectionCount>> {
    let sql = format!(
        "SELECT COALESCE(s.title, '') AS title, {SECTION_SUMS},
                MIN(COALESCE(s.position, 1000000)) AS pos
         FROM nb_campaign_links l
         LEFT JOIN nb_sections s ON s.id = l.section_id
         LEFT JOIN nb_stat_counts c ON c.campaign_id = l.campaign_id AND c.link_no = l.link_no
              AND c.kind = 'klik'
         WHERE l.campaign_id = $1
         GROUP BY COALESCE(s.title, '')
         ORDER BY pos, title"
    );
    let rows = sqlx::query(&sql)
        .bind(campaign_id)
        .fetch_all(executor)
        .await?;
    Ok(rows.iter().map(section_from_row).collect())
}

/// The clicks per section title over every campaign that started sending, most clicked first:
/// the newsletter keeps its structure (Aankondigingen, Kennis, Beleid, …), so a title is the
/// same section from month to month.
pub async fn section_comparison<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<Vec<StatSectionCount>> {
    let sql = format!(
        "SELECT s.title AS title, {SECTION_SUMS}
         FROM nb_campaign_links l
         JOIN nb_sections s ON s.id = l.section_id
         JOIN nb_campaigns k ON k.id = l.campaign_id AND k.started_at IS NOT NULL
         LEFT JOIN nb_stat_counts c ON c.campaign_id = l.campaign_id AND c.link_no = l.link_no
              AND c.kind = 'klik'
         GROUP BY s.title
         ORDER BY human DESC, s.title"
    );
    let rows = sqlx::query(&sql).fetch_all(executor).await?;
    Ok(rows.iter().map(section_from_row).collect())
}
