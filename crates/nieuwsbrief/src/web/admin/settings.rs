//! `/nieuwsbrief/beheer/instellingen`: the module's settings, for managers of the
//! Kenniscentrum ([`crate::access::require_manager`]). For now one switch: whether the public
//! form records the client's IP address with the consent (issue 14: "no IP address unless an
//! administrator turns that on"; off by default).

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access;
use crate::paths;
use crate::store::housekeeping;

pub fn routes() -> Router<AppState> {
    Router::new().route(paths::ADMIN_SETTINGS, get(show).post(save))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SettingsForm {
    record_ip: String,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/admin/settings.html")]
struct SettingsPage {
    ctx: PageContext,
    errors: steden_web::form::FormErrors,
    record_ip: bool,
}

/// The visitor, when they are a manager (anonymous: to the login page; others: forbidden).
async fn manager(ctx: &PageContext) -> Result<super::Staff, AppError> {
    let staff = super::staff(ctx).await?;
    access::require_manager(&staff.actor, &staff.kenniscentrum_id)?;
    Ok(staff)
}

async fn show(ctx: PageContext) -> Result<Response, AppError> {
    manager(&ctx).await?;
    let record_ip = housekeeping::record_ip(ctx.state().db().pool()).await?;
    let title = ctx.t("nb-admin-settings-title");
    let dashboard = ctx.t("nb-admin-title");
    render(&SettingsPage {
        errors: steden_web::form::FormErrors::none(),
        record_ip,
        ctx: ctx.crumb(dashboard, paths::ADMIN).titled(title),
    })
}

async fn save(ctx: PageContext, Form(form): Form<SettingsForm>) -> Result<Response, AppError> {
    let staff = manager(&ctx).await?;
    let on = form.record_ip == "1";
    let mut tx = ctx.state().db().begin().await?;
    housekeeping::set_record_ip(
        &mut tx,
        &staff.actor,
        &staff.kenniscentrum_id,
        on,
        &staff.audit,
        steden_db::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("nb-admin-settings-saved")),
        paths::ADMIN_SETTINGS,
    ))
}
