//! A group's own pages (design §3.1): its page, members, join and leave, join requests,
//! settings and history. Each page loads the group through [`crate::reader`], so a hidden group
//! is "not found" for an outsider on every page alike.

mod history;
mod join;
pub(crate) mod meetings;
mod members;
mod requests;
mod series;
pub(crate) mod settings;
mod show;

use axum::Router;
use steden_core::audit::AuditActor;
use steden_core::policy::Actor;
use steden_web::components::Tab;
use steden_web::page::PageContext;
use steden_web::{AppError, AppState};

use crate::paths;
use crate::reader::{self, GroupView};

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(show::routes())
        .merge(members::routes())
        .merge(meetings::routes())
        .merge(series::routes())
        .merge(join::routes())
        .merge(requests::routes())
        .merge(settings::routes())
        .merge(history::routes())
}

/// The policy actor of the page's visitor.
pub(crate) fn actor(ctx: &PageContext) -> Actor {
    ctx.user
        .as_ref()
        .map(|user| user.actor())
        .unwrap_or(Actor::Anonymous)
}

/// The audit actor of the logged-in visitor (writes need one).
pub(crate) fn audit_actor(ctx: &PageContext) -> Result<AuditActor, AppError> {
    Ok(AuditActor::user(&ctx.require_user()?.user_id))
}

/// The group `slug` as the visitor sees it; "not found" when it is not theirs to see.
pub(crate) async fn load(ctx: &PageContext, slug: &str) -> Result<GroupView, AppError> {
    reader::find(ctx.state().db(), &actor(ctx), slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// As [`load`], for pages of those who run the group (facilitators and staff): an anonymous
/// visitor is sent to log in, anyone else who may see the group gets "forbidden".
pub(crate) async fn load_for_facilitator(
    ctx: &PageContext,
    slug: &str,
) -> Result<GroupView, AppError> {
    let view = load(ctx, slug).await?;
    if !view.standing.can_manage_group() {
        ctx.require_user()?;
        return Err(AppError::Forbidden);
    }
    Ok(view)
}

/// The page's breadcrumbs and title: Werkgroepen › the group.
pub(crate) fn crumbs(ctx: PageContext, view: &GroupView) -> PageContext {
    let list = ctx.t("wg-groups-title");
    ctx.crumb(list, paths::GROUPS)
        .crumb(view.profile.name.clone(), paths::group(&view.profile.slug))
}

/// The group's tabs; `current` is the href of the page shown.
pub(crate) fn tabs(ctx: &PageContext, view: &GroupView, current: &str) -> Vec<Tab> {
    let slug = &view.profile.slug;
    let mut tabs = vec![
        (ctx.t("wg-tab-about"), paths::group(slug)),
        (ctx.t("wg-tab-members"), paths::group_members(slug)),
    ];
    if view.standing.can_read_group() {
        tabs.push((ctx.t("wg-tab-meetings"), paths::group_meetings(slug)));
    }
    if view.standing.can_manage_group() {
        tabs.push((ctx.t("wg-tab-history"), paths::group_history(slug)));
        tabs.push((ctx.t("wg-tab-settings"), paths::group_settings(slug)));
    }
    tabs.into_iter()
        .map(|(label, href)| {
            let is_current = href == current;
            Tab::new(label, href, is_current)
        })
        .collect()
}
