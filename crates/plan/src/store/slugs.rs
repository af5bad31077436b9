//! Storing the slugs of items that have none yet (see `crate::slug`): before a plan is copied
//! to the next period and before an import, so that both keep the same slugs.

use std::collections::HashMap;

use sqlx::Row;
use steden_core::error::CoreResult;
use steden_db::Tx;

/// Stores the slug of every item of the plan that has none yet (see `crate::slug`).
pub async fn fill(tx: &mut Tx<'_>, plan_id: &str) -> CoreResult<()> {
    let rows = sqlx::query(
        "SELECT id, parent_id, slug, title FROM plan_items WHERE plan_id = $1 ORDER BY position",
    )
    .bind(plan_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut groups: HashMap<Option<String>, Vec<(String, String, String)>> = HashMap::new();
    let mut missing = false;
    for row in &rows {
        let slug: String = row.try_get("slug")?;
        missing |= slug.is_empty();
        groups.entry(row.try_get("parent_id")?).or_default().push((
            row.try_get("id")?,
            slug,
            row.try_get("title")?,
        ));
    }
    if !missing {
        return Ok(());
    }
    for siblings in groups.values() {
        let slugs =
            crate::slug::effective(siblings.iter().map(|(_, s, t)| (s.as_str(), t.as_str())));
        for ((id, old, _), slug) in siblings.iter().zip(slugs) {
            if old.is_empty() {
                sqlx::query("UPDATE plan_items SET slug = $2 WHERE id = $1")
                    .bind(id)
                    .bind(&slug)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    Ok(())
}
