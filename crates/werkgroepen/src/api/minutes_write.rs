//! Writing a meeting's minutes through the API (issue 13 point 4), with the pages' state
//! machine ([`crate::store::minutes`]): those who chair write the text and the decisions
//! (`geen` → `concept`; not after approval), propose them to the members with a comment
//! period (→ `voorgelegd`, mailed), members comment until the period ends, and a facilitator
//! approves (→ `goedgekeurd`, mailed). A refusal writes nothing and answers 422 with the
//! page's Dutch message as `detail`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use steden_web::api::{ActionProblems, ApiActor, ApiCaller, ApiJson, ApiPath, WriteProblems};
use steden_web::AppState;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::agenda::{get_minutes, MinutesDto};
use super::agenda_write::{group_for, meeting_of, user_of};
use super::refusal::{refused, WriteResult};
use crate::store::minutes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(write_minutes))
        .routes(routes!(propose_minutes))
        .routes(routes!(comment_minutes))
        .routes(routes!(approve_minutes))
}

const CHAIR_ONLY: &str = "Alleen wie de werkgroep voorzit of begeleidt, schrijft het verslag.";
const FACILITATORS_ONLY: &str = "Alleen de begeleiders van de werkgroep keuren het verslag goed.";
const MEMBERS_ONLY: &str =
    "Alleen de leden van de werkgroep (geen waarnemers of gasten) geven opmerkingen.";

/// The minutes as their GET gives them, after a change.
async fn minutes_now(
    state: AppState,
    client: &ApiActor,
    slug: String,
    id: String,
) -> WriteResult<Json<MinutesDto>> {
    let caller = ApiCaller {
        actor: client.actor.clone(),
    };
    Ok(get_minutes(caller, State(state), ApiPath((slug, id))).await?)
}

/// The minutes' text and new decisions.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MinutesWriteInput {
    /// The whole text, Markdown (replaces the earlier text).
    pub minutes_md: String,
    /// Decisions to add after those already recorded, in order.
    #[serde(default)]
    pub add_decisions: Vec<String>,
}

/// Writes the minutes' text (the first write makes them a `concept`) and adds decisions; not
/// after approval. For those who chair.
#[utoipa::path(
    put,
    path = "/werkgroepen/groups/{slug}/meetings/{id}/minutes",
    operation_id = "werkgroepen_write_minutes",
    tag = "werkgroepen",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de werkgroep"),
        ("id" = String, Path, description = "Id van de vergadering"),
    ),
    request_body = MinutesWriteInput,
    responses(
        (status = 200, description = "Het verslag", body = MinutesDto),
        WriteProblems,
    )
)]
pub async fn write_minutes(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<MinutesWriteInput>,
) -> WriteResult<Json<MinutesDto>> {
    let view = group_for(&state, &client, &slug).await?;
    meeting_of(&state, &view, &id).await?;
    let actor = client.actor.audit_actor();
    let group_id = &view.profile.group_id;
    let mut tx = state.db().begin().await?;
    let mut result = minutes::save(
        &mut tx,
        &view.standing,
        group_id,
        &id,
        &input.minutes_md,
        &actor,
    )
    .await;
    for (index, text) in input.add_decisions.iter().enumerate() {
        if result.is_err() {
            break;
        }
        result = minutes::add_decision(&mut tx, &view.standing, group_id, &id, text, &actor)
            .await
            .map_err(|e| match e {
                steden_core::CoreError::Invalid(errors) => steden_core::CoreError::Invalid(
                    errors
                        .into_iter()
                        .map(|f| {
                            steden_core::FieldError::new(
                                format!("add_decisions.{index}"),
                                f.message,
                            )
                        })
                        .collect(),
                ),
                other => other,
            });
    }
    // Dropping the transaction on a refusal rolls back the text too.
    result.map_err(|e| refused(e, CHAIR_ONLY, &[]))?;
    tx.commit().await?;
    minutes_now(state, &client, slug, id).await
}

/// The comment period.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MinutesProposeInput {
    /// `YYYY-MM-DD`, today or later: comments are possible until the end of that day
    /// (Brussels). Left out: the group's usual number of days from today.
    #[serde(default)]
    pub comment_until: Option<String>,
}

