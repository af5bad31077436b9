//! Extraction tests on documents generated here: DOCX, PPTX and ODT packages built with `zip`,
//! XLSX with rust_xlsxwriter, PDF with lopdf; plus damaged, encrypted, misnamed and oversized
//! inputs (a zip bomb, too many entries), the timeout wrapper and truncation.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};
use steden_kennisbank::extract::{
    detect, extract, extract_before, extract_with_timeout, ExtractError, Format, Limits,
};
use zip::write::SimpleFileOptions;

// ---------- generators ----------

/// A ZIP archive of (name, content) entries, deflated (ODF's `mimetype` stored, as required).
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in entries {
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .large_file(content.len() > u32::MAX as usize / 2);
        writer.start_file(*name, options).unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;

fn core_xml(title: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title><dc:creator>Kenniscentrum</dc:creator></cp:coreProperties>"#
    )
    .into_bytes()
}

fn document_xml(paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|p| format!(r#"<w:p><w:pPr/><w:r><w:t xml:space="preserve">{p}</w:t></w:r></w:p>"#))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    )
    .into_bytes()
}

fn docx(paragraphs: &[&str], title: &str) -> Vec<u8> {
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", &document_xml(paragraphs)),
        ("docProps/core.xml", &core_xml(title)),
    ])
}

fn sample_docx() -> Vec<u8> {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>De financiële </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>analyse</w:t></w:r></w:p>
<w:p><w:r><w:t>Stap</w:t></w:r><w:r><w:tab/><w:t>één &amp; twee</w:t></w:r></w:p>
<w:p><w:r><w:delText>geschrapt</w:delText><w:instrText>PAGE</w:instrText></w:r></w:p>
</w:body></w:document>"#;
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", body.as_bytes()),
        ("docProps/core.xml", &core_xml("Jaarverslag Vlaamse Steden")),
    ])
}

fn slide(text: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{text}</a:t></a:r></a:p><a:p><a:r><a:t>tweede regel</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
    )
    .into_bytes()
}

/// Slides stored as slide1, slide2, slide10 but shown as 2, 10, 1 (a reordered deck).
fn sample_pptx() -> Vec<u8> {
    let presentation = r#"<p:presentation xmlns:p="p" xmlns:r="r"><p:sldIdLst><p:sldId id="256" r:id="rId3"/><p:sldId id="257" r:id="rId4"/><p:sldId id="258" r:id="rId2"/></p:sldIdLst></p:presentation>"#;
    let rels = r#"<Relationships xmlns="x"><Relationship Id="rId1" Type="master" Target="slideMasters/slideMaster1.xml"/><Relationship Id="rId2" Type="slide" Target="slides/slide1.xml"/><Relationship Id="rId3" Type="slide" Target="slides/slide2.xml"/><Relationship Id="rId4" Type="slide" Target="/ppt/slides/slide10.xml"/></Relationships>"#;
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("ppt/presentation.xml", presentation.as_bytes()),
        ("ppt/_rels/presentation.xml.rels", rels.as_bytes()),
        ("ppt/slides/slide10.xml", &slide("Dia tien")),
        ("ppt/slides/slide2.xml", &slide("Dia twee: één")),
        ("ppt/slides/slide1.xml", &slide("Dia één: financiële stad")),
        ("docProps/core.xml", &core_xml("Presentatie")),
    ])
}

/// The same slides without the order parts: file-number order.
fn unordered_pptx() -> Vec<u8> {
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("ppt/presentation.xml", b"<p:presentation xmlns:p=\"x\"/>"),
        ("ppt/slides/slide10.xml", &slide("Dia tien")),
        ("ppt/slides/slide2.xml", &slide("Dia twee: één")),
        ("ppt/slides/slide1.xml", &slide("Dia één: financiële stad")),
    ])
}

fn sample_odt() -> Vec<u8> {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:h text:outline-level="1">Hoofdstuk één</text:h><text:p>De <text:span text:style-name="T1">financiële</text:span><text:s/>toestand<text:tab/>goed</text:p><text:p>Tweede<text:line-break/>regel</text:p></office:text></office:body></office:document-content>"#;
    let meta = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>Nota stadsfinanciën</dc:title></office:meta></office:document-meta>"#;
    zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_bytes()),
        ("meta.xml", meta.as_bytes()),
        (
            "META-INF/manifest.xml",
            b"<manifest:manifest xmlns:manifest=\"x\"/>",
        ),
    ])
}

