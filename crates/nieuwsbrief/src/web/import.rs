//! `/nieuwsbrief/beheer/import`: importing subscribers, for editors (design §3.2, §3.6). The
//! form takes a CSV or XLSX file (multipart, CSRF token in the query), the lists, and whether
//! the addresses are imported as confirmed — which requires a legal basis and a source. A file
//! that cannot be read at all is refused on the form, nothing stored; otherwise it is stored
//! and the job `nieuwsbrief.import` is queued in the same transaction, with an audit entry.
//! The import's page shows the job's progress (refreshing itself with htmx, or by the
//! "vernieuwen" link without JavaScript) and then the counts and every refused line, also as
//! `rapport.csv`.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Request};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use steden_core::audit::{self, Changes, NewEntry};
use steden_web::admin_jobs::{job_view, JobView};
use steden_web::flash::{self, Flash};
use steden_web::form::FormErrors;
use steden_web::page::{render, PageContext};
use steden_web::upload::{self, File, Limits, Parts, UploadError};
use steden_web::{AppError, AppState, Choice};

use super::subscribe::ListChoice;
use crate::import::check::Reason;
use crate::import::job::{self, Payload};
use crate::import::source::{self, FileKind, Sheet, MAX_UPLOAD_BYTES};
use crate::import::LegalBasis;
use crate::paths;
use crate::store::imports::{self, Import, NewImport};
use crate::store::lists;

/// Imports listed on the form's page.
const RECENT: i64 = 20;
/// Refused lines shown on the page (all of them are in rapport.csv).
const SHOWN_LINES: i64 = 1_000;
/// The longest legal basis and source kept.
const TEXT_MAX: usize = 500;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            paths::IMPORT,
            get(page)
                .post(upload)
                .layer(DefaultBodyLimit::max(LIMITS.body_bytes())),
        )
        .route("/nieuwsbrief/beheer/import/{id}", get(show))
        .route("/nieuwsbrief/beheer/import/{id}/rapport.csv", get(report))
}

/// The editor's user id (the shared check of every editors' page, [`super::require_editor`]).
async fn require_editor(ctx: &PageContext) -> Result<String, AppError> {
    super::require_editor(ctx).await?;
    Ok(ctx.require_user()?.user_id.clone())
}

fn crumbs(ctx: PageContext) -> PageContext {
    let label = ctx.t("nb-import-title");
    ctx.crumb(label, paths::IMPORT)
}

/// What the form sent (or shows again).
#[derive(Debug, Clone, Default)]
struct Fields {
    lists: Vec<String>,
    confirmed: bool,
    basis: String,
    basis_text: String,
    source: String,
    readd: bool,
}

struct ImportRow {
    href: String,
    file_name: String,
    status_key: String,
    created_at: i64,
    counts: String,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/import/form.html")]
struct FormPage {
    ctx: PageContext,
    errors: FormErrors,
    lists: Vec<ListChoice>,
    confirmed: bool,
    bases: Vec<Choice>,
    basis_text: String,
    typed_source: String,
    readd: bool,
    rows: Vec<ImportRow>,
}

fn counts_text(ctx: &PageContext, import: &Import) -> String {
    ctx.t_with(
        "nb-import-counts",
        &[
            ("accepted", &import.counts.accepted().to_string()),
            ("created", &import.counts.created.to_string()),
            ("refused", &import.counts.refused.to_string()),
        ],
    )
}

async fn form_page(
    ctx: PageContext,
    fields: &Fields,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = ctx.state().db();
    let lists = lists::list_all(db.pool())
        .await?
        .into_iter()
        .map(|list| ListChoice {
            checked: fields.lists.contains(&list.slug),
            slug: list.slug,
            name: list.name,
            description: list.description,
        })
        .collect();
    let rows = imports::list_recent(db.pool(), RECENT)
        .await?
        .iter()
        .map(|import| ImportRow {
            href: paths::import(&import.id),
            file_name: import.file_name.clone(),
            status_key: import.status.label_key(),
            created_at: import.created_at,
            counts: if import.status.is_finished() {
                counts_text(&ctx, import)
            } else {
                String::new()
            },
        })
        .collect();
    let bases = Choice::list(&LegalBasis::ALL, &fields.basis, LegalBasis::as_str, |b| {
        ctx.t(&b.label_key())
    });
    let title = ctx.t("nb-import-title");
    let page = FormPage {
        errors,
        lists,
        confirmed: fields.confirmed,
        bases,
        basis_text: fields.basis_text.clone(),
        typed_source: fields.source.clone(),
        readd: fields.readd,
        rows,
        ctx: crumbs(ctx).titled(title),
    };
    Ok((status, Html(steden_web::page::finish(page.render()?))).into_response())
}

async fn page(ctx: PageContext) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let fields = Fields {
        lists: vec!["algemeen".into()],
        ..Fields::default()
    };
    form_page(ctx, &fields, FormErrors::none(), StatusCode::OK).await
}

