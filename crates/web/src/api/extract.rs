//! Extractors whose rejections are problem documents with Dutch messages, instead of axum's
//! plain-text ones.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use super::problem::{ApiError, FieldProblem};

/// A JSON request body. Wrong content type → 415; malformed JSON → 400; well-formed JSON that
/// does not fit (unknown field where the type denies them, wrong type, missing field) → 422
/// with the field named.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(request.headers().get(CONTENT_TYPE)) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes =
            Bytes::from_request(request, state)
                .await
                .map_err(|rejection| match rejection.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
                    _ => ApiError::BadRequest(
                        "De inhoud van het verzoek kon niet gelezen worden.".to_string(),
                        Vec::new(),
                    ),
                })?;
        // Every body of this API is an object. serde would read a JSON array into a struct
        // field by field (`[]` as a struct whose fields are all optional): refuse it instead.
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
            return Err(ApiError::invalid(
                "",
                "De inhoud moet een JSON-object zijn, geen lijst.",
            ));
        }
        parse_json(&bytes).map(ApiJson)
    }
}

/// `application/json` or any `application/…+json`.
fn is_json(value: Option<&axum::http::HeaderValue>) -> bool {
    let Some(value) = value.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mime = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// Parses a JSON body, classifying errors as the HTTP semantics want them.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        json_problem(&path, err.into_inner())
    })?;
    // Trailing garbage after the value is a syntax error, not something to ignore.
    deserializer.end().map_err(|err| json_problem("", err))?;
    Ok(value)
}

fn json_problem(path: &str, err: serde_json::Error) -> ApiError {
    match err.classify() {
        serde_json::error::Category::Data => {
            ApiError::Invalid(vec![field_problem(path, &err.to_string())])
        }
        _ => ApiError::BadRequest(
            format!(
                "De inhoud is geen geldige JSON (regel {}, kolom {}).",
                err.line(),
                err.column()
            ),
            Vec::new(),
        ),
    }
}

/// Turns serde's English message into a Dutch one, naming the field.
fn field_problem(path: &str, message: &str) -> FieldProblem {
    // serde reports a missing field at the level of its parent; name the field itself.
    let quoted = message.split('`').nth(1).unwrap_or("").to_string();
    let join = |name: &str| {
        if path.is_empty() || path == "." {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    let (field, message) = if message.starts_with("missing field") {
        (join(&quoted), "Dit veld is verplicht.".to_string())
    } else if message.starts_with("unknown field") {
        // Here the path already ends in the unknown field itself.
        let field = if path.is_empty() || path == "." {
            quoted
        } else {
            path.to_string()
        };
        (field, "Dit veld bestaat niet.".to_string())
    } else if message.starts_with("invalid type") {
        (
            path.to_string(),
            "Deze waarde heeft het verkeerde type.".to_string(),
        )
    } else if message.starts_with("unknown variant") {
        (
            path.to_string(),
            "Deze waarde is niet toegelaten.".to_string(),
        )
    } else {
        (path.to_string(), "Deze waarde is ongeldig.".to_string())
    };
    let field = if field.is_empty() || field == "." {
        "(inhoud)".to_string()
    } else {
        field
    };
    FieldProblem { field, message }
}

/// Query parameters. Anything that does not fit → 400 with the parameter named.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let deserializer = serde_urlencoded::Deserializer::new(url_form(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|err| {
                let path = err.path().to_string();
                let problem = field_problem(&path, &err.into_inner().to_string());
                ApiError::BadRequest(
                    "Eén of meer queryparameters zijn ongeldig.".to_string(),
                    vec![problem],
                )
            })
    }
}

fn url_form(bytes: &[u8]) -> url::form_urlencoded::Parse<'_> {
    url::form_urlencoded::parse(bytes)
}

/// Path parameters (ids). A segment that does not fit → 404: for a client, an id that cannot
/// exist is an id that does not exist.
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| ApiPath(value))
            .map_err(|_| ApiError::NotFound("Er bestaat niets met deze id.".to_string()))
    }
}
