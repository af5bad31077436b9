//! /plannen/{id}/financien: budget (raming, krediet) against realisation (rekening) per year,
//! split uitgaven/ontvangsten and by budget type, for the plan and per top-level item; an SVG
//! bar chart (with its values as text and the table as its alternative). The item page gets
//! the item's own and descendants' amounts from [`item_panel`]. Anyone who may read the plan
//! may see its figures.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_core::policy::Actor;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::finance::{self, euros, Breakdown, ChartBar, Figures, CHART_BAR};
use crate::model::{Item, Plan};
use crate::paths;
use crate::web::load;

pub fn routes() -> Router<AppState> {
    Router::new().route("/plannen/{id}/financien", get(page))
}

/// A row of a figures table.
struct FigureRow {
    year: i64,
    /// Label key of the budget type, or of "total".
    type_key: String,
    is_total: bool,
    raming: String,
    krediet: String,
    rekening: String,
    percent: String,
}

impl FigureRow {
    fn new(year: i64, type_key: String, is_total: bool, f: Figures) -> FigureRow {
        FigureRow {
            year,
            type_key,
            is_total,
            raming: euros(f.raming),
            krediet: euros(f.krediet),
            rekening: euros(f.rekening),
            percent: f
                .realisation_percent()
                .map(|p| format!("{p} %"))
                .unwrap_or_else(|| "–".into()),
        }
    }
}

/// The table of one direction (uitgaven, ontvangsten, unspecified).
struct DirectionTable {
    key: &'static str,
    label_key: String,
    rows: Vec<FigureRow>,
}

fn direction_key(direction: &str) -> String {
    if direction.is_empty() {
        "plan-fin-direction-none".into()
    } else {
        format!("plan-fin-direction-{direction}")
    }
}

fn type_key(budget_type: &str) -> String {
    if budget_type.is_empty() {
        "plan-fin-type-none".into()
    } else {
        format!("plan-fin-type-{budget_type}")
    }
}

fn direction_tables(breakdown: &Breakdown) -> Vec<DirectionTable> {
    breakdown
        .directions()
        .into_iter()
        .map(|direction| {
            let types = breakdown.budget_types(direction);
            let mut rows = Vec::new();
            for year in breakdown.years() {
                let total = breakdown.year(year, direction);
                if total.is_zero() {
                    continue;
                }
                for t in &types {
                    let f = breakdown.get(year, direction, t);
                    if !f.is_zero() {
                        rows.push(FigureRow::new(year, type_key(t), false, f));
                    }
                }
                if types.len() > 1 {
                    rows.push(FigureRow::new(year, "plan-fin-total".into(), true, total));
                }
            }
            DirectionTable {
                key: if direction.is_empty() {
                    "geen"
                } else {
                    direction
                },
                label_key: direction_key(direction),
                rows,
            }
        })
        .collect()
}

/// A top-level item's expenditure over all years.
struct TopRow {
    id: String,
    code: String,
    title: String,
    raming: String,
    krediet: String,
    rekening: String,
    percent: String,
}

#[derive(Template)]
#[template(path = "plan/finance/page.html")]
struct FinancePage {
    ctx: PageContext,
    plan: Plan,
    empty: bool,
    bars: Vec<ChartBar>,
    chart_width: i64,
    chart_height: i64,
    chart_bar: i64,
    tables: Vec<DirectionTable>,
    top: Vec<TopRow>,
}

async fn page(ctx: PageContext, Path(plan_id): Path<String>) -> Result<Response, AppError> {
    let (_, plan) = load::plan(&ctx, &plan_id).await?;
    let figures = finance::plan_finance(ctx.state().db().pool(), &plan.id).await?;
    let bars = finance::chart(&figures.plan);
    let top = figures
        .top
        .iter()
        .filter(|t| !t.breakdown.is_empty())
        .map(|t| {
            let f = t.breakdown.total("uitgaven");
            let f = Figures {
                raming: f.raming + t.breakdown.total("").raming,
                krediet: f.krediet + t.breakdown.total("").krediet,
                rekening: f.rekening + t.breakdown.total("").rekening,
            };
            TopRow {
                id: t.id.clone(),
                code: t.code.clone(),
                title: t.title.clone(),
                raming: euros(f.raming),
                krediet: euros(f.krediet),
                rekening: euros(f.rekening),
                percent: f
                    .realisation_percent()
                    .map(|p| format!("{p} %"))
                    .unwrap_or_else(|| "–".into()),
            }
        })
        .collect();
    let title = ctx.t("plan-fin-title");
    let plans = ctx.t("plan-plans-title");
    let ctx = ctx
        .crumb(plans, paths::PLANS)
        .crumb(plan.title.clone(), load::plan_path(&plan.id))
        .titled(title);
    let page = FinancePage {
        ctx,
        empty: figures.plan.is_empty(),
        chart_width: finance::chart_width(bars.len()),
        chart_height: finance::CHART_VIEW_HEIGHT,
        chart_bar: CHART_BAR,
        tables: direction_tables(&figures.plan),
        bars,
        top,
        plan,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "plan/finance/panel.html")]
struct Panel<'a> {
    ctx: &'a PageContext,
    tables: Vec<DirectionTable>,
}

/// This capability's section of the item page (a `<section>` with an `<h2>`), or nothing.
pub async fn item_panel(
    ctx: &PageContext,
    actor: &Actor,
    plan: &Plan,
    item: &Item,
) -> Result<String, AppError> {
    if !crate::access::can_read(actor, plan) {
        return Ok(String::new());
    }
    let breakdown = finance::item_finance(ctx.state().db().pool(), &plan.id, &item.id).await?;
    if breakdown.is_empty() {
        return Ok(String::new());
    }
    let panel = Panel {
        ctx,
        tables: direction_tables(&breakdown),
    };
    Ok(panel.render()?)
}
