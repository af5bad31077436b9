//! A campaign's sections (`nb_sections`): the parts of the newsletter, in order. A new
//! campaign starts with the newsletter's usual structure ([`DEFAULT_SECTIONS`]); editors add,
//! rename, move and delete sections while the campaign is a concept. Every write first claims
//! the concept ([`claim_concept`]) in its transaction, so that it and a freeze
//! (`campaigns::freeze`, whose UPDATE has the same condition) cannot interleave.

use sqlx::Row;
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use crate::model::CampaignStatus;

/// The sections of a new campaign, in order (the jaarplan's newsletter structure).
pub const DEFAULT_SECTIONS: [&str; 6] = [
    "Aankondigingen",
    "Kennis",
    "Beleid",
    "Stadsprojecten",
    "Links",
    "Internationaal",
];

/// The longest section title.
pub const TITLE_MAX: usize = 100;

/// The refusal of any change to a campaign that is no longer a concept.
pub const FROZEN_MESSAGE: &str =
    "Deze nieuwsbrief is al gepland of verzonden en kan niet meer veranderen.";

/// The audit entity of a campaign (sections and blocks are audited on their campaign).
pub const ENTITY: &str = "nb_campaign";

/// Up or down in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    /// The form value: `omhoog` or `omlaag`.
    pub fn parse(value: &str) -> CoreResult<Direction> {
        match value {
            "omhoog" => Ok(Direction::Up),
            "omlaag" => Ok(Direction::Down),
            _ => Err(CoreError::invalid("richting", "Kies omhoog of omlaag.")),
        }
    }
}

/// Marks the campaign changed if it is a concept, and so claims it for this transaction (a
/// row lock on PostgreSQL, the write lock on SQLite); a campaign that is not a concept is a
/// conflict ([`FROZEN_MESSAGE`]), one that does not exist is not found.
pub async fn claim_concept(tx: &mut Tx<'_>, campaign_id: &str) -> CoreResult<()> {
    let updated =
        sqlx::query("UPDATE nb_campaigns SET updated_at = $1 WHERE id = $2 AND status = $3")
            .bind(now_ms())
            .bind(campaign_id)
            .bind(CampaignStatus::Concept.as_str())
            .execute(&mut **tx)
            .await?
            .rows_affected();
    if updated == 0 {
        crate::store::campaigns::get(&mut **tx, campaign_id).await?;
        return Err(CoreError::Conflict(FROZEN_MESSAGE.into()));
    }
    Ok(())
}

/// The audit entry of a change to `campaign_id`'s content.
pub(crate) async fn record(
    tx: &mut Tx<'_>,
    campaign_id: &str,
    actor: &AuditActor,
    action: &str,
    summary: &str,
    changes: Changes,
) -> CoreResult<()> {
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: campaign_id,
            action,
            summary,
            changes,
        },
    )
    .await?;
    Ok(())
}

/// A section title as typed: required, bounded, without the frozen mail's markers.
fn check_title(title: &str) -> CoreResult<String> {
    let title = crate::frozen::freeze_input(title).trim().to_string();
    if title.is_empty() {
        return Err(CoreError::invalid("title", "Geef de sectie een titel."));
    }
    if title.chars().count() > TITLE_MAX {
        return Err(CoreError::invalid(
            "title",
            "De titel van de sectie is te lang (hoogstens 100 tekens).",
        ));
    }
    Ok(title)
}

/// The title of section `section_id` of `campaign_id`; not found when it is another's.
pub async fn title_of(tx: &mut Tx<'_>, campaign_id: &str, section_id: &str) -> CoreResult<String> {
    sqlx::query_scalar("SELECT title FROM nb_sections WHERE id = $1 AND campaign_id = $2")
        .bind(section_id)
        .bind(campaign_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(CoreError::NotFound("sectie"))
}

async fn insert(tx: &mut Tx<'_>, campaign_id: &str, title: &str) -> CoreResult<String> {
    let position: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM nb_sections WHERE campaign_id = $1",
    )
    .bind(campaign_id)
    .fetch_one(&mut **tx)
    .await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO nb_sections (id, campaign_id, position, title) VALUES ($1, $2, $3, $4)",
    )
    .bind(&id)
    .bind(campaign_id)
    .bind(position)
    .bind(title)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Gives a new campaign the [`DEFAULT_SECTIONS`] (part of creating it, audited with it).
