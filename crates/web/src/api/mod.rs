//! The JSON API under /api/v1 (being written).

use axum::Router;

use crate::app::AppState;

pub fn routes(_modules: &[std::sync::Arc<dyn crate::Module>]) -> Router<AppState> {
    Router::new()
}
