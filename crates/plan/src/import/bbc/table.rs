//! From file bytes (CSV in any usual encoding and separator, or XLSX) to a [`Table`]: the header
//! row and the data rows, each with the line number the user sees in Excel.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use serde::{Deserialize, Serialize};

/// Why a file cannot be read as a table. Display gives the Dutch message for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("Het bestand is leeg.")]
    Empty,
    #[error("Het bestand is geen tekstbestand (CSV); kies een CSV- of XLSX-bestand.")]
    NotText,
    #[error("Het bestand is geen geldig XLSX-bestand (Excel 2007 of later): {0}")]
    NotXlsx(String),
    #[error("Oude Excel-bestanden (.xls) worden niet ondersteund; bewaar het bestand als .xlsx of .csv.")]
    LegacyXls,
    #[error("Het XLSX-bestand bevat geen werkblad met gegevens.")]
    NoSheet,
    #[error("Geen kopregel gevonden: boven de gegevens moet een regel met kolomnamen staan.")]
    NoHeader,
    #[error("Regel {line}: het bestand bevat alleen een kopregel en geen gegevens.")]
    OnlyHeader { line: usize },
    #[error("Regel {line}: {reason}")]
    Malformed { line: usize, reason: String },
}

impl ParseError {
    /// The 1-based line the error is about, where there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            ParseError::OnlyHeader { line } | ParseError::Malformed { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// Where a table came from, for the preview ("CSV, puntkomma, Windows-1252").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "snake_case")]
pub enum Source {
    Csv { delimiter: char, encoding: String },
    Xlsx { sheet: String },
}

/// One data row. Cells live in one buffer per row (no allocation per cell).
#[derive(Debug, Clone)]
pub struct Row {
    line: usize,
    record: csv::StringRecord,
}

impl Row {
    /// The 1-based line number as Excel shows it, title lines and blank lines included.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The trimmed cell in `column`, or "" beyond the end of the row.
    pub fn get(&self, column: usize) -> &str {
        self.record.get(column).map_or("", str::trim)
    }

    pub fn len(&self) -> usize {
        self.record.len()
    }

    pub fn is_empty(&self) -> bool {
        self.record.iter().all(|c| c.trim().is_empty())
    }

    pub fn cells(&self) -> impl Iterator<Item = &str> {
        self.record.iter().map(str::trim)
    }
}

/// A header row and its data rows.
#[derive(Debug, Clone)]
pub struct Table {
    header_line: usize,
    header: Vec<String>,
    /// The row right above the header when it holds group labels over several columns
    /// ("Uitgaven" over three year columns); empty otherwise.
    above_header: Vec<String>,
    rows: Vec<Row>,
    width: usize,
    source: Source,
}

impl Table {
    pub fn header_line(&self) -> usize {
        self.header_line
    }

    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The header cell of `column`, carried-forward group label of the row above included
    /// ("Uitgaven Raming 2026"), as used for recognising amounts.
    pub fn full_header(&self, column: usize) -> String {
        let own = self.header.get(column).map_or("", |s| s.trim());
        if self.above_header.is_empty() {
            return own.to_string();
        }
        let group = self.above_header[..=column.min(self.above_header.len() - 1)]
            .iter()
            .rev()
            .find(|s| !s.trim().is_empty())
            .map_or("", |s| s.trim());
        if group.is_empty() {
            own.to_string()
        } else {
            format!("{group} {own}")
        }
    }

    /// How the user recognises a column: its header, or "kolom C" when the header cell is empty.
    pub fn column_name(&self, column: usize) -> String {
        match self.header.get(column).map(|s| s.trim()) {
            Some(h) if !h.is_empty() => h.to_string(),
            _ => format!("kolom {}", column_letter(column)),
        }
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Number of columns (the widest of header and rows).
    pub fn width(&self) -> usize {
        self.width
    }

    pub fn source(&self) -> &Source {
        &self.source
    }
}

/// Excel's column letter for a 0-based index: 0 → "A", 26 → "AA".
pub fn column_letter(column: usize) -> String {
    let mut n = column + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        letters.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Reads a CSV or XLSX file, telling them apart by their first bytes.
pub fn parse_file(bytes: &[u8]) -> Result<Table, ParseError> {
    if bytes.starts_with(b"PK") {
        parse_xlsx(bytes)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Err(ParseError::LegacyXls)
    } else {
        parse_csv(bytes)
    }
}

/// Reads a CSV export: UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1252; separated
/// by semicolons, commas, tabs or pipes (whichever splits the lines most consistently).
pub fn parse_csv(bytes: &[u8]) -> Result<Table, ParseError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(ParseError::NotText);
    }
    let (text, encoding) = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let delimiter = sniff_delimiter(&text);
    check_quotes(&text, delimiter)?;

    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut prev_line: Option<usize> = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = prev_line.map_or(1, |l| l + 1);
                return Err(ParseError::Malformed {
                    line,
                    reason: format!("het CSV-bestand is onleesbaar ({e})"),
                });
            }
        }
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let line = excel_line(&text, start, prev_line);
        prev_line = Some(line);
        records.push((line, std::mem::take(&mut record)));
    }
    let source = Source::Csv {
        delimiter: delimiter as char,
        encoding: encoding.to_string(),
    };
    let table = build_table(records, source)?;
    check_widths(&table)?;
    Ok(table)
}

