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
//! The glossary's synonyms, which searches apply at query time, follow the same log: they are
//! read from the database at start-up and on a rebuild, and again whenever a sync applies a
//! change of a term, so every server searches with the glossary the database holds.
//!
//! The index is rebuilt from scratch ([`LiveIndex::rebuild`]) when its directory is missing,
//! unreadable or made with another schema, when its number is ahead of the database (a restored
//! database), when the change log no longer reaches back to it, and when `steden reindex` asks
//! for it with an [`Entity::All`] change (which every running server then also applies).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::Db;

use crate::access::DocumentAccess;
use crate::model::{Access, DocType};
use crate::ports::{SearchDocument, SearchSource};
use crate::search::{Document, Query, Results, SearchError, SearchIndex};
use crate::store::index_changes;
use crate::store::index_sources::{self, IndexedDocument};
use crate::store::organisations;
use crate::store::terms::{self, Term};

/// What changed (the entity of a change log row).
pub use crate::model::IndexEntity as Entity;
/// Notes a change in the log, in the transaction of the change (see [`store::index_changes`]).
pub use crate::store::index_changes::record_change;

/// Splits an index id into its entity and database id.
pub fn parse_index_id(index_id: &str) -> Option<(Entity, &str)> {
    let (kind, id) = index_id.split_once(':')?;
    match kind {
        "document" => Some((Entity::Document, id)),
        "term" => Some((Entity::Term, id)),
        "extern" => Some((Entity::External, id)),
        _ => None,
    }
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
    let mut tx = db.begin().await?;
    let removed = index_changes::delete_before(&mut tx, now - KEEP_CHANGES_MS).await?;
    tx.commit().await?;
    Ok(removed)
}

// ---------------------------------------------------------------------------------------------
// From the database to search documents
// ---------------------------------------------------------------------------------------------

fn organisation_names(ids: &[String], names: &HashMap<String, String>) -> Vec<String> {
    ids.iter().filter_map(|id| names.get(id).cloned()).collect()
}

fn document_of(doc: IndexedDocument, names: &HashMap<String, String>) -> Document {
    Document {
        id: Entity::Document.index_id(&doc.id),
        title: doc.title,
        summary: doc.summary,
        body: doc.body,
        date: doc
            .doc_date
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        kind: Some(DocType::parse(&doc.doc_type).map_or(doc.doc_type, |t| t.label().to_string())),
        programme: doc.programme,
        themes: doc.themes,
        organisations: organisation_names(&doc.organisations, names),
        period: doc.period,
        access: doc.access.index_terms(),
    }
}

/// The facet type of glossary terms.
pub const TERM_KIND: &str = "Begrip";

