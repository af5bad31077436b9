//! Rapporteringsrondes (reporting rounds). (Being written.)

use steden_core::error::CoreResult;
use steden_db::Db;

/// Registers the round jobs (opening mail, reminders).
pub fn register_jobs(registry: &mut steden_db::jobs::Registry) {
    let _ = registry;
}

/// How many items of a plan's open round(s) have not been updated and are past the deadline.
pub async fn late_count(db: &Db, plan_id: &str) -> CoreResult<i64> {
    let _ = (db, plan_id);
    Ok(0)
}
