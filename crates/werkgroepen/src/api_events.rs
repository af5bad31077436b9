//! The events part of the werkgroepen API (design §3.2): the events a caller may see, one
//! event, and its registrations for the organiser; registering the token's user and
//! cancelling that registration (the same store functions as the event page, so the same
//! rules and the same guarantee against overbooking). Same rules as the pages: a members' event
//! is "not found" without a token; registrations are for the organiser and staff only.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use steden_core::policy::Actor;
use steden_core::CoreError;
use steden_web::api::{
    ActionProblems, ApiActor, ApiCaller, ApiError, ApiJson, ApiPath, ApiResult, ListProblems,
    NestedListProblems, Page, PageParams, Paged, ReadProblems, WriteProblems,
};
use steden_web::AppState;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access;
use crate::model::RegistrationMode;
use crate::paths;
use crate::store::events::{self, Event};
use crate::store::registrations::{self, Registrant};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_events))
        .routes(routes!(get_event))
        .routes(routes!(list_registrations, register))
        .routes(routes!(unregister))
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// An event or training.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventDto {
    pub id: String,
    /// The short name in the event's address.
    pub slug: String,
    pub title: String,
    /// `studiedag`, `opleiding`, `coaching`, `lerend_netwerk`, `masterclass`, `terugkomdag`
    /// or `netwerkdag`.
    pub kind: String,
    pub description: String,
    /// The wall date and times in Brussels as typed: `YYYY-MM-DD`, `HH:MM`.
    pub local_date: String,
    pub local_start: String,
    pub local_end: String,
    /// The same moments in UTC, RFC 3339.
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub online_url: String,
    /// `publiek`, `leden` or `gesloten`.
    pub registration: String,
    /// Places in all; none: no limit.
    pub capacity: Option<i64>,
    pub seats_taken: i64,
    /// Whether a full event keeps a waiting list.
    pub waitlist: bool,
    /// `gepland`, `gehouden` or `geannuleerd`.
    pub status: String,
    /// The event's page on the website (with the registration form).
    pub url: String,
}

fn event_dto(state: &AppState, event: Event) -> EventDto {
    EventDto {
        url: format!(
            "{}{}",
            state.config().base_url.trim_end_matches('/'),
            paths::event(&event.slug)
        ),
        starts_at: rfc3339(event.starts_at),
        ends_at: rfc3339(event.ends_at),
        kind: event.kind.as_str().into(),
        registration: event.registration.as_str().into(),
        id: event.id,
        slug: event.slug,
        title: event.title,
        description: event.description_md,
        local_date: event.local_date,
        local_start: event.local_start,
        local_end: event.local_end,
        place: event.place,
        online_url: event.online_url,
        capacity: event.capacity,
        seats_taken: event.seats_taken,
        waitlist: event.waitlist,
        status: event.status,
    }
}

/// Public events for everyone; the others for callers with a token (as the pages: for
/// logged-in people).
fn may_see(caller: &ApiCaller, event: &Event) -> bool {
    event.registration == RegistrationMode::Publiek || !matches!(caller.actor, Actor::Anonymous)
}

/// The events the caller may see, earliest first.
#[utoipa::path(
    get,
    path = "/werkgroepen/events",
    operation_id = "werkgroepen_list_events",
    tag = "werkgroepen",
    security((), ("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "Een pagina activiteiten", body = Page<EventDto>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        ListProblems,
    )
)]
pub async fn list_events(
    caller: ApiCaller,
    State(state): State<AppState>,
    page: PageParams,
) -> ApiResult<Paged<EventDto>> {
    let visible: Vec<Event> = events::list(state.db().pool())
        .await?
        .into_iter()
        .filter(|e| may_see(&caller, e))
        .collect();
    let total = visible.len() as i64;
    let items = visible
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .map(|e| event_dto(&state, e))
        .collect();
    Ok(page.page(items, total))
}

