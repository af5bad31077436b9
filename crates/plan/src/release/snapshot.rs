//! The frozen form of a plan ([`ReleaseSnapshot`]): the types live in
//! `crate::model::releases`, the reading in `crate::store::releases`; this path keeps
//! `release::snapshot::…` working.

pub use crate::model::releases::{
    AmountSnapshot, IndicatorSnapshot, ItemSnapshot, KwestieSnapshot, MeasurementSnapshot,
    PlanSnapshot, ReleaseSnapshot, TargetSnapshot, SNAPSHOT_VERSION,
};
pub use crate::store::releases::current;
