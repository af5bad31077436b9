//! The retention setting's page (`/werkgroepen/beheer/bewaartermijn`, issue 13 point 8): staff
//! read how long event participants' data is kept and what the daily retention job then
//! deletes or anonymises; a manager of the Kenniscentrum (the policy's `Manage`, as
//! [`crate::access::is_manager`] says) changes the months, 1 to 120. A wrong value shows the
//! form again with a Dutch message and writes nothing.

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access;
use crate::paths;
use crate::store::retention::DEFAULT_MONTHS;
use crate::store::retention_setting::{self, MAX_MONTHS, MIN_MONTHS};

use super::group::{actor, audit_actor};

pub fn routes() -> Router<AppState> {
    Router::new().route(paths::RETENTION, get(show).post(update))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RetentionForm {
    months: String,
}

#[derive(Template)]
#[template(path = "werkgroepen/admin_retention.html")]
struct RetentionPage {
    ctx: PageContext,
    current: u32,
    default_months: u32,
    min: u32,
    max: u32,
    may_change: bool,
    form: RetentionForm,
    errors: FormErrors,
}

async fn page(
    ctx: PageContext,
    form: Option<RetentionForm>,
    errors: FormErrors,
) -> Result<RetentionPage, AppError> {
    ctx.require_user()?;
    let db = ctx.state().db();
    let kenniscentrum_id = access::kenniscentrum_id(db).await?;
    let who = actor(&ctx);
    access::require_staff(&who, &kenniscentrum_id)?;
    let current = crate::retention::default_months(db).await?;
    let title = ctx.t("wgr-title");
    let overview = ctx.t("wg-overview-title");
    Ok(RetentionPage {
        current,
        default_months: DEFAULT_MONTHS,
        min: MIN_MONTHS,
        max: MAX_MONTHS,
        may_change: access::is_manager(&who, &kenniscentrum_id),
        form: form.unwrap_or(RetentionForm {
            months: current.to_string(),
        }),
        errors,
        ctx: ctx.crumb(overview, paths::OVERVIEW).titled(title),
    })
}

async fn show(ctx: PageContext) -> Result<Response, AppError> {
    render(&page(ctx, None, FormErrors::none()).await?)
}

async fn update(ctx: PageContext, Form(form): Form<RetentionForm>) -> Result<Response, AppError> {
    ctx.require_user()?;
    let kenniscentrum_id = access::kenniscentrum_id(ctx.state().db()).await?;
    let who = actor(&ctx);
    let audit = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result =
        retention_setting::set(&mut tx, &who, &kenniscentrum_id, &form.months, &audit).await;
    match form::settle(tx, result).await? {
        Ok(months) => Ok(flash::redirect_with(
            Flash::success(ctx.t_with("wgr-done", &[("months", months.to_string().as_str())])),
            paths::RETENTION,
        )),
        Err(errors) => form::invalid(&page(ctx, Some(form), errors).await?),
    }
}
