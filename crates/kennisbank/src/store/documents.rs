//! Library documents: metadata, the uploaded file (or an external link) and the text read from
//! the file by the `kennisbank.extract` job (see [`crate::jobs`]).
//!
//! Every write runs in the caller's transaction, records an audit entry and notes the change
//! for the search index ([`index_changes::record_change`]). Creating a document with a file, or giving
//! it a new file, stores the file, sets the extraction status to `wachtend` and enqueues the
//! extraction job in that same transaction: a document never waits for a job that was not
//! committed, and a job never finds a document that was rolled back.
//!
//! Files are checked on their content ([`extract::detect`]), never on the name or the content
//! type the browser sends; the content type stored is the one of the detected format. A text
//! file must also be named like one (`.md`, `.markdown`, `.txt`, or no extension), so that an
//! `evil.html` is refused instead of stored as "Markdown".

use std::collections::HashMap;

use sqlx::Row;
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::{CoreError, FieldError};
use steden_db::jobs::NewJob;
use steden_db::{new_id, now_ms, Db, Tx};

use crate::access::{DocumentAccess, KENNISCENTRUM_SLUG};
use crate::extract::{self, ExtractError, Format};
use crate::model::IndexEntity as Entity;
use crate::model::{self, Access, DocType, ExtractionStatus, Language};
use crate::store::files;
use crate::store::index_changes;

/// The job that reads a document's text.
pub const EXTRACT_JOB: &str = "kennisbank.extract";

/// The largest file an editor may upload (the form's body limit is a little larger, for the
/// other fields).
pub const MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;

/// Documents per page in the editors' list.
pub const PAGE_SIZE: i64 = 25;

/// The entity type in the audit trail.
pub const AUDIT_ENTITY: &str = "kb_document";

/// What an editor fills in for a document. Text fields are as typed (trimmed on save); empty
/// optional fields are stored as NULL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentFields {
    pub title: String,
    pub summary: String,
    /// A [`DocType`] value ("rapport", ..., "link").
    pub doc_type: String,
    pub programme: Option<String>,
    pub werkspoor: Option<String>,
    pub themes: Vec<String>,
    /// Ids of the organisations involved.
    pub organisations: Vec<String>,
    /// One of [`model::PERIODS`]; when empty, derived from the date.
    pub period: Option<String>,
    /// 'YYYY-MM-DD' (also accepted: 'dd/mm/jjjj').
    pub doc_date: Option<String>,
    /// A [`Language`] value; "nl" when empty.
    pub language: String,
    /// An [`Access`] value.
    pub access: String,
    /// Required when access is `organisatie`.
    pub access_organisation_id: Option<String>,
    /// Required when access is `werkgroep`.
    pub access_group_id: Option<String>,
    /// An http(s) address instead of a file.
    pub external_url: Option<String>,
}

/// An uploaded file, before it is checked and stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// A document as stored (without its extracted text: see [`body_text`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Document {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub doc_type: DocType,
    pub programme: Option<String>,
    pub werkspoor: Option<String>,
    pub themes: Vec<String>,
    pub organisations: Vec<String>,
    pub period: Option<String>,
    pub doc_date: Option<String>,
    pub language: Language,
    pub access: Access,
    pub access_organisation_id: Option<String>,
    pub access_group_id: Option<String>,
    pub external_url: Option<String>,
    pub file_id: Option<String>,
    /// "pdf", "docx", "pptx", "xlsx", "odt" or "markdown" (see [`format_code`]).
    pub file_format: Option<String>,
    /// The stored file's name, size and content type (when it has a file).
    pub file_name: Option<String>,
    pub file_size: Option<i64>,
    pub file_content_type: Option<String>,
    pub extraction_status: ExtractionStatus,
    pub extraction_error: Option<String>,
    /// Characters of text read from the file.
    pub text_chars: i64,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Document {
    /// Who may open it (checked with [`crate::access::Reader::may_open`]).
    pub fn access(&self) -> DocumentAccess {
        DocumentAccess {
            access: self.access,
            organisation_id: self.access_organisation_id.clone(),
            group_id: self.access_group_id.clone(),
        }
    }

    /// The public page of the document.
    pub fn href(&self) -> String {
        format!("/kennisbank/documenten/{}", self.slug)
    }

    /// The download address of its file.
    pub fn file_href(&self) -> String {
        format!("/kennisbank/documenten/{}/bestand", self.slug)
    }

    /// The editors' page of the document.
    pub fn edit_href(&self) -> String {
        format!("/beheer/kennisbank/documenten/{}", self.id)
    }

    /// The year of its date, if it has one.
    pub fn year(&self) -> Option<&str> {
        self.doc_date.as_deref().and_then(|d| d.get(..4))
    }

    /// Whether it points to an external page rather than holding a file.
    pub fn is_link(&self) -> bool {
        self.file_id.is_none() && self.external_url.is_some()
    }

    /// The Dutch name of its file's format ("PDF-bestand"), if it has a file.
    pub fn format_label(&self) -> Option<&'static str> {
        self.file_format
            .as_deref()
            .and_then(format_from_code)
            .map(Format::label)
    }

    /// The fields as an editor would see them in the form.
    pub fn fields(&self) -> DocumentFields {
        DocumentFields {
            title: self.title.clone(),
            summary: self.summary.clone(),
            doc_type: self.doc_type.as_str().to_string(),
            programme: self.programme.clone(),
            werkspoor: self.werkspoor.clone(),
            themes: self.themes.clone(),
            organisations: self.organisations.clone(),
            period: self.period.clone(),
            doc_date: self.doc_date.clone(),
            language: self.language.as_str().to_string(),
            access: self.access.as_str().to_string(),
            access_organisation_id: self.access_organisation_id.clone(),
            access_group_id: self.access_group_id.clone(),
            external_url: self.external_url.clone(),
        }
    }
}

