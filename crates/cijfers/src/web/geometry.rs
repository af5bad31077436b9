//! The data team's geometry uploads (`/cijfers/beheer/geometrie`): the upload form (level,
//! municipality, code and name properties, projection), one upload's preview with its report
//! per feature in Dutch, and the confirmation that stores the geometry (`maps::upload`).

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Request};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::upload::{self, Limits, UploadError};
use steden_web::{AppError, AppState, Choice};

use crate::geo::Projection;
use crate::maps::upload::{self as geometry, GeometryUpload, UploadReport, MAX_UPLOAD_BYTES};
use crate::model::GeoLevel;
use crate::paths;
use crate::store::geo as places;
use crate::store::geo_uploads::{self, GeoUpload};
use crate::web::actor;
use crate::web::admin::working_org;

const LIMITS: Limits = Limits {
    file_field: "bestand",
    file_bytes: MAX_UPLOAD_BYTES,
    field_bytes: 4 * 1024,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            paths::GEOMETRY,
            get(list)
                .post(upload_file)
                .layer(DefaultBodyLimit::max(LIMITS.body_bytes())),
        )
        .route(paths::GEOMETRY_UPLOAD_ROUTE, get(show))
        .route(paths::GEOMETRY_CONFIRM_ROUTE, post(confirm))
}

struct UploadLine {
    filename: String,
    href: String,
    level: String,
    status: String,
    created_at: i64,
}

/// What the form sent, to show it again with its errors.
#[derive(Default)]
struct Sent {
    level: String,
    municipality: String,
    code_property: String,
    name_property: String,
    projection: String,
    layer: String,
}

#[derive(Template)]
#[template(path = "cijfers/geometry_uploads.html")]
struct ListPage {
    ctx: PageContext,
    lines: Vec<UploadLine>,
    errors: FormErrors,
    levels: Vec<Choice>,
    municipalities: Vec<Choice>,
    projections: Vec<Choice>,
    sent: Sent,
    max_mb: usize,
}

fn status_label(ctx: &PageContext, upload: &GeoUpload) -> String {
    if upload.status == "done" {
        ctx.t("cijfers-geometry-status-done")
    } else if UploadReport::from_json(&upload.report).errors.is_empty() {
        ctx.t("cijfers-geometry-status-preview")
    } else {
        ctx.t("cijfers-geometry-status-refused")
    }
}

async fn list_page(
    ctx: PageContext,
    errors: FormErrors,
    sent: Sent,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (org, staff) = working_org(&ctx).await?;
    let pool = ctx.state().db().pool();
    let lines = geo_uploads::list(pool, (!staff).then_some(org.as_str()), 50)
        .await?
        .into_iter()
        .map(|u| UploadLine {
            href: paths::geometry_upload(&u.id),
            level: ctx.t(&u.level.label_key()),
            status: status_label(&ctx, &u),
            filename: u.filename.clone(),
            created_at: u.created_at,
        })
        .collect();
    let chosen_level = if sent.level.is_empty() {
        "sector"
    } else {
        sent.level.as_str()
    };
    let levels = Choice::list(&geometry::LEVELS, chosen_level, GeoLevel::as_str, |l| {
        ctx.t(&l.label_key())
    });
    let mut municipalities = vec![Choice::new(
        "",
        ctx.t("cijfers-geometry-municipality-none"),
        sent.municipality.is_empty(),
    )];
    let mut known = places::list_level(pool, GeoLevel::Gemeente).await?;
    known.sort_by(|a, b| a.name.cmp(&b.name));
    municipalities.extend(known.into_iter().filter(|m| m.valid_to.is_none()).map(|m| {
        let selected = m.code == sent.municipality;
        Choice::new(m.code.clone(), format!("{} ({})", m.name, m.code), selected)
    }));
    let mut projections = vec![Choice::new(
        "auto",
        ctx.t("cijfers-geometry-projection-auto"),
        sent.projection.is_empty() || sent.projection == "auto",
    )];
    projections.extend(Projection::ALL.into_iter().map(|p| {
        let value = p.epsg().to_string();
        let selected = sent.projection == value;
        Choice::new(value, p.label(), selected)
    }));
    let title = ctx.t("cijfers-geometry-title");
    let crumb = ctx.t("cijfers-admin-title");
    let page = ListPage {
        ctx: ctx.crumb(crumb, paths::ADMIN_INDICATORS).titled(title),
        lines,
        errors,
        levels,
        municipalities,
        projections,
        sent,
        max_mb: MAX_UPLOAD_BYTES / (1024 * 1024),
    };
    if status.is_success() {
        render(&page)
    } else {
        form::invalid_with(status, &page)
    }
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    list_page(ctx, FormErrors::none(), Sent::default(), StatusCode::OK).await
}