fn sample_xlsx() -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook.set_properties(&rust_xlsxwriter::DocProperties::new().set_title("Begroting 2026"));
    let sheet = workbook.add_worksheet();
    sheet.set_name("Uitgaven").unwrap();
    sheet.write_string(0, 0, "Post").unwrap();
    sheet.write_string(0, 1, "Bedrag").unwrap();
    sheet.write_string(1, 0, "financiële steun").unwrap();
    sheet.write_number(1, 1, 1250.5).unwrap();
    let second = workbook.add_worksheet();
    second.set_name("Één").unwrap();
    second.write_string(0, 0, "tweede blad").unwrap();
    workbook.save_to_buffer().unwrap()
}

/// A PDF with one page per entry of `pages`, Helvetica in WinAnsiEncoding (Latin-1 bytes).
fn pdf(pages: &[&str], title: Option<&str>) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids = Vec::new();
    for text in pages {
        let latin1: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("Td", vec![72.into(), 720.into()]),
                Operation::new(
                    "Tj",
                    vec![Object::String(latin1, lopdf::StringFormat::Literal)],
                ),
                Operation::new("ET", vec![]),
            ],
        };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    if let Some(title) = title {
        let info_id = doc.add_object(dictionary! { "Title" => lopdf::text_string(title) });
        doc.trailer.set("Info", info_id);
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Deterministic pseudo-random bytes.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as u8
        })
        .collect()
}

fn limits() -> Limits {
    Limits::default()
}

fn run(bytes: &[u8], name: &str) -> Result<steden_kennisbank::extract::Extracted, ExtractError> {
    let format = detect(bytes, name)?;
    extract(bytes, format, &limits())
}

// ---------- supported formats ----------

#[test]
fn docx_text_paragraphs_and_title() {
    let got = run(&sample_docx(), "verslag.docx").unwrap();
    assert_eq!(got.text, "De financiële analyse\nStap\téén & twee");
    assert_eq!(got.title.as_deref(), Some("Jaarverslag Vlaamse Steden"));
    assert_eq!(got.pages_or_parts, 1);
    assert!(!got.truncated);
}

#[test]
fn pptx_slides_in_presentation_order() {
    let bytes = sample_pptx();
    assert_eq!(detect(&bytes, "dia's.pptx").unwrap(), Format::Pptx);
    let got = extract(&bytes, Format::Pptx, &limits()).unwrap();
    assert_eq!(
        got.text,
        "Dia twee: één\ntweede regel\nDia tien\ntweede regel\nDia één: financiële stad\ntweede regel"
    );
    assert_eq!(got.pages_or_parts, 3);
    assert_eq!(got.title.as_deref(), Some("Presentatie"));
}

#[test]
fn pptx_without_order_parts_uses_slide_numbers() {
    let got = extract(&unordered_pptx(), Format::Pptx, &limits()).unwrap();
    assert_eq!(
        got.text,
        "Dia één: financiële stad\ntweede regel\nDia twee: één\ntweede regel\nDia tien\ntweede regel"
    );
    assert_eq!(got.title, None);
}

#[test]
fn odt_paragraphs_spans_and_meta_title() {
    let bytes = sample_odt();
    assert_eq!(detect(&bytes, "nota.odt").unwrap(), Format::Odt);
    let got = extract(&bytes, Format::Odt, &limits()).unwrap();
    assert_eq!(
        got.text,
        "Hoofdstuk één\nDe financiële toestand\tgoed\nTweede\nregel"
    );
    assert_eq!(got.title.as_deref(), Some("Nota stadsfinanciën"));
}

#[test]
fn xlsx_sheets_and_tab_separated_rows() {
    let bytes = sample_xlsx();
    assert_eq!(detect(&bytes, "begroting.xlsx").unwrap(), Format::Xlsx);
    let got = extract(&bytes, Format::Xlsx, &limits()).unwrap();
    assert_eq!(
        got.text,
        "Uitgaven\nPost\tBedrag\nfinanciële steun\t1250.5\n\nÉén\ntweede blad"
    );
    assert_eq!(got.pages_or_parts, 2);
    assert_eq!(got.title.as_deref(), Some("Begroting 2026"));
}

#[test]
fn pdf_text_per_page_and_info_title() {
    let bytes = pdf(
        &["De financiële stad", "Pagina één"],
        Some("Stadsmonitor één"),
    );
    assert_eq!(detect(&bytes, "monitor.pdf").unwrap(), Format::Pdf);
    let got = extract(&bytes, Format::Pdf, &limits()).unwrap();
    assert_eq!(got.pages_or_parts, 2);
    assert!(got.text.contains("De financiële stad"), "{:?}", got.text);
    assert!(got.text.contains("Pagina één"), "{:?}", got.text);
    assert!(got.text.find("financiële") < got.text.find("Pagina"));
    assert_eq!(got.title.as_deref(), Some("Stadsmonitor één"));
}

