//! Uploaded files (documents and images) in the database: every server serves the same bytes.

use base64::Engine;
use sha2::{Digest, Sha256};
use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_db::{new_id, now_ms};

pub use crate::model::files::StoredFile;

/// A file name safe to put in a header and on disk: no path, no control characters, no quotes,
/// at most 150 characters; "bestand" when nothing is left.
pub fn safe_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '\\' | '/'))
        .take(150)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "bestand".to_string()
    } else {
        cleaned
    }
}

/// Stores `bytes` as a file; returns its id.
pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
    created_by: Option<&str>,
) -> CoreResult<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO kb_files (id, filename, content_type, size_bytes, sha256, content_base64,
             created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(safe_filename(filename))
    .bind(content_type)
    .bind(bytes.len() as i64)
    .bind(hex::encode(Sha256::digest(bytes)))
    .bind(base64::engine::general_purpose::STANDARD.encode(bytes))
    .bind(created_by)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

fn from_row(row: &sqlx::any::AnyRow) -> StoredFile {
    StoredFile {
        id: row.get("id"),
        filename: row.get("filename"),
        content_type: row.get("content_type"),
        size_bytes: row.get("size_bytes"),
        sha256: row.get("sha256"),
        created_at: row.get("created_at"),
    }
}

/// The file's description, without its content.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<StoredFile>> {
    let row = sqlx::query(
        "SELECT id, filename, content_type, size_bytes, sha256, created_at FROM kb_files
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(from_row))
}

/// The file with its content.
pub async fn load<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Option<(StoredFile, Vec<u8>)>> {
    let row = sqlx::query(
        "SELECT id, filename, content_type, size_bytes, sha256, created_at, content_base64
         FROM kb_files WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(exec)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(row.get::<String, _>("content_base64"))
        .map_err(|e| steden_core::CoreError::Internal(anyhow::anyhow!("bestand {id}: {e}")))?;
    Ok(Some((from_row(&row), bytes)))
}

#[cfg(test)]
mod tests {
    use super::safe_filename;

    #[test]
    fn filenames_lose_paths_and_header_breakers() {
        assert_eq!(safe_filename("../../etc/passwd"), "passwd");
        assert_eq!(
            safe_filename("C:\\temp\\rapport \"2024\".pdf"),
            "rapport 2024.pdf"
        );
        assert_eq!(safe_filename("a\r\nb.pdf"), "ab.pdf");
        assert_eq!(safe_filename(".."), "bestand");
    }
}
