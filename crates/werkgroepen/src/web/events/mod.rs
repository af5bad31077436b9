//! Events and trainings (`/werkgroepen/activiteiten`, design §3.1): the list, an event's page
//! with its registration form, and registering. Organisers' pages are in [`manage`], the
//! participant's signed link in [`link`]. Plain forms throughout, so everything works without
//! JavaScript.

mod attendance;
mod change;
mod evaluation;
mod exports;
mod link;
mod manage;
mod series;

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use steden_core::audit::AuditActor;
use steden_core::policy::Actor;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access;
use crate::model::{RegistrationMode, RegistrationStatus};
use crate::paths;
use crate::store::events::{self, Event, Question};
use crate::store::registrations::{self, Registrant, Registration};
use crate::web::group::meetings::long_date;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/werkgroepen/activiteiten", get(list))
        .route(
            "/werkgroepen/activiteiten/nieuw",
            get(manage::new_form).post(manage::create),
        )
        .route(
            "/werkgroepen/activiteiten/reeks",
            get(manage::series_form).post(manage::create_series),
        )
        .route("/werkgroepen/activiteiten/{slug}", get(show))
        .route(
            "/werkgroepen/activiteiten/{slug}/bewerken",
            get(change::edit_form).post(change::edit_save),
        )
        .route(
            "/werkgroepen/activiteiten/{slug}/annuleren",
            get(change::cancel_form).post(change::cancel),
        )
        .route("/werkgroepen/activiteiten/reeksen/{id}", get(series::show))
        .route(
            "/werkgroepen/activiteiten/{slug}/inschrijven",
            post(register),
        )
        .route(
            "/werkgroepen/activiteiten/{slug}/uitschrijven",
            post(unregister),
        )
        .route(
            "/werkgroepen/activiteiten/{slug}/deelnemers",
            get(manage::participants),
        )
        .route(
            "/werkgroepen/activiteiten/{slug}/plaatsen",
            post(manage::capacity),
        )
        .route(
            "/werkgroepen/activiteiten/{slug}/deelnemers/{id}/annuleren",
            post(manage::cancel_registration),
        )
        .route(
            "/werkgroepen/inschrijving/{token}",
            get(link::show).post(link::cancel),
        )
        .route(
            "/werkgroepen/activiteiten/{slug}/deelnemers.csv",
            get(exports::participants_csv),
        )
        .route(
            "/werkgroepen/activiteiten/{slug}/deelnemers.xlsx",
            get(exports::participants_xlsx),
        )
        .route(
            "/werkgroepen/activiteiten/{slug}/aanwezigheid",
            get(attendance::show).post(attendance::save),
        )
        .route(
            "/werkgroepen/activiteiten/{slug}/attest/{file}",
            get(attendance::download),
        )
        .route(
            "/werkgroepen/activiteiten/{slug}/evaluatie",
            get(evaluation::setup).post(evaluation::save_questions),
        )
        .route(
            "/werkgroepen/activiteiten/{slug}/evaluatie/versturen",
            post(evaluation::send),
        )
        .route(
            "/werkgroepen/activiteiten/{slug}/evaluatie/resultaten",
            get(evaluation::results),
        )
        .route(
            "/werkgroepen/evaluatie/{token}",
            get(evaluation::form_show).post(evaluation::form_submit),
        )
}

fn actor(ctx: &PageContext) -> Actor {
    ctx.user
        .as_ref()
        .map(|user| user.actor())
        .unwrap_or(Actor::Anonymous)
}

/// The site's address, for links in mails.
fn base_url(ctx: &PageContext) -> String {
    ctx.state().config().base_url.clone()
}

/// Whether the visitor is staff or the event's organiser.
async fn organises(ctx: &PageContext, event: &Event) -> Result<bool, AppError> {
    let kenniscentrum = access::kenniscentrum_id(ctx.state().db()).await?;
    Ok(access::may_organise_event(
        &actor(ctx),
        &kenniscentrum,
        event.organiser_id.as_deref(),
    ))
}

/// A public event is for everyone; the others for logged-in people (and their organisers).
fn may_see(ctx: &PageContext, event: &Event) -> bool {
    event.registration == RegistrationMode::Publiek || ctx.user.is_some()
}

