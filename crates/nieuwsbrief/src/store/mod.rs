//! All the module's SQL, one file per entity (docs/MODULE_TEMPLATE.md).

pub mod blocks;
pub mod campaigns;
pub mod consents;
pub mod content;
pub mod editor;
pub mod lists;
pub mod sections;
pub mod subscribers;
