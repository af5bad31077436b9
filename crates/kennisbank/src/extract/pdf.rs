//! PDF with poppler's command-line tools, each run as a child process under hard limits
//! ([`super::child`]): `pdfinfo` for the page count and the `/Info` title, `pdftotext` for the
//! text, and for a PDF without a text layer `pdfimages` and OCR ([`super::ocr`]).
//!
//! Why not in-process: the text extraction written on lopdf before held whole decompressed
//! content streams and their parsed operators in the server's memory (a 460 KB PDF inflating to
//! 150 MB took the server to 9.3 GB); poppler decodes streams incrementally, gives better text
//! (ligatures, CID fonts, reading order) and, in a child, the kernel bounds what it can take.
//! The figures are in docs/KENNISBANK.md. Every PDF with an `/Encrypt` entry is refused, also
//! those that only restrict printing or copying (an owner password): their text may be
//! readable, but the author asked for it not to be copied.

use std::ffi::OsStr;
use std::path::Path;

use super::child;
use super::error::ExtractError;
use super::guard::{Guard, TextSink};
use super::ocr;
use super::types::{Extracted, Format, Limits};

/// Output of `pdfinfo` that is read (a title is short; more is cut).
const MAX_INFO_BYTES: usize = 64 * 1024;

/// Below this many visible characters per page, a PDF counts as having no text layer.
const MIN_CHARS_PER_PAGE: usize = 16;

pub(super) fn extract(
    bytes: &[u8],
    limits: &Limits,
    guard: &Guard,
) -> Result<Extracted, ExtractError> {
    if has_encrypt_entry(bytes) {
        return Err(ExtractError::Encrypted(Format::Pdf));
    }
    // The tools read a file: one private temporary directory per extraction, removed on drop.
    let dir = tempfile::tempdir().map_err(|e| {
        ExtractError::Malformed(format!("tijdelijke map kon niet gemaakt worden ({e})"))
    })?;
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, bytes).map_err(|e| {
        ExtractError::Malformed(format!(
            "tijdelijk bestand kon niet geschreven worden ({e})"
        ))
    })?;
    let info = info(&path, guard)?;
    if info.pages == 0 {
        return Err(ExtractError::Malformed("de PDF heeft geen pagina's".into()));
    }
    let mut sink = TextSink::new(limits.max_text_chars);
    let text = text(&path, limits, guard)?;
    sink.push(&text.replace('\u{c}', "\n"));
    let mut notice = None;
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    if visible < MIN_CHARS_PER_PAGE * info.pages {
        let ocr = ocr::read(&path, dir.path(), info.pages, limits, guard)?;
        if !ocr.text.trim().is_empty() {
            sink = TextSink::new(limits.max_text_chars);
            sink.push(&ocr.text);
        }
        notice = Some(ocr.notice);
    }
    let (text, truncated) = sink.finish();
    Ok(Extracted {
        text,
        title: info.title,
        pages_or_parts: info.pages,
        truncated,
        notice,
    })
}

/// A trailer (or cross-reference stream) with `/Encrypt`, found without parsing.
fn has_encrypt_entry(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

struct Info {
    pages: usize,
    title: Option<String>,
}

/// Page count and title from `pdfinfo`, which reads the structure but no content stream.
fn info(path: &Path, guard: &Guard) -> Result<Info, ExtractError> {
    let out = child::run(
        "pdfinfo",
        &[OsStr::new("-enc"), OsStr::new("UTF-8"), path.as_os_str()],
        guard,
        MAX_INFO_BYTES,
    )?;
    match out.code {
        Some(0) | None => {}
        Some(3) => return Err(ExtractError::Encrypted(Format::Pdf)),
        Some(_) => return Err(unreadable()),
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(name))
            .map(str::trim)
    };
    let pages = field("Pages:")
        .and_then(|n| n.parse().ok())
        .ok_or_else(unreadable)?;
    let title = field("Title:")
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    Ok(Info { pages, title })
}

/// The text of all pages from `pdftotext` (pages end with a form feed), read up to the
/// character limit: beyond it the child is stopped.
fn text(path: &Path, limits: &Limits, guard: &Guard) -> Result<String, ExtractError> {
    let out = child::run(
        "pdftotext",
        &[
            OsStr::new("-q"),
            OsStr::new("-enc"),
            OsStr::new("UTF-8"),
            OsStr::new("-eol"),
            OsStr::new("unix"),
            path.as_os_str(),
            OsStr::new("-"),
        ],
        guard,
        child::max_bytes(limits.max_text_chars),
    )?;
    match out.code {
        Some(0) | None => Ok(String::from_utf8_lossy(&out.stdout).into_owned()),
        Some(3) => Err(ExtractError::Encrypted(Format::Pdf)),
        Some(_) => Err(unreadable()),
    }
}

fn unreadable() -> ExtractError {
    ExtractError::Malformed("de PDF kan niet gelezen worden".into())
}
