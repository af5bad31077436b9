//! What organisers do with events: create an event or a series (staff), see the participants
//! and the waiting list, change the number of places (which moves people up), and cancel a
//! registration for someone.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, Choice};

use super::{actor, base_url, load, organises, status_label};
use crate::access;
use crate::model::{EventKind, RegistrationMode, RegistrationStatus};
use crate::paths;
use crate::store::events::{self, Event, EventFields};
use crate::store::registrations;

async fn require_staff(ctx: &PageContext) -> Result<(), AppError> {
    ctx.require_user()?;
    let kenniscentrum = access::kenniscentrum_id(ctx.state().db()).await?;
    access::require_staff(&actor(ctx), &kenniscentrum)?;
    Ok(())
}

#[derive(Template)]
#[template(path = "werkgroepen/events/form.html")]
pub(super) struct FormPage {
    ctx: PageContext,
    form: EventFields,
    kinds: Vec<Choice>,
    modes: Vec<Choice>,
    series: Vec<Choice>,
    errors: FormErrors,
    /// Where the form posts: the new-event address, or the event's edit address.
    action: String,
    /// Editing an existing event: the short name is shown, not asked.
    editing: bool,
    /// The default retention in months (the module setting), for the field's hint.
    default_retention: String,
}

async fn form_page(
    ctx: PageContext,
    form: EventFields,
    errors: FormErrors,
) -> Result<FormPage, AppError> {
    let title = ctx.t("wg-event-new-title");
    let list = ctx.t("wg-events-title");
    let ctx = ctx.crumb(list, paths::EVENTS).titled(title);
    event_form_page(ctx, form, errors, paths::NEW_EVENT.to_string(), false).await
}

/// The event form, new or for editing, with the crumbs and title `ctx` already has.
pub(super) async fn event_form_page(
    ctx: PageContext,
    form: EventFields,
    errors: FormErrors,
    action: String,
    editing: bool,
) -> Result<FormPage, AppError> {
    let kinds = Choice::list(EventKind::ALL, &form.kind, EventKind::as_str, |k| {
        ctx.t(&k.label_key())
    });
    let modes = Choice::list(
        RegistrationMode::ALL,
        &form.registration,
        RegistrationMode::as_str,
        |m| ctx.t(&m.label_key()),
    );
    let mut series = vec![Choice::new(
        "",
        ctx.t("wg-event-no-series"),
        form.series_id.is_empty(),
    )];
    for s in events::list_series(ctx.state().db().pool()).await? {
        let selected = s.id == form.series_id;
        series.push(Choice::new(s.id, s.title, selected));
    }
    let default_retention = crate::retention::default_months(ctx.state().db())
        .await?
        .to_string();
    Ok(FormPage {
        ctx,
        form,
        kinds,
        modes,
        series,
        errors,
        action,
        editing,
        default_retention,
    })
}

pub(super) async fn new_form(ctx: PageContext) -> Result<Response, AppError> {
    require_staff(&ctx).await?;
    let form = EventFields {
        kind: EventKind::Opleiding.as_str().into(),
        registration: RegistrationMode::Publiek.as_str().into(),
        local_start: "09:30".into(),
        local_end: "16:30".into(),
        waitlist: "1".into(),
        ..EventFields::default()
    };
    render(&form_page(ctx, form, FormErrors::none()).await?)
}

pub(super) async fn create(
    ctx: PageContext,
    Form(form): Form<EventFields>,
) -> Result<Response, AppError> {
    require_staff(&ctx).await?;
    let user_id = ctx.require_user()?.user_id.clone();
    let mut tx = ctx.state().db().begin().await?;
    let result = events::create(
        &mut tx,
        &form,
        &user_id,
        &steden_core::audit::AuditActor::user(&user_id),
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-event-created")),
            &paths::event(form.slug.trim()),
        )),
        Err(errors) => form::invalid(&form_page(ctx, form, errors).await?),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct SeriesForm {
    slug: String,
    title: String,
    description_md: String,
}

#[derive(Template)]
#[template(path = "werkgroepen/events/series_form.html")]
struct SeriesPage {
    ctx: PageContext,
    form: SeriesForm,
    errors: FormErrors,
}

fn series_page(ctx: PageContext, form: SeriesForm, errors: FormErrors) -> SeriesPage {
    let list = ctx.t("wg-events-title");
    let title = ctx.t("wg-event-series-new-title");
    SeriesPage {
        ctx: ctx.crumb(list, paths::EVENTS).titled(title),
        form,
        errors,
    }
}

pub(super) async fn series_form(ctx: PageContext) -> Result<Response, AppError> {
    require_staff(&ctx).await?;
    render(&series_page(ctx, SeriesForm::default(), FormErrors::none()))
}

pub(super) async fn create_series(
    ctx: PageContext,
    Form(form): Form<SeriesForm>,
) -> Result<Response, AppError> {
    require_staff(&ctx).await?;
    let user_id = ctx.require_user()?.user_id.clone();
    let mut tx = ctx.state().db().begin().await?;
    let result = events::create_series(
        &mut tx,
        &form.slug,
        &form.title,
        &form.description_md,
        &steden_core::audit::AuditActor::user(&user_id),
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-event-series-created")),
            paths::NEW_EVENT,
        )),
        Err(errors) => form::invalid(&series_page(ctx, form, errors)),
    }
}

