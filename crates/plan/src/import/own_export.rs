//! The plan's own XLSX export, edited in a spreadsheet and imported back: no mapping screen,
//! the same preview and job as the other imports.
//!
//! 1. [`recognise`]: the workbook has the hidden sheet `crate::export::INFO_SHEET` whose first
//!    cell is `crate::export::MARKER` (written by `crate::export::to_xlsx_with_info`);
//! 2. [`parse`] (pure): the rows of the first other sheet, columns found by the header texts
//!    that the hidden sheet lists per key (so any language, any column order), statuses and
//!    yes/no in the words the file was written with;
//! 3. [`plan`]: matched against the plan's items — by the ID column, else by code — into the
//!    shared [`ImportPlan`], or the Dutch reasons per row why the file cannot be imported
//!    (unknown parent code, duplicate code, empty title, a level not allowed, a changed code or
//!    parent, a bad status, date or progress);
//! 4. `crate::import::write::apply` writes titles, descriptions, services and the new items;
//!    [`apply_fields`] then writes status, progress, dates and prioritair through
//!    `store::items::update`, as the edit form does (history, roll-up, audit).
//!
//! What the user may do in the spreadsheet: change the title, description, status, progress,
//! dienst, dates and prioritair of a row; add a row (a new code, or none to get the next free
//! one, and the code of its parent in "Code bovenliggend"); delete a row (the item stays: an
//! import never deletes, the preview counts it as not in the file); sort or reorder the rows
//! (the tree's order is kept). Owner, themes and amounts are not read back. A new row without
//! a code gets one on import; importing the same edited file again would add it once more
//! (export again after importing).

use std::collections::HashMap;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};

use super::write::normalise;
use crate::export::{ID_COLUMN, INFO_SHEET, MARKER, PLAN_COLUMNS};
use crate::model::ItemStatus;

mod matching;

pub use matching::{apply_fields, level_name, plan, HISTORY_COMMENT};

/// A reason why the file cannot be imported, with its row as the spreadsheet shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: Option<usize>,
    pub message: String,
}

impl RowProblem {
    fn at(line: usize, message: impl Into<String>) -> RowProblem {
        RowProblem {
            line: Some(line),
            message: message.into(),
        }
    }

    fn file(message: impl Into<String>) -> RowProblem {
        RowProblem {
            line: None,
            message: message.into(),
        }
    }
}

/// One row of the file as typed. `None`: the file has no such column (nothing changes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// The row number in the spreadsheet.
    pub line: usize,
    pub id: String,
    pub code: String,
    pub level: String,
    pub parent: String,
    pub title: String,
    pub description: Option<String>,
    /// The status as typed (a label, or the stored name).
    pub status: Option<String>,
    pub progress: Option<String>,
    pub service: Option<String>,
    /// 'YYYY-MM-DD' for date cells, else the text as typed.
    pub start: Option<String>,
    pub end: Option<String>,
    pub prioritair: Option<String>,
}

/// A parsed own export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnExport {
    /// The plan the file was exported from.
    pub plan_id: Option<String>,
    pub rows: Vec<Row>,
    /// Typed label (normalised) → stored status, from the hidden sheet and the built-in words.
    pub statuses: HashMap<String, ItemStatus>,
    /// Typed word (normalised) → yes or no.
    pub booleans: HashMap<String, bool>,
}

type Sheets = Vec<(String, Range<Data>)>;

fn read_sheets(bytes: &[u8]) -> Option<Sheets> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    // calamine parses untrusted ZIP and XML: a panic must become a refusal.
    catch_unwind(AssertUnwindSafe(|| {
        let mut workbook: Xlsx<Cursor<&[u8]>> = open_workbook_from_rs(Cursor::new(bytes)).ok()?;
        let names = workbook.sheet_names();
        let mut sheets = Vec::new();
        for name in names {
            let range = workbook.worksheet_range(&name).ok()?;
            sheets.push((name, range));
        }
        Some(sheets)
    }))
    .ok()
    .flatten()
}

fn is_info(range: &Range<Data>) -> bool {
    range
        .rows()
        .next()
        .and_then(|r| r.first())
        .is_some_and(|c| text(c).trim() == MARKER)
}

/// Whether the bytes are a plan's own XLSX export (the hidden info sheet is there).
pub fn recognise(bytes: &[u8]) -> bool {
    read_sheets(bytes).is_some_and(|sheets| sheets.iter().any(|(_, r)| is_info(r)))
}

/// A cell as text; whole numbers without decimals.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 => {
            (*f as i64).to_string()
        }
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "ja" } else { "nee" }.to_string(),
        Data::DateTime(d) => serial_date(d.as_f64()).unwrap_or_else(|| d.to_string()),
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        other => other.to_string(),
    }
}

