//! The one CSV writer of the platform: every CSV export of the shell and the modules goes
//! through [`CsvWriter`], so that all of them read the same in Belgian Excel and none of them
//! lets a cell run as a formula.
//!
//! - semicolons between cells and CRLF line ends (what Excel with Belgian regional settings
//!   expects), quoting by the `csv` crate;
//! - a UTF-8 byte-order mark first: without it Excel guesses the wrong encoding;
//! - formula injection defused (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-`,
//!   `@`, a tab or a carriage return gets a leading single quote, so that a spreadsheet shows it
//!   as text instead of evaluating it (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`, `@SUM(…)`).
//!
//! One deliberate deviation from OWASP, which says to prefix every such cell: a cell that is
//! only a number (`-5`, `+3`, `-1.234,56`, `-0.5`) is written as it is. A spreadsheet reads it
//! as a number and evaluates nothing, and a budget column full of `'-5` would be unreadable
//! and no longer sum. Anything else after the sign (`-2+3`, `+1+1`, `-5)`, `-1e3`) is not a
//! plain number and is prefixed.
//!
//! ```
//! let mut csv = steden_web::csv::CsvWriter::new();
//! csv.row(["Naam", "Bedrag"]);
//! csv.row(["=1+1", "-5"]);
//! let bytes = csv.finish();
//! assert_eq!(bytes, "\u{feff}Naam;Bedrag\r\n'=1+1;-5\r\n".as_bytes());
//! ```

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The content type of every CSV download.
pub const CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// The UTF-8 byte-order mark that tells Excel the file is UTF-8.
pub const BOM: &str = "\u{feff}";

/// Writes rows of cells to an in-memory CSV file (see the module documentation for the
/// format). Writing to memory cannot fail, so no method returns an error.
pub struct CsvWriter {
    writer: ::csv::Writer<Vec<u8>>,
}

impl Default for CsvWriter {
    fn default() -> Self {
        CsvWriter::new()
    }
}

impl CsvWriter {
    /// A file that starts with the byte-order mark.
    pub fn new() -> CsvWriter {
        CsvWriter {
            writer: builder().from_writer(BOM.as_bytes().to_vec()),
        }
    }

    /// A writer without the byte-order mark: for the later parts of a file that is streamed in
    /// pieces (the first piece comes from [`CsvWriter::new`]).
    pub fn without_bom() -> CsvWriter {
        CsvWriter {
            writer: builder().from_writer(Vec::new()),
        }
    }

    /// Adds one row; every cell is defused (see [`defuse`]).
    pub fn row<I, S>(&mut self, cells: I) -> &mut CsvWriter
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells = cells
            .into_iter()
            .map(|cell| defuse(cell.as_ref()).into_owned());
        // Writing to a Vec cannot fail.
        let _ = self.writer.write_record(cells);
        self
    }

    /// The bytes written so far, leaving the writer empty (for streaming a large file in
    /// batches).
    pub fn take(&mut self) -> Vec<u8> {
        let full = std::mem::replace(&mut self.writer, builder().from_writer(Vec::new()));
        // Flushing into a Vec cannot fail.
        full.into_inner().unwrap_or_default()
    }

    /// The whole file.
    pub fn finish(mut self) -> Vec<u8> {
        self.take()
    }
}

fn builder() -> ::csv::WriterBuilder {
    let mut builder = ::csv::WriterBuilder::new();
    // Flexible: a title row or a short total row may have fewer cells than the table.
    builder
        .delimiter(b';')
        .terminator(::csv::Terminator::CRLF)
        .flexible(true);
    builder
}

/// The cell as written: with a leading `'` when a spreadsheet would otherwise evaluate it.
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A sign followed by digits with at most `.` or `,` between them (`-5`, `+3`, `-1.234,56`).
fn is_plain_number(cell: &str) -> bool {
    let Some(rest) = cell.strip_prefix(['-', '+']) else {
        return false;
    };
    let bytes = rest.as_bytes();
    !bytes.is_empty()
        && bytes.first().is_some_and(u8::is_ascii_digit)
        && bytes.last().is_some_and(u8::is_ascii_digit)
        && bytes
            .iter()
            .all(|b| b.is_ascii_digit() || *b == b'.' || *b == b',')
        && !rest.contains("..")
        && !rest.contains(",,")
}

