//! The search index: a tantivy index over the Kennisbank documents.
//!
//! Access rules are part of every query: the user's access values are a required clause of
//! the query itself, so the count, the facet counts, the hits and the snippets only ever see
//! documents the user may open. Suggestions are checked the same way: a suggested search is
//! only offered when it finds something the user may open. One known, minor limit: BM25's
//! term statistics (document frequencies) are index-wide, so the *score* of a visible hit is
//! computed with statistics that include documents the user cannot see.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex, RwLock};

use chrono::{Datelike, NaiveDate};
use tantivy::collector::{Count, FacetCollector, FacetCounts, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query as TQuery, TermQuery};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value,
    FAST, INDEXED, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument,
    TantivyError, Term,
};

use super::analyzer::{
    self, Dictionary, SharedDictionary, INDEX_ANALYZER, QUERY_ANALYZER, WORD_ANALYZER,
};
use super::passages::{self, PassageSnippets, Passages};
use super::query::{self, TextFields, Unit};
use super::synonyms::Synonyms;
use super::{Document, FacetKind, Hit, Query, Results, SearchError, Sort};

const VOCABULARY_FILE: &str = "nl_woordenschat.tsv";
/// The file beside the index that names the version of the analysis it was built with.
const ANALYSIS_FILE: &str = "nl_analyse";
/// Changes whenever the analysis turns a text into other tokens (2: compound runs and suffix
/// compounds, suspended hyphens, verb/noun stems), so that an index built before is rebuilt
/// rather than searched with tokens it does not hold.
const ANALYSIS_VERSION: &str = "2";
/// The passage index's directory, inside the index's own (tantivy leaves unknown entries be).
const PASSAGES_DIR: &str = "passages";
const WRITER_MEMORY: usize = 50_000_000;
const MAX_PER_PAGE: usize = 100;
const MAX_OFFSET: usize = 10_000;
const SNIPPET_CHARS: usize = 220;

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    text: TextFields,
    date: Field,
    facets: Field,
    access: Field,
}

