//! Imports of subscribers (`nb_imports`, `nb_import_pieces`, `nb_import_lines`): the upload
//! with the form's choices, its bytes until the job has read them, the counts the job keeps
//! per batch, and every refused line (design §3.6).

use base64::Engine;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{new_id, Db, Tx};

use crate::import::source::FileKind;

/// The bytes are stored in pieces of this size.
pub const PIECE_BYTES: usize = 1024 * 1024;

/// Where an import stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStatus {
    /// Stored; the job has not started.
    Wachtend,
    /// The job is reading and writing.
    Bezig,
    /// Every line was handled (accepted or refused).
    Klaar,
    /// The file was refused as a whole, or the job gave up (the counts say how far it got).
    Mislukt,
}

impl ImportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Wachtend => "wachtend",
            ImportStatus::Bezig => "bezig",
            ImportStatus::Klaar => "klaar",
            ImportStatus::Mislukt => "mislukt",
        }
    }

    pub fn parse(value: &str) -> CoreResult<ImportStatus> {
        [
            ImportStatus::Wachtend,
            ImportStatus::Bezig,
            ImportStatus::Klaar,
            ImportStatus::Mislukt,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
        .ok_or_else(|| CoreError::invalid("status", "Onbekende status."))
    }

    pub fn is_finished(self) -> bool {
        matches!(self, ImportStatus::Klaar | ImportStatus::Mislukt)
    }

    /// The Fluent id of its label.
    pub fn label_key(self) -> String {
        format!("nb-import-status-{}", self.as_str())
    }
}

/// The counts of an import so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub refused: i64,
}

impl Counts {
    /// Lines accepted: new, updated or already as the file says.
    pub fn accepted(&self) -> i64 {
        self.created + self.updated + self.unchanged
    }

    pub fn lines(&self) -> i64 {
        self.accepted() + self.refused
    }
}

/// An import as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub id: String,
    pub file_name: String,
    pub kind: FileKind,
    pub status: ImportStatus,
    /// Slugs of the lists every line is added to.
    pub lists: Vec<String>,
    pub confirmed: bool,
    pub basis_kind: Option<String>,
    pub basis_text: Option<String>,
    pub source: Option<String>,
    pub readd: bool,
    pub total: i64,
    pub processed: i64,
    pub counts: Counts,
    pub error: Option<String>,
    pub job_id: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

const COLUMNS: &str = "id, file_name, kind, status, lists, CAST(confirmed AS BIGINT) AS confirmed,
    basis_kind, basis_text, source, CAST(readd AS BIGINT) AS readd, total, processed, created,
    updated, unchanged, refused, error, job_id, created_by, created_at, finished_at";

fn from_row(row: &AnyRow) -> CoreResult<Import> {
    let kind: String = row.get("kind");
    let status: String = row.get("status");
    let lists: String = row.get("lists");
    Ok(Import {
        id: row.get("id"),
        file_name: row.get("file_name"),
        kind: FileKind::parse(&kind)
            .ok_or_else(|| CoreError::invalid("kind", "Onbekend soort."))?,
        status: ImportStatus::parse(&status)?,
        lists: serde_json::from_str(&lists).unwrap_or_default(),
        confirmed: steden_db::flag::from_db(row.get("confirmed")),
        basis_kind: row.get("basis_kind"),
        basis_text: row.get("basis_text"),
        source: row.get("source"),
        readd: steden_db::flag::from_db(row.get("readd")),
        total: row.get("total"),
        processed: row.get("processed"),
        counts: Counts {
            created: row.get("created"),
            updated: row.get("updated"),
            unchanged: row.get("unchanged"),
            refused: row.get("refused"),
        },
        error: row.get("error"),
        job_id: row.get("job_id"),
        created_by: row.get("created_by"),
        created_at: row.get("created_at"),
        finished_at: row.get("finished_at"),
    })
}

/// What the upload form decided.
#[derive(Debug, Clone, Default)]
pub struct NewImport<'a> {
    pub file_name: &'a str,
    pub kind: Option<FileKind>,
    pub lists: &'a [String],
    pub confirmed: bool,
    pub basis_kind: Option<&'a str>,
    pub basis_text: Option<&'a str>,
    pub source: Option<&'a str>,
    pub readd: bool,
    pub created_by: Option<&'a str>,
}

