//! /beheer: the start page of administration, the target of the "Beheer" breadcrumb. It lists
//! only the administration pages this user may open, so that no link leads to "geen toegang".

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_core::policy;

use super::overview::scope_of;
use crate::error::AppError;
use crate::page::{render, PageContext};
use crate::state::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/beheer", get(admin_home))
}

/// A link on the page: where, its title and one line about it.
pub struct AdminLink {
    pub href: &'static str,
    pub title: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "audit/admin_home.html")]
struct AdminHome {
    ctx: PageContext,
    links: Vec<AdminLink>,
}

async fn admin_home(ctx: PageContext) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let platform_admin = policy::require_platform_admin(&user.actor()).is_ok();
    let may_read_audit = scope_of(user).is_ok();
    let link = |href, key: &str| AdminLink {
        href,
        title: ctx.t(key),
        text: ctx.t(&format!("{key}-text")),
    };
    let mut links = vec![link("/beheer/organisaties", "admin-link-organisations")];
    if platform_admin {
        links.push(link("/beheer/gebruikers", "admin-link-users"));
        links.push(link("/beheer/taken", "admin-link-jobs"));
        links.push(link(crate::styleguide::PATH, "admin-link-styleguide"));
    }
    if may_read_audit {
        links.push(link("/beheer/audit", "admin-link-audit"));
    }
    let title = ctx.t("admin-title");
    render(&AdminHome {
        ctx: ctx.titled(title),
        links,
    })
}
