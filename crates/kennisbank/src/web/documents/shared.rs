//! What the document pages share: limits, crumbs, choices and Dutch labels.

use steden_web::page::PageContext;

use crate::model::{Access, DocType, ExtractionStatus, Language};
use crate::paths;
use crate::store::documents::MAX_UPLOAD_BYTES;

/// The body limit of the upload routes: the file plus the other fields and multipart framing.
pub(super) const BODY_LIMIT: usize = MAX_UPLOAD_BYTES + 256 * 1024;
/// How much of a too large upload is read (and thrown away) so that the browser gets to see
/// the answer instead of a broken connection. Beyond this the connection is simply closed.
pub(super) const DRAIN_LIMIT: usize = 64 * 1024 * 1024;
/// Documents per page of the "Publicaties" section.
pub(super) const PUBLICATIONS_PAGE_SIZE: i64 = 50;

pub(super) const LIST_HREF: &str = paths::DOCUMENTS;

// ---------------------------------------------------------------------------------------------
// Shared bits
// ---------------------------------------------------------------------------------------------

pub(super) fn editor_crumbs(ctx: PageContext) -> PageContext {
    let manage = ctx.t("kb-doc-crumb-manage");
    let documents = ctx.t("kb-doc-list-title");
    ctx.crumb(manage, paths::MANAGE).crumb(documents, LIST_HREF)
}

pub(super) fn type_label(ctx: &PageContext, doc_type: DocType) -> String {
    ctx.t(&format!("kb-doc-type-{}", doc_type.as_str()))
}

pub(super) fn access_label(ctx: &PageContext, access: Access) -> String {
    ctx.t(&format!("kb-doc-access-{}", access.as_str()))
}

pub(super) fn language_label(ctx: &PageContext, language: Language) -> String {
    ctx.t(&format!("kb-doc-lang-{}", language.as_str()))
}

pub(super) fn status_label(ctx: &PageContext, status: ExtractionStatus) -> String {
    ctx.t(&format!("kb-doc-status-{}", status.as_str()))
}

/// The icon and badge colour of an extraction status (always shown with its word).
pub(super) fn status_look(status: ExtractionStatus) -> (&'static str, &'static str) {
    match status {
        ExtractionStatus::Geen => ("circle", "neutral"),
        ExtractionStatus::Wachtend => ("clock", "info"),
        ExtractionStatus::Bezig => ("play", "info"),
        ExtractionStatus::Klaar => ("check", "success"),
        ExtractionStatus::Mislukt => ("error", "error"),
    }
}

/// A size in bytes the Belgian way ("1,2 MB", "830 kB").
pub(super) fn human_size(bytes: i64) -> String {
    let bytes = bytes.max(0) as f64;
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0)).replace('.', ",")
    } else if bytes >= 1024.0 {
        format!("{:.0} kB", bytes / 1024.0)
    } else {
        format!("{bytes:.0} bytes")
    }
}
