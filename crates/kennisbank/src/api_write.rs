//! The write API for documents (`/api/v1/kennisbank/documents`), for loading and keeping the
//! archive from other systems:
//!
//! - `POST /kennisbank/documents`: a new document, `multipart/form-data` with the metadata as
//!   fields and the file as the part `file` (or an `external_url` for a link);
//! - `PATCH /kennisbank/documents/{id}`: changes metadata (JSON; fields left out stay);
//! - `DELETE /kennisbank/documents/{id}`.
//!
//! A token needs the scope `kennisbank` (checked by the shell's [`ApiActor`]) and must act for
//! the Kenniscentrum with the role redacteur or higher: the same policy check as the editors'
//! pages ([`access::require_editor`]). The writes go through the document store's `create`,
//! `update` and `delete`, so a document made here is checked, audited, indexed and read
//! exactly like one uploaded in the browser. Errors are problem documents in Dutch: 401, 403,
//! 404, 413 (larger than the upload limit), 415 (not multipart or not JSON), 422 (per field).

use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use steden_web::api::{
    ActionProblems, ApiActor, ApiError, ApiJson, ApiPath, ApiResult, AuthProblems, FieldProblem,
    Problem, WriteProblems,
};
use steden_web::AppState;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access;
use crate::api::{document_dto, DocumentDto};
use crate::model::{self, Access, DocType, Language};
use crate::store::documents::{self, DocumentFields, NewFile, MAX_UPLOAD_BYTES};

/// The body limit of a create: the file plus the other fields and the multipart framing.
const BODY_LIMIT: usize = MAX_UPLOAD_BYTES + 256 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    let upload = OpenApiRouter::new()
        .routes(routes!(create_document))
        .layer(DefaultBodyLimit::max(BODY_LIMIT));
    OpenApiRouter::new()
        .routes(routes!(update_document, delete_document))
        .merge(upload)
}

/// The document types, for the OpenAPI document.
pub struct DocTypeName;
steden_web::string_enum!(DocTypeName, DocType::ALL.iter().map(|t| t.as_str()));
/// Who may open a document, for the OpenAPI document.
pub struct AccessName;
steden_web::string_enum!(AccessName, Access::ALL.iter().map(|a| a.as_str()));
/// The languages, for the OpenAPI document.
pub struct LanguageName;
steden_web::string_enum!(LanguageName, Language::ALL.iter().map(|l| l.as_str()));
/// The programme periods, for the OpenAPI document.
pub struct PeriodName;
steden_web::string_enum!(PeriodName, model::PERIODS.iter().copied());

/// A new document as `multipart/form-data`: the metadata as text fields (a list as the same
/// field repeated) and the file as the part `file`. A document has a file or an
/// `external_url`, not both.
///
/// Other parts are refused (422), so the schema says `additionalProperties: false`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // documents the multipart body; it is read part by part
pub struct DocumentUpload {
    #[schema(min_length = 1, max_length = 300)]
    title: String,
    #[schema(max_length = 5000, nullable = false)]
    summary: Option<String>,
    #[schema(value_type = DocTypeName, inline)]
    r#type: String,
    /// The programme: the id, code or title of a programme of the Kenniscentrum's published
    /// jaarplan or an earlier programme period; an unknown value is refused (422).
    #[schema(max_length = 200, nullable = false)]
    programme: Option<String>,
    /// The werkspoor: the id, code or title of a werkspoor of that programme (or, without a
    /// programme, of a published plan, which then brings its programme); unknown: 422.
    #[schema(max_length = 200, nullable = false)]
    werkspoor: Option<String>,
    #[schema(max_items = 20, nullable = false)]
    themes: Option<Vec<String>>,
    /// Ids of the organisations involved.
    #[schema(nullable = false)]
    organisations: Option<Vec<String>>,
    /// Derived from `date` when left out.
    #[schema(value_type = Option<PeriodName>, inline, nullable = false)]
    period: Option<String>,
    /// `YYYY-MM-DD` (also accepted: `dd/mm/jjjj`).
    #[schema(nullable = false)]
    date: Option<String>,
    /// `nl` when left out.
    #[schema(value_type = Option<LanguageName>, inline, nullable = false)]
    language: Option<String>,
    #[schema(value_type = AccessName, inline)]
    access: String,
    /// Required with `access` = `organisatie`.
    #[schema(nullable = false)]
    access_organisation_id: Option<String>,
    /// Required with `access` = `werkgroep`.
    #[schema(nullable = false)]
    access_group_id: Option<String>,
    /// An http(s) address instead of a file.
    #[schema(max_length = 2000, nullable = false)]
    external_url: Option<String>,
    /// The file (PDF, DOCX, PPTX, XLSX, ODT, Markdown; at most 25 MB), checked on its content.
    #[schema(value_type = Option<String>, format = Binary, nullable = false)]
    file: Option<Vec<u8>>,
}

