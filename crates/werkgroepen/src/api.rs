//! The werkgroepen JSON API under `/api/v1/werkgroepen/` (design §3.2): the groups a caller may
//! see, one group, and its members. The same rules as the pages ([`crate::reader`]): a hidden
//! group is "not found" for an outsider, and members' e-mail addresses are given only to active
//! members, facilitators and staff.
//!
//! Without an `Authorization` header a request is answered as for an anonymous visitor (public
//! groups only); with a token, as the token's user in the token's organisation.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use steden_web::api::{
    ApiCaller, ApiError, ApiPath, ApiResult, ListProblems, NestedListProblems, Page, PageParams,
    Paged, ReadProblems,
};
use steden_web::AppState;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::paths;
use crate::reader::{self, GroupView};
use crate::store::meetings::{self, Meeting};
use crate::store::memberships;

mod agenda;
// agenda and minutes writes (issue 13 point 4)
mod agenda_write;
mod minutes_write;
mod refusal;
// views across groups (S13)
mod views;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_groups))
        .routes(routes!(get_group))
        .routes(routes!(list_members))
        .routes(routes!(list_meetings))
        .routes(routes!(get_meeting))
        .merge(agenda::routes())
        .merge(crate::api_replies::routes())
        .merge(views::routes())
        .merge(agenda_write::routes())
        .merge(minutes_write::routes())
}

fn absolute(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.config().base_url.trim_end_matches('/'))
}

/// A working group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupDto {
    pub id: String,
    /// The short name in the group's addresses.
    pub slug: String,
    pub name: String,
    /// `werkgroep`, `stuurgroep`, `lerend_netwerk`, `reflectiegroep` or `projectgroep`.
    pub kind: String,
    pub purpose: String,
    pub programme: String,
    /// The programme and werkspoor of the Kenniscentrum's plan the group works under.
    pub programme_title: Option<String>,
    pub werkspoor_title: Option<String>,
    /// `publiek` or `verborgen`.
    pub visibility: String,
    /// `zeswekelijks`, `maandelijks`, …, `op_afroep`.
    pub cadence: String,
    /// The usual wall times in Brussels, `HH:MM`.
    pub default_start: String,
    pub default_end: String,
    pub default_place: String,
    /// The names of the facilitators.
    pub facilitators: Vec<String>,
    /// The cities and organisations the active members represent.
    pub participating: Vec<String>,
    /// The group's page on the website.
    pub url: String,
}

async fn group_dto(state: &AppState, view: &GroupView) -> Result<GroupDto, ApiError> {
    let db = state.db();
    let profile = &view.profile;
    let facilitators = memberships::facilitators(db.pool(), &profile.group_id)
        .await?
        .into_iter()
        .map(|f| f.name)
        .collect();
    let participating = reader::participating(&reader::members(db, view).await?);
    let optional = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Ok(GroupDto {
        id: profile.group_id.clone(),
        slug: profile.slug.clone(),
        name: profile.name.clone(),
        kind: profile.kind.as_str().into(),
        purpose: profile.purpose.clone(),
        programme: profile.programme_md.clone(),
        programme_title: optional(&profile.programme_title),
        werkspoor_title: optional(&profile.werkspoor_title),
        visibility: profile.visibility.as_str().into(),
        cadence: profile.cadence.as_str().into(),
        default_start: profile.default_start.clone(),
        default_end: profile.default_end.clone(),
        default_place: profile.default_place.clone(),
        facilitators,
        participating,
        url: absolute(state, &paths::group(&profile.slug)),
    })
}

/// The working groups the caller may see, by name: the public ones, and the hidden ones the
/// caller is a member or facilitator of (staff: all).
#[utoipa::path(
    get,
    path = "/werkgroepen/groups",
    operation_id = "werkgroepen_list_groups",
    tag = "werkgroepen",
    security((), ("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "Een pagina werkgroepen", body = Page<GroupDto>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        ListProblems,
    )
)]
pub async fn list_groups(
    caller: ApiCaller,
    State(state): State<AppState>,
    page: PageParams,
) -> ApiResult<Paged<GroupDto>> {
    let views = reader::list(state.db(), &caller.actor).await?;
    let total = views.len() as i64;
    let mut items = Vec::new();
    for view in views
        .iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
    {
        items.push(group_dto(&state, view).await?);
    }
    Ok(page.page(items, total))
}

/// Loads the group `slug` for the caller; "not found" also when it is not theirs to see.
async fn visible_group(
    state: &AppState,
    caller: &ApiCaller,
    slug: &str,
) -> Result<GroupView, ApiError> {
    reader::find(state.db(), &caller.actor, slug)
        .await?
        .ok_or_else(|| ApiError::NotFound("Geen werkgroep met deze korte naam.".into()))
}

