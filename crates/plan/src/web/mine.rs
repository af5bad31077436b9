//! /mijn-acties: the items the logged-in user owns, in the plans they may read, grouped by
//! plan, each with a link to its report form.

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access;
use crate::model::Plan;
use crate::store;
use crate::web::tree::ItemRow;

pub fn routes() -> Router<AppState> {
    Router::new().route("/mijn-acties", get(show))
}

/// A plan with the user's items in it.
struct PlanGroup {
    plan: Plan,
    rows: Vec<ItemRow>,
}

#[derive(Template)]
#[template(path = "plan/mine.html")]
struct MinePage {
    ctx: PageContext,
    groups: Vec<PlanGroup>,
}

async fn show(ctx: PageContext) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let actor = user.actor();
    let db = ctx.state().db();
    let today = store::today();
    let items = store::items::owned_by(db.pool(), &user.user_id).await?;
    let mut groups: Vec<PlanGroup> = Vec::new();
    // Plans that may not be read are remembered, so that each is looked up once.
    let mut hidden: Vec<String> = Vec::new();
    for item in items {
        if hidden.contains(&item.plan_id) {
            continue;
        }
        if let Some(group) = groups.iter_mut().find(|g| g.plan.id == item.plan_id) {
            let row = ItemRow::new(&group.plan, item, &today);
            group.rows.push(row);
            continue;
        }
        match store::plans::find(db.pool(), &item.plan_id).await? {
            Some(plan) if access::can_read(&actor, &plan) => {
                let row = ItemRow::new(&plan, item, &today);
                groups.push(PlanGroup {
                    plan,
                    rows: vec![row],
                });
            }
            _ => hidden.push(item.plan_id.clone()),
        }
    }
    let title = ctx.t("plan-nav-mine");
    render(&MinePage {
        ctx: ctx.titled(title),
        groups,
    })
}
