//! The demo's newsletters (issue 14 point 9, design §3.11): the issues of the two months before
//! this one, **sent through the real path**, and this month's as a concept, each in the
//! newsletter's sections (Aankondigingen, Kennis, Beleid, Stadsprojecten, Links,
//! Internationaal) with the default template, built from the other modules' demo content
//! through the item port (`steden_web::items::ItemSource`: Kennisbank documents and website
//! news, werkgroepen events, plan milestones) and Markdown blocks ([`super::texts`]).
//!
//! Why in two steps: `Module::seed_demo` runs before the server's state exists, so it has no
//! item sources and no base URL. The seed therefore only asks for the campaigns
//! ([`store::request_campaigns`], a settings row), and [`start`], called from the module's
//! `start` (after every module's demo content is in and before the job workers run), makes
//! them: in **one** transaction it claims the request ([`store::claim_campaigns`]: a second
//! start, or a second server starting at the same moment, finds it taken and makes nothing),
//! creates the three campaigns through the editor's store functions and schedules the two old
//! ones with [`scheduling::schedule`] (freeze, recipients, send job), the same code as the
//! editor's "Plannen" button. The queue's send job then sends them like any campaign, over SMTP
//! when `SMTP_URL` is set and otherwise into `./data/mail/` as `.eml` files.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate, TimeZone, Weekday};
use chrono_tz::Europe::Brussels;
use steden_core::audit::AuditActor;
use steden_db::Tx;
use steden_web::items::{ItemQuery, ItemSource, PlatformItem};
use steden_web::AppState;

use super::texts::{IssueTexts, ISSUES, MONTHS};
use crate::model::Language;
use crate::scheduling;
use crate::stats;
use crate::store::audience;
use crate::store::campaigns::NewCampaign;
use crate::store::demo as store;
use crate::store::stats::{self as stats_store, CountKind};
use crate::store::{blocks, content, editor};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The list every demo issue goes to.
const LIST: &str = "algemeen";
/// The most items read from each source.
const ITEMS_READ: usize = 30;

/// One issue of the demo: its month and, for a sent one, the moment it was planned for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The first day of its month.
    pub month: NaiveDate,
    /// Planned for (ms UTC): the first Tuesday of its month at 10:00 in Brussels; `None` for
    /// the concept.
    pub send_at: Option<i64>,
}

impl Issue {
    /// "Nieuwsbrief oktober 2026".
    pub fn subject(&self) -> String {
        format!(
            "Nieuwsbrief {} {}",
            MONTHS[self.month.month0() as usize],
            self.month.year()
        )
    }
}

/// The demo's issues seen from `today` (Brussels): the two months before this one, to send,
/// and this month's, the concept (the next issue after the last one sent).
pub fn issues(today: NaiveDate) -> [Issue; 3] {
    let this_month = today.with_day(1).expect("the first of a month exists");
    let issue = |back: u32, sent: bool| {
        let month = this_month - Months::new(back);
        Issue {
            month,
            send_at: sent.then(|| first_tuesday_at_ten(month)),
        }
    };
    [issue(2, true), issue(1, true), issue(0, false)]
}

/// The first Tuesday of `month` at 10:00 Brussels time, in ms UTC.
fn first_tuesday_at_ten(month: NaiveDate) -> i64 {
    let mut day = month;
    while day.weekday() != Weekday::Tue {
        day = day.succ_opt().expect("a day follows");
    }
    let local = day.and_hms_opt(10, 0, 0).expect("10:00 exists");
    Brussels
        .from_local_datetime(&local)
        .earliest()
        .expect("10:00 is never skipped in Brussels")
        .timestamp_millis()
}

/// Today in Brussels.
fn today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&Brussels).date_naive()
}