/// The form's limits: the file, and a few small text fields.
const LIMITS: Limits = Limits {
    file_field: "file",
    file_bytes: MAX_UPLOAD_BYTES,
    field_bytes: 4 * 1024,
};

/// The form's fields, read from its parts.
fn fields_of(parts: &Parts) -> Fields {
    Fields {
        lists: parts.fields_named("lists").map(str::to_string).collect(),
        confirmed: parts.field("confirmed") == "1",
        basis: parts.field("basis").to_string(),
        basis_text: parts.field("basis_text").to_string(),
        source: parts.field("source").to_string(),
        readd: parts.field("readd") == "1",
    }
}

/// The form's own checks (the file's are [`check_file`]).
async fn check_fields(
    ctx: &PageContext,
    fields: &Fields,
    errors: &mut FormErrors,
) -> Result<(), AppError> {
    let known = lists::list_all(ctx.state().db().pool()).await?;
    if fields
        .lists
        .iter()
        .any(|slug| !known.iter().any(|l| &l.slug == slug))
    {
        errors.add("lists", &ctx.t("nb-import-error-lists"));
    }
    if fields.confirmed {
        if LegalBasis::parse(&fields.basis).is_none() {
            errors.add("basis", &ctx.t("nb-import-error-basis"));
        }
        if fields.basis_text.is_empty() {
            errors.add("basis_text", &ctx.t("nb-import-error-basis-text"));
        }
        if fields.source.is_empty() {
            errors.add("source", &ctx.t("nb-import-error-source"));
        }
    }
    if fields.basis_text.chars().count() > TEXT_MAX {
        errors.add("basis_text", &ctx.t("nb-import-error-too-long"));
    }
    if fields.source.chars().count() > TEXT_MAX {
        errors.add("source", &ctx.t("nb-import-error-too-long"));
    }
    Ok(())
}

/// The file's kind, or the reason it cannot be imported at all. A CSV is read through once
/// (fast: a few hundred milliseconds for 10 MB); an XLSX's zip directory is checked, and the
/// job reads its sheet.
fn check_file(ctx: &PageContext, upload: &File) -> Result<FileKind, String> {
    let kind =
        FileKind::of(&upload.name, &upload.bytes).ok_or_else(|| ctx.t("nb-import-error-kind"))?;
    match kind {
        FileKind::Csv => Sheet::open(kind, upload.bytes.clone()).map(|_| kind),
        FileKind::Xlsx => source::check_zip(&upload.bytes).map(|_| kind),
    }
    .map_err(|refusal| refusal.0)
}

async fn upload(ctx: PageContext, request: Request) -> Result<Response, AppError> {
    let user_id = require_editor(&ctx).await?;
    let mut errors = FormErrors::none();
    let (fields, upload) = match upload::read(request, ctx.state(), &LIMITS).await {
        Ok(parts) => (fields_of(&parts), parts.file),
        Err(error) => {
            let key = match error {
                UploadError::TooLarge => "nb-import-error-too-large",
                UploadError::Unreadable => "nb-import-error-unreadable",
            };
            errors.add("file", &ctx.t(key));
            return form_page(ctx, &Fields::default(), errors, error.status()).await;
        }
    };
    let kind = match &upload {
        None => {
            errors.add("file", &ctx.t("nb-import-error-no-file"));
            None
        }
        Some(upload) => match check_file(&ctx, upload) {
            Ok(kind) => Some(kind),
            Err(reason) => {
                errors.add("file", &reason);
                None
            }
        },
    };
    check_fields(&ctx, &fields, &mut errors).await?;
    let (Some(upload), Some(kind), true) = (upload, kind, errors.is_empty()) else {
        return form_page(ctx, &fields, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };

    let non_empty = |text: &str| (!text.is_empty()).then(|| text.to_string());
    let basis_text = non_empty(&fields.basis_text);
    let source = non_empty(&fields.source);
    let basis_kind = LegalBasis::parse(&fields.basis).map(LegalBasis::as_str);
    let file_name: String = upload.name.chars().take(200).collect();
    let db = ctx.state().db();
    let now = steden_db::now_ms();
    let mut tx = db.begin().await?;
    let import_id = imports::create(
        &mut tx,
        &NewImport {
            file_name: &file_name,
            kind: Some(kind),
            lists: &fields.lists,
            confirmed: fields.confirmed,
            basis_kind,
            basis_text: basis_text.as_deref(),
            source: source.as_deref(),
            readd: fields.readd,
            created_by: Some(&user_id),
        },
        &upload.bytes,
        now,
    )
    .await?;
    let payload = Payload {
        import_id: import_id.clone(),
        base_url: ctx.state().config().base_url.clone(),
    };
    let job_id = job::queue(&mut tx, &payload, Some(&user_id)).await?;
    imports::set_job(&mut tx, &import_id, &job_id).await?;
    let summary = format!(
        "Import van {file_name} gestart ({})",
        if fields.confirmed {
            "bevestigd, met rechtsgrond"
        } else {
            "onbevestigd, met bevestigingsmail"
        }
    );
    audit::record(
        &mut tx,
        NewEntry {
            actor: &super::audit_actor(&ctx)?,
            organisation_id: None,
            entity_type: "nb_import",
            entity_id: &import_id,
            action: "import",
            summary: &summary,
            changes: Changes::new()
                .field("file_name", "", file_name.as_str())
                .field("lists", String::new(), fields.lists.join(", "))
                .field("confirmed", false, fields.confirmed)
                .field("readd", false, fields.readd),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("nb-import-started")),
        &paths::import(&import_id),
    ))
}

