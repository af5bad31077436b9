//! The indicators' store under its old path: the SQL lives in `crate::store::indicators` and
//! `crate::store::measurements`, what is typed is checked in [`super::fields`]. Kept so that
//! `steden_plan::indicators::store::…` keeps working for callers outside the crate.

pub use super::fields::{
    belgian_date, parse_targets, IndicatorFields, NewMeasurement, FREQUENCIES, TARGETS_MAX,
};
pub use crate::store::indicators::{
    create, delete, find, for_item, get, list_for_plan, off_track_count, series,
    series_by_definition, update,
};
pub use crate::store::measurements::{
    add_measurement, delete_measurement, find as find_measurement, get as get_measurement,
};
