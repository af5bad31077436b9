//! The certificate of attendance (attest) as a one-page A4 PDF, written with lopdf and the
//! standard Helvetica fonts (no font file to ship). Those fonts speak WinAnsi: Dutch and French
//! letters (é, ë, ç, …) are fine; characters outside it become '?' (design §6: a TrueType font
//! can be embedded later). No database here.

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};

/// What the certificate says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attest {
    pub name: String,
    pub organisation: String,
    pub event: String,
    /// "Opleiding", "Studiedag", …
    pub kind: String,
    /// "woensdag 12 maart 2055, 09:30–16:30"
    pub when: String,
    pub place: String,
}

/// Latin-1 bytes for the PDF's WinAnsi encoding: typographic quotes and dashes to their plain
/// forms, anything else outside Latin-1 to '?'.
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

fn line(operations: &mut Vec<Operation>, font: &str, size: i64, x: i64, y: i64, text: &str) {
    operations.extend([
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec![font.into(), size.into()]),
        Operation::new("Td", vec![x.into(), y.into()]),
        Operation::new(
            "Tj",
            vec![Object::String(win_ansi(text), lopdf::StringFormat::Literal)],
        ),
        Operation::new("ET", vec![]),
    ]);
}

/// The PDF bytes of `attest`.
pub fn pdf(attest: &Attest) -> Vec<u8> {
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
    let mut ops = Vec::new();
    line(&mut ops, "F1", 12, 57, 780, "Kenniscentrum Vlaamse Steden");
    line(&mut ops, "F2", 26, 57, 700, "Attest van deelname");
    line(&mut ops, "F1", 12, 57, 650, "Hierbij bevestigen wij dat");
    line(&mut ops, "F2", 18, 57, 620, &attest.name);
    let mut y = 590;
    if !attest.organisation.is_empty() {
        line(&mut ops, "F1", 12, 57, y, &attest.organisation);
        y -= 30;
    }
    line(&mut ops, "F1", 12, 57, y, "heeft deelgenomen aan");
    y -= 28;
    line(
        &mut ops,
        "F2",
        15,
        57,
        y,
        &format!("{}: {}", attest.kind, attest.event),
    );
    y -= 24;
    line(&mut ops, "F1", 12, 57, y, &attest.when);
    if !attest.place.is_empty() {
        y -= 18;
        line(&mut ops, "F1", 12, 57, y, &attest.place);
    }
    line(
        &mut ops,
        "F1",
        10,
        57,
        120,
        "Dit attest werd opgemaakt op basis van de aanwezigheidsregistratie van de organisator.",
    );
    let encoded = Content { operations: ops }.encode().unwrap_or_default();
    let content_id = doc.add_object(Stream::new(dictionary! {}, encoded));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![Object::from(page_id)], "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let info_id = doc.add_object(dictionary! {
        "Title" => lopdf::text_string(&format!("Attest van deelname: {}", attest.event)),
        "Author" => lopdf::text_string("Kenniscentrum Vlaamse Steden"),
    });
    doc.trailer.set("Info", info_id);
    let mut out = Vec::new();
    // Saving to memory cannot fail for a document built here.
    let _ = doc.save_to(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_outside_win_ansi_become_question_marks() {
        assert_eq!(win_ansi("Zoë – Łódź"), b"Zo\xeb - ?\xf3d?".to_vec());
    }

    #[test]
    fn a_certificate_is_a_pdf() {
        let bytes = pdf(&Attest {
            name: "Anna".into(),
            organisation: String::new(),
            event: "Impactmeting".into(),
            kind: "Opleiding".into(),
            when: "12 maart".into(),
            place: String::new(),
        });
        assert!(bytes.starts_with(b"%PDF-1.5"));
    }
}
