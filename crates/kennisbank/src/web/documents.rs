//! Library documents: the editors' pages (`/beheer/kennisbank/documenten...`: list, upload,
//! edit, delete, the extraction status that refreshes itself), the public document page
//! (`/kennisbank/documenten/{slug}`), the file download (`.../bestand`) and the "Publicaties"
//! section (`/publicaties`).
//!
//! Access to a document's page and file: [`access::Reader::may_open`]. A reader who may not
//! open it gets 404, never "forbidden", so that the existence of an organisation's or a working
//! group's document is not revealed. The one exception: a visitor who is not logged in and asks
//! for a members-only (`leden`) document is sent to the login page, since every member may open
//! it and saying so reveals nothing.
//!
//! Uploads are multipart with the CSRF token in the query (the CSRF layer does not buffer
//! multipart bodies); the routes raise the body limit to the upload limit plus room for the
//! other fields, and a larger upload gets the form again with a Dutch message (413).
//!
//! Downloads are served as attachments, with a content type from an allow-list (anything else
//! is `application/octet-stream`, Markdown is `text/plain`), `nosniff` and a sandboxing
//! Content-Security-Policy, so that no uploaded file can ever run in the site's origin.

use askama::Template;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use futures::StreamExt;
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::form::FormErrors;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access::{self, Reader};
use crate::model::{self, Access, CollectionKind, DocType, ExtractionStatus, Language};
use crate::store::documents::{
    self, CollectionRef, Document, DocumentFields, DocumentFilter, NewFile, MAX_UPLOAD_BYTES,
    PAGE_SIZE,
};
use crate::store::files;

/// The body limit of the upload routes: the file plus the other fields and multipart framing.
const BODY_LIMIT: usize = MAX_UPLOAD_BYTES + 256 * 1024;
/// How much of a too large upload is read (and thrown away) so that the browser gets to see
/// the answer instead of a broken connection. Beyond this the connection is simply closed.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;
/// Documents per page of the "Publicaties" section.
const PUBLICATIONS_PAGE_SIZE: i64 = 50;

const LIST_HREF: &str = "/beheer/kennisbank/documenten";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(LIST_HREF, get(list))
        .route(
            "/beheer/kennisbank/documenten/nieuw",
            get(new_form)
                .post(create)
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route(
            "/beheer/kennisbank/documenten/{id}",
            get(edit_form)
                .post(update)
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route(
            "/beheer/kennisbank/documenten/{id}/status",
            get(status_fragment),
        )
        .route(
            "/beheer/kennisbank/documenten/{id}/verwijderen",
            get(confirm_delete).post(delete),
        )
        .route("/kennisbank/documenten/{slug}", get(show))
        .route("/kennisbank/documenten/{slug}/bestand", get(download))
        .route("/publicaties", get(publications))
}

// ---------------------------------------------------------------------------------------------
// Shared bits
// ---------------------------------------------------------------------------------------------

use super::{actor_of, require_editor};

fn editor_crumbs(ctx: PageContext) -> PageContext {
    let manage = ctx.t("kb-doc-crumb-manage");
    let documents = ctx.t("kb-doc-list-title");
    ctx.crumb(manage, "/beheer/site")
        .crumb(documents, LIST_HREF)
}

/// A value of a select, radio group or checkbox list, with its label and whether it is chosen.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

impl Choice {
    fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

fn type_label(ctx: &PageContext, doc_type: DocType) -> String {
    ctx.t(&format!("kb-doc-type-{}", doc_type.as_str()))
}

fn access_label(ctx: &PageContext, access: Access) -> String {
    ctx.t(&format!("kb-doc-access-{}", access.as_str()))
}

fn language_label(ctx: &PageContext, language: Language) -> String {
    ctx.t(&format!("kb-doc-lang-{}", language.as_str()))
}

fn status_label(ctx: &PageContext, status: ExtractionStatus) -> String {
    ctx.t(&format!("kb-doc-status-{}", status.as_str()))
}

/// The icon and badge colour of an extraction status (always shown with its word).
fn status_look(status: ExtractionStatus) -> (&'static str, &'static str) {
    match status {
        ExtractionStatus::Geen => ("circle", "neutral"),
        ExtractionStatus::Wachtend => ("clock", "info"),
        ExtractionStatus::Bezig => ("play", "info"),
        ExtractionStatus::Klaar => ("check", "success"),
        ExtractionStatus::Mislukt => ("error", "error"),
    }
}

/// A size in bytes the Belgian way ("1,2 MB", "830 kB").
fn human_size(bytes: i64) -> String {
    let bytes = bytes.max(0) as f64;
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0)).replace('.', ",")
    } else if bytes >= 1024.0 {
        format!("{:.0} kB", bytes / 1024.0)
    } else {
        format!("{bytes:.0} bytes")
    }
}

