//! The module's pages, one file or folder per area (design §3.1).

pub mod events;
pub mod feed;
pub mod group;
pub mod groups;
pub mod new_group;
pub mod replies;
// views across groups (S13)
pub mod mine;
pub mod overview;
pub mod personal_data;
// staff pages: agenda templates, the retention setting (issue 13 points 3 and 8)
pub mod admin_retention;
pub mod admin_templates;
// the registrant's "my data" link (issue 13 point 8)
pub mod registrant_data;

use axum::Router;
use steden_web::AppState;

pub fn routes() -> Router<AppState> {
    groups::routes()
        .merge(new_group::routes())
        .merge(group::routes())
        .merge(events::routes())
        .merge(feed::routes())
        .merge(replies::routes())
        .merge(mine::routes())
        .merge(overview::routes())
        .merge(personal_data::routes())
        .merge(admin_templates::routes())
        .merge(admin_retention::routes())
        .merge(registrant_data::routes())
}
