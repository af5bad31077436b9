//! Text recognition (OCR) for PDFs without a text layer, such as scans: each page is rendered
//! to a grey image by poppler's `pdftoppm` and read by `tesseract` with the Dutch model, page
//! by page, each a child process under the same hard limits ([`super::child`]).
//!
//! OCR is slow (seconds per page), so it stops at [`MAX_PAGES`], at the character limit, or
//! when less than [`PAGE_RESERVE`] is left before the deadline; what was read is kept and the
//! notice says how far it got. It only runs when the PDF has images (`pdfimages -list`): a PDF
//! with neither text nor images is empty, not scanned.

use std::ffi::OsStr;
use std::path::Path;
use std::time::{Duration, Instant};

use super::child;
use super::error::ExtractError;
use super::guard::{Guard, TextSink};
use super::types::Limits;

/// Pages read by OCR at most.
const MAX_PAGES: usize = 200;

/// The longer side of a rendered page, in pixels: about 300 dpi for A4, what tesseract reads
/// best, and a fixed bound on the image whatever size the page claims.
const PAGE_PIXELS: &str = "3500";

/// OCR does not start another page with less time than this left.
const PAGE_RESERVE: Duration = Duration::from_secs(15);

/// What OCR came to: the text and the warning shown with it.
pub(super) struct Ocr {
    pub(super) text: String,
    pub(super) notice: String,
}

pub(super) fn read(
    pdf: &Path,
    dir: &Path,
    pages: usize,
    limits: &Limits,
    guard: &Guard,
) -> Result<Ocr, ExtractError> {
    if !has_images(pdf, guard)? {
        return Ok(Ocr {
            text: String::new(),
            notice: "Dit PDF-bestand bevat geen tekst en geen afbeeldingen: er is niets te lezen \
                     en het document is niet doorzoekbaar."
                .into(),
        });
    }
    let mut sink = TextSink::new(limits.max_text_chars);
    let mut read = 0;
    for page in 1..=pages.min(MAX_PAGES) {
        if sink.is_full() || (read > 0 && time_short(guard)) {
            break;
        }
        match page_text(pdf, dir, page, limits, guard) {
            Ok(text) => sink.push(&text),
            Err(ExtractError::ToolMissing(_)) => {
                return Ok(Ocr {
                    text: String::new(),
                    notice: "Dit PDF-bestand heeft geen tekstlaag (een scan?) en tekstherkenning \
                             (OCR) is niet beschikbaar op de server: het document is niet \
                             doorzoekbaar. Meld dit aan de beheerder."
                        .into(),
                })
            }
            Err(e) => return Err(e),
        }
        sink.newline();
        read = page;
    }
    let (text, truncated) = sink.finish();
    let mut notice = if text.is_empty() {
        "Dit PDF-bestand heeft geen tekstlaag (een scan?) en tekstherkenning (OCR) vond er geen \
         tekst in: het document is niet doorzoekbaar."
            .to_string()
    } else {
        "Dit PDF-bestand heeft geen tekstlaag (een scan?): de tekst is gelezen met \
         tekstherkenning (OCR) en kan fouten bevatten."
            .to_string()
    };
    if read < pages && !truncated {
        notice.push_str(&format!(
            " Alleen de eerste {read} van de {pages} pagina's zijn gelezen."
        ));
    }
    Ok(Ocr { text, notice })
}

fn time_short(guard: &Guard) -> bool {
    guard
        .deadline()
        .is_some_and(|d| d.saturating_duration_since(Instant::now()) < PAGE_RESERVE)
}

/// Whether `pdfimages -list` names at least one image (two header lines, then one per image).
fn has_images(pdf: &Path, guard: &Guard) -> Result<bool, ExtractError> {
    let out = child::run(
        "pdfimages",
        &[OsStr::new("-list"), pdf.as_os_str()],
        guard,
        64 * 1024,
    )?;
    Ok(String::from_utf8_lossy(&out.stdout).lines().count() > 2)
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
