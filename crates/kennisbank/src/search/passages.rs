//! Bounded passages of document bodies, for snippets.
//!
//! A hit's snippet used to be made from the whole stored body: loading the document
//! decompressed all of it, and tantivy's snippet generator ran the Dutch analyzer (with
//! compound splitting) over every character. A 5-million-character document cost ~300 ms per
//! query that returned it. Now the body is indexed in the main index but not stored there;
//! a second, small tantivy index beside it holds the body cut into overlapping passages of at
//! most [`MAX_BYTES`] bytes, each a document of its own (its parent's id, its text). For
//! a hit, the best passage *of that document* for the query's words is found through this
//! index's postings (BM25, no text analysis), and only that passage is loaded and analysed.
//! The text analysed per hit is thus bounded by [`MAX_BYTES`] whatever the body's length —
//! apart from walking the postings of the query's words within that one document, which
//! costs microseconds, not the analysis of its text.
//!
//! Passages overlap by [`OVERLAP_BYTES`] bytes (more than a snippet is long), so every
//! stretch of text that a snippet could show lies wholly inside at least one passage: a word
//! deep in a long document is highlighted just as it would be in a short one.

use std::path::Path;
use std::sync::Mutex;

use tantivy::collector::TopDocs;
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, Occur, Query as TQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

use super::analyzer::{SharedDictionary, INDEX_ANALYZER};
use super::SearchError;

/// The most bytes (so at most as many characters) a passage holds: the bound on the text
/// analysed for one snippet.
pub const MAX_BYTES: usize = 1_000;
/// How many bytes consecutive passages share (at least): more than a snippet shows (tantivy
/// measures a snippet's length in bytes too).
pub const OVERLAP_BYTES: usize = 240;
/// How far back a cut may move to fall between two words instead of inside one.
const WORD_BACKOFF: usize = 60;
const WRITER_MEMORY: usize = 30_000_000;

/// Cuts `body` into passages of at most [`MAX_BYTES`] bytes, in order, each but the first
/// starting at least [`OVERLAP_BYTES`] bytes before the previous one ends (so any stretch of
/// up to [`OVERLAP_BYTES`] bytes lies inside one passage). Cuts fall after a space when there
/// is one within a few dozen bytes, else on a character boundary. Linear in the body's
/// length, without allocating more than the list of slices.
pub fn split(body: &str) -> Vec<&str> {
    let len = body.len();
    let bytes = body.as_bytes();
    let floor = |mut i: usize| {
        while !body.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut start = 0;
    while start < len {
        let mut end = floor((start + MAX_BYTES).min(len));
        if end < len {
            // End the passage after the last space within reach (the space stays inside).
            if let Some(space) = (end.saturating_sub(WORD_BACKOFF).max(start + 1)..end)
                .rev()
                .find(|&i| bytes[i].is_ascii_whitespace())
            {
                end = space + 1;
            }
        }
        let text = body[start..end].trim();
        if !text.is_empty() {
            out.push(text);
        }
        if end == len {
            break;
        }
        // The next passage starts OVERLAP_BYTES before this one ends, moved back (never
        // forward: that would shrink the overlap) to the start of its word. With the
        // constants above it is always past `start`; the guard only keeps the loop finite.
        let mut next = floor(end - OVERLAP_BYTES);
        if let Some(word_start) = (next.saturating_sub(WORD_BACKOFF)..=next)
            .rev()
            .find(|&i| i == 0 || bytes[i - 1].is_ascii_whitespace())
        {
            next = word_start;
        }
        start = if next > start { next } else { end };
    }
    out
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    parent: Field,
    text: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let parent = b.add_text_field("parent", STRING);
    let text = b.add_text_field(
        "text",
        TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(INDEX_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ),
    );
    (b.build(), Fields { parent, text })
}

/// The passage index (see the module documentation). Its writes are staged by the caller,
/// which holds the main index's writer lock, and committed before the main index.
pub(super) struct Passages {
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    fields: Fields,
}

impl Passages {
    pub(super) fn open_or_create(dir: &Path, dict: SharedDictionary) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
        let directory =
            MmapDirectory::open(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
        let index = Index::open_or_create(directory, schema().0).map_err(|e| match e {
            TantivyError::SchemaError(_) => SearchError::SchemaMismatch,
            other => SearchError::Index(other),
        })?;
        Passages::with_index(index, dict)
    }

    pub(super) fn in_memory(dict: SharedDictionary) -> Result<Self, SearchError> {
        Passages::with_index(Index::create_in_ram(schema().0), dict)
    }

    fn with_index(index: Index, dict: SharedDictionary) -> Result<Self, SearchError> {
        index
            .tokenizers()
            .register(INDEX_ANALYZER, super::hyphen::index_analyzer(dict));
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Passages {
            reader,
            writer: Mutex::new(writer),
            fields: schema().1,
        })
    }

    /// Stages the replacement of `id`'s passages by those of `body`.
    pub(super) fn stage_upsert(&self, id: &str, body: &str) -> Result<(), SearchError> {
        let writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        writer.delete_term(Term::from_field_text(self.fields.parent, id));
        for passage in split(body) {
            let mut doc = TantivyDocument::default();
            doc.add_text(self.fields.parent, id);
            doc.add_text(self.fields.text, passage);
            writer.add_document(doc)?;
        }
        Ok(())
    }

    /// Stages the removal of `id`'s passages.
    pub(super) fn stage_delete(&self, id: &str) -> Result<(), SearchError> {
        let writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        writer.delete_term(Term::from_field_text(self.fields.parent, id));
        Ok(())
    }

    /// Stages the removal of every passage.
    pub(super) fn stage_delete_all(&self) -> Result<(), SearchError> {
        let writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        writer.delete_all_documents()?;
        Ok(())
    }

    pub(super) fn commit(&self) -> Result<(), SearchError> {
        self.writer
            .lock()
            .map_err(|_| SearchError::Poisoned)?
            .commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// The field the passage text is indexed in (for building the query on it).
    pub(super) fn text_field(&self) -> Field {
        self.fields.text
    }

    /// What one search needs to make snippets: `any_word` is the query's words and phrases
    /// on [`Passages::text_field`], any of them (a passage rarely holds them all).
    pub(super) fn snippets(
        &self,
        any_word: Box<dyn TQuery>,
        max_chars: usize,
    ) -> Result<PassageSnippets<'_>, SearchError> {
        let searcher = self.reader.searcher();
        let mut generator = SnippetGenerator::create(&searcher, &*any_word, self.fields.text)?;
        generator.set_max_num_chars(max_chars);
        Ok(PassageSnippets {
            passages: self,
            searcher,
            any_word,
            generator,
        })
    }
}

