//! The module's pages, one file or folder per area (design §3.1).

pub mod events;
pub mod group;
pub mod groups;
pub mod new_group;
pub mod personal_data;

use axum::Router;
use steden_web::AppState;

pub fn routes() -> Router<AppState> {
    groups::routes()
        .merge(new_group::routes())
        .merge(group::routes())
        .merge(events::routes())
        .merge(personal_data::routes())
}
