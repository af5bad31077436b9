//! Campaigns (`nb_campaigns`) and their frozen content (`nb_campaign_links`): creating a
//! concept, reading one, and freezing it (design §3.2, §3.3). Sections and blocks, the editor's
//! writes, and the sending job's status changes build on these.

use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use crate::model::{CampaignStatus, Language};

/// The longest subject kept (mail clients show about 60 characters).
pub const SUBJECT_MAX: usize = 200;

/// A campaign as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub id: String,
    pub subject: String,
    pub preheader: String,
    pub template_id: Option<String>,
    pub language: Language,
    pub status: CampaignStatus,
    /// The slugs of the lists it goes to.
    pub lists: Vec<String>,
    pub scheduled_at: Option<i64>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub frozen_at: Option<i64>,
    pub recipients: i64,
    pub sent: i64,
    pub failed: i64,
    pub archived: bool,
    pub slug: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, subject, preheader, template_id, language, status, lists, \
                       scheduled_at, started_at, finished_at, frozen_at, recipients, sent, \
                       failed, CAST(archived AS BIGINT) AS archived, slug, created_by, \
                       created_at, updated_at";

fn from_row(row: &AnyRow) -> CoreResult<Campaign> {
    let language: String = row.get("language");
    let status: String = row.get("status");
    let lists: String = row.get("lists");
    Ok(Campaign {
        id: row.get("id"),
        subject: row.get("subject"),
        preheader: row.get("preheader"),
        template_id: row.get("template_id"),
        language: Language::parse(&language)?,
        status: CampaignStatus::parse(&status)?,
        lists: serde_json::from_str(&lists)
            .map_err(|e| CoreError::Internal(anyhow::anyhow!("nb_campaigns.lists: {e}")))?,
        scheduled_at: row.get("scheduled_at"),
        started_at: row.get("started_at"),
        finished_at: row.get("finished_at"),
        frozen_at: row.get("frozen_at"),
        recipients: row.get("recipients"),
        sent: row.get("sent"),
        failed: row.get("failed"),
        archived: steden_db::flag::from_db(row.get("archived")),
        slug: row.get("slug"),
        created_by: row.get("created_by"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    })
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<Campaign>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM nb_campaigns WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The campaign `id`; `NotFound` when there is none.
pub async fn get<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Campaign> {
    find(executor, id)
        .await?
        .ok_or(CoreError::NotFound("campagne"))
}

/// What a new concept starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCampaign {
    pub subject: String,
    pub preheader: String,
    pub template_id: Option<String>,
    pub language: Language,
    pub lists: Vec<String>,
    pub created_by: Option<String>,
}

/// Creates a concept; its id. The subject is required and bounded; every list must exist.
pub async fn create(tx: &mut Tx<'_>, new: &NewCampaign) -> CoreResult<String> {
    let subject = new.subject.trim();
    if subject.is_empty() {
        return Err(CoreError::invalid("subject", "Geef de nieuwsbrief een onderwerp."));
    }
    if subject.chars().count() > SUBJECT_MAX {
        return Err(CoreError::invalid(
            "subject",
            "Het onderwerp is te lang (hoogstens 200 tekens).",
        ));
    }
    for slug in &new.lists {
        crate::store::lists::get_by_slug(&mut **tx, slug).await?;
    }
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO nb_campaigns (id, subject, preheader, template_id, language, status, lists,
                                   created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(subject)
    .bind(new.preheader.trim())
    .bind(&new.template_id)
    .bind(new.language.as_str())
    .bind(CampaignStatus::Concept.as_str())
    .bind(serde_json::to_string(&new.lists).expect("a list of strings serialises"))
    .bind(&new.created_by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// One link of a frozen campaign, numbered from 1 in the order of the HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrozenLink {
    pub link_no: i64,
    pub url: String,
    pub section_id: Option<String>,
}

/// The rendered content of a campaign, with the slots of [`crate::frozen`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrozenContent {
    pub html: String,
    pub text: String,
    pub links: Vec<FrozenLink>,
}

/// Stores the rendered content of the concept `id` and moves it to `status` (gepland with
/// `scheduled_at`, or bezig when sent now). Only a concept can be frozen: anything else is a
/// conflict ("al gepland of verzonden"), decided by the UPDATE's condition so that two editors
/// cannot both freeze it.
pub async fn freeze(
    tx: &mut Tx<'_>,
    id: &str,
    content: &FrozenContent,
    status: CampaignStatus,
    scheduled_at: Option<i64>,
) -> CoreResult<()> {
    let now = now_ms();
    let updated = sqlx::query(
        "UPDATE nb_campaigns SET frozen_html = $1, frozen_text = $2, frozen_at = $3, status = $4,
                scheduled_at = $5, updated_at = $3
         WHERE id = $6 AND status = $7",
    )
    .bind(&content.html)
    .bind(&content.text)
    .bind(now)
    .bind(status.as_str())
    .bind(scheduled_at)
    .bind(id)
    .bind(CampaignStatus::Concept.as_str())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if updated == 0 {
        get(&mut **tx, id).await?;
        return Err(CoreError::Conflict(
            "Deze nieuwsbrief is al gepland of verzonden en kan niet meer veranderen.".into(),
        ));
    }
    for link in &content.links {
        sqlx::query(
            "INSERT INTO nb_campaign_links (campaign_id, link_no, url, section_id)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(link.link_no)
        .bind(&link.url)
        .bind(&link.section_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The frozen HTML and text of `id` (`None` while it is a concept).
pub async fn frozen<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<(String, String)>> {
    let row = sqlx::query("SELECT frozen_html, frozen_text FROM nb_campaigns WHERE id = $1")
        .bind(id)
        .fetch_optional(executor)
        .await?
        .ok_or(CoreError::NotFound("campagne"))?;
    let html: Option<String> = row.get("frozen_html");
    let text: Option<String> = row.get("frozen_text");
    Ok(html.zip(text))
}
