//! The job `nieuwsbrief.import` {import_id, base_url}: reads the stored file line by line and
//! writes it in transactions of [`BATCH_LINES`] lines — the subscribers, their consent rows,
//! the confirmation mails in the outbox, the refused lines and the counts, together — so that
//! the progress bar moves and a failure mid-way leaves the report of what was written. A retry
//! resumes after the last written batch (the earlier lines are read again only to know their
//! addresses, for "dubbel in het bestand").

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_db::jobs::{self, JobContext, JobError, NewJob, Registry};
use steden_db::{Db, Tx};

use super::check::{self, Checked};
use super::source::{Line, Sheet};
use super::LegalBasis;
use crate::links;
use crate::mails;
use crate::store::import_write::{self, Applied, Rules};
use crate::store::imports::{self, Counts, Import, RefusedLine};
use crate::store::{lists, subscribers};

/// The job's kind.
pub const IMPORT_JOB: &str = "nieuwsbrief.import";

/// Lines per transaction.
pub const BATCH_LINES: usize = 500;

/// The job's payload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    pub import_id: String,
    /// The site's address, for the links in the confirmation mails.
    pub base_url: String,
}

/// Queues the job for an import, in the upload's transaction; returns the job's id.
pub async fn queue(
    tx: &mut Tx<'_>,
    payload: &Payload,
    created_by: Option<&str>,
) -> Result<String, sqlx::Error> {
    let mut job = NewJob::new(IMPORT_JOB, serde_json::json!(payload)).max_attempts(5);
    if let Some(user) = created_by {
        job = job.created_by(user);
    }
    jobs::enqueue_tx(tx, job).await
}

pub fn register_jobs(registry: &mut Registry) {
    registry.register(IMPORT_JOB, |ctx: JobContext, payload| async move {
        let payload: Payload = serde_json::from_value(payload)?;
        let result = run(&ctx, &payload).await;
        if let Err(error) = &result {
            // The last attempt failed: the import stops, with what was written so far.
            if ctx.is_last_attempt() || error.is_permanent() {
                let message = format!("De import is onderbroken: {error}");
                stop(ctx.db(), &payload.import_id, &message).await?;
            }
        }
        result
    });
}

fn retry(error: impl std::fmt::Display) -> JobError {
    JobError::retry(error)
}

/// The legal basis as the consent rows record it: "toestemming: …; bron: …".
pub fn legal_basis_text(import: &Import) -> Option<String> {
    legal_basis_line(
        import.basis_kind.as_deref().and_then(LegalBasis::parse),
        import.basis_text.as_deref().unwrap_or(""),
        import.source.as_deref().unwrap_or(""),
    )
}

/// The legal basis as the consent rows record it, from its parts (the import's and the API's
/// additions of subscribers write the same text).
pub fn legal_basis_line(kind: Option<LegalBasis>, text: &str, source: &str) -> Option<String> {
    let text = text.trim();
    let source = source.trim();
    if kind.is_none() && text.is_empty() && source.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    match (kind, text.is_empty()) {
        (Some(kind), true) => parts.push(kind.as_str().to_string()),
        (Some(kind), false) => parts.push(format!("{}: {text}", kind.as_str())),
        (None, false) => parts.push(text.to_string()),
        (None, true) => {}
    }
    if !source.is_empty() {
        parts.push(format!("bron: {source}"));
    }
    Some(parts.join("; "))
}

async fn run(ctx: &JobContext, payload: &Payload) -> Result<(), JobError> {
    let db = ctx.db();
    let Some(import) = imports::find(db.pool(), &payload.import_id)
        .await
        .map_err(retry)?
    else {
        return Ok(());
    };
    if import.status.is_finished() {
        return Ok(());
    }
    let bytes = imports::file(db, &import.id).await.map_err(retry)?;
    let kind = import.kind;
    // Parsing (calamine's especially) is CPU work: off the async threads.
    let opened = tokio::task::spawn_blocking(move || Sheet::open(kind, bytes))
        .await
        .map_err(retry)?;
    let mut sheet = match opened {
        Ok(sheet) => sheet,
        Err(refusal) => {
            stop(db, &import.id, &refusal.0).await?;
            return Ok(());
        }
    };
    let total = sheet.total as i64;
    imports::start(db, &import.id, total).await.map_err(retry)?;
    let all_lists = lists::list_all(db.pool()).await?;
    let chosen: Vec<lists::List> = all_lists
        .iter()
        .filter(|l| import.lists.contains(&l.slug))
        .cloned()
        .collect();
    let signer = links::signer(db).await?;
    let source = format!("import:{}", import.file_name);
    let legal_basis = legal_basis_text(&import);
    let rules = Rules {
        source: &source,
        legal_basis: legal_basis.as_deref(),
        confirmed: import.confirmed,
        readd: import.readd,
    };
    let writer = Writer {
        db,
        import: &import,
        rules,
        signer: &signer,
        base_url: &payload.base_url,
    };

    let mut seen = HashSet::new();
    let mut done = 0i64;
    let mut batch: Vec<Result<Checked, RefusedLine>> = Vec::with_capacity(BATCH_LINES);
    while let Some(line) = next(&mut sheet)? {
        let checked = check::check(&line, &mut seen, &chosen, &all_lists)
            .map_err(|refused| refused_line(&line, refused.0.as_str(), &refused.1));
        done += 1;
        // Written by an earlier attempt: only its address counted (in `seen`, above).
        if done <= import.processed {
            continue;
        }
        batch.push(checked);
        if batch.len() == BATCH_LINES {
            writer.write(&mut batch, done).await?;
            ctx.progress(done, total, &progress_text(done, total))
                .await?;
        }
    }
    writer.write(&mut batch, done).await?;
    ctx.progress(total, total, &progress_text(total, total))
        .await?;
    writer.finish().await
}

