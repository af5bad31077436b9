//! Attendance and certificates (slice S12): the organiser ticks who was there; a participant
//! who attended an event that gives certificates downloads theirs as a PDF (the organiser may
//! download anyone's).

use askama::Template;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Form;
use steden_core::audit::AuditActor;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::AppError;

use super::manage::load_for_organiser;
use super::{load, organises};
use crate::certificate::{self, Attest};
use crate::model::RegistrationStatus;
use crate::paths;
use crate::store::attendance;
use crate::store::events::Event;
use crate::store::registrations::{self, Registration};
use crate::web::group::meetings::long_date;

struct Row {
    id: String,
    name: String,
    organisation: String,
    present: bool,
    certificate: Option<String>,
}

#[derive(Template)]
#[template(path = "werkgroepen/events/attendance.html")]
struct AttendancePage {
    ctx: PageContext,
    slug: String,
    rows: Vec<Row>,
    errors: FormErrors,
}

async fn page(
    ctx: PageContext,
    event: &Event,
    errors: FormErrors,
) -> Result<AttendancePage, AppError> {
    let rows = registrations::list_for_event(ctx.state().db().pool(), &event.id)
        .await?
        .into_iter()
        .filter(|r| r.status == RegistrationStatus::Bevestigd)
        .map(|r| Row {
            certificate: (event.certificates && r.attended == Some(true))
                .then(|| paths::event_certificate(&event.slug, &r.id)),
            present: r.attended == Some(true),
            id: r.id,
            name: r.name,
            organisation: r.organisation_text,
        })
        .collect();
    let list = ctx.t("wg-events-title");
    let title = ctx.t_with("wg-attendance-title", &[("event", event.title.as_str())]);
    Ok(AttendancePage {
        ctx: ctx
            .crumb(list, paths::EVENTS)
            .crumb(event.title.clone(), paths::event(&event.slug))
            .titled(title),
        slug: event.slug.clone(),
        rows,
        errors,
    })
}

pub(super) async fn show(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let event = load_for_organiser(&ctx, &slug).await?;
    render(&page(ctx, &event, FormErrors::none()).await?)
}

/// The form sends `aanwezig=<registration id>` once per ticked box.
pub(super) async fn save(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let event = load_for_organiser(&ctx, &slug).await?;
    let user_id = ctx.require_user()?.user_id.clone();
    let present: Vec<String> = fields
        .into_iter()
        .filter(|(name, _)| name == "aanwezig")
        .map(|(_, id)| id)
        .collect();
    let mut tx = ctx.state().db().begin().await?;
    let result =
        attendance::record(&mut tx, &event.id, &present, &AuditActor::user(&user_id)).await;
    match form::settle(tx, result).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-attendance-saved")),
            &paths::event_attendance(&slug),
        )),
        Err(errors) => form::invalid(&page(ctx, &event, errors).await?),
    }
}

/// `…/attest/{registration}.pdf`: for the organiser, or the participant themselves (logged
/// in); only for an attended registration of an event that gives certificates.
pub(super) async fn download(
    ctx: PageContext,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let event = load(&ctx, &slug).await?;
    let id = file.strip_suffix(".pdf").ok_or(AppError::NotFound)?;
    let registration: Registration = registrations::find(ctx.state().db().pool(), id)
        .await?
        .filter(|r| r.event_id == event.id)
        .ok_or(AppError::NotFound)?;
    let own = matches!(
        (ctx.user.as_ref(), registration.user_id.as_deref()),
        (Some(user), Some(owner)) if user.user_id == owner
    );
    if !own && !organises(&ctx, &event).await? {
        ctx.require_user()?;
        return Err(AppError::Forbidden);
    }
    if !event.certificates
        || registration.status != RegistrationStatus::Bevestigd
        || registration.attended != Some(true)
    {
        return Err(AppError::NotFound);
    }
    let bytes = certificate::pdf(&Attest {
        name: registration.name.clone(),
        organisation: registration.organisation_text.clone(),
        event: event.title.clone(),
        kind: ctx.t(&event.kind.label_key()),
        when: format!(
            "{}, {}–{}",
            long_date(&event.local_date),
            event.local_start,
            event.local_end
        ),
        place: event.place.clone(),
    });
    let mut tx = ctx.state().db().begin().await?;
    attendance::mark_certificate_issued(&mut tx, &registration.id).await?;
    tx.commit().await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"attest-{}.pdf\"", event.slug),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
