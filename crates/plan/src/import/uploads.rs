//! Uploaded import files (plan_imports): the file is kept (base64, with its SHA-256) from the
//! upload until the job has imported it, so that the mapping screen, the preview and the job —
//! on any server — all read the same bytes. [`parse`] turns a stored upload into a parsed file
//! with the stored column mapping, or the problems to show (nothing is written then).

use serde::{Deserialize, Serialize};
use steden_core::error::CoreResult;

use super::bbc::{self, BbcImport, ColumnGuess, ColumnMapping, Table};
use super::jaarplan::{self, Jaarplan};
use super::own_export::{self, OwnExport, RowProblem};
use super::write::{self, ImportPlan};
pub use crate::model::imports::{ImportKind, Upload, UploadOptions, MAX_BYTES};
pub use crate::store::imports::{
    content, create, find, get, list_for_plan, set_mapping, set_status,
};

/// A parsed upload.
#[derive(Debug, Clone)]
pub enum Parsed {
    Jaarplan(Box<Jaarplan>),
    Bbc(Box<BbcImport>),
    Export(Box<OwnExport>),
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

/// The problems as one line of text: "regel 3: …; regel 9: …" (the first ten).
pub fn problems_text(problems: &[Problem]) -> String {
    let mut parts: Vec<String> = problems
        .iter()
        .take(10)
        .map(|p| match p.line {
            Some(line) => format!("regel {line}: {}", p.message),
            None => p.message.clone(),
        })
        .collect();
    if problems.len() > 10 {
        parts.push(format!("en nog {} andere", problems.len() - 10));
    }
    parts.join("; ")
}

/// The result kept with a refused upload (status "rejected"): its reason.
pub fn rejection(problems: &[Problem]) -> serde_json::Value {
    serde_json::json!({ "error": problems_text(problems) })
}

/// Parses stored bytes as `kind`, with the stored mapping for BBC files.
pub fn parse(kind: ImportKind, bytes: &[u8], options: &UploadOptions) -> Result<Parsed, Refusal> {
    match kind {
        ImportKind::Jaarplan => parse_jaarplan(bytes),
        ImportKind::Bbc => parse_bbc(bytes, options.mapping.as_ref()),
        ImportKind::Export => own_export::parse(bytes)
            .map(|e| Parsed::Export(Box::new(e)))
            .map_err(|found| Refusal::Problems(problems(found))),
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

fn problems(found: Vec<RowProblem>) -> Vec<Problem> {
    found
        .into_iter()
        .map(|p| Problem {
            line: p.line,
            message: p.message,
        })
        .collect()
}

/// What importing a parsed upload into the plan would do; an own export whose rows do not
/// fit the plan is refused with the reasons joined (see [`plan_checked`] for them per row).
pub async fn plan(
    conn: &mut sqlx::AnyConnection,
    plan_id: &str,
    parsed: &Parsed,
) -> CoreResult<ImportPlan> {
    plan_checked(conn, plan_id, parsed).await?.map_err(|found| {
        let reasons: Vec<String> = found
            .iter()
            .map(|p| match p.line {
                Some(line) => format!("regel {line}: {}", p.message),
                None => p.message.clone(),
            })
            .collect();
        steden_core::CoreError::invalid("bestand", &reasons.join("; "))
    })
}

/// What importing a parsed upload into the plan would do, or the problems per row that only
/// the plan shows (an own export's unknown parent code, a code taken, …).
pub async fn plan_checked(
    conn: &mut sqlx::AnyConnection,
    plan_id: &str,
    parsed: &Parsed,
) -> CoreResult<Result<ImportPlan, Vec<Problem>>> {
    Ok(match parsed {
        Parsed::Jaarplan(j) => Ok(write::plan_jaarplan(conn, plan_id, j).await?),
        Parsed::Bbc(b) => Ok(write::plan_bbc(conn, plan_id, b).await?),
        Parsed::Export(e) => own_export::plan(conn, plan_id, e).await?.map_err(problems),
    })
}
