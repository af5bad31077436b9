//! Reading an uploaded file of subscribers, CSV or XLSX, as hostile input (design §3.6): the
//! whole file is refused with a Dutch reason before a line is written when it is not what an
//! import can read — too many lines, a line over 10 kB, no e-mail column, an XLSX that would
//! unpack to more than 50 MB or unpacks at a ratio no spreadsheet has (a zip bomb).
//!
//! - CSV: the delimiter is sniffed from the first line (`,` `;` or tab), a BOM is skipped, the
//!   text is UTF-8 or else Windows-1252 (what Excel writes on Belgian Windows), and the lines are
//!   read one at a time from the stored bytes: memory holds the file and one line.
//! - XLSX: the zip's directory is read first (with the `zip` crate) and the sizes its entries
//!   declare are summed; calamine reads the first sheet only when that sum and each entry's
//!   ratio are sane. The zip reader itself stops an entry that inflates past its declared size,
//!   so the declared sum bounds what calamine can unpack.
//!
//! Columns are found by their header, in Dutch or English (`e-mail`, `naam`, `taal`, `lijsten`).

use std::io::Cursor;

use calamine::{Data, Range};
use steden_web::xlsx::cell_text;

/// The largest upload.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// Lines with data (the header not counted).
pub const MAX_LINES: u64 = 100_000;
/// One line of a CSV.
pub const MAX_LINE_BYTES: u64 = 10 * 1024;
/// What the entries of an XLSX may unpack to, together.
pub const MAX_UNPACKED_BYTES: u64 = 50 * 1024 * 1024;
/// The two kinds of file an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Xlsx,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Csv => "csv",
            FileKind::Xlsx => "xlsx",
        }
    }

    pub fn parse(value: &str) -> Option<FileKind> {
        match value {
            "csv" => Some(FileKind::Csv),
            "xlsx" => Some(FileKind::Xlsx),
            _ => None,
        }
    }

    /// The kind of an upload, by its name's extension (a zip's signature makes an XLSX of a
    /// file without one); `None` for anything else.
    pub fn of(file_name: &str, bytes: &[u8]) -> Option<FileKind> {
        let lower = file_name.to_lowercase();
        if lower.ends_with(".xlsx") {
            Some(FileKind::Xlsx)
        } else if lower.ends_with(".csv") || lower.ends_with(".txt") || lower.ends_with(".tsv") {
            Some(FileKind::Csv)
        } else if bytes.starts_with(b"PK\x03\x04") {
            Some(FileKind::Xlsx)
        } else {
            None
        }
    }
}

/// Why a whole file cannot be imported, in Dutch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

impl Refusal {
    fn new(message: impl Into<String>) -> Refusal {
        Refusal(message.into())
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One line of the file, its cells by column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    /// As the spreadsheet or a text editor shows it (the header is line 1).
    pub number: u64,
    pub email: String,
    pub name: String,
    pub language: String,
    pub lists: String,
}

/// Where the columns are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    email: usize,
    name: Option<usize>,
    language: Option<usize>,
    lists: Option<usize>,
}

impl Columns {
    fn find(header: &[String]) -> Result<Columns, Refusal> {
        let position = |names: &[&str]| {
            header.iter().position(|cell| {
                let cell = cell.trim().trim_start_matches('\u{feff}').to_lowercase();
                let cell = cell.replace(['_', ' '], "-");
                names.contains(&cell.as_str())
            })
        };
        let email = position(&[
            "email",
            "e-mail",
            "e-mailadres",
            "emailadres",
            "e-mail-adres",
            "email-address",
            "e-mail-address",
            "mail",
        ])
        .ok_or_else(|| {
            Refusal::new(
                "De eerste regel heeft geen kolom ‘e-mail’. Geef de kolommen een kop: e-mail, naam, taal, lijsten.",
            )
        })?;
        Ok(Columns {
            email,
            name: position(&["naam", "name", "volledige-naam", "full-name"]),
            language: position(&["taal", "language", "lang"]),
            lists: position(&["lijsten", "lijst", "lists", "list"]),
        })
    }

    fn line(&self, number: u64, cells: &[String]) -> Line {
        let cell = |at: Option<usize>| {
            at.and_then(|at| cells.get(at))
                .map(|c| c.trim().to_string())
                .unwrap_or_default()
        };
        Line {
            number,
            email: cell(Some(self.email)),
            name: cell(self.name),
            language: cell(self.language),
            lists: cell(self.lists),
        }
    }
}

/// An opened file: its lines one at a time, after the checks that refuse a file as a whole.
pub struct Sheet {
    columns: Columns,
    /// Lines with data.
    pub total: u64,
    rows: Rows,
}

