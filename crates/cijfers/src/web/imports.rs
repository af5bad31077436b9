//! The data team's imports: the list and the upload form (`/cijfers/beheer/imports`), and one
//! import's page: its preview (the first values, every error per line in Dutch), the column
//! mapping of a wide file, the confirmation, and the job's progress and outcome.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Request};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use steden_web::admin_jobs::{job_view, JobView};
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::upload::{self, Limits, UploadError};
use steden_web::{AppError, AppState, Choice};

use crate::access;
use crate::import::jobs::{self as import_jobs, Report, Upload};
use crate::import::numbers::DecimalMark;
use crate::import::table::Column;
use crate::import::{Options, MAX_FILE_BYTES};
use crate::model::{ImportKind, ImportStatus};
use crate::paths;
use crate::store::imports::{self, Import};
use crate::web::actor;
use crate::web::admin::working_org;

pub(crate) const LIMITS: Limits = Limits {
    file_field: "bestand",
    file_bytes: MAX_FILE_BYTES,
    field_bytes: 4 * 1024,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            paths::IMPORTS,
            get(list)
                .post(upload_file)
                .layer(DefaultBodyLimit::max(LIMITS.body_bytes())),
        )
        .route(paths::IMPORT_ROUTE, get(show))
        .route(paths::IMPORT_MAPPING_ROUTE, post(remap))
        .route(paths::IMPORT_CONFIRM_ROUTE, post(confirm))
}

struct ImportLine {
    filename: String,
    href: String,
    kind: String,
    status: String,
    created_at: i64,
}

#[derive(Template)]
#[template(path = "cijfers/imports.html")]
struct ListPage {
    ctx: PageContext,
    lines: Vec<ImportLine>,
    errors: FormErrors,
    kinds: Vec<Choice>,
    marks: Vec<Choice>,
    max_mb: usize,
}

async fn list_page(
    ctx: PageContext,
    errors: FormErrors,
    kind: &str,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (org, staff) = working_org(&ctx).await?;
    let rows = imports::list(
        ctx.state().db().pool(),
        (!staff).then_some(org.as_str()),
        50,
    )
    .await?;
    let lines = rows
        .into_iter()
        .map(|i| ImportLine {
            href: paths::import(&i.id),
            kind: ctx.t(&i.kind.label_key()),
            status: ctx.t(&i.status.label_key()),
            filename: i.filename,
            created_at: i.created_at,
        })
        .collect();
    let kinds = Choice::list(ImportKind::ALL, kind, ImportKind::as_str, |k| {
        ctx.t(&k.label_key())
    });
    let marks = vec![
        Choice::new("point", ctx.t("cijfers-mark-point"), true),
        Choice::new("comma", ctx.t("cijfers-mark-comma"), false),
    ];
    let title = ctx.t("cijfers-imports-title");
    let crumb = ctx.t("cijfers-admin-title");
    let page = ListPage {
        ctx: ctx.crumb(crumb, paths::ADMIN_INDICATORS).titled(title),
        lines,
        errors,
        kinds,
        marks,
        max_mb: MAX_FILE_BYTES / (1024 * 1024),
    };
    if status.is_success() {
        render(&page)
    } else {
        form::invalid_with(status, &page)
    }
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    list_page(ctx, FormErrors::none(), "long_csv", StatusCode::OK).await
}

async fn upload_file(ctx: PageContext, request: Request) -> Result<Response, AppError> {
    let (org, _) = working_org(&ctx).await?;
    match read_upload(&ctx, request).await {
        Ok(upload) => keep_for_preview(&ctx, upload, &org, None).await,
        Err(invalid) => list_page(ctx, invalid.errors, &invalid.kind, invalid.status).await,
    }
}

/// An import form as posted (here and on a data request's page), read within the limits and
/// checked: a kind was chosen and a non-empty file came with it.
pub(crate) struct ImportUpload {
    kind: ImportKind,
    file: upload::File,
    decimal_mark: DecimalMark,
}

/// Why an import form cannot be read: the errors per field, the status to answer with, and
/// the kind as posted, to show the form again as it was.
pub(crate) struct InvalidUpload {
    pub errors: FormErrors,
    pub status: StatusCode,
    pub kind: String,
}

pub(crate) async fn read_upload(
    ctx: &PageContext,
    request: Request,
) -> Result<ImportUpload, InvalidUpload> {
    let mut errors = FormErrors::none();
    let parts = match upload::read(request, ctx.state(), &LIMITS).await {
        Ok(parts) => parts,
        Err(error) => {
            let key = match error {
                UploadError::TooLarge => "cijfers-upload-too-large",
                UploadError::Unreadable => "cijfers-upload-unreadable",
            };
            let max = (MAX_FILE_BYTES / (1024 * 1024)).to_string();
            errors.add("bestand", &ctx.t_with(key, &[("max", max.as_str())]));
            return Err(InvalidUpload {
                errors,
                status: error.status(),
                kind: "long_csv".into(),
            });
        }
    };
    let kind_text = parts.field("soort").to_string();
    let kind = ImportKind::parse(&kind_text);
    if kind.is_none() {
        errors.add("soort", &ctx.t("cijfers-upload-kind-missing"));
    }
    if parts.file.as_ref().is_none_or(|file| file.bytes.is_empty()) {
        errors.add("bestand", &ctx.t("cijfers-upload-file-missing"));
    }
    let decimal_mark = DecimalMark::parse(parts.field("decimaalteken"));
    match (kind, parts.file) {
        (Some(kind), Some(file)) if errors.is_empty() => Ok(ImportUpload {
            kind,
            file,
            decimal_mark,
        }),
        _ => Err(InvalidUpload {
            errors,
            status: StatusCode::UNPROCESSABLE_ENTITY,
            kind: kind_text,
        }),
    }
}

