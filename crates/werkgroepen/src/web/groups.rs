//! The list of working groups (`/werkgroepen`): name, purpose and how often they meet. Everyone
//! sees the public groups; members, facilitators and staff also the hidden groups they may
//! read (marked so). Staff get the button for a new group.

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access;
use crate::model::Visibility;
use crate::paths;
use crate::reader;
use crate::web::group::actor;

pub fn routes() -> Router<AppState> {
    Router::new().route(paths::GROUPS, get(list))
}

/// One card of the list, with its labels already translated.
struct GroupCard {
    name: String,
    href: String,
    kind: String,
    purpose: String,
    cadence: String,
    /// The label "verborgen" for a hidden group (shown to those who may read it).
    hidden: Option<String>,
}

#[derive(Template)]
#[template(path = "werkgroepen/list.html")]
struct ListPage {
    ctx: PageContext,
    groups: Vec<GroupCard>,
    can_create: bool,
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    let db = ctx.state().db();
    let actor = actor(&ctx);
    let groups = reader::list(db, &actor)
        .await?
        .into_iter()
        .map(|view| {
            let group = view.profile;
            GroupCard {
                href: paths::group(&group.slug),
                kind: ctx.t(&group.kind.label_key()),
                cadence: ctx.t(&group.cadence.label_key()),
                hidden: (group.visibility == Visibility::Verborgen)
                    .then(|| ctx.t(&group.visibility.label_key())),
                purpose: if group.purpose.trim().is_empty() {
                    ctx.t("wg-groups-no-purpose")
                } else {
                    group.purpose
                },
                name: group.name,
            }
        })
        .collect();
    let can_create = access::may_open_staff_pages(db, &actor).await;
    let title = ctx.t("wg-groups-title");
    let mut ctx = ctx.titled(title);
    ctx.description = ctx.t("wg-groups-description");
    render(&ListPage {
        ctx,
        groups,
        can_create,
    })
}
