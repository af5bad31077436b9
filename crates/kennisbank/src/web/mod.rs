//! The module's pages: the public site, the library and search, collections and the glossary,
//! and the editors' pages. Each file owns one part and its routes.

use axum::Router;
use steden_core::audit::AuditActor;
use steden_core::policy::Actor;
use steden_web::{AppError, AppState, PageContext};

use crate::access;

pub mod collections;
pub mod documents;
pub mod editor;
pub mod glossary;
pub mod search;
pub mod site;
pub mod stats;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(site::routes())
        .merge(editor::routes())
        .merge(documents::routes())
        .merge(search::routes())
        .merge(collections::routes())
        .merge(glossary::routes())
        .merge(stats::routes())
        // Page views of the module's pages, counted without cookies (see stats::count_views).
        .layer(axum::middleware::from_fn(stats::count_views))
}

/// The request's actor (anonymous when nobody is logged in).
pub(crate) fn actor_of(ctx: &PageContext) -> Actor {
    ctx.user.as_ref().map_or(Actor::Anonymous, |u| u.actor())
}

/// The editor behind a request, once checked.
pub(crate) struct Editor {
    pub audit: AuditActor,
    /// The Kenniscentrum, which owns the site (for audit entries).
    pub organisation_id: String,
    pub platform_admin: bool,
}

/// The logged-in editor; the anonymous are sent to the login page and everyone else gets 403,
/// before anything is read or written (the one policy layer: [`access::require_editor`]).
pub(crate) async fn require_editor(ctx: &PageContext) -> Result<Editor, AppError> {
    let user = ctx.require_user()?;
    let organisation_id = access::kenniscentrum_id(ctx.state().db()).await?;
    access::require_editor(&user.actor(), &organisation_id)?;
    Ok(Editor {
        audit: AuditActor::user(&user.user_id),
        organisation_id,
        platform_admin: user.platform_admin,
    })
}

/// Whether the request's user is an editor (to offer editing links, or show drafts).
pub(crate) async fn is_editor(ctx: &PageContext) -> Result<bool, AppError> {
    let Some(user) = &ctx.user else {
        return Ok(false);
    };
    let organisation_id = access::kenniscentrum_id(ctx.state().db()).await?;
    Ok(access::is_editor(&user.actor(), &organisation_id))
}
