//! Writing a meeting's agenda through the API (issue 13 point 4): a member proposes an item;
//! those who chair decide on it, order the agenda and publish it. The same store functions as
//! the pages ([`crate::store::agenda`], [`crate::store::agenda_order`]), so the rules (the
//! deadline, a reason to decline, every proposal decided before publishing, the mail on
//! publication) are the pages' rules; a refusal writes nothing and answers 422 with the page's
//! Dutch message as `detail`.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use steden_web::api::{
    ActionProblems, ApiActor, ApiCaller, ApiError, ApiJson, ApiPath, ReadProblems, WriteProblems,
};
use steden_web::AppState;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::agenda::{get_agenda, AgendaDto, AgendaItemDto};
use super::refusal::{refused, WriteResult};
use crate::reader::{self, GroupView};
use crate::store::agenda::{self, Decision, Item, ItemFields};
use crate::store::agenda_order;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(propose_item))
        .routes(routes!(get_item))
        .routes(routes!(decide_item))
        .routes(routes!(order_agenda))
        .routes(routes!(publish_agenda))
}

const NO_MEETING: &str = "Geen vergadering met dit id.";
const CHAIR_ONLY: &str = "Alleen wie de werkgroep voorzit of begeleidt, beslist over de agenda.";
const MEMBERS_ONLY: &str =
    "Alleen de leden van de werkgroep (geen waarnemers of gasten) stellen agendapunten voor.";

/// The group as the token's user sees it; "not found" when it is not theirs to see.
pub(super) async fn group_for(
    state: &AppState,
    client: &ApiActor,
    slug: &str,
) -> Result<GroupView, ApiError> {
    reader::find(state.db(), &client.actor, slug)
        .await?
        .ok_or_else(|| ApiError::NotFound("Geen werkgroep met deze korte naam.".into()))
}

/// The token's user id (an API write is always someone's).
pub(super) fn user_of(client: &ApiActor) -> Result<String, ApiError> {
    Ok(client
        .actor
        .user_id()
        .ok_or(ApiError::Unauthenticated)?
        .to_string())
}

/// The meeting must be the group's: "not found" otherwise.
pub(super) async fn meeting_of(
    state: &AppState,
    view: &GroupView,
    id: &str,
) -> Result<agenda::AgendaState, ApiError> {
    agenda::state(state.db().pool(), &view.profile.group_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(NO_MEETING.into()))
}

fn item_dto(item: Item) -> AgendaItemDto {
    AgendaItemDto {
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
    }
}

fn item_path(slug: &str, meeting_id: &str, item_id: &str) -> String {
    format!(
        "{}/werkgroepen/groups/{slug}/meetings/{meeting_id}/agenda/items/{item_id}",
        steden_web::api::PREFIX
    )
}

/// The agenda as its GET gives it, after a change.
async fn agenda_now(
    state: AppState,
    client: &ApiActor,
    slug: String,
    id: String,
) -> WriteResult<Json<AgendaDto>> {
    let caller = ApiCaller {
        actor: client.actor.clone(),
    };
    Ok(get_agenda(caller, State(state), ApiPath((slug, id))).await?)
}

/// A proposed agenda item.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AgendaItemInput {
    pub title: String,
    /// Markdown.
    #[serde(default)]
    pub explanation: String,
    /// Minutes, 1 to 480.
    #[serde(default)]
    pub duration_min: Option<i64>,
}

