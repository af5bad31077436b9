//! Every SQL statement of the module, one file per entity (docs/MODULE_TEMPLATE.md). Reads take
//! any executor; writes take a transaction and record their audit entry in it.

pub mod aggregation;
pub mod cube;
pub mod geo;
pub mod imports;
pub mod indicators;
pub mod themes;
pub mod values;
