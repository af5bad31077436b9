//! The LinkedIn planner's demo: sixteen weeks up to this one, a post in each but two (so that
//! empty weeks show), each posted on its Tuesday with the figures measured a day, a week and
//! four weeks later (those already past); this week's post planned or posted, next week's a
//! concept. Through the store's own functions, as an editor would. Skipped when there are posts.

use chrono::Duration;
use steden_core::audit::AuditActor;
use steden_core::policy::Actor;
use steden_db::Db;

use crate::linkedin::{today, IsoWeek};
use crate::store::linkedin::{self as store, Figures, NewPost};

/// Topics of the Kenniscentrum's 2025 jaarplan, one per post.
const TEXTS: [&str; 14] = [
    "Hoe meten steden de impact van hun beleid? Onze werkgroep Impactmeting deelt wat werkt.",
    "Nieuw in de Kennisbank: de resultaten van de Stadsmonitor voor de dertien centrumsteden.",
    "Smart Flanders: samen werken aan open data en slimme dienstverlening in de steden.",
    "Het Lokaal Energie- en Klimaatpact: waar staan de centrumsteden met hun eigen gebouwen?",
    "Stadsgenoten: hoe bereiken steden wie recht heeft op ondersteuning maar er geen gebruik van maakt?",
    "De Reflectiegroep Europa bespreekt het Europese stedelijk beleid en wat het voor Vlaamse steden betekent.",
    "Datamaturiteit in lokale besturen: een nieuwe zelfscan voor de centrumsteden.",
    "OBMi: omgevings- en beleidsinformatie delen tussen steden, met Stad in cijfers als basis.",
    "GDPR in de praktijk: de werkgroep van functionarissen voor gegevensbescherming komt samen.",
    "Terugblik op onze studiedag over mensgericht ontwerpen van stedelijke diensten.",
    "Armoedebestrijding in de centrumsteden: de nieuwste cijfers en wat steden eraan doen.",
    "Onze masterclass voor stedelijke beleidsmakers start binnenkort met een nieuwe reeks.",
    "Risicobeheersing en organisatiebeheersing in lokale besturen: de netwerkdag komt eraan.",
    "De nieuwsbrief van deze maand is verstuurd: aankondigingen, kennis, beleid en stadsprojecten.",
];

/// Weeks (counted back from this one) without a post.
const EMPTY_WEEKS_BACK: [i64; 2] = [11, 6];

pub async fn seed(db: &Db, editor: &Actor, kenniscentrum_id: &str) -> anyhow::Result<()> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM nb_linkedin_posts")
        .fetch_one(db.pool())
        .await?;
    if existing > 0 {
        return Ok(());
    }
    let audit = AuditActor::user(editor.user_id().unwrap_or_default());
    let this_week = IsoWeek::current();
    let today = today();
    let mut tx = db.begin().await?;
    for back in (-1..=15).rev() {
        if EMPTY_WEEKS_BACK.contains(&back) {
            continue;
        }
        let week = this_week.plus(-back);
        let text = TEXTS[(back.rem_euclid(TEXTS.len() as i64)) as usize];
        let new = NewPost {
            week: week.key(),
            text: format!("{text}\n\nMeer op het Stedenplatform."),
            source: None,
        };
        let id = store::create(&mut tx, editor, kenniscentrum_id, &new, &audit).await?;
        if back < 0 {
            continue; // next week's: a concept
        }
        let tuesday = week.monday() + Duration::days(1);
        store::plan(
            &mut tx,
            editor,
            kenniscentrum_id,
            &id,
            &tuesday.to_string(),
            &audit,
        )
        .await?;
        if tuesday > today {
            continue; // planned for later this week
        }
        let url = format!(
            "https://www.linkedin.com/posts/kenniscentrum-vlaamse-steden_demo-{}",
            week.key().to_lowercase()
        );
        store::mark_posted(
            &mut tx,
            editor,
            kenniscentrum_id,
            &id,
            &url,
            &tuesday.to_string(),
            &audit,
        )
        .await?;
        // Reach differs per topic; a post keeps gaining, fast at first.
        let reach = 600 + (back * 137 % 900);
        for (after_days, share) in [(1, 55), (7, 90), (28, 100)] {
            let day = tuesday + Duration::days(after_days);
            if day > today {
                break;
            }
            let impressions = reach * share / 100;
            let figures = Figures {
                impressions,
                reactions: impressions / 40,
                reposts: impressions / 300,
                clicks: impressions / 25,
            };
            store::record_figures(
                &mut tx,
                editor,
                kenniscentrum_id,
                &id,
                &day.to_string(),
                figures,
                &audit,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
