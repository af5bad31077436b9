//! `lopdf-text FILE.pdf`: prints the text of a PDF as the Kennisbank's extraction did before
//! issue 10 (crates/kennisbank/src/extract/pdf.rs at bb3b83e^): lopdf loads the whole document
//! with each stream's inflated size bounded by 200 MB, then extracts the text chunks of 64
//! pages per call, a line break after each batch, at most 5 million characters.

use std::process::ExitCode;

use lopdf::{Document, LoadOptions};

/// The old limits: `Limits::default()` of the extraction.
const MAX_DECOMPRESSED: usize = 200 * 1024 * 1024;
const MAX_TEXT_CHARS: usize = 5_000_000;
const PAGES_PER_BATCH: usize = 64;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: lopdf-text FILE.pdf");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_DECOMPRESSED),
        ..LoadOptions::default()
    };
    let doc = match Document::load_mem_with_options(&bytes, options) {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(1);
        }
    };
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    let mut text = String::new();
    let mut chars = 0;
    'pages: for batch in numbers.chunks(PAGES_PER_BATCH) {
        for chunk in doc
            .extract_text_chunks_with_limit(batch, MAX_DECOMPRESSED)
            .into_iter()
            .flatten()
        {
            for c in chunk.chars() {
                if chars == MAX_TEXT_CHARS {
                    break 'pages;
                }
                text.push(c);
                chars += 1;
            }
        }
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    print!("{text}");
    ExitCode::SUCCESS
}
