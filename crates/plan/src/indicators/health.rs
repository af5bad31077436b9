//! Health of an indicator. (Being written: see the module documentation in `mod.rs`.)

use super::{Health, IndicatorSeries};

/// The health of the latest measurement on or before `today` ('YYYY-MM-DD'), or `None` when
/// there is no measurement or no target to judge it by.
pub fn health(series: &IndicatorSeries, today: &str) -> Option<Health> {
    let _ = (series, today);
    None
}
