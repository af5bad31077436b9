//! Text recognition (OCR) for the pages of a PDF that have no text layer, such as scans: each
//! such page is rendered to a grey image by poppler's `pdftoppm` and read by `tesseract` with
//! the Dutch model, page by page, each a child process under the same hard limits
//! ([`super::child`]).
//!
//! Which pages: those with fewer than [`super::pdf`]'s minimum of visible characters in their
//! text layer and at least one image on them (`pdfimages -list`); a page with neither text nor
//! images is empty, not scanned. So a report whose body has text and whose annexes are scanned
//! keeps its text layer and has only the annexes read by OCR.
//!
//! OCR is slow (seconds per page), so it stops at [`MAX_PAGES`] pages, at the character limit,
//! or when less than [`PAGE_RESERVE`] is left before the deadline; what was read is kept and
//! [`Ocr::unread`] says how many pages were left.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::Path;
use std::time::{Duration, Instant};

use super::child;
use super::error::ExtractError;
use super::guard::Guard;
use super::types::Limits;

/// Pages read by OCR at most.
const MAX_PAGES: usize = 200;

/// The longer side of a rendered page, in pixels: about 300 dpi for A4, what tesseract reads
/// best, and a fixed bound on the image whatever size the page claims.
const PAGE_PIXELS: &str = "3500";

/// OCR does not start another page with less time than this left.
const PAGE_RESERVE: Duration = Duration::from_secs(15);

/// Output of `pdfimages -list` that is read: one line of about 100 bytes per image.
const MAX_LIST_BYTES: usize = 4 * 1024 * 1024;

/// What OCR came to.
pub(super) struct Ocr {
    /// The text read per page (page number from 1), in page order.
    pub(super) pages: Vec<(usize, String)>,
    /// Pages that were to be read but were not (time, page or character limit).
    pub(super) unread: usize,
}

/// The pages (numbered from 1) that show at least one image, from `pdfimages -list` (two
/// header lines, then one line per image starting with its page number).
pub(super) fn pages_with_images(
    pdf: &Path,
    guard: &Guard,
) -> Result<BTreeSet<usize>, ExtractError> {
    let out = child::run(
        "pdfimages",
        &[OsStr::new("-list"), pdf.as_os_str()],
        guard,
        MAX_LIST_BYTES,
    )?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter_map(|line| line.split_whitespace().next()?.parse().ok())
        .collect())
}

/// Reads `pages` (numbered from 1) by OCR, in order, until a limit; `max_chars` is the room
/// left for text. [`ExtractError::ToolMissing`] when `pdftoppm` or `tesseract` is missing.
pub(super) fn read(
    pdf: &Path,
    dir: &Path,
    pages: &[usize],
    max_chars: usize,
    limits: &Limits,
    guard: &Guard,
) -> Result<Ocr, ExtractError> {
    let mut read = Vec::new();
    let mut chars = 0;
    for (i, &page) in pages.iter().enumerate() {
        if i == MAX_PAGES || chars >= max_chars || (i > 0 && time_short(guard)) {
            return Ok(Ocr {
                unread: pages.len() - i,
                pages: read,
            });
        }
        let text = page_text(pdf, dir, page, limits, guard)?;
        chars += text.chars().count();
        read.push((page, text));
    }
    Ok(Ocr {
        pages: read,
        unread: 0,
    })
}

fn time_short(guard: &Guard) -> bool {
    guard
        .deadline()
        .is_some_and(|d| d.saturating_duration_since(Instant::now()) < PAGE_RESERVE)
}

/// Renders page `page` and reads it with tesseract's Dutch model.
fn page_text(
    pdf: &Path,
    dir: &Path,
    page: usize,
    limits: &Limits,
    guard: &Guard,
) -> Result<String, ExtractError> {
    let number = page.to_string();
    let base = dir.join("page");
    let image = dir.join("page.png");
    let out = child::run(
        "pdftoppm",
        &[
            OsStr::new("-q"),
            OsStr::new("-gray"),
            OsStr::new("-png"),
            OsStr::new("-scale-to"),
            OsStr::new(PAGE_PIXELS),
            OsStr::new("-f"),
            OsStr::new(&number),
            OsStr::new("-l"),
            OsStr::new(&number),
            OsStr::new("-singlefile"),
            pdf.as_os_str(),
            base.as_os_str(),
        ],
        guard,
        1024,
    )?;
    if out.code != Some(0) || !image.exists() {
        // One page that cannot be rendered does not cost the others their text.
        return Ok(String::new());
    }
    let out = child::run(
        "tesseract",
        &[
            image.as_os_str(),
            OsStr::new("stdout"),
            OsStr::new("-l"),
            OsStr::new("nld"),
        ],
        guard,
        child::max_bytes(limits.max_text_chars),
    )?;
    let _ = std::fs::remove_file(&image);
    match out.code {
        Some(0) | None => Ok(String::from_utf8_lossy(&out.stdout).into_owned()),
        Some(_) => Ok(String::new()),
    }
}
