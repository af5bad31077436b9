//! Reading statistics, privacy first (issue 14 point 5; design §3.5).
//!
//! By default nothing about a person is recorded: an open (the 1×1 pixel of a mail) or a click
//! (a link of the mail, rewritten to the signed redirect `/nieuwsbrief/k/{token}`) adds one to a
//! counter of the campaign, the link (and so its section) and the hour, in `nb_stat_counts`.
//! The signed token names the campaign, the link's **number** (the redirect only ever goes to
//! the address `nb_campaign_links` holds for that number of that campaign: never an open
//! redirect) and the send time to ten seconds — not the person.
//!
//! Mail privacy proxies (Apple Mail Privacy Protection fetches every image when the mail
//! arrives), image proxies and link scanners (Microsoft, Barracuda, Proofpoint, Mimecast, …)
//! would inflate opens and clicks; what looks like them ([`is_machine`]: a known user agent,
//! a request within 60 s (open) or 30 s (click) of sending, a `HEAD`) is counted apart, as
//! "waarschijnlijk automatisch", never as reading.
//!
//! Per person only when a manager turned on `nieuwsbrief.track_individuals` **and** the
//! subscriber turned on their own tracking (preferences page): then the tokens of their mail
//! carry their id and an `nb_events` row is written — checked again when the request comes, so
//! turning either switch off stops it at once. Turning tracking off deletes their events;
//! erasure deletes them (foreign key); the daily retention deletes events older than 12 months.
//!
//! [`record_open`] and [`record_click`] are also what the demo calls to simulate reading.

pub mod mail;

use steden_core::error::CoreResult;
use steden_core::signed_link::{LinkError, Signer};
use steden_db::Db;

use crate::store::stats::{self, CountKind};

/// The send time in a token is rounded down to this (ms): precise enough to tell a scanner's
/// click seconds after delivery, too coarse to single out one recipient of a campaign.
pub const SEND_TICK_MS: i64 = 10_000;

/// An open within this long after sending is probably a prefetch (Apple's MPP, a gateway).
pub const OPEN_MACHINE_WINDOW_MS: i64 = 60_000;
/// A click within this long after sending is probably a link scanner.
pub const CLICK_MACHINE_WINDOW_MS: i64 = 30_000;

/// The signed-link kinds of the statistics (module `nieuwsbrief`'s signer).
const OPEN_KIND: &str = "open";
const CLICK_KIND: &str = "klik";

/// Statistics tokens do not expire: a link in an old newsletter should still lead on. (A
/// forged or altered token still fails, since the signature covers the payload.)
const NEVER: i64 = 253_402_300_799_999;

/// What an open token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenToken {
    pub campaign_id: String,
    /// The send time rounded down to [`SEND_TICK_MS`], in ticks.
    pub sent_tick: i64,
    /// Only with per-person tracking (both switches on when the mail was sent).
    pub subscriber_id: Option<String>,
}

/// What a click token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClickToken {
    pub campaign_id: String,
    pub link_no: i64,
    pub sent_tick: i64,
    pub subscriber_id: Option<String>,
}

/// The tick of `at` (ms UTC).
pub fn tick_of(at: i64) -> i64 {
    at.div_euclid(SEND_TICK_MS)
}

/// The latest moment a message of `tick` can have been sent: the machine windows count from
/// here, so that a request within the window of the real send time is never counted as reading.
pub fn sent_at_of(tick: i64) -> i64 {
    (tick + 1) * SEND_TICK_MS
}

fn payload(parts: &[&str]) -> String {
    parts.join(".")
}

/// The open token of `campaign_id` sent at `tick`, for `subscriber_id` when tracked per person.
pub fn sign_open(
    signer: &Signer,
    campaign_id: &str,
    tick: i64,
    subscriber: Option<&str>,
) -> String {
    let tick = tick.to_string();
    let mut parts = vec![campaign_id, tick.as_str()];
    parts.extend(subscriber);
    signer.sign(OPEN_KIND, &payload(&parts), NEVER)
}

/// The click token of link `link_no` of `campaign_id` sent at `tick`.
pub fn sign_click(
    signer: &Signer,
    campaign_id: &str,
    link_no: i64,
    tick: i64,
    subscriber: Option<&str>,
) -> String {
    let (link, tick) = (link_no.to_string(), tick.to_string());
    let mut parts = vec![campaign_id, link.as_str(), tick.as_str()];
    parts.extend(subscriber);
    signer.sign(CLICK_KIND, &payload(&parts), NEVER)
}