/// The short code stored in `file_format`.
pub fn format_code(format: Format) -> &'static str {
    match format {
        Format::Pdf => "pdf",
        Format::Docx => "docx",
        Format::Pptx => "pptx",
        Format::Xlsx => "xlsx",
        Format::Odt => "odt",
        Format::Markdown => "markdown",
    }
}

/// The format of a stored `file_format` code.
pub fn format_from_code(code: &str) -> Option<Format> {
    Some(match code {
        "pdf" => Format::Pdf,
        "docx" => Format::Docx,
        "pptx" => Format::Pptx,
        "xlsx" => Format::Xlsx,
        "odt" => Format::Odt,
        "markdown" => Format::Markdown,
        _ => return None,
    })
}

/// The content type stored for (and served with) a detected format.
pub fn content_type_of(format: Format) -> &'static str {
    match format {
        Format::Pdf => "application/pdf",
        Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Format::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Format::Odt => "application/vnd.oasis.opendocument.text",
        Format::Markdown => "text/markdown",
    }
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/// Checked fields, ready to store.
#[derive(Debug, Clone)]
struct Valid {
    title: String,
    summary: String,
    doc_type: DocType,
    programme: Option<String>,
    werkspoor: Option<String>,
    themes: Vec<String>,
    organisations: Vec<String>,
    period: Option<String>,
    doc_date: Option<String>,
    language: Language,
    access: Access,
    access_organisation_id: Option<String>,
    access_group_id: Option<String>,
    external_url: Option<String>,
}

fn optional(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// A date as 'YYYY-MM-DD' from 'YYYY-MM-DD' or 'dd/mm/jjjj'.
fn parse_date(value: &str) -> Option<String> {
    let value = value.trim();
    let date = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(value, "%d/%m/%Y"))
        .or_else(|_| chrono::NaiveDate::parse_from_str(value, "%d-%m-%Y"))
        .ok()?;
    Some(date.format("%Y-%m-%d").to_string())
}

fn valid_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        (host.contains('.') && !host.starts_with('.')) || host.starts_with("localhost")
    }) && url.len() <= 2000
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
}

/// Checks the fields on their own (without the database: organisation and group ids are
/// checked on save). Returns the errors by form field name, in Dutch.
pub fn validate(fields: &DocumentFields) -> Result<(), Vec<FieldError>> {
    check(fields).map(|_| ())
}