/// A member proposes an item for the agenda, until the proposal deadline and while the
/// agenda is not published (attachments: on the website's form).
#[utoipa::path(
    post,
    path = "/werkgroepen/groups/{slug}/meetings/{id}/agenda/items",
    operation_id = "werkgroepen_propose_agenda_item",
    tag = "werkgroepen",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de werkgroep"),
        ("id" = String, Path, description = "Id van de vergadering"),
    ),
    request_body = AgendaItemInput,
    responses(
        (status = 201, description = "Het voorgestelde punt", body = AgendaItemDto,
         headers(("Location" = String, description = "Het adres van het punt in de API"))),
        WriteProblems,
    )
)]
pub async fn propose_item(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<AgendaItemInput>,
) -> WriteResult<Response> {
    let view = group_for(&state, &client, &slug).await?;
    let user = user_of(&client)?;
    meeting_of(&state, &view, &id).await?;
    let fields = ItemFields {
        title: input.title,
        explanation: input.explanation,
        duration: input
            .duration_min
            .map(|m| m.to_string())
            .unwrap_or_default(),
    };
    let mut tx = state.db().begin().await?;
    let created = agenda::propose(
        &mut tx,
        &view.standing,
        &user,
        &view.profile.group_id,
        &id,
        &fields,
        &[],
        steden_db::now_ms(),
        &client.actor.audit_actor(),
    )
    .await
    .map_err(|e| refused(e, MEMBERS_ONLY, &[("duration", "duration_min")]))?;
    tx.commit().await?;
    let item = agenda::items(state.db().pool(), &id)
        .await?
        .into_iter()
        .find(|i| i.id == created)
        .ok_or_else(|| ApiError::Internal("het nieuwe punt is niet te vinden".into()))?;
    let location = HeaderValue::from_str(&item_path(&slug, &id, &created))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(item_dto(item)),
    )
        .into_response())
}

/// One item of a meeting's agenda: an accepted or merged one for the group's readers, a
/// proposal or a declined one only for its proposer and those who chair.
#[utoipa::path(
    get,
    path = "/werkgroepen/groups/{slug}/meetings/{id}/agenda/items/{item}",
    operation_id = "werkgroepen_get_agenda_item",
    tag = "werkgroepen",
    security((), ("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de werkgroep"),
        ("id" = String, Path, description = "Id van de vergadering"),
        ("item" = String, Path, description = "Id van het agendapunt"),
    ),
    responses(
        (status = 200, description = "Het agendapunt", body = AgendaItemDto),
        ReadProblems,
    )
)]
pub async fn get_item(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath((slug, id, item_id)): ApiPath<(String, String, String)>,
) -> Result<Json<AgendaItemDto>, ApiError> {
    let view = super::readable_group(&state, &caller, &slug).await?;
    agenda::state(state.db().pool(), &view.profile.group_id, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(NO_MEETING.into()))?;
    let me = caller.actor.user_id().map(str::to_string);
    let item = agenda::items(state.db().pool(), &id)
        .await?
        .into_iter()
        .find(|i| i.id == item_id)
        .filter(|i| {
            matches!(i.status.as_str(), "aanvaard" | "samengevoegd")
                || view.standing.can_chair()
                || (me.is_some() && i.proposer_id == me)
        })
        .ok_or_else(|| ApiError::NotFound("Geen agendapunt met dit id.".into()))?;
    Ok(Json(item_dto(item)))
}

/// What those who chair decide on an item.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AgendaDecisionKind {
    /// On the agenda.
    Aanvaarden,
    /// Declined, with a reason the proposer reads (`decline_reason`, required).
    Afwijzen,
    /// Merged into another live item of the agenda (`merge_into`, required).
    Samenvoegen,
}

/// A decision on an agenda item.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AgendaDecisionInput {
    pub decision: AgendaDecisionKind,
    /// For `afwijzen`: why (the proposer reads it).
    #[serde(default)]
    pub decline_reason: String,
    /// For `samenvoegen`: the id of the item it joins.
    #[serde(default)]
    pub merge_into: String,
}