/// A 'YYYY-MM-DD' date as 'dd/mm/jjjj'.
fn show_date(date: &str) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(steden_core::time::format_naive_date)
        .unwrap_or_else(|_| date.to_string())
}

// ---------------------------------------------------------------------------------------------
// The extraction status region
// ---------------------------------------------------------------------------------------------

/// A document's extraction status, for the region on its editing page.
struct StatusView {
    fragment_href: String,
    refresh_href: String,
    label: String,
    icon: &'static str,
    badge: &'static str,
    /// Waiting or running: the region polls for a fresh copy.
    active: bool,
    /// "12.345 tekens gelezen" when done.
    detail: Option<String>,
    error: Option<String>,
    job_href: Option<String>,
}

async fn status_view(
    ctx: &PageContext,
    doc: &Document,
    platform_admin: bool,
) -> Result<StatusView, AppError> {
    let (icon, badge) = status_look(doc.extraction_status);
    let job_href = if platform_admin && doc.extraction_status != ExtractionStatus::Geen {
        documents::latest_job(ctx.state().db().pool(), &doc.id)
            .await?
            .map(|id| format!("/beheer/taken/{id}"))
    } else {
        None
    };
    Ok(StatusView {
        fragment_href: format!("{}/status", doc.edit_href()),
        refresh_href: format!("{}#extractie", doc.edit_href()),
        label: status_label(ctx, doc.extraction_status),
        icon,
        badge,
        active: matches!(
            doc.extraction_status,
            ExtractionStatus::Wachtend | ExtractionStatus::Bezig
        ),
        detail: (doc.extraction_status == ExtractionStatus::Klaar).then(|| {
            ctx.t_with(
                "kb-doc-status-chars",
                &[("count", &ctx.int(&doc.text_chars))],
            )
        }),
        error: (doc.extraction_status == ExtractionStatus::Mislukt)
            .then(|| doc.extraction_error.clone().unwrap_or_default()),
        job_href,
    })
}

#[derive(Template)]
#[template(path = "kennisbank/documents/status.html")]
struct StatusFragment {
    ctx: PageContext,
    status: StatusView,
}

async fn status_fragment(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let doc = documents::find(ctx.state().db().pool(), &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = status_view(&ctx, &doc, editor.platform_admin).await?;
    let mut response = render(&StatusFragment { ctx, status })?;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// The editors' list
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default, rename = "type")]
    doc_type: String,
    #[serde(default)]
    programme: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    pagina: String,
}

struct ListRow {
    edit_href: String,
    public_href: String,
    title: String,
    doc_type: String,
    date: String,
    access: String,
    status: String,
    status_icon: &'static str,
    status_badge: &'static str,
    updated: String,
}

#[derive(Template)]
#[template(path = "kennisbank/documents/list.html")]
struct ListPage {
    ctx: PageContext,
    rows: Vec<ListRow>,
    q: String,
    types: Vec<Choice>,
    programmes: Vec<Choice>,
    periods: Vec<Choice>,
    statuses: Vec<Choice>,
    total: i64,
    page: i64,
    pages: i64,
    /// The filters as a query string, for the pagination links.
    filter_query: String,
}

impl ListPage {
    fn page_href(&self, page: &i64) -> String {
        if self.filter_query.is_empty() {
            format!("{LIST_HREF}?pagina={page}")
        } else {
            format!("{LIST_HREF}?{}&pagina={page}", self.filter_query)
        }
    }
}

