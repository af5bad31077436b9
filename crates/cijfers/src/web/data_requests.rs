//! The register of joint data requests (issue 15 point 8), `/cijfers/aanvragen`: the list with
//! filters by status and supplier, a request's page with its participating cities and delivered
//! files, the forms to make and change a request (staff), and the upload of a delivered file,
//! which goes into the import's preview and confirmation like any other upload. Who may do what:
//! see the data-request block of [`crate::access`].

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, Request};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::org::{self, OrgKind, Organisation};
use steden_core::time::show_optional_date;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::access;
use crate::model::ImportKind;
use crate::paths;
use crate::store::data_requests::{self, status_nl, DataRequest, RequestFields, STATUSES};
use crate::web::actor;
use crate::web::imports::{keep_for_preview, read_upload, LIMITS};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::DATA_REQUESTS, get(list))
        .route(paths::NEW_DATA_REQUEST, get(new_form).post(create))
        .route(paths::DATA_REQUEST_ROUTE, get(show))
        .route(paths::EDIT_DATA_REQUEST_ROUTE, get(edit_form).post(update))
        .route(
            paths::DATA_REQUEST_FILE_ROUTE,
            post(upload_file).layer(DefaultBodyLimit::max(LIMITS.body_bytes())),
        )
}

/// The organisations that may take part: the centrumsteden and the VGC, by name.
async fn cities(ctx: &PageContext) -> Result<Vec<Organisation>, AppError> {
    let mut all: Vec<Organisation> = org::list(ctx.state().db().pool())
        .await?
        .into_iter()
        .filter(|o| matches!(o.kind, OrgKind::Centrumstad | OrgKind::Vgc))
        .collect();
    all.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(all)
}

/// Who the visitor is here: (staff, the organisations whose data team they are on).
async fn who(ctx: &PageContext) -> Result<(bool, Vec<String>), AppError> {
    let user = ctx.require_user()?;
    let actor = actor(ctx);
    let kenniscentrum = access::kenniscentrum_id(ctx.state().db()).await?;
    let staff = access::is_staff(&actor, &kenniscentrum);
    let teams: Vec<String> = user
        .memberships
        .iter()
        .map(|m| m.organisation_id.clone())
        .filter(|id| access::is_data_team(&actor, id))
        .collect();
    if !staff && teams.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok((staff, teams))
}

async fn require_staff(ctx: &PageContext) -> Result<(), AppError> {
    ctx.require_user()?;
    let kenniscentrum = access::kenniscentrum_id(ctx.state().db()).await?;
    access::require_manage_data_requests(&actor(ctx), &kenniscentrum)?;
    Ok(())
}

struct Line {
    href: String,
    title: String,
    supplier: String,
    status: &'static str,
    cities: usize,
    requested_on: String,
}

#[derive(Deserialize, Default)]
struct Filter {
    #[serde(default)]
    status: String,
    #[serde(default)]
    leverancier: String,
}

#[derive(Template)]
#[template(path = "cijfers/data_requests.html")]
struct ListPage {
    ctx: PageContext,
    lines: Vec<Line>,
    statuses: Vec<Choice>,
    suppliers: Vec<Choice>,
    can_create: bool,
}

async fn list(ctx: PageContext, Query(filter): Query<Filter>) -> Result<Response, AppError> {
    let (staff, teams) = who(&ctx).await?;
    let pool = ctx.state().db().pool();
    let rows = data_requests::list(
        pool,
        (!staff).then_some(teams.as_slice()),
        &filter.status,
        &filter.leverancier,
    )
    .await?;
    let lines = rows
        .into_iter()
        .map(|r| Line {
            href: paths::data_request(&r.id),
            status: status_nl(&r.status),
            cities: r.cities.len(),
            requested_on: show_optional_date(r.requested_on.as_deref()),
            title: r.title,
            supplier: r.supplier,
        })
        .collect();
    let mut statuses = vec![Choice::new(
        "",
        ctx.t("cijfers-req-all"),
        filter.status.is_empty(),
    )];
    statuses.extend(
        STATUSES
            .iter()
            .map(|s| Choice::new(*s, status_nl(s), filter.status == *s)),
    );
    let mut suppliers = vec![Choice::new(
        "",
        ctx.t("cijfers-req-all"),
        filter.leverancier.is_empty(),
    )];
    // The suppliers of the requests the visitor may see, not of all of them.
    let mut names: Vec<String> =
        data_requests::list(pool, (!staff).then_some(teams.as_slice()), "", "")
            .await?
            .into_iter()
            .map(|r| r.supplier)
            .collect();
    names.sort();
    names.dedup();
    suppliers.extend(
        names
            .into_iter()
            .map(|s| Choice::new(s.clone(), s.clone(), filter.leverancier == s)),
    );
    let title = ctx.t("cijfers-req-title");
    let crumb = ctx.t("cijfers-admin-title");
    render(&ListPage {
        ctx: ctx.crumb(crumb, paths::ADMIN_INDICATORS).titled(title),
        lines,
        statuses,
        suppliers,
        can_create: staff,
    })
}