fn check(fields: &DocumentFields) -> Result<Valid, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = fields.title.trim().to_string();
    if title.is_empty() {
        errors.push(FieldError::new("title", "Geef het document een titel."));
    } else if title.chars().count() > 300 {
        errors.push(FieldError::new(
            "title",
            "De titel mag hoogstens 300 tekens lang zijn.",
        ));
    }
    let summary = fields.summary.trim().to_string();
    if summary.chars().count() > 5000 {
        errors.push(FieldError::new(
            "summary",
            "De samenvatting mag hoogstens 5000 tekens lang zijn.",
        ));
    }
    let doc_type = DocType::parse(fields.doc_type.trim());
    if doc_type.is_none() {
        errors.push(FieldError::new("doc_type", "Kies het soort document."));
    }
    let programme = optional(&fields.programme);
    let werkspoor = optional(&fields.werkspoor);
    for (name, value) in [("programme", &programme), ("werkspoor", &werkspoor)] {
        if value.as_ref().is_some_and(|v| v.chars().count() > 200) {
            errors.push(FieldError::new(name, "Hoogstens 200 tekens."));
        }
    }
    let mut themes: Vec<String> = Vec::new();
    for theme in &fields.themes {
        let theme = theme.split_whitespace().collect::<Vec<_>>().join(" ");
        if !theme.is_empty() && !themes.iter().any(|t| t.eq_ignore_ascii_case(&theme)) {
            themes.push(theme);
        }
    }
    if themes.len() > 20 {
        errors.push(FieldError::new("themes", "Geef hoogstens 20 thema's."));
    }
    if themes.iter().any(|t| t.chars().count() > 80) {
        errors.push(FieldError::new(
            "themes",
            "Een thema mag hoogstens 80 tekens lang zijn.",
        ));
    }
    let mut organisations: Vec<String> = Vec::new();
    for org in &fields.organisations {
        let org = org.trim();
        if !org.is_empty() && !organisations.iter().any(|o| o == org) {
            organisations.push(org.to_string());
        }
    }
    let doc_date = match optional(&fields.doc_date) {
        None => None,
        Some(raw) => match parse_date(&raw) {
            Some(date) => Some(date),
            None => {
                errors.push(FieldError::new(
                    "doc_date",
                    "Geef de datum als dd/mm/jjjj of jjjj-mm-dd.",
                ));
                None
            }
        },
    };
    let period = match optional(&fields.period) {
        Some(p) if model::PERIODS.contains(&p.as_str()) => Some(p),
        Some(_) => {
            errors.push(FieldError::new(
                "period",
                "Kies een programmaperiode uit de lijst.",
            ));
            None
        }
        None => doc_date
            .as_deref()
            .and_then(model::period_of)
            .map(str::to_string),
    };
    let language = if fields.language.trim().is_empty() {
        Some(Language::Nl)
    } else {
        Language::parse(fields.language.trim())
    };
    if language.is_none() {
        errors.push(FieldError::new("language", "Kies een taal uit de lijst."));
    }
    let access = Access::parse(fields.access.trim());
    let mut access_organisation_id = None;
    let mut access_group_id = None;
    match access {
        None => errors.push(FieldError::new(
            "access",
            "Kies wie het document mag openen.",
        )),
        Some(Access::Organisatie) => {
            access_organisation_id = optional(&fields.access_organisation_id);
            if access_organisation_id.is_none() {
                errors.push(FieldError::new(
                    "access_organisation_id",
                    "Kies de organisatie die het document mag openen.",
                ));
            }
        }
        Some(Access::Werkgroep) => {
            access_group_id = optional(&fields.access_group_id);
            if access_group_id.is_none() {
                errors.push(FieldError::new(
                    "access_group_id",
                    "Kies de werkgroep die het document mag openen.",
                ));
            }
        }
        Some(Access::Publiek | Access::Leden) => {}
    }
    let external_url = optional(&fields.external_url);
    if let Some(url) = &external_url {
        if !valid_url(url) {
            errors.push(FieldError::new(
                "external_url",
                "Geef een volledig webadres dat begint met https:// of http://.",
            ));
        }
    } else if doc_type == Some(DocType::Link) {
        errors.push(FieldError::new(
            "external_url",
            "Een document van het soort ‘Link’ heeft een webadres nodig.",
        ));
    }
    match (doc_type, language, access) {
        (Some(doc_type), Some(language), Some(access)) if errors.is_empty() => Ok(Valid {
            title,
            summary,
            doc_type,
            programme,
            werkspoor,
            themes,
            organisations,
            period,
            doc_date,
            language,
            access,
            access_organisation_id,
            access_group_id,
            external_url,
        }),
        _ => Err(errors),
    }
}

/// Checks the ids that point into other tables.
async fn check_references(
    tx: &mut Tx<'_>,
    valid: &Valid,
    errors: &mut Vec<FieldError>,
) -> CoreResult<()> {
    for org in &valid.organisations {
        if steden_core::org::find(&mut **tx, org).await?.is_none() {
            errors.push(FieldError::new(
                "organisations",
                "Een van de gekozen organisaties bestaat niet (meer).",
            ));
            break;
        }
    }
    if let Some(org) = &valid.access_organisation_id {
        if steden_core::org::find(&mut **tx, org).await?.is_none() {
            errors.push(FieldError::new(
                "access_organisation_id",
                "Deze organisatie bestaat niet (meer).",
            ));
        }
    }
    if let Some(group) = &valid.access_group_id {
        if steden_core::working_group::get(&mut **tx, group)
            .await?
            .is_none()
        {
            errors.push(FieldError::new(
                "access_group_id",
                "Deze werkgroep bestaat niet (meer).",
            ));
        }
    }
    Ok(())
}

/// Checks an upload: size, format by content, and a name that does not promise another kind
/// of file. Returns the detected format, or the Dutch reason it is refused.
pub fn check_file(file: &NewFile) -> Result<Format, String> {
    if file.bytes.len() > MAX_UPLOAD_BYTES {
        return Err(format!(
            "Het bestand is te groot ({:.1} MB); het maximum is 25 MB.",
            file.bytes.len() as f64 / (1024.0 * 1024.0)
        )
        .replace('.', ","));
    }
    let format = extract::detect(&file.bytes, &file.filename).map_err(|e| reason(&e))?;
    if format == Format::Markdown {
        // Any UTF-8 text sniffs as Markdown: only accept it under a text file's name, so that
        // HTML, SVG or scripts are never stored as documents.
        let extension = file
            .filename
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase());
        if let Some(ext) = extension {
            if !matches!(ext.as_str(), "md" | "markdown" | "txt") {
                return Err(reason(&ExtractError::Unsupported(format!(
                    "bestanden met de extensie .{ext}"
                ))));
            }
        }
    }
    Ok(format)
}

/// A Dutch sentence for an extraction error (ending with a full stop).
pub fn reason(error: &ExtractError) -> String {
    let text = error.to_string();
    if text.ends_with('.') {
        text
    } else {
        format!("{text}.")
    }
}