fn encode_query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn list(ctx: PageContext, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let db = ctx.state().db();
    let filter = DocumentFilter {
        doc_type: query.doc_type.clone(),
        programme: query.programme.clone(),
        period: query.period.clone(),
        extraction_status: query.status.clone(),
        q: query.q.clone(),
    };
    let page = query.pagina.trim().parse::<i64>().unwrap_or(1).max(1);
    let (docs, total) = documents::list(db.pool(), &filter, page).await?;
    let rows = docs
        .iter()
        .map(|doc| {
            let (status_icon, status_badge) = status_look(doc.extraction_status);
            ListRow {
                edit_href: doc.edit_href(),
                public_href: doc.href(),
                title: doc.title.clone(),
                doc_type: type_label(&ctx, doc.doc_type),
                date: doc.doc_date.as_deref().map(show_date).unwrap_or_default(),
                access: access_label(&ctx, doc.access),
                status: status_label(&ctx, doc.extraction_status),
                status_icon,
                status_badge,
                updated: ctx.datetime(&doc.updated_at),
            }
        })
        .collect();
    let types = DocType::ALL
        .iter()
        .map(|t| {
            Choice::new(
                t.as_str(),
                type_label(&ctx, *t),
                query.doc_type == t.as_str(),
            )
        })
        .collect();
    let programmes = documents::all_programmes(db.pool())
        .await?
        .into_iter()
        .map(|p| {
            let selected = p == query.programme;
            Choice::new(p.clone(), p, selected)
        })
        .collect();
    let periods = model::PERIODS
        .iter()
        .map(|p| Choice::new(*p, *p, query.period == *p))
        .collect();
    let statuses = ExtractionStatus::ALL
        .iter()
        .map(|s| {
            Choice::new(
                s.as_str(),
                status_label(&ctx, *s),
                query.status == s.as_str(),
            )
        })
        .collect();
    let filter_query = encode_query(&[
        ("type", &query.doc_type),
        ("programme", &query.programme),
        ("period", &query.period),
        ("status", &query.status),
        ("q", &query.q),
    ]);
    let title = ctx.t("kb-doc-list-title");
    let manage = ctx.t("kb-doc-crumb-manage");
    render(&ListPage {
        ctx: ctx.crumb(manage, "/beheer/site").titled(title),
        rows,
        q: query.q,
        types,
        programmes,
        periods,
        statuses,
        total,
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        filter_query,
    })
}

// ---------------------------------------------------------------------------------------------
// The form (new and edit)
// ---------------------------------------------------------------------------------------------

/// The form's values as typed (kept when the form comes back with errors).
#[derive(Debug, Clone, Default)]
struct FormValues {
    title: String,
    summary: String,
    doc_type: String,
    programme: String,
    werkspoor: String,
    /// Checked existing themes.
    themes: Vec<String>,
    /// New themes, comma separated.
    themes_text: String,
    organisations: Vec<String>,
    period: String,
    doc_date: String,
    language: String,
    access: String,
    access_organisation_id: String,
    access_group_id: String,
    external_url: String,
}

impl FormValues {
    fn fresh() -> FormValues {
        FormValues {
            doc_type: DocType::Rapport.as_str().into(),
            language: Language::Nl.as_str().into(),
            access: Access::Publiek.as_str().into(),
            ..FormValues::default()
        }
    }

    fn of(doc: &Document) -> FormValues {
        let fields = doc.fields();
        FormValues {
            title: fields.title,
            summary: fields.summary,
            doc_type: fields.doc_type,
            programme: fields.programme.unwrap_or_default(),
            werkspoor: fields.werkspoor.unwrap_or_default(),
            themes: fields.themes,
            themes_text: String::new(),
            organisations: fields.organisations,
            period: fields.period.unwrap_or_default(),
            doc_date: fields.doc_date.unwrap_or_default(),
            language: fields.language,
            access: fields.access,
            access_organisation_id: fields.access_organisation_id.unwrap_or_default(),
            access_group_id: fields.access_group_id.unwrap_or_default(),
            external_url: fields.external_url.unwrap_or_default(),
        }
    }

    fn to_fields(&self) -> DocumentFields {
        let some = |v: &str| Some(v.to_string()).filter(|v| !v.trim().is_empty());
        let mut themes = self.themes.clone();
        themes.extend(self.themes_text.split(',').map(str::to_string));
        DocumentFields {
            title: self.title.clone(),
            summary: self.summary.clone(),
            doc_type: self.doc_type.clone(),
            programme: some(&self.programme),
            werkspoor: some(&self.werkspoor),
            themes,
            organisations: self.organisations.clone(),
            period: some(&self.period),
            doc_date: some(&self.doc_date),
            language: self.language.clone(),
            access: self.access.clone(),
            access_organisation_id: some(&self.access_organisation_id),
            access_group_id: some(&self.access_group_id),
            external_url: some(&self.external_url),
        }
    }
}

