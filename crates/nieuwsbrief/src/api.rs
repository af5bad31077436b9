//! The nieuwsbrief JSON API under `/api/v1/nieuwsbrief/` (design §3): the public topic lists,
//! and the one-click unsubscribe of RFC 8058.
//!
//! The one-click unsubscribe lives here because the mail client itself POSTs to the
//! `List-Unsubscribe` address, without a page, a cookie or a CSRF token (the API is outside the
//! CSRF layer; the signed token is the proof). A mail client without one-click support opens
//! the address in a browser instead: that GET is sent on to the page that asks first.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::Serialize;
use steden_core::signed_link::LinkError;
use steden_web::api::problem::Problem;
use steden_web::api::{ApiCaller, ApiError, ApiPath, ApiResult, AuthProblems};
use steden_web::AppState;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::links::LinkKind;
use crate::paths;
use crate::store::subscribers::Subscriber;
use crate::store::{lists, subscribers};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_lists))
        .routes(routes!(one_click_unsubscribe, unsubscribe_in_browser))
        .merge(crate::api_linkedin::routes())
        .merge(crate::api_bounces::routes())
        .merge(crate::api_stats::routes())
        .merge(crate::api_subscribers::routes())
        .merge(crate::api_campaigns::routes())
}

/// A topic list one can subscribe to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListDto {
    /// The short name the subscription form sends.
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Offered on the public form (an editor's token also sees the lists that are not).
    pub public: bool,
    /// For an editor's token: the confirmed subscribers who receive the list; left out
    /// otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub active_subscribers: Option<i64>,
}

/// The topic lists offered on the public subscription form, in their order. A token of an
/// editor (redacteur or higher of the Kenniscentrum) gets every list, also those the form
/// does not offer, each with its number of confirmed subscribers who receive it.
#[utoipa::path(
    get,
    path = "/nieuwsbrief/lists",
    operation_id = "nieuwsbrief_list_lists",
    tag = "nieuwsbrief",
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "De onderwerpen", body = Vec<ListDto>),
        AuthProblems,
    )
)]
pub async fn list_lists(
    caller: ApiCaller,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<ListDto>>> {
    let pool = state.db().pool();
    // The anonymous never are editors: no look-up for the public form's callers.
    let editor = match &caller.actor {
        steden_core::policy::Actor::Anonymous => false,
        actor => crate::access::kenniscentrum_id(state.db())
            .await
            .is_ok_and(|id| crate::access::is_editor(actor, &id)),
    };
    if editor {
        let counts = crate::store::admin::active_by_list(pool).await?;
        let all = lists::list_all(pool).await?;
        return Ok(Json(
            all.into_iter()
                .map(|list| {
                    let n = counts
                        .iter()
                        .find(|(_, slug, _)| *slug == list.slug)
                        .map_or(0, |(_, _, n)| *n);
                    ListDto {
                        active_subscribers: Some(n),
                        ..ListDto::from(list)
                    }
                })
                .collect(),
        ));
    }
    let lists = lists::list_public(pool).await?;
    Ok(Json(lists.into_iter().map(ListDto::from).collect()))
}

impl From<lists::List> for ListDto {
    fn from(list: lists::List) -> ListDto {
        ListDto {
            slug: list.slug,
            name: list.name,
            description: list.description,
            public: list.public,
            active_subscribers: None,
        }
    }
}

/// The outcome of a one-click unsubscribe.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnsubscribedDto {
    /// Always `afgemeld` (unsubscribing twice is no error).
    pub status: String,
}

/// RFC 8058 one-click unsubscribe: the mail client POSTs `List-Unsubscribe=One-Click` to the
/// address in the mail's `List-Unsubscribe` header, and the subscriber is unsubscribed from
/// every list at once. The body is not needed: the signed token names the subscriber.
#[utoipa::path(
    post,
    path = "/nieuwsbrief/unsubscribe/{token}",
    operation_id = "nieuwsbrief_one_click_unsubscribe",
    tag = "nieuwsbrief",
    params(("token" = String, Path, description = "Het ondertekende token uit de afmeldlink van de mail")),
    responses(
        (status = 200, description = "Afgemeld", body = UnsubscribedDto),
        (status = 404, description = "Geen geldige afmeldlink", body = Problem,
         content_type = "application/problem+json"),
        (status = 410, description = "Verlopen afmeldlink, of de gegevens van de abonnee zijn gewist",
         body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn one_click_unsubscribe(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> Result<Response, ApiError> {
    let subscriber = match subscriber_of(&state, &token).await? {
        Ok(subscriber) => subscriber,
        Err(refused) => return Ok(refused),
    };
    let mut tx = state.db().begin().await?;
    subscribers::unsubscribe_all(
        &mut tx,
        &subscriber.id,
        "list-unsubscribe",
        steden_db::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(UnsubscribedDto {
        status: "afgemeld".into(),
    })
    .into_response())
}

/// The subscriber of an unsubscribe token, or the problem that refuses it: a forged token is
/// "not found" (404), an expired one, or one whose subscriber was erased, is gone (410).
async fn subscriber_of(
    state: &AppState,
    token: &str,
) -> Result<Result<Subscriber, Response>, ApiError> {
    match crate::web::resolve_link(state, LinkKind::Unsubscribe, token).await? {
        Ok(subscriber) => Ok(Ok(subscriber)),
        Err(LinkError::Invalid) => {
            Err(ApiError::NotFound("Deze afmeldlink is niet geldig.".into()))
        }
        Err(LinkError::Expired) => Ok(Err(Problem::new(
            StatusCode::GONE,
            Some("verlopen"),
            "Verlopen",
            "Deze afmeldlink is verlopen. Meld je af via de link in een recente nieuwsbrief.",
        )
        .into_response())),
    }
}

/// A browser that opened the `List-Unsubscribe` address (a mail client without one-click
/// support): sent on to the page that asks before it unsubscribes, since a GET must not.
#[utoipa::path(
    get,
    path = "/nieuwsbrief/unsubscribe/{token}",
    operation_id = "nieuwsbrief_unsubscribe_in_browser",
    tag = "nieuwsbrief",
    params(("token" = String, Path, description = "Het ondertekende token uit de afmeldlink van de mail")),
    responses(
        (status = 303, description = "Naar de afmeldpagina, die eerst bevestiging vraagt",
         headers(("Location" = String, description = "De afmeldpagina"))),
        (status = 404, description = "Geen geldige afmeldlink", body = Problem,
         content_type = "application/problem+json"),
        (status = 410, description = "Verlopen afmeldlink, of de gegevens van de abonnee zijn gewist",
         body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn unsubscribe_in_browser(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> Result<Response, ApiError> {
    if let Err(refused) = subscriber_of(&state, &token).await? {
        return Ok(refused);
    }
    Ok(Redirect::to(&paths::unsubscribe(&token)).into_response())
}