#[test]
fn markdown_bom_stripped_and_first_heading_is_title() {
    let bytes =
        "\u{feff}Inleiding\n\n# Financiële ruimte van één stad\n\nTekst.\n## Tweede".as_bytes();
    assert_eq!(detect(bytes, "nota.md").unwrap(), Format::Markdown);
    assert_eq!(detect(bytes, "zonder-extensie").unwrap(), Format::Markdown);
    let got = extract(bytes, Format::Markdown, &limits()).unwrap();
    assert!(got.text.starts_with("Inleiding"));
    assert_eq!(got.title.as_deref(), Some("Financiële ruimte van één stad"));
}

// ---------- refused inputs ----------

#[test]
fn empty_file_is_refused() {
    assert!(matches!(
        detect(b"", "leeg.pdf"),
        Err(ExtractError::Malformed(_))
    ));
}

#[test]
fn random_bytes_are_unsupported() {
    let err = detect(&noise(4096, 7), "ruis.bin").unwrap_err();
    assert!(matches!(err, ExtractError::Unsupported(_)), "{err:?}");
    assert!(err.to_string().contains("niet ondersteund"));
    // Forced through a parser anyway, they are refused without panicking.
    for format in [
        Format::Pdf,
        Format::Docx,
        Format::Pptx,
        Format::Xlsx,
        Format::Odt,
    ] {
        assert!(extract(&noise(4096, 7), format, &limits()).is_err());
    }
}

#[test]
fn docx_that_is_a_pdf_is_refused_with_reason() {
    let err = detect(&pdf(&["tekst"], None), "verslag.docx").unwrap_err();
    assert_eq!(
        err,
        ExtractError::ExtensionMismatch {
            extension: "docx".into(),
            actual: Format::Pdf
        }
    );
    assert!(err
        .to_string()
        .starts_with("Dit bestand heet .docx maar is een PDF-bestand"));
}

#[test]
fn xlsx_that_is_text_is_refused_and_not_parsed_as_xlsx() {
    let text = "naam;bedrag\nGent;12\n".as_bytes();
    let err = detect(text, "cijfers.XLSX").unwrap_err();
    assert_eq!(
        err,
        ExtractError::ExtensionMismatch {
            extension: "xlsx".into(),
            actual: Format::Markdown
        }
    );
    assert!(matches!(
        extract(text, Format::Xlsx, &limits()),
        Err(ExtractError::Malformed(_))
    ));
}

#[test]
fn unknown_extension_follows_content() {
    assert_eq!(detect(&sample_docx(), "verslag.bin").unwrap(), Format::Docx);
    assert_eq!(detect(&sample_docx(), "verslag").unwrap(), Format::Docx);
}

#[test]
fn non_utf8_markdown_is_refused() {
    let latin1 = b"De financi\xEBle stad\n";
    assert!(matches!(
        detect(latin1, "nota.md"),
        Err(ExtractError::Malformed(_))
    ));
    assert!(matches!(
        detect(latin1, "nota"),
        Err(ExtractError::Unsupported(_))
    ));
}

#[test]
fn truncated_zip_is_malformed() {
    let bytes = sample_docx();
    let half = &bytes[..bytes.len() / 2];
    assert!(matches!(
        detect(half, "verslag.docx"),
        Err(ExtractError::Malformed(_))
    ));
    assert!(matches!(
        extract(half, Format::Docx, &limits()),
        Err(ExtractError::Malformed(_))
    ));
}

#[test]
fn docx_without_body_part_is_unsupported_or_malformed() {
    let bytes = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("docProps/core.xml", &core_xml("x")),
    ]);
    assert!(matches!(
        detect(&bytes, "x.docx"),
        Err(ExtractError::Unsupported(_))
    ));
    assert!(matches!(
        extract(&bytes, Format::Docx, &limits()),
        Err(ExtractError::Malformed(_))
    ));
}

#[test]
fn broken_xml_is_malformed() {
    let bytes = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        (
            "word/document.xml",
            b"<w:document><w:body><w:p><w:t>open</w:p></w:document>",
        ),
    ]);
    assert!(matches!(
        extract(&bytes, Format::Docx, &limits()),
        Err(ExtractError::Malformed(_))
    ));
}