#[derive(Template)]
#[template(path = "kennisbank/documents/form.html")]
struct FormPage {
    ctx: PageContext,
    errors: FormErrors,
    form: FormValues,
    /// The document being edited (`None` for a new one).
    doc: Option<Document>,
    status: Option<StatusView>,
    action: String,
    types: Vec<Choice>,
    languages: Vec<Choice>,
    periods: Vec<Choice>,
    access_options: Vec<Choice>,
    organisations: Vec<Choice>,
    access_organisations: Vec<Choice>,
    groups: Vec<Choice>,
    themes: Vec<Choice>,
    programmes: Vec<String>,
    max_mb: usize,
    file_size: String,
}

async fn form_page(
    ctx: PageContext,
    form: FormValues,
    errors: FormErrors,
    doc: Option<Document>,
    platform_admin: bool,
) -> Result<FormPage, AppError> {
    let db = ctx.state().db();
    let orgs = steden_core::org::list(db.pool()).await?;
    let groups = steden_core::working_group::list(db.pool()).await?;
    let mut theme_names = documents::all_themes(db.pool()).await?;
    for theme in &form.themes {
        if !theme_names.iter().any(|t| t == theme) {
            theme_names.push(theme.clone());
        }
    }
    let status = match &doc {
        Some(doc) => Some(status_view(&ctx, doc, platform_admin).await?),
        None => None,
    };
    let title = match &doc {
        Some(doc) => ctx.t_with("kb-doc-edit-title", &[("title", &doc.title)]),
        None => ctx.t("kb-doc-new-title"),
    };
    let action = match &doc {
        Some(doc) => doc.edit_href(),
        None => format!("{LIST_HREF}/nieuw"),
    };
    let page = FormPage {
        types: DocType::ALL
            .iter()
            .map(|t| {
                Choice::new(
                    t.as_str(),
                    type_label(&ctx, *t),
                    form.doc_type == t.as_str(),
                )
            })
            .collect(),
        languages: Language::ALL
            .iter()
            .map(|l| {
                Choice::new(
                    l.as_str(),
                    language_label(&ctx, *l),
                    form.language == l.as_str(),
                )
            })
            .collect(),
        periods: model::PERIODS
            .iter()
            .map(|p| Choice::new(*p, *p, form.period == *p))
            .collect(),
        access_options: Access::ALL
            .iter()
            .map(|a| {
                Choice::new(
                    a.as_str(),
                    access_label(&ctx, *a),
                    form.access == a.as_str(),
                )
            })
            .collect(),
        organisations: orgs
            .iter()
            .map(|o| Choice::new(&o.id, &o.name, form.organisations.contains(&o.id)))
            .collect(),
        access_organisations: orgs
            .iter()
            .map(|o| Choice::new(&o.id, &o.name, form.access_organisation_id == o.id))
            .collect(),
        groups: groups
            .iter()
            .map(|g| Choice::new(&g.id, &g.name, form.access_group_id == g.id))
            .collect(),
        themes: theme_names
            .iter()
            .map(|t| Choice::new(t, t, form.themes.contains(t)))
            .collect(),
        programmes: documents::all_programmes(db.pool()).await?,
        max_mb: MAX_UPLOAD_BYTES / (1024 * 1024),
        file_size: doc
            .as_ref()
            .and_then(|d| d.file_size)
            .map(human_size)
            .unwrap_or_default(),
        ctx: editor_crumbs(ctx).titled(title),
        errors,
        form,
        doc,
        status,
        action,
    };
    Ok(page)
}

async fn new_form(ctx: PageContext) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    render(
        &form_page(
            ctx,
            FormValues::fresh(),
            FormErrors::none(),
            None,
            editor.platform_admin,
        )
        .await?,
    )
}