pub async fn add_defaults(tx: &mut Tx<'_>, campaign_id: &str) -> CoreResult<()> {
    for title in DEFAULT_SECTIONS {
        insert(tx, campaign_id, title).await?;
    }
    Ok(())
}

/// Adds a section at the end; its id.
pub async fn add(
    tx: &mut Tx<'_>,
    campaign_id: &str,
    title: &str,
    actor: &AuditActor,
) -> CoreResult<String> {
    let title = check_title(title)?;
    claim_concept(tx, campaign_id).await?;
    let id = insert(tx, campaign_id, &title).await?;
    let summary = format!("Sectie toegevoegd: {title}");
    let changes = Changes::new().created("section", &title);
    record(tx, campaign_id, actor, "section_add", &summary, changes).await?;
    Ok(id)
}

/// Renames a section.
pub async fn rename(
    tx: &mut Tx<'_>,
    campaign_id: &str,
    section_id: &str,
    title: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    let title = check_title(title)?;
    claim_concept(tx, campaign_id).await?;
    let old = title_of(tx, campaign_id, section_id).await?;
    sqlx::query("UPDATE nb_sections SET title = $1 WHERE id = $2")
        .bind(&title)
        .bind(section_id)
        .execute(&mut **tx)
        .await?;
    let summary = format!("Sectie hernoemd: {old} → {title}");
    let changes = Changes::new().field("section", old.as_str(), title.as_str());
    record(tx, campaign_id, actor, "section_rename", &summary, changes).await
}

/// Swaps the row `id` with its neighbour in `direction` among `ordered` (ids in order) and
/// writes every position of `table` from 1, so that gaps and ties left by deletions go.
/// Nothing changes at the edge. `table` is `nb_sections` or `nb_blocks`, never input.
pub(crate) async fn reorder(
    tx: &mut Tx<'_>,
    table: &'static str,
    mut ordered: Vec<String>,
    id: &str,
    direction: Direction,
) -> CoreResult<bool> {
    let Some(at) = ordered.iter().position(|other| other == id) else {
        return Ok(false);
    };
    let other = match direction {
        Direction::Up if at > 0 => at - 1,
        Direction::Down if at + 1 < ordered.len() => at + 1,
        _ => return Ok(false),
    };
    ordered.swap(at, other);
    let sql = format!("UPDATE {table} SET position = $1 WHERE id = $2");
    for (index, row_id) in ordered.iter().enumerate() {
        sqlx::query(&sql)
            .bind(index as i64 + 1)
            .bind(row_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(true)
}

/// Moves a section one place up or down (nothing at the edge).
pub async fn move_section(
    tx: &mut Tx<'_>,
    campaign_id: &str,
    section_id: &str,
    direction: Direction,
    actor: &AuditActor,
) -> CoreResult<()> {
    claim_concept(tx, campaign_id).await?;
    let title = title_of(tx, campaign_id, section_id).await?;
    let ordered: Vec<String> =
        sqlx::query("SELECT id FROM nb_sections WHERE campaign_id = $1 ORDER BY position, id")
            .bind(campaign_id)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|row| row.get("id"))
            .collect();
    if reorder(tx, "nb_sections", ordered, section_id, direction).await? {
        let word = if direction == Direction::Up {
            "omhoog"
        } else {
            "omlaag"
        };
        let summary = format!("Sectie {word} verplaatst: {title}");
        record(
            tx,
            campaign_id,
            actor,
            "section_move",
            &summary,
            Changes::new(),
        )
        .await?;
    }
    Ok(())
}

/// Deletes a section with its blocks.
pub async fn delete(
    tx: &mut Tx<'_>,
    campaign_id: &str,
    section_id: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    claim_concept(tx, campaign_id).await?;
    let title = title_of(tx, campaign_id, section_id).await?;
    sqlx::query("DELETE FROM nb_blocks WHERE section_id = $1")
        .bind(section_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM nb_sections WHERE id = $1")
        .bind(section_id)
        .execute(&mut **tx)
        .await?;
    let summary = format!("Sectie verwijderd: {title}");
    let changes = Changes::new().field("section", Some(title.as_str()), None);
    record(tx, campaign_id, actor, "section_delete", &summary, changes).await
}
