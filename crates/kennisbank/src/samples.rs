//! Sample documents the project makes itself — a PDF and a Word file (DOCX) from a title and
//! paragraphs — for the demo Kennisbank and for tests and benchmarks. They are real files that
//! PDF readers and Word open, and that [`crate::extract`] reads back.

use std::io::{Cursor, Write};

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};

/// Characters per line in the PDF (Helvetica 11 pt on A4 with 2 cm margins, roughly).
const PDF_LINE_CHARS: usize = 90;
/// Lines per PDF page.
const PDF_PAGE_LINES: usize = 48;

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Latin-1 bytes for the PDF's WinAnsi encoding (characters outside it become '?').
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '’' | '‘' => b'\'',
            '“' | '”' => b'"',
            '–' | '—' => b'-',
            c if (c as u32) < 256 => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// A PDF with `title` as a heading (and in its metadata) and `paragraphs` wrapped over as many
/// A4 pages as they need.
pub fn pdf(title: &str, paragraphs: &[&str]) -> Vec<u8> {
    // (text, bold) lines, with an empty line between paragraphs.
    let mut lines: Vec<(String, bool)> = wrap(title, 60).into_iter().map(|l| (l, true)).collect();
    lines.push((String::new(), false));
    for paragraph in paragraphs {
        lines.extend(
            wrap(paragraph, PDF_LINE_CHARS)
                .into_iter()
                .map(|l| (l, false)),
        );
        lines.push((String::new(), false));
    }

    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = |doc: &mut Document, name: &str| {
        doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => name.to_string(),
            "Encoding" => "WinAnsiEncoding",
        })
    };
    let regular = font(&mut doc, "Helvetica");
    let bold = font(&mut doc, "Helvetica-Bold");
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => regular, "F2" => bold },
    });
    let mut kids: Vec<Object> = Vec::new();
    for chunk in lines.chunks(PDF_PAGE_LINES) {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("TL", vec![15.into()]),
            Operation::new("Td", vec![57.into(), 785.into()]),
        ];
        for (text, is_bold) in chunk {
            let font = if *is_bold { "F2" } else { "F1" };
            let size = if *is_bold { 15 } else { 11 };
            operations.push(Operation::new("Tf", vec![font.into(), size.into()]));
            operations.push(Operation::new(
                "Tj",
                vec![Object::String(win_ansi(text), lopdf::StringFormat::Literal)],
            ));
            operations.push(Operation::new("T*", vec![]));
        }
        operations.push(Operation::new("ET", vec![]));
        let content = Content { operations };
        let encoded = content.encode().unwrap_or_default();
        let content_id = doc.add_object(Stream::new(dictionary! {}, encoded));
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
    let info_id = doc.add_object(dictionary! {
        "Title" => lopdf::text_string(title),
        "Author" => lopdf::text_string("Kenniscentrum Vlaamse Steden (demo)"),
    });
    doc.trailer.set("Info", info_id);
    let mut out = Vec::new();
    // Saving to memory cannot fail for a document built here.
    let _ = doc.save_to(&mut out);
    out
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const DOCX_CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const DOCX_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

/// A Word document (DOCX) with `title` as its first, bold paragraph and in its properties.
pub fn docx(title: &str, paragraphs: &[&str]) -> Vec<u8> {
    let heading = format!(
        r#"<w:p><w:r><w:rPr><w:b/><w:sz w:val="32"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
        xml_escape(title)
    );
    let body: String = paragraphs
        .iter()
        .map(|p| {
            format!(
                r#"<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
                xml_escape(p)
            )
        })
        .collect();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{heading}{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    );
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:creator>Kenniscentrum Vlaamse Steden (demo)</dc:creator><dc:language>nl-BE</dc:language></cp:coreProperties>"#,
        xml_escape(title)
    );
    let entries: [(&str, &[u8]); 4] = [
        ("[Content_Types].xml", DOCX_CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", DOCX_RELS.as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("docProps/core.xml", core.as_bytes()),
    ];
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in entries {
        // Writing to memory cannot fail.
        let _ = writer.start_file(name, options);
        let _ = writer.write_all(content);
    }
    writer
        .finish()
        .map(|cursor| cursor.into_inner())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{detect, extract, Format, Limits};

    #[test]
    fn generated_files_are_read_back() {
        let long = "Steden werken samen aan klimaatgovernance en delen wat werkt. ".repeat(80);
        let bytes = pdf(
            "Klimaatgovernance in één stad",
            &[&long, "Tweede alinea over financiële ruimte."],
        );
        assert_eq!(detect(&bytes, "x.pdf").unwrap(), Format::Pdf);
        let got = extract(&bytes, Format::Pdf, &Limits::default()).unwrap();
        assert!(
            got.pages_or_parts >= 2,
            "wrapped over pages: {}",
            got.pages_or_parts
        );
        assert!(
            got.text.contains("financiële ruimte"),
            "{}",
            &got.text[..200.min(got.text.len())]
        );
        assert_eq!(got.title.as_deref(), Some("Klimaatgovernance in één stad"));

        let bytes = docx(
            "Handleiding <AVG> & privacy",
            &["Het register van verwerkingen.", "Tweede alinea."],
        );
        assert_eq!(detect(&bytes, "x.docx").unwrap(), Format::Docx);
        let got = extract(&bytes, Format::Docx, &Limits::default()).unwrap();
        assert!(
            got.text.contains("Handleiding <AVG> & privacy"),
            "{}",
            got.text
        );
        assert!(
            got.text.contains("register van verwerkingen"),
            "{}",
            got.text
        );
    }
}
