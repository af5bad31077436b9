//! The LinkedIn planner's pages (issue 14 point 7, design §3.9), for editors:
//!
//! - [`planner`]: twelve weeks, each with its posts or "Nog geen post gepland", and the figures
//!   per month;
//! - [`new_post`]: drafting a post, from scratch or from a platform item found through the
//!   item port (`steden_web::items`);
//! - [`post`]: one post: edit, plan on a day, mark posted with its address, enter its figures
//!   and follow them in a chart; delete.

mod new_post;
mod planner;
mod post;

use axum::Router;
use steden_web::page::PageContext;
use steden_web::AppState;

use crate::paths;

pub fn routes() -> Router<AppState> {
    planner::routes()
        .merge(new_post::routes())
        .merge(post::routes())
}

/// `ctx` with the planner's place in the breadcrumbs: the editors' home, then the planner.
fn crumbed(ctx: PageContext) -> PageContext {
    let editors = ctx.t("nb-li-crumb-editors");
    ctx.crumb(editors, paths::ADMIN)
}

/// `ctx` with the crumbs of a page under the planner.
fn crumbed_in_planner(ctx: PageContext) -> PageContext {
    let planner = ctx.t("nb-li-title");
    crumbed(ctx).crumb(planner, paths::LINKEDIN)
}
