//! Recognising a document's format from its content, not from its name.
//!
//! Policy on names: when the file's extension is one we know (`.pdf`, `.docx`, `.pptx`,
//! `.xlsx`, `.odt`, `.md`, `.markdown`, `.txt`) and the content is another supported format,
//! the upload is refused with [`ExtractError::ExtensionMismatch`] ("Dit bestand heet .docx
//! maar is een PDF-bestand"). A mismatch usually means a wrongly renamed or exported file, and
//! the name is what visitors later see and download, so it should not lie. Files without an
//! extension or with an unknown one follow the content.

use std::io::{Cursor, Read};

use super::error::ExtractError;
use super::types::Format;

const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ODT_MIME: &[u8] = b"application/vnd.oasis.opendocument.text";

/// Recognises the format of `bytes`; `filename` is used only to refuse a misleading name.
pub fn detect(bytes: &[u8], filename: &str) -> Result<Format, ExtractError> {
    let extension = extension_of(filename);
    let format = match sniff(bytes) {
        Ok(format) => format,
        Err(ExtractError::Unsupported(_)) if extension.as_deref() == Some("md") => {
            return Err(ExtractError::Malformed(
                "dit tekstbestand is niet in UTF-8 gecodeerd; sla het op als UTF-8".into(),
            ))
        }
        Err(e) => return Err(e),
    };
    match extension.and_then(|ext| Format::from_extension(&ext).map(|f| (ext, f))) {
        Some((ext, expected)) if expected != format => Err(ExtractError::ExtensionMismatch {
            extension: ext,
            actual: format,
        }),
        _ => Ok(format),
    }
}

/// The lower-case extension, with `.markdown` and `.txt` folded into `md`.
fn extension_of(filename: &str) -> Option<String> {
    let (_, ext) = filename.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    Some(match ext.as_str() {
        "markdown" | "txt" => "md".into(),
        _ => ext,
    })
}

fn sniff(bytes: &[u8]) -> Result<Format, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Malformed("het bestand is leeg".into()));
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Format::Pdf);
    }
    if bytes.starts_with(CFB_MAGIC) {
        return Err(sniff_cfb(bytes));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes);
    }
    if looks_like_text(bytes) {
        return Ok(Format::Markdown);
    }
    Err(ExtractError::Unsupported("onbekend bestandsformaat".into()))
}

/// An OLE compound file is either a password-protected OOXML file (it then holds an
/// `EncryptionInfo` stream, whose name is stored in UTF-16LE) or an old binary Office file.
fn sniff_cfb(bytes: &[u8]) -> ExtractError {
    let name: Vec<u8> = "EncryptionInfo"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    if bytes.windows(name.len()).any(|w| w == name.as_slice()) {
        // Which of DOCX, XLSX or PPTX is hidden inside; the message says "Office-bestand".
        ExtractError::Encrypted(Format::Docx)
    } else {
        ExtractError::Unsupported(
            "oude Office-bestanden (.doc, .xls, .ppt); sla het bestand op als .docx, .xlsx of .pptx"
                .into(),
        )
    }
}

/// Reads only the ZIP's central directory (no unpacking, except the tiny ODF `mimetype`).
fn sniff_zip(bytes: &[u8]) -> Result<Format, ExtractError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::Malformed(format!("geen geldig ZIP-archief ({e})")))?;
    let has = |name: &str| archive.index_for_name(name).is_some();
    if has("[Content_Types].xml") {
        if has("word/document.xml") {
            return Ok(Format::Docx);
        }
        if has("ppt/presentation.xml") {
            return Ok(Format::Pptx);
        }
        if has("xl/workbook.xml") {
            return Ok(Format::Xlsx);
        }
        return Err(ExtractError::Unsupported("onbekend Office-bestand".into()));
    }
    match odf_mimetype(&mut archive) {
        Some(mime) if mime == ODT_MIME => Ok(Format::Odt),
        Some(_) => Err(ExtractError::Unsupported(
            "OpenDocument-bestand dat geen tekstdocument is (.ods, .odp); gebruik .odt, .xlsx of .pptx"
                .into(),
        )),
        None => Err(ExtractError::Unsupported("ZIP-archief".into())),
    }
}

/// The first bytes of an ODF package's `mimetype` entry, if it has one.
fn odf_mimetype(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<Vec<u8>> {
    let entry = archive.by_name("mimetype").ok()?;
    let mut mime = Vec::new();
    entry.take(200).read_to_end(&mut mime).ok()?;
    Some(mime.trim_ascii().to_vec())
}

/// Valid UTF-8 (a BOM allowed) without NUL bytes.
fn looks_like_text(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    !body.contains(&0) && std::str::from_utf8(body).is_ok()
}
