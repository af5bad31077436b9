//! The search index's change log (`kb_index_changes`, numbered from the counter row
//! `kb_index_counter`): what [`crate::sync`] applies to each server's index.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_db::{now_ms, Tx};

pub use crate::model::index::Change;
use crate::model::IndexEntity;

/// Notes in the change log that `entity` `id` changed (created, edited or deleted). Call it in
/// the transaction of the change, so that the change and its note commit together.
pub async fn record_change(tx: &mut Tx<'_>, entity: IndexEntity, id: &str) -> CoreResult<i64> {
    // The row lock on the counter is held until commit: numbers commit in order.
    let seq: i64 = sqlx::query_scalar(
        "UPDATE kb_index_counter SET value = value + 1 WHERE id = 1 RETURNING value",
    )
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO kb_index_changes (seq, entity, entity_id, changed_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(seq)
    .bind(entity.as_str())
    .bind(id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(seq)
}

/// Removes the rows noted before `before`, always keeping the newest.
pub async fn delete_before(tx: &mut Tx<'_>, before: i64) -> CoreResult<u64> {
    let done = sqlx::query(
        "DELETE FROM kb_index_changes WHERE changed_at < $1
         AND seq < (SELECT MAX(seq) FROM kb_index_changes)",
    )
    .bind(before)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// The rows after number `seq`, in order.
pub async fn after<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    seq: i64,
) -> CoreResult<Vec<Change>> {
    let rows = sqlx::query(
        "SELECT seq, entity, entity_id FROM kb_index_changes WHERE seq > $1 ORDER BY seq",
    )
    .bind(seq)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Change {
            seq: r.get(0),
            entity: IndexEntity::parse(&r.get::<String, _>(1)),
            entity_id: r.get(2),
        })
        .collect())
}

/// The newest number handed out (0 when none).
pub async fn latest<'e, E: Executor<'e, Database = Any>>(executor: E) -> CoreResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT value FROM kb_index_counter WHERE id = 1")
            .fetch_one(executor)
            .await?,
    )
}

/// The oldest number still in the log.
pub async fn oldest<'e, E: Executor<'e, Database = Any>>(executor: E) -> CoreResult<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT MIN(seq) FROM kb_index_changes")
        .fetch_one(executor)
        .await?)
}