/// Accepts, declines (with a reason) or merges an item; for those who chair. Answers with
/// the agenda as it is now.
#[utoipa::path(
    post,
    path = "/werkgroepen/groups/{slug}/meetings/{id}/agenda/items/{item}/decision",
    operation_id = "werkgroepen_decide_agenda_item",
    tag = "werkgroepen",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de werkgroep"),
        ("id" = String, Path, description = "Id van de vergadering"),
        ("item" = String, Path, description = "Id van het agendapunt"),
    ),
    request_body = AgendaDecisionInput,
    responses(
        (status = 200, description = "De agenda na de beslissing", body = AgendaDto),
        WriteProblems,
    )
)]
pub async fn decide_item(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath((slug, id, item)): ApiPath<(String, String, String)>,
    ApiJson(input): ApiJson<AgendaDecisionInput>,
) -> WriteResult<Json<AgendaDto>> {
    let view = group_for(&state, &client, &slug).await?;
    meeting_of(&state, &view, &id).await?;
    let decision = match input.decision {
        AgendaDecisionKind::Aanvaarden => Decision::Accept,
        AgendaDecisionKind::Afwijzen => Decision::Decline {
            reason: input.decline_reason,
        },
        AgendaDecisionKind::Samenvoegen => Decision::MergeInto {
            target_id: input.merge_into,
        },
    };
    let mut tx = state.db().begin().await?;
    agenda::decide(
        &mut tx,
        &view.standing,
        &view.profile.group_id,
        &id,
        &item,
        &decision,
        &client.actor.audit_actor(),
    )
    .await
    .map_err(|e| refused(e, CHAIR_ONLY, &[]))?;
    tx.commit().await?;
    agenda_now(state, &client, slug, id).await
}

/// The agenda's order.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AgendaOrderInput {
    /// The ids of every live item (accepted, or still to decide), in the new order.
    pub item_ids: Vec<String>,
}

/// Orders the agenda at once (the page moves one item up or down); for those who chair.
#[utoipa::path(
    put,
    path = "/werkgroepen/groups/{slug}/meetings/{id}/agenda/order",
    operation_id = "werkgroepen_order_agenda",
    tag = "werkgroepen",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de werkgroep"),
        ("id" = String, Path, description = "Id van de vergadering"),
    ),
    request_body = AgendaOrderInput,
    responses(
        (status = 200, description = "De agenda in de nieuwe volgorde", body = AgendaDto),
        WriteProblems,
    )
)]
pub async fn order_agenda(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<AgendaOrderInput>,
) -> WriteResult<Json<AgendaDto>> {
    let view = group_for(&state, &client, &slug).await?;
    meeting_of(&state, &view, &id).await?;
    let mut tx = state.db().begin().await?;
    agenda_order::set_order(
        &mut tx,
        &view.standing,
        &view.profile.group_id,
        &id,
        &input.item_ids,
        &client.actor.audit_actor(),
    )
    .await
    .map_err(|e| refused(e, CHAIR_ONLY, &[]))?;
    tx.commit().await?;
    agenda_now(state, &client, slug, id).await
}

/// Publishes the agenda (again) and mails it to the members, as the page's button: every
/// proposal must be decided first. For those who chair.
#[utoipa::path(
    post,
    path = "/werkgroepen/groups/{slug}/meetings/{id}/agenda/publish",
    operation_id = "werkgroepen_publish_agenda",
    tag = "werkgroepen",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de werkgroep"),
        ("id" = String, Path, description = "Id van de vergadering"),
    ),
    responses(
        (status = 200, description = "De gepubliceerde agenda", body = AgendaDto),
        ActionProblems,
    )
)]
pub async fn publish_agenda(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, String)>,
) -> WriteResult<Json<AgendaDto>> {
    let view = group_for(&state, &client, &slug).await?;
    meeting_of(&state, &view, &id).await?;
    let base_url = state.config().base_url.clone();
    let mut tx = state.db().begin().await?;
    agenda::publish(
        &mut tx,
        &view.standing,
        &view.profile.group_id,
        &id,
        &base_url,
        &client.actor.audit_actor(),
    )
    .await
    .map_err(|e| refused(e, CHAIR_ONLY, &[]))?;
    tx.commit().await?;
    agenda_now(state, &client, slug, id).await
}