fn safe(part: &str) -> bool {
    !part.is_empty()
        && part.len() <= 64
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The open token's content, if its signature holds (a token of another kind never does).
pub fn verify_open(signer: &Signer, token: &str) -> Result<OpenToken, LinkError> {
    let id = signer.verify(OPEN_KIND, token, 0)?;
    let parts: Vec<&str> = id.split('.').collect();
    match parts.as_slice() {
        [campaign, tick, rest @ ..] if rest.len() <= 1 && safe(campaign) => Ok(OpenToken {
            campaign_id: campaign.to_string(),
            sent_tick: tick.parse().map_err(|_| LinkError::Invalid)?,
            subscriber_id: match rest.first() {
                Some(s) if safe(s) => Some(s.to_string()),
                Some(_) => return Err(LinkError::Invalid),
                None => None,
            },
        }),
        _ => Err(LinkError::Invalid),
    }
}

/// The click token's content, if its signature holds.
pub fn verify_click(signer: &Signer, token: &str) -> Result<ClickToken, LinkError> {
    let id = signer.verify(CLICK_KIND, token, 0)?;
    let parts: Vec<&str> = id.split('.').collect();
    match parts.as_slice() {
        [campaign, link, tick, rest @ ..] if rest.len() <= 1 && safe(campaign) => Ok(ClickToken {
            campaign_id: campaign.to_string(),
            link_no: link.parse().map_err(|_| LinkError::Invalid)?,
            sent_tick: tick.parse().map_err(|_| LinkError::Invalid)?,
            subscriber_id: match rest.first() {
                Some(s) if safe(s) => Some(s.to_string()),
                Some(_) => return Err(LinkError::Invalid),
                None => None,
            },
        }),
        _ => Err(LinkError::Invalid),
    }
}

/// One request for the pixel or a redirect, as far as the statistics look at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    /// When it came (ms UTC).
    pub at: i64,
    /// The `User-Agent` header, if any.
    pub user_agent: Option<&'a str>,
    /// A `HEAD` request: a checker, not a reader.
    pub head: bool,
}

/// Parts of user agents of mail privacy proxies, image proxies, link scanners and other
/// robots (lower case). Apple Mail Privacy Protection sends the bare `Mozilla/5.0`, handled
/// apart.
const MACHINE_AGENTS: &[&str] = &[
    "googleimageproxy",
    "ggpht.com",
    "yahoomailproxy",
    "yahoo! slurp",
    "barracuda",
    "proofpoint",
    "mimecast",
    "safelinks",
    "microsoft-atp",
    "microsoft office protection",
    "ms-office-link-scanner",
    "symantec",
    "messagelabs",
    "trendmicro",
    "trend micro",
    "forcepoint",
    "fortiguard",
    "sophos",
    "cisco ironport",
    "zscaler",
    "bingpreview",
    "facebookexternalhit",
    "slackbot",
    "linkpreview",
    "headlesschrome",
    "python-requests",
    "python-urllib",
    "curl/",
    "wget/",
    "go-http-client",
    "java/",
    "okhttp",
    "bot",
    "spider",
    "crawler",
    "scanner",
];

/// Whether the user agent is a known machine (or none at all).
pub fn machine_agent(user_agent: Option<&str>) -> bool {
    let Some(agent) = user_agent.map(str::trim).filter(|a| !a.is_empty()) else {
        return true;
    };
    // Apple Mail Privacy Protection's proxy: "Mozilla/5.0" and nothing more.
    if agent.eq_ignore_ascii_case("mozilla/5.0") {
        return true;
    }
    let lower = agent.to_ascii_lowercase();
    MACHINE_AGENTS.iter().any(|part| lower.contains(part))
}

/// Whether a request of `kind` for a message sent at `sent_at` is probably automatic: a known
/// machine user agent, a `HEAD`, or too soon after sending (60 s for opens, 30 s for clicks).
pub fn is_machine(kind: CountKind, sent_at: i64, request: &Request<'_>) -> bool {
    let window = match kind {
        CountKind::Open => OPEN_MACHINE_WINDOW_MS,
        _ => CLICK_MACHINE_WINDOW_MS,
    };
    request.head || machine_agent(request.user_agent) || request.at < sent_at + window
}

/// What a request was counted as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub machine: bool,
    /// Whether a per-person event was written.
    pub per_person: bool,
}

