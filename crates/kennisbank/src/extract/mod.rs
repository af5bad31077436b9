//! Text extraction from uploaded Kennisbank documents (PDF, DOCX, PPTX, XLSX, ODT, Markdown).
//!
//! Uploads come from many hands, so every file is treated as hostile: the format is recognised
//! from the content ([`detect`]), and [`extract`] is bounded by [`Limits`] on the file size, on
//! the bytes unpacked from ZIP containers (counted while reading, never trusting the archive's
//! headers, so a zip bomb stops at the limit), on the number of ZIP entries and on the
//! characters of text kept (beyond that the text is cut and `truncated` is set). Malformed,
//! encrypted or unsupported files give an [`ExtractError`] with a Dutch reason for the upload's
//! status. All parsing runs inside `catch_unwind` as a last line of defence (PDF libraries in
//! particular are known to panic on odd input): a panic becomes [`ExtractError::Malformed`].
//!
//! Time: [`extract_with_timeout`] runs the work on tokio's blocking pool and answers
//! [`ExtractError::Timeout`] once the time is up. A blocking thread cannot be killed, so the
//! work itself also checks the same deadline inside its loops (ZIP reads, XML events, spreadsheet
//! cells) and in the child processes that read PDFs ([`child`]), and stops soon after; the size
//! limits bound whatever stretch runs between two checks (for example calamine's reading of the
//! shared-text table, which [`xlsx`] inspects first).

mod child;
mod detect;
mod error;
mod guard;
mod ocr;
mod office;
mod pdf;
mod types;
mod xlsx;

use std::time::{Duration, Instant};

pub use detect::detect;
pub use error::ExtractError;
pub use types::{Extracted, Format, Limits};

use guard::{Guard, TextSink};

/// Extracts the text of `bytes`, which [`detect`] recognised as `format`, within `limits`.
pub fn extract(bytes: &[u8], format: Format, limits: &Limits) -> Result<Extracted, ExtractError> {
    extract_until(bytes, format, limits, None)
}

/// Like [`extract`], on tokio's blocking pool, giving up with [`ExtractError::Timeout`] after
/// `timeout`. The work also checks the deadline itself, so it stops soon after (see the module
/// docs for why a blocking thread cannot simply be killed).
pub async fn extract_with_timeout(
    bytes: Vec<u8>,
    format: Format,
    limits: Limits,
    timeout: Duration,
) -> Result<Extracted, ExtractError> {
    let deadline = Instant::now() + timeout;
    let work =
        tokio::task::spawn_blocking(move || extract_until(&bytes, format, &limits, Some(deadline)));
    match tokio::time::timeout(timeout, work).await {
        Ok(Ok(result)) => result,
        Ok(Err(_join_error)) => Err(ExtractError::Malformed(
            "het bestand liet de tekstextractie vastlopen".into(),
        )),
        Err(_elapsed) => Err(ExtractError::Timeout),
    }
}

/// Like [`extract`], giving up with [`ExtractError::Timeout`] once `deadline` has passed; for a
/// caller that runs the work on its own thread. The deadline is checked between ZIP reads, XML
/// events and spreadsheet cells, and bounds the child processes, so the work stops soon after it.
pub fn extract_before(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    deadline: Instant,
) -> Result<Extracted, ExtractError> {
    extract_until(bytes, format, limits, Some(deadline))
}

/// [`extract`] with an optional deadline that the loops check.
fn extract_until(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    deadline: Option<Instant>,
) -> Result<Extracted, ExtractError> {
    let size = bytes.len() as u64;
    if size > limits.max_file_bytes {
        return Err(ExtractError::TooLarge {
            size,
            max: limits.max_file_bytes,
        });
    }
    let guard = Guard::new(limits.max_decompressed_bytes, deadline);
    guard.check_time()?;
    // The parsers should not panic, but a damaged upload must never take a worker down.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match format {
        Format::Pdf => pdf::extract(bytes, limits, &guard),
        Format::Docx | Format::Pptx | Format::Odt => office::extract(bytes, format, limits, &guard),
        Format::Xlsx => xlsx::extract(bytes, limits, &guard),
        Format::Markdown => markdown(bytes, limits),
    }))
    .unwrap_or_else(|_| {
        Err(ExtractError::Malformed(
            "de inhoud bracht de tekstextractie in de war".into(),
        ))
    })
    .map(|mut extracted| {
        if extracted.text.is_empty() && extracted.notice.is_none() {
            extracted.notice = Some(
                "Er is geen tekst gevonden in dit bestand: het document is niet doorzoekbaar."
                    .into(),
            );
        }
        extracted
    })
}

/// Markdown and plain text: the text as is (BOM stripped), title from the first `# ` heading.
fn markdown(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(body).map_err(|_| {
        ExtractError::Malformed("dit tekstbestand is niet in UTF-8 gecodeerd".into())
    })?;
    let title = text
        .lines()
        .find_map(|line| line.trim_start().strip_prefix("# "))
        .map(|t| t.trim().trim_end_matches('#').trim().to_string())
        .filter(|t| !t.is_empty());
    let mut sink = TextSink::new(limits.max_text_chars);
    sink.push(text);
    let (text, truncated) = sink.finish();
    Ok(Extracted {
        text,
        title,
        pages_or_parts: 1,
        truncated,
        notice: None,
    })
}
