//! The agenda, the minutes and the action points in the JSON API (design §3.2, slices S8–S9):
//! read-only, for the group's readers, with the pages' rules (a proposal still to decide or a
//! declined one only for those who chair and for its proposer).

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use steden_web::api::{
    ApiCaller, ApiError, ApiPath, ApiResult, ListProblems, Page, PageParams, Paged, ReadProblems,
};
use steden_web::AppState;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{absolute, readable_group, rfc3339};
use crate::paths;
use crate::store::action_points::{self, ActionPoint};
use crate::store::{agenda, minutes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_agenda))
        .routes(routes!(my_action_points))
        .routes(routes!(get_minutes))
}

/// An item of a meeting's agenda.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgendaItemDto {
    pub id: String,
    pub title: String,
    /// Markdown.
    pub explanation: String,
    pub duration_min: Option<i64>,
    /// `voorgesteld`, `aanvaard`, `samengevoegd` or `afgewezen`.
    pub status: String,
    /// `voorstel`, `facilitator`, `sjabloon` or `thema-evaluatie`.
    pub origin: String,
    pub proposer: Option<String>,
    pub proposer_organisation: Option<String>,
    /// The item this one was merged into.
    pub merged_into: Option<String>,
    /// Why it was declined (for those who may see declined items).
    pub decline_reason: String,
}

/// An action point.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActionPointDto {
    pub id: String,
    pub group_id: String,
    /// The meeting where it was agreed.
    pub meeting_id: Option<String>,
    pub description: String,
    /// The owner's name: a person or a city.
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    /// `open`, `bezig`, `gedaan` or `vervallen`.
    pub status: String,
}

pub(crate) fn point_dto(point: ActionPoint) -> ActionPointDto {
    ActionPointDto {
        id: point.id,
        group_id: point.group_id,
        meeting_id: point.meeting_id,
        description: point.description,
        owner: point.owner_name,
        due_date: point.due_date,
        status: point.status,
    }
}

/// A meeting's agenda.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgendaDto {
    pub meeting_id: String,
    /// `open` (proposals possible until the deadline) or `gepubliceerd`.
    pub status: String,
    /// RFC 3339, UTC: proposals close then.
    pub proposal_deadline: String,
    pub published_at: Option<String>,
    /// Raised on every publication.
    pub version: i64,
    /// In agenda order.
    pub items: Vec<AgendaItemDto>,
    /// Open action points of earlier meetings.
    pub open_action_points: Vec<ActionPointDto>,
    /// The agenda's page on the website.
    pub url: String,
}

/// A meeting's agenda, with the open action points of earlier meetings.
#[utoipa::path(
    get,
    path = "/werkgroepen/groups/{slug}/meetings/{id}/agenda",
    operation_id = "werkgroepen_get_agenda",
    tag = "werkgroepen",
    security((), ("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de werkgroep"),
        ("id" = String, Path, description = "Id van de vergadering"),
    ),
    responses(
        (status = 200, description = "De agenda", body = AgendaDto),
        ReadProblems,
    )
)]
pub async fn get_agenda(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, String)>,
) -> ApiResult<Json<AgendaDto>> {
    let view = readable_group(&state, &caller, &slug).await?;
    let db = state.db();
    let agenda_state = agenda::state(db.pool(), &view.profile.group_id, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound("Geen vergadering met dit id.".into()))?;
    let chair = view.standing.can_chair();
    let me = caller.actor.user_id().map(str::to_string);
    let items = agenda::items(db.pool(), &id)
        .await?
        .into_iter()
        .filter(|item| {
            matches!(item.status.as_str(), "aanvaard" | "samengevoegd")
                || chair
                || (me.is_some() && item.proposer_id == me)
        })
        .map(|item| AgendaItemDto {
            id: item.id,
            title: item.title,
            explanation: item.explanation_md,
            duration_min: item.duration_min,
            status: item.status,
            origin: item.origin,
            proposer: item.proposer_name,
            proposer_organisation: item.proposer_org_name,
            merged_into: item.merged_into_id,
            decline_reason: item.decline_reason,
        })
        .collect();
    let points = action_points::open_before(
        db.pool(),
        &view.profile.group_id,
        &id,
        agenda_state.starts_at,
    )
    .await?;
    Ok(Json(AgendaDto {
        meeting_id: agenda_state.meeting_id.clone(),
        status: if agenda_state.published {
            "gepubliceerd".into()
        } else {
            "open".into()
        },
        proposal_deadline: rfc3339(agenda_state.deadline_at),
        published_at: agenda_state.published_at.map(rfc3339),
        version: agenda_state.version,
        items,
        open_action_points: points.into_iter().map(point_dto).collect(),
        url: absolute(&state, &paths::meeting_agenda(&slug, &id)),
    }))
}