/// The event `slug` as the visitor may see it: "not found" otherwise (an anonymous visitor of
/// a members' event is sent to log in).
async fn load(ctx: &PageContext, slug: &str) -> Result<Event, AppError> {
    let event = events::find_by_slug(ctx.state().db().pool(), slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_see(ctx, &event) {
        ctx.require_user()?;
        return Err(AppError::NotFound);
    }
    Ok(event)
}

/// One event as the pages show it.
pub(crate) struct EventRow {
    href: String,
    title: String,
    kind: String,
    when: String,
    place: String,
    online_url: String,
    /// "12 van 20 plaatsen vrij", "Volzet (3 op de wachtlijst)", "Onbeperkt".
    places: String,
    registration: String,
    cancelled: bool,
    /// The series' title and page, if the event belongs to one.
    series_title: String,
    series_href: String,
}

impl EventRow {
    fn of(ctx: &PageContext, event: &Event) -> EventRow {
        let places = match event.free_places() {
            None => ctx.t("wg-event-places-unlimited"),
            Some(0) => ctx.t("wg-event-places-full"),
            Some(free) => ctx.t_with(
                "wg-event-places-free",
                &[
                    ("free", free.to_string().as_str()),
                    (
                        "capacity",
                        event.capacity.unwrap_or_default().to_string().as_str(),
                    ),
                ],
            ),
        };
        EventRow {
            href: paths::event(&event.slug),
            title: event.title.clone(),
            kind: ctx.t(&event.kind.label_key()),
            when: format!(
                "{}, {}–{}",
                long_date(&event.local_date),
                event.local_start,
                event.local_end
            ),
            place: event.place.clone(),
            online_url: event.online_url.clone(),
            places,
            registration: ctx.t(&event.registration.label_key()),
            cancelled: event.status == "geannuleerd",
            series_title: String::new(),
            series_href: String::new(),
        }
    }

    /// The row with its series named (from the list of every series).
    fn in_series(mut self, event: &Event, all: &[events::EventSeries]) -> EventRow {
        if let Some(series) = event
            .series_id
            .as_deref()
            .and_then(|id| all.iter().find(|s| s.id == id))
        {
            self.series_title = series.title.clone();
            self.series_href = paths::event_series(&series.id);
        }
        self
    }
}

#[derive(Template)]
#[template(path = "werkgroepen/events/list.html")]
struct ListPage {
    ctx: PageContext,
    coming: Vec<EventRow>,
    past: Vec<EventRow>,
    /// The series with an event the visitor may see (staff: every series): title, page.
    series: Vec<(String, String)>,
    may_create: bool,
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    let all = events::list(ctx.state().db().pool()).await?;
    let all_series = events::list_series(ctx.state().db().pool()).await?;
    let now = steden_db::now_ms();
    let visible: Vec<&Event> = all.iter().filter(|e| may_see(&ctx, e)).collect();
    let coming = visible
        .iter()
        .filter(|e| e.ends_at >= now)
        .map(|e| EventRow::of(&ctx, e).in_series(e, &all_series))
        .collect();
    let past = visible
        .iter()
        .rev()
        .filter(|e| e.ends_at < now)
        .map(|e| EventRow::of(&ctx, e).in_series(e, &all_series))
        .collect();
    let kenniscentrum = access::kenniscentrum_id(ctx.state().db()).await?;
    let may_create = access::is_staff(&actor(&ctx), &kenniscentrum);
    let series = all_series
        .iter()
        .filter(|s| {
            may_create
                || visible
                    .iter()
                    .any(|e| e.series_id.as_deref() == Some(&s.id))
        })
        .map(|s| (s.title.clone(), paths::event_series(&s.id)))
        .collect();
    let title = ctx.t("wg-events-title");
    render(&ListPage {
        ctx: ctx.titled(title),
        coming,
        past,
        series,
        may_create,
    })
}

/// A registration question on the form, with what was typed.
struct QuestionField {
    question: Question,
    value: String,
}

#[derive(Template)]
#[template(path = "werkgroepen/events/show.html")]
struct ShowPage {
    ctx: PageContext,
    slug: String,
    event: EventRow,
    description: String,
    /// The event is still planned: the organiser may edit or cancel it.
    planned: bool,
    /// Registration is open now (and the visitor may use it, or may log in for it).
    open: bool,
    /// A members' event seen by an anonymous visitor: "log in to register".
    needs_login: bool,
    /// Logged in without role `lid` anywhere, for a members' event.
    not_member: bool,
    /// Full and no waiting list.
    full: bool,
    /// The free places are gone, but the waiting list is open.
    waitlist: bool,
    /// The visitor's own open registration, if logged in.
    own: Option<Registration>,
    /// Their certificate, once they attended an event that gives one.
    certificate: Option<String>,
    logged_in_as: Option<String>,
    typed_name: String,
    email: String,
    organisation_text: String,
    questions: Vec<QuestionField>,
    organises: bool,
    errors: FormErrors,
}

async fn show_page(
    ctx: PageContext,
    event: Event,
    typed: &BTreeMap<String, String>,
    errors: FormErrors,
) -> Result<ShowPage, AppError> {
    let db = ctx.state().db();
    let organises = organises(&ctx, &event).await?;
    let own = match ctx.user.as_ref() {
        Some(user) => {
            registrations::find_open_for_user(db.pool(), &event.id, &user.user_id).await?
        }
        None => None,
    };
    let all_series = events::list_series(db.pool()).await?;
    let now = steden_db::now_ms();
    let open = event.status == "gepland"
        && event.registration != RegistrationMode::Gesloten
        && now < event.closes_at();
    let full = event.free_places() == Some(0);
    let value = |key: &str| typed.get(key).cloned().unwrap_or_default();
    let questions = event
        .questions
        .iter()
        .map(|q| QuestionField {
            question: q.clone(),
            value: value(&q.key),
        })
        .collect();
    let certificate = own
        .as_ref()
        .filter(|r| event.certificates && r.attended == Some(true))
        .map(|r| paths::event_certificate(&event.slug, &r.id));
    let title = event.title.clone();
    let list = ctx.t("wg-events-title");
    Ok(ShowPage {
        certificate,
        slug: event.slug.clone(),
        event: EventRow::of(&ctx, &event).in_series(&event, &all_series),
        description: event.description_md.clone(),
        planned: event.status == "gepland",
        open,
        needs_login: event.registration == RegistrationMode::Leden && ctx.user.is_none(),
        not_member: event.registration == RegistrationMode::Leden
            && ctx.user.is_some()
            && !access::may_register_as_member(&actor(&ctx)),
        full: full && !event.waitlist,
        waitlist: full && event.waitlist,
        own,
        logged_in_as: ctx
            .user
            .as_ref()
            .map(|u| format!("{} ({})", u.name, u.email)),
        typed_name: value("name"),
        email: value("email"),
        organisation_text: value("organisation_text"),
        questions,
        organises,
        errors,
        ctx: ctx.crumb(list, paths::EVENTS).titled(title),
    })
}

async fn show(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let event = load(&ctx, &slug).await?;
    render(&show_page(ctx, event, &BTreeMap::new(), FormErrors::none()).await?)
}

async fn register(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(fields): Form<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let event = load(&ctx, &slug).await?;
    let registrant = match ctx.user.as_ref() {
        Some(user) => Registrant::User {
            user_id: user.user_id.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            organisation_id: user.active_org.as_ref().map(|org| org.id.clone()),
            member: access::may_register_as_member(&actor(&ctx)),
        },
        None => Registrant::Anonymous,
    };
    let mut tx = ctx.state().db().begin().await?;
    let result =
        registrations::register(&mut tx, &event.id, &registrant, &fields, &base_url(&ctx)).await;
    match form::settle(tx, result).await? {
        Ok(registered) => {
            let message = match registered.waitlist_number {
                Some(number) => ctx.t_with(
                    "wg-event-registered-waitlist",
                    &[("number", number.to_string().as_str())],
                ),
                None => ctx.t("wg-event-registered"),
            };
            Ok(flash::redirect_with(
                Flash::success(message),
                &paths::event(&slug),
            ))
        }
        Err(errors) => form::invalid(&show_page(ctx, event, &fields, errors).await?),
    }
}

/// A logged-in participant cancels their own registration from the event's page.
async fn unregister(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let event = load(&ctx, &slug).await?;
    let user = ctx.require_user()?;
    let own = registrations::find_open_for_user(ctx.state().db().pool(), &event.id, &user.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = ctx.state().db().begin().await?;
    registrations::cancel(
        &mut tx,
        &own.id,
        &AuditActor::user(&user.user_id),
        &base_url(&ctx),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("wg-event-unregistered")),
        &paths::event(&slug),
    ))
}

/// The word of a registration's status, for the pages.
pub(crate) fn status_label(ctx: &PageContext, registration: &Registration) -> String {
    match (registration.status, registration.waitlist_number) {
        (RegistrationStatus::Wachtlijst, Some(number)) => ctx.t_with(
            "wg-registration-on-waitlist",
            &[("number", number.to_string().as_str())],
        ),
        (status, _) => ctx.t(&status.label_key()),
    }
}
