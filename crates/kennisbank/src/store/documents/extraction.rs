//! The extraction state, written by the `kennisbank.extract` job (not by editors: no audit
//! entry).

use steden_core::error::CoreResult;
use steden_db::Tx;

use crate::model::ExtractionStatus;
use crate::model::IndexEntity as Entity;
use crate::store::index_changes;

/// Marks the extraction of `file_id` for document `id` as running; `false` when the document
/// is gone or has another file by now (the job is then stale).
pub async fn mark_extracting(tx: &mut Tx<'_>, id: &str, file_id: &str) -> CoreResult<bool> {
    let done = sqlx::query(
        "UPDATE kb_documents SET extraction_status = $3, extraction_error = NULL
         WHERE id = $1 AND file_id = $2",
    )
    .bind(id)
    .bind(file_id)
    .bind(ExtractionStatus::Bezig.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Stores the outcome of reading `file_id`'s text: the text and `klaar` (with the extraction's
/// warning, if any, in `extraction_error`: the column holds the reason when `mislukt` and the
/// warning when `klaar`), or `mislukt` with a Dutch reason. Only when the document still has that file; notes the change for search.
/// Returns whether it was stored (the caller commits).
pub async fn finish_extraction(
    tx: &mut Tx<'_>,
    id: &str,
    file_id: &str,
    outcome: Result<(String, Option<String>), String>,
) -> CoreResult<bool> {
    let (status, error, text) = match outcome {
        Ok((text, notice)) => (ExtractionStatus::Klaar, notice, text),
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
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    index_changes::record_change(tx, Entity::Document, id).await?;
    Ok(true)
}
