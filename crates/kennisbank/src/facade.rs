//! What the modules above the Kennisbank may ask of it (the werkgroepen module: a group's
//! document space and minutes written in Markdown). Small, read-only and stable; it returns
//! its own plain types, never store rows. Named `facade`, not `site`: the crate's `web::site`
//! is the public website, and two `site`s would mislead.
//!
//! Who may see what stays the caller's question: [`group_documents`] lists a group's
//! documents for a page that only the group's members and the Kennisbank's editors reach, the
//! same people [`crate::access::Reader::may_open`] lets open them.

use steden_core::error::CoreResult;
use steden_db::Db;

use crate::{markdown, paths, store};

/// A document as another module links to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocRef {
    pub id: String,
    pub title: String,
    /// The type's stored value ("rapport", "verslag", "presentatie", ...).
    pub doc_type: String,
    /// `YYYY-MM-DD`, when the document has a date.
    pub doc_date: Option<String>,
    /// The document's page.
    pub href: String,
}

/// The documents of working group `group_id` (access `werkgroep` for that group), newest date
/// first, at most `limit`.
pub async fn group_documents(db: &Db, group_id: &str, limit: i64) -> CoreResult<Vec<DocRef>> {
    let documents = store::documents::list_for_group(db.pool(), group_id, limit).await?;
    Ok(documents
        .into_iter()
        .map(|doc| DocRef {
            href: doc.href(),
            doc_type: doc.doc_type.as_str().to_string(),
            id: doc.id,
            title: doc.title,
            doc_date: doc.doc_date,
        })
        .collect())
}

/// The editors' upload form for a new document of working group `group_id`, with access
/// `werkgroep` and the group already chosen.
pub fn new_document_href(group_id: &str) -> String {
    paths::new_group_document(group_id)
}

/// Markdown as safe HTML, through the Kennisbank's pipeline (pulldown-cmark, then ammonia's
/// allow-list, so no script, event handler or `javascript:` link survives; headings start at
/// `h2`, since the page's title is its `h1`).
pub fn render_markdown(md: &str) -> String {
    markdown::to_html(md)
}
