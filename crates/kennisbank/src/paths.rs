//! The module's URLs, as functions: pages link through these, so a route and its links cannot
//! drift apart. (The public address of a stored document, collection, term, page or image is
//! its `href()`, next to the type.)

use crate::web::site::shared::url_encode;

// ---------------------------------------------------------------------------------------------
// The public site and library

/// The library's search page, also its entry page.
pub const LIBRARY: &str = "/kennisbank";
/// The public list of collections.
pub const COLLECTIONS: &str = "/kennisbank/collecties";
/// The glossary.
pub const GLOSSARY: &str = "/begrippen";
/// The news list.
pub const NEWS: &str = "/nieuws";
/// The publications (reports and publications by year).
pub const PUBLICATIONS: &str = "/publicaties";
/// The news as an Atom feed.
pub const NEWS_FEED: &str = "/nieuws/feed.xml";
/// The list of projects.
pub const PROJECTS: &str = "/projecten";
/// The contact page (a static page the editors write).
pub const CONTACT: &str = "/pagina/contact";

/// A page of the news list (from 1).
pub fn news_page(page: u64) -> String {
    format!("{NEWS}?pagina={page}")
}

/// A page of the publications (from 1).
pub fn publications_page(page: u64) -> String {
    format!("{PUBLICATIONS}?pagina={page}")
}

/// A public collection, by its slug.
pub fn collection(slug: &str) -> String {
    format!("{COLLECTIONS}/{slug}")
}

/// A programme of the published plan, by its slug (stable from one year to the next; the
/// code, which may be renumbered, redirects to it).
pub fn programme(slug: &str) -> String {
    format!("/programmas/{}", url_encode(slug))
}

/// A werkspoor of a programme of the published plan, by their slugs.
pub fn werkspoor(programme: &str, slug: &str) -> String {
    format!("/programmas/{}/{}", url_encode(programme), url_encode(slug))
}

// ---------------------------------------------------------------------------------------------
// Editing: the site (/beheer/site)

/// The editors' start page.
pub const MANAGE: &str = "/beheer/site";
/// The editors' list of pages.
pub const PAGES: &str = "/beheer/site/paginas";
/// A new page.
pub const NEW_PAGE: &str = "/beheer/site/paginas/nieuw";
/// The uploaded images.
pub const IMAGES: &str = "/beheer/site/afbeeldingen";
/// The featured items of the home page.
pub const FEATURED: &str = "/beheer/site/uitgelicht";
/// The visitor statistics.
pub const STATS: &str = "/beheer/site/statistieken";
/// The preview of a page's text while it is edited (htmx).
pub const PREVIEW: &str = "/beheer/site/voorbeeld";

/// The edit form of a page.
pub fn edit_page(id: &str) -> String {
    format!("{PAGES}/{id}")
}

/// The saved versions of a page.
pub fn page_history(id: &str) -> String {
    format!("{}/geschiedenis", edit_page(id))
}

/// One saved version of a page.
pub fn page_version(id: &str, version: i64) -> String {
    format!("{}/{version}", page_history(id))
}

/// Restores a saved version of a page (POST).
pub fn restore_page_version(id: &str, version: i64) -> String {
    format!("{}/terugzetten", page_version(id, version))
}

/// Moves a featured item one place up (POST).
pub fn featured_up(id: &str) -> String {
    format!("{FEATURED}/{id}/omhoog")
}

/// Moves a featured item one place down (POST).
pub fn featured_down(id: &str) -> String {
    format!("{FEATURED}/{id}/omlaag")
}

/// Takes an item off the home page (POST).
pub fn remove_featured(id: &str) -> String {
    format!("{FEATURED}/{id}/verwijderen")
}

// ---------------------------------------------------------------------------------------------
// Editing: the library (/beheer/kennisbank)

/// The editors' list of documents.
pub const DOCUMENTS: &str = "/beheer/kennisbank/documenten";
/// A new document (upload).
pub const NEW_DOCUMENT: &str = "/beheer/kennisbank/documenten/nieuw";
/// A new document for the members of working group `group_id` only: the upload form with
/// access `werkgroep` and the group chosen (the form reads `access` and `group`).
pub fn new_group_document(group_id: &str) -> String {
    format!(
        "{NEW_DOCUMENT}?access=werkgroep&group={}",
        url_encode(group_id)
    )
}
/// Bulk import of documents (a zip with a CSV): the upload form and the latest imports.
pub const IMPORTS: &str = "/beheer/kennisbank/import";

/// One bulk import: its progress and report.
pub fn import_path(id: &str) -> String {
    format!("{IMPORTS}/{id}")
}

/// The report of a bulk import as CSV.
pub fn import_report_path(id: &str) -> String {
    format!("{IMPORTS}/{id}/rapport.csv")
}

/// The editors' list of collections.
pub const MANAGE_COLLECTIONS: &str = "/beheer/kennisbank/collecties";
/// A new collection.
pub const NEW_COLLECTION: &str = "/beheer/kennisbank/collecties/nieuw";
/// The editors' list of terms.
pub const TERMS: &str = "/beheer/kennisbank/begrippen";
/// A new term.
pub const NEW_TERM: &str = "/beheer/kennisbank/begrippen/nieuw";

/// The edit form of a collection.
pub fn edit_collection(id: &str) -> String {
    format!("{MANAGE_COLLECTIONS}/{id}/bewerken")
}

/// The delete confirmation of a collection.
pub fn delete_collection(id: &str) -> String {
    format!("{MANAGE_COLLECTIONS}/{id}/verwijderen")
}

/// The documents of a collection, as editors arrange them.
pub fn collection_entries(id: &str) -> String {
    format!("{MANAGE_COLLECTIONS}/{id}/documenten")
}

/// Adds a document to a collection (POST).
pub fn add_collection_entry(id: &str) -> String {
    format!("{}/toevoegen", collection_entries(id))
}

/// Changes a document's section (and status) in a collection (POST).
pub fn change_collection_entry(id: &str, document_id: &str) -> String {
    format!("{}/{document_id}/wijzigen", collection_entries(id))
}

/// Moves a document one place up in a collection (POST).
pub fn collection_entry_up(id: &str, document_id: &str) -> String {
    format!("{}/{document_id}/omhoog", collection_entries(id))
}

/// Moves a document one place down in a collection (POST).
pub fn collection_entry_down(id: &str, document_id: &str) -> String {
    format!("{}/{document_id}/omlaag", collection_entries(id))
}

/// Takes a document out of a collection (POST).
pub fn remove_collection_entry(id: &str, document_id: &str) -> String {
    format!("{}/{document_id}/verwijderen", collection_entries(id))
}

/// The edit form of a term.
pub fn edit_term(id: &str) -> String {
    format!("{TERMS}/{id}/bewerken")
}

/// The delete confirmation of a term.
pub fn delete_term(id: &str) -> String {
    format!("{TERMS}/{id}/verwijderen")
}

/// The delete confirmation of a document.
pub fn delete_document(id: &str) -> String {
    format!("{DOCUMENTS}/{id}/verwijderen")
}
