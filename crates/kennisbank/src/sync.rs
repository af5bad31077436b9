//! The search index, derived from the database and kept current from it.
//!
//! Every write that changes what search shows calls [`record_change`] in its own transaction:
//! it appends a numbered row to `kb_index_changes`. Each server keeps its own index directory
//! (under the data directory) and the number of the last change it applied beside it
//! (`applied_seq`). Before every search, and every few seconds in the background, a server
//! applies the changes after that number ([`LiveIndex::sync`]): it reads the entity's current
//! state from the database and upserts it, or removes it when it is gone or no longer indexed.
//! So several servers behind a load balancer all reach the same index, and a server that
//! answers a search always includes every change committed before the search began.
//!
//! The index is rebuilt from scratch ([`LiveIndex::rebuild`]) when its directory is missing,
//! unreadable or made with another schema, when its number is ahead of the database (a restored
//! database), when the change log no longer reaches back to it, and when `steden reindex` asks
//! for it with an [`Entity::All`] change (which every running server then also applies).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;
use sqlx::Row;
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{now_ms, Db};

use crate::access::DocumentAccess;
use crate::model::{Access, DocType};
use crate::search::{Document, Query, Results, SearchError, SearchIndex};

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Document,
    Term,
    /// Rebuild everything (`steden reindex`).
    All,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Document => "document",
            Entity::Term => "term",
            Entity::All => "all",
        }
    }

    /// The index id of entity `id` ("document:…", "term:…").
    pub fn index_id(self, id: &str) -> String {
        format!("{}:{id}", self.as_str())
    }
}

/// Splits an index id into its entity and database id.
pub fn parse_index_id(index_id: &str) -> Option<(Entity, &str)> {
    let (kind, id) = index_id.split_once(':')?;
    match kind {
        "document" => Some((Entity::Document, id)),
        "term" => Some((Entity::Term, id)),
        _ => None,
    }
}

