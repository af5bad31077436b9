//! The editors' pages under `/beheer/site`: the index of everything editors manage, pages,
//! news and projects with a live preview and their history ([`pages`]), images ([`images`],
//! which also serves them publicly at `/afbeeldingen/{id}`), and what the home page features
//! ([`featured`]).
//!
//! Every handler starts with [`require_editor`]: the anonymous are sent to the login page,
//! everyone but the Kenniscentrum's editors gets 403, before anything is read or written.

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::model::{PageKind, PageStatus, ProjectState};
use crate::paths;
use crate::store;

pub mod featured;
pub mod images;
pub mod pages;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/beheer/site", get(index))
        .merge(pages::routes())
        .merge(images::routes())
        .merge(featured::routes())
}

pub(crate) use crate::web::common::require_editor;

pub(crate) fn kind_label(ctx: &PageContext, kind: PageKind) -> String {
    ctx.t(&format!("kb-ed-kind-{}", kind.as_str()))
}

pub(crate) fn status_label(ctx: &PageContext, status: PageStatus) -> String {
    ctx.t(&format!("kb-ed-status-{}", status.as_str()))
}

pub(crate) fn project_state_label(ctx: &PageContext, state: ProjectState) -> String {
    ctx.t(&format!("kb-ed-project-{}", state.as_str()))
}

/// The icon that goes with a status (always beside its name, never alone).
pub(crate) fn status_icon(status: PageStatus) -> &'static str {
    match status {
        PageStatus::Concept => "circle",
        PageStatus::Gepland => "clock",
        PageStatus::Gepubliceerd => "check",
        PageStatus::Gearchiveerd => "stop",
    }
}

/// Adds the "Site beheren" breadcrumb.
pub(crate) fn editor_crumbs(ctx: PageContext) -> PageContext {
    let label = ctx.t("kb-ed-index-title");
    ctx.crumb(label, paths::MANAGE)
}

/// A link on the index page.
struct IndexLink {
    href: &'static str,
    label: String,
    hint: String,
}

#[derive(Template)]
#[template(path = "kennisbank/editor/index.html")]
struct IndexPage {
    ctx: PageContext,
    drafts: String,
    scheduled: String,
    site_links: Vec<IndexLink>,
    library_links: Vec<IndexLink>,
}

async fn index(ctx: PageContext) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let (drafts, scheduled) =
        store::pages::waiting_counts(ctx.state().db().pool(), steden_db::now_ms()).await?;
    let link = |href: &'static str, key: &str| IndexLink {
        href,
        label: ctx.t(key),
        hint: ctx.t(&format!("{key}-hint")),
    };
    let site_links = vec![
        link(paths::PAGES, "kb-ed-link-pages"),
        link(paths::IMAGES, "kb-ed-link-images"),
        link(paths::FEATURED, "kb-ed-link-featured"),
        link(paths::STATS, "kb-ed-link-stats"),
    ];
    let library_links = vec![
        link(paths::DOCUMENTS, "kb-ed-link-documents"),
        link(paths::IMPORTS, "kb-ed-link-import"),
        link(paths::MANAGE_COLLECTIONS, "kb-ed-link-collections"),
        link(paths::TERMS, "kb-ed-link-glossary"),
    ];
    let drafts = steden_core::time::format_int(drafts);
    let scheduled = steden_core::time::format_int(scheduled);
    let title = ctx.t("kb-ed-index-title");
    render(&IndexPage {
        ctx: ctx.titled(title),
        drafts,
        scheduled,
        site_links,
        library_links,
    })
}