/// The Kennisbank search index. Cheap to share behind an `Arc`; searches run in parallel,
/// updates are serialised.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    fields: Fields,
    pub(super) dict: SharedDictionary,
    /// The glossary's synonym groups, applied at query time (see [`SearchIndex::set_synonyms`]).
    synonyms: RwLock<Arc<Synonyms>>,
    /// Where the learned vocabulary is kept (beside tantivy's files, not managed by it);
    /// `None` for an index in memory.
    vocabulary: Option<PathBuf>,
    /// The bodies cut into bounded passages, for snippets (see [`passages`]).
    passages: Passages,
    /// Bytes of text handed to the snippet generator so far (see
    /// [`SearchIndex::snippet_bytes_analysed`]).
    snippet_bytes: AtomicU64,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(INDEX_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let stored = indexed.clone().set_stored();
    let id = b.add_text_field("id", STRING | STORED);
    let title = b.add_text_field("title", stored.clone());
    let summary = b.add_text_field("summary", stored);
    // The body is not stored here: loading a hit would decompress all of it. Snippets come
    // from its passages (see `passages`).
    let body = b.add_text_field("body", indexed);
    let date = b.add_i64_field("date", INDEXED | STORED | FAST);
    let facets = b.add_facet_field("facets", FacetOptions::default());
    let access = b.add_text_field("access", STRING);
    let fields = Fields {
        id,
        text: TextFields {
            title,
            summary,
            body,
        },
        date,
        facets,
        access,
    };
    (b.build(), fields)
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index when needed.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
        let directory =
            MmapDirectory::open(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
        let passages_dir = dir.join(PASSAGES_DIR);
        let had_passages = passages_dir.join("meta.json").exists();
        let (schema, _) = schema();
        let index = Index::open_or_create(directory, schema).map_err(|e| match e {
            TantivyError::SchemaError(_) => SearchError::SchemaMismatch,
            other => SearchError::Index(other),
        })?;
        // Documents without their passages would have no snippets: rebuild (the caller
        // starts again from the database on this error, as for another schema).
        let has_docs = index
            .load_metas()?
            .segments
            .iter()
            .any(|s| s.num_docs() > 0);
        let analysis = std::fs::read_to_string(dir.join(ANALYSIS_FILE)).unwrap_or_default();
        if has_docs && (!had_passages || analysis.trim() != ANALYSIS_VERSION) {
            return Err(SearchError::SchemaMismatch);
        }
        if analysis.trim() != ANALYSIS_VERSION {
            std::fs::write(dir.join(ANALYSIS_FILE), ANALYSIS_VERSION)
                .map_err(|e| SearchError::Directory(e.to_string()))?;
        }
        SearchIndex::with_index(index, Some(dir.join(VOCABULARY_FILE)), |dict| {
            Passages::open_or_create(&passages_dir, dict)
        })
    }

    /// A fresh index in memory (tests, benchmarks).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, _) = schema();
        SearchIndex::with_index(Index::create_in_ram(schema), None, Passages::in_memory)
    }

    fn with_index(
        index: Index,
        vocabulary: Option<PathBuf>,
        passages: impl FnOnce(SharedDictionary) -> Result<Passages, SearchError>,
    ) -> Result<SearchIndex, SearchError> {
        let (_, fields) = schema();
        let dict = Arc::new(RwLock::new(load_vocabulary(vocabulary.as_deref())?));
        let passages = passages(dict.clone())?;
        let manager = index.tokenizers();
        manager.register(INDEX_ANALYZER, super::hyphen::index_analyzer(dict.clone()));
        manager.register(QUERY_ANALYZER, analyzer::query_analyzer());
        manager.register(WORD_ANALYZER, analyzer::word_analyzer());
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            dict,
            vocabulary,
            passages,
            snippet_bytes: AtomicU64::new(0),
            synonyms: RwLock::new(Arc::new(Synonyms::default())),
        })
    }

    /// How many bytes of text the snippet generator has analysed in this index's searches so
    /// far: at most [`passages::MAX_BYTES`] per hit (plus the same bound for a summary), however
    /// long the documents are. A diagnostic, and what tests check the bound on.
    pub fn snippet_bytes_analysed(&self) -> u64 {
        self.snippet_bytes.load(AtomicOrdering::Relaxed)
    }

    /// Replaces the synonym groups (each a glossary term with its synonyms) that searches
    /// apply from now on. Not stored: whoever keeps the index current from the database sets
    /// them again when the glossary changes ([`crate::sync`]).
    pub fn set_synonyms(&self, groups: &[Vec<String>]) -> Result<(), SearchError> {
        let mut analyzer = analyzer::query_analyzer();
        let synonyms = Arc::new(Synonyms::new(groups, &mut analyzer));
        *self.synonyms.write().map_err(|_| SearchError::Poisoned)? = synonyms;
        Ok(())
    }

    fn synonyms(&self) -> Result<Arc<Synonyms>, SearchError> {
        Ok(self
            .synonyms
            .read()
            .map_err(|_| SearchError::Poisoned)?
            .clone())
    }

    /// Number of documents in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no document.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds or replaces (by id) `docs`, and makes them searchable.
    pub fn upsert(&self, docs: &[Document]) -> Result<(), SearchError> {
        validate(docs)?;
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        self.learn(docs)?;
        for doc in docs {
            writer.delete_term(Term::from_field_text(self.fields.id, &doc.id));
            writer.add_document(self.to_tantivy(doc))?;
            self.passages.stage_upsert(&doc.id, &doc.body)?;
        }
        self.commit(&mut writer)
    }

    /// Adds or replaces `upserts` and removes the documents with the ids in `deletes`, in one
    /// commit (how changes from the database are applied).
    pub fn apply(&self, upserts: &[Document], deletes: &[String]) -> Result<(), SearchError> {
        validate(upserts)?;
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        self.learn(upserts)?;
        for id in deletes {
            writer.delete_term(Term::from_field_text(self.fields.id, id));
            self.passages.stage_delete(id)?;
        }
        for doc in upserts {
            writer.delete_term(Term::from_field_text(self.fields.id, &doc.id));
            writer.add_document(self.to_tantivy(doc))?;
            self.passages.stage_upsert(&doc.id, &doc.body)?;
        }
        self.commit(&mut writer)
    }

    /// Removes the document with `id` (nothing happens when there is none).
    pub fn delete(&self, id: &str) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        writer.delete_term(Term::from_field_text(self.fields.id, id));
        self.passages.stage_delete(id)?;
        self.commit(&mut writer)
    }

    /// Replaces the whole index by `docs` in one commit (what `steden reindex` does): the
    /// vocabulary starts again from the built-in list, so compounds are split with what the
    /// corpus holds now. Searches see the old index until the commit.
    pub fn replace_all(&self, docs: &[Document]) -> Result<(), SearchError> {
        validate(docs)?;
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        *self.dict.write().map_err(|_| SearchError::Poisoned)? = Dictionary::builtin();
        self.learn(docs)?;
        writer.delete_all_documents()?;
        self.passages.stage_delete_all()?;
        for doc in docs {
            writer.add_document(self.to_tantivy(doc))?;
            self.passages.stage_upsert(&doc.id, &doc.body)?;
        }
        self.commit(&mut writer)
    }

    /// Commits the passages first, then the documents: a failure in between leaves passages
    /// of documents not yet searchable, which no search reaches, rather than documents
    /// without passages.
    fn commit(&self, writer: &mut IndexWriter<TantivyDocument>) -> Result<(), SearchError> {
        self.passages.commit()?;
        writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Adds the words of `docs` to the compound dictionary and saves it with the index.
    fn learn(&self, docs: &[Document]) -> Result<(), SearchError> {
        let mut words = analyzer::word_analyzer();
        {
            let mut dict = self.dict.write().map_err(|_| SearchError::Poisoned)?;
            for doc in docs {
                for text in [&doc.title, &doc.summary, &doc.body] {
                    for (_, word) in analyzer::tokens(&mut words, text) {
                        dict.learn(&word);
                    }
                }
            }
        }
        self.save_vocabulary()
    }

    fn save_vocabulary(&self) -> Result<(), SearchError> {
        let Some(path) = &self.vocabulary else {
            return Ok(());
        };
        let dict = self.dict.read().map_err(|_| SearchError::Poisoned)?;
        let mut lines: Vec<String> = dict
            .iter()
            .filter(|(_, count)| *count > 0)
            .map(|(w, c)| format!("{w}\t{c}"))
            .collect();
        lines.sort();
        let temporary = path.with_extension("tmp");
        std::fs::write(&temporary, lines.join("\n"))
            .and_then(|()| std::fs::rename(&temporary, path))
            .map_err(|e| SearchError::Vocabulary(e.to_string()))
    }

    fn to_tantivy(&self, doc: &Document) -> TantivyDocument {
        let f = &self.fields;
        let mut t = TantivyDocument::default();
        t.add_text(f.id, &doc.id);
        t.add_text(f.text.title, &doc.title);
        t.add_text(f.text.summary, &doc.summary);
        t.add_text(f.text.body, &doc.body);
        if let Some(date) = doc.date {
            t.add_i64(f.date, i64::from(date.num_days_from_ce()));
            t.add_facet(f.facets, facet(FacetKind::Year, &date.year().to_string()));
        }
        let singles = [
            (FacetKind::Type, &doc.kind),
            (FacetKind::Programme, &doc.programme),
            (FacetKind::Period, &doc.period),
        ];
        for (kind, value) in singles {
            if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                t.add_facet(f.facets, facet(kind, value));
            }
        }
        for (kind, values) in [
            (FacetKind::Theme, &doc.themes),
            (FacetKind::Organisation, &doc.organisations),
        ] {
            for value in values.iter().filter(|v| !v.trim().is_empty()) {
                t.add_facet(f.facets, facet(kind, value));
            }
        }
        for rule in &doc.access {
            t.add_text(f.access, rule);
        }
        t
    }

    /// Runs `query` for a user who may open what `query.access` names. When nothing holds all
    /// the words of a query of several, the results are those of the best fewer words
    /// ([`Results::relaxed`] says which), and suggestions are offered either way.
    pub fn search(&self, query: &Query) -> Result<Results, SearchError> {
        if query.access.is_empty() {
            return Ok(Results::default());
        }
        let searcher = self.reader.searcher();
        let synonyms = self.synonyms()?;
        let units = query::parse(&query.text);
        let results = self.run(&searcher, query, &units, &synonyms)?;
        if results.total == 0 && !units.is_empty() {
            return self.when_nothing_found(&searcher, query, &units, &synonyms, results);
        }
        Ok(results)
    }

    /// One search of `units` (count, page of hits, facets), without suggestions.
    pub(super) fn run(
        &self,
        searcher: &Searcher,
        query: &Query,
        units: &[Unit],
        synonyms: &Synonyms,
    ) -> Result<Results, SearchError> {
        let text_q = self.text_query(units, synonyms);
        let full = self.restricted(text_q.as_deref(), query, true);
        let per_page = query.per_page.clamp(1, MAX_PER_PAGE);
        let offset = (query.page.max(1) - 1)
            .saturating_mul(per_page)
            .min(MAX_OFFSET);
        let mut facet_collector = FacetCollector::for_field("facets");
        for kind in FacetKind::ALL {
            facet_collector.add_facet(Facet::from_path([kind.name()]));
        }
        let top = TopDocs::with_limit(per_page).and_offset(offset);
        let (total, ranked, counts) = match query.sort {
            Sort::Relevance => {
                let (n, docs, c) =
                    searcher.search(&*full, &(Count, top.order_by_score(), facet_collector))?;
                (n, docs, c)
            }
            Sort::DateDesc => {
                let by_date = top.order_by_fast_field::<i64>("date", Order::Desc);
                let (n, docs, c) = searcher.search(&*full, &(Count, by_date, facet_collector))?;
                (n, docs.into_iter().map(|(_, a)| (0.0, a)).collect(), c)
            }
        };
        let hits = self.hits(searcher, &ranked, units, synonyms, text_q.as_deref())?;
        let mut facets = facet_counts(&counts);
        // A facet with a chosen value is counted without its own filter (still within the
        // other facets' filters, the text and the access rules), so that its other values
        // stay on offer as alternatives — values of one facet combine with OR.
        for kind in FacetKind::ALL {
            if query.filters.iter().any(|(k, _)| *k == kind) {
                let others = self.restricted_with(text_q.as_deref(), query, |k| k != kind);
                let mut collector = FacetCollector::for_field("facets");
                collector.add_facet(Facet::from_path([kind.name()]));
                let counts = searcher.search(&*others, &collector)?;
                if let Some(values) = facet_counts(&counts).remove(&kind) {
                    facets.insert(kind, values);
                }
            }
        }
        Ok(Results {
            total,
            hits,
            facets,
            ..Results::default()
        })
    }

    pub(super) fn text_query(
        &self,
        units: &[Unit],
        synonyms: &Synonyms,
    ) -> Option<Box<dyn TQuery>> {
        let mut analyzer = self.index.tokenizers().get(QUERY_ANALYZER)?;
        query::text_query(units, self.fields.text, &mut analyzer, synonyms)
    }

    /// The text query (or everything) AND the user's access AND the filters (if `filtered`).
    pub(super) fn restricted(
        &self,
        text_q: Option<&dyn TQuery>,
        query: &Query,
        filtered: bool,
    ) -> Box<dyn TQuery> {
        self.restricted_with(text_q, query, |_| filtered)
    }

    /// The text query (or everything) AND the user's access AND the filters of the facets for
    /// which `use_filter` says yes.
    fn restricted_with(
        &self,
        text_q: Option<&dyn TQuery>,
        query: &Query,
        use_filter: impl Fn(FacetKind) -> bool,
    ) -> Box<dyn TQuery> {
        let text: Box<dyn TQuery> = match text_q {
            Some(q) => q.box_clone(),
            None => Box::new(AllQuery),
        };
        let mut clauses = vec![(Occur::Must, text), (Occur::Must, self.access_query(query))];
        for kind in FacetKind::ALL.into_iter().filter(|k| use_filter(*k)) {
            let values: Vec<&str> = query
                .filters
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, v)| v.as_str())
                .collect();
            if !values.is_empty() {
                clauses.push((Occur::Must, self.facet_query(kind, &values)));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn access_query(&self, query: &Query) -> Box<dyn TQuery> {
        let terms = query
            .access
            .iter()
            .map(|rule| Term::from_field_text(self.fields.access, rule));
        any_of(terms)
    }

    fn facet_query(&self, kind: FacetKind, values: &[&str]) -> Box<dyn TQuery> {
        let terms = values
            .iter()
            .map(|v| Term::from_facet(self.fields.facets, &facet(kind, v)));
        any_of(terms)
    }

    fn hits(
        &self,
        searcher: &Searcher,
        ranked: &[(f32, DocAddress)],
        units: &[Unit],
        synonyms: &Synonyms,
        text_q: Option<&dyn TQuery>,
    ) -> Result<Vec<Hit>, SearchError> {
        let f = self.fields.text;
        let generators = match text_q {
            Some(q) => Some((
                self.passage_snippets(units, synonyms)?,
                snippet_generator(searcher, q, f.summary)?,
            )),
            None => None,
        };
        let mut hits = Vec::with_capacity(ranked.len());
        for (score, address) in ranked {
            let doc: TantivyDocument = searcher.doc(*address)?;
            let text = |field| first_str(&doc, field).unwrap_or_default().to_string();
            let id = text(self.fields.id);
            let snippet_html = match &generators {
                Some((body, summary)) => self
                    .snippet(body.as_ref(), summary, &id, &text(f.summary))?
                    .unwrap_or_else(|| lead(&text(f.summary))),
                None => lead(&text(f.summary)),
            };
            let date = doc
                .get_first(self.fields.date)
                .and_then(|v| v.as_i64())
                .and_then(|d| i32::try_from(d).ok())
                .and_then(NaiveDate::from_num_days_from_ce_opt);
            hits.push(Hit {
                id,
                title: text(f.title),
                snippet_html,
                score: *score,
                date,
            });
        }
        Ok(hits)
    }

    /// The snippet maker for the body's passages, or `None` when the text holds no word to
    /// look for.
    fn passage_snippets(
        &self,
        units: &[Unit],
        synonyms: &Synonyms,
    ) -> Result<Option<PassageSnippets<'_>>, SearchError> {
        let Some(mut analyzer) = self.index.tokenizers().get(QUERY_ANALYZER) else {
            return Ok(None);
        };
        match query::any_in_field(units, self.passages.text_field(), &mut analyzer, synonyms) {
            Some(q) => Ok(Some(self.passages.snippets(q, SNIPPET_CHARS)?)),
            None => Ok(None),
        }
    }

    /// A highlighted passage of the body of `id`, else of its summary (only its first
    /// [`passages::MAX_BYTES`] bytes: the same bound), else `None`.
    fn snippet(
        &self,
        body: Option<&PassageSnippets<'_>>,
        summary: &SnippetGenerator,
        id: &str,
        summary_text: &str,
    ) -> Result<Option<String>, SearchError> {
        if let Some((html, analysed)) = body.map(|b| b.snippet(id)).transpose()?.flatten() {
            self.count_analysed(analysed);
            return Ok(Some(html));
        }
        let text = bounded(summary_text, passages::MAX_BYTES);
        self.count_analysed(text.len());
        let mut s = summary.snippet(text);
        if s.is_empty() {
            return Ok(None);
        }
        s.set_snippet_prefix_postfix("<mark>", "</mark>");
        Ok(Some(s.to_html()))
    }

    fn count_analysed(&self, bytes: usize) {
        self.snippet_bytes
            .fetch_add(bytes as u64, AtomicOrdering::Relaxed);
    }
}

