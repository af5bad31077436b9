//! A library document and what an editor fills in for one (stored by [`crate::store::documents`]).

use crate::access::DocumentAccess;
use crate::extract::Format;
use crate::model::{Access, DocType, ExtractionStatus, Language};

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
    /// The programme: an item id, code or title of a published plan's programme (resolved by
    /// `store::documents::validate_place`; an unknown value is refused).
    pub programme: Option<String>,
    /// The werkspoor, likewise; it must belong to the programme (or gives it, when empty).
    pub werkspoor: Option<String>,
    pub themes: Vec<String>,
    /// Ids of the organisations involved.
    pub organisations: Vec<String>,
    /// One of [`crate::model::PERIODS`]; when empty, derived from the date.
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

/// A document as stored (without its extracted text: see [`crate::store::documents::body_text`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Document {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub doc_type: DocType,
    /// The programme's title when it was linked, or the text it had before documents were
    /// linked to the plan when it matched nothing (then `programme_id` is `None`).
    pub programme: Option<String>,
    pub werkspoor: Option<String>,
    /// The programme (an item of depth 0 of a published plan, see [`crate::structure`]).
    pub programme_id: Option<String>,
    /// The werkspoor (depth 1, under the programme).
    pub werkspoor_id: Option<String>,
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

    /// The fields as an editor would see them in the form. A linked programme or werkspoor is
    /// given by its item id (a title can recur in several plans); an unlinked one by its old
    /// text, which saving again keeps (see `store::documents::validate_place`).
    pub fn fields(&self) -> DocumentFields {
        DocumentFields {
            title: self.title.clone(),
            summary: self.summary.clone(),
            doc_type: self.doc_type.as_str().to_string(),
            programme: self.programme_id.clone().or_else(|| self.programme.clone()),
            werkspoor: self.werkspoor_id.clone().or_else(|| self.werkspoor.clone()),
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
