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

/// A thematic collection, as a working group picks it for a meeting's theme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionRef {
    pub id: String,
    pub title: String,
    pub href: String,
}

/// The thematic collections (the GDPR library and its like), last changed first.
pub async fn thematic_collections(db: &Db) -> CoreResult<Vec<CollectionRef>> {
    let collections =
        store::collections::list_of_kind(db.pool(), crate::model::CollectionKind::Thematisch)
            .await?;
    Ok(collections
        .into_iter()
        .map(|c| CollectionRef {
            href: c.href(),
            id: c.id,
            title: c.title,
        })
        .collect())
}

/// A document of one section of a thematic collection, with the group's evaluation status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionDocument {
    pub title: String,
    pub href: String,
    /// "Te evalueren", "In evaluatie", "Geëvalueerd" or "Goedgekeurd"; `None` when unset.
    pub evaluation_status: Option<String>,
}

/// The documents of section `section` of collection `collection_id` that every member of
/// working group `group_id` may open (public, members', or that group's own), in their order.
/// Documents restricted to another organisation or group are left out, so a meeting's agenda
/// never names them.
pub async fn section_documents(
    db: &Db,
    collection_id: &str,
    section: &str,
    group_id: &str,
) -> CoreResult<Vec<SectionDocument>> {
    use crate::model::Access;
    let entries = store::collections::entries(db.pool(), collection_id).await?;
    Ok(entries
        .into_iter()
        .filter(|doc| {
            doc.entry
                .as_ref()
                .is_some_and(|entry| entry.section.trim() == section.trim())
        })
        .filter(|doc| match doc.access.access {
            Access::Publiek | Access::Leden => true,
            Access::Werkgroep => doc.access.group_id.as_deref() == Some(group_id),
            Access::Organisatie => false,
        })
        .map(|doc| SectionDocument {
            href: doc.href(),
            evaluation_status: doc
                .entry
                .as_ref()
                .and_then(|entry| entry.evaluation_status)
                .map(|status| status.label().to_string()),
            title: doc.title,
        })
        .collect())
}

/// A picture for another module's content (the newsletter's blocks), through the same gate as
/// the site's own images: the format read from the bytes, decoding bounded, the picture scaled
/// down and encoded anew (no metadata survives), a required alt text. It lands in the site's
/// image library and is served at its public address. The caller checks who may upload and
/// any smaller size it wants.
pub mod images {
    use steden_core::audit::AuditActor;
    use steden_core::error::CoreResult;
    use steden_db::Tx;

    use crate::store::images;

    pub use crate::store::images::{ImageProblem, Processed, MAX_UPLOAD_BYTES};

    /// Checks and re-encodes the upload. CPU-bound: call it from `spawn_blocking`.
    pub fn process(bytes: &[u8]) -> Result<Processed, ImageProblem> {
        images::process(bytes)
    }

    /// The alt text, trimmed, or the Dutch reason it is refused (empty, too long).
    pub fn validate_alt(alt: &str) -> CoreResult<String> {
        images::validate_alt(alt)
    }

    /// Stores a processed picture in the caller's transaction (file, image row, audit entry
    /// for `organisation_id`); returns its public address (site-relative).
    pub async fn store(
        tx: &mut Tx<'_>,
        original_name: &str,
        alt: &str,
        picture: &Processed,
        actor: &AuditActor,
        organisation_id: &str,
    ) -> CoreResult<String> {
        let id = images::insert(tx, original_name, alt, picture, actor, organisation_id).await?;
        Ok(images::href(&id))
    }
}