#[test]
fn zip_bomb_stops_at_decompressed_limit() {
    // 64 MB of zeros deflates to about 64 KB; the limit is 4 MB, so reading stops early.
    let zeros = vec![0u8; 64 * 1024 * 1024];
    let bytes = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", &zeros),
    ]);
    assert!(bytes.len() < 1024 * 1024, "bomb is {} bytes", bytes.len());
    let limits = Limits {
        max_decompressed_bytes: 4 * 1024 * 1024,
        ..Limits::default()
    };
    let started = Instant::now();
    let err = extract(&bytes, Format::Docx, &limits).unwrap_err();
    assert_eq!(
        err,
        ExtractError::DecompressedTooLarge {
            max: 4 * 1024 * 1024
        }
    );
    assert!(err.to_string().contains("zip-bom"));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn zip_bomb_in_spreadsheet_is_refused_before_calamine() {
    let zeros = vec![0u8; 16 * 1024 * 1024];
    let bytes = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("xl/workbook.xml", b"<workbook/>"),
        ("xl/worksheets/sheet1.xml", &zeros),
    ]);
    assert_eq!(detect(&bytes, "bom.xlsx").unwrap(), Format::Xlsx);
    let limits = Limits {
        max_decompressed_bytes: 1024 * 1024,
        ..Limits::default()
    };
    assert!(matches!(
        extract(&bytes, Format::Xlsx, &limits),
        Err(ExtractError::DecompressedTooLarge { .. })
    ));
}

#[test]
fn too_many_zip_entries_are_refused() {
    let names: Vec<String> = (0..50)
        .map(|i| format!("word/media/image{i}.png"))
        .collect();
    let mut entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let body = document_xml(&["tekst"]);
    entries.push(("[Content_Types].xml", CONTENT_TYPES));
    entries.push(("word/document.xml", &body));
    let bytes = zip_of(&entries);
    let limits = Limits {
        max_entries: 10,
        ..Limits::default()
    };
    assert!(matches!(
        extract(&bytes, Format::Docx, &limits),
        Err(ExtractError::DecompressedTooLarge { .. })
    ));
}

#[test]
fn file_over_size_limit_is_refused() {
    let bytes = sample_docx();
    let limits = Limits {
        max_file_bytes: 100,
        ..Limits::default()
    };
    let err = extract(&bytes, Format::Docx, &limits).unwrap_err();
    assert!(matches!(err, ExtractError::TooLarge { max: 100, .. }));
    assert!(err.to_string().contains("te groot"));
    let big = ExtractError::TooLarge {
        size: 60 * 1024 * 1024,
        max: 50 * 1024 * 1024,
    };
    assert_eq!(
        big.to_string(),
        "Het bestand is te groot (60,0 MB; maximaal 50,0 MB)"
    );
}

#[test]
fn pdf_with_garbage_after_header_is_malformed() {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend(noise(8192, 3));
    assert_eq!(detect(&bytes, "kapot.pdf").unwrap(), Format::Pdf);
    let err = extract(&bytes, Format::Pdf, &limits()).unwrap_err();
    assert!(matches!(err, ExtractError::Malformed(_)), "{err:?}");
}

#[test]
fn encrypted_pdf_is_refused() {
    let mut doc = Document::load_mem(&pdf(&["geheim"], None)).unwrap();
    let encrypt_id = doc.add_object(dictionary! {
        "Filter" => "Standard", "V" => 1, "R" => 2, "Length" => 40, "P" => -44,
        "O" => Object::string_literal(vec![0u8; 32]),
        "U" => Object::string_literal(vec![0u8; 32]),
    });
    doc.trailer.set("Encrypt", encrypt_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let err = extract(&bytes, Format::Pdf, &limits()).unwrap_err();
    assert_eq!(err, ExtractError::Encrypted(Format::Pdf));
    assert!(err
        .to_string()
        .starts_with("Dit PDF-bestand is beveiligd met een wachtwoord"));
}

#[test]
fn encrypted_office_file_is_refused_and_old_office_unsupported() {
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.extend(vec![0u8; 504]);
    let mut encrypted = cfb.clone();
    encrypted.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
    let err = detect(&encrypted, "geheim.docx").unwrap_err();
    assert!(matches!(err, ExtractError::Encrypted(_)));
    assert!(err
        .to_string()
        .starts_with("Dit Office-bestand is beveiligd met een wachtwoord"));
    assert!(matches!(
        detect(&cfb, "oud.doc"),
        Err(ExtractError::Unsupported(_))
    ));
}

#[test]
fn encrypted_odt_is_refused() {
    let manifest = br#"<manifest:manifest xmlns:manifest="x"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#;
    let bytes = zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", &noise(256, 1)),
        ("META-INF/manifest.xml", manifest),
    ]);
    assert_eq!(
        extract(&bytes, Format::Odt, &limits()),
        Err(ExtractError::Encrypted(Format::Odt))
    );
}

