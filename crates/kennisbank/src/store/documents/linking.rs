//! Documents and the plan's structure in the database: linking the programme and werkspoor
//! texts that documents had before they were chosen from the plan ([`link_unlinked`]), and the
//! public documents of programmes and werksporen ([`public_in`]).

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_db::Db;

use super::query::{from_row, COLUMNS, FROM};
use crate::access::KENNISCENTRUM_SLUG;
use crate::model::documents::{Document, AUDIT_ENTITY};
use crate::model::IndexEntity as Entity;
use crate::store::index_changes;
use crate::structure::{Structure, PROGRAMME, WERKSPOOR};

/// Which link a list follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Programme,
    Werkspoor,
}

impl Level {
    fn column(self) -> &'static str {
        match self {
            Level::Programme => "d.programme_id",
            Level::Werkspoor => "d.werkspoor_id",
        }
    }
}

/// The newest public documents (access `publiek`) linked to any of the items `ids` at `level`,
/// at most `limit`, and how many there are in all. (Two statements: the executor is a pool.)
pub async fn public_in<'e, E: Executor<'e, Database = Any> + Copy>(
    executor: E,
    level: Level,
    ids: &[String],
    limit: i64,
) -> CoreResult<(Vec<Document>, i64)> {
    if ids.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let condition = format!(
        "d.access = 'publiek' AND {} IN ({})",
        level.column(),
        placeholders.join(", ")
    );
    let count_sql = format!("SELECT COUNT(*) FROM kb_documents d WHERE {condition}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for id in ids {
        count = count.bind(id);
    }
    let total = count.fetch_one(executor).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {condition}
         ORDER BY COALESCE(d.doc_date, '') DESC, d.updated_at DESC, d.id LIMIT {}",
        limit.max(0)
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(id);
    }
    let rows = query.fetch_all(executor).await?;
    Ok((rows.iter().map(from_row).collect(), total))
}

/// A document whose programme or werkspoor is text without a link.
struct Unlinked {
    id: String,
    title: String,
    programme: Option<String>,
    programme_id: Option<String>,
    werkspoor: Option<String>,
    werkspoor_id: Option<String>,
    doc_date: Option<String>,
}

/// The links an unlinked document gets: (programme id, title), (werkspoor id, title).
type Links = (Option<(String, String)>, Option<(String, String)>);

/// What the document's texts match in `structure`: the programme by code, else title (the plan
/// of the document's date first); the werkspoor under that programme, or — when the document
/// names no programme — anywhere, bringing its programme. A text that matches nothing stays
/// as it is ("niet gekoppeld").
fn links_for(structure: &Structure, doc: &Unlinked) -> Links {
    let date = doc.doc_date.as_deref();
    let mut programme = None;
    let programme_id = match (&doc.programme_id, &doc.programme) {
        (Some(id), _) => Some(id.clone()),
        (None, Some(text)) => structure.find(text, PROGRAMME, None, date).map(|item| {
            programme = Some((item.id.clone(), item.title.clone()));
            item.id.clone()
        }),
        (None, None) => None,
    };
    let werkspoor = match (&doc.werkspoor_id, &doc.werkspoor) {
        (None, Some(text)) => match (&programme_id, &doc.programme) {
            (Some(parent), _) => structure.find(text, WERKSPOOR, Some(parent), date),
            (None, None) => structure.find(text, WERKSPOOR, None, date),
            // An unmatched programme: its werkspoor cannot be placed either.
            (None, Some(_)) => None,
        },
        _ => None,
    };
    if let Some(item) = werkspoor {
        if programme_id.is_none() {
            if let Some(parent) = item.parent_id.as_deref().and_then(|p| structure.item(p)) {
                programme = Some((parent.id.clone(), parent.title.clone()));
            }
        }
    }
    (
        programme,
        werkspoor.map(|item| (item.id.clone(), item.title.clone())),
    )
}

