//! The views across groups in the API (design §3.2): `GET me` (the caller's groups, next
//! meetings, open action points and registrations, as `/werkgroepen/mijn` shows them) and the
//! staff overview `GET overview/coming?weeks=` and `GET overview/overdue` (as
//! `/werkgroepen/overzicht`). A token is needed: "me" is the token's user; the overview asks a
//! Kenniscentrum token with role `redacteur` or higher, as the page asks staff.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use steden_db::now_ms;
use steden_web::api::{
    ApiActor, ApiError, ApiQuery, ApiResult, AuthProblems, FieldProblem, ListProblems, Page,
    PageParams, Paged,
};
use steden_web::AppState;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access;
use crate::paths;
use crate::store::{action_points, mine, overview};
use crate::web::overview::parse_weeks;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me))
        .routes(routes!(overview_coming))
        .routes(routes!(overview_overdue))
}

fn absolute(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.config().base_url.trim_end_matches('/'))
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// One of the caller's groups.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyGroupDto {
    pub id: String,
    pub slug: String,
    pub name: String,
    /// `voorzitter`, `lid` or `waarnemer`; none for a facilitator who is not a member.
    pub role: Option<String>,
    pub facilitator: bool,
    pub url: String,
}

/// A meeting with its group, in a list across groups.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupMeetingDto {
    pub id: String,
    pub group_slug: String,
    pub group_name: String,
    pub title: String,
    /// The wall date and times in Brussels: `YYYY-MM-DD`, `HH:MM`.
    pub local_date: String,
    pub local_start: String,
    pub local_end: String,
    /// The same moments in UTC, RFC 3339.
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    /// `gepland`, `gehouden` or `geannuleerd`.
    pub status: String,
    pub url: String,
}

/// One of the caller's open action points (their own or their city's).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyActionPointDto {
    pub id: String,
    pub group_id: String,
    pub description: String,
    /// The owner as shown: the person or the city.
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    /// `open` or `bezig`.
    pub status: String,
}

/// One of the caller's registrations for an event that has not ended.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyRegistrationDto {
    pub id: String,
    pub event_slug: String,
    pub event_title: String,
    pub local_date: String,
    pub local_start: String,
    pub local_end: String,
    /// `bevestigd` or `wachtlijst`.
    pub status: String,
    pub waitlist_number: Option<i64>,
    pub event_url: String,
}

/// What the caller has in the working groups.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeDto {
    pub groups: Vec<MyGroupDto>,
    /// The planned meetings of those groups that have not ended, soonest first (at most 20).
    pub next_meetings: Vec<GroupMeetingDto>,
    pub open_action_points: Vec<MyActionPointDto>,
    pub registrations: Vec<MyRegistrationDto>,
}

/// How many coming meetings `me` lists.
const ME_MEETINGS: i64 = 20;

/// The caller's groups, next meetings, open action points and registrations.
#[utoipa::path(
    get,
    path = "/werkgroepen/me",
    operation_id = "werkgroepen_me",
    tag = "werkgroepen",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Wat de werkgroepen voor de gebruiker van het token bevatten", body = MeDto),
        AuthProblems,
    )
)]
pub async fn get_me(client: ApiActor, State(state): State<AppState>) -> ApiResult<Json<MeDto>> {
    let user = client
        .actor
        .user_id()
        .ok_or(ApiError::Unauthenticated)?
        .to_string();
    let pool = state.db().pool();
    let now = now_ms();
    let groups = mine::groups(pool, &user)
        .await?
        .into_iter()
        .map(|g| MyGroupDto {
            url: absolute(&state, &paths::group(&g.slug)),
            role: g.role.map(|r| r.as_str().to_string()),
            facilitator: g.facilitator,
            id: g.group_id,
            slug: g.slug,
            name: g.name,
        })
        .collect();
    let next_meetings = mine::next_meetings(pool, &user, now, ME_MEETINGS)
        .await?
        .into_iter()
        .map(|m| GroupMeetingDto {
            url: absolute(&state, &paths::group_meeting(&m.group_slug, &m.id)),
            starts_at: rfc3339(m.starts_at),
            ends_at: rfc3339(m.ends_at),
            status: m.status.as_str().into(),
            id: m.id,
            group_slug: m.group_slug,
            group_name: m.group_name,
            title: m.title,
            local_date: m.local_date,
            local_start: m.local_start,
            local_end: m.local_end,
            place: m.place,
        })
        .collect();
    let open_action_points = action_points::open_for_person(pool, &user)
        .await?
        .into_iter()
        .map(|p| MyActionPointDto {
            id: p.id,
            group_id: p.group_id,
            description: p.description,
            owner: p.owner_name,
            due_date: p.due_date,
            status: p.status,
        })
        .collect();
    let registrations = mine::registrations(pool, &user, now)
        .await?
        .into_iter()
        .map(|r| MyRegistrationDto {
            event_url: absolute(&state, &paths::event(&r.event_slug)),
            status: r.status.as_str().into(),
            id: r.id,
            event_slug: r.event_slug,
            event_title: r.event_title,
            local_date: r.local_date,
            local_start: r.local_start,
            local_end: r.local_end,
            waitlist_number: r.waitlist_number,
        })
        .collect();
    Ok(Json(MeDto {
        groups,
        next_meetings,
        open_action_points,
        registrations,
    }))
}