/// Reads the first worksheet that holds data of an XLSX workbook.
pub fn parse_xlsx(bytes: &[u8]) -> Result<Table, ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::Empty);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ParseError::LegacyXls);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(ParseError::NotXlsx("het is geen ZIP-archief".into()));
    }
    // calamine parses untrusted ZIP and XML; a panic deep inside must become a refusal, not a
    // crashed import job.
    let read = catch_unwind(AssertUnwindSafe(|| read_first_sheet(bytes)));
    let (sheet, records) = match read {
        Ok(result) => result?,
        Err(_) => return Err(ParseError::NotXlsx("het bestand is beschadigd".into())),
    };
    build_table(records, Source::Xlsx { sheet })
}

type Records = Vec<(usize, csv::StringRecord)>;

fn read_first_sheet(bytes: &[u8]) -> Result<(String, Records), ParseError> {
    let mut workbook: Xlsx<Cursor<&[u8]>> =
        open_workbook_from_rs(Cursor::new(bytes)).map_err(|e: calamine::XlsxError| {
            ParseError::NotXlsx(describe_xlsx_error(&e.to_string()))
        })?;
    for name in workbook.sheet_names() {
        let range = match workbook.worksheet_range(&name) {
            Ok(range) => range,
            Err(e) => return Err(ParseError::NotXlsx(describe_xlsx_error(&e.to_string()))),
        };
        let Some((first_row, _)) = range.start() else {
            continue;
        };
        let first_col = range.start().map_or(0, |(_, c)| c as usize);
        let mut records = Vec::with_capacity(range.height());
        let mut cell_text = String::new();
        for (i, cells) in range.rows().enumerate() {
            let mut record = csv::StringRecord::new();
            // Keep the column letters the user sees: pad with the empty columns left of the range.
            for _ in 0..first_col {
                record.push_field("");
            }
            for cell in cells {
                cell_text.clear();
                write_cell(&mut cell_text, cell);
                record.push_field(&cell_text);
            }
            records.push((first_row as usize + i + 1, record));
        }
        if records
            .iter()
            .any(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        {
            return Ok((name, records));
        }
    }
    Err(ParseError::NoSheet)
}

fn describe_xlsx_error(detail: &str) -> String {
    // calamine's messages are English and technical; keep them as detail for support.
    format!("het bestand is beschadigd of onvolledig ({detail})")
}

/// A cell as text. Numbers are written with a decimal comma so that they read back through
/// [`super::parse_amount`] like the Belgian text amounts of a CSV export.
fn write_cell(out: &mut String, cell: &Data) {
    use std::fmt::Write;
    match cell {
        Data::Empty => {}
        Data::String(s) => out.push_str(s),
        Data::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Data::Float(f) => {
            if !f.is_finite() {
                out.push_str("#GETAL!");
            } else if f.fract() == 0.0 && f.abs() < 1e15 {
                let _ = write!(out, "{}", *f as i64);
            } else {
                // Excel stores 1234.56 as the nearest binary fraction; six decimals recover it.
                let rounded = (f * 1e6).round() / 1e6;
                let _ = write!(out, "{rounded}");
                if let Some(dot) = out.rfind('.') {
                    out.replace_range(dot..=dot, ",");
                }
            }
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// Decodes the bytes: BOMs first, then UTF-8 if valid, else Windows-1252 (what Excel on a
/// Belgian Windows writes as "CSV (gescheiden door lijstscheidingsteken)").
fn decode(bytes: &[u8]) -> Result<(String, &'static str), ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::Empty);
    }
    let (text, name) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (String::from_utf8_lossy(rest).into_owned(), "UTF-8")
    } else if bytes.starts_with(b"\xFF\xFE") {
        let (t, _, _) = encoding_rs::UTF_16LE.decode(bytes);
        (t.into_owned(), "UTF-16")
    } else if bytes.starts_with(b"\xFE\xFF") {
        let (t, _, _) = encoding_rs::UTF_16BE.decode(bytes);
        (t.into_owned(), "UTF-16")
    } else {
        match std::str::from_utf8(bytes) {
            Ok(t) => (t.to_string(), "UTF-8"),
            Err(_) => {
                let (t, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                (t.into_owned(), "Windows-1252")
            }
        }
    };
    // Binary data decodes as Windows-1252 too; control characters give it away.
    let mut control = 0usize;
    let mut total = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return Err(ParseError::NotText);
        }
        if (c.is_control() && !matches!(c, '\t' | '\r' | '\n')) || c == '\u{FFFD}' {
            control += 1;
        }
    }
    if control * 100 > total {
        return Err(ParseError::NotText);
    }
    Ok((text, name))
}

/// Picks the separator that gives the same (non-zero) number of fields on most of the first lines.
fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 4] = [b';', b',', b'\t', b'|'];
    let mut best = (0usize, 0usize, b';');
    for &d in &CANDIDATES {
        let counts = field_separators_per_line(text, d, 60);
        let mut freq: Vec<(usize, usize)> = Vec::new();
        for &c in counts.iter().filter(|&&c| c > 0) {
            match freq.iter_mut().find(|(n, _)| *n == c) {
                Some((_, f)) => *f += 1,
                None => freq.push((c, 1)),
            }
        }
        let Some(&(mode, lines)) = freq.iter().max_by_key(|(n, f)| (*f, *n)) else {
            continue;
        };
        if (lines, mode) > (best.0, best.1) {
            best = (lines, mode, d);
        }
    }
    best.2
}

