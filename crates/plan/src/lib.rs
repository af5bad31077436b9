//! Beleidsopvolging: plans (jaarplan, meerjarenplan, bestuursakkoord), their items, indicators,
//! progress updates, reporting rounds, releases and finance — the successor of the ORBA tool.
//!
//! This crate is being built up; so far it holds the importers' parsers, which are pure
//! functions from file contents to a parsed structure (no database), so that a preview can be
//! shown before anything is written.

pub mod import;
