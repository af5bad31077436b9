//! Hostile spreadsheets and giant text nodes (issue 10 point 9): what calamine would have held
//! whole, or allocated from what the file claims, is refused with a Dutch reason before it
//! reads the file, and sheets are streamed cell by cell. The files are generated here (the
//! builders are in tests/extract_limits.rs); the memory probes are there too.

use crate::extract_limits::{
    package, shared, sheet, xlsx_of, Streamed, SHEET_HEAD, SHEET_TAIL, SST_TAIL,
};

use steden_kennisbank::extract::{extract, ExtractError, Extracted, Format, Limits};
use steden_kennisbank::store::documents::reason;

const MB: usize = 1024 * 1024;

const SST: &str = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

fn read(bytes: &[u8], format: Format) -> Result<Extracted, ExtractError> {
    extract(bytes, format, &Limits::default())
}

/// The message an editor sees on the document for `error`.
fn shown(error: &ExtractError) -> String {
    reason(error)
}

#[test]
fn cells_at_opposite_corners_are_streamed_not_allocated_as_a_grid() {
    // A range from A1 to XFD1048576 would be 17 billion cells; calamine's range allocates
    // them all (the server would abort). Streamed, it is two cells of text.
    let body = concat!(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>eerste</t></is></c></row>"#,
        r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>laatste</t></is></c></row>"#,
    );
    let bytes = xlsx_of(sheet(SHEET_HEAD, body, body.len(), SHEET_TAIL), None);
    let got = read(&bytes, Format::Xlsx).unwrap();
    assert!(
        got.text.starts_with("Blad1\neerste\n"),
        "{:?}",
        &got.text[..40]
    );
    assert!(got.text.ends_with("\tlaatste"));
    assert_eq!(
        got.text.matches('\t').count(),
        16_383,
        "one tab per empty column"
    );
}

#[test]
fn rows_keep_their_columns_and_skip_empty_cells_at_the_end() {
    let body = concat!(
        r#"<row r="2"><c r="B2" t="inlineStr"><is><t>Stad</t></is></c><c r="D2"><v>12.5</v></c><c r="E2"/></row>"#,
        r#"<row r="3"><c r="C3" t="inlineStr"><is><t>Gent</t></is></c></row>"#,
        r#"<row r="4"><c r="B4"/></row>"#,
    );
    let head = format!(
        "{}<dimension ref=\"B2:E4\"/><sheetData>",
        &SHEET_HEAD[..SHEET_HEAD.len() - "<sheetData>".len()]
    );
    let bytes = xlsx_of(sheet(&head, body, body.len(), SHEET_TAIL), None);
    let got = read(&bytes, Format::Xlsx).unwrap();
    assert_eq!(got.text, "Blad1\nStad\t\t12.5\n\tGent");
}

#[test]
fn a_claimed_huge_shared_text_count_is_refused_before_calamine_reserves_it() {
    // calamine reserves `uniqueCount` entries up front: 4 billion would be 96 GB.
    let head = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="4000000000">"#;
    let si = "<si><t>a</t></si>";
    let bytes = xlsx_of(
        sheet(SHEET_HEAD, "", 0, SHEET_TAIL),
        Some(shared(head, si, si.len(), SST_TAIL)),
    );
    let err = read(&bytes, Format::Xlsx).unwrap_err();
    assert!(
        matches!(err, ExtractError::SpreadsheetTooLarge(_)),
        "{err:?}"
    );
    assert_eq!(
        shown(&err),
        "Dit rekenblad is te groot om te lezen: het heeft meer dan 1.000.000 verschillende teksten."
    );
}

