//! Errors of the API as RFC 9457 problem documents (`application/problem+json`), in Dutch.
//!
//! Handlers return [`ApiError`]; the [`middleware`] of the API adds the request path as
//! `instance` and turns every other error response (axum rejections, 405, a caught panic)
//! into a problem document too, so a client never has to parse plain text.

use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use steden_core::CoreError;
use utoipa::ToSchema;

pub const CONTENT_TYPE_PROBLEM: &str = "application/problem+json";

/// The base of our problem type URIs. They identify the kind of problem; clients can branch
/// on them without parsing the Dutch text.
const TYPE_BASE: &str = "https://stedenplatform.be/problemen/";

/// One invalid field of a request: its name (a JSON pointer-like dotted path for nested
/// bodies) and a Dutch message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field, e.g. `name` or `page`.
    pub field: String,
    /// What is wrong, in Dutch.
    pub message: String,
}

impl From<steden_core::FieldError> for FieldProblem {
    fn from(err: steden_core::FieldError) -> FieldProblem {
        FieldProblem {
            field: err.field,
            message: err.message,
        }
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "https://stedenplatform.be/problemen/validatie",
    "title": "Ongeldige invoer",
    "status": 422,
    "detail": "Eén of meer velden zijn ongeldig; er werd niets opgeslagen.",
    "instance": "/api/v1/organisations/0193",
    "errors": [{"field": "name", "message": "Vul een naam in."}]
}))]
pub struct Problem {
    /// A URI that identifies the kind of problem (`about:blank` when the status says it all).
    #[serde(rename = "type")]
    pub type_uri: String,
    /// A short Dutch summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// A Dutch explanation of this occurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The path of the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// For validation problems: what is wrong with which field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(nullable = false)]
    pub errors: Vec<FieldProblem>,
}

impl Problem {
    /// A problem of kind `slug` (appended to our type base; `None` gives `about:blank`).
    pub fn new(status: StatusCode, slug: Option<&str>, title: &str, detail: &str) -> Problem {
        Problem {
            type_uri: slug.map_or_else(|| "about:blank".to_string(), |s| format!("{TYPE_BASE}{s}")),
            title: title.to_string(),
            status: status.as_u16(),
            detail: Some(detail.to_string()).filter(|d| !d.is_empty()),
            instance: None,
            errors: Vec::new(),
        }
    }

    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn render(&self) -> Response {
        let body = serde_json::to_vec(self).unwrap_or_default();
        let mut response = (self.status_code(), body).into_response();
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_PROBLEM));
        if self.status == 401 {
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        // Kept so that the middleware can add `instance` without parsing the body again.
        response.extensions_mut().insert(self.clone());
        response
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        self.render()
    }
}

/// What can go wrong in an API handler. Every variant becomes a problem document.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No token, or a token that is unknown, revoked or expired.
    #[error("niet aangemeld")]
    Unauthenticated,
    /// The token may not do this (wrong module, organisation or role).
    #[error("geen toegang: {0}")]
    Forbidden(String),
    #[error("niet gevonden: {0}")]
    NotFound(String),
    /// The request itself is malformed (syntax, query parameters).
    #[error("ongeldig verzoek: {0}")]
    BadRequest(String, Vec<FieldProblem>),
    /// The body has the wrong content type.
    #[error("verkeerd inhoudstype")]
    UnsupportedMediaType,
    /// The body is larger than the server accepts.
    #[error("verzoek te groot")]
    PayloadTooLarge,
    /// Well-formed, but some fields are invalid; nothing was written.
    #[error("ongeldige invoer")]
    Invalid(Vec<FieldProblem>),
    #[error("conflict: {0}")]
    Conflict(String),
    /// Details are logged, never shown.
    #[error("interne fout: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn invalid(field: &str, message: &str) -> ApiError {
        ApiError::Invalid(vec![FieldProblem {
            field: field.to_string(),
            message: message.to_string(),
        }])
    }

    pub fn to_problem(&self) -> Problem {
        match self {
            ApiError::Unauthenticated => Problem::new(
                StatusCode::UNAUTHORIZED,
                Some("niet-aangemeld"),
                "Niet aangemeld",
                "Stuur een geldig API-token mee in de header 'Authorization: Bearer <token>'.",
            ),
            ApiError::Forbidden(detail) => Problem::new(
                StatusCode::FORBIDDEN,
                Some("geen-toegang"),
                "Geen toegang",
                detail,
            ),
            ApiError::NotFound(detail) => Problem::new(
                StatusCode::NOT_FOUND,
                Some("niet-gevonden"),
                "Niet gevonden",
                detail,
            ),
            ApiError::BadRequest(detail, errors) => Problem {
                errors: errors.clone(),
                ..Problem::new(
                    StatusCode::BAD_REQUEST,
                    Some("ongeldig-verzoek"),
                    "Ongeldig verzoek",
                    detail,
                )
            },
            ApiError::UnsupportedMediaType => Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                Some("verkeerd-inhoudstype"),
                "Verkeerd inhoudstype",
                "Stuur de inhoud als JSON, met de header 'Content-Type: application/json'.",
            ),
            ApiError::PayloadTooLarge => Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                Some("te-groot"),
                "Verzoek te groot",
                "De inhoud van het verzoek is groter dan de server aanvaardt.",
            ),
            ApiError::Invalid(errors) => Problem {
                errors: errors.clone(),
                ..Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some("validatie"),
                    "Ongeldige invoer",
                    "Eén of meer velden zijn ongeldig; er werd niets opgeslagen.",
                )
            },
            ApiError::Conflict(detail) => {
                Problem::new(StatusCode::CONFLICT, Some("conflict"), "Conflict", detail)
            }
            ApiError::Internal(_) => internal_problem(),
        }
    }
}

