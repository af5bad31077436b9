//! A campaign's content as it is rendered: its sections in order, each with its blocks in
//! order (`nb_sections`, `nb_blocks`). The editor writes them; the renderer, the preview, the
//! frozen mail and the archive read them through [`load`].

use sqlx::{AnyConnection, Row};
use steden_core::error::CoreResult;

/// A block's kind (`nb_blocks.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A copy of a platform item (`steden_web::items::PlatformItem`).
    Item,
    /// Free Markdown, rendered and sanitised by the platform's Markdown renderer.
    Markdown,
}

impl BlockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Item => "item",
            BlockKind::Markdown => "markdown",
        }
    }

    pub fn parse(value: &str) -> CoreResult<BlockKind> {
        match value {
            "item" => Ok(BlockKind::Item),
            "markdown" => Ok(BlockKind::Markdown),
            _ => Err(steden_core::CoreError::invalid("kind", "Onbekend soort blok.")),
        }
    }
}

/// One block as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub id: String,
    pub section_id: String,
    pub position: i64,
    pub kind: BlockKind,
    pub source_module: Option<String>,
    pub source_id: Option<String>,
    pub title: String,
    pub summary: String,
    pub url: String,
    pub image_url: Option<String>,
    pub image_alt: String,
    pub markdown: String,
}

/// One section with its blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: String,
    pub position: i64,
    pub title: String,
    pub blocks: Vec<Block>,
}

/// The sections of `campaign_id` in order, each with its blocks in order. On one connection
/// (a transaction's, when freezing, so that what is frozen is what was read).
pub async fn load(conn: &mut AnyConnection, campaign_id: &str) -> CoreResult<Vec<Section>> {
    let section_rows = sqlx::query(
        "SELECT id, position, title FROM nb_sections WHERE campaign_id = $1
         ORDER BY position, id",
    )
    .bind(campaign_id)
    .fetch_all(&mut *conn)
    .await?;
    let block_rows = sqlx::query(
        "SELECT b.id, b.section_id, b.position, b.kind, b.source_module, b.source_id, b.title,
                b.summary, b.url, b.image_url, b.image_alt, b.markdown
         FROM nb_blocks b JOIN nb_sections s ON s.id = b.section_id
         WHERE s.campaign_id = $1 ORDER BY b.position, b.id",
    )
    .bind(campaign_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut sections: Vec<Section> = section_rows
        .iter()
        .map(|row| Section {
            id: row.get("id"),
            position: row.get("position"),
            title: row.get("title"),
            blocks: Vec::new(),
        })
        .collect();
    for row in &block_rows {
        let kind: String = row.get("kind");
        let block = Block {
            id: row.get("id"),
            section_id: row.get("section_id"),
            position: row.get("position"),
            kind: BlockKind::parse(&kind)?,
            source_module: row.get("source_module"),
            source_id: row.get("source_id"),
            title: row.get("title"),
            summary: row.get("summary"),
            url: row.get("url"),
            image_url: row.get("image_url"),
            image_alt: row.get("image_alt"),
            markdown: row.get("markdown"),
        };
        if let Some(section) = sections.iter_mut().find(|s| s.id == block.section_id) {
            section.blocks.push(block);
        }
    }
    Ok(sections)
}
