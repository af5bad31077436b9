//! A section's blocks (`nb_blocks`): a copy of a platform item (what an `ItemSource` returned:
//! title, summary, link, picture) or free Markdown. Written only while the campaign is a
//! concept (see [`super::sections::claim_concept`]), each write in the caller's transaction
//! with an audit entry on the campaign. Every text passes [`crate::frozen::freeze_input`], so
//! no block can carry the frozen mail's per-recipient markers.

use sqlx::{Any, Executor, Row};
use steden_core::audit::{AuditActor, Changes};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{new_id, Tx};
use steden_web::items::PlatformItem;

use super::content::BlockKind;
use super::sections::{self, claim_concept, record, title_of, Direction};
use crate::frozen::freeze_input;

/// The longest Markdown block (a newsletter block is a few paragraphs).
pub const MARKDOWN_MAX: usize = 5_000;

/// A Markdown text as typed: required, bounded, without markers.
fn check_markdown(text: &str) -> CoreResult<String> {
    let text = freeze_input(text).trim().to_string();
    if text.is_empty() {
        return Err(CoreError::invalid(
            "markdown",
            "Schrijf de tekst van het blok.",
        ));
    }
    if text.chars().count() > MARKDOWN_MAX {
        return Err(CoreError::invalid(
            "markdown",
            "De tekst is te lang (hoogstens 5.000 tekens).",
        ));
    }
    Ok(text)
}

/// How a block is named in the audit trail and on its buttons: an item's title, else the
/// first line of its Markdown (cut at 60 characters).
pub fn label(title: &str, markdown: &str) -> String {
    if !title.is_empty() {
        return title.to_string();
    }
    let line = markdown
        .lines()
        .map(|l| l.trim_start_matches(['#', '*', '-', '>', ' ']).trim())
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let cut: String = line.chars().take(60).collect();
    if cut.chars().count() < line.chars().count() {
        format!("{cut}…")
    } else {
        cut.to_string()
    }
}

async fn next_position(tx: &mut Tx<'_>, section_id: &str) -> CoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM nb_blocks WHERE section_id = $1",
    )
    .bind(section_id)
    .fetch_one(&mut **tx)
    .await?)
}

/// Adds a copy of `item` at the end of the section; the block's id.
pub async fn add_item(
    tx: &mut Tx<'_>,
    campaign_id: &str,
    section_id: &str,
    item: &PlatformItem,
    actor: &AuditActor,
) -> CoreResult<String> {
    claim_concept(tx, campaign_id).await?;
    let section = title_of(tx, campaign_id, section_id).await?;
    let id = new_id();
    let position = next_position(tx, section_id).await?;
    let title = freeze_input(&item.title);
    sqlx::query(
        "INSERT INTO nb_blocks (id, section_id, position, kind, source_module, source_id, title,
                               summary, url, image_url, image_alt)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(section_id)
    .bind(position)
    .bind(BlockKind::Item.as_str())
    .bind(item.source)
    .bind(&item.id)
    .bind(&title)
    .bind(freeze_input(&item.summary))
    .bind(freeze_input(&item.href))
    .bind(item.image_href.as_deref().map(freeze_input))
    .bind(freeze_input(&item.image_alt))
    .execute(&mut **tx)
    .await?;
    let summary = format!("Item toegevoegd aan {section}: {title}");
    let changes = Changes::new().created("item", format!("{}:{}", item.source, item.id));
    record(tx, campaign_id, actor, "block_add", &summary, changes).await?;
    Ok(id)
}

/// Adds a Markdown block at the end of the section; its id.
pub async fn add_markdown(
    tx: &mut Tx<'_>,
    campaign_id: &str,
    section_id: &str,
    markdown: &str,
    actor: &AuditActor,
) -> CoreResult<String> {
    let markdown = check_markdown(markdown)?;
    claim_concept(tx, campaign_id).await?;
    let section = title_of(tx, campaign_id, section_id).await?;
    let id = new_id();
    let position = next_position(tx, section_id).await?;
    sqlx::query(
        "INSERT INTO nb_blocks (id, section_id, position, kind, markdown)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(section_id)
    .bind(position)
    .bind(BlockKind::Markdown.as_str())
    .bind(&markdown)
    .execute(&mut **tx)
    .await?;
    let summary = format!(
        "Tekstblok toegevoegd aan {section}: {}",
        label("", &markdown)
    );
    let changes = Changes::new().created("markdown", &markdown);
    record(tx, campaign_id, actor, "block_add", &summary, changes).await?;
    Ok(id)
}

/// A block as the editor's pages name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockRef {
    pub section_id: String,
    pub kind: BlockKind,
    pub title: String,
    pub markdown: String,
}