/// A 500 problem that reveals nothing of the cause.
pub fn internal_problem() -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        Some("interne-fout"),
        "Er ging iets mis",
        "Er ging iets mis aan onze kant. Er werd niets half opgeslagen; probeer het later opnieuw.",
    )
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            // May contain SQL or paths: log it, never send it.
            tracing::error!(error = %detail, "interne fout in de API");
        }
        self.to_problem().into_response()
    }
}

impl From<CoreError> for ApiError {
    fn from(err: CoreError) -> ApiError {
        match err {
            CoreError::Invalid(fields) => {
                ApiError::Invalid(fields.into_iter().map(FieldProblem::from).collect())
            }
            CoreError::Forbidden => ApiError::Forbidden(
                "Dit token heeft geen toegang tot deze actie voor deze organisatie.".to_string(),
            ),
            CoreError::Unauthenticated => ApiError::Unauthenticated,
            CoreError::NotFound(what) => ApiError::NotFound(format!("{what} niet gevonden.")),
            CoreError::Conflict(message) => ApiError::Conflict(message),
            CoreError::Database(e) => ApiError::Internal(e.to_string()),
            CoreError::Internal(e) => ApiError::Internal(e.to_string()),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> ApiError {
        ApiError::Internal(err.to_string())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The problem for a response that left the router as a bare status (axum's own 404/405, a
/// rejection we did not wrap, a body too large).
fn problem_for_status(status: StatusCode) -> Problem {
    match status {
        StatusCode::NOT_FOUND => route_not_found(),
        StatusCode::METHOD_NOT_ALLOWED => Problem::new(
            status,
            Some("methode-niet-toegestaan"),
            "Methode niet toegestaan",
            "Deze route bestaat, maar niet met deze HTTP-methode. Zie /api/v1/openapi.json.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge.to_problem(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType.to_problem(),
        s if s.is_server_error() => internal_problem(),
        s => Problem::new(
            s,
            None,
            s.canonical_reason().unwrap_or("Fout"),
            "Het verzoek kon niet verwerkt worden.",
        ),
    }
}

/// The problem for a path under /api/v1 that no route answers.
pub fn route_not_found() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        Some("onbekende-route"),
        "Onbekende route",
        "Deze route bestaat niet in de API. De beschikbare routes staan in /api/v1/openapi.json.",
    )
}

/// The API's outermost layer: gives every problem its `instance` and turns any other error
/// response into a problem document.
pub async fn middleware(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let problem = match response.extensions().get::<Problem>() {
        Some(problem) => problem.clone(),
        None => problem_for_status(status),
    };
    let mut rendered = Problem {
        instance: Some(path),
        ..problem
    }
    .render();
    // Keep headers a handler set on purpose (e.g. Allow on a 405).
    for (name, value) in response.headers() {
        if name != CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rendered
}

/// For `CatchPanicLayer`: a panic in a handler becomes a 500 problem (and is logged).
pub fn from_panic(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("onbekende paniek");
    tracing::error!(panic = %message, "paniek in een API-handler");
    internal_problem().into_response()
}