/// Separators outside quotes on each of the first `max_lines` lines.
fn field_separators_per_line(text: &str, delimiter: u8, max_lines: usize) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut count = 0;
    let mut in_quotes = false;
    let mut at_field_start = true;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && counts.len() < max_lines {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' && at_field_start {
            in_quotes = true;
        } else if b == delimiter {
            count += 1;
            at_field_start = true;
            i += 1;
            continue;
        } else if b == b'\n' {
            counts.push(count);
            count = 0;
            at_field_start = true;
            i += 1;
            continue;
        }
        at_field_start = false;
        i += 1;
    }
    if count > 0 {
        counts.push(count);
    }
    counts
}

/// Refuses a quote that is opened and never closed (csv would swallow the rest of the file
/// into one cell), naming the line where it was opened.
fn check_quotes(text: &str, delimiter: u8) -> Result<(), ParseError> {
    let bytes = text.as_bytes();
    let mut line = 1usize;
    let mut opened_at = 0usize;
    let mut in_quotes = false;
    let mut at_field_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' && at_field_start {
            in_quotes = true;
            opened_at = line;
        } else if b == delimiter {
            at_field_start = true;
            i += 1;
            continue;
        } else if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            line += 1;
            at_field_start = true;
            i += 1;
            continue;
        }
        at_field_start = false;
        i += 1;
    }
    if in_quotes {
        return Err(ParseError::Malformed {
            line: opened_at,
            reason: "een aanhalingsteken (\") wordt geopend maar nergens gesloten".into(),
        });
    }
    Ok(())
}

/// The Excel line of the record whose position is `pos`. csv places that position right after
/// the previous record's terminator, before any blank lines it skips; Excel shows those blank
/// lines as empty rows, so they are counted here.
fn excel_line(text: &str, pos: usize, prev_line: Option<usize>) -> usize {
    let bytes = text.as_bytes();
    let mut leading = bytes.get(pos..).unwrap_or_default();
    let run = leading
        .iter()
        .position(|b| *b != b'\r' && *b != b'\n')
        .unwrap_or(leading.len());
    leading = &leading[..run];
    // csv ends a record at the "\r" of "\r\n"; its "\n" is no blank line.
    if pos > 0 && bytes.get(pos - 1) == Some(&b'\r') {
        leading = leading.strip_prefix(b"\n").unwrap_or(leading);
    }
    let blank = line_breaks_bytes(leading);
    prev_line.unwrap_or(0) + 1 + blank
}