/// An Excel serial day number as 'YYYY-MM-DD'.
fn serial_date(serial: f64) -> Option<String> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let date = epoch.checked_add_signed(chrono::Duration::days(serial.floor() as i64))?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// The built-in header texts (Dutch and English) per key, for a file whose hidden sheet lists
/// no columns.
fn builtin_headers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("code", "Code"),
        ("level", "Niveau"),
        ("level", "Level"),
        ("parent", "Code bovenliggend"),
        ("parent", "Parent code"),
        ("title", "Titel"),
        ("title", "Title"),
        ("description", "Beschrijving"),
        ("description", "Description"),
        ("status", "Status"),
        ("progress", "Voortgang (%)"),
        ("progress", "Progress (%)"),
        ("service", "Dienst"),
        ("service", "Department"),
        ("start", "Begindatum"),
        ("start", "Start date"),
        ("end", "Einddatum"),
        ("end", "End date"),
        ("prioritair", "Prioritair"),
        ("prioritair", "Priority"),
        ("id", "ID"),
    ]
}

/// Reads the own export; the problems when it is not one or its header lacks a column.
pub fn parse(bytes: &[u8]) -> Result<OwnExport, Vec<RowProblem>> {
    let sheets = read_sheets(bytes).ok_or_else(|| {
        vec![RowProblem::file(
            "het bestand is geen leesbaar XLSX-bestand; importeer de XLSX-export van het plan",
        )]
    })?;
    let info = sheets.iter().find(|(_, r)| is_info(r)).map(|(_, r)| r);
    let Some(info) = info else {
        return Err(vec![RowProblem::file(format!(
            "het blad ‘{INFO_SHEET}’ van de export ontbreekt; importeer een XLSX-export van het plan zonder dat blad te verwijderen"
        ))]);
    };
    let mut export = OwnExport::default();
    let mut headers: HashMap<String, &'static str> = HashMap::new();
    let keys: Vec<&'static str> = PLAN_COLUMNS
        .iter()
        .map(|(k, _)| *k)
        .chain([ID_COLUMN.0])
        .collect();
    for (key, header) in builtin_headers() {
        headers.insert(normalise(header), key);
    }
    for status in ItemStatus::ALL {
        export.statuses.insert(normalise(status.as_str()), *status);
        export
            .statuses
            .insert(normalise(&status.as_str().replace('_', " ")), *status);
    }
    for (word, value) in [("ja", true), ("nee", false), ("yes", true), ("no", false)] {
        export.booleans.insert(word.to_string(), value);
    }
    for row in info.rows() {
        let cells: Vec<String> = row.iter().map(|c| text(c).trim().to_string()).collect();
        let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
        match cell(0) {
            "plan" => export.plan_id = Some(cell(1).to_string()).filter(|p| !p.is_empty()),
            "kolom" => {
                if let Some(key) = keys.iter().find(|k| **k == cell(1)) {
                    headers.insert(normalise(cell(2)), *key);
                }
            }
            "status" => {
                if let Some(status) = ItemStatus::parse(cell(1)) {
                    export.statuses.insert(normalise(cell(2)), status);
                }
            }
            "ja" => {
                export.booleans.insert(normalise(cell(1)), true);
            }
            "nee" => {
                export.booleans.insert(normalise(cell(1)), false);
            }
            _ => {}
        }
    }
    let data = sheets
        .iter()
        .filter(|(_, r)| !is_info(r))
        .find(|(_, r)| r.start().is_some());
    let Some((_, data)) = data else {
        return Err(vec![RowProblem::file("de export bevat geen rijen")]);
    };
    let (first_row, _) = data.start().unwrap_or((0, 0));
    let mut rows = data.rows();
    let header = rows.next().unwrap_or(&[]);
    let mut column: HashMap<&'static str, usize> = HashMap::new();
    for (c, cell) in header.iter().enumerate() {
        if let Some(key) = headers.get(&normalise(&text(cell))) {
            column.entry(*key).or_insert(c);
        }
    }
    let missing: Vec<&str> = ["code", "parent", "title"]
        .into_iter()
        .filter(|k| !column.contains_key(k))
        .collect();
    if !missing.is_empty() {
        let names: Vec<String> = missing
            .iter()
            .map(|k| match *k {
                "code" => "Code",
                "parent" => "Code bovenliggend",
                _ => "Titel",
            })
            .map(|n| format!("‘{n}’"))
            .collect();
        return Err(vec![RowProblem::at(
            first_row as usize + 1,
            format!(
                "de kolom {} ontbreekt in de eerste rij; laat de kolomkoppen van de export staan",
                names.join(" en ")
            ),
        )]);
    }
    for (i, cells) in rows.enumerate() {
        let get = |key: &str| -> Option<String> {
            column.get(key).map(|c| {
                cells
                    .get(*c)
                    .map(text)
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            })
        };
        let row = Row {
            line: first_row as usize + i + 2,
            id: get("id").unwrap_or_default(),
            code: get("code").unwrap_or_default(),
            level: get("level").unwrap_or_default(),
            parent: get("parent").unwrap_or_default(),
            title: get("title").unwrap_or_default(),
            description: get("description"),
            status: get("status"),
            progress: get("progress"),
            service: get("service"),
            start: get("start"),
            end: get("end"),
            prioritair: get("prioritair"),
        };
        let empty = [&row.id, &row.code, &row.parent, &row.title]
            .iter()
            .all(|s| s.is_empty())
            && row.description.as_deref().unwrap_or("").is_empty();
        if !empty {
            export.rows.push(row);
        }
    }
    Ok(export)
}
