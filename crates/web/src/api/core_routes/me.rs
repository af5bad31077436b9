//! GET /me: who the token is.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use steden_core::{org, user};
use utoipa::ToSchema;

use super::organisations::OrganisationSummary;
use crate::api::{ApiActor, ApiError, ApiResult, AuthProblems};
use crate::state::AppState;

/// The token, the user it acts for and its organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub token: TokenInfo,
    pub user: UserInfo,
    pub organisation: OrganisationSummary,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenInfo {
    pub id: String,
    /// The token's role in its organisation (never above its creator's current role):
    /// `lezer`, `lid`, `redacteur` or `beheerder`.
    pub role: String,
    /// The modules the token may use, e.g. `["core", "plan"]`.
    pub modules: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserInfo {
    pub id: String,
    pub name: String,
    pub email: String,
}

/// The token's user, organisation, role and module scope.
#[utoipa::path(
    get,
    path = "/me",
    operation_id = "get_me",
    tag = "core",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Het token en voor wie het handelt", body = Me),
        AuthProblems,
    )
)]
pub async fn me(client: ApiActor, State(state): State<AppState>) -> ApiResult<Json<Me>> {
    let token = client
        .token()
        .ok_or_else(|| ApiError::Internal("API-actor zonder token".into()))?;
    let db = state.db();
    let user = user::get(db.pool(), &token.user_id).await?;
    let organisation = org::get(db.pool(), &token.organisation_id).await?;
    let refnis = org::refnis_on(db.pool(), &organisation.id, super::today()).await?;
    Ok(Json(Me {
        token: TokenInfo {
            id: token.token_id.clone(),
            role: token.role.as_str().to_string(),
            modules: token.modules.clone(),
        },
        user: UserInfo {
            id: user.id,
            name: user.name,
            email: user.email,
        },
        organisation: OrganisationSummary::new(organisation, refnis),
    }))
}
