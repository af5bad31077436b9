//! The site's plan (the published jaarplan) and what the programme pages build from it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use steden_core::error::CoreResult;
use steden_db::Db;
use steden_plan::site::{PublishedItem, PublishedPlan};

use super::shared::SITE_PLAN_SETTING;
use crate::access;
use crate::store::documents::{self, Level};
use crate::structure::Structure;

// The site's plan

/// The plan the site's programme pages show: the one named in the setting when it is
/// published, else the newest published jaarplan of the Kenniscentrum; `None` when nothing is
/// published.
///
/// Every public page needs it, and building it reads and walks the whole plan, so the result
/// is kept in memory. The database stays the only source of truth: the cache is keyed by the
/// plan data's version (bumped by triggers in the same transaction as every change to a plan,
/// see `steden_plan::site::data_version`), the setting and the Kenniscentrum's id, all read on
/// every request (three primary-key lookups), so a change made through any server sharing the
/// database is seen by the next request on every other one.
pub async fn site_plan(db: &Db) -> CoreResult<Option<Arc<PublishedPlan>>> {
    let key = cache_key(db).await?;
    if let Some(hit) = cached(&key) {
        return Ok(hit.plan);
    }
    let plan = load_site_plan(db, key.setting.as_deref(), &key.kenniscentrum)
        .await?
        .map(Arc::new);
    let entry = Entry {
        plan: plan.clone(),
        structure: None,
    };
    store_cached(key, entry);
    Ok(plan)
}

/// The published structure (programmes and werksporen of every published plan, for the
/// lineage of documents on programme and werkspoor pages), cached like [`site_plan`] and under
/// the same key: it is built from plans and items only, whose every change bumps the plan data
/// version. Reading it from the database took a query per published plan on every page view
/// (the werkspoor page answered ~900 requests/s in bench/run.sh).
pub async fn site_structure(db: &Db) -> CoreResult<Arc<Structure>> {
    let key = cache_key(db).await?;
    let hit = cached(&key);
    if let Some(structure) = hit.as_ref().and_then(|entry| entry.structure.clone()) {
        return Ok(structure);
    }
    let structure = Arc::new(Structure::read(db).await?);
    let plan = match hit {
        Some(entry) => entry.plan,
        None => load_site_plan(db, key.setting.as_deref(), &key.kenniscentrum)
            .await?
            .map(Arc::new),
    };
    store_cached(
        key,
        Entry {
            plan,
            structure: Some(structure.clone()),
        },
    );
    Ok(structure)
}

/// The key of the site's cache, read from the database on every request.
async fn cache_key(db: &Db) -> CoreResult<CacheKey> {
    let version = steden_plan::site::data_version(db).await?;
    let setting = steden_core::settings::get(db, SITE_PLAN_SETTING).await?;
    let kenniscentrum = access::kenniscentrum_id(db).await?;
    Ok(CacheKey {
        version,
        setting,
        kenniscentrum,
    })
}

async fn load_site_plan(
    db: &Db,
    setting: Option<&str>,
    kenniscentrum: &str,
) -> CoreResult<Option<PublishedPlan>> {
    if let Some(id) = setting {
        if let Some(plan) = steden_plan::site::published_plan(db, id.trim()).await? {
            return Ok(Some(plan));
        }
    }
    let plans = steden_plan::site::published_plans(db, kenniscentrum, "jaarplan").await?;
    match plans.first() {
        Some(plan) => steden_plan::site::published_plan(db, &plan.id).await,
        None => Ok(None),
    }
}

/// What the site's plan was built from; equal keys give the same plan.
#[derive(Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    version: steden_plan::site::DataVersion,
    setting: Option<String>,
    kenniscentrum: String,
}

/// What is cached per key: the site's plan, and the structure once a page has asked for it.
#[derive(Clone)]
struct Entry {
    plan: Option<Arc<PublishedPlan>>,
    structure: Option<Arc<Structure>>,
}

type PlanCache = HashMap<CacheKey, Entry>;

/// One entry per database in practice (a process serves one; tests open many, hence the
/// bound). A stale entry is never read again once the version has moved on; it is dropped
/// when its database's next entry is stored.
static CACHE: Mutex<Option<PlanCache>> = Mutex::new(None);
const CACHE_ENTRIES: usize = 16;

fn cached(key: &CacheKey) -> Option<Entry> {
    let cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    cache.as_ref()?.get(key).cloned()
}

fn store_cached(key: CacheKey, entry: Entry) {
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    let map = cache.get_or_insert_with(HashMap::new);
    map.retain(|k, _| k.version.token != key.version.token);
    if map.len() >= CACHE_ENTRIES {
        map.clear();
    }
    map.insert(key, entry);
}