async fn visible_event(
    state: &AppState,
    caller: &ApiCaller,
    slug: &str,
) -> Result<Event, ApiError> {
    events::find_by_slug(state.db().pool(), slug)
        .await?
        .filter(|e| may_see(caller, e))
        .ok_or_else(|| ApiError::NotFound("Geen activiteit met deze korte naam.".into()))
}

/// One event, if the caller may see it.
#[utoipa::path(
    get,
    path = "/werkgroepen/events/{slug}",
    operation_id = "werkgroepen_get_event",
    tag = "werkgroepen",
    security((), ("bearer" = [])),
    params(("slug" = String, Path, description = "Korte naam van de activiteit")),
    responses(
        (status = 200, description = "De activiteit", body = EventDto),
        ReadProblems,
    )
)]
pub async fn get_event(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<EventDto>> {
    let event = visible_event(&state, &caller, &slug).await?;
    Ok(Json(event_dto(&state, event)))
}

/// A registration for an event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegistrationDto {
    pub id: String,
    pub name: String,
    pub email: String,
    pub organisation: String,
    /// `bevestigd`, `wachtlijst` or `geannuleerd`.
    pub status: String,
    /// The place on the waiting list.
    pub waitlist_number: Option<i64>,
    /// Whether they attended; none: not recorded.
    pub attended: Option<bool>,
    /// The answers to the registration questions, by question key.
    pub answers: std::collections::BTreeMap<String, String>,
    /// RFC 3339, UTC.
    pub registered_at: String,
}

/// The registrations of an event (confirmed, waiting list by number, cancelled), for its
/// organiser and staff.
#[utoipa::path(
    get,
    path = "/werkgroepen/events/{slug}/registrations",
    operation_id = "werkgroepen_list_registrations",
    tag = "werkgroepen",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de activiteit"),
        PageParams,
    ),
    responses(
        (status = 200, description = "Een pagina inschrijvingen", body = Page<RegistrationDto>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        NestedListProblems,
    )
)]
pub async fn list_registrations(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    page: PageParams,
) -> ApiResult<Paged<RegistrationDto>> {
    let event = visible_event(&state, &caller, &slug).await?;
    let kenniscentrum = access::kenniscentrum_id(state.db()).await?;
    if matches!(caller.actor, Actor::Anonymous) {
        return Err(ApiError::Unauthenticated);
    }
    if !access::may_organise_event(&caller.actor, &kenniscentrum, event.organiser_id.as_deref()) {
        return Err(ApiError::Forbidden(
            "De inschrijvingen zijn er voor de organisator van de activiteit.".into(),
        ));
    }
    let all = registrations::list_for_event(state.db().pool(), &event.id).await?;
    let total = all.len() as i64;
    let items = all
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .map(|r| RegistrationDto {
            registered_at: rfc3339(r.created_at),
            status: r.status.as_str().into(),
            id: r.id,
            name: r.name,
            email: r.email,
            organisation: r.organisation_text,
            waitlist_number: r.waitlist_number,
            attended: r.attended,
            answers: r.answers,
        })
        .collect();
    Ok(page.page(items, total))
}

/// What a caller sends to register: the organisation as they write it and the answers to
/// the event's registration questions (`v1`, `v2`, … as in `questions` of the event page).
/// Name and address are the token user's own.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RegistrationInput {
    pub organisation: String,
    /// By question key (`v1`, `v2`, …).
    pub answers: BTreeMap<String, String>,
}

/// The caller's own registration as it now stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnRegistrationDto {
    pub id: String,
    /// `bevestigd` (a seat) or `wachtlijst`.
    pub status: String,
    /// The place on the waiting list.
    pub waitlist_number: Option<i64>,
}

