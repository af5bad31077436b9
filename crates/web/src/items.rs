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
