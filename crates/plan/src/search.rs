//! Search across plans: the items (codes, titles, descriptions) of every plan the actor may
//! read ([`access::can_read`], the rule of the plan list and the API), each hit with its plan,
//! its level and its path (the codes and titles of its ancestors). The page
//! (`web::search`) and the API (`api::search`) both call [`run`].

use std::collections::HashMap;

use steden_core::error::CoreResult;
use steden_core::policy::Actor;
use steden_db::Db;

use crate::access;
use crate::model::Plan;
use crate::paths;
use crate::store;
use crate::store::search::{ItemHit, PathItem};

/// The fewest characters a search needs (spaces at either end not counted).
pub const MIN_CHARS: usize = 2;
/// The most characters a search may have.
pub const MAX_CHARS: usize = 200;
/// At most this many words are searched for; further words are ignored.
const MAX_WORDS: usize = 10;

/// Why a search cannot be run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryError {
    Empty,
    TooShort,
    TooLong,
}

impl QueryError {
    /// What to tell the user, in Dutch.
    pub fn message(self) -> String {
        match self {
            QueryError::Empty => "Typ een code of een woord om te zoeken.".to_string(),
            QueryError::TooShort => {
                format!("Typ minstens {MIN_CHARS} tekens om te zoeken.")
            }
            QueryError::TooLong => format!("Typ hoogstens {MAX_CHARS} tekens om te zoeken."),
        }
    }
}

/// A search that can be run: the text as typed (trimmed) and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub words: Vec<String>,
}

impl Query {
    pub fn parse(raw: &str) -> Result<Query, QueryError> {
        let text = raw.trim();
        let chars = text.chars().count();
        if chars == 0 {
            return Err(QueryError::Empty);
        }
        if chars < MIN_CHARS {
            return Err(QueryError::TooShort);
        }
        if chars > MAX_CHARS {
            return Err(QueryError::TooLong);
        }
        let mut words: Vec<String> = Vec::new();
        for word in text.split_whitespace() {
            let lower = word.to_lowercase();
            if !words.iter().any(|w| w.to_lowercase() == lower) && words.len() < MAX_WORDS {
                words.push(word.to_string());
            }
        }
        Ok(Query {
            text: text.split_whitespace().collect::<Vec<_>>().join(" "),
            words,
        })
    }
}

/// An ancestor on a hit's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStep {
    pub item_id: String,
    pub code: String,
    pub title: String,
}

/// One item found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub item_id: String,
    pub plan_id: String,
    pub plan_title: String,
    pub code: String,
    pub title: String,
    pub description: String,
    /// The name of the item's level in its plan.
    pub level: String,
    /// The ancestors, top first (empty for an item at the top).
    pub path: Vec<PathStep>,
    /// The item's page.
    pub url: String,
}

/// One page of hits and how many there are in all.
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub hits: Vec<Hit>,
    pub total: i64,
}

/// The plans `actor` may read, newest period first (levels not loaded).
pub async fn visible_plans(db: &Db, actor: &Actor) -> CoreResult<Vec<Plan>> {
    Ok(store::plans::list(db, None)
        .await?
        .into_iter()
        .filter(|plan| access::can_read(actor, plan))
        .collect())
}

/// The level name of a hit (the one place the search asks for it).
fn level_of(plan: &Plan, hit: &ItemHit) -> String {
    plan.level_name(hit.level).to_string()
}

/// Searches the plans `actor` may read; `limit` hits from `offset`.
pub async fn run(
    db: &Db,
    actor: &Actor,
    query: &Query,
    limit: i64,
    offset: i64,
) -> CoreResult<Results> {
    let plan_ids: Vec<String> = visible_plans(db, actor)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let pool = db.pool();
    let total = store::search::count(pool, &plan_ids, &query.words).await?;
    if total == 0 {
        return Ok(Results::default());
    }
    let found =
        store::search::page(pool, &plan_ids, &query.words, &query.text, limit, offset).await?;
    let mut plans: HashMap<String, Plan> = HashMap::new();
    for hit in &found {
        if !plans.contains_key(&hit.plan_id) {
            if let Some(plan) = store::plans::find(pool, &hit.plan_id).await? {
                plans.insert(plan.id.clone(), plan);
            }
        }
    }
    let ancestors = ancestors_of(pool, &found).await?;
    let hits = found
        .into_iter()
        .filter_map(|hit| {
            let plan = plans.get(&hit.plan_id)?;
            Some(Hit {
                level: level_of(plan, &hit),
                path: path_of(&ancestors, hit.parent_id.as_deref()),
                url: paths::item_path(&hit.plan_id, &hit.id),
                plan_title: plan.title.clone(),
                item_id: hit.id,
                plan_id: hit.plan_id,
                code: hit.code,
                title: hit.title,
                description: hit.description,
            })
        })
        .collect();
    Ok(Results { hits, total })
}

/// Every ancestor of the hits, by id (one query per level).
async fn ancestors_of(
    pool: &sqlx::AnyPool,
    hits: &[ItemHit],
) -> CoreResult<HashMap<String, PathItem>> {
    let mut known: HashMap<String, PathItem> = HashMap::new();
    let mut wanted: Vec<String> = hits.iter().filter_map(|h| h.parent_id.clone()).collect();
    while !wanted.is_empty() {
        wanted.sort();
        wanted.dedup();
        let found = store::search::path_items(pool, &wanted).await?;
        wanted = found
            .iter()
            .filter_map(|p| p.parent_id.clone())
            .filter(|id| !known.contains_key(id))
            .collect();
        for item in found {
            known.insert(item.id.clone(), item);
        }
        wanted.retain(|id| !known.contains_key(id));
    }
    Ok(known)
}

/// The path from the top down to (and including) `parent`.
fn path_of(ancestors: &HashMap<String, PathItem>, parent: Option<&str>) -> Vec<PathStep> {
    let mut path = Vec::new();
    let mut next = parent;
    while let Some(id) = next {
        let Some(item) = ancestors.get(id) else { break };
        if path.len() > 64 {
            break;
        }
        path.push(PathStep {
            item_id: item.id.clone(),
            code: item.code.clone(),
            title: item.title.clone(),
        });
        next = item.parent_id.as_deref();
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_checked_and_split() {
        assert_eq!(Query::parse("   "), Err(QueryError::Empty));
        assert_eq!(Query::parse(" a "), Err(QueryError::TooShort));
        assert_eq!(Query::parse(&"x".repeat(201)), Err(QueryError::TooLong));
        let q = Query::parse("  open   data Open ").unwrap();
        assert_eq!(q.text, "open data Open");
        assert_eq!(q.words, vec!["open".to_string(), "data".to_string()]);
    }
}