fn invalid(errors: Vec<FieldError>) -> CoreError {
    CoreError::Invalid(errors)
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

const COLUMNS: &str = "d.id, d.slug, d.title, d.summary, d.doc_type, d.programme, d.werkspoor, \
     d.themes, d.organisations, d.period, d.doc_date, d.language, d.access, \
     d.access_organisation_id, d.access_group_id, d.external_url, d.file_id, d.file_format, \
     d.extraction_status, d.extraction_error, CAST(LENGTH(d.body_text) AS BIGINT) AS text_chars, \
     d.created_by, d.updated_by, d.created_at, d.updated_at, \
     f.filename AS file_name, f.size_bytes AS file_size, f.content_type AS file_content_type";

const FROM: &str = "kb_documents d LEFT JOIN kb_files f ON f.id = d.file_id";

fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn to_json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

pub fn from_row(row: &sqlx::any::AnyRow) -> Document {
    Document {
        id: row.get("id"),
        slug: row.get("slug"),
        title: row.get("title"),
        summary: row.get("summary"),
        doc_type: DocType::parse(&row.get::<String, _>("doc_type")).unwrap_or(DocType::Rapport),
        programme: row.get("programme"),
        werkspoor: row.get("werkspoor"),
        themes: json_list(&row.get::<String, _>("themes")),
        organisations: json_list(&row.get::<String, _>("organisations")),
        period: row.get("period"),
        doc_date: row.get("doc_date"),
        language: Language::parse(&row.get::<String, _>("language")).unwrap_or(Language::Nl),
        // An unknown value must never open a document wider than meant: members only.
        access: Access::parse(&row.get::<String, _>("access")).unwrap_or(Access::Leden),
        access_organisation_id: row.get("access_organisation_id"),
        access_group_id: row.get("access_group_id"),
        external_url: row.get("external_url"),
        file_id: row.get("file_id"),
        file_format: row.get("file_format"),
        file_name: row.get("file_name"),
        file_size: row.get("file_size"),
        file_content_type: row.get("file_content_type"),
        extraction_status: ExtractionStatus::parse(&row.get::<String, _>("extraction_status"))
            .unwrap_or(ExtractionStatus::Geen),
        extraction_error: row.get("extraction_error"),
        text_chars: row.get::<Option<i64>, _>("text_chars").unwrap_or(0),
        created_by: row.get("created_by"),
        updated_by: row.get("updated_by"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    }
}

/// The document with `id`, on any executor (a pool or a transaction).
pub async fn fetch<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Option<Document>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM {FROM} WHERE d.id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await?;
    Ok(row.as_ref().map(from_row))
}

pub async fn get(db: &Db, id: &str) -> CoreResult<Option<Document>> {
    fetch(db.pool(), id).await
}

pub async fn by_slug(db: &Db, slug: &str) -> CoreResult<Option<Document>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM {FROM} WHERE d.slug = $1"))
        .bind(slug)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// Several documents by id (unknown ids are left out), in the order of `ids`.
pub async fn get_many(db: &Db, ids: &[String]) -> CoreResult<Vec<Document>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE d.id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(id);
    }
    let rows = query.fetch_all(db.pool()).await?;
    let mut by_id: HashMap<String, Document> = rows
        .iter()
        .map(from_row)
        .map(|d| (d.id.clone(), d))
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// The text read from the document's file ('' before extraction or for a link).
pub async fn body_text(db: &Db, id: &str) -> CoreResult<String> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT body_text FROM kb_documents WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    Ok(text.unwrap_or_default())
}

/// What the editors' list is narrowed to (empty = any).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct DocumentFilter {
    #[serde(default, rename = "type")]
    pub doc_type: String,
    #[serde(default)]
    pub programme: String,
    #[serde(default)]
    pub period: String,
    #[serde(default, rename = "status")]
    pub extraction_status: String,
    /// Words in the title.
    #[serde(default)]
    pub q: String,
}

/// One page (from 1) of the documents matching `filter`, newest change first, and the total.
pub async fn list(db: &Db, filter: &DocumentFilter, page: i64) -> CoreResult<(Vec<Document>, i64)> {
    let mut conditions: Vec<String> = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let mut add = |condition: &str, value: String| {
        binds.push(value);
        conditions.push(condition.replace('?', &format!("${}", binds.len())));
    };
    if !filter.doc_type.trim().is_empty() {
        add("d.doc_type = ?", filter.doc_type.trim().to_string());
    }
    if !filter.programme.trim().is_empty() {
        add("d.programme = ?", filter.programme.trim().to_string());
    }
    if !filter.period.trim().is_empty() {
        add("d.period = ?", filter.period.trim().to_string());
    }
    if !filter.extraction_status.trim().is_empty() {
        add(
            "d.extraction_status = ?",
            filter.extraction_status.trim().to_string(),
        );
    }
    if !filter.q.trim().is_empty() {
        add(
            "LOWER(d.title) LIKE ?",
            format!(
                "%{}%",
                filter.q.trim().to_lowercase().replace(['%', '_'], "")
            ),
        );
    }
    let condition = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let count_sql = format!("SELECT COUNT(*) FROM kb_documents d {condition}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for b in &binds {
        count = count.bind(b);
    }
    let total = count.fetch_one(db.pool()).await?;
    let page = page.max(1);
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} {condition} ORDER BY d.updated_at DESC, d.id
         LIMIT {PAGE_SIZE} OFFSET {}",
        (page - 1) * PAGE_SIZE
    );
    let mut query = sqlx::query(&sql);
    for b in &binds {
        query = query.bind(b);
    }
    let rows = query.fetch_all(db.pool()).await?;
    Ok((rows.iter().map(from_row).collect(), total))
}