/// The problem for a refused registration: the page's Dutch message, with the status that
/// fits it (409 for a state of the event or an existing registration, 422 for a field).
fn registration_problem(error: CoreError) -> ApiError {
    match error {
        CoreError::Invalid(fields) => {
            let conflict = fields.iter().find(|f| {
                [
                    registrations::ALREADY_REGISTERED,
                    registrations::CLOSED,
                    registrations::FULL,
                ]
                .contains(&f.message.as_str())
            });
            match conflict {
                Some(field) => ApiError::Conflict(field.message.clone()),
                None => CoreError::Invalid(fields).into(),
            }
        }
        CoreError::Forbidden => ApiError::Forbidden(
            "Voor deze activiteit kunnen alleen leden van een organisatie zich inschrijven.".into(),
        ),
        other => other.into(),
    }
}

/// Registers the token's user for an event, under the same rules as the event page: a seat
/// while there is one, else a place on the waiting list; a second registration, a closed,
/// cancelled or full event are refused with 409.
#[utoipa::path(
    post,
    path = "/werkgroepen/events/{slug}/registrations",
    operation_id = "werkgroepen_register_event",
    tag = "werkgroepen",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "Korte naam van de activiteit")),
    request_body = RegistrationInput,
    responses(
        (status = 201, description = "Ingeschreven (of op de wachtlijst gezet)", body = OwnRegistrationDto),
        WriteProblems,
        (status = 409, description = "Al ingeschreven, of de inschrijvingen zijn afgesloten (ook: activiteit geannuleerd of volzet zonder wachtlijst)",
         body = steden_web::api::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn register(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    ApiJson(input): ApiJson<RegistrationInput>,
) -> ApiResult<(StatusCode, Json<OwnRegistrationDto>)> {
    let caller = ApiCaller {
        actor: client.actor.clone(),
    };
    let event = visible_event(&state, &caller, &slug).await?;
    let user_id = client.actor.user_id().ok_or(ApiError::Unauthenticated)?;
    let user = steden_core::user::find(state.db().pool(), user_id)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    if event.status == "geannuleerd" {
        return Err(ApiError::Conflict(registrations::EVENT_CANCELLED.into()));
    }
    let registrant = Registrant::User {
        user_id: user.id.clone(),
        name: user.name.clone(),
        email: user.email.clone(),
        organisation_id: client.organisation_id().map(str::to_string),
        member: access::may_register_as_member(&client.actor),
    };
    let mut fields = input.answers;
    // Only the question keys count; name and address are the account's.
    fields.retain(|key, _| event.questions.iter().any(|q| &q.key == key));
    fields.insert("organisation_text".into(), input.organisation);
    let mut tx = state.db().begin().await?;
    let result = registrations::register(
        &mut tx,
        &event.id,
        &registrant,
        &fields,
        &state.config().base_url,
    )
    .await;
    let registered = match result {
        Ok(registered) => registered,
        Err(error) => {
            tx.rollback().await?;
            return Err(registration_problem(error));
        }
    };
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(OwnRegistrationDto {
            id: registered.id,
            status: registered.status.as_str().into(),
            waitlist_number: registered.waitlist_number,
        }),
    ))
}

/// Cancels the token user's own registration for an event; the first on the waiting list
/// moves up and is mailed, as when cancelling on the event page.
#[utoipa::path(
    delete,
    path = "/werkgroepen/events/{slug}/registrations/mine",
    operation_id = "werkgroepen_unregister_event",
    tag = "werkgroepen",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "Korte naam van de activiteit")),
    responses(
        (status = 204, description = "Inschrijving geannuleerd"),
        ActionProblems,
    )
)]
pub async fn unregister(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<StatusCode> {
    let caller = ApiCaller {
        actor: client.actor.clone(),
    };
    let event = visible_event(&state, &caller, &slug).await?;
    let user_id = client.actor.user_id().ok_or(ApiError::Unauthenticated)?;
    let own = registrations::find_open_for_user(state.db().pool(), &event.id, user_id)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound("Je hebt geen open inschrijving voor deze activiteit.".into())
        })?;
    let mut tx = state.db().begin().await?;
    registrations::cancel(
        &mut tx,
        &own.id,
        &client.actor.audit_actor(),
        &state.config().base_url,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
