//! Bulk imports of the archive (run by [`crate::bulk`], stored by [`crate::store::imports`]):
//! what happened to each line, and an import started from the web.

use serde::{Deserialize, Serialize};

/// What an import did with one line (or one file, without a CSV).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// A new document.
    Aangemaakt,
    /// The document of this key got the line's new metadata (or file).
    Bijgewerkt,
    /// The line is as it was imported before: nothing written.
    Ongewijzigd,
    /// Refused, with a reason; nothing of this line was written.
    Geweigerd,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Aangemaakt,
        Outcome::Bijgewerkt,
        Outcome::Ongewijzigd,
        Outcome::Geweigerd,
    ];

    /// The word in reports (and in the CSV report).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Aangemaakt => "aangemaakt",
            Outcome::Bijgewerkt => "bijgewerkt",
            Outcome::Ongewijzigd => "ongewijzigd",
            Outcome::Geweigerd => "geweigerd",
        }
    }
}

/// The report of one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineReport {
    /// The line of the CSV (the header is line 1), or the file's place in the folder or zip
    /// when there is no CSV; 0 for a problem with a file no line names.
    pub line: usize,
    /// The import key (`sleutel:…`, `sha256:…`, `webadres:…`), when it got that far.
    pub key: Option<String>,
    /// The file named by the line (path in the folder or zip).
    pub file: Option<String>,
    pub title: String,
    pub outcome: Outcome,
    /// The document created, changed or left alone.
    pub document_id: Option<String>,
    /// Why a line was refused, in Dutch.
    pub reason: Option<String>,
}

/// The counts of a report, per outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub aangemaakt: usize,
    pub bijgewerkt: usize,
    pub ongewijzigd: usize,
    pub geweigerd: usize,
}

impl Counts {
    pub fn of(lines: &[LineReport]) -> Counts {
        let mut counts = Counts::default();
        for line in lines {
            match line.outcome {
                Outcome::Aangemaakt => counts.aangemaakt += 1,
                Outcome::Bijgewerkt => counts.bijgewerkt += 1,
                Outcome::Ongewijzigd => counts.ongewijzigd += 1,
                Outcome::Geweigerd => counts.geweigerd += 1,
            }
        }
        counts
    }
}

/// Where an import started from the web is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStatus {
    /// Uploaded; the job has not started yet.
    Ontvangen,
    Bezig,
    /// Done: the report is there (lines may have been refused).
    Klaar,
    /// The import as a whole could not run (unreadable zip or CSV): the reason is in `error`.
    Mislukt,
}

impl ImportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Ontvangen => "ontvangen",
            ImportStatus::Bezig => "bezig",
            ImportStatus::Klaar => "klaar",
            ImportStatus::Mislukt => "mislukt",
        }
    }

    pub fn parse(value: &str) -> Option<ImportStatus> {
        [
            ImportStatus::Ontvangen,
            ImportStatus::Bezig,
            ImportStatus::Klaar,
            ImportStatus::Mislukt,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

/// An import started from the web.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRun {
    pub id: String,
    pub status: ImportStatus,
    pub archive_name: Option<String>,
    pub csv_name: Option<String>,
    pub job_id: Option<String>,
    pub report: Vec<LineReport>,
    pub error: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}
