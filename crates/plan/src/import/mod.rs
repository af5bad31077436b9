//! Importers: the parsers for the files a plan is imported from ([`bbc`], [`jaarplan`]), which
//! are pure, and what writes their result to the database ([`jobs`]).

pub mod bbc;
pub mod jaarplan;
pub mod jobs;
