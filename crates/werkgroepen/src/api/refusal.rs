//! The answer of an API write that the store refused. A refusal in this state (a deadline
//! passed, a reason missing) carries the store's Dutch message as the problem's `detail`, the
//! same words the page shows, with the field problems in `errors`; a refused permission gets a
//! Dutch detail that says who may do it.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use steden_core::CoreError;
use steden_web::api::{ApiError, FieldProblem, Problem};

/// An [`ApiError`] or a validation problem with its own detail.
#[derive(Debug)]
pub enum Refusal {
    Api(ApiError),
    Invalid(Problem),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Api(error) => error.into_response(),
            Refusal::Invalid(problem) => problem.into_response(),
        }
    }
}

impl From<ApiError> for Refusal {
    fn from(error: ApiError) -> Refusal {
        Refusal::Api(error)
    }
}

impl From<sqlx::Error> for Refusal {
    fn from(error: sqlx::Error) -> Refusal {
        Refusal::Api(error.into())
    }
}

impl From<CoreError> for Refusal {
    fn from(error: CoreError) -> Refusal {
        refused(error, "Dit mag je niet in deze werkgroep.", &[])
    }
}

/// Turns a store error into the API's answer: `forbidden` is the detail of a 403, `rename`
/// maps the store's field names to the body's.
pub fn refused(error: CoreError, forbidden: &str, rename: &[(&str, &str)]) -> Refusal {
    match error {
        CoreError::Invalid(fields) => {
            let errors: Vec<FieldProblem> = fields
                .into_iter()
                .map(|e| {
                    let field = rename
                        .iter()
                        .find(|(from, _)| *from == e.field)
                        .map_or(e.field.clone(), |(_, to)| to.to_string());
                    FieldProblem {
                        field,
                        message: e.message,
                    }
                })
                .collect();
            let detail = match errors.as_slice() {
                [only] => only.message.clone(),
                _ => "Eén of meer velden zijn ongeldig; er werd niets opgeslagen.".to_string(),
            };
            Refusal::Invalid(Problem {
                errors,
                ..Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some("validatie"),
                    "Ongeldige invoer",
                    &detail,
                )
            })
        }
        CoreError::Forbidden => Refusal::Api(ApiError::Forbidden(forbidden.to_string())),
        CoreError::NotFound(what) => Refusal::Api(ApiError::NotFound(format!(
            "Geen {what} met dit id in deze werkgroep."
        ))),
        other => Refusal::Api(other.into()),
    }
}

pub type WriteResult<T> = Result<T, Refusal>;
