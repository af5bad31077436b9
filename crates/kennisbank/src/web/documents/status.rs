//! The extraction status region, which refreshes itself while the text is read.

use askama::Template;
use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use steden_web::page::{render, PageContext};
use steden_web::AppError;

use crate::model::ExtractionStatus;
use crate::store::documents::{self, Document};
use crate::web::common::require_editor;

use super::shared::{status_label, status_look};

// ---------------------------------------------------------------------------------------------
// The extraction status region
// ---------------------------------------------------------------------------------------------

/// A document's extraction status, for the region on its editing page.
pub(super) struct StatusView {
    pub(super) fragment_href: String,
    pub(super) refresh_href: String,
    pub(super) label: String,
    pub(super) icon: &'static str,
    pub(super) badge: &'static str,
    /// Waiting or running: the region polls for a fresh copy.
    pub(super) active: bool,
    /// "12.345 tekens gelezen" when done.
    pub(super) detail: Option<String>,
    pub(super) error: Option<String>,
    /// The extraction's warning when done (read by OCR, or no text found).
    pub(super) warning: Option<String>,
    pub(super) job_href: Option<String>,
}

pub(super) async fn status_view(
    ctx: &PageContext,
    doc: &Document,
    platform_admin: bool,
) -> Result<StatusView, AppError> {
    let (icon, badge) = status_look(doc.extraction_status);
    let job_href = if platform_admin && doc.extraction_status != ExtractionStatus::Geen {
        documents::latest_job(ctx.state().db().pool(), &doc.id)
            .await?
            .map(|id| format!("/beheer/taken/{id}"))
    } else {
        None
    };
    Ok(StatusView {
        fragment_href: format!("{}/status", doc.edit_href()),
        refresh_href: format!("{}#extractie", doc.edit_href()),
        label: status_label(ctx, doc.extraction_status),
        icon,
        badge,
        active: matches!(
            doc.extraction_status,
            ExtractionStatus::Wachtend | ExtractionStatus::Bezig
        ),
        detail: (doc.extraction_status == ExtractionStatus::Klaar).then(|| {
            ctx.t_with(
                "kb-doc-status-chars",
                &[("count", &ctx.int(&doc.text_chars))],
            )
        }),
        error: (doc.extraction_status == ExtractionStatus::Mislukt)
            .then(|| doc.extraction_error.clone().unwrap_or_default()),
        warning: (doc.extraction_status == ExtractionStatus::Klaar)
            .then(|| doc.extraction_error.clone())
            .flatten(),
        job_href,
    })
}

#[derive(Template)]
#[template(path = "kennisbank/documents/status.html")]
pub(super) struct StatusFragment {
    pub(super) ctx: PageContext,
    pub(super) status: StatusView,
}

pub(super) async fn status_fragment(
    ctx: PageContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let doc = documents::find(ctx.state().db().pool(), &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = status_view(&ctx, &doc, editor.platform_admin).await?;
    let mut response = render(&StatusFragment { ctx, status })?;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