/// Public documents (access `publiek`) of the given types, newest date first: `limit` from
/// `offset`, and the total.
pub async fn list_public_by_type(
    db: &Db,
    types: &[DocType],
    limit: i64,
    offset: i64,
) -> CoreResult<(Vec<Document>, i64)> {
    if types.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let placeholders: Vec<String> = (1..=types.len()).map(|i| format!("${i}")).collect();
    let condition = format!(
        "d.access = 'publiek' AND d.doc_type IN ({})",
        placeholders.join(", ")
    );
    let count_sql = format!("SELECT COUNT(*) FROM kb_documents d WHERE {condition}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for t in types {
        count = count.bind(t.as_str());
    }
    let total = count.fetch_one(db.pool()).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {condition}
         ORDER BY COALESCE(d.doc_date, '') DESC, d.created_at DESC, d.id
         LIMIT {} OFFSET {}",
        limit.max(0),
        offset.max(0)
    );
    let mut query = sqlx::query(&sql);
    for t in types {
        query = query.bind(t.as_str());
    }
    let rows = query.fetch_all(db.pool()).await?;
    Ok((rows.iter().map(from_row).collect(), total))
}

/// A collection that lists a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CollectionRef {
    pub slug: String,
    pub title: String,
    pub kind: String,
}

impl CollectionRef {
    pub fn href(&self) -> String {
        format!("/kennisbank/collecties/{}", self.slug)
    }
}

/// The collections that list document `id`, by title.
pub async fn collections_of(db: &Db, id: &str) -> CoreResult<Vec<CollectionRef>> {
    let rows = sqlx::query(
        "SELECT c.slug, c.title, c.kind FROM kb_collection_entries e
         JOIN kb_collections c ON c.id = e.collection_id
         WHERE e.document_id = $1 ORDER BY c.title",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| CollectionRef {
            slug: r.get("slug"),
            title: r.get("title"),
            kind: r.get("kind"),
        })
        .collect())
}

/// The names of organisations by id (unknown ids are left out), in the order of `ids`.
pub async fn organisation_names(db: &Db, ids: &[String]) -> CoreResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query("SELECT id, name FROM organisations")
        .fetch_all(db.pool())
        .await?;
    let names: HashMap<String, String> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    Ok(ids.iter().filter_map(|id| names.get(id).cloned()).collect())
}

/// Every theme used on a document, sorted (for the form's choices).
pub async fn all_themes(db: &Db) -> CoreResult<Vec<String>> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT themes FROM kb_documents")
        .fetch_all(db.pool())
        .await?;
    let mut themes: Vec<String> = rows.iter().flat_map(|t| json_list(t)).collect();
    themes.sort_by_key(|t| t.to_lowercase());
    themes.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    Ok(themes)
}

/// Every programme named on a document, sorted (for the form's suggestions and filters).
pub async fn all_programmes(db: &Db) -> CoreResult<Vec<String>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT programme FROM kb_documents WHERE programme IS NOT NULL ORDER BY programme",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows)
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

async fn kenniscentrum_in(tx: &mut Tx<'_>) -> CoreResult<Option<String>> {
    Ok(
        steden_core::org::find_by_slug(&mut **tx, KENNISCENTRUM_SLUG)
            .await?
            .map(|o| o.id),
    )
}

/// Stores a checked file with the content type of its detected format.
async fn store_file(
    tx: &mut Tx<'_>,
    file: &NewFile,
    format: Format,
    actor: &AuditActor,
) -> CoreResult<String> {
    let file_id = files::insert(
        tx,
        &file.filename,
        content_type_of(format),
        &file.bytes,
        actor.user_id.as_deref(),
    )
    .await?;
    Ok(file_id)
}

async fn enqueue_extraction(
    tx: &mut Tx<'_>,
    document_id: &str,
    file_id: &str,
    actor: &AuditActor,
) -> CoreResult<String> {
    let mut job = NewJob::new(
        EXTRACT_JOB,
        serde_json::json!({ "document_id": document_id, "file_id": file_id }),
    )
    // A failure that a retry can fix is a database hiccup; extraction errors are permanent.
    .max_attempts(3);
    if let Some(user) = &actor.user_id {
        job = job.created_by(user.clone());
    }
    Ok(steden_db::jobs::enqueue_tx(tx, job).await?)
}