/// The request `id` if the visitor may see it (404 otherwise, so others learn nothing).
async fn load(ctx: &PageContext, id: &str) -> Result<(DataRequest, bool), AppError> {
    let (staff, _) = who(ctx).await?;
    let request = data_requests::find(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let kenniscentrum = access::kenniscentrum_id(ctx.state().db()).await?;
    if !access::can_see_data_request(&actor(ctx), &request.cities, &kenniscentrum) {
        return Err(AppError::NotFound);
    }
    Ok((request, staff))
}

struct FileLine {
    href: String,
    filename: String,
    status: String,
    owner: String,
    created_at: i64,
}

#[derive(Template)]
#[template(path = "cijfers/data_request.html")]
struct DetailPage {
    ctx: PageContext,
    request: DataRequest,
    status: &'static str,
    city_names: Vec<String>,
    dates: Vec<(String, String)>,
    files: Vec<FileLine>,
    can_edit: bool,
    can_upload: bool,
    edit_href: String,
    upload_action: String,
    errors: FormErrors,
    kinds: Vec<Choice>,
    marks: Vec<Choice>,
}

async fn detail_page(
    ctx: PageContext,
    request: DataRequest,
    staff: bool,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let all = org::list(ctx.state().db().pool()).await?;
    let name_of = |id: &str| {
        all.iter()
            .find(|o| o.id == id)
            .map_or_else(|| id.to_string(), |o| o.name.clone())
    };
    let mut city_names: Vec<String> = request.cities.iter().map(|c| name_of(c)).collect();
    city_names.sort();
    let files = data_requests::files(ctx.state().db().pool(), &request.id)
        .await?
        .into_iter()
        .map(|f| FileLine {
            href: paths::import(&f.import_id),
            status: crate::model::ImportStatus::parse(&f.status)
                .map_or_else(|| f.status.clone(), |s| ctx.t(&s.label_key())),
            owner: f.owner_org_id.as_deref().map(name_of).unwrap_or_default(),
            filename: f.filename,
            created_at: f.created_at,
        })
        .collect();
    let dates = [
        ("cijfers-req-field-requested", &request.requested_on),
        ("cijfers-req-field-expected", &request.expected_on),
        ("cijfers-req-field-delivered", &request.delivered_on),
    ]
    .into_iter()
    .map(|(key, d)| (ctx.t(key), show_optional_date(d.as_deref())))
    .collect();
    let actor = actor(&ctx);
    let can_upload = staff
        || request
            .cities
            .iter()
            .any(|c| access::is_data_team(&actor, c));
    let kinds = Choice::list(ImportKind::ALL, "long_csv", ImportKind::as_str, |k| {
        ctx.t(&k.label_key())
    });
    let marks = vec![
        Choice::new("point", ctx.t("cijfers-mark-point"), true),
        Choice::new("comma", ctx.t("cijfers-mark-comma"), false),
    ];
    let crumb = ctx.t("cijfers-req-title");
    let title = request.title.clone();
    let page = DetailPage {
        ctx: ctx.crumb(crumb, paths::DATA_REQUESTS).titled(title),
        status: status_nl(&request.status),
        city_names,
        dates,
        files,
        can_edit: staff,
        can_upload,
        edit_href: paths::edit_data_request(&request.id),
        upload_action: paths::data_request_file(&request.id),
        request,
        errors,
        kinds,
        marks,
    };
    if status.is_success() {
        render(&page)
    } else {
        form::invalid_with(status, &page)
    }
}

async fn show(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let (request, staff) = load(&ctx, &id).await?;
    detail_page(ctx, request, staff, FormErrors::none(), StatusCode::OK).await
}

/// A city's checkbox on the form.
struct CityBox {
    id: String,
    name: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "cijfers/data_request_form.html")]
struct FormPage {
    ctx: PageContext,
    form: RequestFields,
    errors: FormErrors,
    action: String,
    statuses: Vec<Choice>,
    cities: Vec<CityBox>,
}

