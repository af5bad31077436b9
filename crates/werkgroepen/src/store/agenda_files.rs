//! Files attached to agenda proposals (`wg_files`, `wg_agenda_attachments`). Members may
//! attach files here although the Kennisbank takes uploads from its editors only; so an
//! upload passes the Kennisbank's own gate first: its size limit, its file-name cleaning and
//! its format recognition by content (PDF, DOCX, PPTX, XLSX, ODT, Markdown), so that a file
//! named `.pdf` is one, and nothing else (a script, an executable) is stored.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use sha2::{Digest, Sha256};
use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_db::{new_id, now_ms, Tx};
use steden_kennisbank::extract;
use steden_kennisbank::store::documents::content_type_of;
use steden_kennisbank::store::files::safe_filename;

/// The largest attachment: the Kennisbank's upload limit.
pub const MAX_FILE_BYTES: usize = steden_kennisbank::model::documents::MAX_UPLOAD_BYTES;

/// At most this many attachments per proposal.
pub const MAX_FILES_PER_ITEM: usize = 5;

/// An upload as the form sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// An upload that passed [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Checks one upload: size, then format by content; the Dutch reason when refused.
pub fn check(upload: &Upload) -> Result<CheckedFile, String> {
    let filename = safe_filename(&upload.filename);
    if upload.bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{filename} is te groot (maximaal {} MB).",
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    match extract::detect(&upload.bytes, &filename) {
        Ok(format) => Ok(CheckedFile {
            filename,
            content_type: content_type_of(format),
            bytes: upload.bytes.clone(),
        }),
        Err(error) => Err(format!("{filename}: {error}.")),
    }
}

/// Stores a checked file and attaches it to agenda item `item_id`.
pub async fn attach(
    tx: &mut Tx<'_>,
    item_id: &str,
    file: &CheckedFile,
    created_by: Option<&str>,
) -> CoreResult<String> {
    let id = new_id();
    let sha256 = format!("{:x}", Sha256::digest(&file.bytes));
    sqlx::query(
        "INSERT INTO wg_files (id, filename, content_type, size_bytes, sha256, content_base64,
             created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(&file.filename)
    .bind(file.content_type)
    .bind(file.bytes.len() as i64)
    .bind(sha256)
    .bind(BASE64.encode(&file.bytes))
    .bind(created_by)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    sqlx::query("INSERT INTO wg_agenda_attachments (item_id, file_id) VALUES ($1, $2)")
        .bind(item_id)
        .bind(&id)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// An attachment as the agenda lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub item_id: String,
    pub file_id: String,
    pub filename: String,
    pub size_bytes: i64,
}

/// The attachments of every item of meeting `meeting_id`, by file name.
pub async fn of_meeting<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    meeting_id: &str,
) -> CoreResult<Vec<Attachment>> {
    let rows = sqlx::query(
        "SELECT a.item_id, f.id, f.filename, f.size_bytes
         FROM wg_agenda_attachments a
         JOIN wg_files f ON f.id = a.file_id
         JOIN wg_agenda_items i ON i.id = a.item_id
         WHERE i.meeting_id = $1
         ORDER BY f.filename, f.id",
    )
    .bind(meeting_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Attachment {
            item_id: row.get(0),
            file_id: row.get(1),
            filename: row.get(2),
            size_bytes: row.get(3),
        })
        .collect())
}

/// A stored file: name, content type and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    /// The item it is attached to (whose proposer and status decide who may open it).
    pub item_id: String,
}

/// File `file_id`, if it is attached to an item of meeting `meeting_id`.
pub async fn load<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    meeting_id: &str,
    file_id: &str,
) -> CoreResult<Option<StoredFile>> {
    let row = sqlx::query(
        "SELECT f.filename, f.content_type, f.content_base64, a.item_id
         FROM wg_files f
         JOIN wg_agenda_attachments a ON a.file_id = f.id
         JOIN wg_agenda_items i ON i.id = a.item_id
         WHERE f.id = $1 AND i.meeting_id = $2",
    )
    .bind(file_id)
    .bind(meeting_id)
    .fetch_optional(exec)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let encoded: String = row.get(2);
    let bytes = BASE64
        .decode(encoded)
        .map_err(|e| steden_core::CoreError::Internal(anyhow::anyhow!("bijlage: {e}")))?;
    Ok(Some(StoredFile {
        filename: row.get(0),
        content_type: row.get(1),
        bytes,
        item_id: row.get(3),
    }))
}