/// The caller's open action points across their groups: their own and their city's.
#[utoipa::path(
    get,
    path = "/werkgroepen/action-points",
    operation_id = "werkgroepen_my_action_points",
    tag = "werkgroepen",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "Een pagina open actiepunten", body = Page<ActionPointDto>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        ListProblems,
    )
)]
pub async fn my_action_points(
    caller: ApiCaller,
    State(state): State<AppState>,
    page: PageParams,
) -> ApiResult<Paged<ActionPointDto>> {
    let Some(user_id) = caller.actor.user_id() else {
        return Err(ApiError::Unauthenticated);
    };
    let points = action_points::open_for_person(state.db().pool(), user_id).await?;
    let total = points.len() as i64;
    let items = points
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .map(point_dto)
        .collect();
    Ok(page.page(items, total))
}

/// One person's attendance at a meeting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendanceDto {
    pub name: String,
    /// `aanwezig`, `verontschuldigd` or `afwezig`.
    pub status: String,
}

/// A meeting's minutes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MinutesDto {
    pub meeting_id: String,
    /// `geen`, `concept`, `voorgelegd` or `goedgekeurd`.
    pub status: String,
    /// Markdown; empty while the minutes are a draft (except for those who chair).
    pub text: String,
    /// RFC 3339, UTC: comments are possible until then.
    pub comment_until: Option<String>,
    pub approved_at: Option<String>,
    pub decisions: Vec<String>,
    pub action_points: Vec<ActionPointDto>,
    pub attendance: Vec<AttendanceDto>,
    /// The meeting's theme (the next meeting evaluates it).
    pub theme: String,
    /// The minutes' page on the website.
    pub url: String,
}

/// A meeting's minutes, decisions, action points and attendance.
#[utoipa::path(
    get,
    path = "/werkgroepen/groups/{slug}/meetings/{id}/minutes",
    operation_id = "werkgroepen_get_minutes",
    tag = "werkgroepen",
    security((), ("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de werkgroep"),
        ("id" = String, Path, description = "Id van de vergadering"),
    ),
    responses(
        (status = 200, description = "Het verslag", body = MinutesDto),
        ReadProblems,
    )
)]
pub async fn get_minutes(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, String)>,
) -> ApiResult<Json<MinutesDto>> {
    let view = readable_group(&state, &caller, &slug).await?;
    let pool = state.db().pool();
    let found = minutes::find(pool, &view.profile.group_id, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound("Geen vergadering met dit id.".into()))?;
    let shown =
        view.standing.can_chair() || matches!(found.status.as_str(), "voorgelegd" | "goedgekeurd");
    Ok(Json(MinutesDto {
        meeting_id: id.clone(),
        text: if shown {
            found.minutes_md
        } else {
            String::new()
        },
        status: found.status,
        comment_until: found.comment_until.map(rfc3339),
        approved_at: found.approved_at.map(rfc3339),
        decisions: minutes::decisions(pool, &id).await?,
        action_points: action_points::of_meeting(pool, &id)
            .await?
            .into_iter()
            .map(point_dto)
            .collect(),
        attendance: minutes::attendance(pool, &id)
            .await?
            .into_iter()
            .map(|a| AttendanceDto {
                name: a.name,
                status: a.status,
            })
            .collect(),
        theme: found.theme,
        url: absolute(&state, &paths::meeting_minutes(&slug, &id)),
    }))
}
