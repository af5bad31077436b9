//! Every SQL statement of the module, one file per entity (docs/MODULE_TEMPLATE.md). Reads take
//! any executor; writes take a transaction and record their audit entry in it.

pub mod aggregation;
// cj-climate2:
pub mod climate;
pub mod cube;
// cj-link:
pub mod data_requests;
pub mod disclosure;
pub mod embed_origins;
pub mod geo;
pub mod geo_uploads;
pub mod imports;
pub mod indicators;
pub mod open_read;
// cj-link:
pub mod plan_series;
pub mod public_reads;
pub mod themes;
pub mod values;