/// Changes to a document's metadata. Fields left out (or `null`) stay as they are; an empty
/// text clears an optional field.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentPatch {
    #[schema(max_length = 300)]
    pub title: Option<String>,
    #[schema(max_length = 5000)]
    pub summary: Option<String>,
    #[serde(rename = "type")]
    #[schema(value_type = Option<DocTypeName>, inline, rename = "type")]
    pub doc_type: Option<String>,
    /// As on create (id, code or title of a published plan's programme; unknown: 422); empty
    /// clears.
    #[schema(max_length = 200)]
    pub programme: Option<String>,
    /// As on create; empty clears.
    #[schema(max_length = 200)]
    pub werkspoor: Option<String>,
    #[schema(max_items = 20)]
    pub themes: Option<Vec<String>>,
    /// Ids of the organisations involved.
    pub organisations: Option<Vec<String>>,
    /// A programme period such as `2022-2026`; empty: derived from `date`.
    pub period: Option<String>,
    /// `YYYY-MM-DD` (also accepted: `dd/mm/jjjj`); empty clears.
    pub date: Option<String>,
    #[schema(value_type = Option<LanguageName>, inline)]
    pub language: Option<String>,
    #[schema(value_type = Option<AccessName>, inline)]
    pub access: Option<String>,
    pub access_organisation_id: Option<String>,
    pub access_group_id: Option<String>,
    /// For a document without a file.
    #[schema(max_length = 2000)]
    pub external_url: Option<String>,
}

impl DocumentPatch {
    /// Lays the given fields over `base`.
    fn over(self, mut base: DocumentFields) -> DocumentFields {
        let optional = |v: String| Some(v).filter(|v| !v.trim().is_empty());
        if let Some(v) = self.title {
            base.title = v;
        }
        if let Some(v) = self.summary {
            base.summary = v;
        }
        if let Some(v) = self.doc_type {
            base.doc_type = v;
        }
        if let Some(v) = self.programme {
            base.programme = optional(v);
        }
        if let Some(v) = self.werkspoor {
            base.werkspoor = optional(v);
        }
        if let Some(v) = self.themes {
            base.themes = v;
        }
        if let Some(v) = self.organisations {
            base.organisations = v;
        }
        if let Some(v) = self.period {
            base.period = optional(v);
        }
        if let Some(v) = self.date {
            base.doc_date = optional(v);
        }
        if let Some(v) = self.language {
            base.language = v;
        }
        if let Some(v) = self.access {
            base.access = v;
        }
        if let Some(v) = self.access_organisation_id {
            base.access_organisation_id = optional(v);
        }
        if let Some(v) = self.access_group_id {
            base.access_group_id = optional(v);
        }
        if let Some(v) = self.external_url {
            base.external_url = optional(v);
        }
        base
    }
}

