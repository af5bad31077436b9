//! Importers: the parsers for the files a plan is imported from ([`bbc`], [`jaarplan`]), which
//! are pure, the reader of the plan's own XLSX export ([`own_export`]), what writes their result to a plan ([`write`]), the stored uploads
//! ([`uploads`]) and the background job that runs an import ([`jobs`]).

pub mod bbc;
pub mod jaarplan;
pub mod jobs;
pub mod own_export;
pub mod uploads;
pub mod version;
pub mod write;

pub use write::{apply, plan_bbc, plan_jaarplan, ImportPlan, ImportSummary};