fn next(sheet: &mut Sheet) -> Result<Option<Line>, JobError> {
    // The file was read whole before the first line was written, so this is not expected;
    // should it happen, the import stops with the reason.
    sheet
        .next_line()
        .map_err(|refusal| JobError::permanent(refusal.0))
}

fn progress_text(done: i64, total: i64) -> String {
    format!("{done} van {total} regels verwerkt")
}

fn refused_line(line: &Line, reason: &str, detail: &str) -> RefusedLine {
    RefusedLine {
        line: line.number as i64,
        email: check::cut(&line.email),
        reason: reason.to_string(),
        detail: detail.to_string(),
    }
}

/// Writes the batches of one import.
struct Writer<'a> {
    db: &'a Db,
    import: &'a Import,
    rules: Rules<'a>,
    signer: &'a steden_core::signed_link::Signer,
    base_url: &'a str,
}

impl Writer<'_> {
    /// Writes `batch` in one transaction and empties it; `done` lines of the file are then
    /// handled.
    async fn write(
        &self,
        batch: &mut Vec<Result<Checked, RefusedLine>>,
        done: i64,
    ) -> Result<(), JobError> {
        if batch.is_empty() {
            return Ok(());
        }
        let now = steden_db::now_ms();
        let mut tx = self.db.begin().await?;
        let mut counts = Counts::default();
        let mut refused = Vec::new();
        for item in batch.iter() {
            let line = match item {
                Ok(line) => line,
                Err(line) => {
                    refused.push(line.clone());
                    continue;
                }
            };
            let applied = import_write::apply(&mut tx, line, &self.rules, now)
                .await
                .map_err(retry)?;
            let mail = match applied {
                Applied::Created {
                    subscriber_id,
                    mail,
                } => {
                    counts.created += 1;
                    mail.then_some(subscriber_id)
                }
                Applied::Updated {
                    subscriber_id,
                    mail,
                } => {
                    counts.updated += 1;
                    mail.then_some(subscriber_id)
                }
                Applied::Unchanged => {
                    counts.unchanged += 1;
                    None
                }
                Applied::Refused(reason) => {
                    refused.push(RefusedLine {
                        line: line.number as i64,
                        email: check::cut(&line.email),
                        reason: reason.as_str().to_string(),
                        detail: String::new(),
                    });
                    None
                }
            };
            if let Some(subscriber_id) = mail {
                let subscriber = subscribers::get(&mut *tx, &subscriber_id)
                    .await
                    .map_err(retry)?;
                mails::queue_confirmation(&mut tx, self.signer, self.base_url, &subscriber, now)
                    .await?;
            }
        }
        counts.refused = refused.len() as i64;
        imports::record_batch(&mut tx, &self.import.id, done, &counts, &refused)
            .await
            .map_err(retry)?;
        tx.commit().await?;
        batch.clear();
        Ok(())
    }

    /// Marks the import done, with its audit entry.
    async fn finish(&self) -> Result<(), JobError> {
        let now = steden_db::now_ms();
        let mut tx = self.db.begin().await?;
        imports::finish(&mut tx, &self.import.id, None, now)
            .await
            .map_err(retry)?;
        let done = imports::find(&mut *tx, &self.import.id)
            .await
            .map_err(retry)?
            .map(|i| i.counts)
            .unwrap_or_default();
        let actor = match &self.import.created_by {
            Some(user) => AuditActor::user(user),
            None => AuditActor::system(),
        };
        let summary = format!(
            "Import van {} klaar: {} nieuw, {} bijgewerkt, {} ongewijzigd, {} geweigerd",
            self.import.file_name, done.created, done.updated, done.unchanged, done.refused
        );
        audit::record(
            &mut tx,
            NewEntry {
                actor: &actor,
                organisation_id: None,
                entity_type: "nb_import",
                entity_id: &self.import.id,
                action: "import-done",
                summary: &summary,
                changes: Changes::new()
                    .field("created", 0, done.created)
                    .field("updated", 0, done.updated)
                    .field("refused", 0, done.refused),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Ends an import that could not be (fully) read, with the reason.
async fn stop(db: &Db, import_id: &str, reason: &str) -> Result<(), JobError> {
    let mut tx = db.begin().await?;
    imports::finish(&mut tx, import_id, Some(reason), steden_db::now_ms())
        .await
        .map_err(retry)?;
    tx.commit().await?;
    Ok(())
}
