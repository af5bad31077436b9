//! Replying to a meeting through the API (design §3.2): `PUT …/meetings/{id}/reply` with
//! `aanwezig`, `verontschuldigd` or `misschien`, as the token's user, under the same rules as
//! the reply page (store::replies).

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use steden_web::api::{ApiActor, ApiError, ApiJson, ApiPath, ApiResult, WriteProblems};
use steden_web::AppState;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::reader;
use crate::store::meetings;
use crate::store::replies::{self, Via};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(reply))
}

/// An answer to an invitation.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReplyInput {
    /// `aanwezig`, `verontschuldigd` or `misschien`.
    pub answer: String,
}

/// The answer as recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReplyDto {
    pub meeting_id: String,
    pub answer: String,
}

/// Says whether the token's user comes to a meeting (the last answer counts).
#[utoipa::path(
    put,
    path = "/werkgroepen/groups/{slug}/meetings/{id}/reply",
    operation_id = "werkgroepen_reply_meeting",
    tag = "werkgroepen",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "Korte naam van de werkgroep"),
        ("id" = String, Path, description = "Id van de vergadering"),
    ),
    request_body = ReplyInput,
    responses(
        (status = 200, description = "Het antwoord", body = ReplyDto),
        WriteProblems,
    )
)]
pub async fn reply(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath((slug, id)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<ReplyInput>,
) -> ApiResult<Json<ReplyDto>> {
    let not_found = || ApiError::NotFound("Geen vergadering met dit id.".into());
    let view = reader::find(state.db(), &client.actor, &slug)
        .await?
        .ok_or_else(not_found)?;
    let user_id = client
        .actor
        .user_id()
        .ok_or(ApiError::Unauthenticated)?
        .to_string();
    let meeting = meetings::find(state.db().pool(), &view.profile.group_id, &id)
        .await?
        .ok_or_else(not_found)?;
    let mut tx = state.db().begin().await?;
    let answer = replies::set(
        &mut tx,
        &view.standing,
        &meeting,
        &user_id,
        &input.answer,
        Via::Api,
        &client.actor.audit_actor(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(ReplyDto {
        meeting_id: meeting.id,
        answer: answer.as_str().to_string(),
    }))
}
