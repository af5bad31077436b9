//! Uploaded import files (plan_imports): the file is kept (base64, with its SHA-256) from the
//! upload until the job has imported it, so that the mapping screen, the preview and the job —
//! on any server — all read the same bytes. [`parse`] turns a stored upload into a parsed file
//! with the stored column mapping, or the problems to show (nothing is written then).

use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use super::bbc::{self, BbcImport, ColumnGuess, ColumnMapping, Table};
use super::jaarplan::{self, Jaarplan};
use super::write::{self, ImportPlan};

/// The largest file an upload may hold.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// What kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// BBC export, CSV or XLSX.
    Bbc,
    /// The jaarplan's text (.txt).
    Jaarplan,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Bbc => "bbc",
            ImportKind::Jaarplan => "jaarplan",
        }
    }

    pub fn parse(text: &str) -> Option<ImportKind> {
        match text {
            "bbc" => Some(ImportKind::Bbc),
            "jaarplan" => Some(ImportKind::Jaarplan),
            _ => None,
        }
    }
}

/// The options kept with an upload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadOptions {
    /// The column mapping the user chose on the mapping screen (BBC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapping: Option<ColumnMapping>,
}

/// An upload as stored, without its content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Upload {
    pub id: String,
    pub organisation_id: String,
    pub plan_id: Option<String>,
    pub kind: ImportKind,
    pub filename: String,
    pub sha256: String,
    pub options: UploadOptions,
    /// uploaded | queued | done | failed
    pub status: String,
    pub result: serde_json::Value,
    pub job_id: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, organisation_id, plan_id, kind, filename, sha256, options, status, \
                       result, job_id, created_by, created_at, updated_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Upload, sqlx::Error> {
    Ok(Upload {
        id: row.try_get("id")?,
        organisation_id: row.try_get("organisation_id")?,
        plan_id: row.try_get("plan_id")?,
        kind: ImportKind::parse(&row.try_get::<String, _>("kind")?).unwrap_or(ImportKind::Bbc),
        filename: row.try_get("filename")?,
        sha256: row.try_get("sha256")?,
        options: serde_json::from_str(&row.try_get::<String, _>("options")?).unwrap_or_default(),
        status: row.try_get("status")?,
        result: serde_json::from_str(&row.try_get::<String, _>("result")?)
            .unwrap_or(serde_json::Value::Null),
        job_id: row.try_get("job_id")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Stores an uploaded file for a plan with status "uploaded".
pub async fn create(
    tx: &mut Tx<'_>,
    organisation_id: &str,
    plan_id: &str,
    kind: ImportKind,
    filename: &str,
    bytes: &[u8],
    user_id: Option<&str>,
) -> CoreResult<Upload> {
    if bytes.len() > MAX_BYTES {
        return Err(CoreError::invalid(
            "bestand",
            "Het bestand is groter dan 20 MB.",
        ));
    }
    let id = new_id();
    let now = now_ms();
    let sha = hex::encode(Sha256::digest(bytes));
    let filename: String = filename.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO plan_imports (id, organisation_id, plan_id, kind, filename, sha256,
             content_base64, options, status, result, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, '{}', 'uploaded', '{}', $8, $9, $9)",
    )
    .bind(&id)
    .bind(organisation_id)
    .bind(plan_id)
    .bind(kind.as_str())
    .bind(&filename)
    .bind(&sha)
    .bind(base64::engine::general_purpose::STANDARD.encode(bytes))
    .bind(user_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let actor = user_id.map_or_else(AuditActor::system, AuditActor::user);
    audit::record(
        tx,
        NewEntry {
            actor: &actor,
            organisation_id: Some(organisation_id),
            entity_type: "plan_import",
            entity_id: &id,
            action: "create",
            summary: &format!("Importbestand ‘{filename}’ opgeladen"),
            changes: Changes::new()
                .created("filename", &filename)
                .created("kind", kind.as_str()),
        },
    )
    .await?;
    get(&mut **tx, &id)
        .await?
        .ok_or(CoreError::NotFound("import"))
}

pub async fn get<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: &str,
) -> CoreResult<Option<Upload>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM plan_imports WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// The uploads of a plan, newest first.
pub async fn list_for_plan<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<Vec<Upload>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM plan_imports WHERE plan_id = $1 ORDER BY created_at DESC, id DESC"
    ))
    .bind(plan_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// The stored bytes of an upload.
pub async fn content<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: &str,
) -> CoreResult<Option<Vec<u8>>> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT content_base64 FROM plan_imports WHERE id = $1")
            .bind(id)
            .fetch_optional(executor)
            .await?;
    Ok(text.and_then(|t| base64::engine::general_purpose::STANDARD.decode(t).ok()))
}

