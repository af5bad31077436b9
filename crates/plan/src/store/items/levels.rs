//! An item's stored level (issue 11 point 1) and slug when it is added: the level is chosen
//! from those allowed under the parent (any level deeper than the parent's, so levels can be
//! skipped), checked here for the form and the API alike.

use std::collections::HashSet;

use super::*;

/// The plan's level names, depth 0 first.
pub(crate) async fn level_names<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT name FROM plan_levels WHERE plan_id = $1 ORDER BY depth")
            .bind(plan_id)
            .fetch_all(executor)
            .await?,
    )
}

/// The level of a new item under a parent of level `parent_level` (None: the top): `asked`
/// (the level's index or its name), or the level right below the parent's when empty.
pub fn resolve_level(
    levels: &[String],
    parent_level: Option<i64>,
    asked: &str,
) -> Result<i64, CoreError> {
    let lowest = parent_level.map_or(0, |l| l + 1);
    let count = levels.len() as i64;
    if lowest >= count {
        return Err(CoreError::invalid(
            "level",
            "Onder dit item kunnen geen items meer: het plan heeft geen dieper niveau.",
        ));
    }
    let asked = asked.trim();
    if asked.is_empty() {
        return Ok(lowest);
    }
    let level = asked.parse::<i64>().ok().or_else(|| {
        levels
            .iter()
            .position(|name| name.eq_ignore_ascii_case(asked))
            .map(|i| i as i64)
    });
    match level {
        Some(level) if (lowest..count).contains(&level) => Ok(level),
        _ => {
            let allowed: Vec<&str> = levels[lowest as usize..]
                .iter()
                .map(String::as_str)
                .collect();
            Err(CoreError::invalid(
                "level",
                &format!(
                    "Kies een niveau dat dieper ligt dan dat van het bovenliggende item: {}.",
                    allowed.join(", ")
                ),
            ))
        }
    }
}

/// A slug for a new item under `parent_id` that none of its siblings has.
pub(crate) async fn new_slug(
    tx: &mut Tx<'_>,
    plan_id: &str,
    parent_id: Option<&str>,
    title: &str,
) -> CoreResult<String> {
    let rows = sqlx::query(
        "SELECT slug, title FROM plan_items WHERE plan_id = $1
             AND COALESCE(parent_id, '') = COALESCE($2, '') ORDER BY position",
    )
    .bind(plan_id)
    .bind(parent_id)
    .fetch_all(&mut **tx)
    .await?;
    let siblings: Vec<(String, String)> = rows
        .iter()
        .map(|r| Ok((r.try_get("slug")?, r.try_get("title")?)))
        .collect::<Result<_, sqlx::Error>>()?;
    let mut taken: HashSet<String> =
        crate::slug::effective(siblings.iter().map(|(s, t)| (s.as_str(), t.as_str())))
            .into_iter()
            .collect();
    Ok(crate::slug::unique(
        &crate::slug::slugify(title),
        &mut taken,
    ))
}
