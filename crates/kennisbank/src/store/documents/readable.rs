//! The documents a reader may open, with the access rules of [`Reader::may_open`] written as
//! SQL, so that a list is counted and paged over what the reader may see.

use sqlx::{Any, Executor};
use steden_core::error::CoreResult;

use super::query::{from_row, COLUMNS, FROM};
use crate::access::Reader;
use crate::model::documents::Document;
use crate::model::Access;

/// The SQL condition (with its values, numbered from `$1`) that limits documents to what
/// `reader` may open: the same rules as [`Reader::may_open`].
fn access_condition(reader: &Reader) -> (String, Vec<String>) {
    if reader.editor {
        return ("1 = 1".to_string(), Vec::new());
    }
    let mut clauses = vec![format!("d.access = '{}'", Access::Publiek.as_str())];
    let mut values = Vec::new();
    if reader.logged_in {
        clauses.push(format!("d.access = '{}'", Access::Leden.as_str()));
        let list = |ids: &[String], values: &mut Vec<String>| {
            let start = values.len() + 1;
            values.extend(ids.iter().cloned());
            (start..start + ids.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !reader.organisations.is_empty() {
            let ids = list(&reader.organisations, &mut values);
            clauses.push(format!(
                "(d.access = '{}' AND d.access_organisation_id IN ({ids}))",
                Access::Organisatie.as_str()
            ));
        }
        if !reader.groups.is_empty() {
            let ids = list(&reader.groups, &mut values);
            clauses.push(format!(
                "(d.access = '{}' AND d.access_group_id IN ({ids}))",
                Access::Werkgroep.as_str()
            ));
        }
    }
    (format!("({})", clauses.join(" OR ")), values)
}

/// `limit` documents from `offset` of those `reader` may open, newest date first (documents
/// without a date last), and their total. (Two statements: the executor is a pool.)
pub async fn list_readable<'e, E: Executor<'e, Database = Any> + Copy>(
    executor: E,
    reader: &Reader,
    limit: i64,
    offset: i64,
) -> CoreResult<(Vec<Document>, i64)> {
    let (condition, values) = access_condition(reader);
    let count_sql = format!("SELECT COUNT(*) FROM kb_documents d WHERE {condition}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for value in &values {
        count = count.bind(value);
    }
    let total = count.fetch_one(executor).await?;
    let n = values.len();
    let list_sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {condition}
         ORDER BY CASE WHEN d.doc_date IS NULL THEN 1 ELSE 0 END, d.doc_date DESC, d.title, d.id
         LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut list = sqlx::query(&list_sql);
    for value in &values {
        list = list.bind(value);
    }
    let rows = list.bind(limit).bind(offset).fetch_all(executor).await?;
    Ok((
        rows.iter()
            .map(from_row)
            // The SQL condition and `may_open` are the same rules; checking both costs nothing.
            .filter(|doc| reader.may_open(&doc.access()))
            .collect(),
        total,
    ))
}

/// Document `id` when `reader` may open it; one they may not open is `None`, like one that
/// does not exist.
pub async fn find_readable<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    reader: &Reader,
    id: &str,
) -> CoreResult<Option<Document>> {
    let (condition, values) = access_condition(reader);
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {condition} AND d.id = ${}",
        values.len() + 1
    );
    let mut query = sqlx::query(&sql);
    for value in &values {
        query = query.bind(value);
    }
    let row = query.bind(id).fetch_optional(executor).await?;
    Ok(row
        .as_ref()
        .map(from_row)
        .filter(|doc| reader.may_open(&doc.access())))
}
