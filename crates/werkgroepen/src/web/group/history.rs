//! The history of a group's memberships (`/werkgroepen/{slug}/geschiedenis`), for those who
//! run it: every request, approval, refusal (with its reason) and departure. Rows are never
//! deleted, so this is the whole story of who was in the group and when.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_web::components::Tab;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::paths;
use crate::store::memberships;

use super::{crumbs, load_for_facilitator, tabs};

pub fn routes() -> Router<AppState> {
    Router::new().route("/werkgroepen/{slug}/geschiedenis", get(show))
}

struct HistoryRow {
    name: String,
    organisation: String,
    role: String,
    status: String,
    tone: &'static str,
    requested: String,
    joined: String,
    left: String,
    decided_by: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "werkgroepen/group/history.html")]
struct HistoryPage {
    ctx: PageContext,
    tabs: Vec<Tab>,
    rows: Vec<HistoryRow>,
}

async fn show(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let history = memberships::history(ctx.state().db().pool(), &view.profile.group_id).await?;
    let date = |ms: Option<i64>| ms.map(|ms| ctx.date(&ms)).unwrap_or_default();
    let rows = history
        .into_iter()
        .map(|m| HistoryRow {
            role: ctx.t(&m.role.label_key()),
            status: ctx.t(&m.status.label_key()),
            tone: match m.status {
                crate::model::MemberStatus::Actief => "success",
                crate::model::MemberStatus::Aangevraagd => "info",
                crate::model::MemberStatus::Geweigerd => "error",
                crate::model::MemberStatus::Vertrokken => "neutral",
            },
            requested: date(m.requested_at),
            joined: date(m.joined_at),
            left: date(m.left_at),
            organisation: m.organisation_name.unwrap_or_default(),
            decided_by: m.decided_by_name.unwrap_or_default(),
            reason: m.decision_reason,
            name: m.person_name,
        })
        .collect();
    let href = paths::group_history(&view.profile.slug);
    let title = ctx.t_with("wg-history-title", &[("group", view.profile.name.as_str())]);
    render(&HistoryPage {
        tabs: tabs(&ctx, &view, &href),
        rows,
        ctx: crumbs(ctx, &view).titled(title),
    })
}