#[test]
fn too_many_or_too_large_shared_texts_are_refused() {
    let tiny = "<si><t>a</t></si>";
    let many = xlsx_of(
        sheet(SHEET_HEAD, "", 0, SHEET_TAIL),
        Some(shared(SST, tiny, 1_200_000 * tiny.len(), SST_TAIL)),
    );
    let err = read(&many, Format::Xlsx).unwrap_err();
    assert!(
        shown(&err).contains("meer dan 1.000.000 verschillende teksten"),
        "{err}"
    );

    let long = format!("<si><t>{}</t></si>", "stedelijk beleid ".repeat(4000));
    let large = xlsx_of(
        sheet(SHEET_HEAD, "", 0, SHEET_TAIL),
        Some(shared(SST, &long, 70 * MB, SST_TAIL)),
    );
    let err = read(&large, Format::Xlsx).unwrap_err();
    assert_eq!(
        shown(&err),
        "Dit rekenblad is te groot om te lezen: de tabel met gedeelde teksten is groter dan 64 MB."
    );
}

#[test]
fn huge_styles_are_refused() {
    // calamine keeps a record per cell format; Excel itself allows 64 000
    let styles = Streamed {
        name: "xl/styles.xml",
        head: r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs>"#,
        body: "<xf/>",
        total: 300_000 * 5,
        tail: "</cellXfs></styleSheet>",
    };
    let bytes = xlsx_of(sheet(SHEET_HEAD, "", 0, SHEET_TAIL), Some(styles));
    let err = read(&bytes, Format::Xlsx).unwrap_err();
    assert!(
        matches!(err, ExtractError::SpreadsheetTooLarge(_)),
        "{err:?}"
    );
    assert!(shown(&err).contains("uitzonderlijk groot"), "{err}");
}

/// The Dutch reason for one text node over 16 MB, whatever the format.
fn assert_giant_node_refused(bytes: &[u8], format: Format) {
    let err = read(bytes, format).unwrap_err();
    assert!(
        matches!(err, ExtractError::ElementTooLarge { .. }),
        "{format:?}: {err:?}"
    );
    assert_eq!(
        shown(&err),
        "Het bestand bevat één tekstblok, cel of XML-element van meer dan 16,0 MB aan één stuk. \
         Zo'n bestand wordt niet gelezen: het is mogelijk kwaadwillig opgebouwd (een zip-bom). \
         Verdeel de tekst over gewone alinea's of cellen en laad het opnieuw op.",
        "{format:?}"
    );
}

#[test]
fn one_giant_text_node_gets_a_clear_dutch_reason_in_every_format() {
    let types = Streamed {
        name: "[Content_Types].xml",
        head: "<Types/>",
        body: "",
        total: 0,
        tail: "",
    };
    let docx = package(&[
        types,
        Streamed {
            name: "word/document.xml",
            head: r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>"#,
            body: "stad ",
            total: 20 * MB,
            tail: "</w:t></w:r></w:p></w:body></w:document>",
        },
    ]);
    assert_giant_node_refused(&docx, Format::Docx);

    let odt = package(&[
        Streamed {
            name: "mimetype",
            head: "application/vnd.oasis.opendocument.text",
            body: "",
            total: 0,
            tail: "",
        },
        Streamed {
            name: "content.xml",
            head: r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>"#,
            body: "stad ",
            total: 20 * MB,
            tail: "</text:p></office:text></office:body></office:document-content>",
        },
    ]);
    assert_giant_node_refused(&odt, Format::Odt);

    // XLSX: one inline cell, one cell of many small runs, and one shared text
    let cell = xlsx_of(
        sheet(
            &format!(r#"{SHEET_HEAD}<row><c t="inlineStr"><is><t>"#),
            "stad ",
            20 * MB,
            &format!("</t></is></c></row>{SHEET_TAIL}"),
        ),
        None,
    );
    assert_giant_node_refused(&cell, Format::Xlsx);
    let runs = xlsx_of(
        sheet(
            &format!(r#"{SHEET_HEAD}<row><c t="inlineStr"><is>"#),
            "<r><t>stad</t></r>",
            20 * MB,
            &format!("</is></c></row>{SHEET_TAIL}"),
        ),
        None,
    );
    assert_giant_node_refused(&runs, Format::Xlsx);
    let text = xlsx_of(
        sheet(SHEET_HEAD, "", 0, SHEET_TAIL),
        Some(shared(
            &format!("{SST}<si><t>"),
            "stad ",
            20 * MB,
            &format!("</t></si>{SST_TAIL}"),
        )),
    );
    assert_giant_node_refused(&text, Format::Xlsx);
}
