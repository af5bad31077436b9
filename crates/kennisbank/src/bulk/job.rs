//! The job `kennisbank.import` (payload `{"import_id": …}`): runs an import uploaded on the
//! web page. The zip and CSV are read from the database (`kb_import_pieces`), so any server's
//! worker can run it; progress is reported per line; the report (or the reason the import
//! could not run) is stored on the import, and the uploaded pieces are deleted.
//!
//! A retry (database trouble, a worker that died) runs every line again: lines done before
//! are then `ongewijzigd` by their keys, so nothing is written twice.

use steden_core::audit::AuditActor;
use steden_core::CoreError;
use steden_db::jobs::{JobContext, JobError, NewJob, Registry};
use steden_db::{Db, Tx};

use steden_core::policy::{Actor, OrgRole, UserActor};

use super::{Batch, Counts, Limits, Runner, Source};
use crate::access;
use crate::model::imports::ImportStatus;
use crate::store::imports;

/// The job's kind.
pub const IMPORT_JOB: &str = "kennisbank.import";

/// The parts of an upload in `kb_import_pieces`.
pub const ARCHIVE_PART: &str = "archief";
pub const CSV_PART: &str = "csv";

pub fn register(registry: &mut Registry) {
    registry.register(IMPORT_JOB, run);
}

/// Enqueues the import's job in the transaction that stored its upload.
pub async fn enqueue(
    tx: &mut Tx<'_>,
    import_id: &str,
    user_id: Option<&str>,
) -> Result<String, CoreError> {
    let mut job =
        NewJob::new(IMPORT_JOB, serde_json::json!({ "import_id": import_id })).max_attempts(3);
    if let Some(user) = user_id {
        job = job.created_by(user.to_string());
    }
    let job_id = steden_db::jobs::enqueue_tx(tx, job).await?;
    imports::set_job(tx, import_id, &job_id).await?;
    Ok(job_id)
}

#[derive(Debug, serde::Deserialize)]
struct Payload {
    import_id: String,
}

fn retry(error: impl std::fmt::Display) -> JobError {
    JobError::retry(error)
}

/// A Dutch summary of the counts ("3 aangemaakt, 1 bijgewerkt, …").
pub fn summary(counts: &Counts) -> String {
    format!(
        "{} aangemaakt, {} bijgewerkt, {} ongewijzigd, {} geweigerd",
        counts.aangemaakt, counts.bijgewerkt, counts.ongewijzigd, counts.geweigerd
    )
}

async fn store_failure(db: &Db, import_id: &str, reason: &str) -> Result<(), JobError> {
    let mut tx = db.begin().await.map_err(retry)?;
    imports::finish(&mut tx, import_id, Err(reason))
        .await
        .map_err(retry)?;
    tx.commit().await.map_err(retry)
}

/// Whether the user who started the import may still edit the Kennisbank when the job runs
/// (the role may have been taken away since the upload): the policy's own check, on the
/// user's current role in the Kenniscentrum. An import without a user is the platform's.
async fn still_editor(db: &Db, user_id: Option<&str>) -> Result<bool, JobError> {
    let Some(user_id) = user_id else {
        return Ok(true);
    };
    let Some(user) = steden_core::user::find(db.pool(), user_id)
        .await
        .map_err(retry)?
    else {
        return Ok(false);
    };
    let kenniscentrum = access::kenniscentrum_id(db).await.map_err(retry)?;
    let role = steden_core::membership::role_of(db.pool(), user_id, &kenniscentrum)
        .await
        .map_err(retry)?;
    let actor = Actor::User(UserActor {
        user_id: user.id,
        platform_admin: user.platform_admin,
        memberships: role
            .map(|role| OrgRole {
                organisation_id: kenniscentrum.clone(),
                role,
            })
            .into_iter()
            .collect(),
    });
    Ok(user.active && access::is_editor(&actor, &kenniscentrum))
}

/// The job handler.
pub async fn run(ctx: JobContext, payload: serde_json::Value) -> Result<(), JobError> {
    let payload: Payload = serde_json::from_value(payload)?;
    let db = ctx.db().clone();
    let Some(import) = imports::find(db.pool(), &payload.import_id)
        .await
        .map_err(retry)?
    else {
        return Ok(());
    };
    if matches!(import.status, ImportStatus::Klaar | ImportStatus::Mislukt) {
        return Ok(());
    }
    let mut tx = db.begin().await.map_err(retry)?;
    imports::mark_running(&mut tx, &import.id)
        .await
        .map_err(retry)?;
    tx.commit().await.map_err(retry)?;
    ctx.progress(0, 1, "Upload lezen").await?;
    let limits = Limits::default();
    let archive = imports::load_part(db.pool(), &import.id, ARCHIVE_PART)
        .await
        .map_err(retry)?;
    let csv = imports::load_part(db.pool(), &import.id, CSV_PART)
        .await
        .map_err(retry)?;
    let prepared = match archive {
        Some(bytes) => Source::zip(bytes, &limits),
        None => Ok(Source::Nothing),
    }
    .and_then(|source| Batch::prepare(source, csv, limits));
    let batch = match prepared {
        Ok(batch) => batch,
        Err(error) => {
            store_failure(&db, &import.id, &error.0).await?;
            return Err(JobError::permanent(error.0));
        }
    };
    if !still_editor(&db, import.created_by.as_deref()).await? {
        let reason = "Wie de import startte, is geen redacteur van de Kennisbank meer; er werd niets geïmporteerd.";
        store_failure(&db, &import.id, reason).await?;
        return Err(JobError::permanent(reason));
    }
    let actor = match &import.created_by {
        Some(user) => AuditActor::user(user),
        None => AuditActor::system(),
    };
    let mut runner = Runner::new(&db, batch).await.map_err(retry)?;
    loop {
        let (total, done) = runner.progress();
        let message = format!("Regel {} van {total}", (done + 1).min(total));
        ctx.progress(done as i64, total as i64, &message).await?;
        if runner.step(&db, &actor).await.map_err(retry)?.is_none() {
            break;
        }
    }
    let lines = runner.finish();
    let counts = Counts::of(&lines);
    let mut tx = db.begin().await.map_err(retry)?;
    imports::finish(&mut tx, &import.id, Ok(&lines))
        .await
        .map_err(retry)?;
    tx.commit().await.map_err(retry)?;
    ctx.progress(lines.len() as i64, lines.len() as i64, &summary(&counts))
        .await?;
    Ok(())
}