async fn upload_file(ctx: PageContext, request: Request) -> Result<Response, AppError> {
    let (org, _) = working_org(&ctx).await?;
    let parts = match upload::read(request, ctx.state(), &LIMITS).await {
        Ok(parts) => parts,
        Err(error) => {
            let key = match error {
                UploadError::TooLarge => "cijfers-upload-too-large",
                UploadError::Unreadable => "cijfers-upload-unreadable",
            };
            let mut errors = FormErrors::none();
            let max = (MAX_UPLOAD_BYTES / (1024 * 1024)).to_string();
            errors.add("bestand", &ctx.t_with(key, &[("max", max.as_str())]));
            return list_page(ctx, errors, Sent::default(), error.status()).await;
        }
    };
    let sent = Sent {
        level: parts.field("niveau").to_string(),
        municipality: parts.field("gemeente").to_string(),
        code_property: parts.field("codeveld").to_string(),
        name_property: parts.field("naamveld").to_string(),
        projection: parts.field("projectie").to_string(),
        layer: parts.field("laag").to_string(),
    };
    let mut errors = FormErrors::none();
    let level = GeoLevel::parse(&sent.level).filter(|l| geometry::LEVELS.contains(l));
    if level.is_none() {
        errors.add("niveau", &ctx.t("cijfers-geometry-level-missing"));
    }
    if level.is_some_and(|l| l != GeoLevel::Gemeente) && sent.municipality.is_empty() {
        errors.add("gemeente", &ctx.t("cijfers-geometry-municipality-missing"));
    }
    let options = level.map(|l| {
        geometry::read_options(
            l,
            &sent.code_property,
            &sent.name_property,
            &sent.projection,
            &sent.layer,
        )
    });
    if let Some(Err(message)) = &options {
        errors.add("projectie", message);
    }
    match &parts.file {
        Some(file) if !file.bytes.is_empty() => {}
        _ => errors.add("bestand", &ctx.t("cijfers-upload-file-missing")),
    }
    let (Some(level), Some(Ok(options)), Some(file), true) =
        (level, options, parts.file.as_ref(), errors.is_empty())
    else {
        return list_page(ctx, errors, sent, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    // Reading, reprojecting and simplifying is CPU work: off the async threads.
    let (name, bytes) = (file.name.clone(), file.bytes.clone());
    let prepared = tokio::task::spawn_blocking(move || geometry::prepare(&name, &bytes, &options))
        .await
        .map_err(|e| AppError::Internal(format!("geometrie lezen: {e}")))?;
    let user_id = ctx.require_user()?.user_id.clone();
    let (id, _) = geometry::preview(
        ctx.state().db(),
        &actor(&ctx),
        &GeometryUpload {
            level,
            municipality_code: &sent.municipality,
            filename: &file.name,
            bytes: &file.bytes,
            organisation_id: &org,
            created_by: Some(&user_id),
        },
        prepared,
    )
    .await?;
    Ok(flash::redirect_with(
        Flash::info(ctx.t("cijfers-geometry-read")),
        &paths::geometry_upload(&id),
    ))
}

/// The upload `id`, if the visitor may see it: their organisation's, or any for staff.
async fn load(ctx: &PageContext, id: &str) -> Result<GeoUpload, AppError> {
    let (org, staff) = working_org(ctx).await?;
    let upload = geo_uploads::find(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !staff && upload.owner_org_id.as_deref() != Some(org.as_str()) {
        return Err(AppError::NotFound);
    }
    Ok(upload)
}

#[derive(Template)]
#[template(path = "cijfers/geometry_upload.html")]
struct UploadPage {
    ctx: PageContext,
    upload: GeoUpload,
    report: UploadReport,
    level: String,
    status: String,
    projection: String,
    can_confirm: bool,
}

async fn show(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let upload = load(&ctx, &id).await?;
    let report = UploadReport::from_json(&upload.report);
    let can_confirm = upload.status == "preview" && report.errors.is_empty();
    let projection = u32::try_from(upload.source_epsg)
        .ok()
        .and_then(Projection::from_epsg)
        .map_or_else(|| "—".to_string(), |p| p.label().to_string());
    let title = ctx.t_with(
        "cijfers-geometry-upload-title",
        &[("file", upload.filename.as_str())],
    );
    let crumb = ctx.t("cijfers-geometry-title");
    render(&UploadPage {
        level: ctx.t(&upload.level.label_key()),
        status: status_label(&ctx, &upload),
        ctx: ctx.crumb(crumb, paths::GEOMETRY).titled(title),
        upload,
        report,
        projection,
        can_confirm,
    })
}

async fn confirm(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let upload = load(&ctx, &id).await?;
    match geometry::confirm(ctx.state().db(), &upload, &actor(&ctx)).await {
        Ok(written) => {
            let count = written.to_string();
            Ok(flash::redirect_with(
                Flash::success(ctx.t_with("cijfers-geometry-stored", &[("count", count.as_str())])),
                &paths::geometry_upload(&id),
            ))
        }
        Err(steden_core::CoreError::Conflict(message)) => Ok(flash::redirect_with(
            Flash::info(message),
            &paths::geometry_upload(&id),
        )),
        Err(steden_core::CoreError::Invalid(_)) => Ok(flash::redirect_with(
            Flash::error(ctx.t("cijfers-geometry-has-errors")),
            &paths::geometry_upload(&id),
        )),
        Err(other) => Err(other.into()),
    }
}