fn validate(docs: &[Document]) -> Result<(), SearchError> {
    for doc in docs {
        if doc.id.trim().is_empty() {
            return Err(SearchError::MissingId);
        }
        if doc.access.iter().all(|a| a.trim().is_empty()) {
            return Err(SearchError::NoAccess(doc.id.clone()));
        }
    }
    Ok(())
}

fn load_vocabulary(path: Option<&Path>) -> Result<Dictionary, SearchError> {
    let mut dict = Dictionary::builtin();
    let Some(path) = path.filter(|p| p.exists()) else {
        return Ok(dict);
    };
    let data = std::fs::read(path).map_err(|e| SearchError::Vocabulary(e.to_string()))?;
    for line in String::from_utf8_lossy(&data).lines() {
        let (word, count) = line.split_once('\t').unwrap_or((line, "1"));
        dict.learn_with_count(word, count.parse().unwrap_or(1));
    }
    Ok(dict)
}

/// A facet value path; `/` inside a value is replaced by a look-alike so it stays one step.
fn facet(kind: FacetKind, value: &str) -> Facet {
    Facet::from_path([kind.name(), &value.trim().replace('/', "\u{2215}")])
}

fn any_of(terms: impl Iterator<Item = Term>) -> Box<dyn TQuery> {
    let should: Vec<(Occur, Box<dyn TQuery>)> = terms
        .map(|t| {
            let q: Box<dyn TQuery> = Box::new(TermQuery::new(t, IndexRecordOption::Basic));
            (Occur::Should, q)
        })
        .collect();
    Box::new(BooleanQuery::new(should))
}

