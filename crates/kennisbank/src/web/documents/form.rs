//! The document form (new and edit): the multipart upload, its checks and the save.

use askama::Template;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Query, Request};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use futures::StreamExt;
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, Choice};

use crate::model::{self, Access, DocType, ExtractionStatus, Language};
use crate::store::documents::{self, Document, DocumentFields, NewFile, MAX_UPLOAD_BYTES};
use crate::structure::Structure;
use crate::web::common::require_editor;

use super::place::{self, PlaceChoices};
use super::shared::{
    access_label, editor_crumbs, human_size, language_label, type_label, BODY_LIMIT, DRAIN_LIMIT,
    LIST_HREF,
};
use super::status::{status_view, StatusView};

// ---------------------------------------------------------------------------------------------
// The form (new and edit)
// ---------------------------------------------------------------------------------------------

/// The form's values as typed (kept when the form comes back with errors).
#[derive(Debug, Clone, Default)]
pub(super) struct FormValues {
    pub(super) title: String,
    pub(super) summary: String,
    pub(super) doc_type: String,
    pub(super) programme: String,
    pub(super) werkspoor: String,
    /// Checked existing themes.
    pub(super) themes: Vec<String>,
    /// New themes, comma separated.
    pub(super) themes_text: String,
    pub(super) organisations: Vec<String>,
    pub(super) period: String,
    pub(super) doc_date: String,
    pub(super) language: String,
    pub(super) access: String,
    pub(super) access_organisation_id: String,
    pub(super) access_group_id: String,
    pub(super) external_url: String,
}

impl FormValues {
    pub(super) fn fresh() -> FormValues {
        FormValues {
            doc_type: DocType::Rapport.as_str().into(),
            language: Language::Nl.as_str().into(),
            access: Access::Publiek.as_str().into(),
            ..FormValues::default()
        }
    }

    pub(super) fn of(doc: &Document) -> FormValues {
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

    pub(super) fn to_fields(&self) -> DocumentFields {
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
pub(super) struct FormPage {
    pub(super) ctx: PageContext,
    pub(super) errors: FormErrors,
    pub(super) form: FormValues,
    /// The document being edited (`None` for a new one).
    pub(super) doc: Option<Document>,
    pub(super) status: Option<StatusView>,
    pub(super) action: String,
    pub(super) types: Vec<Choice>,
    pub(super) languages: Vec<Choice>,
    pub(super) periods: Vec<Choice>,
    pub(super) access_options: Vec<Choice>,
    pub(super) organisations: Vec<Choice>,
    pub(super) access_organisations: Vec<Choice>,
    pub(super) groups: Vec<Choice>,
    pub(super) themes: Vec<Choice>,
    /// The programmes and werksporen of the published plans.
    pub(super) place: PlaceChoices,
    pub(super) max_mb: usize,
    pub(super) file_size: String,
}

pub(super) async fn form_page(
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
    let structure = Structure::read(db).await?;
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
        place: place::choices(&ctx, &structure, &form.programme, &form.werkspoor),
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

/// What a link to the new-document form may choose beforehand, e.g. a werkgroep's "add a
/// document" (`?access=werkgroep&group=<id>`, see `crate::paths::new_group_document`). It only
/// fills in the form: saving checks the values as always, and an unknown access is ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Prefill {
    access: String,
    group: String,
}

pub(super) async fn new_form(
    ctx: PageContext,
    Query(prefill): Query<Prefill>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let mut form = FormValues::fresh();
    if let Some(access) = Access::parse(prefill.access.trim()) {
        form.access = access.as_str().into();
    }
    form.access_group_id = prefill.group.trim().to_string();
    render(&form_page(ctx, form, FormErrors::none(), None, editor.platform_admin).await?)
}

pub(super) async fn edit_form(
    ctx: PageContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
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
pub(super) async fn refused(
    ctx: PageContext,
    status: StatusCode,
    form: FormValues,
    errors: FormErrors,
    doc: Option<Document>,
    platform_admin: bool,
) -> Result<Response, AppError> {
    let page = form_page(ctx, form, errors, doc, platform_admin).await?;
    Ok((status, Html(steden_web::page::finish(page.render()?))).into_response())
}

pub(super) enum ReadError {
    TooLarge,
    Unreadable,
}

/// Reads and discards the rest of a refused body, up to [`DRAIN_LIMIT`].
pub(super) async fn drain(body: Body) {
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
pub(super) async fn read_form(
    mut multipart: Multipart,
) -> Result<(FormValues, Option<NewFile>), ReadError> {
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
pub(super) async fn read_request(
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

pub(super) async fn create(ctx: PageContext, request: Request) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let (ctx, _, form, file) = match read_request(ctx, request, None, editor.platform_admin).await?
    {
        Ok(read) => read,
        Err(response) => return Ok(response),
    };
    let db = ctx.state().db().clone();
    let mut tx = db.begin().await?;
    let result = documents::create(&mut tx, &form.to_fields(), file, &editor.audit).await;
    match form::settle(tx, result).await? {
        Ok(doc) => {
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
        Err(errors) => {
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

pub(super) async fn update(
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
    let result = documents::update(&mut tx, &id, &form.to_fields(), file, &editor.audit).await;
    match form::settle(tx, result).await? {
        Ok(doc) => {
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
        Err(errors) => {
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
