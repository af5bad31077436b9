//! Importing values from files: parse → preview (rows, and every error per line in Dutch) →
//! confirm → the job "cijfers.import" writes everything in one transaction, or nothing.
//!
//! - [`numbers`]: numbers and statuses in cells, under the file's decimal mark;
//! - [`table`]: generic CSV in long form and in wide form (with a column mapping), and the Swing
//!   bulk format and its metadata file;
//! - [`statbel`]: Statbel's population structure (pipe-separated, BOM, maybe zipped);
//! - [`fluvius`]: Fluvius energy use per statistical sector;
//! - [`check`]: the rows against what the platform knows (indicators, places, rights);
//! - [`jobs`]: the job, callable directly.
//!
//! Importing the same file twice writes the same values again (one per indicator, place and
//! period); the checksum of each upload is recorded.

pub mod check;
pub mod fluvius;
pub mod jobs;
pub mod numbers;
pub mod statbel;
pub mod table;

use serde::{Deserialize, Serialize};

use crate::model::{GeoLevel, ImportKind, ValueStatus};
use crate::store::indicators::IndicatorFields;
use numbers::DecimalMark;

/// The largest file the importer reads (also the upload limit), in bytes.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The most bytes unpacked from a zip.
pub const MAX_UNPACKED_BYTES: u64 = 200 * 1024 * 1024;
/// The most data lines a file may have.
pub const MAX_LINES: usize = 500_000;
/// The most errors reported (the rest are counted).
pub const MAX_REPORTED_ERRORS: usize = 200;

/// One value read from a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The line in the file (1 = the header), for messages.
    pub line: usize,
    pub indicator: String,
    /// The level, when the file says it (Swing, Fluvius); otherwise found from the code.
    pub level: Option<GeoLevel>,
    pub geo: String,
    /// The municipality the file places the area in, when it says (checked against ours).
    pub municipality: Option<String>,
    pub period: String,
    pub value: Option<f64>,
    pub status: ValueStatus,
}

/// A problem on one line (0: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl LineError {
    pub fn new(line: usize, message: impl Into<String>) -> LineError {
        LineError {
            line,
            message: message.into(),
        }
    }

    /// "Regel 4: …" or the message alone for the whole file.
    pub fn text(&self) -> String {
        if self.line == 0 {
            self.message.clone()
        } else {
            format!("Regel {}: {}", self.line, self.message)
        }
    }
}

/// What a file holds: values, indicator definitions it brings, and its errors.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub rows: Vec<Row>,
    pub indicators: Vec<IndicatorFields>,
    pub errors: Vec<LineError>,
    /// The file's column headers (the mapping screen of the wide form).
    pub columns: Vec<String>,
}

/// How to read a file, chosen on the upload form (and the mapping screen).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    pub decimal_mark: DecimalMark,
    /// The wide form: per column `geo`, `period`, `level`, `skip` or an indicator code. Empty:
    /// guessed from the headers.
    #[serde(default)]
    pub mapping: Vec<String>,
}

/// Reads `text` (UTF-8 without BOM) as a file of `kind`. `filename` gives Statbel's year.
pub fn parse(kind: ImportKind, filename: &str, text: &str, options: &Options) -> Parsed {
    let mut parsed = match kind {
        ImportKind::LongCsv => table::parse_long(text, options.decimal_mark),
        ImportKind::WideCsv | ImportKind::Swing => {
            table::parse_wide(text, options.decimal_mark, &options.mapping)
        }
        ImportKind::SwingMeta => table::parse_swing_meta(text),
        ImportKind::StatbelPopulation => statbel::parse(text, filename),
        ImportKind::Fluvius => fluvius::parse(text, options.decimal_mark),
    };
    if parsed.rows.is_empty() && parsed.indicators.is_empty() && parsed.errors.is_empty() {
        parsed
            .errors
            .push(LineError::new(0, "Het bestand bevat geen gegevens."));
    }
    parsed
}

/// What the parts of an uploaded workbook may unpack to, together: calamine holds the first
/// sheet whole, so this bounds the memory one XLSX import takes.
pub const MAX_WORKBOOK_UNPACKED_BYTES: u64 = 50 * 1024 * 1024;

/// The text of an uploaded file: an XLSX workbook's first sheet as semicolon CSV (numbers with
/// `mark`), a zip's first text or CSV file unpacked (bounded), a UTF-8 BOM dropped. `Err` with
/// a Dutch reason for what is no UTF-8 text and no readable workbook.
pub fn file_text(bytes: &[u8], mark: DecimalMark) -> Result<String, String> {
    if steden_web::xlsx::is_workbook(bytes) {
        return workbook_text(bytes, mark);
    }
    let unpacked;
    let bytes = if bytes.starts_with(b"PK\x03\x04") {
        unpacked = unzip_first_text(bytes)?;
        unpacked.as_slice()
    } else {
        bytes
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec())
        .map_err(|_| "Het bestand is geen UTF-8-tekst. Bewaar het als CSV in UTF-8.".to_string())
}

/// The first sheet of a workbook as the semicolon CSV the parsers read. A number cell is
/// written with the file's decimal mark (so typed numbers and numbers kept as text read the
/// same way), a date cell as `YYYY-MM-DD`; at most one line over [`MAX_LINES`], so the parser
/// reports the file as too long.
fn workbook_text(bytes: &[u8], mark: DecimalMark) -> Result<String, String> {
    use calamine::Data;
    let sheet = steden_web::xlsx::first_sheet(bytes, MAX_WORKBOOK_UNPACKED_BYTES)
        .map_err(|refusal| refusal.0)?;
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    for row in sheet.rows().take(MAX_LINES + 2) {
        let cells = row.iter().map(|cell| match cell {
            Data::Float(_) | Data::Int(_) if mark == DecimalMark::Comma => {
                steden_web::xlsx::cell_text(cell).replace('.', ",")
            }
            _ => steden_web::xlsx::cell_text(cell),
        });
        writer
            .write_record(cells)
            .map_err(|_| "Het werkblad kon niet gelezen worden.".to_string())?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|_| "Het werkblad kon niet gelezen worden.".to_string())?;
    String::from_utf8(bytes).map_err(|_| "Het werkblad bevat geen geldige tekst.".to_string())
}

fn unzip_first_text(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| "Het zipbestand is onleesbaar.".to_string())?;
    for index in 0..archive.len().min(1000) {
        let file = archive
            .by_index(index)
            .map_err(|_| "Het zipbestand is onleesbaar.".to_string())?;
        let name = file.name().map(|n| n.to_lowercase()).unwrap_or_default();
        if file.is_file() && (name.ends_with(".txt") || name.ends_with(".csv")) {
            let mut out = Vec::new();
            file.take(MAX_UNPACKED_BYTES + 1)
                .read_to_end(&mut out)
                .map_err(|_| "Het zipbestand is onleesbaar.".to_string())?;
            if out.len() as u64 > MAX_UNPACKED_BYTES {
                return Err("Het uitgepakte bestand is groter dan 200 MB.".into());
            }
            return Ok(out);
        }
    }
    Err("Het zipbestand bevat geen .txt- of .csv-bestand.".into())
}

/// Every error once, the first [`MAX_REPORTED_ERRORS`] in full.
pub fn error_texts(errors: &[LineError]) -> Vec<String> {
    let mut out: Vec<String> = errors
        .iter()
        .take(MAX_REPORTED_ERRORS)
        .map(LineError::text)
        .collect();
    if errors.len() > MAX_REPORTED_ERRORS {
        out.push(format!(
            "… en nog {} fouten.",
            errors.len() - MAX_REPORTED_ERRORS
        ));
    }
    out
}
