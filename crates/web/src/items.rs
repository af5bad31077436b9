//! The port through which a module offers its public items to another — a Kennisbank document,
//! a news post, an event, a plan milestone — as a title, a summary, an image and a link.
//!
//! The newsletter builds its blocks from them and the LinkedIn planner drafts posts from them;
//! the site's search may later read them too. Each module provides an [`ItemSource`] for its
//! own **public** items in [`crate::Module::provide_ports`]; the reader asks every registered
//! source (`state.ports().all::<dyn ItemSource>()`) and knows none of them. The port is in the
//! shell rather than in the reading module so that no module has to depend on another to offer
//! its items (werkgroepen and nieuwsbrief sit on the same floor).

use futures::future::BoxFuture;
use steden_core::CoreResult;
use steden_db::Db;

/// One public item, as another module may show it. A reader that keeps it (a newsletter block)
/// keeps a copy: what was sent does not change when the source does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformItem {
    /// The source's key ([`ItemSource::key`]), so that the item can be read again.
    pub source: &'static str,
    /// The item's id within its source.
    pub id: String,
    /// What kind of item it is, in Dutch ("Kennisbankdocument", "Activiteit", "Mijlpaal").
    pub kind: String,
    /// As its authors typed it (Dutch).
    pub title: String,
    /// A plain-text summary of at most [`SUMMARY_MAX`] characters; may be empty.
    pub summary: String,
    /// The item's public page: a path on this site (`/kennisbank/…`); the reader makes it
    /// absolute with the site's base URL when it leaves the site (a mail, a post).
    pub href: String,
    /// An image that belongs to the item (a path on this site or an absolute URL), if any.
    pub image_href: Option<String>,
    /// The image's text alternative; empty when the image is decorative or absent.
    pub image_alt: String,
    /// The date the item is about ('YYYY-MM-DD'): published, takes place, is due.
    pub date: Option<String>,
}

/// The longest summary a source returns (it cuts at a word and adds "…").
pub const SUMMARY_MAX: usize = 300;

/// What a reader asks a source for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemQuery {
    /// Words that must occur in the title or summary (case-insensitive); empty for all.
    pub search: String,
    /// Only items dated on or after this day ('YYYY-MM-DD'), when given.
    pub from: Option<String>,
    /// Only items dated on or before this day ('YYYY-MM-DD'), when given.
    pub until: Option<String>,
    /// At most this many, newest first.
    pub limit: usize,
}

/// A module's public items. Implementations read the database when called (ports hold
/// behaviour, not data) and return only what an anonymous reader may see.
pub trait ItemSource: Send + Sync {
    /// A short, stable key ("kennisbank", "werkgroepen", "plan").
    fn key(&self) -> &'static str;

    /// The source's name, in Dutch, for a reader's choice list ("Kennisbank", "Activiteiten").
    fn label(&self) -> &'static str;

    /// The items that match `query`, newest first.
    fn find<'a>(
        &'a self,
        db: &'a Db,
        query: &'a ItemQuery,
    ) -> BoxFuture<'a, CoreResult<Vec<PlatformItem>>>;

    /// One item by its id; `None` when it is gone or no longer public.
    fn get<'a>(
        &'a self,
        db: &'a Db,
        id: &'a str,
    ) -> BoxFuture<'a, CoreResult<Option<PlatformItem>>>;
}

/// Cuts `text` to at most [`SUMMARY_MAX`] characters at a word boundary, with "…" when cut;
/// whitespace runs become one space. For sources whose summaries are longer.
pub fn shorten_summary(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= SUMMARY_MAX {
        return collapsed;
    }
    let mut cut: String = collapsed.chars().take(SUMMARY_MAX - 1).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_with_its_spaces_collapsed() {
        assert_eq!(shorten_summary("  een\n korte   tekst "), "een korte tekst");
    }

    #[test]
    fn long_text_is_cut_at_a_word_with_an_ellipsis() {
        let text = "woord, ".repeat(100);
        let short = shorten_summary(&text);
        assert!(short.chars().count() <= SUMMARY_MAX, "{}", short.len());
        assert!(short.ends_with("woord…"), "{short}");
    }
}

/// The most search words a source takes from [`ItemQuery::search`] (more are ignored).
pub const SEARCH_WORDS_MAX: usize = 8;

/// The words of `search`, lower-cased, each as a `LIKE` pattern `%word%` with `\`, `%` and `_`
/// escaped (for `LOWER(column) LIKE $n ESCAPE '\'`, which both backends read the same); at
/// most [`SEARCH_WORDS_MAX`].
pub fn like_patterns(search: &str) -> Vec<String> {
    search
        .split_whitespace()
        .take(SEARCH_WORDS_MAX)
        .map(|word| {
            let escaped: String = word
                .to_lowercase()
                .chars()
                .flat_map(|c| match c {
                    '\\' | '%' | '_' => vec!['\\', c],
                    c => vec![c],
                })
                .collect();
            format!("%{escaped}%")
        })
        .collect()
}

/// The SQL condition "every pattern occurs in one of `columns`" for `count` patterns bound
/// from parameter `$first` on (`1 = 1` for none). `columns` are the source's own column
/// expressions, never input.
pub fn words_condition(columns: &[&str], first: usize, count: usize) -> String {
    if count == 0 {
        return "1 = 1".to_string();
    }
    (first..first + count)
        .map(|n| {
            let any = columns
                .iter()
                .map(|column| format!("LOWER({column}) LIKE ${n} ESCAPE '\\'"))
                .collect::<Vec<_>>()
                .join(" OR ");
            format!("({any})")
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The limit a source applies: the query's, at least 1 and at most 100.
pub fn bounded_limit(query: &ItemQuery) -> i64 {
    query.limit.clamp(1, 100) as i64
}

/// A day of [`ItemQuery::from`] or [`ItemQuery::until`] when it is a real 'YYYY-MM-DD' date;
/// anything else counts as not given.
pub fn query_day(value: Option<&String>) -> Option<chrono::NaiveDate> {
    value.and_then(|v| chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok())
}

#[cfg(test)]
mod search_tests {
    use super::*;

    #[test]
    fn words_become_escaped_patterns_and_a_condition() {
        assert_eq!(
            like_patterns("  Data 50%_a\\b "),
            ["%data%", "%50\\%\\_a\\\\b%"]
        );
        assert!(like_patterns("").is_empty());
        assert_eq!(words_condition(&["t"], 3, 0), "1 = 1");
        assert_eq!(
            words_condition(&["t", "s"], 2, 2),
            "(LOWER(t) LIKE $2 ESCAPE '\\' OR LOWER(s) LIKE $2 ESCAPE '\\') AND \
             (LOWER(t) LIKE $3 ESCAPE '\\' OR LOWER(s) LIKE $3 ESCAPE '\\')"
        );
        assert_eq!(
            query_day(Some(&"2026-12-07".to_string()))
                .unwrap()
                .to_string(),
            "2026-12-07"
        );
        assert_eq!(query_day(Some(&"7/12/2026".to_string())), None);
    }
}
