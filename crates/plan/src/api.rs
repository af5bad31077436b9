//! The plan module's JSON API under /api/v1. (Being written.)

use steden_web::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