/// Notes in the change log that `entity` `id` changed (created, edited or deleted). Call it in
/// the transaction of the change, so that the change and its note commit together.
pub async fn record_change(
    conn: &mut sqlx::AnyConnection,
    entity: Entity,
    id: &str,
) -> CoreResult<i64> {
    // The row lock on the counter is held until commit: numbers commit in order.
    let seq: i64 = sqlx::query_scalar(
        "UPDATE kb_index_counter SET value = value + 1 WHERE id = 1 RETURNING value",
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO kb_index_changes (seq, entity, entity_id, changed_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(seq)
    .bind(entity.as_str())
    .bind(id)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(seq)
}

/// Asks every server to rebuild its index (what `steden reindex` records).
pub async fn request_rebuild(db: &Db) -> CoreResult<i64> {
    let mut tx = db.begin().await?;
    let seq = record_change(&mut tx, Entity::All, "*").await?;
    tx.commit().await?;
    Ok(seq)
}

/// Change log rows older than this are removed by [`prune`]; a server whose index is older
/// than what the log still holds rebuilds instead.
pub const KEEP_CHANGES_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// Removes old change log rows, always keeping the newest.
pub async fn prune(db: &Db, now: i64) -> CoreResult<u64> {
    let done = sqlx::query(
        "DELETE FROM kb_index_changes WHERE changed_at < $1
         AND seq < (SELECT MAX(seq) FROM kb_index_changes)",
    )
    .bind(now - KEEP_CHANGES_MS)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}

// ---------------------------------------------------------------------------------------------
// From the database to search documents
// ---------------------------------------------------------------------------------------------

fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn organisation_names(ids: &[String], names: &HashMap<String, String>) -> Vec<String> {
    ids.iter().filter_map(|id| names.get(id).cloned()).collect()
}

async fn all_organisation_names(db: &Db) -> CoreResult<HashMap<String, String>> {
    let rows = sqlx::query("SELECT id, name FROM organisations")
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

const DOCUMENT_COLUMNS: &str = "id, title, summary, doc_type, programme, themes, organisations, \
     period, doc_date, access, access_organisation_id, access_group_id, body_text";

fn document_from_row(row: &sqlx::any::AnyRow, names: &HashMap<String, String>) -> Document {
    let access = DocumentAccess {
        access: Access::parse(&row.get::<String, _>("access")).unwrap_or(Access::Leden),
        organisation_id: row.get("access_organisation_id"),
        group_id: row.get("access_group_id"),
    };
    let doc_type: String = row.get("doc_type");
    let date: Option<String> = row.get("doc_date");
    Document {
        id: Entity::Document.index_id(&row.get::<String, _>("id")),
        title: row.get("title"),
        summary: row.get("summary"),
        body: row.get("body_text"),
        date: date.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        kind: Some(DocType::parse(&doc_type).map_or(doc_type, |t| t.label().to_string())),
        programme: row.get("programme"),
        themes: json_list(&row.get::<String, _>("themes")),
        organisations: organisation_names(
            &json_list(&row.get::<String, _>("organisations")),
            names,
        ),
        period: row.get("period"),
        access: access.index_terms(),
    }
}

/// The facet type of glossary terms.
pub const TERM_KIND: &str = "Begrip";

fn term_from_row(row: &sqlx::any::AnyRow) -> Document {
    let synonyms = json_list(&row.get::<String, _>("synonyms"));
    let source: String = row.get("source");
    let definition: String = row.get("definition");
    Document {
        id: Entity::Term.index_id(&row.get::<String, _>("id")),
        title: row.get("term"),
        summary: synonyms.join(", "),
        body: if source.is_empty() {
            definition
        } else {
            format!("{definition} Bron: {source}.")
        },
        kind: Some(TERM_KIND.to_string()),
        access: DocumentAccess {
            access: Access::Publiek,
            organisation_id: None,
            group_id: None,
        }
        .index_terms(),
        ..Document::default()
    }
}

/// Every search document the database holds now.
pub async fn load_all(db: &Db) -> CoreResult<Vec<Document>> {
    let names = all_organisation_names(db).await?;
    let rows = sqlx::query(&format!("SELECT {DOCUMENT_COLUMNS} FROM kb_documents"))
        .fetch_all(db.pool())
        .await?;
    let mut docs: Vec<Document> = rows.iter().map(|r| document_from_row(r, &names)).collect();
    let rows = sqlx::query("SELECT id, term, definition, source, synonyms FROM kb_terms")
        .fetch_all(db.pool())
        .await?;
    docs.extend(rows.iter().map(term_from_row));
    Ok(docs)
}

/// The current search document of `entity` `id`, or `None` when it no longer exists.
/// `names` are the organisations' names by id (read once per sync, not per document).
async fn load_one(
    db: &Db,
    names: &HashMap<String, String>,
    entity: Entity,
    id: &str,
) -> CoreResult<Option<Document>> {
    match entity {
        Entity::Document => {
            let row = sqlx::query(&format!(
                "SELECT {DOCUMENT_COLUMNS} FROM kb_documents WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
            Ok(row.map(|row| document_from_row(&row, names)))
        }
        Entity::Term => {
            let row = sqlx::query(
                "SELECT id, term, definition, source, synonyms FROM kb_terms WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
            Ok(row.as_ref().map(term_from_row))
        }
        Entity::All => Ok(None),
    }
}

// ---------------------------------------------------------------------------------------------
// The live index of one server
// ---------------------------------------------------------------------------------------------

/// The file beside the index that holds the number of the last change applied.
const APPLIED_FILE: &str = "applied_seq";

/// The directory of the index under a server's data directory.
pub fn index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("kennisbank-index")
}

fn search_error(e: SearchError) -> CoreError {
    internal(e)
}

fn internal(e: impl std::fmt::Display) -> CoreError {
    CoreError::Internal(anyhow::anyhow!(e.to_string()))
}

/// One server's index and how far it has applied the change log.
pub struct LiveIndex {
    index: Arc<SearchIndex>,
    dir: Option<PathBuf>,
    /// The last change applied; the lock also keeps two syncs from running at once.
    applied: tokio::sync::Mutex<i64>,
}

/// What opening an index found and did (logged at start-up, printed by `steden reindex`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// The index was there; this many changes were applied to bring it up to date.
    CaughtUp(usize),
    /// The index was rebuilt (with this many documents) for this reason.
    Rebuilt { documents: usize, reason: String },
}

impl LiveIndex {
    /// Opens (or creates) the index in `dir` and brings it up to date with the database,
    /// rebuilding it when it is missing, damaged or out of reach of the change log.
    pub async fn open(db: &Db, dir: &Path) -> CoreResult<(LiveIndex, Opened)> {
        let had_applied = read_applied(dir);
        let opened = {
            let dir = dir.to_path_buf();
            tokio::task::spawn_blocking(move || SearchIndex::open_or_create(&dir))
                .await
                .map_err(internal)?
        };
        let (index, mut reason) = match opened {
            Ok(index) => (index, None),
            // Another process (a running server) holds the directory: not damage, so never
            // remove it; `steden reindex` tells this case apart by the Conflict.
            Err(SearchError::Index(tantivy::TantivyError::LockFailure(..))) => {
                return Err(CoreError::Conflict(format!(
                    "de zoekindex in {} is in gebruik door een ander proces",
                    dir.display()
                )));
            }
            Err(e) => {
                // A damaged index or another schema: start again from the database.
                tracing::warn!(error = %e, "zoekindex onleesbaar, wordt opnieuw opgebouwd");
                let _ = std::fs::remove_dir_all(dir);
                let dir = dir.to_path_buf();
                let index = tokio::task::spawn_blocking(move || SearchIndex::open_or_create(&dir))
                    .await
                    .map_err(internal)?
                    .map_err(search_error)?;
                (index, Some(format!("de index was onleesbaar ({e})")))
            }
        };
        let live = LiveIndex {
            index: Arc::new(index),
            dir: Some(dir.to_path_buf()),
            applied: tokio::sync::Mutex::new(had_applied.unwrap_or(0)),
        };
        let (latest, oldest) = log_bounds(db).await?;
        if reason.is_none() {
            reason = match had_applied {
                None => Some("er was nog geen index".to_string()),
                Some(applied) if applied > latest => {
                    Some("de index is nieuwer dan de databank".to_string())
                }
                Some(applied) if oldest.is_some_and(|o| o > applied + 1) => {
                    Some("de index is ouder dan het wijzigingslog".to_string())
                }
                Some(_) => None,
            };
        }
        let opened = match reason {
            Some(reason) => Opened::Rebuilt {
                documents: live.rebuild(db).await?,
                reason,
            },
            None => Opened::CaughtUp(live.sync(db).await?),
        };
        Ok((live, opened))
    }

    /// An index in memory, built from the database (tests).
    pub async fn in_memory(db: &Db) -> CoreResult<LiveIndex> {
        let live = LiveIndex {
            index: Arc::new(SearchIndex::in_memory().map_err(search_error)?),
            dir: None,
            applied: tokio::sync::Mutex::new(0),
        };
        live.rebuild(db).await?;
        Ok(live)
    }

    /// Rebuilds the whole index from the database; returns the number of documents.
    pub async fn rebuild(&self, db: &Db) -> CoreResult<usize> {
        let mut applied = self.applied.lock().await;
        // Read the log's end first: a change committed after this is applied by the next sync
        // (applying a change twice is harmless).
        let (latest, _) = log_bounds(db).await?;
        let docs = load_all(db).await?;
        let count = docs.len();
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.replace_all(&docs))
            .await
            .map_err(internal)?
            .map_err(search_error)?;
        *applied = latest;
        self.save_applied(latest)?;
        Ok(count)
    }

    /// Applies the changes committed since the last sync; returns how many entities changed.
    pub async fn sync(&self, db: &Db) -> CoreResult<usize> {
        let mut applied = self.applied.lock().await;
        let rows = sqlx::query(
            "SELECT seq, entity, entity_id FROM kb_index_changes WHERE seq > $1 ORDER BY seq",
        )
        .bind(*applied)
        .fetch_all(db.pool())
        .await?;
        let Some(last) = rows.last().map(|r| r.get::<i64, _>(0)) else {
            return Ok(0);
        };
        if rows
            .iter()
            .any(|r| r.get::<String, _>(1) == Entity::All.as_str())
        {
            drop(applied);
            return self.rebuild(db).await;
        }
        // The latest state of each entity is what counts, however often it changed.
        let mut changed: BTreeMap<String, (Entity, String)> = BTreeMap::new();
        for row in &rows {
            let entity = match row.get::<String, _>(1).as_str() {
                "document" => Entity::Document,
                "term" => Entity::Term,
                _ => continue,
            };
            let id: String = row.get(2);
            changed.insert(entity.index_id(&id), (entity, id));
        }
        let mut upserts = Vec::new();
        let mut deletes = Vec::new();
        let names = all_organisation_names(db).await?;
        for (index_id, (entity, id)) in &changed {
            match load_one(db, &names, *entity, id).await? {
                Some(doc) => upserts.push(doc),
                None => deletes.push(index_id.clone()),
            }
        }
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.apply(&upserts, &deletes))
            .await
            .map_err(internal)?
            .map_err(search_error)?;
        *applied = last;
        self.save_applied(last)?;
        Ok(changed.len())
    }

    /// Brings the index up to date, then searches it.
    pub async fn search(&self, db: &Db, query: Query) -> CoreResult<Results> {
        if let Err(e) = self.sync(db).await {
            // Searching a slightly stale index beats failing the search.
            tracing::warn!(error = %e, "zoekindex niet bijgewerkt");
        }
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.search(&query))
            .await
            .map_err(internal)?
            .map_err(search_error)
    }

    /// The number of documents in the index.
    pub fn len(&self) -> u64 {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The number of the last change applied.
    pub async fn applied(&self) -> i64 {
        *self.applied.lock().await
    }

    fn save_applied(&self, seq: i64) -> CoreResult<()> {
        let Some(dir) = &self.dir else {
            return Ok(());
        };
        let path = dir.join(APPLIED_FILE);
        let temporary = path.with_extension("tmp");
        std::fs::write(&temporary, seq.to_string())
            .and_then(|()| std::fs::rename(&temporary, &path))
            .map_err(|e| internal(format!("{}: {e}", path.display())))
    }
}

fn read_applied(dir: &Path) -> Option<i64> {
    std::fs::read_to_string(dir.join(APPLIED_FILE))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// The newest change number (0 when none) and the oldest one still in the log.
async fn log_bounds(db: &Db) -> CoreResult<(i64, Option<i64>)> {
    let latest: i64 = sqlx::query_scalar("SELECT value FROM kb_index_counter WHERE id = 1")
        .fetch_one(db.pool())
        .await?;
    let oldest: Option<i64> = sqlx::query_scalar("SELECT MIN(seq) FROM kb_index_changes")
        .fetch_one(db.pool())
        .await?;
    Ok((latest, oldest))
}

// ---------------------------------------------------------------------------------------------
// One index per data directory in this process
// ---------------------------------------------------------------------------------------------

type Registry = Mutex<HashMap<PathBuf, Arc<tokio::sync::OnceCell<Arc<LiveIndex>>>>>;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Default::default)
}

/// The index of the server whose data directory is `data_dir`, opened (and brought up to
/// date, or rebuilt) on first use. A process opens each directory once: tantivy allows one
/// writer per directory.
pub async fn shared(db: &Db, data_dir: &Path) -> CoreResult<Arc<LiveIndex>> {
    let dir = index_dir(data_dir);
    let cell = registry()
        .lock()
        .map_err(|_| internal("zoekindexregister"))?
        .entry(dir.clone())
        .or_default()
        .clone();
    let live = cell
        .get_or_try_init(|| async {
            let (live, opened) = LiveIndex::open(db, &dir).await?;
            tracing::info!(?opened, documents = live.len(), "zoekindex geopend");
            Ok::<_, CoreError>(Arc::new(live))
        })
        .await?;
    Ok(live.clone())
}