/// One working group, if the caller may see it.
#[utoipa::path(
    get,
    path = "/werkgroepen/groups/{slug}",
    operation_id = "werkgroepen_get_group",
    tag = "werkgroepen",
    security((), ("bearer" = [])),
    params(("slug" = String, Path, description = "Korte naam van de werkgroep")),
    responses(
        (status = 200, description = "De werkgroep", body = GroupDto),
        ReadProblems,
    )
)]
pub async fn get_group(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<GroupDto>> {
    let view = visible_group(&state, &caller, &slug).await?;
    Ok(Json(group_dto(&state, &view).await?))
}

/// An active member of a group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberDto {
    pub name: String,
    /// `voorzitter`, `lid`, `waarnemer` or `gast`.
    pub role: String,
    /// The city or organisation they represent.
    pub organisation: Option<String>,
    /// Only for callers who are active members, facilitators or staff.
    pub email: Option<String>,
    /// RFC 3339, UTC.
    pub joined_at: Option<String>,
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The active members of a group the caller may see, by name.
#[utoipa::path(
    get,
    path = "/werkgroepen/groups/{slug}/members",
    operation_id = "werkgroepen_list_members",
    tag = "werkgroepen",
    security((), ("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de werkgroep"),
        PageParams,
    ),
    responses(
        (status = 200, description = "Een pagina leden", body = Page<MemberDto>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        NestedListProblems,
    )
)]
pub async fn list_members(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    page: PageParams,
) -> ApiResult<Paged<MemberDto>> {
    let view = visible_group(&state, &caller, &slug).await?;
    let members = reader::members(state.db(), &view).await?;
    let total = members.len() as i64;
    let items = members
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .map(|m| MemberDto {
            name: m.name,
            role: m.role.as_str().into(),
            organisation: m.organisation,
            email: m.email,
            joined_at: m.joined_at.map(rfc3339),
        })
        .collect();
    Ok(page.page(items, total))
}

/// A meeting of a group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingDto {
    pub id: String,
    pub title: String,
    /// The wall date and times in Brussels as typed: `YYYY-MM-DD`, `HH:MM`.
    pub local_date: String,
    pub local_start: String,
    pub local_end: String,
    /// The same moments in UTC, RFC 3339.
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub online_url: String,
    /// `gepland`, `gehouden` or `geannuleerd`.
    pub status: String,
    pub cancel_reason: String,
    /// The series the meeting belongs to, if any.
    pub series_id: Option<String>,
    /// Raised on every change (the iCalendar SEQUENCE).
    pub sequence: i64,
    /// The meeting's page on the website.
    pub url: String,
}

fn meeting_dto(state: &AppState, slug: &str, meeting: Meeting) -> MeetingDto {
    MeetingDto {
        url: absolute(state, &paths::group_meeting(slug, &meeting.id)),
        starts_at: rfc3339(meeting.starts_at),
        ends_at: rfc3339(meeting.ends_at),
        status: meeting.status.as_str().into(),
        id: meeting.id,
        title: meeting.title,
        local_date: meeting.local_date,
        local_start: meeting.local_start,
        local_end: meeting.local_end,
        place: meeting.place,
        online_url: meeting.online_url,
        cancel_reason: meeting.cancel_reason,
        series_id: meeting.series_id,
        sequence: meeting.ical_sequence,
    }
}

/// The group for a caller who may read its meetings: members, facilitators and staff, as on
/// the pages; a hidden group stays "not found" for everyone else.
async fn readable_group(
    state: &AppState,
    caller: &ApiCaller,
    slug: &str,
) -> Result<GroupView, ApiError> {
    let view = visible_group(state, caller, slug).await?;
    if !view.standing.can_read_group() {
        return Err(ApiError::Forbidden(
            "De vergaderingen zijn er voor de leden van de werkgroep.".into(),
        ));
    }
    Ok(view)
}

/// The meetings of a group, cancelled ones included, earliest first.
#[utoipa::path(
    get,
    path = "/werkgroepen/groups/{slug}/meetings",
    operation_id = "werkgroepen_list_meetings",
    tag = "werkgroepen",
    security((), ("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de werkgroep"),
        PageParams,
    ),
    responses(
        (status = 200, description = "Een pagina vergaderingen", body = Page<MeetingDto>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        NestedListProblems,
    )
)]
pub async fn list_meetings(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    page: PageParams,
) -> ApiResult<Paged<MeetingDto>> {
    let view = readable_group(&state, &caller, &slug).await?;
    let all = meetings::list(state.db().pool(), &view.profile.group_id).await?;
    let total = all.len() as i64;
    let items = all
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .map(|m| meeting_dto(&state, &slug, m))
        .collect();
    Ok(page.page(items, total))
}

/// One meeting of a group.
#[utoipa::path(
    get,
    path = "/werkgroepen/groups/{slug}/meetings/{id}",
    operation_id = "werkgroepen_get_meeting",
    tag = "werkgroepen",
    security((), ("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de werkgroep"),
        ("id" = String, Path, description = "Id van de vergadering"),
    ),
    responses(
        (status = 200, description = "De vergadering", body = MeetingDto),
        ReadProblems,
    )
)]
pub async fn get_meeting(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, String)>,
) -> ApiResult<Json<MeetingDto>> {
    let view = readable_group(&state, &caller, &slug).await?;
    let meeting = meetings::find(state.db().pool(), &view.profile.group_id, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound("Geen vergadering met dit id.".into()))?;
    Ok(Json(meeting_dto(&state, &slug, meeting)))
}
