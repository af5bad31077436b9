//! PDF with poppler's command-line tools, each run as a child process under hard limits
//! ([`super::child`]): `pdfinfo` for the page count and the `/Info` title, `pdftotext` for the
//! text, and for the pages without a text layer `pdfimages` and OCR ([`super::ocr`]).
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

/// Below this many visible characters, a page counts as having no text layer (a scan when it
/// shows an image).
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
    let text = text(&path, limits, guard)?;
    let (text, notice) = with_ocr(text, &info, &path, dir.path(), limits, guard)?;
    let mut sink = TextSink::new(limits.max_text_chars);
    sink.push(&text);
    let (text, truncated) = sink.finish();
    Ok(Extracted {
        text,
        title: info.title,
        pages_or_parts: info.pages,
        truncated,
        notice,
    })
}

fn visible(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// The text of the pages, each page's text layer or, for a page with fewer than
/// [`MIN_CHARS_PER_PAGE`] visible characters and an image, what OCR reads on it; and the
/// warning that says so. `layer` is pdftotext's output: every page ends with a form feed.
fn with_ocr(
    layer: String,
    info: &Info,
    path: &Path,
    dir: &Path,
    limits: &Limits,
    guard: &Guard,
) -> Result<(String, Option<String>), ExtractError> {
    let pages: Vec<&str> = layer.split('\u{c}').collect();
    // Text cut at the character limit has no room for more: OCR would add nothing.
    let full = layer.chars().count() >= limits.max_text_chars;
    let sparse: Vec<usize> = (1..=info.pages)
        .filter(|&p| {
            pages
                .get(p - 1)
                .is_some_and(|t| visible(t) < MIN_CHARS_PER_PAGE)
        })
        .collect();
    if full || sparse.is_empty() {
        return Ok((pages.join("\n"), None));
    }
    let images = ocr::pages_with_images(path, guard)?;
    let scanned: Vec<usize> = sparse.into_iter().filter(|p| images.contains(p)).collect();
    if scanned.is_empty() {
        let notice =
            (images.is_empty() && visible(&layer) < MIN_CHARS_PER_PAGE * info.pages).then(|| {
                "Dit PDF-bestand bevat geen tekst en geen afbeeldingen: er is niets te lezen \
                 en het document is niet doorzoekbaar."
                    .to_string()
            });
        return Ok((pages.join("\n"), notice));
    }
    let room = limits.max_text_chars.saturating_sub(visible(&layer));
    let whole = scanned.len() == info.pages;
    let ocr = match ocr::read(path, dir, &scanned, room, limits, guard) {
        Ok(ocr) => ocr,
        Err(ExtractError::ToolMissing(_)) => {
            let notice = if whole {
                "Dit PDF-bestand heeft geen tekstlaag (een scan?) en tekstherkenning (OCR) is \
                 niet beschikbaar op de server: het document is niet doorzoekbaar. Meld dit aan \
                 de beheerder."
                    .to_string()
            } else {
                format!(
                    "{} van dit PDF-bestand {} geen tekstlaag (een scan?) en tekstherkenning (OCR) \
                     is niet beschikbaar op de server: {} niet doorzoekbaar. Meld dit aan de \
                     beheerder.",
                    which_pages(&scanned, info.pages),
                    if scanned.len() == 1 { "heeft" } else { "hebben" },
                    if scanned.len() == 1 { "die pagina is" } else { "die pagina's zijn" },
                )
            };
            return Ok((pages.join("\n"), Some(notice)));
        }
        Err(e) => return Err(e),
    };
    let found: usize = ocr.pages.iter().map(|(_, t)| visible(t)).sum();
    let mut read = ocr.pages.into_iter().peekable();
    let mut out = String::new();
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match read.next_if(|(p, _)| *p == i + 1) {
            Some((_, text)) => out.push_str(text.trim_end()),
            None => out.push_str(page),
        }
    }
    let mut notice = if whole && found == 0 {
        "Dit PDF-bestand heeft geen tekstlaag (een scan?) en tekstherkenning (OCR) vond er geen \
         tekst in: het document is niet doorzoekbaar."
            .to_string()
    } else if whole {
        "Dit PDF-bestand heeft geen tekstlaag (een scan?): de tekst is gelezen met \
         tekstherkenning (OCR) en kan fouten bevatten."
            .to_string()
    } else {
        format!(
            "{} van dit PDF-bestand {} geen tekstlaag (een scan?): de tekst ervan is gelezen met \
             tekstherkenning (OCR) en kan fouten bevatten; de andere pagina's zijn gewoon gelezen.",
            which_pages(&scanned, info.pages),
            if scanned.len() == 1 {
                "heeft"
            } else {
                "hebben"
            },
        )
    };
    if ocr.unread > 0 {
        let done = scanned.len() - ocr.unread;
        notice.push_str(&format!(
            " Alleen de eerste {done} van de {} pagina's zonder tekstlaag zijn gelezen: de tijd \
             of de limiet voor tekstherkenning was bereikt.",
            scanned.len()
        ));
    }
    Ok((out, Some(notice)))
}

/// "Pagina 3" or "4 van de 12 pagina's".
fn which_pages(scanned: &[usize], pages: usize) -> String {
    match scanned {
        [page] => format!("Pagina {page}"),
        _ => format!("{} van de {pages} pagina's", scanned.len()),
    }
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
        // A soft hyphen (U+00AD) marks where a word may break and is never part of its text:
        // Chromium's PDFs carry one at every such place, which would cut the words apart.
        Some(0) | None => Ok(String::from_utf8_lossy(&out.stdout).replace('\u{ad}', "")),
        Some(3) => Err(ExtractError::Encrypted(Format::Pdf)),
        Some(_) => Err(unreadable()),
    }
}

fn unreadable() -> ExtractError {
    ExtractError::Malformed("de PDF kan niet gelezen worden".into())
}
