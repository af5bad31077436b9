//! `steden kennisbank import <map-of-zip> [--csv gegevens.csv]`: loads documents in bulk, the
//! same way as the import page of the Kennisbank (`steden_kennisbank::bulk`), in the
//! foreground. Each line is written in its own transaction; a second run of the same input
//! changes nothing. Prints the report per line and the counts.
//!
//! Exit codes: 0 when every line was imported (or already was), 2 when some lines were
//! refused (the others are imported), 1 when the import could not run at all.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{anyhow, Context};
use steden_core::audit::AuditActor;
use steden_db::Db;
use steden_kennisbank::bulk::{self, job::summary, Batch, Counts, Limits, LineReport, Outcome};

use crate::cli::KbImportArgs;
use crate::database;

/// The largest zip read from disk (a folder has no such bound: its files are read one by one).
const MAX_ZIP_BYTES: u64 = 1024 * 1024 * 1024;

pub async fn import(args: KbImportArgs) -> anyhow::Result<ExitCode> {
    let db = database::open(&args.db).await?;
    let result = run(&db, &args).await;
    db.close().await;
    let lines = result?;
    for line in &lines {
        println!("{}", describe(line));
    }
    let counts = Counts::of(&lines);
    println!("Klaar: {}.", summary(&counts));
    if let Some(path) = &args.rapport {
        std::fs::write(path, bulk::report_csv(&lines))
            .with_context(|| format!("kan het rapport niet schrijven naar {}", path.display()))?;
        println!("Rapport geschreven naar {}.", path.display());
    }
    Ok(if counts.geweigerd > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// One line of the report as printed.
fn describe(line: &LineReport) -> String {
    let place = match (line.line, &line.file) {
        (0, Some(file)) => file.clone(),
        (n, _) => format!("regel {n}"),
    };
    let what = match &line.document_id {
        Some(id) => format!("{} ({id})", line.title),
        None => line.title.clone(),
    };
    match (line.outcome, &line.reason) {
        (Outcome::Geweigerd, Some(reason)) => format!("{place}: geweigerd — {reason}"),
        (outcome, _) => format!("{place}: {} — {what}", outcome.as_str()),
    }
}

/// Reads a file of at most `limit` bytes.
fn read_file(path: &Path, limit: u64, what: &str) -> anyhow::Result<Vec<u8>> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("kan {what} {} niet openen", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("kan {what} {} niet lezen", path.display()))?;
    if bytes.len() as u64 > limit {
        return Err(anyhow!(
            "{what} {} is groter dan {} MB",
            path.display(),
            limit / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

/// What the command does, with the report per line.
pub async fn run(db: &Db, args: &KbImportArgs) -> anyhow::Result<Vec<LineReport>> {
    // The tables must be there (and current) before anything is written.
    steden_db::migrate::run(db, &database::migrations(&database::modules())).await?;
    let limits = Limits {
        max_entries: usize::try_from(args.max_bestanden).unwrap_or(usize::MAX),
        ..Limits::default()
    };
    let source = if args.bron.is_dir() {
        bulk::Source::folder(&args.bron)?
    } else {
        let bytes = read_file(&args.bron, MAX_ZIP_BYTES, "het zip-bestand")?;
        bulk::Source::zip(bytes, &limits)?
    };
    let csv = match &args.csv {
        Some(path) => Some(read_file(path, limits.max_csv_bytes as u64, "de CSV")?),
        None => None,
    };
    let batch = Batch::prepare(source, csv, limits)?;
    Ok(bulk::run(db, batch, &AuditActor::system()).await?)
}