/// The job id of the latest extraction of document `id`, if any (for a link to the jobs page).
pub async fn latest_job(db: &Db, id: &str) -> CoreResult<Option<String>> {
    let like = format!("%\"document_id\":\"{id}\"%");
    let job: Option<String> = sqlx::query_scalar(
        "SELECT id FROM jobs WHERE kind = $1 AND payload LIKE $2 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(EXTRACT_JOB)
    .bind(like)
    .fetch_optional(db.pool())
    .await?;
    Ok(job)
}

/// Checks `fields` together with the file question: a document has a file or an external
/// link, not both and not neither. `has_file` says whether it will have a file.
fn check_all(
    fields: &DocumentFields,
    file: Option<&NewFile>,
    has_file: bool,
) -> Result<(Valid, Option<Format>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let valid = check(fields);
    let format = match file {
        Some(file) => match check_file(file) {
            Ok(format) => Some(format),
            Err(message) => {
                errors.push(FieldError::new("file", message));
                None
            }
        },
        None => None,
    };
    let has_link = optional(&fields.external_url).is_some();
    let is_link_type = fields.doc_type.trim() == DocType::Link.as_str();
    if has_file && (has_link || is_link_type) && file.is_some() {
        errors.push(FieldError::new(
            "file",
            "Kies een bestand of een webadres, niet allebei.",
        ));
    } else if has_file && (has_link || is_link_type) {
        errors.push(FieldError::new(
            "external_url",
            "Dit document heeft al een bestand; een document heeft een bestand of een webadres, niet allebei.",
        ));
    } else if !has_file && !has_link && !is_link_type {
        errors.push(FieldError::new(
            "file",
            "Kies een bestand om op te laden, of geef een webadres.",
        ));
    }
    match valid {
        Ok(valid) if errors.is_empty() => Ok((valid, format)),
        Ok(_) => Err(errors),
        Err(mut field_errors) => {
            field_errors.extend(errors);
            Err(field_errors)
        }
    }
}

/// Creates a document, with its file (stored, and its text extraction enqueued) or an
/// external link.
pub async fn create(
    tx: &mut Tx<'_>,
    fields: &DocumentFields,
    file: Option<NewFile>,
    actor: &AuditActor,
) -> CoreResult<Document> {
    let (valid, format) = check_all(fields, file.as_ref(), file.is_some()).map_err(invalid)?;
    let id = new_id();
    // Written first, so that on SQLite the transaction takes the write lock before it reads:
    // a deferred transaction that reads and then writes fails ("database is locked") when
    // another connection wrote in between, whatever the busy timeout.
    index_changes::record_change(tx, Entity::Document, &id).await?;
    let mut errors = Vec::new();
    check_references(tx, &valid, &mut errors).await?;
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let now = now_ms();
    let slug = super::free_slug(tx, "kb_documents", &valid.title, None).await?;
    let (file_id, status) = match (&file, format) {
        (Some(file), Some(format)) => (
            Some(store_file(tx, file, format, actor).await?),
            ExtractionStatus::Wachtend,
        ),
        _ => (None, ExtractionStatus::Geen),
    };
    sqlx::query(
        "INSERT INTO kb_documents (id, slug, title, summary, doc_type, programme, werkspoor,
             themes, organisations, period, doc_date, language, access, access_organisation_id,
             access_group_id, external_url, file_id, file_format, extraction_status,
             extraction_error, body_text, created_by, updated_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
             $19, NULL, '', $20, $20, $21, $21)",
    )
    .bind(&id)
    .bind(&slug)
    .bind(&valid.title)
    .bind(&valid.summary)
    .bind(valid.doc_type.as_str())
    .bind(&valid.programme)
    .bind(&valid.werkspoor)
    .bind(to_json(&valid.themes))
    .bind(to_json(&valid.organisations))
    .bind(&valid.period)
    .bind(&valid.doc_date)
    .bind(valid.language.as_str())
    .bind(valid.access.as_str())
    .bind(&valid.access_organisation_id)
    .bind(&valid.access_group_id)
    .bind(if file_id.is_some() {
        None
    } else {
        valid.external_url.clone()
    })
    .bind(&file_id)
    .bind(format.map(format_code))
    .bind(status.as_str())
    .bind(actor.user_id.as_deref())
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        if e.as_database_error()
            .is_some_and(|d| d.is_unique_violation())
        {
            CoreError::Conflict(
                "Er werd tegelijk een document met dezelfde titel opgeslagen; probeer opnieuw."
                    .into(),
            )
        } else {
            CoreError::Database(e)
        }
    })?;
    if let Some(file_id) = &file_id {
        enqueue_extraction(tx, &id, file_id, actor).await?;
    }
    let organisation = kenniscentrum_in(tx).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: organisation.as_deref(),
            entity_type: AUDIT_ENTITY,
            entity_id: &id,
            action: "create",
            summary: &format!("Document ‘{}’ toegevoegd aan de Kennisbank", valid.title),
            changes: Changes::new()
                .created("title", valid.title.as_str())
                .created("doc_type", valid.doc_type.as_str())
                .created("access", valid.access.as_str())
                .created(
                    "file",
                    file.as_ref().map(|f| files::safe_filename(&f.filename)),
                ),
        },
    )
    .await?;
    fetch(&mut **tx, &id)
        .await?
        .ok_or(CoreError::NotFound("document"))
}

