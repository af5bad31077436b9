//! Reporting rounds in the database; opening and closing them, with their jobs and audit
//! entries, is [`crate::rounds`]'s.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::Tx;

use crate::model::rounds::Round;

const ROUND_COLUMNS: &str = "id, plan_id, name, opened_at, deadline, reminder_days, reminded_at, \
     status, created_at";

fn round_from_row(row: &sqlx::any::AnyRow) -> Result<Round, sqlx::Error> {
    Ok(Round {
        id: row.try_get("id")?,
        plan_id: row.try_get("plan_id")?,
        name: row.try_get("name")?,
        opened_at: row.try_get("opened_at")?,
        deadline: row.try_get("deadline")?,
        reminder_days: row.try_get("reminder_days")?,
        reminded_at: row.try_get("reminded_at")?,
        status: row.try_get("status")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Writes a new round (status open).
pub async fn insert(tx: &mut Tx<'_>, round: &Round, created_by: Option<&str>) -> CoreResult<()> {
    sqlx::query(
        "INSERT INTO plan_rounds (id, plan_id, name, opened_at, deadline, reminder_days, \
         status, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8)",
    )
    .bind(&round.id)
    .bind(&round.plan_id)
    .bind(&round.name)
    .bind(round.opened_at)
    .bind(&round.deadline)
    .bind(round.reminder_days)
    .bind(created_by)
    .bind(round.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Marks a round closed.
pub async fn set_closed(tx: &mut Tx<'_>, round_id: &str) -> CoreResult<()> {
    sqlx::query("UPDATE plan_rounds SET status = 'gesloten' WHERE id = $1")
        .bind(round_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Claims a round's reminder: true for the one caller that sets `reminded_at`; a second run
/// (or a second worker) finds it set and gets false.
pub async fn claim_reminder(tx: &mut Tx<'_>, round_id: &str, now: i64) -> CoreResult<bool> {
    let claimed = sqlx::query(
        "UPDATE plan_rounds SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL",
    )
    .bind(round_id)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// One round; fails with "not found" when it does not exist.
pub async fn get<'e>(executor: impl Executor<'e, Database = Any>, id: &str) -> CoreResult<Round> {
    find(executor, id)
        .await?
        .ok_or(CoreError::NotFound("ronde"))
}

/// One round, if it exists.
pub async fn find<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: &str,
) -> CoreResult<Option<Round>> {
    let row = sqlx::query(&format!(
        "SELECT {ROUND_COLUMNS} FROM plan_rounds WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(round_from_row).transpose()?)
}

/// The rounds of a plan, newest first.
pub async fn list_for_plan<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<Vec<Round>> {
    let rows = sqlx::query(&format!(
        "SELECT {ROUND_COLUMNS} FROM plan_rounds WHERE plan_id = $1 ORDER BY opened_at DESC, id"
    ))
    .bind(plan_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(round_from_row).collect::<Result<_, _>>()?)
}

/// The plan's open round (the most recently opened one, if several are open): what a progress
/// report through the item page answers.
pub async fn open_round_id<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<Option<String>> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT id FROM plan_rounds WHERE plan_id = $1 AND status = 'open' \
         ORDER BY opened_at DESC, id LIMIT 1",
    )
    .bind(plan_id)
    .fetch_optional(executor)
    .await?;
    Ok(id)
}
