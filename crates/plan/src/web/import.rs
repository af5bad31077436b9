//! /plannen/{id}/import: importing a BBC export (CSV/XLSX) or the jaarplan text into a plan,
//! for editors. The flow, each step a page that works without JavaScript:
//!
//! 1. upload (multipart, CSRF token in the query): the file is stored in plan_imports
//!    ("uploaded"); nothing touches the plan yet;
//! 2. for a BBC file whose columns are unclear, the mapping screen (a select per field,
//!    prefilled from the detection); the choice is kept in plan_imports.options;
//! 3. the preview: what will be created, changed and left alone, or the file's problems with
//!    their line;
//! 4. "Importeren" enqueues the job "plan.import" ([`crate::import::jobs`]) and shows its
//!    progress with the shell's progress fragment; the job writes everything in one
//!    transaction and keeps the summary.

use std::collections::HashMap;

use askama::Template;
use axum::body::Body;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use steden_core::audit::{self, Changes, NewEntry};
use steden_db::jobs::{self, NewJob};
use steden_web::admin_jobs::{job_view, JobView};
use steden_web::flash::{self, Flash};
use steden_web::form::FormErrors;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::import::bbc::{self, column_letter, ColumnMapping, Field, Table};
use crate::import::jobs::{ImportPayload, KIND};
use crate::import::uploads::{self, ImportKind, Problem, Refusal, Upload, MAX_BYTES};
use crate::import::write::{Action, ImportPlan, ImportSummary, PlannedItem};
use crate::model::Plan;
use crate::paths::{self, import_path, upload_path};
use crate::web::import_archive::{archive_rows, ArchiveRow};
use crate::web::load;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plannen/{id}/import", get(page).post(upload))
        .route("/plannen/{id}/import/{import_id}", get(preview))
        .route(
            "/plannen/{id}/import/{import_id}/kolommen",
            get(mapping).post(save_mapping),
        )
        .route("/plannen/{id}/import/{import_id}/bevestigen", post(confirm))
        .route("/plannen/{id}/import/{import_id}/voortgang", get(progress))
}

fn crumbs(ctx: PageContext, plan: &Plan) -> PageContext {
    let plans = ctx.t("plan-plans-title");
    let import = ctx.t("plan-imp-title");
    ctx.crumb(plans, paths::PLANS)
        .crumb(plan.title.clone(), load::plan_path(&plan.id))
        .crumb(import, import_path(&plan.id))
}

/// The upload of this plan, or 404.
async fn load_upload(ctx: &PageContext, plan: &Plan, import_id: &str) -> Result<Upload, AppError> {
    uploads::find(ctx.state().db().pool(), import_id)
        .await?
        .filter(|u| u.plan_id.as_deref() == Some(plan.id.as_str()))
        .ok_or(AppError::NotFound)
}

// ---------------------------------------------------------------------------------------------
// The import page: upload form and earlier imports

struct UploadRow {
    id: String,
    filename: String,
    kind_key: String,
    status_key: String,
    status_icon: &'static str,
    created_at: i64,
    summary: String,
}

#[derive(Template)]
#[template(path = "plan/import/page.html")]
struct ImportPage {
    ctx: PageContext,
    plan: Plan,
    kinds: Vec<Choice>,
    errors: FormErrors,
    rows: Vec<UploadRow>,
    max_mb: usize,
}

fn kind_choices(ctx: &PageContext, current: &str) -> Vec<Choice> {
    Choice::list(
        &[ImportKind::Bbc, ImportKind::Jaarplan],
        current,
        ImportKind::as_str,
        |k| ctx.t(&format!("plan-imp-kind-{}", k.as_str())),
    )
}

fn status_icon(status: &str) -> &'static str {
    match status {
        "done" => "check",
        "failed" => "error",
        "queued" => "clock",
        _ => "circle",
    }
}