async fn edit_form(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let doc = documents::find(ctx.state().db().pool(), &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = FormValues::of(&doc);
    render(
        &form_page(
            ctx,
            form,
            FormErrors::none(),
            Some(doc),
            editor.platform_admin,
        )
        .await?,
    )
}

/// The form again with `errors`, answered with `status`.
async fn refused(
    ctx: PageContext,
    status: StatusCode,
    form: FormValues,
    errors: FormErrors,
    doc: Option<Document>,
    platform_admin: bool,
) -> Result<Response, AppError> {
    let page = form_page(ctx, form, errors, doc, platform_admin).await?;
    Ok((status, Html(page.render()?)).into_response())
}

enum ReadError {
    TooLarge,
    Unreadable,
}

/// Reads and discards the rest of a refused body, up to [`DRAIN_LIMIT`].
async fn drain(body: Body) {
    let mut stream = body.into_data_stream();
    let mut read = 0usize;
    while let Some(Ok(chunk)) = stream.next().await {
        read += chunk.len();
        if read > DRAIN_LIMIT {
            break;
        }
    }
}

/// The form's fields and the file (when one was chosen).
async fn read_form(mut multipart: Multipart) -> Result<(FormValues, Option<NewFile>), ReadError> {
    let mut form = FormValues::default();
    let mut file = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ReadError::TooLarge)
            }
            Err(_) => return Err(ReadError::Unreadable),
        };
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.file_name().map(str::to_string);
        let data = field.bytes().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ReadError::TooLarge
            } else {
                ReadError::Unreadable
            }
        })?;
        if name == "file" {
            // A file input left empty still sends a part, without a name and content.
            if !data.is_empty() || filename.as_deref().is_some_and(|f| !f.is_empty()) {
                file = Some(NewFile {
                    filename: filename.unwrap_or_default(),
                    bytes: data.to_vec(),
                });
            }
            continue;
        }
        let text = String::from_utf8_lossy(&data).to_string();
        match name.as_str() {
            "title" => form.title = text,
            "summary" => form.summary = text,
            "doc_type" => form.doc_type = text,
            "programme" => form.programme = text,
            "werkspoor" => form.werkspoor = text,
            "themes" => form.themes.push(text),
            "themes_text" => form.themes_text = text,
            "organisations" => form.organisations.push(text),
            "period" => form.period = text,
            "doc_date" => form.doc_date = text,
            "language" => form.language = text,
            "access" => form.access = text,
            "access_organisation_id" => form.access_organisation_id = text,
            "access_group_id" => form.access_group_id = text,
            "external_url" => form.external_url = text,
            _ => {}
        }
    }
    Ok((form, file))
}

/// Reads the multipart body, or the response that refuses it (too large, unreadable).
async fn read_request(
    ctx: PageContext,
    request: Request,
    doc: Option<Document>,
    platform_admin: bool,
) -> Result<Result<(PageContext, Option<Document>, FormValues, Option<NewFile>), Response>, AppError>
{
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let fallback = doc.as_ref().map_or_else(FormValues::fresh, FormValues::of);
    let read = if declared.is_some_and(|n| n > BODY_LIMIT) {
        drain(request.into_body()).await;
        Err(ReadError::TooLarge)
    } else {
        match Multipart::from_request(request, ctx.state()).await {
            Ok(multipart) => read_form(multipart).await,
            Err(_) => Err(ReadError::Unreadable),
        }
    };
    match read {
        Ok((form, file)) => Ok(Ok((ctx, doc, form, file))),
        Err(ReadError::TooLarge) => {
            let mut errors = FormErrors::none();
            errors.add(
                "file",
                &ctx.t_with(
                    "kb-doc-file-too-large",
                    &[("mb", &(MAX_UPLOAD_BYTES / (1024 * 1024)).to_string())],
                ),
            );
            let response = refused(
                ctx,
                StatusCode::PAYLOAD_TOO_LARGE,
                fallback,
                errors,
                doc,
                platform_admin,
            )
            .await?;
            Ok(Err(response))
        }
        Err(ReadError::Unreadable) => {
            let mut errors = FormErrors::none();
            errors.add("file", &ctx.t("kb-doc-form-unreadable"));
            let response = refused(
                ctx,
                StatusCode::BAD_REQUEST,
                fallback,
                errors,
                doc,
                platform_admin,
            )
            .await?;
            Ok(Err(response))
        }
    }
}