#[test]
fn other_opendocument_types_are_unsupported() {
    let bytes = zip_of(&[(
        "mimetype",
        b"application/vnd.oasis.opendocument.spreadsheet",
    )]);
    assert!(matches!(
        detect(&bytes, "x.ods"),
        Err(ExtractError::Unsupported(_))
    ));
}

#[test]
fn damaged_files_never_panic() {
    for bytes in [
        pdf(&["De financiële stad"], Some("T")),
        sample_docx(),
        sample_xlsx(),
        sample_odt(),
    ] {
        let format = detect(&bytes, "x").unwrap();
        for cut in (1..bytes.len()).step_by(bytes.len() / 97 + 1) {
            let _ = extract(&bytes[..cut], format, &limits());
            let mut flipped = bytes.clone();
            flipped[cut] ^= 0x5A;
            let _ = extract(&flipped, format, &limits());
        }
    }
}

// ---------- limits on text and time ----------

#[test]
fn big_legal_docx_is_truncated_at_char_limit() {
    let paragraph = "De financiële toestand van één centrumstad blijft een aandachtspunt.";
    let paragraphs = vec![paragraph; 20_000];
    let bytes = docx(&paragraphs, "Groot");
    let limits = Limits {
        max_text_chars: 10_000,
        ..Limits::default()
    };
    let got = extract(&bytes, Format::Docx, &limits).unwrap();
    assert!(got.truncated);
    assert!(got.text.chars().count() <= 10_000);
    assert!(got.text.chars().count() > 9_900);
    assert!(got.text.starts_with(paragraph));
}

#[test]
fn big_pdf_and_markdown_are_truncated() {
    let pages = vec!["Pagina met financiële cijfers"; 200];
    let limits = Limits {
        max_text_chars: 1_000,
        ..Limits::default()
    };
    let got = extract(&pdf(&pages, None), Format::Pdf, &limits).unwrap();
    assert!(got.truncated);
    assert!(got.text.chars().count() <= 1_000);
    let md = "één ".repeat(10_000);
    let got = extract(md.as_bytes(), Format::Markdown, &limits).unwrap();
    assert!(got.truncated);
    // Cut at 1 000 characters; the trailing space at the cut is trimmed.
    assert!((999..=1_000).contains(&got.text.chars().count()));
}

#[test]
fn small_file_stays_untruncated_under_default_limits() {
    let got = run(&sample_docx(), "x.docx").unwrap();
    assert!(!got.truncated);
}

#[tokio::test]
async fn timeout_wrapper_trips_on_zero_time() {
    let bytes = docx(&vec!["financiële"; 1000], "x");
    let got = extract_with_timeout(bytes, Format::Docx, Limits::default(), Duration::ZERO).await;
    assert_eq!(got, Err(ExtractError::Timeout));
    assert!(ExtractError::Timeout.to_string().contains("te lang"));
}

#[tokio::test]
async fn timeout_wrapper_stops_long_work() {
    // About 200 MB of text to walk; 20 ms is far too little, in debug and release builds.
    let paragraph = "financiële ".repeat(100);
    let paragraphs = vec![paragraph.as_str(); 200_000];
    let bytes = docx(&paragraphs, "x");
    let started = Instant::now();
    let got = extract_with_timeout(
        bytes,
        Format::Docx,
        Limits::default(),
        Duration::from_millis(20),
    )
    .await;
    assert_eq!(got, Err(ExtractError::Timeout));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn timeout_wrapper_returns_result_in_time() {
    let got = extract_with_timeout(
        sample_pptx(),
        Format::Pptx,
        Limits::default(),
        Duration::from_secs(30),
    )
    .await
    .unwrap();
    assert_eq!(got.pages_or_parts, 3);
}

#[test]
fn deadline_is_checked_inside_the_work() {
    // About 100 MB of XML (under the unpacking limit): without checks inside the loops this
    // would run to the end; with them it stops right after the deadline.
    let paragraph = "financiële ".repeat(100);
    let paragraphs = vec![paragraph.as_str(); 90_000];
    let bytes = docx(&paragraphs, "x");
    let limits = Limits {
        max_text_chars: usize::MAX,
        ..Limits::default()
    };
    let started = Instant::now();
    let got = extract_before(
        &bytes,
        Format::Docx,
        &limits,
        started + Duration::from_millis(20),
    );
    assert_eq!(got, Err(ExtractError::Timeout));
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
}
