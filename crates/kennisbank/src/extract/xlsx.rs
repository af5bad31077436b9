//! XLSX with calamine: per sheet its name, then its rows with cells separated by tabs.
//!
//! Memory stays near the text kept, whatever the file holds:
//!
//! - The sheets are read cell by cell with calamine's streaming reader
//!   (`worksheet_cells_reader`), never as a whole range: a sheet of millions of cells, or two
//!   cells at opposite corners (which a range would allocate as 17 billion cells), costs the
//!   text it yields. The deadline and the character limit are checked while streaming.
//! - calamine unpacks the package itself and holds some parts whole (the shared-text table,
//!   the styles, the workbook). So the whole archive is first inspected through the [`Guard`]'s
//!   counting reader ([`inspect`]): every entry is unpacked against the shared budget, and every
//!   XML part is parsed with calamine's own parser settings, so that calamine never meets what
//!   the inspection refused: one cell or shared text over [`MAX_EVENT`] bytes, a shared-text
//!   table over [`MAX_SHARED_STRINGS`] entries or [`MAX_SHARED_BYTES`] (also when its
//!   `uniqueCount` only claims so: calamine reserves that many entries up front), and the
//!   structure parts (styles, workbook, relationships) over [`MAX_SMALL_PART`] or
//!   [`MAX_STRUCTURE_ELEMENTS`] elements. That costs a second inflate and parse, cheap next to
//!   an unbounded one.

