//! The module's tables, one file per part. Writes take a transaction and note search-relevant
//! changes with [`crate::sync::record_change`] in it.

pub mod collections;
pub mod documents;
pub mod featured;
pub mod files;
pub mod images;
pub mod pages;
pub mod stats;
pub mod terms;