/// Every source's public items, oldest first, so that older issues get older items.
struct Items(HashMap<&'static str, Vec<PlatformItem>>);

impl Items {
    async fn gather(state: &AppState) -> anyhow::Result<Items> {
        let query = ItemQuery {
            limit: ITEMS_READ,
            ..ItemQuery::default()
        };
        let mut all = HashMap::new();
        for source in state.ports().all::<dyn ItemSource>() {
            let mut found = source.find(state.db(), &query).await?;
            found.reverse();
            all.insert(source.key(), found);
        }
        Ok(Items(all))
    }

    /// Up to `per_issue` items of source `key` for issue number `issue`, each once per issue:
    /// the sources' slices follow each other from issue to issue and wrap around when a
    /// source has few items.
    fn pick(&self, key: &str, issue: usize, per_issue: usize) -> Vec<&PlatformItem> {
        let Some(all) = self.0.get(key).filter(|all| !all.is_empty()) else {
            return Vec::new();
        };
        (0..per_issue.min(all.len()))
            .map(|k| &all[(issue * per_issue + k) % all.len()])
            .collect()
    }
}

/// Makes the demo campaigns when the seed asked for them and no start made them yet. For
/// `NieuwsbriefModule::start`.
pub async fn start(state: &AppState) -> anyhow::Result<()> {
    let db = state.db();
    let Some(editor_id) = store::campaigns_requested(db).await? else {
        return Ok(());
    };
    // Read before the transaction: the sources read through the pool.
    let items = Items::gather(state).await?;
    let template_id = editor::default_template(db.pool()).await?.map(|(id, _)| id);
    let actor = AuditActor::user(&editor_id);
    let mut tx = db.begin().await?;
    if !store::claim_campaigns(&mut tx, &editor_id).await? {
        tx.rollback().await?;
        return Ok(());
    }
    let mut sent = Vec::new();
    for (n, issue) in issues(today()).iter().enumerate() {
        let new = NewCampaign {
            subject: issue.subject(),
            preheader: ISSUES[n].preheader.to_string(),
            template_id: template_id.clone(),
            language: Language::Nl,
            lists: vec![LIST.to_string()],
            created_by: Some(editor_id.clone()),
        };
        let id = editor::create_campaign(&mut tx, &new, &actor).await?;
        fill(&mut tx, &id, n, &ISSUES[n], &items, &actor).await?;
        if let Some(at) = issue.send_at {
            scheduling::schedule(&mut tx, &id, at, &state.config().base_url, &actor).await?;
            sent.push(SentDemo {
                campaign_id: id,
                sent_at: at,
            });
        }
    }
    simulate_reading(&mut tx, &sent, steden_db::now_ms()).await?;
    tx.commit().await?;
    tracing::info!(
        campaigns = sent.len(),
        "demo: nieuwsbrieven gepland om te versturen"
    );
    Ok(())
}

/// Fills the default sections of campaign `id` (issue number `n`): items where a source has
/// them, Markdown where the newsletter writes its own text, so that no section is empty.
async fn fill(
    tx: &mut Tx<'_>,
    id: &str,
    n: usize,
    texts: &IssueTexts,
    items: &Items,
    actor: &AuditActor,
) -> anyhow::Result<()> {
    let sections = content::load(tx, id).await?;
    for section in &sections {
        let mut added = 0;
        let (opening, picks, fallback): (Option<&str>, Vec<&PlatformItem>, Option<&str>) =
            match section.title.as_str() {
                "Aankondigingen" => {
                    let mut picks = items.pick(source_keys::EVENTS, n, 2);
                    picks.extend(items.pick(source_keys::NEWS, n, 1));
                    (Some(texts.announcement), picks, None)
                }
                "Kennis" => (None, items.pick(source_keys::DOCUMENTS, n, 3), None),
                "Beleid" => (Some(texts.policy), Vec::new(), None),
                "Stadsprojecten" => (
                    None,
                    items.pick(source_keys::MILESTONES, n, 2),
                    Some(texts.city_projects),
                ),
                "Links" => (Some(texts.links), Vec::new(), None),
                "Internationaal" => (Some(texts.abroad), Vec::new(), None),
                _ => (None, Vec::new(), None),
            };
        if let Some(markdown) = opening {
            blocks::add_markdown(tx, id, &section.id, markdown, actor).await?;
            added += 1;
        }
        for item in picks {
            blocks::add_item(tx, id, &section.id, item, actor).await?;
            added += 1;
        }
        if added == 0 {
            if let Some(markdown) = fallback {
                blocks::add_markdown(tx, id, &section.id, markdown, actor).await?;
            }
        }
    }
    Ok(())
}

/// The keys of the item sources the demo draws from (each module's `ItemSource::key`; this
/// module does not depend on the others, so they are named here).
mod source_keys {
    /// Kennisbank documents.
    pub const DOCUMENTS: &str = "kennisbank";
    /// The website's news (Kennisbank).
    pub const NEWS: &str = "nieuws";
    /// Werkgroepen events.
    pub const EVENTS: &str = "werkgroepen";
    /// Plan milestones.
    pub const MILESTONES: &str = "plan";
}

/// A demo campaign that [`start`] scheduled, with the moment it was planned for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentDemo {
    pub campaign_id: String,
    /// ms UTC.
    pub sent_at: i64,
}

