//! The module's pages, one file per area (design §3.1).

pub mod groups;

use axum::Router;
use steden_web::AppState;

pub fn routes() -> Router<AppState> {
    groups::routes()
}
