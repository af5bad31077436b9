//! Searching items by code, title and description across plans (see [`crate::search`], which
//! decides which plans a user may search).
//!
//! Portable matching: every word must occur in the code, the title or the description, compared
//! in lower case (`LOWER(..) LIKE` with the wildcards of the word escaped). `LOWER` folds only
//! ASCII letters on SQLite (and under a C collation on PostgreSQL), so a word with other letters
//! is also compared as typed, capitalised and in capitals (`Één`, `ÉÉN`). An exact code comes
//! first, then codes that start with the query, then titles that hold it, then the rest.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

/// One matching item, as the search needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemHit {
    pub id: String,
    pub plan_id: String,
    pub parent_id: Option<String>,
    pub depth: i64,
    /// The stored level (index into the plan's levels).
    pub level: i64,
    pub code: String,
    pub title: String,
    pub description: String,
}

/// An ancestor on the path of a hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathItem {
    pub id: String,
    pub parent_id: Option<String>,
    pub code: String,
    pub title: String,
}

/// The word with LIKE's wildcards (and the escape character `\`) escaped.
fn escape_like(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `%word%` for LIKE with `\` as escape character.
fn contains_pattern(word: &str) -> String {
    format!("%{}%", escape_like(word))
}

/// The forms of a word to compare with: lower case (against `LOWER(column)`), and for a word
/// with non-ASCII letters also capitalised and in capitals (against the column as stored).
fn word_forms(word: &str) -> (String, Vec<String>) {
    let lower = word.to_lowercase();
    let mut exact = Vec::new();
    if !lower.is_ascii() {
        let mut chars = lower.chars();
        if let Some(first) = chars.next() {
            let capitalised: String = first.to_uppercase().chain(chars).collect();
            exact.push(capitalised);
        }
        let upper = word.to_uppercase();
        if !exact.contains(&upper) {
            exact.push(upper);
        }
    }
    (lower, exact)
}

/// The WHERE clause over `i` (items) for the plans and words, with its bound values in order
/// (placeholders from `$1`).
fn where_clause(plan_ids: &[String], words: &[String]) -> (String, Vec<String>) {
    let mut binds: Vec<String> = Vec::new();
    let placeholder = |binds: &mut Vec<String>, value: String| {
        binds.push(value);
        format!("${}", binds.len())
    };
    let plans: Vec<String> = plan_ids
        .iter()
        .map(|id| placeholder(&mut binds, id.clone()))
        .collect();
    // Archived items (no longer in the current text, issue 11 point 2) are history, not hits.
    let mut sql = format!(
        "i.plan_id IN ({}) AND i.archived_at IS NULL",
        plans.join(", ")
    );
    for word in words {
        let (lower, exact) = word_forms(word);
        let p = placeholder(&mut binds, contains_pattern(&lower));
        let mut alternatives: Vec<String> = ["i.code", "i.title", "i.description"]
            .iter()
            .map(|col| format!("LOWER({col}) LIKE {p} ESCAPE '\\'"))
            .collect();
        for form in exact {
            let p = placeholder(&mut binds, contains_pattern(&form));
            alternatives.extend(
                ["i.title", "i.description"]
                    .iter()
                    .map(|col| format!("{col} LIKE {p} ESCAPE '\\'")),
            );
        }
        sql.push_str(&format!(" AND ({})", alternatives.join(" OR ")));
    }
    (sql, binds)
}

/// How many items of the plans match all words.
pub async fn count<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_ids: &[String],
    words: &[String],
) -> CoreResult<i64> {
    if plan_ids.is_empty() || words.is_empty() {
        return Ok(0);
    }
    let (clause, binds) = where_clause(plan_ids, words);
    let sql = format!("SELECT COUNT(*) FROM plan_items i WHERE {clause}");
    let mut query = sqlx::query_scalar::<_, i64>(&sql);
    for value in &binds {
        query = query.bind(value);
    }
    Ok(query.fetch_one(executor).await?)
}

/// One page of the items of the plans that match all words, best first: the exact code
/// (`query`, the whole search in lower case), codes starting with it, titles holding it, the
/// rest; then newest plan first, higher levels first, by code.
pub async fn page<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_ids: &[String],
    words: &[String],
    query: &str,
    limit: i64,
    offset: i64,
) -> CoreResult<Vec<ItemHit>> {
    if plan_ids.is_empty() || words.is_empty() {
        return Ok(Vec::new());
    }
    let (clause, mut binds) = where_clause(plan_ids, words);
    let lower = query.to_lowercase();
    binds.push(lower.clone());
    let exact = binds.len();
    binds.push(format!("{}%", escape_like(&lower)));
    let prefix = binds.len();
    binds.push(contains_pattern(&lower));
    let in_title = binds.len();
    let sql = format!(
        "SELECT i.id, i.plan_id, i.parent_id, i.depth, i.level, i.code, i.title, i.description, \
           CASE WHEN LOWER(i.code) = ${exact} THEN 0 \
                WHEN LOWER(i.code) LIKE ${prefix} ESCAPE '\\' THEN 1 \
                WHEN LOWER(i.title) LIKE ${in_title} ESCAPE '\\' THEN 2 \
                ELSE 3 END AS search_rank \
         FROM plan_items i JOIN plan_plans p ON p.id = i.plan_id \
         WHERE {clause} \
         ORDER BY search_rank, p.period_start DESC, p.title, p.id, i.depth, i.code, i.id \
         LIMIT {limit} OFFSET {offset}",
        limit = limit.max(0),
        offset = offset.max(0),
    );
    let mut sql_query = sqlx::query(&sql);
    for value in &binds {
        sql_query = sql_query.bind(value);
    }
    let rows = sql_query.fetch_all(executor).await?;
    rows.iter()
        .map(|row| {
            Ok(ItemHit {
                id: row.try_get("id")?,
                plan_id: row.try_get("plan_id")?,
                parent_id: row.try_get("parent_id")?,
                depth: row.try_get("depth")?,
                level: row.try_get("level")?,
                code: row.try_get("code")?,
                title: row.try_get("title")?,
                description: row.try_get("description")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// The items with these ids (for the paths of hits), in no particular order.
pub async fn path_items(pool: &sqlx::AnyPool, ids: &[String]) -> CoreResult<Vec<PathItem>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT id, parent_id, code, title FROM plan_items WHERE id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(id);
    }
    let rows = query.fetch_all(pool).await?;
    rows.iter()
        .map(|row| {
            Ok(PathItem {
                id: row.try_get("id")?,
                parent_id: row.try_get("parent_id")?,
                code: row.try_get("code")?,
                title: row.try_get("title")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_are_escaped() {
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn non_ascii_words_are_also_compared_as_stored() {
        assert_eq!(word_forms("WONEN"), ("wonen".to_string(), vec![]));
        let (lower, exact) = word_forms("één");
        assert_eq!(lower, "één");
        assert_eq!(exact, vec!["Één".to_string(), "ÉÉN".to_string()]);
    }
}
