//! /plannen/{id}/export: the page with the download links, and the downloads themselves (the
//! plan and its indicators, as XLSX and CSV). Readers may export what they may read.

use askama::Template;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use super::load;
use crate::export::{self, Table};
use crate::model::Plan;
use crate::paths;
use crate::release;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plannen/{id}/export", get(page))
        .route("/plannen/{id}/export.xlsx", get(plan_xlsx))
        .route("/plannen/{id}/export.csv", get(plan_csv))
        .route("/plannen/{id}/indicatoren.xlsx", get(indicators_xlsx))
        .route("/plannen/{id}/indicatoren.csv", get(indicators_csv))
}

#[derive(Template)]
#[template(path = "plan/export/page.html")]
struct ExportPage {
    ctx: PageContext,
    plan: Plan,
}

async fn page(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let (_, plan) = load::plan(&ctx, &id).await?;
    let title = ctx.t("plan-rep-export-title");
    let plans_label = ctx.t("plan-nav-plans");
    let ctx = ctx
        .crumb(plans_label, paths::PLANS)
        .crumb(plan.title.clone(), load::plan_path(&plan.id))
        .titled(title);
    render(&ExportPage { ctx, plan })
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A download: the content type, and `attachment` with a file name made from the title.
fn download(bytes: Vec<u8>, content_type: &'static str, filename: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Clone, Copy)]
enum What {
    Plan,
    Indicators,
}

#[derive(Clone, Copy)]
enum Format {
    Xlsx,
    Csv,
}

async fn export_file(
    ctx: PageContext,
    id: String,
    what: What,
    format: Format,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan(&ctx, &id).await?;
    let snapshot = release::snapshot::current(ctx.state().db().pool(), &plan.id).await?;
    let t = |key: &str| ctx.t(key);
    let (table, sheet_key, suffix): (Table, &str, &str) = match what {
        What::Plan => (export::plan_table(&snapshot, &t), "plan-rep-sheet-plan", ""),
        What::Indicators => (
            export::indicator_table(&snapshot, &t),
            "plan-rep-sheet-indicators",
            "-indicatoren",
        ),
    };
    let base = format!("{}{suffix}", export::slugify(&plan.title));
    Ok(match format {
        Format::Xlsx => {
            let sheet = ctx.t(sheet_key);
            // The plan's own export carries the hidden sheet that lets it be imported back.
            let bytes = match what {
                What::Plan => {
                    export::to_xlsx_with_info(&table, &sheet, &export::plan_info(&snapshot, &t))
                }
                What::Indicators => export::to_xlsx(&table, &sheet),
            }
            .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
            download(bytes, XLSX, format!("{base}.xlsx"))
        }
        Format::Csv => steden_web::csv::download(export::to_csv(&table), &format!("{base}.csv")),
    })
}

async fn plan_xlsx(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    export_file(ctx, id, What::Plan, Format::Xlsx).await
}

async fn plan_csv(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    export_file(ctx, id, What::Plan, Format::Csv).await
}

async fn indicators_xlsx(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    export_file(ctx, id, What::Indicators, Format::Xlsx).await
}

async fn indicators_csv(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    export_file(ctx, id, What::Indicators, Format::Csv).await
}
