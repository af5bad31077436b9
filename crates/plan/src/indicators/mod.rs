//! Indicators linked to items: definition (name, unit, direction, baseline, targets per date,
//! source, frequency), measurements as a time series, a health computed against the straight
//! line from baseline to target, an SVG chart rendered on the server, and the comparison of an
//! indicator that several organisations share.

pub mod chart;
pub mod fields;
pub mod health;
pub mod link;
pub mod number;
pub mod pull;
pub mod source;
pub mod store;

pub use crate::model::indicators::{
    Direction, Health, Indicator, IndicatorSeries, Measurement, Target,
};