/// Snippets from passages for the hits of one search.
pub(super) struct PassageSnippets<'a> {
    passages: &'a Passages,
    searcher: tantivy::Searcher,
    any_word: Box<dyn TQuery>,
    generator: SnippetGenerator,
}

impl PassageSnippets<'_> {
    /// The highlighted snippet from the passage of document `id` that best matches the
    /// query, with the number of bytes analysed for it; `None` when no passage of `id`
    /// holds a word of the query (the words were in the title or summary only).
    pub(super) fn snippet(&self, id: &str) -> Result<Option<(String, usize)>, SearchError> {
        let fields = self.passages.fields;
        let of_doc: Box<dyn TQuery> = Box::new(TermQuery::new(
            Term::from_field_text(fields.parent, id),
            IndexRecordOption::Basic,
        ));
        let query = BooleanQuery::new(vec![
            (Occur::Must, of_doc),
            (Occur::Must, self.any_word.box_clone()),
        ]);
        let best = self
            .searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, address)) = best.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = self.searcher.doc(*address)?;
        let text = doc
            .get_first(fields.text)
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let mut snippet = self.generator.snippet(text);
        if snippet.is_empty() {
            return Ok(None);
        }
        snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
        Ok(Some((snippet.to_html(), text.len())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_are_bounded_overlap_and_cover_the_body() {
        // Windows of OVERLAP_BYTES / 2 characters: at most OVERLAP_BYTES bytes here (ó is two).
        let body: String = (0..20_000)
            .map(|i| format!("wóórd{} ", i % 97))
            .collect::<String>()
            + &"x".repeat(3_000)
            + " einde";
        let parts = split(&body);
        assert!(parts.len() > 100);
        assert!(parts.iter().all(|p| p.len() <= MAX_BYTES));
        let all: Vec<char> = body.chars().collect();
        let width = OVERLAP_BYTES / 2;
        for start in (0..all.len() - width).step_by(37) {
            let window: String = all[start..start + width].iter().collect();
            let window = window.trim();
            assert!(
                parts.iter().any(|p| p.contains(window)),
                "window at {start} is in no passage"
            );
        }
        assert!(parts.last().unwrap().ends_with("einde"));
        // Cuts fall between words where there are words.
        assert!(parts[1].starts_with("wóórd"), "{}", &parts[1][..20]);
    }

    #[test]
    fn short_and_empty_bodies() {
        assert_eq!(split("Een korte tekst."), vec!["Een korte tekst."]);
        assert!(split("").is_empty());
        assert!(split("   \n ").is_empty());
        let exact = "a".repeat(MAX_BYTES);
        assert_eq!(split(&exact), vec![exact.as_str()]);
    }
}