/// "12 nieuw, 3 gewijzigd …" for a finished import, the error for a failed one.
fn result_text(ctx: &PageContext, upload: &Upload) -> String {
    match upload.status.as_str() {
        "done" => {
            let s: ImportSummary =
                serde_json::from_value(upload.result.clone()).unwrap_or_default();
            summary_text(ctx, &s)
        }
        "failed" => upload.result["error"].as_str().unwrap_or("").to_string(),
        _ => String::new(),
    }
}

fn summary_text(ctx: &PageContext, s: &ImportSummary) -> String {
    ctx.t_with(
        "plan-imp-summary",
        &[
            ("created", &s.created.to_string()),
            ("changed", &s.changed.to_string()),
            ("unchanged", &s.unchanged.to_string()),
            ("left", &s.left_alone.to_string()),
        ],
    )
}

async fn import_page(
    ctx: PageContext,
    plan: Plan,
    kind: &str,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let list = uploads::list_for_plan(ctx.state().db().pool(), &plan.id).await?;
    let rows = list
        .iter()
        .map(|u| UploadRow {
            id: u.id.clone(),
            filename: u.filename.clone(),
            kind_key: format!("plan-imp-kind-{}", u.kind.as_str()),
            status_key: format!("plan-imp-status-{}", u.status),
            status_icon: status_icon(&u.status),
            created_at: u.created_at,
            summary: result_text(&ctx, u),
        })
        .collect();
    let title = ctx.t("plan-imp-title");
    let kinds = kind_choices(&ctx, kind);
    let invalid = !errors.is_empty();
    let page = ImportPage {
        ctx: crumbs(ctx, &plan).titled(title),
        plan,
        kinds,
        errors,
        rows,
        max_mb: MAX_BYTES / (1024 * 1024),
    };
    let response = render(&page)?;
    Ok(if invalid {
        (StatusCode::UNPROCESSABLE_ENTITY, response).into_response()
    } else {
        response
    })
}

async fn page(ctx: PageContext, Path(plan_id): Path<String>) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &plan_id).await?;
    import_page(ctx, plan, "bbc", FormErrors::none()).await
}

/// One part of a multipart body.
struct Part {
    name: String,
    filename: Option<String>,
    data: Vec<u8>,
}

/// A small multipart/form-data reader (the upload form has two fields).
fn multipart_parts(content_type: &str, body: &[u8]) -> Option<Vec<Part>> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut rest = body;
    let start = find(rest, &delimiter)?;
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            break;
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let header_end = find(rest, b"\r\n\r\n")?;
        let headers = String::from_utf8_lossy(&rest[..header_end]).to_string();
        rest = &rest[header_end + 4..];
        let mut end_marker = b"\r\n".to_vec();
        end_marker.extend_from_slice(&delimiter);
        let end = find(rest, &end_marker)?;
        let data = rest[..end].to_vec();
        rest = &rest[end + end_marker.len()..];
        let disposition = headers
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))?;
        parts.push(Part {
            name: param(disposition, "name")?,
            filename: param(disposition, "filename"),
            data,
        });
    }
    Some(parts)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `name="value"` from a Content-Disposition header.
fn param(header: &str, key: &str) -> Option<String> {
    header.split(';').map(str::trim).find_map(|p| {
        p.strip_prefix(key)
            .and_then(|v| v.strip_prefix('='))
            .map(|v| v.trim_matches('"').to_string())
    })
}