use std::io::{BufRead, BufReader, Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use quick_xml::events::Event;

use super::error::ExtractError;
use super::guard::{CountingReader, Guard, TextSink};
use super::office::{open_zip, title_from, MAX_EVENT, MAX_SMALL_PART};
use super::types::{Extracted, Limits};

/// Most entries of the shared-text table (each costs calamine a `String` besides its text).
const MAX_SHARED_STRINGS: u64 = 1_000_000;

/// Most bytes of the shared-text table's XML (calamine holds its text whole).
const MAX_SHARED_BYTES: u64 = 64 * 1024 * 1024;

/// Most elements of a structure part (styles, workbook, relationships): calamine keeps a
/// record per element; real workbooks have a few thousand (Excel allows 64 000 cell formats).
const MAX_STRUCTURE_ELEMENTS: u64 = 200_000;

/// Most tabs written for one gap between two cells of a row (a sheet has 16 384 columns).
const MAX_GAP: u32 = 16_384;

pub(super) fn extract(
    bytes: &[u8],
    limits: &Limits,
    guard: &Guard,
) -> Result<Extracted, ExtractError> {
    let title = inspect(bytes, limits, guard)?;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::Malformed(format!("ongeldig Excel-bestand ({e})")))?;
    let mut sink = TextSink::new(limits.max_text_chars);
    let names = workbook.sheet_names();
    for name in &names {
        guard.check_time()?;
        if sink.is_full() {
            break;
        }
        let unreadable = |e: calamine::XlsxError| {
            ExtractError::Malformed(format!("werkblad {name} is onleesbaar ({e})"))
        };
        let mut cells = workbook.worksheet_cells_reader(name).map_err(unreadable)?;
        // Rows start at the sheet's first used column, as a range would; the declared
        // dimension says which (a wrong one only shifts tabs).
        let first_column = cells.dimensions().start.1;
        sink.push(name);
        sink.newline();
        let mut row = Rows::new(first_column);
        let mut seen = 0u32;
        while let Some(cell) = cells.next_cell().map_err(unreadable)? {
            seen = seen.wrapping_add(1);
            if seen.is_multiple_of(1024) {
                guard.check_time()?;
                if sink.is_full() {
                    break;
                }
            }
            let (r, c) = cell.get_position();
            row.push(r, c, Data::from(cell.get_value().clone()), &mut sink);
        }
        row.finish(&mut sink);
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

/// Writes streamed cells as rows: tab-separated, empty cells left out at the end of a row,
/// empty rows skipped.
struct Rows {
    first_column: u32,
    /// The row being written and the column of its last written cell.
    current: Option<(u32, u32)>,
}

impl Rows {
    fn new(first_column: u32) -> Self {
        Rows {
            first_column,
            current: None,
        }
    }

    fn push(&mut self, row: u32, column: u32, value: Data, sink: &mut TextSink) {
        let text = value.to_string();
        if text.is_empty() {
            return;
        }
        let gap = match self.current {
            Some((r, last)) if r == row => column.saturating_sub(last).max(1),
            started => {
                if started.is_some() {
                    sink.push("\n");
                }
                column.saturating_sub(self.first_column)
            }
        };
        sink.push(&"\t".repeat(gap.min(MAX_GAP) as usize));
        sink.push(&text);
        self.current = Some((row, column));
    }

    fn finish(self, sink: &mut TextSink) {
        if self.current.is_some() {
            sink.push("\n");
        }
    }
}

/// What a part of the package is, from its root element.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// A worksheet (or chart or dialog sheet): streamed cell by cell.
    Sheet,
    /// The shared-text table, held whole by calamine.
    SharedStrings,
    /// Styles, workbook, relationships, content types, theme: read whole by calamine.
    Structure,
    /// Anything else (drawings, charts, pivot caches): not read by calamine.
    Other,
}

fn part_of(root: &str) -> Part {
    match root {
        "worksheet" | "chartsheet" | "dialogsheet" => Part::Sheet,
        "sst" => Part::SharedStrings,
        "styleSheet" | "workbook" | "Relationships" | "Types" | "theme" => Part::Structure,
        _ => Part::Other,
    }
}

/// Unpacks and inspects every entry (see the module docs); answers the title from
/// `docProps/core.xml` on the way.
fn inspect(bytes: &[u8], limits: &Limits, guard: &Guard) -> Result<Option<String>, ExtractError> {
    let mut archive = open_zip(bytes, limits, guard)?;
    let title = title_from(&mut archive, "docProps/core.xml", guard)?;
    for i in 0..archive.len() {
        guard.check_time()?;
        let file = archive.by_index(i).map_err(|e| {
            ExtractError::Malformed(format!("onderdeel kan niet gelezen worden ({e})"))
        })?;
        inspect_entry(BufReader::new(guard.reader(file, MAX_EVENT)), guard)?;
    }
    Ok(title)
}

type Counted<'g, R> = BufReader<CountingReader<'g, R>>;

/// Parses one entry as calamine would when it looks like XML, else only unpacks it.
fn inspect_entry<R: Read>(mut reader: Counted<'_, R>, guard: &Guard) -> Result<(), ExtractError> {
    let head = reader.fill_buf().map_err(|e| guard.io_error(&e))?;
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    // Only white space so far counts as XML too, so that padding cannot hide a part.
    if head
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b != b'<')
    {
        return drain(reader, guard);
    }
    let mut xml = quick_xml::Reader::from_reader(reader);
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut part = None;
    // Depth inside a cell (`c`) or a shared text (`si`): calamine gathers one of those whole,
    // so the bytes of one may not pass MAX_EVENT; outside them each event is one run.
    let mut inside = 0u32;
    let mut elements = 0u64;
    let mut strings = 0u64;
    loop {
        if inside == 0 {
            xml.get_mut().get_mut().mark();
        }
        buf.clear();
        let event = match xml.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(quick_xml::Error::Io(e)) => return Err(guard.io_error(&e)),
            // Not XML after all: calamine stops at the same place if it reads this part.
            Err(_) => return drain(xml.into_inner(), guard),
        };
        match event {
            Event::Start(e) => {
                let name = e.local_name();
                let kind = *part.get_or_insert_with(|| part_of(name.as_ref()));
                elements += 1;
                if elements.is_multiple_of(4096) {
                    guard.check_time()?;
                }
                match (kind, name.as_ref()) {
                    (Part::SharedStrings, "sst") => check_unique_count(&e)?,
                    (Part::SharedStrings, "si") => {
                        strings += 1;
                        if strings > MAX_SHARED_STRINGS {
                            return Err(too_many_strings());
                        }
                    }
                    (Part::Structure, _) if elements > MAX_STRUCTURE_ELEMENTS => {
                        return Err(structure_too_large())
                    }
                    _ => {}
                }
                if matches!(name.as_ref(), "c" | "si") {
                    inside += 1;
                }
            }
            Event::End(e) if matches!(e.local_name().as_ref(), "c" | "si") => {
                inside = inside.saturating_sub(1);
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        let read = xml.buffer_position();
        match part {
            Some(Part::SharedStrings) if read > MAX_SHARED_BYTES => {
                return Err(ExtractError::SpreadsheetTooLarge(format!(
                    "de tabel met gedeelde teksten is groter dan {} MB",
                    MAX_SHARED_BYTES / (1024 * 1024)
                )))
            }
            Some(Part::Structure) if read > MAX_SMALL_PART => return Err(structure_too_large()),
            _ => {}
        }
    }
}

/// The `uniqueCount` an `sst` element claims: calamine reserves room for that many.
fn check_unique_count(e: &quick_xml::events::BytesStart) -> Result<(), ExtractError> {
    let claimed = e
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == "uniqueCount")
        // calamine reserves only a count it can parse
        .map(|a| a.value.trim().parse::<u64>().unwrap_or(0));
    match claimed {
        Some(n) if n > MAX_SHARED_STRINGS => Err(too_many_strings()),
        _ => Ok(()),
    }
}

fn too_many_strings() -> ExtractError {
    ExtractError::SpreadsheetTooLarge(format!(
        "het heeft meer dan {} verschillende teksten",
        group_thousands(MAX_SHARED_STRINGS)
    ))
}

fn structure_too_large() -> ExtractError {
    ExtractError::SpreadsheetTooLarge(
        "de opmaak of de opbouw van de werkmap is uitzonderlijk groot".into(),
    )
}

/// 1000000 as "1.000.000" (Dutch thousands separator).
fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Unpacks the rest of an entry that is not parsed, against the budget and the deadline.
fn drain<R: Read>(mut reader: Counted<'_, R>, guard: &Guard) -> Result<(), ExtractError> {
    loop {
        // not parsed, so no run of bytes is held: every chunk starts a new run
        reader.get_mut().mark();
        let n = reader.fill_buf().map_err(|e| guard.io_error(&e))?.len();
        if n == 0 {
            return Ok(());
        }
        reader.consume(n);
    }
}
