//! All the module's SQL, one file per entity (docs/MODULE_TEMPLATE.md).

pub mod campaigns;
pub mod consents;
pub mod content;
pub mod demo;
pub mod linkedin;
pub mod lists;
pub mod subscribers;
// the editors' subscriber administration, settings and retention (S3)
pub mod admin;
pub mod admin_writes;
pub mod housekeeping;
// bounces and complaints (S9)
pub mod bounces;