/// Changes a document's metadata and, with `file`, gives it a new file (whose text is then read
/// again). The slug stays, so links keep working.
pub async fn update(
    tx: &mut Tx<'_>,
    id: &str,
    fields: &DocumentFields,
    file: Option<NewFile>,
    actor: &AuditActor,
) -> CoreResult<Document> {
    // The change is noted first, so that on SQLite the transaction takes the write lock before it reads:
    // a deferred transaction that reads and then writes fails ("database is locked") when
    // another connection wrote in between, whatever the busy timeout.
    index_changes::record_change(tx, Entity::Document, id).await?;
    let old = fetch(&mut **tx, id)
        .await?
        .ok_or(CoreError::NotFound("document"))?;
    let has_file = file.is_some() || old.file_id.is_some();
    let (valid, format) = check_all(fields, file.as_ref(), has_file).map_err(invalid)?;
    let mut errors = Vec::new();
    check_references(tx, &valid, &mut errors).await?;
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    sqlx::query(
        "UPDATE kb_documents SET title = $2, summary = $3, doc_type = $4, programme = $5,
             werkspoor = $6, themes = $7, organisations = $8, period = $9, doc_date = $10,
             language = $11, access = $12, access_organisation_id = $13, access_group_id = $14,
             external_url = $15, updated_by = $16, updated_at = $17
         WHERE id = $1",
    )
    .bind(id)
    .bind(&valid.title)
    .bind(&valid.summary)
    .bind(valid.doc_type.as_str())
    .bind(&valid.programme)
    .bind(&valid.werkspoor)
    .bind(to_json(&valid.themes))
    .bind(to_json(&valid.organisations))
    .bind(&valid.period)
    .bind(&valid.doc_date)
    .bind(valid.language.as_str())
    .bind(valid.access.as_str())
    .bind(&valid.access_organisation_id)
    .bind(&valid.access_group_id)
    .bind(if has_file {
        None
    } else {
        valid.external_url.clone()
    })
    .bind(actor.user_id.as_deref())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    if let (Some(file), Some(format)) = (&file, format) {
        put_file(tx, &old, file, format, actor).await?;
    }
    let organisation = kenniscentrum_in(tx).await?;
    let changes = Changes::new()
        .field("title", old.title.as_str(), valid.title.as_str())
        .field("summary", old.summary.as_str(), valid.summary.as_str())
        .field("doc_type", old.doc_type.as_str(), valid.doc_type.as_str())
        .field(
            "programme",
            old.programme.as_deref(),
            valid.programme.as_deref(),
        )
        .field(
            "werkspoor",
            old.werkspoor.as_deref(),
            valid.werkspoor.as_deref(),
        )
        .field("themes", &old.themes, &valid.themes)
        .field("organisations", &old.organisations, &valid.organisations)
        .field("period", old.period.as_deref(), valid.period.as_deref())
        .field(
            "doc_date",
            old.doc_date.as_deref(),
            valid.doc_date.as_deref(),
        )
        .field("language", old.language.as_str(), valid.language.as_str())
        .field("access", old.access.as_str(), valid.access.as_str())
        .field(
            "access_organisation_id",
            old.access_organisation_id.as_deref(),
            valid.access_organisation_id.as_deref(),
        )
        .field(
            "access_group_id",
            old.access_group_id.as_deref(),
            valid.access_group_id.as_deref(),
        )
        .field(
            "external_url",
            old.external_url.as_deref(),
            valid.external_url.as_deref(),
        )
        .field(
            "file",
            old.file_name.clone(),
            file.as_ref()
                .map(|f| files::safe_filename(&f.filename))
                .or(old.file_name.clone()),
        );
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: organisation.as_deref(),
            entity_type: AUDIT_ENTITY,
            entity_id: id,
            action: "update",
            summary: &format!("Document ‘{}’ gewijzigd", valid.title),
            changes,
        },
    )
    .await?;
    fetch(&mut **tx, id)
        .await?
        .ok_or(CoreError::NotFound("document"))
}

/// Swaps in a checked file: stores it, drops the old one, resets the text and enqueues its
/// extraction. The external link goes (a document has one or the other).
async fn put_file(
    tx: &mut Tx<'_>,
    old: &Document,
    file: &NewFile,
    format: Format,
    actor: &AuditActor,
) -> CoreResult<()> {
    let file_id = store_file(tx, file, format, actor).await?;
    sqlx::query(
        "UPDATE kb_documents SET file_id = $2, file_format = $3, extraction_status = $4,
             extraction_error = NULL, body_text = '', external_url = NULL, updated_by = $5,
             updated_at = $6
         WHERE id = $1",
    )
    .bind(&old.id)
    .bind(&file_id)
    .bind(format_code(format))
    .bind(ExtractionStatus::Wachtend.as_str())
    .bind(actor.user_id.as_deref())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    if let Some(old_file) = &old.file_id {
        delete_file(tx, old_file).await?;
    }
    enqueue_extraction(tx, &old.id, &file_id, actor).await?;
    Ok(())
}