/// NUL cannot be stored (PostgreSQL text refuses it); it is never meant in metadata.
fn refuse_nul(fields: &DocumentFields) -> ApiResult<()> {
    let mut texts: Vec<(&str, &str)> = vec![
        ("title", &fields.title),
        ("summary", &fields.summary),
        ("type", &fields.doc_type),
        ("language", &fields.language),
        ("access", &fields.access),
    ];
    for (name, value) in [
        ("programme", &fields.programme),
        ("werkspoor", &fields.werkspoor),
        ("period", &fields.period),
        ("date", &fields.doc_date),
        ("access_organisation_id", &fields.access_organisation_id),
        ("access_group_id", &fields.access_group_id),
        ("external_url", &fields.external_url),
    ] {
        if let Some(value) = value {
            texts.push((name, value));
        }
    }
    texts.extend(fields.themes.iter().map(|t| ("themes", t.as_str())));
    texts.extend(
        fields
            .organisations
            .iter()
            .map(|o| ("organisations", o.as_str())),
    );
    match texts.iter().find(|(_, value)| value.contains('\0')) {
        Some((name, _)) => Err(ApiError::invalid(
            name,
            "Deze tekst bevat een NUL-teken; dat kan niet opgeslagen worden.",
        )),
        None => Ok(()),
    }
}

/// The API's field names for the store's (`doc_type` is `type`, `doc_date` is `date`).
fn api_errors(error: steden_core::CoreError) -> ApiError {
    match error {
        steden_core::CoreError::Invalid(fields) => ApiError::Invalid(
            fields
                .into_iter()
                .map(|e| FieldProblem {
                    field: match e.field.as_str() {
                        "doc_type" => "type".to_string(),
                        "doc_date" => "date".to_string(),
                        _ => e.field,
                    },
                    message: e.message,
                })
                .collect(),
        ),
        other => other.into(),
    }
}

/// The token's actor, once it may edit the Kennisbank (redacteur or more, for the
/// Kenniscentrum).
async fn editor(state: &AppState, client: &ApiActor) -> ApiResult<()> {
    let kenniscentrum = access::kenniscentrum_id(state.db()).await?;
    access::require_editor(&client.actor, &kenniscentrum).map_err(|_| {
        ApiError::Forbidden(
            "Documenten schrijven vraagt een token van het Kenniscentrum met de rol redacteur of hoger."
                .to_string(),
        )
    })
}

fn not_multipart() -> Response {
    Problem::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Some("verkeerd-inhoudstype"),
        "Verkeerd inhoudstype",
        "Stuur een nieuw document als multipart/form-data: de gegevens als velden, het bestand als deel 'file'.",
    )
    .into_response()
}

fn unreadable() -> ApiError {
    ApiError::BadRequest(
        "De multipart-inhoud van het verzoek kon niet gelezen worden.".to_string(),
        Vec::new(),
    )
}

