//! Kennisbank and website: the Kenniscentrum's public site and a searchable library of what
//! the programmes produced since 2007.
//!
//! Being built up. So far it holds two self-contained parts that the pages will stand on:
//! - [`extract`]: text from uploaded documents (PDF, DOCX, PPTX, XLSX, ODT, Markdown) with
//!   limits on size, decompressed size and time, refusing malformed or encrypted files with a
//!   reason;
//! - [`search`]: Dutch analysis (lower case, accents folded, stop words, stemming, compound
//!   splitting) and a tantivy index with weighted fields, snippets, facets and access rules.

pub mod extract;
pub mod search;
