//! The CSV and XLSX downloads of a table, for people: one row per observation with the
//! indicator, the place, the period, the value and a status column in words.
//!
//! The CSV goes through the shell's `CsvWriter` (semicolons, BOM, formula injection defused)
//! with a decimal comma, so that Belgian Excel reads the numbers as numbers. A suppressed value
//! is an empty cell with "geheim …" in the status column, in both files.

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use steden_web::csv::CsvWriter;

use super::cube::{plain_number, CellStatus, Cube};

/// The column headers of both downloads.
pub const HEADERS: [&str; 9] = [
    "Indicatorcode",
    "Indicator",
    "Eenheid",
    "Gebiedsniveau",
    "Gebiedscode",
    "Gebied",
    "Periode",
    "Waarde",
    "Status",
];

/// The content type of the XLSX download.
pub const XLSX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file name for a download of the cube: its id, or `cijfers`, with the extension.
pub fn file_name(cube: &Cube, extension: &str) -> String {
    let stem: String = cube
        .meta
        .id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .take(80)
        .collect();
    let stem = if stem.is_empty() {
        "cijfers".to_string()
    } else {
        stem
    };
    format!("{stem}.{extension}")
}

/// One row of a download.
struct Row<'a> {
    text: [&'a str; 7],
    value: Option<f64>,
    decimals: u8,
    status: CellStatus,
}

fn rows(cube: &Cube) -> impl Iterator<Item = Row<'_>> {
    cube.observations().filter_map(move |(i, g, p, cell)| {
        let status = cell.status()?;
        let indicator = cube.indicators().get(i)?;
        let geo = cube.geo().get(g)?;
        let period = cube.periods().get(p)?;
        let label = if period.label.is_empty() {
            &period.code
        } else {
            &period.label
        };
        Some(Row {
            text: [
                indicator.code.as_str(),
                indicator.name.as_str(),
                indicator.unit.as_str(),
                geo.level.as_str(),
                geo.code.as_str(),
                geo.name.as_str(),
                label.as_str(),
            ],
            value: cube.rounded(i, cell),
            decimals: indicator.decimals,
            status,
        })
    })
}

/// The CSV download (semicolons, BOM, decimal comma).
pub fn csv(cube: &Cube) -> Vec<u8> {
    let mut writer = CsvWriter::new();
    writer.row(HEADERS);
    for row in rows(cube) {
        let value = row
            .value
            .map(|v| plain_number(v, row.decimals).replace('.', ","))
            .unwrap_or_default();
        let mut cells: Vec<&str> = row.text.to_vec();
        cells.push(&value);
        cells.push(row.status.flag_nl());
        writer.row(cells);
    }
    writer.finish()
}

fn number_format(decimals: u8) -> Format {
    let pattern = if decimals == 0 {
        "#,##0".to_string()
    } else {
        format!("#,##0.{}", "0".repeat(usize::from(decimals)))
    };
    Format::new().set_num_format(pattern)
}

