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
use axum::extract::{Path, Query};
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
use steden_web::pagination::Pagination;
use steden_web::{AppError, AppState, Choice};

use crate::import::bbc::{self, ColumnMapping, Table};
use crate::import::jobs::{ImportPayload, KIND};
use crate::import::uploads::{self, ImportKind, Problem, Refusal, Upload, MAX_BYTES};
use crate::import::version;
use crate::import::write::{Action, ImportPlan, ImportSummary, PlannedItem};
use crate::model::Plan;
use crate::paths::{self, import_path, upload_path};
use crate::web::import_archive::{archive_rows, ArchiveRow};
use crate::web::import_form::multipart_parts;
use crate::web::import_mapping::{
    amount_columns, field_selects, set_column, FieldSelect, SINGLE_FIELDS,
};
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
        &[ImportKind::Bbc, ImportKind::Jaarplan, ImportKind::Export],
        current,
        ImportKind::as_str,
        |k| ctx.t(&format!("plan-imp-kind-{}", k.as_str())),
    )
}

fn status_icon(status: &str) -> &'static str {
    match status {
        "done" => "check",
        "failed" | "rejected" => "error",
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
        "failed" | "rejected" => upload.result["error"].as_str().unwrap_or("").to_string(),
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
    // The plan's own XLSX export is recognised whatever kind was chosen: no mapping screen.
    let kind = if crate::import::own_export::recognise(&file.data) {
        ImportKind::Export
    } else {
        kind
    };
    let filename = file.filename.unwrap_or_default();
    // A file that cannot be imported as it is, is kept as refused (with its reason), so that
    // the list of imports does not offer it; a BBC file may still get other columns.
    let refused = match uploads::parse(kind, &file.data, &Default::default()) {
        Err(Refusal::Problems(found)) => Some(uploads::rejection(&found)),
        _ => None,
    };
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
    if let Some(result) = &refused {
        uploads::set_status(&mut *tx, &stored.id, "rejected", Some(result), None).await?;
    }
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
    /// The rows of the group's current page (all rows, page by page: see [`PREVIEW_PAGE`]).
    rows: Vec<PreviewRow>,
    /// "Rijen 101–200 van 340" when the group has more than one page.
    range: String,
    pagination: Pagination,
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
    /// What the preview was computed from ([`crate::import::version`]), posted back on confirm.
    version: String,
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

/// Rows per page of each group of the preview.
pub const PREVIEW_PAGE: usize = 100;

/// The groups of the preview, each at the page asked for in the query (`?created=2`).
fn groups(
    ctx: &PageContext,
    plan: &Plan,
    upload: &Upload,
    planned: &ImportPlan,
    query: &HashMap<String, String>,
) -> Vec<Group> {
    let keys = [
        ("created", Action::Create),
        ("changed", Action::Update),
        ("unchanged", Action::Unchanged),
    ];
    let page_of = |key: &str| {
        query
            .get(key)
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(1)
            .max(1)
    };
    keys.into_iter()
        .map(|(key, action)| {
            let all: Vec<&PlannedItem> = planned
                .items
                .iter()
                .filter(|i| i.action == action)
                .collect();
            let count = all.len();
            let pages = count.div_ceil(PREVIEW_PAGE).max(1);
            let page = page_of(key).min(pages);
            let start = (page - 1) * PREVIEW_PAGE;
            let end = (start + PREVIEW_PAGE).min(count);
            let href = |n: u64| {
                let params: Vec<String> = keys
                    .iter()
                    .map(|(k, _)| (*k, if *k == key { n as usize } else { page_of(k) }))
                    .filter(|(_, p)| *p > 1)
                    .map(|(k, p)| format!("{k}={p}"))
                    .collect();
                format!(
                    "{}{}{}#groep-{key}",
                    upload_path(&plan.id, &upload.id),
                    if params.is_empty() { "" } else { "?" },
                    params.join("&")
                )
            };
            let label = ctx.t(&format!("plan-imp-group-{key}"));
            let pagination = Pagination::with_labels(
                ctx.t_with("plan-imp-pages", &[("group", label.as_str())]),
                ctx.t("pagination-previous"),
                ctx.t("pagination-next"),
                ctx.t("pagination-page"),
                page as u64,
                pages as u64,
                href,
            );
            let range = if pages > 1 {
                ctx.t_with(
                    "plan-imp-rows",
                    &[
                        ("from", &(start + 1).to_string()),
                        ("to", &end.to_string()),
                        ("count", &count.to_string()),
                    ],
                )
            } else {
                String::new()
            };
            Group {
                key,
                label_key: format!("plan-imp-group-{key}"),
                count,
                rows: preview_rows(plan, all[start..end].to_vec()),
                range,
                pagination,
            }
        })
        .collect()
}

async fn preview(
    ctx: PageContext,
    Path((plan_id, import_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
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
    let mut version = String::new();
    let mut upload = upload;
    if matches!(upload.status.as_str(), "uploaded" | "rejected") {
        match uploads::parse(upload.kind, &bytes, &upload.options) {
            Err(Refusal::NeedsMapping(_)) => {
                return Ok(flash::redirect_with(
                    Flash::info(ctx.t("plan-imp-needs-mapping")),
                    &paths::upload_columns_path(&plan.id, &upload.id),
                ));
            }
            Err(Refusal::Problems(found)) => {
                if upload.status == "uploaded" {
                    // Kept, so that the list of imports shows it as refused.
                    let result = uploads::rejection(&found);
                    uploads::set_status(db.pool(), &upload.id, "rejected", Some(&result), None)
                        .await?;
                    upload.status = "rejected".into();
                    upload.result = result;
                }
                problems = found.into_iter().take(100).collect();
            }
            Ok(parsed) => {
                if upload.status == "rejected" {
                    let cleared = serde_json::json!({});
                    uploads::set_status(db.pool(), &upload.id, "uploaded", Some(&cleared), None)
                        .await?;
                    upload.status = "uploaded".into();
                }
                let mut conn = db.pool().acquire().await?;
                match uploads::plan_checked(&mut conn, &plan.id, &parsed).await? {
                    Err(found) => {
                        // The plan's own export with bad edits: refused like a bad file.
                        let result = uploads::rejection(&found);
                        uploads::set_status(db.pool(), &upload.id, "rejected", Some(&result), None)
                            .await?;
                        upload.status = "rejected".into();
                        upload.result = result;
                        problems = found.into_iter().take(100).collect();
                    }
                    Ok(planned) => {
                        version = version::of(&mut conn, &upload).await?;
                        group_list = groups(&ctx, &plan, &upload, &planned, &query);
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
        version,
        // Offers the mapping screen ("Kolommen aanpassen") only when it can open: a BBC file
        // whose table can be read (a preview that failed on the file itself has nothing to map).
        is_bbc: upload.kind == ImportKind::Bbc && (can_confirm || bbc::parse_file(&bytes).is_ok()),
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
    if upload.kind != ImportKind::Bbc || !matches!(upload.status.as_str(), "uploaded" | "rejected")
    {
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
    if upload.kind != ImportKind::Bbc || !matches!(upload.status.as_str(), "uploaded" | "rejected")
    {
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
    if upload.status == "rejected" {
        // The file imports with these columns: no longer refused.
        let cleared = serde_json::json!({});
        uploads::set_status(&mut *tx, &upload.id, "uploaded", Some(&cleared), None).await?;
    }
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("plan-imp-map-saved")),
        &upload_path(&plan.id, &upload.id),
    ))
}

// ---------------------------------------------------------------------------------------------
// Confirm and progress

/// "Importeren" on the preview. Queues the job only for a file that imports as it is and a
/// plan that is still as the preview showed it (the `versie` the preview posted, compared in
/// the transaction that queues the job; the job compares it again). Anything else is refused
/// with a message and starts nothing, also when the form is posted by hand.
async fn confirm(
    ctx: PageContext,
    Path((plan_id, import_id)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &plan_id).await?;
    let upload = load_upload(&ctx, &plan, &import_id).await?;
    let progress = paths::upload_progress_path(&plan.id, &upload.id);
    let preview = upload_path(&plan.id, &upload.id);
    let refuse = |key: &str, to: &str| Ok(flash::redirect_with(Flash::error(ctx.t(key)), to));
    match upload.status.as_str() {
        "uploaded" => {}
        "queued" | "done" => {
            return Ok(flash::redirect_with(
                Flash::info(ctx.t("plan-imp-already-queued")),
                &progress,
            ))
        }
        "rejected" => return refuse("plan-imp-refused-rejected", &preview),
        _ => return refuse("plan-imp-refused-failed", &progress),
    }
    let db = ctx.state().db().clone();
    let bytes = uploads::content(db.pool(), &upload.id)
        .await?
        .ok_or(AppError::NotFound)?;
    match uploads::parse(upload.kind, &bytes, &upload.options) {
        Ok(_) => {}
        Err(Refusal::NeedsMapping(_)) => {
            let columns = paths::upload_columns_path(&plan.id, &upload.id);
            return refuse("plan-imp-needs-mapping", &columns);
        }
        Err(Refusal::Problems(found)) => {
            let result = uploads::rejection(&found);
            uploads::set_status(db.pool(), &upload.id, "rejected", Some(&result), None).await?;
            return refuse("plan-imp-refused-rejected", &preview);
        }
    }
    let user_id = ctx.require_user()?.user_id.clone();
    let mut tx = db.begin().await?;
    let current = version::of(&mut tx, &upload).await?;
    if form.get("versie").map(String::as_str) != Some(current.as_str()) {
        tx.rollback().await?;
        return refuse("plan-imp-stale", &preview);
    }
    let payload = serde_json::to_value(ImportPayload {
        import_id: upload.id.clone(),
        version: Some(current),
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
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
