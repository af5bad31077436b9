//! The participants of an event as a file for the organiser (slice S12): CSV through the
//! shell's `CsvWriter` (semicolons, BOM, cells that a spreadsheet would run as a formula
//! defused) and XLSX through rust_xlsxwriter (every cell written as a string or number, never
//! as a formula). One row per registration, with the answers to the questions as columns.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook};
use steden_web::csv::{self, CsvWriter};
use steden_web::page::PageContext;
use steden_web::AppError;

use super::manage::load_for_organiser;
use super::status_label;
use crate::store::events::Event;
use crate::store::registrations::{self, Registration};

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The table: a header row and a row per registration (all text).
fn table(ctx: &PageContext, event: &Event, all: &[Registration]) -> Vec<Vec<String>> {
    let mut header = vec![
        ctx.t("wg-registration-name"),
        ctx.t("wg-registration-email"),
        ctx.t("wg-registration-organisation"),
        ctx.t("wg-participants-status"),
        ctx.t("wg-export-registered-at"),
        ctx.t("wg-export-attended"),
    ];
    header.extend(event.questions.iter().map(|q| q.label.clone()));
    let mut rows = vec![header];
    for r in all {
        let attended = match r.attended {
            Some(true) => ctx.t("wg-export-yes"),
            Some(false) => ctx.t("wg-export-no"),
            None => String::new(),
        };
        let mut row = vec![
            r.name.clone(),
            r.email.clone(),
            r.organisation_text.clone(),
            status_label(ctx, r),
            steden_core::time::format_datetime(r.created_at),
            attended,
        ];
        row.extend(
            event
                .questions
                .iter()
                .map(|q| r.answers.get(&q.key).cloned().unwrap_or_default()),
        );
        rows.push(row);
    }
    rows
}

fn filename(event: &Event, extension: &str) -> String {
    format!("deelnemers-{}.{extension}", event.slug)
}

pub(super) async fn participants_csv(
    ctx: PageContext,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let event = load_for_organiser(&ctx, &slug).await?;
    let all = registrations::list_for_event(ctx.state().db().pool(), &event.id).await?;
    let mut writer = CsvWriter::new();
    for row in table(&ctx, &event, &all) {
        writer.row(row);
    }
    Ok(csv::download(writer.finish(), &filename(&event, "csv")))
}

pub(super) async fn participants_xlsx(
    ctx: PageContext,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let event = load_for_organiser(&ctx, &slug).await?;
    let all = registrations::list_for_event(ctx.state().db().pool(), &event.id).await?;
    let rows = table(&ctx, &event, &all);
    let bytes = xlsx(&event.title, &rows).map_err(|e| AppError::Internal(e.to_string()))?;
    let name = filename(&event, "xlsx");
    Ok((
        [
            (header::CONTENT_TYPE, XLSX_TYPE.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

fn xlsx(title: &str, rows: &[Vec<String>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    // A sheet name has at most 31 characters and none of []:*?/\ .
    let name: String = title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    if !name.trim().is_empty() {
        sheet.set_name(name.trim())?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            // write_string: text stays text, so "=1+1" is never evaluated.
            if r == 0 {
                sheet.write_string_with_format(r as u32, c as u16, cell, &bold)?;
            } else {
                sheet.write_string(r as u32, c as u16, cell)?;
            }
        }
    }
    sheet.autofit();
    workbook.save_to_buffer()
}
