//! `/nieuwsbrief/beheer/abonnees.xlsx`: the filtered subscribers as an XLSX workbook, beside
//! the CSV export (design §3.6): the same filters, the same columns, the same audit entry.
//!
//! Defused as the CSV is, in the workbook's own terms: every cell is written as a string (a
//! text cell is never evaluated, `=HYPERLINK(…)` stays those characters), and a cell that
//! the CSV export would prefix with `'` gets Excel's "quote prefix" style instead, so that it
//! stays text even when someone edits it and presses Enter. Memory stays bounded: the subscribers
//! are read [`EXPORT_BATCH`] at a time by keyset, the worksheet is written in rust_xlsxwriter's
//! constant-memory mode (rows go to a temporary file as they are written), and the finished
//! workbook is streamed from a temporary file.

use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use steden_core::audit::{self, Changes, NewEntry};
use steden_web::page::PageContext;
use steden_web::{AppError, AppState};
use tokio::io::AsyncReadExt;

use super::subscribers::{cells, ListQuery, EXPORT_BATCH, HEADER};
use crate::paths;
use crate::store::admin;

/// The media type of an XLSX workbook.
const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The size of the pieces the finished file is streamed in.
const CHUNK: usize = 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new().route(paths::ADMIN_SUBSCRIBERS_XLSX, get(export))
}

fn internal(error: impl std::fmt::Display) -> AppError {
    AppError::Internal(error.to_string())
}

/// Writes `text` as a string cell: with the quote-prefix style when a spreadsheet would
/// otherwise be tempted to read it as a formula (the CSV export's rule, [`steden_web::csv::defuse`]).
fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    quoted: &Format,
) -> Result<(), XlsxError> {
    if steden_web::csv::defuse(text) != text {
        sheet.write_string_with_format(row, col, text, quoted)?;
    } else {
        sheet.write_string(row, col, text)?;
    }
    Ok(())
}

/// The filtered subscribers as XLSX, audited (who, which filters, how many) before the
/// workbook is written.
async fn export(ctx: PageContext, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    let staff = super::editor(&ctx).await?;
    let db = ctx.state().db().clone();
    let filter = query.filter();
    let total = admin::count(db.pool(), &filter).await?;
    let mut tx = db.begin().await?;
    audit::record(
        &mut tx,
        NewEntry {
            actor: &staff.audit,
            organisation_id: Some(&staff.kenniscentrum_id),
            entity_type: "nb_subscriber",
            entity_id: "export",
            action: "export",
            summary: &format!("{total} abonnee(s) geëxporteerd als XLSX"),
            changes: Changes::new().field("filters", "", query.filter_query().as_str()),
        },
    )
    .await?;
    tx.commit().await?;

    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let quoted = Format::new().set_quote_prefix();
    {
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(internal)?;
        sheet.set_name("Abonnees").map_err(internal)?;
        for (col, title) in HEADER.iter().enumerate() {
            sheet
                .write_string_with_format(0, col as u16, *title, &bold)
                .map_err(internal)?;
        }
    }
    let mut row = 1u32;
    let mut after: Option<String> = None;
    loop {
        let batch = admin::page(db.pool(), &filter, after.as_deref(), EXPORT_BATCH).await?;
        let sheet = workbook.worksheet_from_index(0).map_err(internal)?;
        for line in &batch {
            for (col, text) in cells(line).iter().enumerate() {
                write_text(sheet, row, col as u16, text, &quoted).map_err(internal)?;
            }
            row += 1;
        }
        if (batch.len() as i64) < EXPORT_BATCH {
            break;
        }
        after = batch.last().map(|line| line.email.clone());
    }
    // Zipping is CPU and disk work: off the async threads, into a temporary file.
    let file = tokio::task::spawn_blocking(move || -> Result<std::fs::File, AppError> {
        let mut file = tempfile::tempfile().map_err(internal)?;
        workbook.save_to_writer(&mut file).map_err(internal)?;
        std::io::Seek::rewind(&mut file).map_err(internal)?;
        Ok(file)
    })
    .await
    .map_err(internal)??;
    let file = tokio::fs::File::from_std(file);
    let stream = futures::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buffer = vec![0u8; CHUNK];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok::<Bytes, std::io::Error>(Bytes::from(buffer)), Some(file)))
            }
            Err(error) => {
                tracing::error!(%error, "XLSX-export van abonnees afgebroken");
                Some((Err(error), None))
            }
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, XLSX_TYPE),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"abonnees-nieuwsbrief.xlsx\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