/// Proposes the minutes to the members for comments and mails them; not after approval.
/// For those who chair.
#[utoipa::path(
    post,
    path = "/werkgroepen/groups/{slug}/meetings/{id}/minutes/propose",
    operation_id = "werkgroepen_propose_minutes",
    tag = "werkgroepen",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de werkgroep"),
        ("id" = String, Path, description = "Id van de vergadering"),
    ),
    request_body = MinutesProposeInput,
    responses(
        (status = 200, description = "Het voorgelegde verslag", body = MinutesDto),
        WriteProblems,
    )
)]
pub async fn propose_minutes(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<MinutesProposeInput>,
) -> WriteResult<Json<MinutesDto>> {
    let view = group_for(&state, &client, &slug).await?;
    meeting_of(&state, &view, &id).await?;
    let base_url = state.config().base_url.clone();
    let mut tx = state.db().begin().await?;
    minutes::propose(
        &mut tx,
        &view.standing,
        &view.profile.group_id,
        &id,
        input.comment_until.as_deref().unwrap_or_default(),
        &base_url,
        &client.actor.audit_actor(),
    )
    .await
    .map_err(|e| refused(e, CHAIR_ONLY, &[]))?;
    tx.commit().await?;
    minutes_now(state, &client, slug, id).await
}

/// A comment on proposed minutes.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MinutesCommentInput {
    pub body: String,
}

/// The comment as recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MinutesCommentDto {
    pub id: String,
    pub meeting_id: String,
    pub body: String,
}

/// A member comments on proposed minutes, during the comment period.
#[utoipa::path(
    post,
    path = "/werkgroepen/groups/{slug}/meetings/{id}/minutes/comments",
    operation_id = "werkgroepen_comment_minutes",
    tag = "werkgroepen",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de werkgroep"),
        ("id" = String, Path, description = "Id van de vergadering"),
    ),
    request_body = MinutesCommentInput,
    responses(
        (status = 201, description = "De opmerking", body = MinutesCommentDto),
        WriteProblems,
    )
)]
pub async fn comment_minutes(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<MinutesCommentInput>,
) -> WriteResult<(StatusCode, Json<MinutesCommentDto>)> {
    let view = group_for(&state, &client, &slug).await?;
    let user = user_of(&client)?;
    meeting_of(&state, &view, &id).await?;
    let mut tx = state.db().begin().await?;
    let comment = minutes::comment(
        &mut tx,
        &view.standing,
        &user,
        &view.profile.group_id,
        &id,
        &input.body,
        steden_db::now_ms(),
        &client.actor.audit_actor(),
    )
    .await
    .map_err(|e| refused(e, MEMBERS_ONLY, &[]))?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(MinutesCommentDto {
            id: comment,
            meeting_id: id,
            body: input.body.trim().to_string(),
        }),
    ))
}

/// Approves proposed minutes and mails them; for the group's facilitators (not the
/// voorzitter), as on the page.
#[utoipa::path(
    post,
    path = "/werkgroepen/groups/{slug}/meetings/{id}/minutes/approve",
    operation_id = "werkgroepen_approve_minutes",
    tag = "werkgroepen",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de werkgroep"),
        ("id" = String, Path, description = "Id van de vergadering"),
    ),
    responses(
        (status = 200, description = "Het goedgekeurde verslag", body = MinutesDto),
        ActionProblems,
    )
)]
pub async fn approve_minutes(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, String)>,
) -> WriteResult<Json<MinutesDto>> {
    let view = group_for(&state, &client, &slug).await?;
    let user = user_of(&client)?;
    meeting_of(&state, &view, &id).await?;
    let base_url = state.config().base_url.clone();
    let mut tx = state.db().begin().await?;
    minutes::approve(
        &mut tx,
        &view.standing,
        &user,
        &view.profile.group_id,
        &id,
        &base_url,
        &client.actor.audit_actor(),
    )
    .await
    .map_err(|e| refused(e, FACILITATORS_ONLY, &[]))?;
    tx.commit().await?;
    minutes_now(state, &client, slug, id).await
}
