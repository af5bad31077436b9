//! The data team's list of websites that may frame the embeds (`/cijfers/beheer/insluiten`):
//! the origins of its organisation (chosen with the switcher), one added or removed at a time,
//! each change checked by [`access::require_manage_embed_origins`], CSRF-protected as every
//! form, and refused with a Dutch message when it is no `https://host[:port]` origin.

use askama::Template;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access;
use crate::paths;
use crate::store::embed_origins;
use crate::web::actor;
use crate::web::admin::working_org;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::ADMIN_EMBED_ORIGINS, get(list).post(add))
        .route(paths::ADMIN_EMBED_ORIGIN_REMOVE, post(remove))
}

#[derive(Template)]
#[template(path = "cijfers/embed_origins.html")]
struct OriginsPage {
    ctx: PageContext,
    organisation: String,
    origins: Vec<String>,
    typed: String,
    errors: FormErrors,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OriginForm {
    #[serde(default)]
    pub origin: String,
}

/// The visitor's organisation, once they may manage its origins.
async fn managed_org(ctx: &PageContext) -> Result<String, AppError> {
    let (org, _) = working_org(ctx).await?;
    access::require_manage_embed_origins(&actor(ctx), &org)?;
    Ok(org)
}

async fn page(
    ctx: PageContext,
    org: &str,
    typed: String,
    errors: FormErrors,
) -> Result<OriginsPage, AppError> {
    let pool = ctx.state().db().pool();
    let origins = embed_origins::list(pool, org).await?;
    let organisation = steden_core::org::get(pool, org).await?.name;
    let title = ctx.t("cijfers-origins-title");
    let crumb = ctx.t("cijfers-admin-title");
    Ok(OriginsPage {
        ctx: ctx.crumb(crumb, paths::ADMIN_INDICATORS).titled(title),
        organisation,
        origins,
        typed,
        errors,
    })
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    let org = managed_org(&ctx).await?;
    render(&page(ctx, &org, String::new(), FormErrors::none()).await?)
}

async fn add(ctx: PageContext, Form(form): Form<OriginForm>) -> Result<Response, AppError> {
    let org = managed_org(&ctx).await?;
    let audit = actor(&ctx).audit_actor();
    let mut tx = ctx.state().db().begin().await?;
    let result = embed_origins::add(&mut tx, &org, &form.origin, &audit).await;
    match form::settle(tx, result).await? {
        Ok(origin) => Ok(flash::redirect_with(
            Flash::success(ctx.t_with("cijfers-origin-added", &[("origin", origin.as_str())])),
            paths::ADMIN_EMBED_ORIGINS,
        )),
        Err(errors) => form::invalid(&page(ctx, &org, form.origin, errors).await?),
    }
}

async fn remove(ctx: PageContext, Form(form): Form<OriginForm>) -> Result<Response, AppError> {
    let org = managed_org(&ctx).await?;
    let audit = actor(&ctx).audit_actor();
    let mut tx = ctx.state().db().begin().await?;
    embed_origins::remove(&mut tx, &org, form.origin.trim(), &audit).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t_with("cijfers-origin-removed", &[("origin", form.origin.trim())])),
        paths::ADMIN_EMBED_ORIGINS,
    ))
}