fn facet_counts(counts: &FacetCounts) -> BTreeMap<FacetKind, Vec<(String, usize)>> {
    let mut out = BTreeMap::new();
    for kind in FacetKind::ALL {
        let mut values: Vec<(String, usize)> = counts
            .get(Facet::from_path([kind.name()]))
            .filter_map(|(facet, n)| {
                let value = facet.to_path().last()?.replace('\u{2215}', "/");
                Some((value, n as usize))
            })
            .collect();
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out.insert(kind, values);
    }
    out
}

fn snippet_generator(
    searcher: &Searcher,
    q: &dyn TQuery,
    field: Field,
) -> Result<SnippetGenerator, SearchError> {
    let mut generator = SnippetGenerator::create(searcher, q, field)?;
    generator.set_max_num_chars(SNIPPET_CHARS);
    Ok(generator)
}

/// The longest start of `text` of at most `max` bytes that ends on a character boundary.
fn bounded(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn first_str(doc: &TantivyDocument, field: Field) -> Option<&str> {
    doc.get_first(field).and_then(|v| v.as_str())
}

/// The start of `text`, HTML-escaped, for hits without a highlighted passage.
fn lead(text: &str) -> String {
    let mut cut: String = text.chars().take(SNIPPET_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    escape_html(&cut)
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
