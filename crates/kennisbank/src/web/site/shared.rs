//! What the site's pages share: settings, limits, URL encoding, descriptions and dates.

use crate::markdown;

/// The setting that names the plan the site shows (else the newest published jaarplan of the
/// Kenniscentrum).
pub const SITE_PLAN_SETTING: &str = "kennisbank.site_plan_id";

/// News items per page of `/nieuws`, and in the feed.
pub(super) const NEWS_PER_PAGE: i64 = 10;
pub(super) const FEED_ENTRIES: i64 = 20;

// ---------------------------------------------------------------------------------------------
// Helpers

/// `text` made safe for a URL path segment or query value (RFC 3986 unreserved characters
/// stay, everything else is percent-encoded as UTF-8).
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A description for meta tags: the summary, else the start of the text.
pub(super) fn describe(summary: &str, body_md: &str) -> String {
    if summary.trim().is_empty() {
        markdown::to_plain_text(body_md, 160)
    } else {
        markdown::to_plain_text(summary, 160)
    }
}

/// The day (YYYY-MM-DD, UTC) of a moment.
pub(super) fn day(ms: i64) -> String {
    crate::store::stats::day_of(ms)
}

/// A moment as RFC 3339 (UTC), as Atom wants it.
pub(super) fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string())
}

// ---------------------------------------------------------------------------------------------
