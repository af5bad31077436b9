//! Changing an event after it was created (organiser or staff): the edit form at
//! `…/{slug}/bewerken` (the create form, filled in) and cancelling at `…/{slug}/annuleren`,
//! a confirm page with the reason, then a POST. Both only while the event is planned.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use steden_core::audit::AuditActor;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::AppError;

use super::base_url;
use super::manage::{event_form_page, load_for_organiser};
use crate::paths;
use crate::store::event_changes;
use crate::store::events::{self, Event, EventFields};

/// The event as the form shows it.
fn fields_of(event: &Event) -> EventFields {
    EventFields {
        slug: event.slug.clone(),
        title: event.title.clone(),
        kind: event.kind.as_str().into(),
        series_id: event.series_id.clone().unwrap_or_default(),
        description_md: event.description_md.clone(),
        local_date: event.local_date.clone(),
        local_start: event.local_start.clone(),
        local_end: event.local_end.clone(),
        place: event.place.clone(),
        online_url: event.online_url.clone(),
        registration: event.registration.as_str().into(),
        capacity: event.capacity.map(|c| c.to_string()).unwrap_or_default(),
        waitlist: if event.waitlist { "1" } else { "" }.into(),
        questions: events::question_lines(&event.questions),
        certificates: if event.certificates { "1" } else { "" }.into(),
        retention_months: event
            .retention_months
            .map(|m| m.to_string())
            .unwrap_or_default(),
    }
}

/// The organiser's event, or a redirect to its page when it is no longer planned.
async fn planned(ctx: &PageContext, slug: &str) -> Result<Result<Event, Response>, AppError> {
    let event = load_for_organiser(ctx, slug).await?;
    if event.status != "gepland" {
        return Ok(Err(flash::redirect_with(
            Flash::error(event_changes::NOT_PLANNED),
            &paths::event(slug),
        )));
    }
    Ok(Ok(event))
}

fn edit_ctx(ctx: PageContext, event: &Event) -> PageContext {
    let list = ctx.t("wg-events-title");
    let title = ctx.t_with("wgev-edit-title", &[("event", event.title.as_str())]);
    ctx.crumb(list, paths::EVENTS)
        .crumb(event.title.clone(), paths::event(&event.slug))
        .titled(title)
}

pub(super) async fn edit_form(
    ctx: PageContext,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let event = match planned(&ctx, &slug).await? {
        Ok(event) => event,
        Err(redirect) => return Ok(redirect),
    };
    let form = fields_of(&event);
    let ctx = edit_ctx(ctx, &event);
    render(
        &event_form_page(
            ctx,
            form,
            FormErrors::none(),
            paths::event_edit(&slug),
            true,
        )
        .await?,
    )
}

pub(super) async fn edit_save(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(mut form): Form<EventFields>,
) -> Result<Response, AppError> {
    let event = match planned(&ctx, &slug).await? {
        Ok(event) => event,
        Err(redirect) => return Ok(redirect),
    };
    let user_id = ctx.require_user()?.user_id.clone();
    form.slug = event.slug.clone();
    let mut tx = ctx.state().db().begin().await?;
    let result = event_changes::update(
        &mut tx,
        &event.id,
        &form,
        &AuditActor::user(&user_id),
        &base_url(&ctx),
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(edited) => {
            let message = ctx.t_with(
                "wgev-edit-saved",
                &[
                    ("notified", edited.notified.to_string().as_str()),
                    ("moved", edited.moved_up.to_string().as_str()),
                ],
            );
            Ok(flash::redirect_with(
                Flash::success(message),
                &paths::event(&slug),
            ))
        }
        Err(errors) => {
            let ctx = edit_ctx(ctx, &event);
            form::invalid(
                &event_form_page(ctx, form, errors, paths::event_edit(&slug), true).await?,
            )
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CancelForm {
    reason: String,
}

#[derive(Template)]
#[template(path = "werkgroepen/events/cancel.html")]
struct CancelPage {
    ctx: PageContext,
    slug: String,
    when: String,
    registered: i64,
    reason: String,
    errors: FormErrors,
}

async fn cancel_page(
    ctx: PageContext,
    event: &Event,
    reason: String,
    errors: FormErrors,
) -> Result<CancelPage, AppError> {
    let registered: i64 =
        crate::store::registrations::list_for_event(ctx.state().db().pool(), &event.id)
            .await?
            .iter()
            .filter(|r| r.status != crate::model::RegistrationStatus::Geannuleerd)
            .count() as i64;
    let list = ctx.t("wg-events-title");
    let title = ctx.t_with("wgev-cancel-title", &[("event", event.title.as_str())]);
    Ok(CancelPage {
        ctx: ctx
            .crumb(list, paths::EVENTS)
            .crumb(event.title.clone(), paths::event(&event.slug))
            .titled(title),
        slug: event.slug.clone(),
        when: format!(
            "{}, {}–{}",
            crate::web::group::meetings::long_date(&event.local_date),
            event.local_start,
            event.local_end
        ),
        registered,
        reason,
        errors,
    })
}

pub(super) async fn cancel_form(
    ctx: PageContext,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let event = match planned(&ctx, &slug).await? {
        Ok(event) => event,
        Err(redirect) => return Ok(redirect),
    };
    render(&cancel_page(ctx, &event, String::new(), FormErrors::none()).await?)
}

pub(super) async fn cancel(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(form): Form<CancelForm>,
) -> Result<Response, AppError> {
    let event = match planned(&ctx, &slug).await? {
        Ok(event) => event,
        Err(redirect) => return Ok(redirect),
    };
    let user_id = ctx.require_user()?.user_id.clone();
    let mut tx = ctx.state().db().begin().await?;
    let result = event_changes::cancel(
        &mut tx,
        &event.id,
        &form.reason,
        &AuditActor::user(&user_id),
        &base_url(&ctx),
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(mailed) => Ok(flash::redirect_with(
            Flash::success(ctx.t_with(
                "wgev-cancel-done",
                &[("mailed", mailed.to_string().as_str())],
            )),
            &paths::event(&slug),
        )),
        Err(errors) => form::invalid(&cancel_page(ctx, &event, form.reason, errors).await?),
    }
}