/// A CSV download: the content type, `attachment` with `filename`, and no caching (exports
/// hold data that only the signed-in user may see).
pub fn download(bytes: Vec<u8>, filename: &str) -> Response {
    (headers(filename), bytes).into_response()
}

/// The headers of a CSV download, for a streamed body
/// (`(csv::headers(name), Body::from_stream(..))`).
pub fn headers(filename: &str) -> [(header::HeaderName, String); 3] {
    // A quote or line break in the name would break the header; titles may contain them.
    let filename: String = filename
        .chars()
        .map(|c| if c == '"' || c.is_control() { '_' } else { c })
        .collect();
    [
        (header::CONTENT_TYPE, CONTENT_TYPE.to_string()),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ),
        (header::CACHE_CONTROL, "private, no-store".to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(cells: &[&str]) -> String {
        let mut writer = CsvWriter::without_bom();
        writer.row(cells);
        String::from_utf8(writer.finish()).unwrap()
    }

    /// The payloads of the OWASP CSV Injection page, and the special characters of its
    /// guidance (tab, carriage return).
    #[test]
    fn owasp_payloads_are_prefixed_with_a_quote() {
        for payload in [
            "=cmd|' /C calc'!A0",
            "=HYPERLINK(\"http://evil.example\",\"klik\")",
            "+1+1",
            "-2+3",
            "@SUM(1,1)",
            "\t=1",
            "\r=1",
            "=1",
            "-",
            "+",
            "-5)",
            "-1e3",
            "-1..2",
        ] {
            assert_eq!(defuse(payload), format!("'{payload}"), "{payload:?}");
        }
        assert_eq!(line(&["=cmd|' /C calc'!A0"]), "'=cmd|' /C calc'!A0\r\n");
        assert_eq!(line(&["+1+1", "@SUM(1,1)"]), "'+1+1;'@SUM(1,1)\r\n");
        // Tab and carriage return are prefixed, then quoted by the csv crate where needed.
        assert_eq!(line(&["\t=1"]), "'\t=1\r\n");
        assert_eq!(line(&["\r=1"]), "\"'\r=1\"\r\n");
    }

    /// The documented deviation: plain numbers stay numbers.
    #[test]
    fn plain_numbers_stay_readable() {
        for number in ["-5", "+3", "-1.234,56", "-0.5", "-12,5"] {
            assert_eq!(defuse(number), number, "{number:?}");
        }
        assert_eq!(line(&["-5", "12"]), "-5;12\r\n");
    }

    #[test]
    fn ordinary_cells_are_quoted_where_needed_and_the_file_has_a_bom() {
        let mut writer = CsvWriter::new();
        writer
            .row(["a;b", "zeg \"hallo\"", "gewoon", "e-mail"])
            .row(["x"]);
        assert_eq!(
            String::from_utf8(writer.finish()).unwrap(),
            "\u{feff}\"a;b\";\"zeg \"\"hallo\"\"\";gewoon;e-mail\r\nx\r\n"
        );
    }

    #[test]
    fn take_streams_the_file_in_pieces() {
        let mut writer = CsvWriter::new();
        writer.row(["kop"]);
        let first = writer.take();
        writer.row(["=rij"]);
        let second = writer.take();
        assert_eq!(first, "\u{feff}kop\r\n".as_bytes());
        assert_eq!(second, "'=rij\r\n".as_bytes());
        assert!(writer.finish().is_empty());
    }

    #[test]
    fn the_download_is_csv_and_not_cached() {
        let response = download(b"a\r\n".to_vec(), "plan \"x\".csv");
        let headers = response.headers();
        assert_eq!(headers[header::CONTENT_TYPE], CONTENT_TYPE);
        assert_eq!(
            headers[header::CONTENT_DISPOSITION],
            "attachment; filename=\"plan _x_.csv\""
        );
        assert_eq!(headers[header::CACHE_CONTROL], "private, no-store");
    }
}