/// The event, for its organiser or staff only.
pub(super) async fn load_for_organiser(ctx: &PageContext, slug: &str) -> Result<Event, AppError> {
    let event = load(ctx, slug).await?;
    if !organises(ctx, &event).await? {
        ctx.require_user()?;
        return Err(AppError::Forbidden);
    }
    Ok(event)
}

/// One participant row.
struct ParticipantRow {
    id: String,
    name: String,
    email: String,
    organisation: String,
    answers: String,
    status: String,
    open: bool,
}

#[derive(Template)]
#[template(path = "werkgroepen/events/participants.html")]
struct ParticipantsPage {
    ctx: PageContext,
    slug: String,
    confirmed: Vec<ParticipantRow>,
    waiting: Vec<ParticipantRow>,
    cancelled: Vec<ParticipantRow>,
    capacity: String,
    seats_taken: i64,
    errors: FormErrors,
}

async fn participants_page(
    ctx: PageContext,
    event: &Event,
    capacity: String,
    errors: FormErrors,
) -> Result<ParticipantsPage, AppError> {
    let all = registrations::list_for_event(ctx.state().db().pool(), &event.id).await?;
    let mut confirmed = Vec::new();
    let mut waiting = Vec::new();
    let mut cancelled = Vec::new();
    for registration in &all {
        let answers = event
            .questions
            .iter()
            .filter_map(|q| {
                registration
                    .answers
                    .get(&q.key)
                    .map(|a| format!("{}: {a}", q.label))
            })
            .collect::<Vec<_>>()
            .join("; ");
        let row = ParticipantRow {
            id: registration.id.clone(),
            name: registration.name.clone(),
            email: registration.email.clone(),
            organisation: registration.organisation_text.clone(),
            answers,
            status: status_label(&ctx, registration),
            open: registration.status != RegistrationStatus::Geannuleerd,
        };
        match registration.status {
            RegistrationStatus::Bevestigd => confirmed.push(row),
            RegistrationStatus::Wachtlijst => waiting.push(row),
            RegistrationStatus::Geannuleerd => cancelled.push(row),
        }
    }
    let list = ctx.t("wg-events-title");
    let title = ctx.t_with("wg-participants-title", &[("event", event.title.as_str())]);
    Ok(ParticipantsPage {
        ctx: ctx
            .crumb(list, paths::EVENTS)
            .crumb(event.title.clone(), paths::event(&event.slug))
            .titled(title),
        slug: event.slug.clone(),
        confirmed,
        waiting,
        cancelled,
        capacity,
        seats_taken: event.seats_taken,
        errors,
    })
}

pub(super) async fn participants(
    ctx: PageContext,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let event = load_for_organiser(&ctx, &slug).await?;
    let capacity = event.capacity.map(|c| c.to_string()).unwrap_or_default();
    render(&participants_page(ctx, &event, capacity, FormErrors::none()).await?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CapacityForm {
    capacity: String,
}

pub(super) async fn capacity(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(form): Form<CapacityForm>,
) -> Result<Response, AppError> {
    let event = load_for_organiser(&ctx, &slug).await?;
    let user_id = ctx.require_user()?.user_id.clone();
    let capacity = match form.capacity.trim() {
        "" => Ok(None),
        text => text.parse::<i64>().map(Some).map_err(|_| ()),
    };
    let mut tx = ctx.state().db().begin().await?;
    let result = match capacity {
        Ok(capacity) => {
            registrations::set_capacity(
                &mut tx,
                &event.id,
                capacity,
                &steden_core::audit::AuditActor::user(&user_id),
                &base_url(&ctx),
            )
            .await
        }
        Err(()) => Err(steden_core::CoreError::invalid(
            "capacity",
            "Geef het aantal plaatsen als een getal vanaf 1, of laat het leeg voor onbeperkt.",
        )),
    };
    match form::settle(tx, result).await? {
        Ok(moved) => Ok(flash::redirect_with(
            Flash::success(ctx.t_with(
                "wg-event-capacity-saved",
                &[("moved", moved.to_string().as_str())],
            )),
            &paths::event_participants(&slug),
        )),
        Err(errors) => form::invalid(&participants_page(ctx, &event, form.capacity, errors).await?),
    }
}

pub(super) async fn cancel_registration(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let event = load_for_organiser(&ctx, &slug).await?;
    let user_id = ctx.require_user()?.user_id.clone();
    // Only a registration of this event: the id in the address is not trusted beyond it.
    let registration = registrations::find(ctx.state().db().pool(), &id)
        .await?
        .filter(|r| r.event_id == event.id)
        .ok_or(AppError::NotFound)?;
    let mut tx = ctx.state().db().begin().await?;
    registrations::cancel(
        &mut tx,
        &registration.id,
        &steden_core::audit::AuditActor::user(&user_id),
        &base_url(&ctx),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("wg-participant-cancelled")),
        &paths::event_participants(&slug),
    ))
}