/// Keeps a read upload as an import of `org` in preview (linked to the data request it was
/// delivered for, if any) and sends the visitor to the import's page.
pub(crate) async fn keep_for_preview(
    ctx: &PageContext,
    upload: ImportUpload,
    org: &str,
    delivered_for: Option<&str>,
) -> Result<Response, AppError> {
    let user_id = ctx.require_user()?.user_id.clone();
    let (id, _) = import_jobs::preview(
        ctx.state().db(),
        &Upload {
            kind: upload.kind,
            filename: &upload.file.name,
            bytes: &upload.file.bytes,
            options: Options {
                decimal_mark: upload.decimal_mark,
                mapping: Vec::new(),
            },
            organisation_id: org,
            created_by: Some(&user_id),
            delivered_for,
        },
    )
    .await?;
    Ok(flash::redirect_with(
        Flash::info(ctx.t("cijfers-upload-read")),
        &paths::import(&id),
    ))
}

/// The import `id`, if the visitor may see it: their organisation's, or any for staff.
async fn load(ctx: &PageContext, id: &str) -> Result<Import, AppError> {
    let (org, staff) = working_org(ctx).await?;
    let import = imports::find(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !staff && import.owner_org_id.as_deref() != Some(org.as_str()) {
        return Err(AppError::NotFound);
    }
    Ok(import)
}

/// A column of a wide file on the mapping screen.
struct MappingColumn {
    index: usize,
    header: String,
    value: String,
}

#[derive(Template)]
#[template(path = "cijfers/import.html")]
struct ImportPage {
    ctx: PageContext,
    import: Import,
    report: Report,
    kind: String,
    status: String,
    mapping: Vec<MappingColumn>,
    can_confirm: bool,
    job: Option<JobView>,
}

async fn show(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let import = load(&ctx, &id).await?;
    let report = Report::from_json(&import.report);
    let options: Options = serde_json::from_str(&import.options).unwrap_or_default();
    let mapping = if import.kind == ImportKind::WideCsv && import.status == ImportStatus::Preview {
        report
            .columns
            .iter()
            .enumerate()
            .map(|(index, header)| MappingColumn {
                index,
                header: header.clone(),
                value: options
                    .mapping
                    .get(index)
                    .cloned()
                    .unwrap_or_else(|| Column::guess(header).mapping_value()),
            })
            .collect()
    } else {
        Vec::new()
    };
    let job = match &import.job_id {
        Some(job_id) => job_view(ctx.state().db(), job_id).await?,
        None => None,
    };
    let can_confirm = import.status == ImportStatus::Preview && report.errors.is_empty();
    let title = ctx.t_with(
        "cijfers-import-title",
        &[("file", import.filename.as_str())],
    );
    let crumb = ctx.t("cijfers-imports-title");
    render(&ImportPage {
        kind: ctx.t(&import.kind.label_key()),
        status: ctx.t(&import.status.label_key()),
        ctx: ctx.crumb(crumb, paths::IMPORTS).titled(title),
        import,
        report,
        mapping,
        can_confirm,
        job,
    })
}

async fn remap(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let import = load(&ctx, &id).await?;
    if import.status != ImportStatus::Preview {
        return Err(AppError::BadRequest("Dit bestand is al bevestigd.".into()));
    }
    let old: Options = serde_json::from_str(&import.options).unwrap_or_default();
    let columns = Report::from_json(&import.report).columns.len();
    let mapping = (0..columns)
        .map(|i| {
            fields
                .iter()
                .find(|(k, _)| *k == format!("kolom-{i}"))
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default()
        })
        .collect();
    let options = Options {
        decimal_mark: old.decimal_mark,
        mapping,
    };
    import_jobs::remap(ctx.state().db(), &import.id, &options).await?;
    Ok(flash::redirect_with(
        Flash::info(ctx.t("cijfers-upload-read")),
        &paths::import(&id),
    ))
}

async fn confirm(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let import = load(&ctx, &id).await?;
    let db = ctx.state().db();
    // The data team of the upload's organisation confirms (or staff).
    let actor = actor(&ctx);
    let kenniscentrum = access::kenniscentrum_id(db).await?;
    let owner = import.owner_org_id.clone().unwrap_or_default();
    if !access::is_data_team(&actor, &owner) && !access::is_staff(&actor, &kenniscentrum) {
        return Err(AppError::Forbidden);
    }
    match import_jobs::confirm(db, &import.id, &actor.audit_actor()).await {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("cijfers-import-queued")),
            &paths::import(&id),
        )),
        Err(steden_core::CoreError::Conflict(message)) => Ok(flash::redirect_with(
            Flash::info(message),
            &paths::import(&id),
        )),
        Err(steden_core::CoreError::Invalid(_)) => Ok(flash::redirect_with(
            Flash::error(ctx.t("cijfers-import-has-errors")),
            &paths::import(&id),
        )),
        Err(other) => Err(other.into()),
    }
}
