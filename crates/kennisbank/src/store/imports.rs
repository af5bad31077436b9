//! Bulk imports: the import keys that make a second run change nothing, and the uploads and
//! reports of imports started from the web (see [`crate::bulk`]).

use base64::Engine;
use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

pub use crate::model::imports::{ImportRun, ImportStatus, LineReport};

/// The largest piece of an upload stored in one row.
pub const PIECE_BYTES: usize = 1024 * 1024;

/// What a key made before: the document and the fingerprint of the line as it was imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRecord {
    pub document_id: String,
    pub fingerprint: String,
}

/// The document made by `key`, if it still exists.
pub async fn find_key<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    key: &str,
) -> CoreResult<Option<KeyRecord>> {
    let row =
        sqlx::query("SELECT document_id, fingerprint FROM kb_import_keys WHERE import_key = $1")
            .bind(key)
            .fetch_optional(exec)
            .await?;
    Ok(row.map(|row| KeyRecord {
        document_id: row.get("document_id"),
        fingerprint: row.get("fingerprint"),
    }))
}

/// Records that `key` made (or changed) `document_id` with this fingerprint.
pub async fn put_key(
    tx: &mut Tx<'_>,
    key: &str,
    document_id: &str,
    fingerprint: &str,
) -> CoreResult<()> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO kb_import_keys (import_key, document_id, fingerprint, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (import_key) DO UPDATE SET document_id = $2, fingerprint = $3,
             updated_at = $4",
    )
    .bind(key)
    .bind(document_id)
    .bind(fingerprint)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records a key for a new document; `false` when another import took the key meanwhile (the
/// caller rolls back and updates that one's document instead).
pub async fn claim_key(
    tx: &mut Tx<'_>,
    key: &str,
    document_id: &str,
    fingerprint: &str,
) -> CoreResult<bool> {
    let now = now_ms();
    let done = sqlx::query(
        "INSERT INTO kb_import_keys (import_key, document_id, fingerprint, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (import_key) DO NOTHING",
    )
    .bind(key)
    .bind(document_id)
    .bind(fingerprint)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

// ---------------------------------------------------------------------------------------------
// Imports started from the web
// ---------------------------------------------------------------------------------------------

/// A new import, before its pieces are added.
pub async fn create(
    tx: &mut Tx<'_>,
    archive_name: Option<&str>,
    csv_name: Option<&str>,
    created_by: Option<&str>,
) -> CoreResult<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO kb_imports (id, status, archive_name, csv_name, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(ImportStatus::Ontvangen.as_str())
    .bind(archive_name)
    .bind(csv_name)
    .bind(created_by)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Stores piece `seq` of `part` ("archief" or "csv"); at most [`PIECE_BYTES`].
pub async fn add_piece(
    tx: &mut Tx<'_>,
    import_id: &str,
    part: &str,
    seq: i64,
    bytes: &[u8],
) -> CoreResult<()> {
    sqlx::query(
        "INSERT INTO kb_import_pieces (import_id, part, seq, content_base64)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(import_id)
    .bind(part)
    .bind(seq)
    .bind(base64::engine::general_purpose::STANDARD.encode(bytes))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The bytes of `part`, put together again; `None` when it was not uploaded.
pub async fn load_part<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    import_id: &str,
    part: &str,
) -> CoreResult<Option<Vec<u8>>> {
    let rows = sqlx::query(
        "SELECT content_base64 FROM kb_import_pieces WHERE import_id = $1 AND part = $2
         ORDER BY seq",
    )
    .bind(import_id)
    .bind(part)
    .fetch_all(exec)
    .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    for row in rows {
        let piece = base64::engine::general_purpose::STANDARD
            .decode(row.get::<String, _>("content_base64"))
            .map_err(|e| CoreError::Internal(anyhow::anyhow!("import {import_id}: {e}")))?;
        bytes.extend_from_slice(&piece);
    }
    Ok(Some(bytes))
}

/// Notes the job that runs the import.
pub async fn set_job(tx: &mut Tx<'_>, import_id: &str, job_id: &str) -> CoreResult<()> {
    sqlx::query("UPDATE kb_imports SET job_id = $2 WHERE id = $1")
        .bind(import_id)
        .bind(job_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Marks the import as running (again, after a retry).
pub async fn mark_running(tx: &mut Tx<'_>, import_id: &str) -> CoreResult<()> {
    sqlx::query("UPDATE kb_imports SET status = $2 WHERE id = $1")
        .bind(import_id)
        .bind(ImportStatus::Bezig.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Stores the outcome: the report (`klaar`), or why the import could not run (`mislukt`).
/// The uploaded pieces go: the report is what remains.
pub async fn finish(
    tx: &mut Tx<'_>,
    import_id: &str,
    outcome: Result<&[LineReport], &str>,
) -> CoreResult<()> {
    let (status, report, error) = match outcome {
        Ok(lines) => (
            ImportStatus::Klaar,
            serde_json::to_string(lines).unwrap_or_else(|_| "[]".into()),
            None,
        ),
        Err(reason) => (ImportStatus::Mislukt, "[]".to_string(), Some(reason)),
    };
    sqlx::query(
        "UPDATE kb_imports SET status = $2, report = $3, error = $4, finished_at = $5
         WHERE id = $1",
    )
    .bind(import_id)
    .bind(status.as_str())
    .bind(report)
    .bind(error)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM kb_import_pieces WHERE import_id = $1")
        .bind(import_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn from_row(row: &sqlx::any::AnyRow) -> ImportRun {
    let status: String = row.get("status");
    let report: String = row.get("report");
    ImportRun {
        id: row.get("id"),
        status: ImportStatus::parse(&status).unwrap_or(ImportStatus::Mislukt),
        archive_name: row.get("archive_name"),
        csv_name: row.get("csv_name"),
        job_id: row.get("job_id"),
        report: serde_json::from_str(&report).unwrap_or_default(),
        error: row.get("error"),
        created_by: row.get("created_by"),
        created_at: row.get("created_at"),
        finished_at: row.get("finished_at"),
    }
}

const COLUMNS: &str = "id, status, archive_name, csv_name, job_id, report, error, created_by,
    created_at, finished_at";

/// One import, if it exists.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Option<ImportRun>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM kb_imports WHERE id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// The latest imports, newest first.
pub async fn list_recent<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    limit: i64,
) -> CoreResult<Vec<ImportRun>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM kb_imports ORDER BY created_at DESC, id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}
