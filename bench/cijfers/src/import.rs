//! The import of a million values through the platform's own path: `import::jobs::preview`
//! (read the upload, parse, check against the database, keep it), `confirm` (queue the job)
//! and `run` (the job "cijfers.import" itself, called directly as its handler does: parse and
//! check again, write every value with the store's upsert in one transaction, the disclosure
//! step, the audit entry).

use std::time::{Duration, Instant};

use steden_cijfers::import::jobs::{self, Upload};
use steden_cijfers::import::Options;
use steden_cijfers::model::ImportKind;
use steden_core::audit::AuditActor;
use steden_db::Db;

pub struct ImportReport {
    pub bytes: usize,
    pub values: usize,
    pub preview: Duration,
    pub run: Duration,
}

pub async fn import(db: &Db, file: &[u8]) -> anyhow::Result<ImportReport> {
    let kenniscentrum = steden_cijfers::access::kenniscentrum_id(db).await?;
    let actor = AuditActor::system();
    let started = Instant::now();
    let (id, report) = jobs::preview(
        db,
        &Upload {
            kind: ImportKind::Swing,
            filename: "bench-1m.csv",
            bytes: file,
            options: Options::default(),
            organisation_id: &kenniscentrum,
            created_by: None,
        },
    )
    .await?;
    let preview = started.elapsed();
    if !report.errors.is_empty() {
        anyhow::bail!(
            "the import file has errors: {:?}",
            &report.errors[..3.min(report.errors.len())]
        );
    }
    jobs::confirm(db, &id, &actor).await?;
    let started = Instant::now();
    let written = jobs::run(db, &id, &actor, |_, _, _| async { Ok(()) })
        .await
        .map_err(|e| anyhow::anyhow!("import job: {e:?}"))?;
    let run = started.elapsed();
    Ok(ImportReport {
        bytes: file.len(),
        values: written,
        preview,
        run,
    })
}
