//! Every SQL statement of the module, one file per entity (docs/MODULE_TEMPLATE.md). Reads take
//! any executor; writes take a transaction and record their audit entry in it.

pub mod adoption;
pub mod facilitators;
pub mod feed_tokens;
pub mod groups;
pub mod invariant;
pub mod joining;
pub mod mail_log;
pub mod meetings;
pub mod memberships;
pub mod plan_link;
pub mod profile;
pub mod replies;
pub mod series;