/// Reads the multipart body into fields and a file.
async fn read_upload(mut multipart: Multipart) -> ApiResult<(DocumentFields, Option<NewFile>)> {
    let mut fields = DocumentFields::default();
    let mut file = None;
    let mut problems = Vec::new();
    loop {
        let part = match multipart.next_field().await {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::PayloadTooLarge)
            }
            Err(_) => return Err(unreadable()),
        };
        let name = part.name().unwrap_or_default().to_string();
        let filename = part.file_name().map(str::to_string);
        let data = part.bytes().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                unreadable()
            }
        })?;
        if name == "file" {
            if !data.is_empty() || filename.as_deref().is_some_and(|f| !f.is_empty()) {
                file = Some(NewFile {
                    filename: filename.unwrap_or_default(),
                    bytes: data.to_vec(),
                });
            }
            continue;
        }
        let Ok(text) = String::from_utf8(data.to_vec()) else {
            problems.push(FieldProblem {
                field: name,
                message: "Deze tekst is geen geldige UTF-8.".to_string(),
            });
            continue;
        };
        let some = |v: String| Some(v).filter(|v| !v.trim().is_empty());
        match name.as_str() {
            "title" => fields.title = text,
            "summary" => fields.summary = text,
            "type" => fields.doc_type = text,
            "programme" => fields.programme = some(text),
            "werkspoor" => fields.werkspoor = some(text),
            "themes" => fields.themes.push(text),
            "organisations" => fields.organisations.push(text),
            "period" => fields.period = some(text),
            "date" => fields.doc_date = some(text),
            "language" => fields.language = text,
            "access" => fields.access = text,
            "access_organisation_id" => fields.access_organisation_id = some(text),
            "access_group_id" => fields.access_group_id = some(text),
            "external_url" => fields.external_url = some(text),
            _ => problems.push(FieldProblem {
                field: name,
                message: "Dit veld bestaat niet.".to_string(),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    Ok((fields, file))
}

/// Adds a document: metadata and file (or an external link), as `multipart/form-data`. The
/// file's text is read in the background; the document is found in search once it is read.
#[utoipa::path(
    post,
    path = "/kennisbank/documents",
    operation_id = "kennisbank_create_document",
    tag = "kennisbank",
    security(("bearer" = [])),
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Het nieuwe document", body = DocumentDto),
        AuthProblems,
        (status = 400, description = "Onleesbare multipart-inhoud", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Groter dan 25 MB (plus de velden)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Geen multipart/form-data", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Ongeldige velden of een bestand dat geweigerd wordt (per veld in `errors`); er werd niets opgeslagen", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_document(
    client: ApiActor,
    State(state): State<AppState>,
    request: Request,
) -> ApiResult<Response> {
    editor(&state, &client).await?;
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !content_type.starts_with("multipart/form-data") {
        return Ok(not_multipart());
    }
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT) {
        return Err(ApiError::PayloadTooLarge);
    }
    let multipart = Multipart::from_request(request, &state)
        .await
        .map_err(|_| unreadable())?;
    let (fields, file) = read_upload(multipart).await?;
    refuse_nul(&fields)?;
    let mut tx = state.db().begin().await?;
    let doc = documents::create(&mut tx, &fields, file, &client.actor.audit_actor())
        .await
        .map_err(api_errors)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(document_dto(&state, doc))).into_response())
}

/// Changes a document's metadata (its file stays; a new file is uploaded on the website).
#[utoipa::path(
    patch,
    path = "/kennisbank/documents/{id}",
    operation_id = "kennisbank_update_document",
    tag = "kennisbank",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van het document")),
    request_body = DocumentPatch,
    responses(
        (status = 200, description = "Het gewijzigde document", body = DocumentDto),
        WriteProblems,
    )
)]
pub async fn update_document(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<DocumentPatch>,
) -> ApiResult<Json<DocumentDto>> {
    editor(&state, &client).await?;
    let doc = documents::find(state.db().pool(), &id)
        .await?
        .ok_or_else(|| ApiError::NotFound("Geen document met deze id.".into()))?;
    let fields = patch.over(doc.fields());
    refuse_nul(&fields)?;
    let mut tx = state.db().begin().await?;
    let doc = documents::update(&mut tx, &id, &fields, None, &client.actor.audit_actor())
        .await
        .map_err(api_errors)?;
    tx.commit().await?;
    Ok(Json(document_dto(&state, doc)))
}

/// Deletes a document and its file (it leaves its collections; search forgets it).
#[utoipa::path(
    delete,
    path = "/kennisbank/documents/{id}",
    operation_id = "kennisbank_delete_document",
    tag = "kennisbank",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van het document")),
    responses(
        (status = 204, description = "Verwijderd"),
        ActionProblems,
    )
)]
pub async fn delete_document(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    editor(&state, &client).await?;
    if documents::find(state.db().pool(), &id).await?.is_none() {
        return Err(ApiError::NotFound("Geen document met deze id.".into()));
    }
    let mut tx = state.db().begin().await?;
    documents::delete(&mut tx, &id, &client.actor.audit_actor()).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
