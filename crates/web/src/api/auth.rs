//! Token authentication of the API: `Authorization: Bearer <token>`. No cookies or sessions
//! are read here, so cross-site requests cannot borrow a browser's login (and the API needs
//! no CSRF tokens).

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use steden_core::policy::{self, Action, Actor, TokenActor};
use steden_core::CoreError;

use super::problem::ApiError;
use crate::state::AppState;

/// The module a route belongs to, set by [`super::routes`] on every route of a module's
/// router ("core" for the platform's own routes). A token must have it in its scope.
#[derive(Debug, Clone, Copy)]
pub struct ApiModule(pub &'static str);

/// The client behind a request: an API token, authenticated and checked against the scope of
/// the route's module.
#[derive(Debug, Clone)]
pub struct ApiActor {
    pub actor: Actor,
    pub module: &'static str,
}

impl ApiActor {
    /// The token (an `ApiActor` is always one).
    pub fn token(&self) -> Option<&TokenActor> {
        match &self.actor {
            Actor::Token(token) => Some(token),
            _ => None,
        }
    }

    /// The organisation the token acts for.
    pub fn organisation_id(&self) -> Option<&str> {
        self.token().map(|t| t.organisation_id.as_str())
    }

    /// `policy::check` for this route's module.
    pub fn check(&self, action: Action, organisation_id: &str) -> Result<(), ApiError> {
        policy::check(&self.actor, self.module, action, organisation_id).map_err(|err| match err {
            CoreError::Forbidden => ApiError::Forbidden(
                "Dit token heeft niet de rol of de organisatie die voor deze actie nodig is."
                    .to_string(),
            ),
            other => other.into(),
        })
    }
}

/// The token presented in the `Authorization` header, if the header has the Bearer form.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let presented = bearer(parts).ok_or(ApiError::Unauthenticated)?;
        let actor = steden_core::api_token::authenticate(state.db(), presented)
            .await
            .map_err(|err| match err {
                CoreError::Unauthenticated | CoreError::NotFound(_) | CoreError::Forbidden => {
                    ApiError::Unauthenticated
                }
                other => other.into(),
            })?;
        // A route without a module would be a programming error; refusing is the safe side.
        let module = parts
            .extensions
            .get::<ApiModule>()
            .map(|m| m.0)
            .ok_or_else(|| ApiError::Internal("API-route zonder module".to_string()))?;
        let in_scope = match &actor {
            Actor::Token(token) => token.modules.iter().any(|m| m == module),
            _ => false,
        };
        if !in_scope {
            return Err(ApiError::Forbidden(format!(
                "Dit token heeft geen toegang tot de module '{module}'."
            )));
        }
        Ok(ApiActor { actor, module })
    }
}

/// The caller of a route that is also open to everyone: anonymous without an `Authorization`
/// header, else an authenticated token ([`ApiActor`]).
#[derive(Debug, Clone)]
pub struct ApiCaller {
    pub actor: Actor,
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if !parts.headers.contains_key(AUTHORIZATION) {
            return Ok(ApiCaller {
                actor: Actor::Anonymous,
            });
        }
        // A header that is there but wrong is an error, never a silent fall-back to anonymous.
        let client = ApiActor::from_request_parts(parts, state).await?;
        Ok(ApiCaller {
            actor: client.actor,
        })
    }
}
