//! The public document page and the file download.

use askama::Template;
use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use steden_web::page::{render, PageContext};
use steden_web::AppError;

use crate::access::{self, Reader};
use crate::model::Access;
use crate::paths;
use crate::store::documents::{self, CollectionRef, Document};
use crate::store::files;
use crate::web::common::actor_of;

use super::shared::{human_size, language_label, type_label};
use steden_core::time::show_date;

// ---------------------------------------------------------------------------------------------
// The public document page and the download
// ---------------------------------------------------------------------------------------------

/// The document with `slug` if the request's reader may open it; otherwise 404, or the login
/// page for a members-only document asked for by a visitor who is not logged in.
pub(super) async fn readable(ctx: &PageContext, slug: &str) -> Result<Document, AppError> {
    let db = ctx.state().db();
    let doc = documents::find_by_slug(db.pool(), slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let reader = Reader::of(db, &actor_of(ctx)).await?;
    if reader.may_open(&doc.access()) {
        Ok(doc)
    } else if !reader.logged_in && doc.access == Access::Leden {
        Err(AppError::Unauthenticated)
    } else {
        Err(AppError::NotFound)
    }
}

/// One line of the document's facts.
pub(super) struct Fact {
    pub(super) label: String,
    pub(super) value: String,
    pub(super) href: Option<String>,
}

#[derive(Template)]
#[template(path = "kennisbank/documents/show.html")]
pub(super) struct ShowPage {
    pub(super) ctx: PageContext,
    pub(super) doc: Document,
    pub(super) type_label: String,
    pub(super) facts: Vec<Fact>,
    pub(super) themes: Vec<Fact>,
    pub(super) organisations: Vec<String>,
    pub(super) collections: Vec<CollectionRef>,
    /// "PDF-bestand, 1,2 MB".
    pub(super) file_description: String,
    /// For documents that are not public: who may open them.
    pub(super) access_note: Option<String>,
    pub(super) editor: bool,
}

pub(super) async fn show(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let doc = readable(&ctx, &slug).await?;
    let db = ctx.state().db();
    let organisations = documents::organisation_names(db.pool(), &doc.organisations).await?;
    let collections = documents::collections_of(db.pool(), &doc.id).await?;
    let kenniscentrum = access::kenniscentrum_id(db).await?;
    let editor = access::is_editor(&actor_of(&ctx), &kenniscentrum);
    let type_label = type_label(&ctx, doc.doc_type);
    let search =
        |param: &str, value: &str| Some(format!("/kennisbank?{param}={}", percent_encode(value)));
    let mut facts = vec![Fact {
        label: ctx.t("kb-doc-field-type"),
        value: type_label.clone(),
        href: search("type", doc.doc_type.as_str()),
    }];
    // Editors see which values are old text that matched no programme or werkspoor of the
    // published plans (they choose one in the form).
    let unlinked = |linked: &Option<String>| {
        if editor && linked.is_none() {
            format!(" ({})", ctx.t("kb-doc-place-unlinked"))
        } else {
            String::new()
        }
    };
    if let Some(programme) = &doc.programme {
        facts.push(Fact {
            label: ctx.t("kb-doc-field-programme"),
            value: format!("{programme}{}", unlinked(&doc.programme_id)),
            href: search("programme", programme),
        });
    }
    if let Some(werkspoor) = &doc.werkspoor {
        facts.push(Fact {
            label: ctx.t("kb-doc-field-werkspoor"),
            value: format!("{werkspoor}{}", unlinked(&doc.werkspoor_id)),
            href: None,
        });
    }
    if let Some(period) = &doc.period {
        facts.push(Fact {
            label: ctx.t("kb-doc-field-period"),
            value: period.clone(),
            href: search("period", period),
        });
    }
    if let Some(date) = &doc.doc_date {
        facts.push(Fact {
            label: ctx.t("kb-doc-field-date"),
            value: show_date(date),
            href: None,
        });
    }
    facts.push(Fact {
        label: ctx.t("kb-doc-field-language"),
        value: language_label(&ctx, doc.language),
        href: None,
    });
    let themes = doc
        .themes
        .iter()
        .map(|t| Fact {
            label: String::new(),
            value: t.clone(),
            href: search("theme", t),
        })
        .collect();
    let file_description = match (doc.format_label(), doc.file_size) {
        (Some(format), Some(size)) => format!("{format}, {}", human_size(size)),
        (Some(format), None) => format.to_string(),
        _ => String::new(),
    };
    let access_note = match doc.access {
        Access::Publiek => None,
        Access::Leden => Some(ctx.t("kb-doc-note-leden")),
        Access::Organisatie => {
            let name = match &doc.access_organisation_id {
                Some(id) => documents::organisation_names(db.pool(), std::slice::from_ref(id))
                    .await?
                    .pop()
                    .unwrap_or_default(),
                None => String::new(),
            };
            Some(ctx.t_with("kb-doc-note-organisatie", &[("name", &name)]))
        }
        Access::Werkgroep => {
            let name = match &doc.access_group_id {
                Some(id) => steden_core::working_group::get(db.pool(), id)
                    .await?
                    .map(|g| g.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            Some(ctx.t_with("kb-doc-note-werkgroep", &[("name", &name)]))
        }
    };
    let library = ctx.t("kb-doc-crumb-library");
    let title = doc.title.clone();
    let mut ctx = ctx.crumb(library, paths::LIBRARY).titled(title);
    if !doc.summary.is_empty() {
        ctx.description = doc.summary.chars().take(300).collect();
    }
    ctx.og_type = "article";
    let mut response = render(&ShowPage {
        ctx,
        type_label,
        facts,
        themes,
        organisations,
        collections,
        file_description,
        access_note,
        editor,
        doc: doc.clone(),
    })?;
    if doc.access != Access::Publiek {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    Ok(response)
}

/// The content types a file may be served with; anything else is served as
/// `application/octet-stream`. Markdown is served as plain text (browsers would otherwise
/// offer to "open" it with some application).
pub fn served_content_type(stored: &str) -> &'static str {
    match stored {
        "application/pdf" => "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => {
            "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        }
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
        "application/vnd.oasis.opendocument.text" => "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet" => {
            "application/vnd.oasis.opendocument.spreadsheet"
        }
        "application/vnd.oasis.opendocument.presentation" => {
            "application/vnd.oasis.opendocument.presentation"
        }
        "text/markdown" | "text/plain" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Percent-encodes everything but RFC 5987's attr-chars (for `filename*` and query values).
pub(super) fn percent_encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The `Content-Disposition` of a download: an ASCII fallback name (accents and other
/// characters become '_') and the exact UTF-8 name.
pub fn content_disposition(filename: &str) -> String {
    let name = files::safe_filename(filename);
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        percent_encode(&name)
    )
}

pub(super) async fn download(
    ctx: PageContext,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let doc = readable(&ctx, &slug).await?;
    let Some(file_id) = &doc.file_id else {
        return Err(AppError::NotFound);
    };
    let (file, bytes) = files::load(ctx.state().db().pool(), file_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let disposition = HeaderValue::from_str(&content_disposition(&file.filename))
        .map_err(|e| AppError::Internal(format!("bestandsnaam: {e}")))?;
    let cache = if doc.access == Access::Publiek {
        "public, max-age=300"
    } else {
        "private, no-store"
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(served_content_type(&file.content_type)),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_are_attachments_with_safe_names_and_types() {
        assert_eq!(
            content_disposition("Jaarverslag “2024” é.pdf"),
            "attachment; filename=\"Jaarverslag _2024_ _.pdf\"; \
             filename*=UTF-8''Jaarverslag%20%E2%80%9C2024%E2%80%9D%20%C3%A9.pdf"
        );
        assert_eq!(served_content_type("text/html"), "application/octet-stream");
        assert_eq!(
            served_content_type("image/svg+xml"),
            "application/octet-stream"
        );
        assert_eq!(
            served_content_type("text/markdown"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(human_size(1_300_000), "1,2 MB");
    }
}