/// Counts "\n", "\r\n" and a lone "\r" each as one line break.
fn line_breaks_bytes(b: &[u8]) -> usize {
    let mut n = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

/// Finds the header among the first lines: title lines above it ("Overzicht van …") fill only a
/// cell or two, the header fills at least half as many cells as the widest of the first rows.
fn build_table(records: Records, source: Source) -> Result<Table, ParseError> {
    let filled = |r: &csv::StringRecord| r.iter().filter(|c| !c.trim().is_empty()).count();
    let widest = records
        .iter()
        .take(200)
        .map(|(_, r)| filled(r))
        .max()
        .unwrap_or(0);
    if widest == 0 {
        return Err(ParseError::Empty);
    }
    let needed = widest.div_ceil(2).max(2).min(widest);
    let has_letters = |r: &csv::StringRecord| r.iter().any(|c| c.chars().any(char::is_alphabetic));
    let Some(header_index) = records
        .iter()
        .take(30)
        .position(|(_, r)| filled(r) >= needed && has_letters(r))
    else {
        return Err(ParseError::NoHeader);
    };
    let mut iter = records.into_iter();
    let mut above: Option<csv::StringRecord> = None;
    for _ in 0..header_index {
        above = iter.next().map(|(_, r)| r);
    }
    let (header_line, header_record) = iter.next().ok_or(ParseError::NoHeader)?;
    // A file without header would lose its first line to it; a code like "BD01" gives it away.
    let holds_codes = header_record.iter().any(|c| {
        super::code::split_code(c).is_some_and(|code| ["BD", "AP", "AC"].contains(&&*code.prefix))
    });
    if holds_codes {
        return Err(ParseError::NoHeader);
    }
    let header: Vec<String> = header_record.iter().map(|c| c.trim().to_string()).collect();
    // A row of group labels right above the header ("Uitgaven" over several year columns) has
    // at least two cells; a title line has one.
    let above_header = match above {
        Some(r) if filled(&r) >= 2 && r.len() <= header.len() + 1 => {
            r.iter().map(|c| c.trim().to_string()).collect()
        }
        _ => Vec::new(),
    };
    let rows: Vec<Row> = iter
        .filter(|(_, r)| filled(r) > 0)
        .map(|(line, record)| Row { line, record })
        .collect();
    if rows.is_empty() {
        return Err(ParseError::OnlyHeader { line: header_line });
    }
    let width = rows
        .iter()
        .map(Row::len)
        .max()
        .unwrap_or(0)
        .max(header.len());
    Ok(Table {
        header_line,
        header,
        above_header,
        rows,
        width,
        source,
    })
}

/// In a CSV export, a row with filled cells beyond the header's last column almost always means
/// an unquoted separator inside a text, which shifts every later cell; refuse it.
fn check_widths(table: &Table) -> Result<(), ParseError> {
    let header_width = table
        .header
        .iter()
        .rposition(|h| !h.is_empty())
        .map_or(0, |p| p + 1);
    for row in &table.rows {
        let record = &row.record;
        if let Some(last) = (0..record.len())
            .rev()
            .find(|&i| !record[i].trim().is_empty())
        {
            if last >= header_width {
                return Err(ParseError::Malformed {
                    line: row.line,
                    reason: format!(
                        "deze regel heeft {} kolommen, de kopregel maar {}; staat het scheidingsteken ergens zonder aanhalingstekens in een tekst?",
                        last + 1,
                        header_width
                    ),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn lines_count_title_blank_and_multiline_cells() {
        let text = "Titel\n\nBD;AP;Tekst\nBD01;AP0101;\"twee\nregels\"\n\n\nBD01;AP0102;x\r\nBD02;AP0201;y\n";
        let t = parse_csv(text.as_bytes()).unwrap();
        assert_eq!(t.header_line(), 3);
        let lines: Vec<usize> = t.rows().iter().map(Row::line).collect();
        assert_eq!(lines, vec![4, 7, 8]);
        assert_eq!(t.rows()[0].get(2), "twee\nregels");
    }

    #[test]
    fn delimiters() {
        for (d, text) in [
            (';', "a;b;c\n1,5;2;3\n"),
            (',', "a,b,c\n\"1,5\",2,3\n"),
            ('\t', "a\tb\tc\n1,5\t2\t3\n"),
        ] {
            let t = parse_csv(text.as_bytes()).unwrap();
            assert_eq!(
                t.source(),
                &Source::Csv {
                    delimiter: d,
                    encoding: "UTF-8".into()
                }
            );
            assert_eq!(t.rows()[0].get(0), "1,5");
        }
    }

    #[test]
    fn encodings() {
        let t = parse_csv(b"\xEF\xBB\xBFBD;Omschrijving\nBD01;Caf\xC3\xA9\n").unwrap();
        assert_eq!(t.header()[0], "BD");
        assert_eq!(t.rows()[0].get(1), "Café");
        let t = parse_csv(b"BD;Omschrijving\nBD01;Caf\xE9 \x80 5\n").unwrap();
        assert_eq!(t.rows()[0].get(1), "Café € 5");
        assert!(matches!(t.source(), Source::Csv { encoding, .. } if encoding == "Windows-1252"));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "BD\tTitel\r\nBD01\tCafé\r\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let t = parse_csv(&utf16).unwrap();
        assert_eq!(t.rows()[0].get(1), "Café");
    }

    #[test]
    fn group_labels_above_header() {
        let text =
            "Overzicht\n;;Uitgaven;;Ontvangsten;\nBD;Titel;2026;2027;2026;2027\nBD01;x;1;2;3;4\n";
        let t = parse_csv(text.as_bytes()).unwrap();
        assert_eq!(t.full_header(3), "Uitgaven 2027");
        assert_eq!(t.full_header(4), "Ontvangsten 2026");
        assert_eq!(t.full_header(0), "BD");
    }
}
