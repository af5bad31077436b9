//! The editors' writes and lists of campaigns, on top of [`super::campaigns`]: creating a
//! concept with the default sections, changing its subject, preheader, language and lists
//! (only while it is a concept), the list of campaigns with its filters, and the template a
//! new campaign starts with.

use sqlx::{Any, Executor, Row};
use steden_core::audit::{AuditActor, Changes};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::Tx;

use super::campaigns::{self, Campaign, NewCampaign, SUBJECT_MAX};
use super::sections::{self, claim_concept, record};
use crate::frozen::freeze_input;
use crate::model::{CampaignStatus, Language};

/// The longest preheader (the line a mail client shows after the subject).
pub const PREHEADER_MAX: usize = 250;

/// The campaigns a list shows at most.
pub const LIST_MAX: i64 = 200;

fn check_preheader(preheader: &str) -> CoreResult<String> {
    let preheader = freeze_input(preheader).trim().to_string();
    if preheader.chars().count() > PREHEADER_MAX {
        return Err(CoreError::invalid(
            "preheader",
            "De voorregel is te lang (hoogstens 250 tekens).",
        ));
    }
    Ok(preheader)
}

/// Creates a concept with the default sections, audited; its id.
pub async fn create_campaign(
    tx: &mut Tx<'_>,
    new: &NewCampaign,
    actor: &AuditActor,
) -> CoreResult<String> {
    let new = NewCampaign {
        subject: freeze_input(&new.subject),
        preheader: check_preheader(&new.preheader)?,
        ..new.clone()
    };
    let id = campaigns::create(tx, &new).await?;
    sections::add_defaults(tx, &id).await?;
    let summary = format!("Nieuwsbrief aangemaakt: {}", new.subject.trim());
    let changes = Changes::new()
        .created("subject", new.subject.trim())
        .created("lists", &new.lists);
    record(tx, &id, actor, "create", &summary, changes).await?;
    Ok(id)
}

/// What an editor changes about a concept besides its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub subject: String,
    pub preheader: String,
    pub language: Language,
    pub lists: Vec<String>,
}

/// Changes subject, preheader, language and lists of the concept `id`.
pub async fn update_details(
    tx: &mut Tx<'_>,
    id: &str,
    details: &Details,
    actor: &AuditActor,
) -> CoreResult<()> {
    let subject = freeze_input(&details.subject).trim().to_string();
    if subject.is_empty() {
        return Err(CoreError::invalid(
            "subject",
            "Geef de nieuwsbrief een onderwerp.",
        ));
    }
    if subject.chars().count() > SUBJECT_MAX {
        return Err(CoreError::invalid(
            "subject",
            "Het onderwerp is te lang (hoogstens 200 tekens).",
        ));
    }
    let preheader = check_preheader(&details.preheader)?;
    for slug in &details.lists {
        super::lists::get_by_slug(&mut **tx, slug).await?;
    }
    claim_concept(tx, id).await?;
    let old = campaigns::get(&mut **tx, id).await?;
    sqlx::query(
        "UPDATE nb_campaigns SET subject = $1, preheader = $2, language = $3, lists = $4
         WHERE id = $5",
    )
    .bind(&subject)
    .bind(&preheader)
    .bind(details.language.as_str())
    .bind(serde_json::to_string(&details.lists).expect("a list of strings serialises"))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let changes = Changes::new()
        .field("subject", old.subject.as_str(), subject.as_str())
        .field("preheader", old.preheader.as_str(), preheader.as_str())
        .field("language", old.language.as_str(), details.language.as_str())
        .field("lists", &old.lists, &details.lists);
    let summary = format!("Gegevens van de nieuwsbrief gewijzigd: {subject}");
    record(tx, id, actor, "update", &summary, changes).await
}

/// Which campaigns the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub status: Option<CampaignStatus>,
    /// Words of the subject (case-insensitive); empty for all.
    pub search: String,
}

/// The campaigns that match `filter`, newest first, at most [`LIST_MAX`].
pub async fn list<'e, E: Executor<'e, Database = Any> + Copy>(
    executor: E,
    filter: &ListFilter,
) -> CoreResult<Vec<Campaign>> {
    let patterns = steden_web::items::like_patterns(&filter.search);
    let mut sql = format!(
        "SELECT id FROM nb_campaigns WHERE {}",
        steden_web::items::words_condition(&["subject"], 1, patterns.len())
    );
    let next = patterns.len() + 1;
    if filter.status.is_some() {
        sql.push_str(&format!(" AND status = ${next}"));
    }
    sql.push_str(&format!(" ORDER BY created_at DESC, id LIMIT {LIST_MAX}"));
    let mut query = sqlx::query(&sql);
    for pattern in &patterns {
        query = query.bind(pattern);
    }
    if let Some(status) = filter.status {
        query = query.bind(status.as_str());
    }
    let ids: Vec<String> = query
        .fetch_all(executor)
        .await?
        .iter()
        .map(|row| row.get("id"))
        .collect();
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        found.push(campaigns::get(executor, &id).await?);
    }
    Ok(found)
}

/// The template a new campaign starts with (`is_default = 1`): its id and name, if any.
pub async fn default_template<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<Option<(String, String)>> {
    let row = sqlx::query(
        "SELECT id, name FROM nb_templates WHERE is_default = 1 ORDER BY updated_at DESC, id
         LIMIT 1",
    )
    .fetch_optional(executor)
    .await?;
    Ok(row.map(|row| (row.get("id"), row.get("name"))))
}

/// The name of template `id`, if it still exists.
pub async fn template_name<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT name FROM nb_templates WHERE id = $1")
            .bind(id)
            .fetch_optional(executor)
            .await?,
    )
}
