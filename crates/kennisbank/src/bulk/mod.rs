//! Bulk import of the archive: a folder (command line) or a zip (command line and web) of
//! documents with a CSV of metadata, or a CSV of links alone.
//!
//! - The CSV ([`metadata`]) names per line a `bestand` (a path in the folder or zip) or a
//!   `webadres`, and the document's fields. Without a CSV (and without a `metadata.csv` at the
//!   root) every file becomes a document titled after its name.
//! - Each line has an **import key**: `sleutel:<column sleutel>` when the CSV gives one, else
//!   `sha256:<of the file>`, else `webadres:<the link>`. The table `kb_import_keys` maps it to
//!   the document it made, with a fingerprint of the line: a second run of the same input
//!   reports every line `ongewijzigd` and writes nothing; a changed line updates its document
//!   (`bijgewerkt`); a line whose document was deleted creates it again.
//! - Each line is written in its own transaction through the document store's `create` and
//!   `update` ([`apply`]), with the key: a refused line (`geweigerd`, with the Dutch reason)
//!   writes nothing, and the lines before and after it are not affected.
//! - Zips are read as hostile input ([`source`], [`limits`]).
//!
//! [`job`] runs an import uploaded on the web page as the job `kennisbank.import`; the
//! command `steden kennisbank import` runs the same [`Runner`] in the foreground.

pub mod apply;
pub mod job;
pub mod limits;
pub mod metadata;
pub mod source;

use steden_core::audit::AuditActor;
use steden_core::CoreError;
use steden_db::Db;

pub use crate::model::imports::{Counts, LineReport, Outcome};
pub use limits::{BulkError, Limits};
pub use source::Source;

use apply::{Directory, Seen};
use metadata::Row;

/// An import ready to run: where the files are, the lines, and the zip entries refused by
/// their name or kind before any line runs.
pub struct Batch {
    source: Source,
    rows: Vec<Row>,
    early: Vec<LineReport>,
    limits: Limits,
}

impl Batch {
    /// The lines of `csv`, else of the source's `metadata.csv`, else one per file.
    pub fn prepare(
        mut source: Source,
        csv: Option<Vec<u8>>,
        limits: Limits,
    ) -> Result<Batch, BulkError> {
        let early = source
            .refused()
            .into_iter()
            .map(|(name, reason)| apply::refused(0, Some(name), String::new(), reason))
            .collect();
        let csv = match csv {
            Some(csv) => Some(csv),
            None => source.metadata_csv(&limits)?,
        };
        let rows = match csv {
            Some(csv) => metadata::parse(&csv, &limits)?,
            None => {
                let files = source.files(&limits)?;
                if files.is_empty() {
                    return Err(BulkError::new(
                        "Er is niets te importeren: geen bestanden en geen CSV.",
                    ));
                }
                files
                    .iter()
                    .enumerate()
                    .map(|(i, path)| Row::for_file(i + 1, path))
                    .collect()
            }
        };
        Ok(Batch {
            source,
            rows,
            early,
            limits,
        })
    }

    /// How many lines the report will have.
    pub fn len(&self) -> usize {
        self.early.len() + self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Runs a [`Batch`] line by line, so that the caller can report progress between lines.
pub struct Runner {
    batch: Batch,
    directory: Directory,
    seen: Seen,
    next: usize,
    reports: Vec<LineReport>,
}

impl Runner {
    pub async fn new(db: &Db, batch: Batch) -> Result<Runner, CoreError> {
        let reports = batch.early.clone();
        Ok(Runner {
            directory: Directory::load(db).await?,
            seen: Seen::default(),
            next: 0,
            reports,
            batch,
        })
    }

    /// Lines in all, and lines done.
    pub fn progress(&self) -> (usize, usize) {
        (self.batch.len(), self.reports.len())
    }

    /// Runs the next line; `None` when every line ran. `Err` is database trouble: the lines
    /// done so far stay done, and a new run picks up the rest (their keys make it safe).
    pub async fn step(
        &mut self,
        db: &Db,
        actor: &AuditActor,
    ) -> Result<Option<&LineReport>, CoreError> {
        let Some(row) = self.batch.rows.get(self.next) else {
            return Ok(None);
        };
        let report = apply::apply(
            db,
            row,
            &mut self.batch.source,
            &self.directory,
            &self.batch.limits,
            &mut self.seen,
            actor,
        )
        .await?;
        self.next += 1;
        self.reports.push(report);
        Ok(self.reports.last())
    }

    /// The report, once every line ran.
    pub fn finish(self) -> Vec<LineReport> {
        self.reports
    }
}

/// Runs a whole batch (tests, the command line).
pub async fn run(db: &Db, batch: Batch, actor: &AuditActor) -> Result<Vec<LineReport>, CoreError> {
    let mut runner = Runner::new(db, batch).await?;
    while runner.step(db, actor).await?.is_some() {}
    Ok(runner.finish())
}

/// The report as CSV (semicolons, formulas defused by the shell's writer): `rapport.csv`.
pub fn report_csv(lines: &[LineReport]) -> Vec<u8> {
    let mut writer = steden_web::csv::CsvWriter::new();
    writer.row([
        "regel",
        "resultaat",
        "sleutel",
        "bestand",
        "titel",
        "document",
        "reden",
    ]);
    for line in lines {
        writer.row([
            line.line.to_string(),
            line.outcome.as_str().to_string(),
            line.key.clone().unwrap_or_default(),
            line.file.clone().unwrap_or_default(),
            line.title.clone(),
            line.document_id.clone().unwrap_or_default(),
            line.reason.clone().unwrap_or_default(),
        ]);
    }
    writer.finish()
}
