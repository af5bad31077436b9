//! `/beheer/kennisbank/import`: bulk import of documents for editors. The form takes a zip of
//! files and/or a CSV of metadata (multipart, CSRF token in the query); both are stored in
//! the database in pieces of 1 MB and the job `kennisbank.import` ([`crate::bulk::job`]) is
//! enqueued in the same transaction, so any server may run it. The import's page shows the
//! job's progress (refreshing itself with htmx, or with the "vernieuwen" link without
//! JavaScript) and then the report per line, downloadable as `rapport.csv`.

use askama::Template;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use steden_web::admin_jobs::{job_view, JobView};
use steden_web::flash::{self, Flash};
use steden_web::form::FormErrors;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::bulk::job::{self, ARCHIVE_PART, CSV_PART};
use crate::bulk::{report_csv, Counts, Limits};
use crate::model::imports::{ImportRun, ImportStatus, LineReport};
use crate::paths;
use crate::store::imports::{self, PIECE_BYTES};
use crate::web::common::{manage_crumbs, require_editor};

/// The largest zip accepted on the web page (the command line reads folders of any size).
pub const MAX_ARCHIVE_BYTES: usize = 100 * 1024 * 1024;
/// The body limit: the zip, the CSV and the multipart framing.
const BODY_LIMIT: usize = MAX_ARCHIVE_BYTES + 6 * 1024 * 1024;
/// Imports listed on the page.
const RECENT: i64 = 20;
/// Report lines shown on the page (all of them are in rapport.csv).
const SHOWN_LINES: usize = 1000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            paths::IMPORTS,
            get(page)
                .post(upload)
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/beheer/kennisbank/import/{id}", get(show))
        .route("/beheer/kennisbank/import/{id}/rapport.csv", get(report))
}

fn crumbs(ctx: PageContext) -> PageContext {
    let label = ctx.t("kb-imp-title");
    manage_crumbs(ctx).crumb(label, paths::IMPORTS)
}

fn status_key(status: ImportStatus) -> String {
    format!("kb-imp-status-{}", status.as_str())
}

struct ImportRow {
    href: String,
    files: String,
    status_key: String,
    created_at: i64,
    counts: String,
}

#[derive(Template)]
#[template(path = "kennisbank/documents/import.html")]
struct ImportPage {
    ctx: PageContext,
    errors: FormErrors,
    rows: Vec<ImportRow>,
    max_mb: usize,
    max_entries: usize,
}

fn counts_text(ctx: &PageContext, counts: &Counts) -> String {
    ctx.t_with(
        "kb-imp-counts",
        &[
            ("created", &counts.aangemaakt.to_string()),
            ("updated", &counts.bijgewerkt.to_string()),
            ("unchanged", &counts.ongewijzigd.to_string()),
            ("refused", &counts.geweigerd.to_string()),
        ],
    )
}

fn files_of(run: &ImportRun) -> String {
    [run.archive_name.as_deref(), run.csv_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" + ")
}

async fn import_page(
    ctx: PageContext,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let runs = imports::list_recent(ctx.state().db().pool(), RECENT).await?;
    let rows = runs
        .iter()
        .map(|run| ImportRow {
            href: paths::import_path(&run.id),
            files: files_of(run),
            status_key: status_key(run.status),
            created_at: run.created_at,
            counts: match run.status {
                ImportStatus::Klaar => counts_text(&ctx, &Counts::of(&run.report)),
                _ => String::new(),
            },
        })
        .collect();
    let title = ctx.t("kb-imp-title");
    let page = ImportPage {
        ctx: crumbs(ctx).titled(title),
        errors,
        rows,
        max_mb: MAX_ARCHIVE_BYTES / (1024 * 1024),
        max_entries: Limits::default().max_entries,
    };
    Ok((status, Html(steden_web::page::finish(page.render()?))).into_response())
}

async fn page(ctx: PageContext) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    import_page(ctx, FormErrors::none(), StatusCode::OK).await
}

/// An uploaded part: its name and bytes.
struct Upload {
    filename: String,
    bytes: Vec<u8>,
}

enum ReadError {
    TooLarge(&'static str),
    Unreadable,
}

/// Reads the two file parts, each within its limit.
async fn read_parts(
    mut multipart: Multipart,
) -> Result<(Option<Upload>, Option<Upload>), ReadError> {
    let (mut archive, mut csv) = (None, None);
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ReadError::TooLarge("archief"))
            }
            Err(_) => return Err(ReadError::Unreadable),
        };
        let name = field.name().unwrap_or_default().to_string();
        let (slot, limit, field_name) = match name.as_str() {
            "archief" => (&mut archive, MAX_ARCHIVE_BYTES, "archief"),
            "csv" => (&mut csv, Limits::default().max_csv_bytes, "csv"),
            _ => continue,
        };
        let filename = field.file_name().unwrap_or_default().to_string();
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > limit {
                        return Err(ReadError::TooLarge(field_name));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(ReadError::TooLarge(field_name))
                }
                Err(_) => return Err(ReadError::Unreadable),
            }
        }
        // An empty file input still sends a part, without a name and content.
        if !bytes.is_empty() {
            *slot = Some(Upload { filename, bytes });
        }
    }
    Ok((archive, csv))
}

