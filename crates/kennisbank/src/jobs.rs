//! Background jobs of the Kennisbank: reading the text of uploaded documents.
//!
//! `kennisbank.extract` (payload `{"document_id": …, "file_id": …}`) is enqueued by
//! [`store::documents`] in the transaction that stores a file. It marks the document `bezig`,
//! reads the text within [`limits`] and [`TIMEOUT`], and stores the text with `klaar`, or
//! `mislukt` with the Dutch reason. A file that cannot be read (encrypted, damaged, a zip bomb,
//! too slow) will not become readable on a second try, so that failure is permanent: the job
//! is not retried, and the reason is on the document for the editor. Only database trouble is
//! retried.
//!
//! A job for a file the document no longer has (it got a new file meanwhile, or was deleted)
//! does nothing: the job enqueued with the new file reads that one.

use std::time::Duration;

use steden_core::CoreError;
use steden_db::jobs::{JobContext, JobError, Registry};
use steden_db::Db;

use crate::extract::{self, Limits};
use crate::store::documents::{self, EXTRACT_JOB, MAX_UPLOAD_BYTES};
use crate::store::files;

/// How long reading one document may take.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// The extraction limits for uploads: the upload limit, and the library's defaults for what
/// a file may unpack to.
pub fn limits() -> Limits {
    Limits {
        max_file_bytes: MAX_UPLOAD_BYTES as u64,
        ..Limits::default()
    }
}

pub fn register(registry: &mut Registry) {
    registry.register(EXTRACT_JOB, run);
}

#[derive(Debug, serde::Deserialize)]
struct Payload {
    document_id: String,
    #[serde(default)]
    file_id: Option<String>,
}

/// What reading a document's text came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The text was read and stored: this many characters, with the warning stored beside
    /// it (read by OCR, or no text found), if any.
    Read {
        chars: usize,
        notice: Option<String>,
    },
    /// The text could not be read, for this (Dutch) reason, stored on the document.
    Failed(String),
    /// Nothing to do: the document is gone, has no file, or has another file by now.
    Skipped,
}

fn retry(error: CoreError) -> JobError {
    JobError::retry(error)
}

/// The job handler.
pub async fn run(ctx: JobContext, payload: serde_json::Value) -> Result<(), JobError> {
    let payload: Payload = serde_json::from_value(payload)?;
    ctx.progress(0, 2, "Tekst van het document lezen").await?;
    let outcome =
        extract_document_file(ctx.db(), &payload.document_id, payload.file_id.as_deref()).await?;
    match outcome {
        Outcome::Read { chars, notice } => {
            let message = match notice {
                Some(notice) => format!("{chars} tekens gelezen. {notice}"),
                None => format!("{chars} tekens gelezen"),
            };
            ctx.progress(2, 2, &message).await?;
            Ok(())
        }
        Outcome::Skipped => {
            ctx.progress(
                2,
                2,
                "Niets te doen: het document heeft intussen een ander bestand",
            )
            .await?;
            Ok(())
        }
        Outcome::Failed(reason) => Err(JobError::permanent(reason)),
    }
}

/// Reads the text of document `id`'s current file and stores the outcome (what the job does,
/// callable directly).
pub async fn extract_document(db: &Db, id: &str) -> Result<Outcome, JobError> {
    extract_document_file(db, id, None).await
}

/// Like [`extract_document`], for the given file (the one the job was enqueued for; `None`
/// is the document's current file).
pub async fn extract_document_file(
    db: &Db,
    id: &str,
    file_id: Option<&str>,
) -> Result<Outcome, JobError> {
    let Some(document) = documents::find(db.pool(), id).await.map_err(retry)? else {
        return Ok(Outcome::Skipped);
    };
    let Some(current) = document.file_id.clone() else {
        return Ok(Outcome::Skipped);
    };
    if file_id.is_some_and(|f| f != current) {
        return Ok(Outcome::Skipped);
    }
    let mut tx = db.begin().await.map_err(|e| retry(e.into()))?;
    if !documents::mark_extracting(&mut tx, id, &current)
        .await
        .map_err(retry)?
    {
        return Ok(Outcome::Skipped);
    }
    tx.commit().await.map_err(|e| retry(e.into()))?;
    let outcome = match files::load(db.pool(), &current).await.map_err(retry)? {
        None => Err("Het bestand van dit document ontbreekt; laad het opnieuw op.".to_string()),
        Some((_, bytes)) => read(bytes).await,
    };
    let result = match &outcome {
        Ok((text, notice)) => Outcome::Read {
            chars: text.chars().count(),
            notice: notice.clone(),
        },
        Err(reason) => Outcome::Failed(reason.clone()),
    };
    let mut tx = db.begin().await.map_err(|e| retry(e.into()))?;
    let stored = documents::finish_extraction(&mut tx, id, &current, outcome)
        .await
        .map_err(retry)?;
    if stored {
        tx.commit().await.map_err(|e| retry(e.into()))?;
    }
    Ok(if stored { result } else { Outcome::Skipped })
}

/// The text of `bytes`, or the Dutch reason it cannot be read. The format is detected again
/// from the content rather than taken from the stored code, so that the parser always matches
/// the bytes it gets.
async fn read(bytes: Vec<u8>) -> Result<(String, Option<String>), String> {
    let format = extract::detect(&bytes, "").map_err(|e| documents::reason(&e))?;
    match extract::extract_with_timeout(bytes, format, limits(), TIMEOUT).await {
        // PostgreSQL text cannot hold NUL characters, which some PDFs produce.
        Ok(extracted) => Ok((extracted.text.replace('\0', ""), extracted.notice)),
        Err(e) => Err(documents::reason(&e)),
    }
}
