//! XLSX with calamine: per sheet its name, then its rows with cells separated by tabs.
//!
//! calamine unpacks the package itself, so the whole archive is first measured through the
//! [`Guard`]'s counting reader (unpacked and thrown away): a zip bomb is refused before calamine
//! touches it. That costs a second inflate, which is cheap next to parsing.

use std::io::Cursor;

use calamine::{Reader, Xlsx};

use super::error::ExtractError;
use super::guard::{Guard, TextSink};
use super::office::{open_zip, title_from};
use super::types::{Extracted, Limits};

pub(super) fn extract(
    bytes: &[u8],
    limits: &Limits,
    guard: &Guard,
) -> Result<Extracted, ExtractError> {
    let title = measure(bytes, limits, guard)?;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::Malformed(format!("ongeldig Excel-bestand ({e})")))?;
    let mut sink = TextSink::new(limits.max_text_chars);
    let names = workbook.sheet_names();
    for name in &names {
        guard.check_time()?;
        if sink.is_full() {
            break;
        }
        let range = workbook
            .worksheet_range(name)
            .map_err(|e| ExtractError::Malformed(format!("werkblad {name} is onleesbaar ({e})")))?;
        sink.push(name);
        sink.newline();
        for (i, row) in range.rows().enumerate() {
            if i.is_multiple_of(1024) {
                guard.check_time()?;
            }
            push_row(row, &mut sink);
        }
        sink.push("\n");
    }
    let (text, truncated) = sink.finish();
    Ok(Extracted {
        text,
        title,
        pages_or_parts: names.len(),
        truncated,
        notice: None,
    })
}

/// Unpacks every entry through the guard, so its budget and deadline hold for calamine too;
/// answers the title from `docProps/core.xml` on the way.
fn measure(bytes: &[u8], limits: &Limits, guard: &Guard) -> Result<Option<String>, ExtractError> {
    let mut archive = open_zip(bytes, limits, guard)?;
    let title = title_from(&mut archive, "docProps/core.xml", guard)?;
    for i in 0..archive.len() {
        guard.check_time()?;
        let file = archive.by_index(i).map_err(|e| {
            ExtractError::Malformed(format!("onderdeel kan niet gelezen worden ({e})"))
        })?;
        guard.drain(file)?;
    }
    Ok(title)
}

/// One row, tab-separated, trailing empty cells left out; empty rows are skipped.
fn push_row(row: &[calamine::Data], sink: &mut TextSink) {
    let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
    let used = cells
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |i| i + 1);
    if used == 0 {
        return;
    }
    sink.push(&cells[..used].join("\t"));
    sink.push("\n");
}