enum Rows {
    Csv {
        reader: csv::Reader<Cursor<Vec<u8>>>,
        utf8: bool,
        record: csv::ByteRecord,
    },
    Xlsx {
        range: Range<Data>,
        /// The next row of the range (0 is the header).
        next: usize,
        /// The spreadsheet's number of the range's first row, less one.
        first_row: u64,
    },
}

impl Sheet {
    /// Opens `bytes` as `kind`, or refuses the whole file.
    pub fn open(kind: FileKind, bytes: Vec<u8>) -> Result<Sheet, Refusal> {
        match kind {
            FileKind::Csv => open_csv(bytes),
            FileKind::Xlsx => open_xlsx(bytes),
        }
    }

    /// The next line with data (blank lines are passed over); `None` at the end.
    pub fn next_line(&mut self) -> Result<Option<Line>, Refusal> {
        loop {
            let (number, cells) = match &mut self.rows {
                Rows::Csv {
                    reader,
                    utf8,
                    record,
                } => {
                    let more = reader.read_byte_record(record).map_err(unreadable_csv)?;
                    if !more {
                        return Ok(None);
                    }
                    let bytes = reader.get_ref().get_ref();
                    let number = record.position().map_or(0, |p| line_of(bytes, p));
                    let cells: Vec<String> = record.iter().map(|f| decode(f, *utf8)).collect();
                    (number, cells)
                }
                Rows::Xlsx {
                    range,
                    next,
                    first_row,
                } => {
                    let Some(row) = range.rows().nth(*next) else {
                        return Ok(None);
                    };
                    let number = *first_row + *next as u64 + 1;
                    *next += 1;
                    (number, row.iter().map(cell_text).collect())
                }
            };
            if cells.iter().any(|c| !c.trim().is_empty()) {
                return Ok(Some(self.columns.line(number, &cells)));
            }
        }
    }
}

/// The line a record starts on. The reader notes a record's position before the line breaks
/// it passes over first (the `\n` of a CRLF, blank lines), so those are counted here.
fn line_of(bytes: &[u8], position: &csv::Position) -> u64 {
    let start = usize::try_from(position.byte()).map_or(bytes.len(), |at| at.min(bytes.len()));
    let breaks = bytes[start..]
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .filter(|b| **b == b'\n')
        .count();
    position.line() + breaks as u64
}

fn unreadable_csv(error: csv::Error) -> Refusal {
    let line = error.position().map(|p| p.line()).unwrap_or(0);
    Refusal::new(format!("Het bestand is geen leesbare CSV (regel {line})."))
}

/// A cell's bytes as text: UTF-8 when the whole file is, Windows-1252 otherwise.
fn decode(field: &[u8], utf8: bool) -> String {
    if utf8 {
        String::from_utf8_lossy(field).into_owned()
    } else {
        encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(field)
            .0
            .into_owned()
    }
}

/// The delimiter of the first line: the most frequent of `;` `,` and tab outside quotes
/// (a comma when there is none).
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in first {
        if *byte == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (delimiter, count) in counts.iter_mut() {
                if byte == delimiter {
                    *count += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(delimiter, count)| (*count, *delimiter == b','))
        .map(|(delimiter, _)| *delimiter)
        .unwrap_or(b',')
}

fn csv_reader(bytes: Vec<u8>, delimiter: u8) -> csv::Reader<Cursor<Vec<u8>>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(Cursor::new(bytes))
}

fn open_csv(mut bytes: Vec<u8>) -> Result<Sheet, Refusal> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let utf8 = std::str::from_utf8(&bytes).is_ok();
    let delimiter = sniff_delimiter(&bytes);
    // A first pass counts the lines and measures each, before anything is written.
    let mut reader = csv_reader(bytes, delimiter);
    let mut record = csv::ByteRecord::new();
    let mut header: Option<Vec<String>> = None;
    let mut total = 0u64;
    let mut start = 0u64;
    while reader
        .read_byte_record(&mut record)
        .map_err(unreadable_csv)?
    {
        let end = reader.position().byte();
        if end - start > MAX_LINE_BYTES {
            let bytes = reader.get_ref().get_ref();
            let line = record.position().map_or(0, |p| line_of(bytes, p));
            return Err(Refusal::new(format!(
                "Regel {line} is langer dan 10 kB; dit is geen lijst van adressen. Het bestand is niet ingelezen."
            )));
        }
        start = end;
        if header.is_none() {
            header = Some(record.iter().map(|f| decode(f, utf8)).collect());
        } else if record
            .iter()
            .any(|f| !f.iter().all(u8::is_ascii_whitespace))
        {
            total += 1;
            if total > MAX_LINES {
                return Err(too_many_lines());
            }
        }
    }
    let header = header.ok_or_else(|| Refusal::new("Het bestand is leeg."))?;
    let columns = Columns::find(&header)?;
    let bytes = reader.into_inner().into_inner();
    let mut reader = csv_reader(bytes, delimiter);
    reader
        .read_byte_record(&mut record)
        .map_err(unreadable_csv)?;
    Ok(Sheet {
        columns,
        total,
        rows: Rows::Csv {
            reader,
            utf8,
            record,
        },
    })
}