/// A refused line as the report shows it.
struct RefusedRow {
    line: i64,
    email: String,
    reason: String,
}

/// The part of the import's page that changes while the job runs.
struct StatusView {
    href: String,
    finished: bool,
    status_key: String,
    job: Option<JobView>,
    counts: Option<imports::Counts>,
    total: i64,
    error: Option<String>,
    rows: Vec<RefusedRow>,
    hidden_lines: i64,
    report_href: String,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/import/show.html")]
struct ShowPage {
    ctx: PageContext,
    import: Import,
    lists: String,
    basis: String,
    view: StatusView,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/import/status.html")]
struct StatusFragment {
    ctx: PageContext,
    view: StatusView,
}

fn reason_text(ctx: &PageContext, reason: &str, detail: &str) -> String {
    match Reason::parse(reason) {
        Some(reason) => ctx.t_with(&reason.label_key(), &[("detail", detail)]),
        None => reason.to_string(),
    }
}

async fn status_view(ctx: &PageContext, import: &Import) -> Result<StatusView, AppError> {
    let db = ctx.state().db();
    let mut job = match &import.job_id {
        Some(job_id) => job_view(db, job_id).await?,
        None => None,
    };
    // This page refreshes itself, the report with it: the bar must not poll on its own.
    if let Some(job) = job.as_mut() {
        job.active = false;
    }
    let finished = import.status.is_finished();
    let rows = if finished {
        imports::refused_lines(db.pool(), &import.id, SHOWN_LINES)
            .await?
            .into_iter()
            .map(|line| RefusedRow {
                reason: reason_text(ctx, &line.reason, &line.detail),
                line: line.line,
                email: line.email,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(StatusView {
        href: paths::import(&import.id),
        finished,
        status_key: import.status.label_key(),
        job: if finished { None } else { job },
        counts: finished.then_some(import.counts),
        total: import.total,
        error: import.error.clone(),
        hidden_lines: (import.counts.refused - SHOWN_LINES).max(0),
        rows,
        report_href: paths::import_report(&import.id),
    })
}

async fn load(ctx: &PageContext, id: &str) -> Result<Import, AppError> {
    imports::find(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn show(
    ctx: PageContext,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let import = load(&ctx, &id).await?;
    let view = status_view(&ctx, &import).await?;
    if headers.contains_key("hx-request") {
        return render(&StatusFragment { ctx, view });
    }
    let basis = match (
        import.basis_kind.as_deref().and_then(LegalBasis::parse),
        import.basis_text.as_deref(),
    ) {
        (Some(kind), Some(text)) => format!("{}: {text}", ctx.t(&kind.label_key())),
        (Some(kind), None) => ctx.t(&kind.label_key()),
        (None, Some(text)) => text.to_string(),
        (None, None) => String::new(),
    };
    let title = ctx.t_with("nb-import-show-title", &[("file", &import.file_name)]);
    render(&ShowPage {
        lists: import.lists.join(", "),
        basis,
        view,
        ctx: crumbs(ctx).titled(title),
        import,
    })
}

async fn report(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let import = load(&ctx, &id).await?;
    let lines = imports::refused_lines(ctx.state().db().pool(), &import.id, i64::MAX).await?;
    let mut csv = steden_web::csv::CsvWriter::new();
    csv.row([
        ctx.t("nb-import-col-line"),
        ctx.t("nb-import-col-email"),
        ctx.t("nb-import-col-reason"),
    ]);
    for line in &lines {
        csv.row([
            line.line.to_string(),
            line.email.clone(),
            reason_text(&ctx, &line.reason, &line.detail),
        ]);
    }
    Ok(steden_web::csv::download(csv.finish(), "rapport.csv"))
}