async fn delete_file(tx: &mut Tx<'_>, file_id: &str) -> CoreResult<()> {
    // Images have their own files; a document's file belongs to that document alone.
    sqlx::query(
        "DELETE FROM kb_files WHERE id = $1
         AND NOT EXISTS (SELECT 1 FROM kb_documents WHERE file_id = $1)
         AND NOT EXISTS (SELECT 1 FROM site_images WHERE file_id = $1)",
    )
    .bind(file_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Gives document `id` a new file (see [`update`], which does this with metadata).
pub async fn replace_file(
    tx: &mut Tx<'_>,
    id: &str,
    file: NewFile,
    actor: &AuditActor,
) -> CoreResult<Document> {
    let format = check_file(&file).map_err(|m| CoreError::invalid("file", &m))?;
    // First, for SQLite's write lock (see `create`).
    index_changes::record_change(tx, Entity::Document, id).await?;
    let old = fetch(&mut **tx, id)
        .await?
        .ok_or(CoreError::NotFound("document"))?;
    put_file(tx, &old, &file, format, actor).await?;
    let organisation = kenniscentrum_in(tx).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: organisation.as_deref(),
            entity_type: AUDIT_ENTITY,
            entity_id: id,
            action: "update",
            summary: &format!("Nieuw bestand voor document ‘{}’", old.title),
            changes: Changes::new().field(
                "file",
                old.file_name.clone(),
                Some(files::safe_filename(&file.filename)),
            ),
        },
    )
    .await?;
    fetch(&mut **tx, id)
        .await?
        .ok_or(CoreError::NotFound("document"))
}

/// Deletes a document and its file (collection entries go with it by the foreign key);
/// returns the document as it was.
pub async fn delete(tx: &mut Tx<'_>, id: &str, actor: &AuditActor) -> CoreResult<Document> {
    // First, for SQLite's write lock (see `create`).
    index_changes::record_change(tx, Entity::Document, id).await?;
    let old = fetch(&mut **tx, id)
        .await?
        .ok_or(CoreError::NotFound("document"))?;
    sqlx::query("DELETE FROM site_featured WHERE target_kind = 'document' AND target_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM kb_documents WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if let Some(file_id) = &old.file_id {
        delete_file(tx, file_id).await?;
    }
    let organisation = kenniscentrum_in(tx).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: organisation.as_deref(),
            entity_type: AUDIT_ENTITY,
            entity_id: id,
            action: "delete",
            summary: &format!("Document ‘{}’ verwijderd uit de Kennisbank", old.title),
            changes: Changes::new()
                .field("title", Some(old.title.as_str()), None)
                .field("file", old.file_name.as_deref(), None),
        },
    )
    .await?;
    Ok(old)
}

// ---------------------------------------------------------------------------------------------
// Extraction state (written by the job, not by editors: no audit entry)
// ---------------------------------------------------------------------------------------------

/// Marks the extraction of `file_id` for document `id` as running; `false` when the document
/// is gone or has another file by now (the job is then stale).
pub async fn mark_extracting(db: &Db, id: &str, file_id: &str) -> CoreResult<bool> {
    let done = sqlx::query(
        "UPDATE kb_documents SET extraction_status = $3, extraction_error = NULL
         WHERE id = $1 AND file_id = $2",
    )
    .bind(id)
    .bind(file_id)
    .bind(ExtractionStatus::Bezig.as_str())
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Stores the outcome of reading `file_id`'s text: the text and `klaar`, or `mislukt` with a
/// Dutch reason. Only when the document still has that file; notes the change for search.
/// Returns whether it was stored.
pub async fn finish_extraction(
    db: &Db,
    id: &str,
    file_id: &str,
    outcome: Result<String, String>,
) -> CoreResult<bool> {
    let mut tx = db.begin().await?;
    let (status, error, text) = match outcome {
        Ok(text) => (ExtractionStatus::Klaar, None, text),
        Err(reason) => (ExtractionStatus::Mislukt, Some(reason), String::new()),
    };
    let done = sqlx::query(
        "UPDATE kb_documents SET extraction_status = $3, extraction_error = $4, body_text = $5
         WHERE id = $1 AND file_id = $2",
    )
    .bind(id)
    .bind(file_id)
    .bind(status.as_str())
    .bind(error)
    .bind(text)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    index_changes::record_change(&mut tx, Entity::Document, id).await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> DocumentFields {
        DocumentFields {
            title: "Klimaatrapport".into(),
            doc_type: "rapport".into(),
            access: "publiek".into(),
            doc_date: Some("12/03/2019".into()),
            themes: vec![
                " klimaat ".into(),
                "Klimaat".into(),
                "".into(),
                "data".into(),
            ],
            ..DocumentFields::default()
        }
    }

    #[test]
    fn checks_fields_and_derives_the_period() {
        let valid = check(&fields()).unwrap();
        assert_eq!(valid.doc_date.as_deref(), Some("2019-03-12"));
        assert_eq!(valid.period.as_deref(), Some("2017-2021"));
        assert_eq!(valid.themes, vec!["klimaat", "data"]);
        assert_eq!(valid.language, Language::Nl);

        let errors = check(&DocumentFields {
            access: "organisatie".into(),
            doc_type: "link".into(),
            external_url: Some("javascript:alert(1)".into()),
            ..DocumentFields::default()
        })
        .unwrap_err();
        let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            names,
            vec!["title", "access_organisation_id", "external_url"]
        );
    }

    #[test]
    fn html_is_never_a_text_document() {
        let html = NewFile {
            filename: "evil.html".into(),
            bytes: b"<script>alert(1)</script>".to_vec(),
        };
        assert!(check_file(&html).unwrap_err().contains(".html"));
        let md = NewFile {
            filename: "notities.md".into(),
            bytes: b"# Titel\n\nTekst".to_vec(),
        };
        assert_eq!(check_file(&md), Ok(Format::Markdown));
    }
}
