//! The amounts of a plan in the database; [`crate::finance`] adds them up.

use sqlx::Row;
use steden_core::error::CoreResult;
use steden_db::Tx;

use crate::model::finance::{AmountRow, ItemNode};

/// A plan's items (their place in the tree) and its amount rows, read once.
pub async fn plan_rows(
    pool: &sqlx::AnyPool,
    plan_id: &str,
) -> CoreResult<(Vec<ItemNode>, Vec<AmountRow>)> {
    let rows = sqlx::query(
        "SELECT id, parent_id, code, title, depth, position FROM plan_items WHERE plan_id = $1",
    )
    .bind(plan_id)
    .fetch_all(pool)
    .await?;
    let mut nodes = Vec::with_capacity(rows.len());
    for row in &rows {
        nodes.push(ItemNode {
            id: row.try_get("id")?,
            parent_id: row.try_get("parent_id")?,
            code: row.try_get("code")?,
            title: row.try_get("title")?,
            depth: row.try_get("depth")?,
            position: row.try_get("position")?,
        });
    }
    let rows = sqlx::query(
        "SELECT item_id, year, kind, budget_type, direction, cents
         FROM plan_amounts WHERE plan_id = $1",
    )
    .bind(plan_id)
    .fetch_all(pool)
    .await?;
    let mut amounts = Vec::with_capacity(rows.len());
    for row in &rows {
        amounts.push(AmountRow {
            item_id: row.try_get("item_id")?,
            year: row.try_get("year")?,
            kind: row.try_get("kind")?,
            budget_type: row.try_get("budget_type")?,
            direction: row.try_get("direction")?,
            cents: row.try_get("cents")?,
        });
    }
    Ok((nodes, amounts))
}

/// Adds one amount row to an item (the demo content; imports write amounts in batches).
pub async fn insert_amount(tx: &mut Tx<'_>, row: &AmountRow, plan_id: &str) -> CoreResult<()> {
    sqlx::query(
        "INSERT INTO plan_amounts (item_id, plan_id, year, kind, budget_type, direction, cents)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&row.item_id)
    .bind(plan_id)
    .bind(row.year)
    .bind(&row.kind)
    .bind(&row.budget_type)
    .bind(&row.direction)
    .bind(row.cents)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
