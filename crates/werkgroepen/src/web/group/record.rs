//! `/werkgroepen/{slug}/vergaderingen/registreren`: a facilitator records a meeting that
//! already took place, so it counts in the group's history and in the plan's indicator.

use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::paths;
use crate::store::meeting_record;
use crate::store::meetings::MeetingFields;

use super::meetings::{form_page, usual_fields};
use super::{audit_actor, load_for_facilitator};

const TITLE_KEY: &str = "wg-meeting-record-title";

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/werkgroepen/{slug}/vergaderingen/registreren",
        get(record_form).post(record),
    )
}

async fn record_form(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let form = usual_fields(&view);
    let action = paths::group_meeting_record(&slug);
    render(&form_page(
        ctx,
        &view,
        TITLE_KEY,
        action,
        form,
        FormErrors::none(),
    ))
}

async fn record(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(form): Form<MeetingFields>,
) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = meeting_record::record_held(
        &mut tx,
        &view.standing,
        &view.profile.group_id,
        &form,
        &actor,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(id) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-meeting-recorded")),
            &paths::group_meeting(&slug, &id),
        )),
        Err(errors) => {
            let action = paths::group_meeting_record(&slug);
            form::invalid(&form_page(ctx, &view, TITLE_KEY, action, form, errors))
        }
    }
}