/// Staff only, as the overview page.
async fn require_staff(state: &AppState, client: &ApiActor) -> Result<(), ApiError> {
    let kenniscentrum_id = access::kenniscentrum_id(state.db()).await?;
    if access::is_staff(&client.actor, &kenniscentrum_id) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "Het overzicht is er voor het Kenniscentrum (rol redacteur of hoger).".into(),
        ))
    }
}

/// How far the overview looks ahead.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeeksParam {
    /// Weeks ahead, 1 to 26 (default 6).
    #[param(minimum = 1, maximum = 26)]
    pub weeks: Option<i64>,
}

/// The meetings of every group (hidden ones too) that start in the coming weeks, cancelled ones
/// included, by start.
#[utoipa::path(
    get,
    path = "/werkgroepen/overview/coming",
    operation_id = "werkgroepen_overview_coming",
    tag = "werkgroepen",
    security(("bearer" = [])),
    params(PageParams, WeeksParam),
    responses(
        (status = 200, description = "Een pagina vergaderingen", body = Page<GroupMeetingDto>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        ListProblems,
    )
)]
pub async fn overview_coming(
    client: ApiActor,
    State(state): State<AppState>,
    page: PageParams,
    ApiQuery(params): ApiQuery<WeeksParam>,
) -> ApiResult<Paged<GroupMeetingDto>> {
    let weeks = parse_weeks(params.weeks.map(|w| w.to_string()).as_deref()).map_err(|message| {
        ApiError::BadRequest(
            message.into(),
            vec![FieldProblem {
                field: "weeks".into(),
                message: message.into(),
            }],
        )
    })?;
    require_staff(&state, &client).await?;
    let now = now_ms();
    let all = overview::coming(state.db().pool(), now, now + weeks * 7 * 24 * 3_600_000).await?;
    let total = all.len() as i64;
    let items = all
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .map(|m| GroupMeetingDto {
            url: absolute(&state, &paths::group_meeting(&m.group_slug, &m.id)),
            starts_at: rfc3339(m.starts_at),
            ends_at: rfc3339(m.ends_at),
            status: m.status.as_str().into(),
            id: m.id,
            group_slug: m.group_slug,
            group_name: m.group_name,
            title: m.title,
            local_date: m.local_date,
            local_start: m.local_start,
            local_end: m.local_end,
            place: m.place,
        })
        .collect();
    Ok(page.page(items, total))
}

/// A group that has not met for longer than its cadence (+ 14 days).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverdueGroupDto {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub cadence: String,
    /// `YYYY-MM-DD`; none when the group never met.
    pub last_met: Option<String>,
    /// Days since the last meeting, or since the group was made.
    pub days_since: i64,
    pub url: String,
}

/// The groups past their cadence, longest waiting first (`op_afroep` groups never).
#[utoipa::path(
    get,
    path = "/werkgroepen/overview/overdue",
    operation_id = "werkgroepen_overview_overdue",
    tag = "werkgroepen",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "Een pagina werkgroepen", body = Page<OverdueGroupDto>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        ListProblems,
    )
)]
pub async fn overview_overdue(
    client: ApiActor,
    State(state): State<AppState>,
    page: PageParams,
) -> ApiResult<Paged<OverdueGroupDto>> {
    require_staff(&state, &client).await?;
    let all =
        overview::overdue(state.db().pool(), now_ms(), crate::store::meetings::today()).await?;
    let total = all.len() as i64;
    let items = all
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .map(|g| OverdueGroupDto {
            url: absolute(&state, &paths::group(&g.slug)),
            cadence: g.cadence.as_str().into(),
            id: g.group_id,
            slug: g.slug,
            name: g.name,
            last_met: g.last_met,
            days_since: g.days_since,
        })
        .collect();
    Ok(page.page(items, total))
}
