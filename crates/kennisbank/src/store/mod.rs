//! The module's tables, one file per part. Writes take a transaction and note search-relevant
//! changes with [`index_changes::record_change`] in it.

pub mod collections;
pub mod documents;
pub mod featured;
pub mod files;
pub mod images;
pub mod imports;
pub mod index_changes;
pub mod index_sources;
pub mod items;
pub mod organisations;
pub mod pages;
pub mod stats;
pub mod terms;

/// A slug made from `text` that no other row of `table` has ("data", "data-2", ...); a row
/// keeps its own slug (`own_id`). `table` is one of the module's own table names, never input.
pub(crate) async fn free_slug(
    tx: &mut steden_db::Tx<'_>,
    table: &'static str,
    text: &str,
    own_id: Option<&str>,
) -> steden_core::error::CoreResult<String> {
    let base = crate::model::slugify(text);
    let sql = format!("SELECT id FROM {table} WHERE slug = $1");
    let mut candidate = base.clone();
    for n in 2.. {
        let taken: Option<String> = sqlx::query_scalar(&sql)
            .bind(&candidate)
            .fetch_optional(&mut **tx)
            .await?;
        match taken {
            Some(id) if Some(id.as_str()) != own_id => candidate = format!("{base}-{n}"),
            _ => break,
        }
    }
    Ok(candidate)
}
