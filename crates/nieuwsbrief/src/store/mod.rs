//! All the module's SQL, one file per entity (docs/MODULE_TEMPLATE.md).

pub mod audience;
pub mod campaigns;
pub mod consents;
pub mod content;
pub mod lists;
pub mod subscribers;
pub mod templates;