/// Stores an upload with its bytes; returns its id.
pub async fn create(
    tx: &mut Tx<'_>,
    new: &NewImport<'_>,
    bytes: &[u8],
    now: i64,
) -> CoreResult<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO nb_imports (id, file_name, kind, status, lists, confirmed, basis_kind,
                                 basis_text, source, readd, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(new.file_name)
    .bind(new.kind.unwrap_or(FileKind::Csv).as_str())
    .bind(ImportStatus::Wachtend.as_str())
    .bind(serde_json::to_string(new.lists).unwrap_or_else(|_| "[]".into()))
    .bind(steden_db::flag::to_db(new.confirmed))
    .bind(new.basis_kind)
    .bind(new.basis_text)
    .bind(new.source)
    .bind(steden_db::flag::to_db(new.readd))
    .bind(new.created_by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    for (seq, piece) in bytes.chunks(PIECE_BYTES).enumerate() {
        sqlx::query(
            "INSERT INTO nb_import_pieces (import_id, seq, content_base64) VALUES ($1, $2, $3)",
        )
        .bind(&id)
        .bind(seq as i64)
        .bind(base64::engine::general_purpose::STANDARD.encode(piece))
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

pub async fn set_job(tx: &mut Tx<'_>, id: &str, job_id: &str) -> CoreResult<()> {
    sqlx::query("UPDATE nb_imports SET job_id = $2 WHERE id = $1")
        .bind(id)
        .bind(job_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<Import>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM nb_imports WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The newest imports first.
pub async fn list_recent<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    limit: i64,
) -> CoreResult<Vec<Import>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM nb_imports ORDER BY created_at DESC, id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(executor)
    .await?;
    rows.iter().map(from_row).collect()
}

/// The uploaded bytes (empty once the import is done).
pub async fn file(db: &Db, id: &str) -> CoreResult<Vec<u8>> {
    let rows = sqlx::query(
        "SELECT content_base64 FROM nb_import_pieces WHERE import_id = $1 ORDER BY seq",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let mut bytes = Vec::new();
    for row in rows {
        let piece: String = row.get("content_base64");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(piece.as_bytes())
            .map_err(|e| CoreError::Internal(anyhow::anyhow!("stored import piece: {e}")))?;
        bytes.extend_from_slice(&decoded);
    }
    Ok(bytes)
}

/// The job begins (again): `bezig`, with the number of lines.
pub async fn start(db: &Db, id: &str, total: i64) -> CoreResult<()> {
    sqlx::query("UPDATE nb_imports SET status = $2, total = $3 WHERE id = $1")
        .bind(id)
        .bind(ImportStatus::Bezig.as_str())
        .bind(total)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// A refused line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedLine {
    pub line: i64,
    pub email: String,
    pub reason: String,
    pub detail: String,
}

/// Records a written batch in its own transaction: the counts it added, how far the file is
/// done and its refused lines. A retry resumes after `processed`.
pub async fn record_batch(
    tx: &mut Tx<'_>,
    id: &str,
    processed: i64,
    added: &Counts,
    refused: &[RefusedLine],
) -> CoreResult<()> {
    sqlx::query(
        "UPDATE nb_imports SET processed = $2, created = created + $3, updated = updated + $4,
                unchanged = unchanged + $5, refused = refused + $6
         WHERE id = $1",
    )
    .bind(id)
    .bind(processed)
    .bind(added.created)
    .bind(added.updated)
    .bind(added.unchanged)
    .bind(added.refused)
    .execute(&mut **tx)
    .await?;
    for line in refused {
        sqlx::query(
            "INSERT INTO nb_import_lines (import_id, line, email, reason, detail)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (import_id, line) DO NOTHING",
        )
        .bind(id)
        .bind(line.line)
        .bind(&line.email)
        .bind(&line.reason)
        .bind(&line.detail)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The import is over: `klaar`, or `mislukt` with `error`. The uploaded bytes go: the report
/// is what is kept.
pub async fn finish(tx: &mut Tx<'_>, id: &str, error: Option<&str>, now: i64) -> CoreResult<()> {
    let status = if error.is_some() {
        ImportStatus::Mislukt
    } else {
        ImportStatus::Klaar
    };
    sqlx::query("UPDATE nb_imports SET status = $2, error = $3, finished_at = $4 WHERE id = $1")
        .bind(id)
        .bind(status.as_str())
        .bind(error)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM nb_import_pieces WHERE import_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Refused lines in file order, at most `limit` of them.
pub async fn refused_lines<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
    limit: i64,
) -> CoreResult<Vec<RefusedLine>> {
    let rows = sqlx::query(
        "SELECT line, email, reason, detail FROM nb_import_lines WHERE import_id = $1
         ORDER BY line LIMIT $2",
    )
    .bind(id)
    .bind(limit)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|row| RefusedLine {
            line: row.get("line"),
            email: row.get("email"),
            reason: row.get("reason"),
            detail: row.get("detail"),
        })
        .collect())
}
