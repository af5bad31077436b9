//! All the module's SQL, one file per entity (docs/MODULE_TEMPLATE.md).

// the editors' subscriber administration, settings and retention (S3)
pub mod admin;
pub mod admin_writes;
pub mod audience;
pub mod blocks;
pub mod campaigns;
pub mod consents;
pub mod content;
pub mod deliveries;
pub mod demo;
pub mod editor;
pub mod housekeeping;
pub mod import_write;
pub mod imports;
pub mod linkedin;
pub mod lists;
pub mod sections;
pub mod subscribers;
pub mod templates;
// bounces and complaints (S9)
pub mod bounces;
// the sending benchmark's generated subscribers (bench/nieuwsbrief.sh)
pub mod bench;
// reading statistics (S8)
pub mod stats;
// the public archive (S10)
pub mod archive;
pub mod embed;
// the API's list of campaigns and choice of template (S12)
pub mod campaign_list;