/// Links the programme and werkspoor texts of documents to the published plans' items, where
/// they match (see [`links_for`]); returns how many documents were linked. Each document in
/// its own transaction with an audit entry (the old text and the item), and a note for the
/// search index (the text becomes the item's title). Idempotent, and safe on several servers
/// at once: a document changed since it was read is left for the next run.
/// Run at start-up and now and then by the module (a plan published later links then).
pub async fn link_unlinked(db: &Db) -> CoreResult<usize> {
    let structure = Structure::read(db).await?;
    if structure.is_empty() {
        return Ok(0);
    }
    let rows = sqlx::query(
        "SELECT id, title, programme, programme_id, werkspoor, werkspoor_id, doc_date
         FROM kb_documents
         WHERE (programme_id IS NULL AND programme IS NOT NULL)
            OR (werkspoor_id IS NULL AND werkspoor IS NOT NULL)
         ORDER BY id",
    )
    .fetch_all(db.pool())
    .await?;
    let documents: Vec<Unlinked> = rows
        .iter()
        .map(|r| Unlinked {
            id: r.get("id"),
            title: r.get("title"),
            programme: r.get("programme"),
            programme_id: r.get("programme_id"),
            werkspoor: r.get("werkspoor"),
            werkspoor_id: r.get("werkspoor_id"),
            doc_date: r.get("doc_date"),
        })
        .collect();
    let mut linked = 0;
    for doc in &documents {
        let links = links_for(&structure, doc);
        if links.0.is_none() && links.1.is_none() {
            continue;
        }
        if link_one(db, doc, links).await? {
            linked += 1;
        }
    }
    if linked > 0 {
        tracing::info!(
            linked,
            "documenten gekoppeld aan de structuur van het jaarplan"
        );
    }
    Ok(linked)
}

/// Writes one document's links, unless it changed since it was read; whether it did.
async fn link_one(db: &Db, doc: &Unlinked, (programme, werkspoor): Links) -> CoreResult<bool> {
    let mut tx = db.begin().await?;
    // First, so that on SQLite the transaction takes the write lock before it reads.
    index_changes::record_change(&mut tx, Entity::Document, &doc.id).await?;
    let new_programme = programme
        .as_ref()
        .map_or(doc.programme.clone(), |(_, title)| Some(title.clone()));
    let new_programme_id = programme
        .as_ref()
        .map_or(doc.programme_id.clone(), |(id, _)| Some(id.clone()));
    let new_werkspoor = werkspoor
        .as_ref()
        .map_or(doc.werkspoor.clone(), |(_, title)| Some(title.clone()));
    let new_werkspoor_id = werkspoor
        .as_ref()
        .map_or(doc.werkspoor_id.clone(), |(id, _)| Some(id.clone()));
    let done = sqlx::query(
        "UPDATE kb_documents SET programme = $2, programme_id = $3, werkspoor = $4,
             werkspoor_id = $5
         WHERE id = $1 AND COALESCE(programme, '') = $6 AND COALESCE(programme_id, '') = $7
             AND COALESCE(werkspoor, '') = $8 AND COALESCE(werkspoor_id, '') = $9",
    )
    .bind(&doc.id)
    .bind(&new_programme)
    .bind(&new_programme_id)
    .bind(&new_werkspoor)
    .bind(&new_werkspoor_id)
    .bind(doc.programme.clone().unwrap_or_default())
    .bind(doc.programme_id.clone().unwrap_or_default())
    .bind(doc.werkspoor.clone().unwrap_or_default())
    .bind(doc.werkspoor_id.clone().unwrap_or_default())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    let organisation = steden_core::org::find_by_slug(&mut *tx, KENNISCENTRUM_SLUG)
        .await?
        .map(|o| o.id);
    let placed = new_werkspoor
        .as_deref()
        .filter(|_| werkspoor.is_some())
        .map(|w| format!(", werkspoor ‘{w}’"))
        .unwrap_or_default();
    audit::record(
        &mut tx,
        NewEntry {
            actor: &AuditActor::system(),
            organisation_id: organisation.as_deref(),
            entity_type: AUDIT_ENTITY,
            entity_id: &doc.id,
            action: "link",
            summary: &format!(
                "Document ‘{}’ gekoppeld aan het jaarplan: programma ‘{}’{placed}",
                doc.title,
                new_programme.as_deref().unwrap_or("")
            ),
            changes: Changes::new()
                .field(
                    "programme",
                    doc.programme.as_deref(),
                    new_programme.as_deref(),
                )
                .field(
                    "programme_id",
                    doc.programme_id.as_deref(),
                    new_programme_id.as_deref(),
                )
                .field(
                    "werkspoor",
                    doc.werkspoor.as_deref(),
                    new_werkspoor.as_deref(),
                )
                .field(
                    "werkspoor_id",
                    doc.werkspoor_id.as_deref(),
                    new_werkspoor_id.as_deref(),
                ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