async fn create(ctx: PageContext, request: Request) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let (ctx, _, form, file) = match read_request(ctx, request, None, editor.platform_admin).await?
    {
        Ok(read) => read,
        Err(response) => return Ok(response),
    };
    let db = ctx.state().db().clone();
    let mut tx = db.begin().await?;
    match documents::create(&mut tx, &form.to_fields(), file, &editor.audit).await {
        Ok(doc) => {
            tx.commit().await?;
            let message = if doc.extraction_status == ExtractionStatus::Wachtend {
                ctx.t("kb-doc-created-extracting")
            } else {
                ctx.t("kb-doc-created")
            };
            Ok(flash::redirect_with(
                Flash::success(message),
                &doc.edit_href(),
            ))
        }
        Err(err) => {
            drop(tx);
            let errors = FormErrors::from_core(err)?;
            refused(
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                errors,
                None,
                editor.platform_admin,
            )
            .await
        }
    }
}

async fn update(
    ctx: PageContext,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let doc = documents::find(ctx.state().db().pool(), &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (ctx, doc, form, file) =
        match read_request(ctx, request, Some(doc), editor.platform_admin).await? {
            Ok(read) => read,
            Err(response) => return Ok(response),
        };
    let new_file = file.is_some();
    let db = ctx.state().db().clone();
    let mut tx = db.begin().await?;
    match documents::update(&mut tx, &id, &form.to_fields(), file, &editor.audit).await {
        Ok(doc) => {
            tx.commit().await?;
            let message = if new_file {
                ctx.t("kb-doc-saved-extracting")
            } else {
                ctx.t("kb-doc-saved")
            };
            Ok(flash::redirect_with(
                Flash::success(message),
                &doc.edit_href(),
            ))
        }
        Err(err) => {
            drop(tx);
            let errors = FormErrors::from_core(err)?;
            refused(
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                errors,
                doc,
                editor.platform_admin,
            )
            .await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Delete
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "kennisbank/documents/delete.html")]
struct DeletePage {
    ctx: PageContext,
    doc: Document,
    collections: Vec<CollectionRef>,
}

async fn confirm_delete(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let db = ctx.state().db();
    let doc = documents::find(db.pool(), &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let collections = documents::collections_of(db.pool(), &id).await?;
    let title = ctx.t_with("kb-doc-delete-title", &[("title", &doc.title)]);
    let doc_title = doc.title.clone();
    let edit = doc.edit_href();
    render(&DeletePage {
        ctx: editor_crumbs(ctx).crumb(doc_title, edit).titled(title),
        doc,
        collections,
    })
}

#[derive(Deserialize)]
struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

async fn delete(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    if form.confirm != "ja" {
        return Ok(flash::redirect_with(
            Flash::warning(ctx.t("kb-doc-delete-unconfirmed")),
            &format!("{LIST_HREF}/{id}/verwijderen"),
        ));
    }
    let db = ctx.state().db().clone();
    let mut tx = db.begin().await?;
    let doc = documents::delete(&mut tx, &id, &editor.audit).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t_with("kb-doc-deleted", &[("title", &doc.title)])),
        LIST_HREF,
    ))
}

// ---------------------------------------------------------------------------------------------
// The public document page and the download
// ---------------------------------------------------------------------------------------------