fn too_many_lines() -> Refusal {
    Refusal::new("Het bestand heeft meer dan 100.000 regels; splits het op in kleinere bestanden.")
}

/// Checks an XLSX's zip directory before anything is unpacked (the shell's
/// [`steden_web::xlsx::check_package`]: entries, their declared sizes and ratios).
pub fn check_zip(bytes: &[u8]) -> Result<(), Refusal> {
    steden_web::xlsx::check_package(bytes, MAX_UNPACKED_BYTES).map_err(|r| Refusal(r.0))
}

fn open_xlsx(bytes: Vec<u8>) -> Result<Sheet, Refusal> {
    let range =
        steden_web::xlsx::first_sheet(&bytes, MAX_UNPACKED_BYTES).map_err(|r| Refusal(r.0))?;
    let header: Vec<String> = range
        .rows()
        .next()
        .map(|row| row.iter().map(cell_text).collect())
        .ok_or_else(|| Refusal::new("Het eerste werkblad is leeg."))?;
    let columns = Columns::find(&header)?;
    let total = range
        .rows()
        .skip(1)
        .filter(|row| row.iter().any(|c| !cell_text(c).trim().is_empty()))
        .count() as u64;
    if total > MAX_LINES {
        return Err(too_many_lines());
    }
    let first_row = range.start().map(|(row, _)| u64::from(row)).unwrap_or(0);
    Ok(Sheet {
        columns,
        total,
        rows: Rows::Xlsx {
            range,
            next: 1,
            first_row,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(kind: FileKind, bytes: &[u8]) -> Vec<Line> {
        let mut sheet = Sheet::open(kind, bytes.to_vec()).unwrap();
        let mut lines = Vec::new();
        while let Some(line) = sheet.next_line().unwrap() {
            lines.push(line);
        }
        assert_eq!(sheet.total, lines.len() as u64);
        lines
    }

    #[test]
    fn a_semicolon_csv_in_windows_1252_with_dutch_headers() {
        let bytes = b"Naam;E-mailadres;Taal\r\nJos\xe9;jose@gent.be;nl\r\n;;\r\n\"Piet; Jan\";piet@gent.be;en\r\n";
        let found = lines(FileKind::Csv, bytes);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].name, "José");
        assert_eq!(found[0].email, "jose@gent.be");
        assert_eq!(found[0].number, 2);
        assert_eq!(found[1].name, "Piet; Jan");
        assert_eq!(found[1].number, 4);
        assert_eq!(found[1].language, "en");
    }

    #[test]
    fn a_bom_a_tab_and_english_headers() {
        let bytes = "\u{feff}email\tname\tlists\nan@leuven.be\tAn\tklimaat, obmi\n".as_bytes();
        let found = lines(FileKind::Csv, bytes);
        assert_eq!(found[0].email, "an@leuven.be");
        assert_eq!(found[0].lists, "klimaat, obmi");
    }

    #[test]
    fn files_refused_as_a_whole() {
        let refused = |bytes: Vec<u8>| Sheet::open(FileKind::Csv, bytes).err().unwrap().0;
        assert!(refused(b"naam,taal\nJan,nl\n".to_vec()).contains("geen kolom"));
        assert!(refused(Vec::new()).contains("leeg"));
        let long = format!("email,naam\na@b.be,{}\n", "x".repeat(11 * 1024));
        assert!(refused(long.into_bytes()).contains("Regel 2 is langer dan 10 kB"));
        let mut many = String::from("email\n");
        for n in 0..=MAX_LINES {
            many.push_str(&format!("a{n}@b.be\n"));
        }
        assert!(refused(many.into_bytes()).contains("meer dan 100.000 regels"));
    }

    #[test]
    fn kinds_by_name() {
        assert_eq!(FileKind::of("Lijst.CSV", b""), Some(FileKind::Csv));
        assert_eq!(FileKind::of("a.xlsx", b""), Some(FileKind::Xlsx));
        assert_eq!(FileKind::of("a.pdf", b"%PDF"), None);
    }
}
