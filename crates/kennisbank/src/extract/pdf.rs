//! PDF with lopdf: text per page, the `/Info` title, and refusal of encrypted files.
//!
//! lopdf bounds each stream's decompressed size itself (we pass our limit), and the whole
//! parse runs inside `catch_unwind`, because PDF parsers are known to panic on damaged files:
//! a panic becomes [`ExtractError::Malformed`] instead of a dead worker. Every PDF with an
//! `/Encrypt` entry is refused, also those that only restrict printing or copying (an owner
//! password): their text may be readable, but the author asked for it not to be copied.

use std::panic::{self, AssertUnwindSafe};

use lopdf::{Document, LoadOptions, Object};

use super::error::ExtractError;
use super::guard::{Guard, TextSink};
use super::types::{Extracted, Format, Limits};

/// Pages whose text is extracted per lopdf call; the deadline is checked between batches.
const PAGES_PER_BATCH: usize = 64;

pub(super) fn extract(
    bytes: &[u8],
    limits: &Limits,
    guard: &Guard,
) -> Result<Extracted, ExtractError> {
    if has_encrypt_entry(bytes) {
        return Err(ExtractError::Encrypted(Format::Pdf));
    }
    panic::catch_unwind(AssertUnwindSafe(|| extract_unguarded(bytes, limits, guard)))
        .unwrap_or_else(|_| {
            Err(ExtractError::Malformed(
                "de PDF-structuur is ongeldig".into(),
            ))
        })
}

/// A trailer (or cross-reference stream) with `/Encrypt`, found without parsing.
fn has_encrypt_entry(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

fn extract_unguarded(
    bytes: &[u8],
    limits: &Limits,
    guard: &Guard,
) -> Result<Extracted, ExtractError> {
    let per_stream = usize::try_from(limits.max_decompressed_bytes).unwrap_or(usize::MAX);
    let options = LoadOptions {
        max_decompressed_size: Some(per_stream),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(load_error)?;
    if doc.trailer.get(b"Encrypt").is_ok() {
        return Err(ExtractError::Encrypted(Format::Pdf));
    }
    guard.check_time()?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ExtractError::Malformed("de PDF heeft geen pagina's".into()));
    }
    let numbers: Vec<u32> = pages.keys().copied().collect();
    let mut sink = TextSink::new(limits.max_text_chars);
    // In batches: lopdf walks the page tree on every call, so one call per page would make
    // big documents quadratic, while one call for all pages would skip the deadline checks.
    for batch in numbers.chunks(PAGES_PER_BATCH) {
        guard.check_time()?;
        if sink.is_full() {
            break;
        }
        // An unreadable chunk (an odd font or content stream) does not cost the rest.
        for chunk in doc
            .extract_text_chunks_with_limit(batch, per_stream)
            .into_iter()
            .flatten()
        {
            sink.push(&chunk);
        }
        sink.newline();
    }
    let (text, truncated) = sink.finish();
    Ok(Extracted {
        text,
        title: title(&doc),
        pages_or_parts: pages.len(),
        truncated,
    })
}

fn load_error(e: lopdf::Error) -> ExtractError {
    match e {
        lopdf::Error::Decryption(_) => ExtractError::Encrypted(Format::Pdf),
        other => ExtractError::Malformed(format!("de PDF kan niet gelezen worden ({other})")),
    }
}

/// `/Title` from the document information dictionary.
fn title(doc: &Document) -> Option<String> {
    let info = doc.trailer.get_deref(b"Info", doc).ok()?.as_dict().ok()?;
    let title: &Object = info.get_deref(b"Title", doc).ok()?;
    let title = lopdf::decode_text_string(title).ok()?;
    let title = title.trim();
    (!title.is_empty()).then(|| title.to_string())
}
