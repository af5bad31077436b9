//! The import job "plan.import": re-reads the stored upload, parses it again with the stored
//! column mapping, plans and applies it in one transaction, and keeps the summary (or the
//! error) in plan_imports.result. The web page only enqueues it, so that a large file does not
//! hold a request open, and shows the job's progress.

use serde::{Deserialize, Serialize};
use steden_core::audit::AuditActor;
use steden_db::jobs::{JobContext, JobError, Registry};
use steden_db::Db;

use super::own_export;
use super::uploads::{self, Refusal};
use super::write::{self, ImportSummary};

/// The job kind.
pub const KIND: &str = "plan.import";

/// The job's payload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportPayload {
    pub import_id: String,
    /// The fingerprint of what the confirmed preview was computed from
    /// ([`super::version`]); the job refuses to write when the plan changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// The job's error when the plan changed between the preview and the import.
pub const STALE: &str = "het plan is gewijzigd sinds de voorvertoning; er is niets geïmporteerd. \
                         Laad het bestand opnieuw op en bekijk de nieuwe voorvertoning.";

/// Registers the import job kinds.
pub fn register(registry: &mut Registry) {
    registry.register(KIND, |ctx: JobContext, payload| async move {
        let payload: ImportPayload = serde_json::from_value(payload)?;
        let actor = ctx
            .created_by()
            .map_or_else(AuditActor::system, AuditActor::user);
        let progress = |done: i64, total: i64, message: String| {
            let ctx = ctx.clone();
            async move { ctx.progress(done, total, &message).await }
        };
        run_checked(
            ctx.db(),
            &payload.import_id,
            payload.version.as_deref(),
            &actor,
            progress,
        )
        .await
        .map(|_| ())
    });
}

/// Runs the import of a stored upload: what the job does, callable directly (tests, demo).
/// `progress(done, total, message)` is told each step. A file that no longer parses, or an
/// upload without a plan, is a permanent error; the upload is then marked failed.
pub async fn run<P, F>(
    db: &Db,
    import_id: &str,
    actor: &AuditActor,
    progress: P,
) -> Result<ImportSummary, JobError>
where
    P: Fn(i64, i64, String) -> F,
    F: std::future::Future<Output = Result<(), JobError>>,
{
    run_checked(db, import_id, None, actor, progress).await
}

/// [`run`], refusing (permanently) when `version` is given and the plan's import version
/// ([`super::version::of`]) is no longer that one: the check is made in the transaction that
/// writes, so what is written is what the confirmed preview showed.
pub async fn run_checked<P, F>(
    db: &Db,
    import_id: &str,
    version: Option<&str>,
    actor: &AuditActor,
    progress: P,
) -> Result<ImportSummary, JobError>
where
    P: Fn(i64, i64, String) -> F,
    F: std::future::Future<Output = Result<(), JobError>>,
{
    let outcome = run_inner(db, import_id, version, actor, &progress).await;
    if let Err(JobError::Permanent(message)) = &outcome {
        let result = serde_json::json!({ "error": message });
        uploads::set_status(db.pool(), import_id, "failed", Some(&result), None)
            .await
            .map_err(|e| JobError::retry(e.to_string()))?;
    }
    outcome
}

async fn run_inner<P, F>(
    db: &Db,
    import_id: &str,
    version: Option<&str>,
    actor: &AuditActor,
    progress: &P,
) -> Result<ImportSummary, JobError>
where
    P: Fn(i64, i64, String) -> F,
    F: std::future::Future<Output = Result<(), JobError>>,
{
    let upload = uploads::find(db.pool(), import_id)
        .await
        .map_err(core_error)?
        .ok_or_else(|| JobError::permanent("het importbestand bestaat niet meer"))?;
    if upload.status == "done" {
        return Ok(serde_json::from_value(upload.result).unwrap_or_default());
    }
    let plan_id = upload
        .plan_id
        .clone()
        .ok_or_else(|| JobError::permanent("het importbestand hoort bij geen plan"))?;
    progress(0, 4, "Bestand lezen".into()).await?;
    let bytes = uploads::content(db.pool(), import_id)
        .await
        .map_err(core_error)?
        .ok_or_else(|| JobError::permanent("de inhoud van het importbestand ontbreekt"))?;
    let parsed = uploads::parse(upload.kind, &bytes, &upload.options).map_err(|refusal| {
        JobError::permanent(match refusal {
            Refusal::NeedsMapping(_) => {
                "de kolommen van het bestand moeten eerst gekozen worden".to_string()
            }
            Refusal::Problems(problems) => uploads::problems_text(&problems),
        })
    })?;
    progress(1, 4, "Wijzigingen bepalen".into()).await?;
    let mut tx = db.begin().await?;
    if let Some(expected) = version {
        let current = super::version::of(&mut tx, &upload)
            .await
            .map_err(core_error)?;
        if current != expected {
            return Err(JobError::permanent(STALE));
        }
    }
    let plan = uploads::plan(&mut tx, &plan_id, &parsed)
        .await
        .map_err(core_error)?;
    progress(2, 4, "Items schrijven".into()).await?;
    let summary = write::apply(&mut tx, &plan_id, &plan, actor)
        .await
        .map_err(core_error)?;
    if let uploads::Parsed::Export(export) = &parsed {
        own_export::apply_fields(&mut tx, export, &plan, actor)
            .await
            .map_err(core_error)?;
    }
    let result = serde_json::to_value(&summary).map_err(JobError::permanent)?;
    uploads::set_status(&mut *tx, import_id, "done", Some(&result), None)
        .await
        .map_err(core_error)?;
    tx.commit().await?;
    progress(4, 4, "Klaar".into()).await?;
    Ok(summary)
}

fn core_error(err: steden_core::CoreError) -> JobError {
    match err {
        steden_core::CoreError::Database(e) => JobError::from(e),
        other => JobError::permanent(other.to_string()),
    }
}