async fn upload(ctx: PageContext, request: Request) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let read = if declared.is_some_and(|n| n > BODY_LIMIT) {
        Err(ReadError::TooLarge("archief"))
    } else {
        match Multipart::from_request(request, ctx.state()).await {
            Ok(multipart) => read_parts(multipart).await,
            Err(_) => Err(ReadError::Unreadable),
        }
    };
    let mut errors = FormErrors::none();
    let (archive, csv) = match read {
        Ok(parts) => parts,
        Err(ReadError::TooLarge(field)) => {
            let message = if field == "csv" {
                ctx.t_with(
                    "kb-imp-csv-too-large",
                    &[(
                        "mb",
                        &(Limits::default().max_csv_bytes / (1024 * 1024)).to_string(),
                    )],
                )
            } else {
                ctx.t_with(
                    "kb-imp-archive-too-large",
                    &[("mb", &(MAX_ARCHIVE_BYTES / (1024 * 1024)).to_string())],
                )
            };
            errors.add(field, &message);
            return import_page(ctx, errors, StatusCode::PAYLOAD_TOO_LARGE).await;
        }
        Err(ReadError::Unreadable) => {
            errors.add("archief", &ctx.t("kb-imp-unreadable"));
            return import_page(ctx, errors, StatusCode::BAD_REQUEST).await;
        }
    };
    if archive.is_none() && csv.is_none() {
        errors.add("archief", &ctx.t("kb-imp-nothing"));
    }
    if archive
        .as_ref()
        .is_some_and(|a| !a.bytes.starts_with(b"PK"))
    {
        errors.add("archief", &ctx.t("kb-imp-not-zip"));
    }
    if !errors.is_empty() {
        return import_page(ctx, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let db = ctx.state().db().clone();
    let user = editor.audit.user_id.as_deref();
    let mut tx = db.begin().await?;
    let import_id = imports::create(
        &mut tx,
        archive.as_ref().map(|a| a.filename.as_str()),
        csv.as_ref().map(|c| c.filename.as_str()),
        user,
    )
    .await?;
    for (part, upload) in [(ARCHIVE_PART, &archive), (CSV_PART, &csv)] {
        if let Some(upload) = upload {
            for (seq, piece) in upload.bytes.chunks(PIECE_BYTES).enumerate() {
                imports::add_piece(&mut tx, &import_id, part, seq as i64, piece).await?;
            }
        }
    }
    job::enqueue(&mut tx, &import_id, user).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("kb-imp-started")),
        &paths::import_path(&import_id),
    ))
}

struct ReportRow {
    line: String,
    outcome_key: String,
    outcome_class: &'static str,
    file: String,
    title: String,
    href: Option<String>,
    reason: String,
}

#[derive(Template)]
#[template(path = "kennisbank/documents/import_show.html")]
struct ShowPage {
    ctx: PageContext,
    run: ImportRun,
    files: String,
    status_key: String,
    job: Option<JobView>,
    counts: String,
    rows: Vec<ReportRow>,
    hidden_lines: usize,
    report_href: String,
    refresh_href: String,
}

fn report_row(line: &LineReport) -> ReportRow {
    use crate::model::imports::Outcome;
    ReportRow {
        line: if line.line == 0 {
            "–".to_string()
        } else {
            line.line.to_string()
        },
        outcome_key: format!("kb-imp-outcome-{}", line.outcome.as_str()),
        outcome_class: match line.outcome {
            Outcome::Aangemaakt | Outcome::Bijgewerkt => "success",
            Outcome::Ongewijzigd => "neutral",
            Outcome::Geweigerd => "error",
        },
        file: line.file.clone().unwrap_or_default(),
        title: line.title.clone(),
        href: line
            .document_id
            .as_ref()
            .map(|id| format!("{}/{id}", paths::DOCUMENTS)),
        reason: line.reason.clone().unwrap_or_default(),
    }
}

async fn load(ctx: &PageContext, id: &str) -> Result<ImportRun, AppError> {
    imports::find(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn show(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let run = load(&ctx, &id).await?;
    let job = match &run.job_id {
        Some(job_id) => job_view(ctx.state().db(), job_id).await?,
        None => None,
    };
    let counts = match run.status {
        ImportStatus::Klaar => counts_text(&ctx, &Counts::of(&run.report)),
        _ => String::new(),
    };
    let rows = run
        .report
        .iter()
        .take(SHOWN_LINES)
        .map(report_row)
        .collect();
    let title = ctx.t("kb-imp-show-title");
    let page = ShowPage {
        files: files_of(&run),
        status_key: status_key(run.status),
        job,
        counts,
        rows,
        hidden_lines: run.report.len().saturating_sub(SHOWN_LINES),
        report_href: paths::import_report_path(&run.id),
        refresh_href: paths::import_path(&run.id),
        ctx: crumbs(ctx).titled(title),
        run,
    };
    render(&page)
}

async fn report(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let run = load(&ctx, &id).await?;
    Ok(steden_web::csv::download(
        report_csv(&run.report),
        "rapport.csv",
    ))
}
