//! The organisations' names, read from the core's read-only view `organisation_names`
//! (core/migrations/0006_read_views.sql) instead of its tables.

use std::collections::HashMap;

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

/// Every organisation's name by id.
pub async fn names<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<HashMap<String, String>> {
    let rows = sqlx::query("SELECT id, name FROM organisation_names")
        .fetch_all(executor)
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}
