//! The list of working groups that present themselves publicly (`/werkgroepen`): name, purpose
//! and how often they meet. Open to everyone; a hidden group never appears here.

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::paths;
use crate::store;

pub fn routes() -> Router<AppState> {
    Router::new().route(paths::GROUPS, get(list))
}

/// One card of the list, with its labels already translated.
struct GroupCard {
    name: String,
    kind: String,
    purpose: String,
    cadence: String,
}

#[derive(Template)]
#[template(path = "werkgroepen/list.html")]
struct ListPage {
    ctx: PageContext,
    groups: Vec<GroupCard>,
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    let mut conn = ctx.state().db().pool().acquire().await?;
    let groups = store::groups::list_public(&mut conn)
        .await?
        .into_iter()
        .map(|group| GroupCard {
            kind: ctx.t(&group.kind.label_key()),
            cadence: ctx.t(&group.cadence.label_key()),
            purpose: if group.purpose.trim().is_empty() {
                ctx.t("wg-groups-no-purpose")
            } else {
                group.purpose
            },
            name: group.name,
        })
        .collect();
    let title = ctx.t("wg-groups-title");
    let mut ctx = ctx.titled(title);
    ctx.description = ctx.t("wg-groups-description");
    render(&ListPage { ctx, groups })
}