/// Keeps the column mapping chosen on the mapping screen.
pub async fn set_mapping(
    tx: &mut Tx<'_>,
    id: &str,
    mapping: &ColumnMapping,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    let options = UploadOptions {
        mapping: Some(mapping.clone()),
    };
    sqlx::query("UPDATE plan_imports SET options = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(serde_json::to_string(&options).unwrap_or_else(|_| "{}".into()))
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "plan_import",
            entity_id: id,
            action: "update",
            summary: "Kolomindeling van het importbestand gekozen",
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(())
}

/// Sets status (and result, and job) of an upload.
pub async fn set_status<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: &str,
    status: &str,
    result: Option<&serde_json::Value>,
    job_id: Option<&str>,
) -> CoreResult<()> {
    sqlx::query(
        "UPDATE plan_imports SET status = $2, result = COALESCE($3, result),
             job_id = COALESCE($4, job_id), updated_at = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(result.map(|r| r.to_string()))
    .bind(job_id)
    .bind(now_ms())
    .execute(executor)
    .await?;
    Ok(())
}

/// A parsed upload.
#[derive(Debug, Clone)]
pub enum Parsed {
    Jaarplan(Box<Jaarplan>),
    Bbc(Box<BbcImport>),
}

/// A problem that keeps the file from being imported, with its line where there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub line: Option<usize>,
    pub message: String,
}

/// Why an upload did not parse.
#[derive(Debug, Clone)]
pub enum Refusal {
    /// The columns need the user's decision (show the mapping screen).
    NeedsMapping(Box<(Table, ColumnGuess)>),
    /// The file cannot be imported as it is.
    Problems(Vec<Problem>),
}

/// Parses stored bytes as `kind`, with the stored mapping for BBC files.
pub fn parse(kind: ImportKind, bytes: &[u8], options: &UploadOptions) -> Result<Parsed, Refusal> {
    match kind {
        ImportKind::Jaarplan => parse_jaarplan(bytes),
        ImportKind::Bbc => parse_bbc(bytes, options.mapping.as_ref()),
    }
}

fn parse_jaarplan(bytes: &[u8]) -> Result<Parsed, Refusal> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Refusal::Problems(vec![Problem {
            line: Some(bytes[..e.valid_up_to()].split(|b| *b == b'\n').count()),
            message: "de tekst is geen UTF-8; bewaar hem als UTF-8-tekstbestand (.txt)".into(),
        }])
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    jaarplan::parse(text)
        .map(|j| Parsed::Jaarplan(Box::new(j)))
        .map_err(|e| {
            Refusal::Problems(vec![Problem {
                line: Some(e.line),
                message: e.kind.to_string(),
            }])
        })
}

fn parse_bbc(bytes: &[u8], mapping: Option<&ColumnMapping>) -> Result<Parsed, Refusal> {
    let table = bbc::parse_file(bytes).map_err(|e| {
        Refusal::Problems(vec![Problem {
            line: e.line(),
            message: e.to_string(),
        }])
    })?;
    let mapping = match mapping {
        Some(m) => m.clone(),
        None => {
            let guess = bbc::detect_columns(&table);
            if !guess.is_certain() {
                return Err(Refusal::NeedsMapping(Box::new((table, guess))));
            }
            guess.mapping
        }
    };
    bbc::apply(&table, &mapping)
        .map(|b| Parsed::Bbc(Box::new(b)))
        .map_err(|errors| {
            Refusal::Problems(
                errors
                    .into_iter()
                    .map(|e| Problem {
                        line: e.line,
                        message: e.message,
                    })
                    .collect(),
            )
        })
}

/// What importing a parsed upload into the plan would do.
pub async fn plan(
    conn: &mut sqlx::AnyConnection,
    plan_id: &str,
    parsed: &Parsed,
) -> CoreResult<ImportPlan> {
    match parsed {
        Parsed::Jaarplan(j) => write::plan_jaarplan(conn, plan_id, j).await,
        Parsed::Bbc(b) => write::plan_bbc(conn, plan_id, b).await,
    }
}
