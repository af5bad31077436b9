//! Summaries of a plan's items for the dashboard and the tree's filters, and the demo's owner.

use super::*;

/// A plan's items counted per status, with how many of each are prioritair and how many are
/// late on `today` ('YYYY-MM-DD').
pub async fn status_counts<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
    today: &str,
) -> CoreResult<Vec<StatusCount>> {
    let rows = sqlx::query(
        "SELECT status, COUNT(*) AS n,
             SUM(CASE WHEN prioritair = $2 THEN 1 ELSE 0 END) AS prioritair,
             SUM(CASE WHEN status = $3 OR (status <> $4 AND status <> $5
                 AND end_date IS NOT NULL AND end_date < $6) THEN 1 ELSE 0 END) AS late
         FROM plan_items WHERE plan_id = $1 AND archived_at IS NULL GROUP BY status",
    )
    .bind(plan_id)
    .bind(flag::to_db(true))
    .bind(ItemStatus::Vertraagd.as_str())
    .bind(ItemStatus::Afgerond.as_str())
    .bind(ItemStatus::Stopgezet.as_str())
    .bind(today)
    .fetch_all(executor)
    .await?;
    let mut counts = Vec::with_capacity(rows.len());
    for row in &rows {
        counts.push(StatusCount {
            status: row.try_get("status")?,
            count: row.try_get("n")?,
            prioritair: row.try_get("prioritair")?,
            late: row.try_get("late")?,
        });
    }
    Ok(counts)
}

/// A plan's current (not archived) items counted per stored level and status:
/// `(level, status, count)`. The dashboard names each level (see `web::dashboard::level_name`),
/// so that it counts "46 doelstellingen: 12 lopend, …" rather than adding programmes and werksporen to the actions.
pub async fn status_counts_per_level<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<Vec<(i64, String, i64)>> {
    let rows = sqlx::query(
        "SELECT level, status, COUNT(*) AS n FROM plan_items
         WHERE plan_id = $1 AND archived_at IS NULL
         GROUP BY level, status ORDER BY level, status",
    )
    .bind(plan_id)
    .fetch_all(executor)
    .await?;
    let mut counts = Vec::with_capacity(rows.len());
    for row in &rows {
        counts.push((
            row.try_get("level")?,
            row.try_get("status")?,
            row.try_get("n")?,
        ));
    }
    Ok(counts)
}

/// The people who own items in the plan (id, name), by name; names through the core's
/// `person_names` view.
pub async fn owner_names<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<Vec<(String, String)>> {
    let rows = sqlx::query(
        "SELECT DISTINCT u.id, u.name FROM plan_items i JOIN person_names u ON u.id = i.owner_user_id
         WHERE i.plan_id = $1 AND i.archived_at IS NULL ORDER BY u.name, u.id",
    )
    .bind(plan_id)
    .fetch_all(executor)
    .await?;
    let mut owners = Vec::with_capacity(rows.len());
    for row in &rows {
        owners.push((row.try_get("id")?, row.try_get("name")?));
    }
    Ok(owners)
}

/// The distinct stored theme lists (JSON arrays) of a plan's current (not archived) items: the
/// tree's theme filter offers only what the tree can show.
pub async fn theme_lists<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT themes FROM plan_items WHERE plan_id = $1 AND archived_at IS NULL",
    )
    .bind(plan_id)
    .fetch_all(executor)
    .await?)
}

/// Sets an item's owner without an audit entry (for the demo content only).
pub async fn set_owner_unaudited(tx: &mut Tx<'_>, item_id: &str, owner: &str) -> CoreResult<()> {
    sqlx::query("UPDATE plan_items SET owner_user_id = $2 WHERE id = $1")
        .bind(item_id)
        .bind(owner)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
