//! (Being written.)

use axum::Router;
use steden_web::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