/// Reading of the demo's sent campaigns, so that the statistics pages show something real:
/// made in [`start`]'s transaction, right after the two campaigns are scheduled, so exactly
/// once (a second start claims nothing and comes nowhere near here). The counters are
/// aggregate and need no delivery, so they need not wait for the send job; no per-person
/// event is made (the managers' switch is off in the demo).
///
/// For each campaign, from a generator seeded with its position (the same figures on every
/// demo): opens by about 45 % of the recipients, most in the first two days, a quarter of them
/// Apple Mail's privacy prefetch (its bare user agent, within a minute of sending); clicks by
/// about 12 %, more on the first sections' links than on the last (so the statistics page
/// shows which sections are read), a tenth of them a link scanner within seconds of sending.
/// Each goes through [`stats::is_machine`] and the counter the pixel and the click redirect
/// write, so the demo's figures are counted as real ones are. Nothing is dated after `now`.
pub async fn simulate_reading(tx: &mut Tx<'_>, sent: &[SentDemo], now: i64) -> anyhow::Result<()> {
    const HUMAN: &str =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0";
    const APPLE_PREFETCH: &str = "Mozilla/5.0";
    const SCANNER: &str = "Mozilla/5.0 (compatible; Mimecast URL Protect)";
    const MONTH_MS: f64 = 30.0 * 24.0 * 3_600_000.0;
    for (position, campaign) in sent.iter().enumerate() {
        let mut rng = StdRng::seed_from_u64(14_000 + position as u64);
        let recipients = audience::count_recipients(&mut *tx, &[LIST.to_string()]).await?;
        let links = stats_store::links(&mut **tx, &campaign.campaign_id).await?;
        let sent_at = campaign.sent_at;
        // A reader's moment: cubing a uniform draw puts most of them in the first days.
        let reading_at = |rng: &mut StdRng| {
            let delay = 120_000 + (rng.gen::<f64>().powi(3) * MONTH_MS) as i64;
            (sent_at + delay).min(now)
        };
        for _ in 0..recipients * 45 / 100 {
            let (at, agent) = if rng.gen_bool(0.25) {
                (sent_at + rng.gen_range(2_000..50_000), APPLE_PREFETCH)
            } else {
                (reading_at(&mut rng), HUMAN)
            };
            count(
                tx,
                &campaign.campaign_id,
                CountKind::Open,
                0,
                sent_at,
                at,
                agent,
            )
            .await?;
        }
        if links.is_empty() {
            continue;
        }
        for _ in 0..recipients * 12 / 100 {
            // The smaller of two draws: the first links are chosen more often.
            let index = rng
                .gen_range(0..links.len())
                .min(rng.gen_range(0..links.len()));
            let (at, agent) = if rng.gen_bool(0.1) {
                (sent_at + rng.gen_range(1_000..20_000), SCANNER)
            } else {
                (reading_at(&mut rng), HUMAN)
            };
            let link_no = links[index].0;
            count(
                tx,
                &campaign.campaign_id,
                CountKind::Click,
                link_no,
                sent_at,
                at,
                agent,
            )
            .await?;
        }
    }
    Ok(())
}

/// One simulated request, judged and counted as the pixel or the redirect would.
async fn count(
    tx: &mut Tx<'_>,
    campaign_id: &str,
    kind: CountKind,
    link_no: i64,
    sent_at: i64,
    at: i64,
    user_agent: &str,
) -> anyhow::Result<()> {
    let request = stats::Request {
        at,
        user_agent: Some(user_agent),
        head: false,
    };
    let machine = stats::is_machine(kind, sent_at, &request);
    stats_store::increment(&mut **tx, campaign_id, kind, link_no, at, machine).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issues_are_the_two_months_before_this_one_and_this_one() {
        let [october, november, december] = issues(NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        assert_eq!(october.subject(), "Nieuwsbrief oktober 2026");
        assert_eq!(november.subject(), "Nieuwsbrief november 2026");
        assert_eq!(december.subject(), "Nieuwsbrief december 2026");
        assert_eq!(december.send_at, None);
        // 6 October 2026 is a Tuesday; 10:00 in Brussels (summer time) is 08:00 UTC.
        let october_at = chrono::DateTime::from_timestamp_millis(october.send_at.unwrap()).unwrap();
        assert_eq!(october_at.to_rfc3339(), "2026-10-06T08:00:00+00:00");
        let november_at =
            chrono::DateTime::from_timestamp_millis(november.send_at.unwrap()).unwrap();
        assert_eq!(november_at.to_rfc3339(), "2026-11-03T09:00:00+00:00");
        let [_, last_year, _] = issues(NaiveDate::from_ymd_opt(2027, 1, 31).unwrap());
        assert_eq!(last_year.subject(), "Nieuwsbrief december 2026");
    }
}
