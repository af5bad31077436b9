//! Uploads to import: the file's text and reading options between preview and confirmation,
//! its checksum, status and report.

use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{new_id, now_ms};

use crate::model::{ImportKind, ImportStatus};

/// An upload as stored (without its content).
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub id: String,
    pub kind: ImportKind,
    pub filename: String,
    pub sha256: String,
    pub owner_org_id: Option<String>,
    pub status: ImportStatus,
    pub options: String,
    /// JSON: `{"errors": [...], "written": n, "new_indicators": [...], "repeat_of": ...}`.
    pub report: String,
    pub rows_read: i64,
    pub values_written: i64,
    pub job_id: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

const COLUMNS: &str = "id, kind, filename, sha256, owner_org_id, status, options, report, \
    rows_read, values_written, job_id, created_by, created_at, finished_at";

fn from_row(row: &AnyRow) -> Import {
    let kind: String = row.get("kind");
    let status: String = row.get("status");
    Import {
        id: row.get("id"),
        kind: ImportKind::parse(&kind).unwrap_or(ImportKind::LongCsv),
        filename: row.get("filename"),
        sha256: row.get("sha256"),
        owner_org_id: row.get("owner_org_id"),
        status: ImportStatus::parse(&status).unwrap_or(ImportStatus::Failed),
        options: row.get("options"),
        report: row.get("report"),
        rows_read: row.get("rows_read"),
        values_written: row.get("values_written"),
        job_id: row.get("job_id"),
        created_by: row.get("created_by"),
        created_at: row.get("created_at"),
        finished_at: row.get("finished_at"),
    }
}

/// A new upload in status preview.
pub struct NewImport<'a> {
    pub kind: ImportKind,
    pub filename: &'a str,
    pub sha256: &'a str,
    pub owner_org_id: &'a str,
    pub content: &'a str,
    pub options: &'a str,
    pub report: &'a str,
    pub rows_read: i64,
    pub created_by: Option<&'a str>,
}

/// Keeps an upload for its preview. Its audit entry comes with the confirmation, which is the
/// write; a preview changes nothing the public or the data team sees.
pub async fn create<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    new: &NewImport<'_>,
) -> CoreResult<String> {
    let id = new_id();
    let filename: String = new.filename.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO cijfers_imports (id, kind, filename, sha256, owner_org_id, status, content,
             options, report, rows_read, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, 'preview', $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(new.kind.as_str())
    .bind(filename)
    .bind(new.sha256)
    .bind(new.owner_org_id)
    .bind(new.content)
    .bind(new.options)
    .bind(new.report)
    .bind(new.rows_read)
    .bind(new.created_by)
    .bind(now_ms())
    .execute(exec)
    .await?;
    Ok(id)
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Option<Import>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cijfers_imports WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(exec)
    .await?;
    Ok(row.as_ref().map(from_row))
}

pub async fn get<'e, E: Executor<'e, Database = Any>>(exec: E, id: &str) -> CoreResult<Import> {
    find(exec, id).await?.ok_or(CoreError::NotFound("import"))
}

/// The stored text of an upload.
pub async fn content<'e, E: Executor<'e, Database = Any>>(exec: E, id: &str) -> CoreResult<String> {
    let row = sqlx::query("SELECT content FROM cijfers_imports WHERE id = $1")
        .bind(id)
        .fetch_optional(exec)
        .await?
        .ok_or(CoreError::NotFound("import"))?;
    Ok(row.get(0))
}

/// The latest uploads, newest first; of one organisation, or all (`None`, for staff).
pub async fn list<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    organisation_id: Option<&str>,
    limit: i64,
) -> CoreResult<Vec<Import>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cijfers_imports WHERE ($1 = '' OR owner_org_id = $1)
         ORDER BY created_at DESC, id DESC LIMIT $2"
    ))
    .bind(organisation_id.unwrap_or(""))
    .bind(limit)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// The earliest finished import of the same file (same checksum), other than `id`.
pub async fn earlier_with_checksum<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    sha256: &str,
    id: &str,
) -> CoreResult<Option<Import>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cijfers_imports WHERE sha256 = $1 AND id <> $2 AND status = 'done'
         ORDER BY created_at LIMIT 1"
    ))
    .bind(sha256)
    .bind(id)
    .fetch_optional(exec)
    .await?;
    Ok(row.as_ref().map(from_row))
}

/// Sets new reading options (the mapping screen) and the preview's report.
pub async fn set_options<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
    options: &str,
    report: &str,
    rows_read: i64,
) -> CoreResult<()> {
    sqlx::query(
        "UPDATE cijfers_imports SET options = $1, report = $2, rows_read = $3
         WHERE id = $4 AND status = 'preview'",
    )
    .bind(options)
    .bind(report)
    .bind(rows_read)
    .bind(id)
    .execute(exec)
    .await?;
    Ok(())
}

/// Marks an upload queued with its job; `false` when it was no longer a preview (a second
/// click).
pub async fn mark_queued<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
    job_id: &str,
) -> CoreResult<bool> {
    let done = sqlx::query(
        "UPDATE cijfers_imports SET status = 'queued', job_id = $1 WHERE id = $2 AND status = 'preview'",
    )
    .bind(job_id)
    .bind(id)
    .execute(exec)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the outcome: `done` with the values written, or `failed`; the report as JSON.
pub async fn finish<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
    status: ImportStatus,
    report: &str,
    values_written: i64,
) -> CoreResult<()> {
    sqlx::query(
        "UPDATE cijfers_imports SET status = $1, report = $2, values_written = $3, finished_at = $4
         WHERE id = $5",
    )
    .bind(status.as_str())
    .bind(report)
    .bind(values_written)
    .bind(now_ms())
    .bind(id)
    .execute(exec)
    .await?;
    Ok(())
}
