//! Parsers for the files a plan is imported from.

pub mod bbc;
pub mod jaarplan;