async fn upload(
    ctx: PageContext,
    Path(plan_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &plan_id).await?;
    let user_id = ctx.require_user()?.user_id.clone();
    let mut errors = FormErrors::none();
    let bytes = match axum::body::to_bytes(body, MAX_BYTES + 64 * 1024).await {
        Ok(bytes) => bytes,
        Err(_) => {
            errors.add("bestand", &ctx.t("plan-imp-too-large"));
            return import_page(ctx, plan, "bbc", errors).await;
        }
    };
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let parts = multipart_parts(content_type, &bytes).unwrap_or_default();
    let kind_text = parts
        .iter()
        .find(|p| p.name == "soort")
        .map(|p| String::from_utf8_lossy(&p.data).to_string())
        .unwrap_or_default();
    let kind = ImportKind::parse(&kind_text);
    if kind.is_none() {
        errors.add("soort", &ctx.t("plan-imp-kind-missing"));
    }
    let file = parts
        .into_iter()
        .find(|p| p.name == "bestand" && p.filename.as_deref().is_some_and(|f| !f.is_empty()));
    match &file {
        None => errors.add("bestand", &ctx.t("plan-imp-file-missing")),
        Some(f) if f.data.is_empty() => errors.add("bestand", &ctx.t("plan-imp-file-empty")),
        Some(f) if f.data.len() > MAX_BYTES => errors.add("bestand", &ctx.t("plan-imp-too-large")),
        Some(_) => {}
    }
    let (Some(kind), Some(file), true) = (kind, file, errors.is_empty()) else {
        return import_page(ctx, plan, &kind_text, errors).await;
    };
    let filename = file.filename.unwrap_or_default();
    let mut tx = ctx.state().db().begin().await?;
    let stored = uploads::create(
        &mut tx,
        &plan.organisation_id,
        &plan.id,
        kind,
        &filename,
        &file.data,
        Some(&user_id),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::info(ctx.t("plan-imp-uploaded")),
        &upload_path(&plan.id, &stored.id),
    ))
}

// ---------------------------------------------------------------------------------------------
// Preview

struct ChangeRow {
    field_key: String,
    old: String,
    new: String,
}

struct PreviewRow {
    code: String,
    title: String,
    level: String,
    line: usize,
    changes: Vec<ChangeRow>,
}

struct Group {
    /// "created", "changed", "unchanged".
    key: &'static str,
    label_key: String,
    count: usize,
    rows: Vec<PreviewRow>,
}

#[derive(Template)]
#[template(path = "plan/import/preview.html")]
struct PreviewPage {
    ctx: PageContext,
    plan: Plan,
    upload: Upload,
    kind_key: String,
    problems: Vec<Problem>,
    groups: Vec<Group>,
    left_alone: usize,
    /// The items the file no longer contains, to archive (see `super::import_archive`).
    archive: Vec<ArchiveRow>,
    warnings: Vec<String>,
    new_levels: String,
    can_confirm: bool,
    is_bbc: bool,
    status_key: String,
    result: String,
}

fn preview_rows(plan: &Plan, items: Vec<&PlannedItem>) -> Vec<PreviewRow> {
    items
        .into_iter()
        .map(|i| PreviewRow {
            code: i.code.clone(),
            title: i.title.clone(),
            level: plan.level_name(i.level).to_string(),
            line: i.line,
            changes: i
                .changes
                .iter()
                .map(|c| ChangeRow {
                    field_key: format!("plan-imp-field-{}", c.field),
                    old: c.old.clone(),
                    new: c.new.clone(),
                })
                .collect(),
        })
        .collect()
}

fn groups(plan: &Plan, planned: &ImportPlan) -> Vec<Group> {
    [
        ("created", Action::Create),
        ("changed", Action::Update),
        ("unchanged", Action::Unchanged),
    ]
    .into_iter()
    .map(|(key, action)| Group {
        key,
        label_key: format!("plan-imp-group-{key}"),
        count: planned.count(action),
        rows: preview_rows(plan, planned.first(action)),
    })
    .collect()
}

