//! Errors of page handlers, shown as Dutch error pages.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use steden_core::CoreError;

/// What can go wrong in a page handler.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("niet gevonden")]
    NotFound,
    #[error("geen toegang")]
    Forbidden,
    /// Not logged in: pages redirect to the login page.
    #[error("aanmelden vereist")]
    Unauthenticated,
    #[error("ongeldig verzoek: {0}")]
    BadRequest(String),
    #[error("interne fout: {0}")]
    Internal(String),
}

impl From<CoreError> for AppError {
    fn from(err: CoreError) -> AppError {
        match err {
            CoreError::Forbidden => AppError::Forbidden,
            CoreError::Unauthenticated => AppError::Unauthenticated,
            CoreError::NotFound(_) => AppError::NotFound,
            CoreError::Invalid(fields) => AppError::BadRequest(
                fields
                    .iter()
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            CoreError::Conflict(message) => AppError::BadRequest(message),
            CoreError::Database(e) => AppError::Internal(e.to_string()),
            CoreError::Internal(e) => AppError::Internal(e.to_string()),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> AppError {
        AppError::Internal(err.to_string())
    }
}

impl From<askama::Error> for AppError {
    fn from(err: askama::Error) -> AppError {
        AppError::Internal(err.to_string())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
}

impl ErrorPage<'_> {
    fn asset(&self, name: &str) -> String {
        crate::assets::url(name)
    }

    fn icon(&self, id: &str) -> String {
        crate::assets::icon(id)
    }
}

/// A Dutch error page in the site's layout (header, skip link, main landmark, footer). It has
/// no user context: an error page must render even when the session or database is broken.
pub fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let page = ErrorPage {
        status: status.as_u16(),
        title,
        message,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, message.to_string()).into_response(),
    }
}

/// The response to a panic in a handler (for tower-http's `CatchPanicLayer`): the 500 page,
/// never a dropped connection. The panic message is logged, not shown.
pub fn panic_page(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(geen boodschap)");
    AppError::Internal(format!("paniek in een handler: {detail}")).into_response()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, title, message): (StatusCode, &str, String) = match &self {
            AppError::Unauthenticated => return Redirect::to("/aanmelden").into_response(),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Pagina niet gevonden",
                "De pagina die u zoekt bestaat niet (meer). Controleer het adres of ga terug naar de startpagina.".into(),
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Geen toegang",
                "U hebt geen toegang tot deze pagina of actie. Vraag een beheerder van uw organisatie om de juiste rol.".into(),
            ),
            AppError::BadRequest(detail) => (
                StatusCode::BAD_REQUEST,
                "Ongeldig verzoek",
                detail.clone(),
            ),
            AppError::Internal(detail) => {
                // The detail can contain internals (SQL, paths): log it, never show it.
                tracing::error!(error = %detail, "interne fout");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Er ging iets mis",
                    "Er ging iets mis aan onze kant. Er werd niets half opgeslagen; probeer het later opnieuw.".into(),
                )
            }
        };
        page(status, title, &message)
    }
}
