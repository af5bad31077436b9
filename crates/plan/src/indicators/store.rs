//! Indicators in the database. (Being written.)

use steden_core::audit::AuditActor;
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{Db, Tx};

use super::{IndicatorSeries, Measurement};

/// A measurement as posted (a form, the API, an import).
#[derive(Debug, Clone, Default)]
pub struct NewMeasurement {
    /// As typed: 'YYYY-MM-DD' or 'dd/mm/jjjj'.
    pub measured_on: String,
    /// As typed, Belgian or plain ("1.234,5" or "1234.5").
    pub value: String,
    pub comment: String,
    pub author_name: String,
}

/// Every indicator of a plan with its series, in item code order.
pub async fn list_for_plan(db: &Db, plan_id: &str) -> CoreResult<Vec<IndicatorSeries>> {
    let _ = (db, plan_id);
    Ok(Vec::new())
}

/// Adds a measurement (and a progress update with its comment to the item's history).
pub async fn add_measurement(
    tx: &mut Tx<'_>,
    indicator_id: &str,
    measurement: &NewMeasurement,
    actor: &AuditActor,
) -> CoreResult<Measurement> {
    let _ = (tx, indicator_id, measurement, actor);
    Err(CoreError::NotFound("indicator"))
}

/// How many indicators of a plan are "niet op koers" today.
pub async fn off_track_count(db: &Db, plan_id: &str) -> CoreResult<i64> {
    let _ = (db, plan_id);
    Ok(0)
}
