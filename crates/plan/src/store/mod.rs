//! The plan module's storage: plain functions over sqlx's `Any` driver with portable SQL, each
//! taking an executor (a pool for reads, a transaction for writes that belong together).
//!
//! Writes that change progress or prioritair keep the derived columns of the ancestors current
//! in the same transaction (see [`rollup`]), so that pages can read a plan's top levels without
//! loading its leaves.

pub mod finance;
pub mod history;
pub mod imports;
pub mod indicator_sources;
pub mod indicators;
pub mod items;
pub mod kwesties;
pub mod measurements;
pub mod milestone_items;
pub mod plans;
pub mod projects;
pub mod releases;
pub mod rollup;
pub mod rounds;
pub mod search;
pub mod slugs;
pub mod updates;
pub mod workspace;

/// Today's date as 'YYYY-MM-DD' (UTC), the form dates are stored in.
pub fn today() -> String {
    chrono::Utc::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// A JSON array of strings as stored in a text column; a malformed value reads as empty
/// (only this module writes these columns).
pub(crate) fn strings_from_json(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

pub(crate) fn strings_to_json(values: &[String]) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "[]".to_string())
}

/// Checks a 'YYYY-MM-DD' date; returns it normalised, or the Dutch message.
pub fn parse_date_field(value: &str) -> Result<Option<String>, &'static str> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    steden_core::time::parse_date(value)
        .map(|d| Some(d.format("%Y-%m-%d").to_string()))
        .ok_or("Geef een datum als dd/mm/jjjj.")
}