/// The name of the plan's level with index `level` (an item's stored level; the deepest for
/// anything below).
pub(super) fn level_name(plan: &PublishedPlan, level: i64) -> String {
    let index = usize::try_from(level).unwrap_or(0);
    plan.levels
        .get(index)
        .or(plan.levels.last())
        .cloned()
        .unwrap_or_default()
}

pub(super) fn children<'a>(plan: &'a PublishedPlan, parent: &str) -> Vec<&'a PublishedItem> {
    plan.items
        .iter()
        .filter(|i| i.parent_id.as_deref() == Some(parent))
        .collect()
}

/// An item of the plan as the site shows it (only published fields are filled).
pub struct NodeView {
    pub code: String,
    /// An id for the item's heading ("kb-" and its code, letters and digits only).
    pub anchor: String,
    pub title: String,
    pub level: String,
    pub description: Option<String>,
    pub status: Option<String>,
    pub status_label: String,
    pub status_icon: &'static str,
    pub progress: Option<i64>,
    pub href: Option<String>,
    /// Depth below the item the page lists (1 = a direct child), for indentation of actions.
    pub indent: i64,
}

pub(super) fn status_icon(status: &str) -> &'static str {
    match status {
        "lopend" => "play",
        "vertraagd" => "clock",
        "afgerond" => "check",
        "stopgezet" => "stop",
        _ => "circle",
    }
}

pub(super) fn node(
    plan: &PublishedPlan,
    item: &PublishedItem,
    href: Option<String>,
    indent: i64,
) -> NodeView {
    NodeView {
        code: item.code.clone(),
        anchor: format!(
            "kb-{}",
            item.code
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect::<String>()
        ),
        title: item.title.clone(),
        level: level_name(plan, item.level),
        description: item.description.clone().filter(|d| !d.trim().is_empty()),
        status_label: item
            .status
            .map(steden_plan::site::status_label)
            .unwrap_or_default()
            .to_string(),
        status_icon: item.status.map(status_icon).unwrap_or("circle"),
        status: item.status.map(str::to_string),
        progress: item.progress,
        href,
        indent,
    }
}

/// Everything below `parent`, in tree order, with its depth below `parent`.
pub(super) fn descendants(plan: &PublishedPlan, parent: &PublishedItem) -> Vec<NodeView> {
    fn walk(plan: &PublishedPlan, id: &str, indent: i64, out: &mut Vec<NodeView>) {
        for child in children(plan, id) {
            out.push(node(plan, child, None, indent));
            walk(plan, &child.id, indent + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(plan, &parent.id, 1, &mut out);
    out
}

/// A doelstelling (or whatever the level below the werkspoor is called) with what is below it.
pub struct GoalView {
    pub goal: NodeView,
    pub actions: Vec<NodeView>,
}

pub(super) fn goals(plan: &PublishedPlan, werkspoor: &PublishedItem) -> Vec<GoalView> {
    children(plan, &werkspoor.id)
        .into_iter()
        .map(|goal| GoalView {
            goal: node(plan, goal, None, 0),
            actions: descendants(plan, goal),
        })
        .collect()
}

pub struct TrackView {
    pub track: NodeView,
    pub goals: Vec<GoalView>,
}

/// A public Kennisbank document in a short list.
pub struct DocumentLink {
    pub title: String,
    pub href: String,
    pub doc_type: String,
    pub date: String,
}

/// How many documents a programme or werkspoor page lists.
const ITEM_DOCUMENTS: i64 = 10;

/// The public documents filed under a programme or werkspoor of the plan (`level` says
/// which) or under the same item in an earlier period ([`Structure::lineage`]), newest first:
/// at most [`ITEM_DOCUMENTS`], and how many there are.
pub(super) async fn item_documents(
    db: &Db,
    level: Level,
    item_id: &str,
) -> CoreResult<(Vec<DocumentLink>, i64)> {
    let ids = site_structure(db).await?.lineage(item_id);
    let (docs, total) = documents::public_in(db.pool(), level, &ids, ITEM_DOCUMENTS).await?;
    let links = docs
        .into_iter()
        .map(|doc| DocumentLink {
            href: doc.href(),
            doc_type: doc.doc_type.label().to_string(),
            date: doc
                .doc_date
                .as_deref()
                .and_then(steden_core::time::parse_date)
                .map(steden_core::time::format_naive_date)
                .unwrap_or_default(),
            title: doc.title,
        })
        .collect();
    Ok((links, total))
}

// ---------------------------------------------------------------------------------------------