async fn form_page(
    ctx: PageContext,
    form: RequestFields,
    errors: FormErrors,
    editing: Option<&str>,
) -> Result<FormPage, AppError> {
    let cities = cities(&ctx)
        .await?
        .into_iter()
        .map(|o| CityBox {
            checked: form.cities.contains(&o.id),
            id: o.id,
            name: o.name,
        })
        .collect();
    let statuses = STATUSES
        .iter()
        .map(|s| Choice::new(*s, status_nl(s), form.status == *s))
        .collect();
    let title = match editing {
        Some(_) => ctx.t_with("cijfers-req-edit-title", &[("title", form.title.as_str())]),
        None => ctx.t("cijfers-req-new-title"),
    };
    let crumb = ctx.t("cijfers-req-title");
    Ok(FormPage {
        action: editing.map_or(
            paths::NEW_DATA_REQUEST.to_string(),
            paths::edit_data_request,
        ),
        ctx: ctx.crumb(crumb, paths::DATA_REQUESTS).titled(title),
        form,
        errors,
        statuses,
        cities,
    })
}

/// The posted form: repeated `cities` for the ticked cities.
fn read(pairs: &[(String, String)]) -> RequestFields {
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    RequestFields {
        supplier: get("supplier"),
        title: get("title"),
        question: get("question"),
        contact_name: get("contact_name"),
        contact_email: get("contact_email"),
        status: get("status"),
        requested_on: get("requested_on"),
        expected_on: get("expected_on"),
        delivered_on: get("delivered_on"),
        cities: pairs
            .iter()
            .filter(|(k, _)| k == "cities")
            .map(|(_, v)| v.clone())
            .collect(),
    }
}

fn fields_of(request: &DataRequest) -> RequestFields {
    let show = |d: &Option<String>| show_optional_date(d.as_deref());
    RequestFields {
        supplier: request.supplier.clone(),
        title: request.title.clone(),
        question: request.question.clone(),
        contact_name: request.contact_name.clone(),
        contact_email: request.contact_email.clone(),
        status: request.status.clone(),
        requested_on: show(&request.requested_on),
        expected_on: show(&request.expected_on),
        delivered_on: show(&request.delivered_on),
        cities: request.cities.clone(),
    }
}

async fn new_form(ctx: PageContext) -> Result<Response, AppError> {
    require_staff(&ctx).await?;
    let form = RequestFields {
        status: "draft".into(),
        ..RequestFields::default()
    };
    render(&form_page(ctx, form, FormErrors::none(), None).await?)
}

async fn create(
    ctx: PageContext,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_staff(&ctx).await?;
    let form = read(&pairs);
    let known: Vec<String> = cities(&ctx).await?.into_iter().map(|o| o.id).collect();
    let audit = actor(&ctx).audit_actor();
    let mut tx = ctx.state().db().begin().await?;
    let result = data_requests::create(&mut tx, &form, &known, false, &audit).await;
    match form::settle(tx, result).await? {
        Ok(id) => Ok(flash::redirect_with(
            Flash::success(ctx.t("cijfers-req-saved")),
            &paths::data_request(&id),
        )),
        Err(errors) => form::invalid(&form_page(ctx, form, errors, None).await?),
    }
}

async fn edit_form(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    require_staff(&ctx).await?;
    let (request, _) = load(&ctx, &id).await?;
    let form = fields_of(&request);
    render(&form_page(ctx, form, FormErrors::none(), Some(&request.id)).await?)
}

async fn update(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_staff(&ctx).await?;
    let (request, _) = load(&ctx, &id).await?;
    let form = read(&pairs);
    let known: Vec<String> = cities(&ctx).await?.into_iter().map(|o| o.id).collect();
    let audit = actor(&ctx).audit_actor();
    let mut tx = ctx.state().db().begin().await?;
    let result = data_requests::update(&mut tx, &request, &form, &known, &audit).await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("cijfers-req-saved")),
            &paths::data_request(&request.id),
        )),
        Err(errors) => form::invalid(&form_page(ctx, form, errors, Some(&request.id)).await?),
    }
}

/// A delivered file: read and kept as an import of the visitor's organisation (in preview),
/// linked to the request; then the import's own page takes over (preview → confirmation).
async fn upload_file(
    ctx: PageContext,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let (data_request, staff) = load(&ctx, &id).await?;
    let (org, _) = crate::web::admin::working_org(&ctx).await?;
    let kenniscentrum = access::kenniscentrum_id(ctx.state().db()).await?;
    if !access::can_deliver_data_request(&actor(&ctx), &data_request.cities, &org, &kenniscentrum) {
        return Err(AppError::Forbidden);
    }
    match read_upload(&ctx, request).await {
        Ok(upload) => keep_for_preview(&ctx, upload, &org, Some(&data_request.id)).await,
        Err(invalid) => detail_page(ctx, data_request, staff, invalid.errors, invalid.status).await,
    }
}