/// The XLSX download: the data on the first sheet, what it is on a second ("Toelichting").
pub fn xlsx(cube: &Cube) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let formats: Vec<Format> = (0..=10).map(number_format).collect();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Gegevens")?;
    for (c, header) in (0u16..).zip(HEADERS) {
        sheet.write_string_with_format(0, c, header, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut r: u32 = 0;
    for row in rows(cube) {
        // An XLSX sheet holds at most 1,048,576 rows; the cube's own limit keeps us below.
        r = r.saturating_add(1);
        for (c, text) in (0u16..).zip(row.text) {
            sheet.write_string(r, c, text)?;
        }
        if let Some(value) = row.value {
            let format = formats.get(usize::from(row.decimals)).unwrap_or(&bold);
            sheet.write_number_with_format(r, 7, value, format)?;
        }
        sheet.write_string(r, 8, row.status.flag_nl())?;
    }
    sheet.set_column_width(1, 40)?;
    sheet.set_column_width(5, 24)?;
    sheet.set_column_width(8, 30)?;

    let about = workbook.add_worksheet();
    about.set_name("Toelichting")?;
    let meta = &cube.meta;
    let mut lines: Vec<(&str, String)> = vec![
        ("Titel", meta.title.clone()),
        ("Beschrijving", meta.description.clone()),
        ("Bron", meta.source.clone()),
        ("Bijgewerkt", meta.updated.clone()),
    ];
    if let Some(href) = &meta.href {
        lines.push(("Permalink", href.clone()));
    }
    for note in &meta.notes {
        lines.push(("Opmerking", note.clone()));
    }
    lines.push((
        "Status",
        "Een lege waarde met status 'geheim' is niet gepubliceerd om de privacy te beschermen \
         (statistische geheimhouding)."
            .to_string(),
    ));
    for (r, (key, text)) in (0u32..).zip(lines) {
        about.write_string_with_format(r, 0, key, &bold)?;
        about.write_string(r, 1, text)?;
    }
    about.set_column_width(0, 16)?;
    about.set_column_width(1, 90)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opendata::cube::sample_cube;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn csv_has_a_row_per_observation_with_decimal_commas_and_no_secret() {
        let bytes = csv(&sample_cube());
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(!text.contains("987"), "{text}");
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, HEADERS.map(String::from).to_vec());
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(rows.len(), 18);
        let find = |i: &str, g: &str, p: &str| {
            rows.iter()
                .find(|r| r[0] == i && r[4] == g && r[6] == p)
                .unwrap()
        };
        assert_eq!(find("werkl_pct", "11002", "2023")[7], "8,3");
        assert_eq!(find("werkl_pct", "11002", "2023")[8], "geschat");
        assert_eq!(find("bev_tot", "44021", "2024")[7], "265086");
        let secret = find("werkl_pct", "44021", "2022");
        assert_eq!(secret[7], "");
        assert!(secret[8].starts_with("geheim"), "{secret:?}");
        // The indicator name with a semicolon and quotes survives quoting.
        assert_eq!(secret[1], "Werkloosheid; \"geregistreerd\"");
    }

    #[test]
    fn xlsx_has_numbers_an_empty_secret_cell_and_an_explanation() {
        let bytes = xlsx(&sample_cube()).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), vec!["Gegevens", "Toelichting"]);
        let range = book.worksheet_range("Gegevens").unwrap();
        let rows: Vec<&[Data]> = range.rows().collect();
        assert_eq!(rows.len(), 19);
        assert_eq!(rows[0][7], Data::String("Waarde".into()));
        let find = |i: &str, g: &str, p: &str| {
            rows.iter()
                .find(|r| {
                    r[0] == Data::String(i.into())
                        && r[4] == Data::String(g.into())
                        && r[6] == Data::String(p.into())
                })
                .unwrap()
        };
        assert_eq!(find("werkl_pct", "11002", "2023")[7], Data::Float(8.3));
        let secret = find("werkl_pct", "44021", "2022");
        assert_eq!(secret[7], Data::Empty);
        assert!(matches!(&secret[8], Data::String(s) if s.starts_with("geheim")));
        let about = book.worksheet_range("Toelichting").unwrap();
        assert_eq!(
            about.get_value((0, 1)),
            Some(&Data::String("Bevolking en werk".into()))
        );
        for row in range.rows() {
            for cell in row {
                if let Data::Float(v) = cell {
                    assert!((v - 987.654).abs() > 0.01 && (v - 987.7).abs() > 0.01);
                }
            }
        }
    }

    #[test]
    fn file_names_are_safe() {
        let mut cube = sample_cube();
        assert_eq!(file_name(&cube, "csv"), "demo-tabel.csv");
        cube.meta.id = "../\"x\"".into();
        assert_eq!(file_name(&cube, "xlsx"), "x.xlsx");
        cube.meta.id.clear();
        assert_eq!(file_name(&cube, "json"), "cijfers.json");
    }
}
