//! All the module's SQL, one file per entity (docs/MODULE_TEMPLATE.md).

pub mod campaigns;
pub mod consents;
pub mod content;
pub mod import_write;
pub mod imports;
pub mod lists;
pub mod subscribers;
