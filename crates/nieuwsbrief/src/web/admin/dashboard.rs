//! `/nieuwsbrief/beheer`: how many subscribers in each status and on each list, the latest
//! campaigns, and the way to the other editors' pages.

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::paths;
use crate::store::admin;

pub fn routes() -> Router<AppState> {
    Router::new().route(paths::ADMIN, get(show))
}

/// How many campaigns the dashboard lists.
const LATEST: i64 = 5;

pub(super) struct Count {
    pub label: String,
    pub count: String,
    pub href: String,
}

pub(super) struct CampaignRow {
    pub subject: String,
    pub href: String,
    pub status: String,
    pub progress: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/admin/dashboard.html")]
struct DashboardPage {
    ctx: PageContext,
    statuses: Vec<Count>,
    total: String,
    lists: Vec<Count>,
    campaigns: Vec<CampaignRow>,
    may_manage: bool,
}

async fn show(ctx: PageContext) -> Result<Response, AppError> {
    let staff = super::editor(&ctx).await?;
    let db = ctx.state().db();
    let by_status = admin::counts_by_status(db.pool()).await?;
    let total: i64 = by_status.iter().map(|(_, n)| n).sum();
    let statuses = by_status
        .into_iter()
        .map(|(status, n)| Count {
            label: ctx.t(&status.label_key()),
            count: ctx.int(&n),
            href: format!("{}?status={}", paths::ADMIN_SUBSCRIBERS, status.as_str()),
        })
        .collect();
    let lists = admin::active_by_list(db.pool())
        .await?
        .into_iter()
        .map(|(name, slug, n)| Count {
            label: name,
            count: ctx.int(&n),
            href: format!("{}?status=bevestigd&lijst={slug}", paths::ADMIN_SUBSCRIBERS),
        })
        .collect();
    let campaigns = admin::latest_campaigns(db.pool(), LATEST)
        .await?
        .into_iter()
        .map(|c| CampaignRow {
            href: paths::campaign(&c.id),
            status: ctx.t(&c.status.label_key()),
            progress: ctx.t_with(
                "nb-admin-campaign-progress",
                &[
                    ("sent", ctx.int(&c.sent).as_str()),
                    ("recipients", ctx.int(&c.recipients).as_str()),
                ],
            ),
            updated: ctx.datetime(&c.updated_at),
            subject: c.subject,
        })
        .collect();
    let title = ctx.t("nb-admin-title");
    render(&DashboardPage {
        statuses,
        total: ctx.int(&total),
        lists,
        campaigns,
        may_manage: crate::access::is_manager(&staff.actor, &staff.kenniscentrum_id),
        ctx: ctx.titled(title),
    })
}
