//! The types extraction shares between its parts: the formats, the limits on the work and
//! its result. Kept apart from `mod.rs`, `error.rs` and `guard.rs`, so that those depend on
//! this file and never on each other.

/// A document format the Kennisbank extracts text from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Pdf,
    Docx,
    Pptx,
    Xlsx,
    Odt,
    /// Markdown or plain UTF-8 text.
    Markdown,
}

impl Format {
    /// The Dutch name used in messages ("een PDF-bestand").
    pub fn label(self) -> &'static str {
        match self {
            Format::Pdf => "PDF-bestand",
            Format::Docx => "Word-document (DOCX)",
            Format::Pptx => "PowerPoint-presentatie (PPTX)",
            Format::Xlsx => "Excel-rekenblad (XLSX)",
            Format::Odt => "OpenDocument-tekst (ODT)",
            Format::Markdown => "tekstbestand",
        }
    }

    /// The format a (lower-case) extension promises; `md` also stands for `.markdown`/`.txt`.
    pub fn from_extension(ext: &str) -> Option<Format> {
        Some(match ext {
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            "pptx" => Format::Pptx,
            "xlsx" => Format::Xlsx,
            "odt" => Format::Odt,
            "md" | "markdown" | "txt" => Format::Markdown,
            _ => return None,
        })
    }
}

/// Bounds on the work for one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest upload accepted, in bytes.
    pub max_file_bytes: u64,
    /// Most bytes unpacked from a ZIP container (DOCX, PPTX, XLSX, ODT), over all entries read.
    pub max_decompressed_bytes: u64,
    /// Most characters of text kept; more sets [`Extracted::truncated`].
    pub max_text_chars: usize,
    /// Most entries a ZIP container may hold.
    pub max_entries: usize,
}

impl Default for Limits {
    /// 50 MB per file, 200 MB unpacked, 5 million characters, 10 000 ZIP entries.
    fn default() -> Self {
        Limits {
            max_file_bytes: 50 * 1024 * 1024,
            max_decompressed_bytes: 200 * 1024 * 1024,
            max_text_chars: 5_000_000,
            max_entries: 10_000,
        }
    }
}

/// The text of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub text: String,
    /// The title from the document's metadata (or Markdown's first `# ` heading), if any.
    pub title: Option<String>,
    /// Pages (PDF), slides (PPTX) or sheets (XLSX); 1 for DOCX, ODT and Markdown, which have no
    /// fixed pages.
    pub pages_or_parts: usize,
    /// The text was cut at [`Limits::max_text_chars`].
    pub truncated: bool,
    /// A warning for the editor, in Dutch, when the text was read but not as usual: read by OCR
    /// from a PDF without a text layer, or no text at all.
    pub notice: Option<String>,
}