/// Counts an open of `campaign_id` (a message sent at `sent_at`, ms UTC) by `request`; with
/// `subscriber_id` (a per-person token) also the person's event, if both switches are still
/// on. `None` when the campaign does not exist or was never frozen (nothing counted).
pub async fn record_open(
    db: &Db,
    campaign_id: &str,
    sent_at: i64,
    request: &Request<'_>,
    subscriber_id: Option<&str>,
) -> CoreResult<Option<Counted>> {
    record(
        db,
        CountKind::Open,
        campaign_id,
        0,
        sent_at,
        request,
        subscriber_id,
    )
    .await
}

/// Counts a click on link `link_no` of `campaign_id`; returns the address to send the reader
/// to, or `None` when the campaign has no such link (nothing counted, no redirect).
pub async fn record_click(
    db: &Db,
    campaign_id: &str,
    link_no: i64,
    sent_at: i64,
    request: &Request<'_>,
    subscriber_id: Option<&str>,
) -> CoreResult<Option<(String, Counted)>> {
    let Some(url) = stats::link_url(db.pool(), campaign_id, link_no).await? else {
        return Ok(None);
    };
    let counted = record(
        db,
        CountKind::Click,
        campaign_id,
        link_no,
        sent_at,
        request,
        subscriber_id,
    )
    .await?;
    Ok(counted.map(|c| (url, c)))
}

async fn record(
    db: &Db,
    kind: CountKind,
    campaign_id: &str,
    link_no: i64,
    sent_at: i64,
    request: &Request<'_>,
    subscriber_id: Option<&str>,
) -> CoreResult<Option<Counted>> {
    let mut tx = db.begin().await?;
    if !stats::is_frozen(&mut *tx, campaign_id).await? {
        return Ok(None);
    }
    let machine = is_machine(kind, sent_at, request);
    stats::increment(&mut *tx, campaign_id, kind, link_no, request.at, machine).await?;
    let mut per_person = false;
    if let Some(subscriber_id) = subscriber_id {
        if stats::track_individuals(&mut *tx).await?
            && stats::subscriber_tracks(&mut *tx, subscriber_id).await?
        {
            stats::insert_event(
                &mut *tx,
                campaign_id,
                subscriber_id,
                kind,
                link_no,
                machine,
                request.at,
            )
            .await?;
            per_person = true;
        }
    }
    tx.commit().await?;
    Ok(Some(Counted {
        machine,
        per_person,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> Signer {
        Signer::new(b"k".to_vec(), "nieuwsbrief")
    }

    #[test]
    fn tokens_round_trip_and_kinds_do_not_mix() {
        let s = signer();
        let open = sign_open(&s, "c1", 7, None);
        assert_eq!(
            verify_open(&s, &open),
            Ok(OpenToken {
                campaign_id: "c1".into(),
                sent_tick: 7,
                subscriber_id: None
            })
        );
        assert_eq!(verify_click(&s, &open), Err(LinkError::Invalid));
        let click = sign_click(&s, "c1", 3, 7, Some("s9"));
        let parsed = verify_click(&s, &click).unwrap();
        assert_eq!(parsed.link_no, 3);
        assert_eq!(parsed.subscriber_id.as_deref(), Some("s9"));
        let other = Signer::new(b"other".to_vec(), "nieuwsbrief");
        assert_eq!(verify_click(&other, &click), Err(LinkError::Invalid));
    }

    #[test]
    fn machines_are_told_by_agent_timing_and_head() {
        let human = Some("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15");
        let at = |at, ua, head| Request {
            at,
            user_agent: ua,
            head,
        };
        assert!(!is_machine(CountKind::Open, 0, &at(60_000, human, false)));
        assert!(is_machine(CountKind::Open, 0, &at(59_999, human, false)));
        assert!(!is_machine(CountKind::Click, 0, &at(30_000, human, false)));
        assert!(is_machine(CountKind::Click, 0, &at(29_999, human, false)));
        assert!(is_machine(CountKind::Open, 0, &at(1e9 as i64, human, true)));
        for ua in [
            "Mozilla/5.0",
            "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
            "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html",
            "Barracuda Sentinel (EE)",
            "Proofpoint URL Defense",
            "Mimecast-Link-Scanner",
        ] {
            assert!(machine_agent(Some(ua)), "{ua}");
        }
        assert!(machine_agent(None));
        assert!(!machine_agent(human));
    }
}
