//! Kwesties: issues and risks per item. (Being written.)

use steden_core::error::CoreResult;
use steden_db::Db;

/// How many kwesties of a plan are not resolved.
pub async fn open_count(db: &Db, plan_id: &str) -> CoreResult<i64> {
    let _ = (db, plan_id);
    Ok(0)
}
