//! The usage counts as the dashboard shows them (stored by [`crate::store::stats`]).

/// A path (or query) with its count over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub key: String,
    pub count: i64,
}

/// A search query with how often it was asked and how often it found nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryCount {
    pub query: String,
    pub searches: i64,
    pub without_results: i64,
}
