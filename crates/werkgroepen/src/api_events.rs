//! The events part of the werkgroepen API (design §3.2): the events a caller may see, one
//! event, and its registrations for the organiser. Same rules as the pages: a members' event
//! is "not found" without a token; registrations are for the organiser and staff only.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use steden_core::policy::Actor;
use steden_web::api::{
    ApiCaller, ApiError, ApiPath, ApiResult, ListProblems, NestedListProblems, Page, PageParams,
    Paged, ReadProblems,
};
use steden_web::AppState;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access;
use crate::model::RegistrationMode;
use crate::paths;
use crate::store::events::{self, Event};
use crate::store::registrations;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_events))
        .routes(routes!(get_event))
        .routes(routes!(list_registrations))
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