/// The block `block_id` of `campaign_id`; `None` when there is none or it is another
/// campaign's.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    campaign_id: &str,
    block_id: &str,
) -> CoreResult<Option<BlockRef>> {
    let row = sqlx::query(
        "SELECT b.section_id, b.kind, b.title, b.markdown
         FROM nb_blocks b JOIN nb_sections s ON s.id = b.section_id
         WHERE b.id = $1 AND s.campaign_id = $2",
    )
    .bind(block_id)
    .bind(campaign_id)
    .fetch_optional(executor)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let kind: String = row.get("kind");
    Ok(Some(BlockRef {
        section_id: row.get("section_id"),
        kind: BlockKind::parse(&kind)?,
        title: row.get("title"),
        markdown: row.get("markdown"),
    }))
}

async fn block_of(tx: &mut Tx<'_>, campaign_id: &str, block_id: &str) -> CoreResult<BlockRef> {
    find(&mut **tx, campaign_id, block_id)
        .await?
        .ok_or(CoreError::NotFound("blok"))
}

/// Changes the text of a Markdown block (an item block is a copy: it is replaced, not edited).
pub async fn edit_markdown(
    tx: &mut Tx<'_>,
    campaign_id: &str,
    block_id: &str,
    markdown: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    let markdown = check_markdown(markdown)?;
    claim_concept(tx, campaign_id).await?;
    let block = block_of(tx, campaign_id, block_id).await?;
    let old = block.markdown;
    if block.kind != BlockKind::Markdown {
        return Err(CoreError::invalid(
            "markdown",
            "Alleen een tekstblok kan bewerkt worden.",
        ));
    }
    sqlx::query("UPDATE nb_blocks SET markdown = $1 WHERE id = $2")
        .bind(&markdown)
        .bind(block_id)
        .execute(&mut **tx)
        .await?;
    let summary = format!("Tekstblok gewijzigd: {}", label("", &markdown));
    let changes = Changes::new().field("markdown", old.as_str(), markdown.as_str());
    record(tx, campaign_id, actor, "block_edit", &summary, changes).await
}

/// Moves a block one place up or down within its section (nothing at the edge).
pub async fn move_block(
    tx: &mut Tx<'_>,
    campaign_id: &str,
    block_id: &str,
    direction: Direction,
    actor: &AuditActor,
) -> CoreResult<()> {
    claim_concept(tx, campaign_id).await?;
    let block = block_of(tx, campaign_id, block_id).await?;
    let ordered: Vec<String> =
        sqlx::query("SELECT id FROM nb_blocks WHERE section_id = $1 ORDER BY position, id")
            .bind(&block.section_id)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|row| row.get("id"))
            .collect();
    if sections::reorder(tx, "nb_blocks", ordered, block_id, direction).await? {
        let word = if direction == Direction::Up {
            "omhoog"
        } else {
            "omlaag"
        };
        let summary = format!(
            "Blok {word} verplaatst: {}",
            label(&block.title, &block.markdown)
        );
        record(
            tx,
            campaign_id,
            actor,
            "block_move",
            &summary,
            Changes::new(),
        )
        .await?;
    }
    Ok(())
}

/// Deletes a block.
pub async fn delete(
    tx: &mut Tx<'_>,
    campaign_id: &str,
    block_id: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    claim_concept(tx, campaign_id).await?;
    let block = block_of(tx, campaign_id, block_id).await?;
    sqlx::query("DELETE FROM nb_blocks WHERE id = $1")
        .bind(block_id)
        .execute(&mut **tx)
        .await?;
    let summary = format!("Blok verwijderd: {}", label(&block.title, &block.markdown));
    let changes = Changes::new().field("block", Some(block.kind.as_str()), None);
    record(tx, campaign_id, actor, "block_delete", &summary, changes).await
}
