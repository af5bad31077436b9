//! What the module's pages share: who is asking (actor, editor) and the editors' breadcrumb.

use steden_core::audit::AuditActor;
use steden_core::policy::Actor;
use steden_web::{AppError, PageContext};

use crate::access;
use crate::paths;

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

/// Adds the "Site beheren" breadcrumb of the editors' pages.
pub(crate) fn manage_crumbs(ctx: PageContext) -> PageContext {
    let label = ctx.t("kb-library-manage-crumb");
    ctx.crumb(label, paths::MANAGE)
}