/// The document with `slug` if the request's reader may open it; otherwise 404, or the login
/// page for a members-only document asked for by a visitor who is not logged in.
async fn readable(ctx: &PageContext, slug: &str) -> Result<Document, AppError> {
    let db = ctx.state().db();
    let doc = documents::find_by_slug(db.pool(), slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let reader = Reader::of(db, &actor_of(ctx)).await?;
    if reader.may_open(&doc.access()) {
        Ok(doc)
    } else if !reader.logged_in && doc.access == Access::Leden {
        Err(AppError::Unauthenticated)
    } else {
        Err(AppError::NotFound)
    }
}

/// One line of the document's facts.
struct Fact {
    label: String,
    value: String,
    href: Option<String>,
}

#[derive(Template)]
#[template(path = "kennisbank/documents/show.html")]
struct ShowPage {
    ctx: PageContext,
    doc: Document,
    type_label: String,
    facts: Vec<Fact>,
    themes: Vec<Fact>,
    organisations: Vec<String>,
    collections: Vec<CollectionRef>,
    /// "PDF-bestand, 1,2 MB".
    file_description: String,
    /// For documents that are not public: who may open them.
    access_note: Option<String>,
    editor: bool,
}

async fn show(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let doc = readable(&ctx, &slug).await?;
    let db = ctx.state().db();
    let organisations = documents::organisation_names(db.pool(), &doc.organisations).await?;
    let collections = documents::collections_of(db.pool(), &doc.id).await?;
    let kenniscentrum = access::kenniscentrum_id(db).await?;
    let editor = access::is_editor(&actor_of(&ctx), &kenniscentrum);
    let type_label = type_label(&ctx, doc.doc_type);
    let search =
        |param: &str, value: &str| Some(format!("/kennisbank?{param}={}", percent_encode(value)));
    let mut facts = vec![Fact {
        label: ctx.t("kb-doc-field-type"),
        value: type_label.clone(),
        href: search("type", doc.doc_type.as_str()),
    }];
    if let Some(programme) = &doc.programme {
        facts.push(Fact {
            label: ctx.t("kb-doc-field-programme"),
            value: programme.clone(),
            href: search("programme", programme),
        });
    }
    if let Some(werkspoor) = &doc.werkspoor {
        facts.push(Fact {
            label: ctx.t("kb-doc-field-werkspoor"),
            value: werkspoor.clone(),
            href: None,
        });
    }
    if let Some(period) = &doc.period {
        facts.push(Fact {
            label: ctx.t("kb-doc-field-period"),
            value: period.clone(),
            href: search("period", period),
        });
    }
    if let Some(date) = &doc.doc_date {
        facts.push(Fact {
            label: ctx.t("kb-doc-field-date"),
            value: show_date(date),
            href: None,
        });
    }
    facts.push(Fact {
        label: ctx.t("kb-doc-field-language"),
        value: language_label(&ctx, doc.language),
        href: None,
    });
    let themes = doc
        .themes
        .iter()
        .map(|t| Fact {
            label: String::new(),
            value: t.clone(),
            href: search("theme", t),
        })
        .collect();
    let file_description = match (doc.format_label(), doc.file_size) {
        (Some(format), Some(size)) => format!("{format}, {}", human_size(size)),
        (Some(format), None) => format.to_string(),
        _ => String::new(),
    };
    let access_note = match doc.access {
        Access::Publiek => None,
        Access::Leden => Some(ctx.t("kb-doc-note-leden")),
        Access::Organisatie => {
            let name = match &doc.access_organisation_id {
                Some(id) => documents::organisation_names(db.pool(), std::slice::from_ref(id))
                    .await?
                    .pop()
                    .unwrap_or_default(),
                None => String::new(),
            };
            Some(ctx.t_with("kb-doc-note-organisatie", &[("name", &name)]))
        }
        Access::Werkgroep => {
            let name = match &doc.access_group_id {
                Some(id) => steden_core::working_group::get(db.pool(), id)
                    .await?
                    .map(|g| g.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            Some(ctx.t_with("kb-doc-note-werkgroep", &[("name", &name)]))
        }
    };
    let library = ctx.t("kb-doc-crumb-library");
    let title = doc.title.clone();
    let mut ctx = ctx.crumb(library, "/kennisbank").titled(title);
    if !doc.summary.is_empty() {
        ctx.description = doc.summary.chars().take(300).collect();
    }
    ctx.og_type = "article";
    let mut response = render(&ShowPage {
        ctx,
        type_label,
        facts,
        themes,
        organisations,
        collections,
        file_description,
        access_note,
        editor,
        doc: doc.clone(),
    })?;
    if doc.access != Access::Publiek {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    Ok(response)
}

/// The content types a file may be served with; anything else is served as
/// `application/octet-stream`. Markdown is served as plain text (browsers would otherwise
/// offer to "open" it with some application).
pub fn served_content_type(stored: &str) -> &'static str {
    match stored {
        "application/pdf" => "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => {
            "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        }
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
        "application/vnd.oasis.opendocument.text" => "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet" => {
            "application/vnd.oasis.opendocument.spreadsheet"
        }
        "application/vnd.oasis.opendocument.presentation" => {
            "application/vnd.oasis.opendocument.presentation"
        }
        "text/markdown" | "text/plain" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Percent-encodes everything but RFC 5987's attr-chars (for `filename*` and query values).
fn percent_encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The `Content-Disposition` of a download: an ASCII fallback name (accents and other
/// characters become '_') and the exact UTF-8 name.
pub fn content_disposition(filename: &str) -> String {
    let name = files::safe_filename(filename);
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        percent_encode(&name)
    )
}

async fn download(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let doc = readable(&ctx, &slug).await?;
    let Some(file_id) = &doc.file_id else {
        return Err(AppError::NotFound);
    };
    let (file, bytes) = files::load(ctx.state().db().pool(), file_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let disposition = HeaderValue::from_str(&content_disposition(&file.filename))
        .map_err(|e| AppError::Internal(format!("bestandsnaam: {e}")))?;
    let cache = if doc.access == Access::Publiek {
        "public, max-age=300"
    } else {
        "private, no-store"
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(served_content_type(&file.content_type)),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------------
// Publicaties
// ---------------------------------------------------------------------------------------------

struct PublicationItem {
    href: String,
    title: String,
    summary: String,
    type_label: String,
    date: String,
    file_href: Option<String>,
    file_description: String,
    external_url: Option<String>,
}

struct YearGroup {
    year: String,
    items: Vec<PublicationItem>,
}

struct CollectionItem {
    href: String,
    title: String,
    description: String,
}

#[derive(Template)]
#[template(path = "kennisbank/documents/publications.html")]
struct PublicationsPage {
    ctx: PageContext,
    years: Vec<YearGroup>,
    collections: Vec<CollectionItem>,
    page: i64,
    pages: i64,
}

impl PublicationsPage {
    fn page_href(&self, page: &i64) -> String {
        format!("/publicaties?pagina={page}")
    }
}

#[derive(Debug, Default, Deserialize)]
struct PublicationsQuery {
    #[serde(default)]
    pagina: String,
}

async fn publications(
    ctx: PageContext,
    Query(query): Query<PublicationsQuery>,
) -> Result<Response, AppError> {
    let db = ctx.state().db();
    let page = query.pagina.trim().parse::<i64>().unwrap_or(1).max(1);
    let (docs, total) = documents::list_public_by_type(
        db.pool(),
        &[DocType::Publicatie, DocType::Rapport],
        PUBLICATIONS_PAGE_SIZE,
        (page - 1) * PUBLICATIONS_PAGE_SIZE,
    )
    .await?;
    let mut years: Vec<YearGroup> = Vec::new();
    let undated = ctx.t("kb-doc-pub-undated");
    for doc in &docs {
        let year = doc.year().map_or_else(|| undated.clone(), str::to_string);
        let item = PublicationItem {
            href: doc.href(),
            title: doc.title.clone(),
            summary: doc.summary.clone(),
            type_label: type_label(&ctx, doc.doc_type),
            date: doc.doc_date.as_deref().map(show_date).unwrap_or_default(),
            file_href: doc.file_id.as_ref().map(|_| doc.file_href()),
            file_description: match (doc.format_label(), doc.file_size) {
                (Some(format), Some(size)) => format!("{format}, {}", human_size(size)),
                _ => String::new(),
            },
            external_url: doc.external_url.clone(),
        };
        match years.last_mut() {
            Some(group) if group.year == year => group.items.push(item),
            _ => years.push(YearGroup {
                year,
                items: vec![item],
            }),
        }
    }
    let collections =
        crate::store::collections::list_of_kind(db.pool(), CollectionKind::Publicatie)
            .await?
            .into_iter()
            .map(|c| CollectionItem {
                href: format!("/kennisbank/collecties/{}", c.slug),
                title: c.title,
                description: crate::markdown::to_plain_text(&c.description_md, 300),
            })
            .collect();
    let title = ctx.t("kb-doc-pub-title");
    let mut ctx = ctx.titled(title);
    ctx.description = ctx.t("kb-doc-pub-description");
    render(&PublicationsPage {
        ctx,
        years,
        collections,
        page,
        pages: ((total + PUBLICATIONS_PAGE_SIZE - 1) / PUBLICATIONS_PAGE_SIZE).max(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_are_attachments_with_safe_names_and_types() {
        assert_eq!(
            content_disposition("Jaarverslag “2024” é.pdf"),
            "attachment; filename=\"Jaarverslag _2024_ _.pdf\"; \
             filename*=UTF-8''Jaarverslag%20%E2%80%9C2024%E2%80%9D%20%C3%A9.pdf"
        );
        assert_eq!(served_content_type("text/html"), "application/octet-stream");
        assert_eq!(
            served_content_type("image/svg+xml"),
            "application/octet-stream"
        );
        assert_eq!(
            served_content_type("text/markdown"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(human_size(1_300_000), "1,2 MB");
    }
}
