//! A participant's own registration, through the signed link of their confirmation mail
//! (`/werkgroepen/inschrijving/{signed}`): the GET only shows it (mail scanners open every
//! link), the button POSTs the cancellation. A forged link is refused with 400 "Deze link is
//! niet geldig.", an expired one with 410 "Deze link is verlopen." (design §3.9); neither
//! writes anything.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use steden_core::audit::AuditActor;
use steden_web::flash::{self, Flash};
use steden_web::page::{render, PageContext};
use steden_web::AppError;

use super::{base_url, status_label, EventRow};
use crate::model::RegistrationStatus;
use crate::paths;
use crate::signed_link::{self, LinkError, LinkKind};
use crate::store::events::{self, Event};
use crate::store::registrations::{self, Registration};

#[derive(Template)]
#[template(path = "werkgroepen/events/link_error.html")]
struct ErrorPage {
    ctx: PageContext,
    message: String,
}

pub(super) fn refused(ctx: PageContext, error: LinkError) -> Result<Response, AppError> {
    let (status, key) = match error {
        LinkError::Invalid => (StatusCode::BAD_REQUEST, "wg-link-invalid"),
        LinkError::Expired => (StatusCode::GONE, "wg-link-expired"),
    };
    let message = ctx.t(key);
    let mut response = render(&ErrorPage {
        ctx: ctx.titled(message.clone()),
        message,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// The registration and its event the token stands for.
async fn resolve(ctx: &PageContext, token: &str) -> Result<(Registration, Event), LinkError> {
    let db = ctx.state().db();
    let key = signed_link::key(db).await.map_err(|_| LinkError::Invalid)?;
    let id = signed_link::verify(&key, LinkKind::Registration, token, steden_db::now_ms())?;
    // Signed by us but gone (removed at retention): nothing left to show or cancel.
    let registration = registrations::find(db.pool(), &id)
        .await
        .ok()
        .flatten()
        .ok_or(LinkError::Expired)?;
    let event = events::find(db.pool(), &registration.event_id)
        .await
        .ok()
        .flatten()
        .ok_or(LinkError::Expired)?;
    Ok((registration, event))
}

#[derive(Template)]
#[template(path = "werkgroepen/events/registration.html")]
struct RegistrationPage {
    ctx: PageContext,
    action: String,
    event: EventRow,
    event_href: String,
    name: String,
    status: String,
    open: bool,
}

pub(super) async fn show(
    ctx: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (registration, event) = match resolve(&ctx, &token).await {
        Ok(found) => found,
        Err(error) => return refused(ctx, error),
    };
    let title = ctx.t_with("wg-registration-title", &[("event", event.title.as_str())]);
    render(&RegistrationPage {
        action: paths::registration_link(&token),
        event: EventRow::of(&ctx, &event),
        event_href: paths::event(&event.slug),
        name: registration.name.clone(),
        status: status_label(&ctx, &registration),
        open: registration.status != RegistrationStatus::Geannuleerd,
        ctx: ctx.titled(title),
    })
}

pub(super) async fn cancel(
    ctx: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (registration, _) = match resolve(&ctx, &token).await {
        Ok(found) => found,
        Err(error) => return refused(ctx, error),
    };
    // The link holder acts for the participant: a logged-in participant is the actor, a
    // public registrant the platform (the link is the proof).
    let actor = registration
        .user_id
        .as_deref()
        .map(AuditActor::user)
        .unwrap_or_else(AuditActor::system);
    let mut tx = ctx.state().db().begin().await?;
    registrations::cancel(&mut tx, &registration.id, &actor, &base_url(&ctx)).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("wg-event-unregistered")),
        &paths::registration_link(&token),
    ))
}
