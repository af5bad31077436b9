//! Server-side sessions (being written).

use axum::http::request::Parts;

use crate::app::AppState;
use crate::error::AppError;

/// An organisation the user belongs to, with the user's role there.
#[derive(Debug, Clone)]
pub struct OrgChoice {
    pub id: String,
    pub name: String,
    pub role: String,
}

/// The logged-in user of a request.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub session_id: String,
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub platform_admin: bool,
    /// The organisation the user is working in now (chosen with the switcher).
    pub active_org: Option<OrgChoice>,
    /// Every organisation the user belongs to.
    pub orgs: Vec<OrgChoice>,
}

/// The user of this request, if logged in.
pub async fn current(_state: &AppState, _parts: &Parts) -> Result<Option<SessionUser>, AppError> {
    Ok(None)
}
