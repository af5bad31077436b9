//! Compression of responses: brotli or gzip, as the browser asks (`Accept-Encoding`), for text
//! only.
//!
//! Pages, stylesheets and scripts are text that shrinks to a fifth or less; over a slow
//! mobile connection that is most of the time to first paint. Images other than SVG, PDFs,
//! spreadsheets and ZIPs are compressed already (compressing them again costs CPU for
//! nothing), so the layer compresses by an allow-list of content types rather than by a
//! deny-list. Brotli runs at quality 4 (tower-http's default, as nginx's brotli module): the
//! highest qualities cost milliseconds per page. Every compressible response carries
//! `Vary: Accept-Encoding`, so a shared cache never hands a brotli body to a client that
//! asked for none.

use axum::http::header;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;

/// Content types worth compressing (the part before any `;`).
const COMPRESSIBLE: &[&str] = &[
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "image/svg+xml",
    "application/json",
    "application/problem+json",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "text/plain",
    "text/csv",
];

/// Below this many bytes the encoding's framing outweighs what it saves.
const MIN_BYTES: u16 = 256;

fn is_compressible(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    COMPRESSIBLE.contains(&essence.as_str())
}

/// Compresses responses whose content type is text (see [`COMPRESSIBLE`]).
#[derive(Clone, Copy)]
pub struct TextOnly;

impl Predicate for TextOnly {
    fn should_compress<B>(&self, response: &axum::http::Response<B>) -> bool
    where
        B: axum::body::HttpBody,
    {
        response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(is_compressible)
    }
}

/// The layer [`crate::app::build`] adds: brotli and gzip, text only, not for tiny bodies.
pub fn layer() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .br(true)
        .gzip(true)
        .compress_when(TextOnly.and(SizeAbove::new(MIN_BYTES)))
}

#[cfg(test)]
mod tests {
    use super::is_compressible;

    #[test]
    fn text_is_compressed_and_binary_is_not() {
        for t in [
            "text/html; charset=utf-8",
            "text/css; charset=utf-8",
            "text/javascript; charset=utf-8",
            "image/svg+xml",
            "application/json",
            "Application/Problem+JSON",
        ] {
            assert!(is_compressible(t), "{t}");
        }
        for t in [
            "image/png",
            "application/pdf",
            "application/zip",
            "text/event-stream",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ] {
            assert!(!is_compressible(t), "{t}");
        }
    }
}
