//! /plannen/{id}/dashboard: a plan at a glance. Counts over all items are done in SQL
//! (GROUP BY), so that the page stays fast on a plan of 12,000 items; only the top level is
//! read as items, for the overall progress.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::model::{ItemStatus, Plan};
use crate::store;
use crate::store::rollup::{weighted_progress, ChildProgress};
use crate::web::load;
use crate::web::plans::plan_crumbs;

pub fn routes() -> Router<AppState> {
    Router::new().route("/plannen/{id}/dashboard", get(show))
}

/// One status with its count and its bar in the chart.
struct StatusCount {
    status: ItemStatus,
    count: i64,
    /// Bar width in the chart's units (0..=300).
    width: i64,
    /// Vertical position of the bar in the chart.
    y: i64,
}

/// One of the latest updates, ready to show.
struct LatestUpdate {
    date: String,
    author: String,
    item_id: String,
    item_code: String,
    status: String,
    progress: String,
    comment: String,
}

#[derive(Template)]
#[template(path = "plan/dashboard.html")]
struct DashboardPage {
    ctx: PageContext,
    plan: Plan,
    counts: Vec<StatusCount>,
    total: i64,
    chart_height: i64,
    progress: i64,
    prioritair: i64,
    late: i64,
    off_track: i64,
    late_updates: i64,
    open_kwesties: i64,
    updates: Vec<LatestUpdate>,
}

/// What one pass over a plan's items counts: items per status, prioritair items, and late
/// items as [`crate::model::Item::is_late`] says (delayed, or past their end date and not
/// closed). One grouped query, so that the dashboard of a 12,000-item plan reads the items once.
struct ItemCounts {
    per_status: Vec<(String, i64)>,
    prioritair: i64,
    late: i64,
}

async fn item_counts(
    db: &steden_db::Db,
    plan_id: &str,
    today: &str,
) -> Result<ItemCounts, AppError> {
    let rows = store::items::status_counts(db.pool(), plan_id, today).await?;
    let mut counts = ItemCounts {
        per_status: Vec::new(),
        prioritair: 0,
        late: 0,
    };
    for row in &rows {
        counts.per_status.push((row.status.clone(), row.count));
        counts.prioritair += row.prioritair;
        counts.late += row.late;
    }
    Ok(counts)
}

const BAR_MAX: i64 = 300;
const BAR_STEP: i64 = 32;

async fn show(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let (_, plan) = load::plan(&ctx, &id).await?;
    let db = ctx.state().db();
    let item_counts = item_counts(db, &plan.id, &store::today()).await?;
    let stored = item_counts.per_status;
    let total: i64 = stored.iter().map(|(_, n)| n).sum();
    let max = stored.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let counts: Vec<StatusCount> = ItemStatus::ALL
        .iter()
        .enumerate()
        .map(|(index, status)| {
            let count = stored
                .iter()
                .find(|(s, _)| s == status.as_str())
                .map_or(0, |(_, n)| *n);
            StatusCount {
                status: *status,
                count,
                width: count * BAR_MAX / max,
                y: index as i64 * BAR_STEP,
            }
        })
        .collect();
    let top = store::items::children(db.pool(), &plan.id, None).await?;
    let progress = weighted_progress(
        &top.iter()
            .map(|i| ChildProgress {
                progress: i.progress,
                weight: i.weight,
                status: i.status,
            })
            .collect::<Vec<_>>(),
    );
    let status_label = |s: Option<ItemStatus>| s.map(|s| ctx.t(&s.label_key())).unwrap_or_default();
    let latest = store::updates::for_plan(db.pool(), &plan.id, 10).await?;
    let mut updates = Vec::new();
    for update in latest {
        let code = store::items::find(db.pool(), &update.item_id)
            .await?
            .map(|i| i.code)
            .unwrap_or_default();
        updates.push(LatestUpdate {
            date: ctx.datetime(&update.created_at),
            author: update.author.clone(),
            item_id: update.item_id.clone(),
            item_code: code,
            status: status_label(update.new_status),
            progress: update
                .new_progress
                .map(|p| format!("{p} %"))
                .unwrap_or_default(),
            comment: update.comment.clone(),
        });
    }
    let page = DashboardPage {
        chart_height: ItemStatus::ALL.len() as i64 * BAR_STEP,
        prioritair: item_counts.prioritair,
        late: item_counts.late,
        off_track: crate::indicators::store::off_track_count(db.pool(), &plan.id).await?,
        late_updates: crate::rounds::late_count(db, &plan.id).await?,
        open_kwesties: crate::store::kwesties::open_count(db, &plan.id).await?,
        counts,
        total,
        progress,
        updates,
        ctx: {
            let title = ctx.t("plan-tab-dashboard");
            plan_crumbs(ctx, &plan).titled(title)
        },
        plan,
    };
    render(&page)
}
