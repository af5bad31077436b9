//! The public archive of sent newsletters (design §3.8; issue 14 point 6): which campaigns are
//! in it (`nb_campaigns.archived` and `slug`), putting a campaign in it when its sending
//! finishes, and an editor taking it out or putting it back. Every change of what the archive
//! shows is noted in the Kennisbank's search change log in the same transaction
//! ([`steden_kennisbank::ports::record_external_change`]), so that the site's search follows.

use chrono::{TimeZone, Utc};
use chrono_tz::Europe::Brussels;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};
use steden_core::audit::{AuditActor, Changes};
use steden_core::error::CoreResult;
use steden_core::policy::Actor;
use steden_core::CoreError;
use steden_db::Tx;

use crate::model::CampaignStatus;

/// The key of the archive's documents in the site's search.
pub const SEARCH_SOURCE: &str = "nieuwsbrief";

/// Newsletters per page of the archive.
pub const PER_PAGE: i64 = 20;

/// A newsletter as the archive lists it. Nothing of its recipients: subject, preheader, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archived {
    pub id: String,
    pub slug: String,
    pub subject: String,
    pub preheader: String,
    pub language: String,
    /// When its sending finished (ms UTC).
    pub sent_at: i64,
}

const COLUMNS: &str = "id, slug, subject, preheader, language, finished_at";

/// The condition of a campaign the public may read.
const IN_ARCHIVE: &str = "status = 'verzonden' AND archived = 1 AND slug IS NOT NULL";

fn from_row(row: &AnyRow) -> Archived {
    let finished: Option<i64> = row.get("finished_at");
    Archived {
        id: row.get("id"),
        slug: row.get("slug"),
        subject: row.get("subject"),
        preheader: row.get("preheader"),
        language: row.get("language"),
        sent_at: finished.unwrap_or(0),
    }
}

/// Page `page` (from 1) of the archive, newest first.
pub async fn page<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    page: i64,
) -> CoreResult<Vec<Archived>> {
    let page = page.max(1);
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM nb_campaigns WHERE {IN_ARCHIVE}
         ORDER BY finished_at DESC, id DESC LIMIT $1 OFFSET $2"
    ))
    .bind(PER_PAGE)
    .bind((page - 1) * PER_PAGE)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// How many newsletters the archive holds.
pub async fn count<'e, E: Executor<'e, Database = Any>>(executor: E) -> CoreResult<i64> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM nb_campaigns WHERE {IN_ARCHIVE}"
    ))
    .fetch_one(executor)
    .await?)
}

/// Every newsletter in the archive (the search index's rebuild).
pub async fn all<'e, E: Executor<'e, Database = Any>>(executor: E) -> CoreResult<Vec<Archived>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM nb_campaigns WHERE {IN_ARCHIVE} ORDER BY finished_at DESC"
    ))
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// The archived newsletter at `slug`, when it is in the archive.
pub async fn by_slug<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    slug: &str,
) -> CoreResult<Option<Archived>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM nb_campaigns WHERE slug = $1 AND {IN_ARCHIVE}"
    ))
    .bind(slug)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(from_row))
}

/// The archived newsletter `id`, when it is in the archive.
pub async fn by_id<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<Archived>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM nb_campaigns WHERE id = $1 AND {IN_ARCHIVE}"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(from_row))
}

/// `text` as the words of an address: lower case, accents dropped, anything else a hyphen,
/// at most 60 characters.
pub fn slug_words(text: &str) -> String {
    let words: String = steden_core::slug::slug_words(text)
        .chars()
        .take(60)
        .collect();
    words.trim_end_matches('-').to_string()
}

/// The month of `ms` in Belgian time, as `2026-12`.
fn month(ms: i64) -> String {
    Utc.timestamp_millis_opt(ms)
        .single()
        .map(|t| t.with_timezone(&Brussels).format("%Y-%m").to_string())
        .unwrap_or_default()
}

/// A free address `2026-12-<subject words>` (with `-2`, `-3`, … when taken).
async fn free_slug(tx: &mut Tx<'_>, subject: &str, sent_at: i64) -> CoreResult<String> {
    let words = slug_words(subject);
    let base = if words.is_empty() {
        month(sent_at)
    } else {
        format!("{}-{words}", month(sent_at))
    };
    let mut candidate = base.clone();
    for n in 2.. {
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM nb_campaigns WHERE slug = $1")
            .bind(&candidate)
            .fetch_one(&mut **tx)
            .await?;
        if taken == 0 {
            break;
        }
        candidate = format!("{base}-{n}");
    }
    Ok(candidate)
}

/// A campaign whose sending just finished (in the transaction that made it `verzonden`): it
/// gets its address and goes into the archive (the default), and the search learns of it.
pub async fn publish_sent(tx: &mut Tx<'_>, campaign_id: &str, now: i64) -> CoreResult<()> {
    let row = sqlx::query("SELECT subject, slug FROM nb_campaigns WHERE id = $1")
        .bind(campaign_id)
        .fetch_one(&mut **tx)
        .await?;
    let subject: String = row.get("subject");
    let existing: Option<String> = row.get("slug");
    let slug = match existing {
        Some(slug) => slug,
        None => free_slug(tx, &subject, now).await?,
    };
    sqlx::query("UPDATE nb_campaigns SET archived = $1, slug = $2 WHERE id = $3")
        .bind(steden_db::flag::to_db(true))
        .bind(&slug)
        .bind(campaign_id)
        .execute(&mut **tx)
        .await?;
    steden_kennisbank::ports::record_external_change(tx, SEARCH_SOURCE, campaign_id).await?;
    Ok(())
}

/// An editor puts the sent campaign `id` in the archive (`on`) or takes it out: checked
/// against the policy, audited, and noted for the site's search, in one transaction. Only a
/// sent campaign has a place in the archive (anything else is a conflict). Returns whether it
/// changed.
pub async fn set_archived(
    tx: &mut Tx<'_>,
    who: &Actor,
    kenniscentrum_id: &str,
    id: &str,
    on: bool,
    actor: &AuditActor,
    now: i64,
) -> CoreResult<bool> {
    crate::access::require_editor(who, kenniscentrum_id)?;
    let campaign = crate::store::campaigns::get(&mut **tx, id).await?;
    if campaign.status != CampaignStatus::Verzonden {
        return Err(CoreError::Conflict(
            "Alleen een verzonden nieuwsbrief kan in het archief.".into(),
        ));
    }
    if campaign.archived == on && campaign.slug.is_some() {
        return Ok(false);
    }
    let slug = match campaign.slug.clone() {
        Some(slug) => slug,
        None => free_slug(tx, &campaign.subject, campaign.finished_at.unwrap_or(now)).await?,
    };
    sqlx::query("UPDATE nb_campaigns SET archived = $1, slug = $2, updated_at = $3 WHERE id = $4")
        .bind(steden_db::flag::to_db(on))
        .bind(&slug)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    steden_kennisbank::ports::record_external_change(tx, SEARCH_SOURCE, id).await?;
    crate::store::templates::record_audit(
        tx,
        actor,
        crate::scheduling::ENTITY,
        id,
        "archive",
        &if on {
            format!("Nieuwsbrief ‘{}’ in het archief gezet", campaign.subject)
        } else {
            format!("Nieuwsbrief ‘{}’ uit het archief gehaald", campaign.subject)
        },
        Changes::new().field("archived", campaign.archived, on),
    )
    .await?;
    Ok(true)
}