fn term_document(term: Term) -> Document {
    Document {
        id: Entity::Term.index_id(&term.id),
        title: term.term,
        summary: term.synonyms.join(", "),
        body: if term.source.is_empty() {
            term.definition
        } else {
            format!("{} Bron: {}.", term.definition, term.source)
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

/// The search document of another module's public document (`source`'s [`SearchDocument`]).
fn external_document(source: &str, doc: SearchDocument) -> Document {
    Document {
        id: Entity::External.index_id(&crate::ports::external_id(source, &doc.id)),
        title: doc.title,
        summary: doc.summary,
        body: doc.body,
        date: doc.date,
        kind: Some(doc.kind),
        access: DocumentAccess {
            access: Access::Publiek,
            organisation_id: None,
            group_id: None,
        }
        .index_terms(),
        ..Document::default()
    }
}

/// The source whose key starts the external id `source:id`, and the id within it.
fn external_source<'a>(
    sources: &'a [Arc<dyn SearchSource>],
    external_id: &'a str,
) -> Option<(&'a Arc<dyn SearchSource>, &'a str)> {
    let (key, id) = external_id.split_once(':')?;
    sources
        .iter()
        .find(|source| source.key() == key)
        .map(|source| (source, id))
}

/// Another module's document `source:id` as it is now, or `None` when it is gone, no longer
/// public, or of a source this build does not have (a search hit on it is not shown).
pub async fn external_now(
    db: &Db,
    sources: &[Arc<dyn SearchSource>],
    external_id: &str,
) -> CoreResult<Option<SearchDocument>> {
    match external_source(sources, external_id) {
        Some((source, id)) => source.get(db, id).await,
        None => Ok(None),
    }
}

/// The synonym groups of the glossary: each term with its synonyms (terms without synonyms
/// give no group).
pub fn synonym_groups(terms: Vec<Term>) -> Vec<Vec<String>> {
    terms
        .into_iter()
        .filter(|t| !t.synonyms.is_empty())
        .map(|t| std::iter::once(t.term).chain(t.synonyms).collect())
        .collect()
}

/// Every search document the database holds now, with every document of `sources`.
pub async fn load_all_with(
    db: &Db,
    sources: &[Arc<dyn SearchSource>],
) -> CoreResult<Vec<Document>> {
    let mut docs = load_all(db).await?;
    for source in sources {
        let key = source.key();
        docs.extend(
            source
                .all(db)
                .await?
                .into_iter()
                .map(|doc| external_document(key, doc)),
        );
    }
    Ok(docs)
}

/// Every search document the database holds now (the Kennisbank's own).
pub async fn load_all(db: &Db) -> CoreResult<Vec<Document>> {
    let names = organisations::names(db.pool()).await?;
    let mut docs: Vec<Document> = index_sources::all_documents(db.pool())
        .await?
        .into_iter()
        .map(|d| document_of(d, &names))
        .collect();
    docs.extend(terms::list(db.pool()).await?.into_iter().map(term_document));
    Ok(docs)
}

/// The current search document of `entity` `id`, or `None` when it no longer exists.
/// `names` are the organisations' names by id (read once per sync, not per document).
async fn load_one(
    db: &Db,
    sources: &[Arc<dyn SearchSource>],
    names: &HashMap<String, String>,
    entity: Entity,
    id: &str,
) -> CoreResult<Option<Document>> {
    match entity {
        Entity::External => match external_source(sources, id) {
            Some((source, inner)) => Ok(source
                .get(db, inner)
                .await?
                .map(|doc| external_document(source.key(), doc))),
            None => Ok(None),
        },
        Entity::Document => Ok(index_sources::find_document(db.pool(), id)
            .await?
            .map(|d| document_of(d, names))),
        Entity::Term => Ok(terms::find(db.pool(), id).await?.map(term_document)),
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
    /// Other modules' public documents ([`crate::ports`]), read on a rebuild and a change.
    sources: Vec<Arc<dyn SearchSource>>,
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
        LiveIndex::open_with_sources(db, dir, Vec::new()).await
    }

    /// [`LiveIndex::open`], with the documents of `sources` in the index besides the
    /// Kennisbank's own (what a server does: the sources are the modules' ports).
    pub async fn open_with_sources(
        db: &Db,
        dir: &Path,
        sources: Vec<Arc<dyn SearchSource>>,
    ) -> CoreResult<(LiveIndex, Opened)> {
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
            sources,
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
            None => {
                // The synonyms live in memory only: read them before the first search.
                live.load_synonyms(db).await?;
                Opened::CaughtUp(live.sync(db).await?)
            }
        };
        Ok((live, opened))
    }

    /// An index in memory, built from the database (tests).
    pub async fn in_memory(db: &Db) -> CoreResult<LiveIndex> {
        LiveIndex::in_memory_with_sources(db, Vec::new()).await
    }

    /// An index in memory with the documents of `sources` (tests).
    pub async fn in_memory_with_sources(
        db: &Db,
        sources: Vec<Arc<dyn SearchSource>>,
    ) -> CoreResult<LiveIndex> {
        let live = LiveIndex {
            index: Arc::new(SearchIndex::in_memory().map_err(search_error)?),
            dir: None,
            applied: tokio::sync::Mutex::new(0),
            sources,
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
        let docs = load_all_with(db, &self.sources).await?;
        let count = docs.len();
        self.load_synonyms(db).await?;
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
        let rows = index_changes::after(db.pool(), *applied).await?;
        let Some(last) = rows.last().map(|r| r.seq) else {
            return Ok(0);
        };
        if rows.iter().any(|r| r.entity == Some(Entity::All)) {
            drop(applied);
            return self.rebuild(db).await;
        }
        // The latest state of each entity is what counts, however often it changed.
        let mut changed: BTreeMap<String, (Entity, String)> = BTreeMap::new();
        for row in rows {
            let entity = match row.entity {
                Some(entity @ (Entity::Document | Entity::Term | Entity::External)) => entity,
                _ => continue,
            };
            changed.insert(entity.index_id(&row.entity_id), (entity, row.entity_id));
        }
        let mut upserts = Vec::new();
        let mut deletes = Vec::new();
        let names = organisations::names(db.pool()).await?;
        for (index_id, (entity, id)) in &changed {
            match load_one(db, &self.sources, &names, *entity, id).await? {
                Some(doc) => upserts.push(doc),
                None => deletes.push(index_id.clone()),
            }
        }
        if changed.values().any(|(entity, _)| *entity == Entity::Term) {
            self.load_synonyms(db).await?;
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

    /// Reads the glossary's synonym groups (each term with its synonyms) from the database
    /// into the index: at start-up, on a rebuild and whenever a term changed, so that every
    /// server searches with the glossary as the database holds it.
    async fn load_synonyms(&self, db: &Db) -> CoreResult<()> {
        let groups = synonym_groups(terms::list(db.pool()).await?);
        self.index.set_synonyms(&groups).map_err(search_error)
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

    /// The other modules' sources this index reads ([`crate::ports`]).
    pub fn sources(&self) -> &[Arc<dyn SearchSource>] {
        &self.sources
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
    let latest = index_changes::latest(db.pool()).await?;
    let oldest = index_changes::oldest(db.pool()).await?;
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
/// writer per directory. `sources` are the other modules' [`SearchSource`]s (the server's
/// ports), taken by the call that opens it.
pub async fn shared(
    db: &Db,
    data_dir: &Path,
    sources: &[Arc<dyn SearchSource>],
) -> CoreResult<Arc<LiveIndex>> {
    let dir = index_dir(data_dir);
    let cell = registry()
        .lock()
        .map_err(|_| internal("zoekindexregister"))?
        .entry(dir.clone())
        .or_default()
        .clone();
    let live = cell
        .get_or_try_init(|| async {
            let (live, opened) = LiveIndex::open_with_sources(db, &dir, sources.to_vec()).await?;
            tracing::info!(?opened, documents = live.len(), "zoekindex geopend");
            Ok::<_, CoreError>(Arc::new(live))
        })
        .await?;
    Ok(live.clone())
}
