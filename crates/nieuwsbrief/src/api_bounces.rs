//! Bounces and complaints by webhook (`POST /api/v1/nieuwsbrief/bounces`, design §3.4): a mail
//! provider or a mail server's pipe posts the raw message (RFC 5322) as it arrived at the
//! bounce address; the answer says what was done. For a token with the scope `nieuwsbrief`
//! (checked by the shell's [`ApiActor`]) that acts for the Kenniscentrum with the role
//! redacteur or higher, the same check as the editors' pages.

use axum::body::Body;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderMap;
use axum::Json;
use serde::Serialize;
use steden_web::api::{ApiActor, ApiError, ApiResult, AuthProblems, Problem};
use steden_web::AppState;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access;
use crate::bounces::{self, ParseError, MAX_MESSAGE_BYTES};
use crate::store::bounces::{Applied, Source};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(receive_bounce))
}

/// What one message did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BouncesDto {
    /// One entry per recipient of a delivery status notification, or per complaint; empty for
    /// a report that asks for nothing (successful delivery, `not-spam`).
    pub reports: Vec<Applied>,
}

/// Receives one bounce (RFC 3464 delivery status notification) or complaint (RFC 5965 ARF) as
/// the raw message, `message/rfc822` or `text/plain`, at most 2 MB. A hard bounce makes the
/// address `gebounced`, a complaint `geblokkeerd`; soft bounces count up to the setting
/// `nieuwsbrief.soft_bounce_limit` (3). The same message posted twice counts once
/// (`new: false`).
#[utoipa::path(
    post,
    path = "/nieuwsbrief/bounces",
    operation_id = "nieuwsbrief_receive_bounce",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    // Documented as text/plain, which every client (and schemathesis) can send; the same raw
    // message is also taken as message/rfc822, as the description says.
    request_body(content = String, content_type = "text/plain",
        description = "Het volledige bericht zoals het binnenkwam (RFC 5322); ook als message/rfc822"),
    responses(
        (status = 200, description = "Wat er met het bericht gedaan werd", body = BouncesDto),
        AuthProblems,
        (status = 400, description = "Het bericht kwam niet volledig binnen (de verbinding brak af)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Groter dan 2 MB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Geen message/rfc822 of text/plain", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Geen leesbare bounce of klacht (de reden in `errors`); er werd niets opgeslagen", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn receive_bounce(
    client: ApiActor,
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<BouncesDto>> {
    let db = state.db();
    let kenniscentrum_id = access::kenniscentrum_id(db).await?;
    if !access::is_editor(&client.actor, &kenniscentrum_id) {
        return Err(ApiError::Forbidden(
            "Bounces doorgeven is er voor de redactie van het Kenniscentrum.".into(),
        ));
    }
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(content_type.as_str(), "message/rfc822" | "text/plain") {
        return Err(ApiError::UnsupportedMediaType);
    }
    let raw = axum::body::to_bytes(body, MAX_MESSAGE_BYTES)
        .await
        .map_err(body_error)?;
    match bounces::receive(db, &raw, Source::Webhook).await? {
        Ok(reports) => Ok(Json(BouncesDto { reports })),
        Err(ParseError::TooLarge) => Err(ApiError::PayloadTooLarge),
        Err(err) => Err(ApiError::invalid("body", &err.to_string())),
    }
}

/// A body that could not be read: too long (413), or broken off on the way (400).
fn body_error(error: axum::Error) -> ApiError {
    // axum reports the limit as http-body-util's LengthLimitError, somewhere in the chain.
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    while let Some(current) = source {
        if current.to_string().contains("length limit exceeded") {
            return ApiError::PayloadTooLarge;
        }
        source = current.source();
    }
    ApiError::BadRequest("Het bericht kwam niet volledig binnen.".into(), Vec::new())
}
