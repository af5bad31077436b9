//! The CSV of metadata: one line per document, with a header row naming the columns in Dutch
//! (English field names are accepted too). Separated by semicolons (as Excel writes CSV with
//! Belgian settings), commas or tabs: the header line decides.

use super::limits::{BulkError, Limits};

/// The columns a CSV may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    File,
    Url,
    Key,
    Title,
    Summary,
    Type,
    Programme,
    Werkspoor,
    Themes,
    Organisations,
    Period,
    Date,
    Language,
    Access,
    AccessOrganisation,
    AccessGroup,
}

/// The header names of each column: the Dutch one first (used in reports), then aliases.
const NAMES: [(Column, &[&str]); 16] = [
    (Column::File, &["bestand", "file", "pad", "path"]),
    (Column::Url, &["webadres", "url", "external_url", "link"]),
    (Column::Key, &["sleutel", "key", "import_key"]),
    (Column::Title, &["titel", "title"]),
    (Column::Summary, &["samenvatting", "summary"]),
    (Column::Type, &["soort", "type", "doc_type"]),
    (Column::Programme, &["programma", "programme"]),
    (Column::Werkspoor, &["werkspoor"]),
    (Column::Themes, &["themas", "thema's", "thema", "themes"]),
    (Column::Organisations, &["organisaties", "organisations"]),
    (Column::Period, &["periode", "period"]),
    (Column::Date, &["datum", "date", "doc_date"]),
    (Column::Language, &["taal", "language"]),
    (Column::Access, &["toegang", "access"]),
    (
        Column::AccessOrganisation,
        &[
            "toegang_organisatie",
            "toegang organisatie",
            "access_organisation",
            "access_organisation_id",
        ],
    ),
    (
        Column::AccessGroup,
        &[
            "toegang_werkgroep",
            "toegang werkgroep",
            "access_group",
            "access_group_id",
        ],
    ),
];

impl Column {
    fn parse(header: &str) -> Option<Column> {
        let header = header.trim().to_lowercase();
        NAMES
            .iter()
            .find(|(_, names)| names.contains(&header.as_str()))
            .map(|(column, _)| *column)
    }

    /// The column's Dutch name, as in the documentation and in reasons.
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(column, _)| *column == self)
            .map_or("?", |(_, names)| names[0])
    }
}

/// One line of the CSV: its number (the header is line 1) and its cells by column, trimmed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    cells: Vec<(Column, String)>,
}

impl Row {
    /// A line made for a file when there is no CSV.
    pub fn for_file(line: usize, path: &str) -> Row {
        Row {
            line,
            cells: vec![(Column::File, path.to_string())],
        }
    }

    /// The cell of `column`, empty when the CSV has no such column.
    pub fn get(&self, column: Column) -> &str {
        self.cells
            .iter()
            .find(|(c, _)| *c == column)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The cell of `column`, `None` when empty.
    pub fn optional(&self, column: Column) -> Option<String> {
        Some(self.get(column).to_string()).filter(|v| !v.is_empty())
    }
}

/// The separator of the header line: the most frequent of `;`, `,` and tab.
fn delimiter(first_line: &str) -> u8 {
    [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b';')
}

/// Reads the CSV: the columns from the header, then every non-empty line. An unknown or
/// repeated column, a file that is not UTF-8, or too many lines refuse the whole CSV (a typo
/// in a header would otherwise silently drop a field from every document).
pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Vec<Row>, BulkError> {
    if bytes.len() > limits.max_csv_bytes {
        return Err(BulkError::new(format!(
            "De CSV is te groot; het maximum is {} MB.",
            limits.max_csv_bytes / (1024 * 1024)
        )));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|_| BulkError::new("De CSV is geen UTF-8-tekst; bewaar hem als ‘CSV UTF-8’."))?;
    let first_line = text.lines().next().unwrap_or("");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(first_line))
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| BulkError::new(format!("De kopregel van de CSV is onleesbaar: {e}.")))?
        .clone();
    let mut columns: Vec<Option<Column>> = Vec::new();
    for header in headers.iter() {
        if header.trim().is_empty() {
            columns.push(None);
            continue;
        }
        let column = Column::parse(header).ok_or_else(|| {
            BulkError::new(format!(
                "Onbekende kolom ‘{}’ in de CSV. Toegelaten: {}.",
                header.trim(),
                NAMES.map(|(_, names)| names[0]).join(", ")
            ))
        })?;
        if columns.contains(&Some(column)) {
            return Err(BulkError::new(format!(
                "De kolom ‘{}’ staat twee keer in de CSV.",
                column.name()
            )));
        }
        columns.push(Some(column));
    }
    if !columns.contains(&Some(Column::File)) && !columns.contains(&Some(Column::Url)) {
        return Err(BulkError::new(
            "De CSV heeft een kolom ‘bestand’ of ‘webadres’ nodig.",
        ));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            BulkError::new(format!("Regel {line} van de CSV is onleesbaar."))
        })?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() >= limits.max_lines {
            return Err(BulkError::new(format!(
                "De CSV heeft meer dan {} regels; splits hem op.",
                limits.max_lines
            )));
        }
        let line = record
            .position()
            .map_or(rows.len() + 2, |p| p.line() as usize);
        let cells = columns
            .iter()
            .zip(record.iter())
            .filter_map(|(column, cell)| column.map(|c| (c, cell.trim().to_string())))
            .collect();
        rows.push(Row { line, cells });
    }
    Ok(rows)
}

/// A list cell ("klimaat, data" or "klimaat|data") as its items.
pub fn list(cell: &str) -> Vec<String> {
    cell.split([',', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_semicolons_aliases_and_line_numbers() {
        let csv = "\u{feff}Bestand;Titel;Thema's;Toegang\n\
                   a.pdf;Eerste;klimaat, data;publiek\n\
                   \n\
                   ;;;\n\
                   \"b;c.pdf\";\"Twee\nregels\";;leden\n";
        let rows = parse(csv.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].get(Column::Title), "Eerste");
        assert_eq!(list(rows[0].get(Column::Themes)), ["klimaat", "data"]);
        assert_eq!(rows[1].get(Column::File), "b;c.pdf");
        assert_eq!(rows[1].line, 5);
        assert_eq!(rows[1].get(Column::Summary), "");
    }

    #[test]
    fn refuses_unknown_columns_and_too_many_lines() {
        let err = parse(b"bestand,titell\na.pdf,x\n", &Limits::default()).unwrap_err();
        assert!(
            err.to_string().contains("Onbekende kolom ‘titell’"),
            "{err}"
        );
        let err = parse(b"titel\nx\n", &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("‘bestand’ of ‘webadres’"), "{err}");
        let limits = Limits {
            max_lines: 1,
            ..Limits::default()
        };
        assert!(parse(b"webadres\nhttps://a.be\nhttps://b.be\n", &limits).is_err());
        assert!(parse(b"webadres\n\xff\n", &Limits::default()).is_err());
    }
}