async fn preview(
    ctx: PageContext,
    Path((plan_id, import_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &plan_id).await?;
    let upload = load_upload(&ctx, &plan, &import_id).await?;
    if upload.status == "queued" {
        return Ok(flash::redirect_with(
            Flash::info(ctx.t("plan-imp-already-queued")),
            &paths::upload_progress_path(&plan.id, &upload.id),
        ));
    }
    let db = ctx.state().db().clone();
    let bytes = uploads::content(db.pool(), &upload.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (mut problems, mut group_list, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
    let (mut left_alone, mut new_levels, mut can_confirm) = (0, String::new(), false);
    let mut archive = Vec::new();
    if upload.status == "uploaded" {
        match uploads::parse(upload.kind, &bytes, &upload.options) {
            Err(Refusal::NeedsMapping(_)) => {
                return Ok(flash::redirect_with(
                    Flash::info(ctx.t("plan-imp-needs-mapping")),
                    &paths::upload_columns_path(&plan.id, &upload.id),
                ));
            }
            Err(Refusal::Problems(found)) => problems = found.into_iter().take(100).collect(),
            Ok(parsed) => {
                let mut conn = db.pool().acquire().await?;
                let planned = uploads::plan(&mut conn, &plan.id, &parsed).await?;
                group_list = groups(&plan, &planned);
                left_alone = planned.left_alone;
                archive = archive_rows(&plan, &planned);
                warnings = planned.warnings.iter().take(100).cloned().collect();
                new_levels = planned
                    .new_levels
                    .map(|l| l.join(" → "))
                    .unwrap_or_default();
                can_confirm = true;
            }
        }
    }
    let title = ctx.t("plan-imp-preview-title");
    let page = PreviewPage {
        kind_key: format!("plan-imp-kind-{}", upload.kind.as_str()),
        problems,
        groups: group_list,
        left_alone,
        archive,
        warnings,
        new_levels,
        can_confirm,
        is_bbc: upload.kind == ImportKind::Bbc,
        status_key: format!("plan-imp-status-{}", upload.status),
        result: result_text(&ctx, &upload),
        ctx: crumbs(ctx, &plan).titled(title),
        plan,
        upload,
    };
    render(&page)
}

// ---------------------------------------------------------------------------------------------
// Mapping screen

struct FieldSelect {
    name: &'static str,
    label_key: String,
    options: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "plan/import/mapping.html")]
struct MappingPage {
    ctx: PageContext,
    plan: Plan,
    upload: Upload,
    ambiguities: Vec<String>,
    fields: Vec<FieldSelect>,
    amount_columns: Vec<String>,
    problems: Vec<Problem>,
    errors: FormErrors,
}

/// The single-column fields of the mapping screen, with their form names.
const SINGLE_FIELDS: [(&str, Field); 11] = [
    ("entiteit", Field::Entiteit),
    ("bd_code", Field::BdCode),
    ("bd_title", Field::BdTitle),
    ("ap_code", Field::ApCode),
    ("ap_title", Field::ApTitle),
    ("ac_code", Field::AcCode),
    ("ac_title", Field::AcTitle),
    ("internal_code", Field::InternalCode),
    ("dienst", Field::Dienst),
    ("budget_type", Field::BudgetType),
    ("direction", Field::Direction),
];

/// The column of a single field in a mapping.
fn column_of(mapping: &ColumnMapping, name: &str) -> Option<usize> {
    match name {
        "entiteit" => mapping.entiteit,
        "bd_code" => mapping.bd_code,
        "bd_title" => mapping.bd_title,
        "ap_code" => mapping.ap_code,
        "ap_title" => mapping.ap_title,
        "ac_code" => mapping.ac_code,
        "ac_title" => mapping.ac_title,
        "internal_code" => mapping.internal_code,
        "dienst" => mapping.dienst,
        "budget_type" => mapping.budget_type,
        "direction" => mapping.direction,
        "year" | "amount" | "kind" => match &mapping.amounts {
            bbc::AmountLayout::Long(long) => match name {
                "year" => Some(long.year),
                "amount" => Some(long.amount),
                _ => long.kind,
            },
            _ => None,
        },
        _ => None,
    }
}

fn set_column(mapping: &mut ColumnMapping, name: &str, column: Option<usize>) {
    let slot = match name {
        "entiteit" => &mut mapping.entiteit,
        "bd_code" => &mut mapping.bd_code,
        "bd_title" => &mut mapping.bd_title,
        "ap_code" => &mut mapping.ap_code,
        "ap_title" => &mut mapping.ap_title,
        "ac_code" => &mut mapping.ac_code,
        "ac_title" => &mut mapping.ac_title,
        "internal_code" => &mut mapping.internal_code,
        "dienst" => &mut mapping.dienst,
        "budget_type" => &mut mapping.budget_type,
        "direction" => &mut mapping.direction,
        _ => {
            if let bbc::AmountLayout::Long(long) = &mut mapping.amounts {
                match (name, column) {
                    ("year", Some(c)) => long.year = c,
                    ("amount", Some(c)) => long.amount = c,
                    ("kind", c) => long.kind = c,
                    _ => {}
                }
            }
            return;
        }
    };
    *slot = column;
}

fn field_selects(ctx: &PageContext, table: &Table, mapping: &ColumnMapping) -> Vec<FieldSelect> {
    let mut names: Vec<(&'static str, Field)> = SINGLE_FIELDS.to_vec();
    if matches!(mapping.amounts, bbc::AmountLayout::Long(_)) {
        names.extend([
            ("year", Field::Year),
            ("amount", Field::Amount),
            ("kind", Field::Kind),
        ]);
    }
    names
        .into_iter()
        .map(|(name, _)| {
            let current = column_of(mapping, name);
            let mut options = vec![Choice::new(
                "",
                ctx.t("plan-imp-map-none"),
                current.is_none(),
            )];
            options.extend((0..table.width()).map(|c| {
                Choice::new(
                    c.to_string(),
                    format!("{} — {}", column_letter(c), table.full_header(c)),
                    current == Some(c),
                )
            }));
            FieldSelect {
                name,
                label_key: format!("plan-imp-map-{name}"),
                options,
            }
        })
        .collect()
}

fn amount_columns(table: &Table, mapping: &ColumnMapping) -> Vec<String> {
    match &mapping.amounts {
        bbc::AmountLayout::Wide { columns } => columns
            .iter()
            .map(|c| {
                format!(
                    "{} — {}: {} {}",
                    column_letter(c.column),
                    table.full_header(c.column),
                    c.kind.label(),
                    c.year
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The table of a stored BBC upload and the mapping to start from (stored, else detected).
async fn table_and_mapping(
    ctx: &PageContext,
    upload: &Upload,
) -> Result<(Table, ColumnMapping, Vec<String>), AppError> {
    let bytes = uploads::content(ctx.state().db().pool(), &upload.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let table = bbc::parse_file(&bytes).map_err(|_| AppError::NotFound)?;
    let guess = bbc::detect_columns(&table);
    let ambiguities = guess
        .ambiguities
        .iter()
        .map(|a| a.message.clone())
        .collect();
    let mapping = upload.options.mapping.clone().unwrap_or(guess.mapping);
    Ok((table, mapping, ambiguities))
}

async fn mapping_page(
    ctx: PageContext,
    plan: Plan,
    upload: Upload,
    mapping: Option<ColumnMapping>,
    problems: Vec<Problem>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    if upload.kind != ImportKind::Bbc || upload.status != "uploaded" {
        return Err(AppError::NotFound);
    }
    let (table, stored, ambiguities) = table_and_mapping(&ctx, &upload).await?;
    let mapping = mapping.unwrap_or(stored);
    let title = ctx.t("plan-imp-map-title");
    let invalid = !problems.is_empty() || !errors.is_empty();
    let page = MappingPage {
        fields: field_selects(&ctx, &table, &mapping),
        amount_columns: amount_columns(&table, &mapping),
        ctx: crumbs(ctx, &plan).titled(title),
        plan,
        upload,
        ambiguities,
        problems,
        errors,
    };
    let response = render(&page)?;
    Ok(if invalid {
        (StatusCode::UNPROCESSABLE_ENTITY, response).into_response()
    } else {
        response
    })
}

async fn mapping(
    ctx: PageContext,
    Path((plan_id, import_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &plan_id).await?;
    let upload = load_upload(&ctx, &plan, &import_id).await?;
    mapping_page(ctx, plan, upload, None, Vec::new(), FormErrors::none()).await
}

async fn save_mapping(
    ctx: PageContext,
    Path((plan_id, import_id)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &plan_id).await?;
    let upload = load_upload(&ctx, &plan, &import_id).await?;
    if upload.kind != ImportKind::Bbc || upload.status != "uploaded" {
        return Err(AppError::NotFound);
    }
    let (table, mut mapping, _) = table_and_mapping(&ctx, &upload).await?;
    let names = SINGLE_FIELDS
        .iter()
        .map(|(n, _)| *n)
        .chain(["year", "amount", "kind"]);
    for name in names {
        let column = form
            .get(name)
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|c| *c < table.width());
        set_column(&mut mapping, name, column);
    }
    let mut errors = FormErrors::none();
    if mapping.bd_code.is_none() {
        errors.add("bd_code", &ctx.t("plan-imp-map-bd-required"));
    }
    if !errors.is_empty() {
        return mapping_page(ctx, plan, upload, Some(mapping), Vec::new(), errors).await;
    }
    if let Err(row_errors) = bbc::apply(&table, &mapping) {
        let problems = row_errors
            .into_iter()
            .take(50)
            .map(|e| Problem {
                line: e.line,
                message: e.message,
            })
            .collect();
        return mapping_page(ctx, plan, upload, Some(mapping), problems, errors).await;
    }
    let audit_actor = steden_core::audit::AuditActor::user(&ctx.require_user()?.user_id);
    let mut tx = ctx.state().db().begin().await?;
    uploads::set_mapping(
        &mut tx,
        &upload.id,
        &mapping,
        &audit_actor,
        &plan.organisation_id,
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("plan-imp-map-saved")),
        &upload_path(&plan.id, &upload.id),
    ))
}

// ---------------------------------------------------------------------------------------------
// Confirm and progress

async fn confirm(
    ctx: PageContext,
    Path((plan_id, import_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &plan_id).await?;
    let upload = load_upload(&ctx, &plan, &import_id).await?;
    let progress = paths::upload_progress_path(&plan.id, &upload.id);
    if upload.status != "uploaded" {
        return Ok(flash::redirect_with(
            Flash::info(ctx.t("plan-imp-already-queued")),
            &progress,
        ));
    }
    let user_id = ctx.require_user()?.user_id.clone();
    let payload = serde_json::to_value(ImportPayload {
        import_id: upload.id.clone(),
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = ctx.state().db().begin().await?;
    let job_id = jobs::enqueue_tx(
        &mut tx,
        NewJob::new(KIND, payload)
            .created_by(user_id.clone())
            .organisation(plan.organisation_id.clone()),
    )
    .await?;
    uploads::set_status(&mut *tx, &upload.id, "queued", None, Some(&job_id)).await?;
    audit::record(
        &mut tx,
        NewEntry {
            actor: &steden_core::audit::AuditActor::user(&user_id),
            organisation_id: Some(&plan.organisation_id),
            entity_type: "plan_import",
            entity_id: &upload.id,
            action: "queue",
            summary: &format!("Import van ‘{}’ gestart", upload.filename),
            changes: Changes::new().field("status", "uploaded", "queued"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("plan-imp-queued")),
        &progress,
    ))
}

#[derive(Template)]
#[template(path = "plan/import/progress.html")]
struct ProgressPage {
    ctx: PageContext,
    plan: Plan,
    upload: Upload,
    job: Option<JobView>,
    status_key: String,
    result: String,
}

async fn progress(
    ctx: PageContext,
    Path((plan_id, import_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &plan_id).await?;
    let upload = load_upload(&ctx, &plan, &import_id).await?;
    let job = match &upload.job_id {
        Some(id) => job_view(ctx.state().db(), id).await?,
        None => None,
    };
    let title = ctx.t("plan-imp-progress-title");
    let page = ProgressPage {
        status_key: format!("plan-imp-status-{}", upload.status),
        result: result_text(&ctx, &upload),
        ctx: crumbs(ctx, &plan).titled(title),
        plan,
        upload,
        job,
    };
    render(&page)
}
