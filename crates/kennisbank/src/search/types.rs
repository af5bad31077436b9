//! The public value types of search: documents in, queries in, results out.

use std::collections::BTreeMap;

use chrono::NaiveDate;

/// One document of the Kennisbank as the index sees it (derived from the database).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Stable id (the database id); upserting the same id replaces the document.
    pub id: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    /// Publication date; also gives the `year` facet.
    pub date: Option<NaiveDate>,
    /// Kind of document (facet `type`), e.g. "Rapport", "Nota".
    pub kind: Option<String>,
    pub programme: Option<String>,
    pub themes: Vec<String>,
    pub organisations: Vec<String>,
    /// Policy period, e.g. "2019-2024".
    pub period: Option<String>,
    /// Who may open it: "public", "members", "org:<id>", "group:<id>". A document without any
    /// value is refused (it would be findable by nobody).
    pub access: Vec<String>,
}

/// The facets one can count and filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FacetKind {
    Type,
    Programme,
    Theme,
    Organisation,
    Period,
    Year,
}

impl FacetKind {
    /// All facets, in display order.
    pub const ALL: [FacetKind; 6] = [
        FacetKind::Type,
        FacetKind::Programme,
        FacetKind::Theme,
        FacetKind::Organisation,
        FacetKind::Period,
        FacetKind::Year,
    ];

    /// The facet's name in URLs and in the index.
    pub fn name(self) -> &'static str {
        match self {
            FacetKind::Type => "type",
            FacetKind::Programme => "programme",
            FacetKind::Theme => "theme",
            FacetKind::Organisation => "organisation",
            FacetKind::Period => "period",
            FacetKind::Year => "year",
        }
    }

    /// The facet named `name`, if any.
    pub fn from_name(name: &str) -> Option<FacetKind> {
        FacetKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Order of the hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    /// Newest first; documents without a date last.
    DateDesc,
}

/// A search request.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// What the user typed: words (all must match) and "quoted phrases". Empty: everything.
    pub text: String,
    /// Facet filters: values of one facet are alternatives (OR), different facets all hold.
    pub filters: Vec<(FacetKind, String)>,
    pub sort: Sort,
    /// 1-based page number.
    pub page: usize,
    pub per_page: usize,
    /// What the user may open ("public", "members", "org:<id>", ...). Empty: nothing.
    pub access: Vec<String>,
}

impl Default for Query {
    fn default() -> Query {
        Query {
            text: String::new(),
            filters: Vec::new(),
            sort: Sort::Relevance,
            page: 1,
            per_page: 20,
            access: vec!["public".to_string()],
        }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub title: String,
    /// An HTML fragment: text escaped, matches wrapped in `<mark>`.
    pub snippet_html: String,
    /// Relevance score (0 when sorted by date).
    pub score: f32,
    pub date: Option<NaiveDate>,
}

/// An alternative search that does find something (only offered when nothing was found for
/// all the words).
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The query text to search for instead.
    pub text: String,
    /// Whether the suggestion is to search without the filters.
    pub without_filters: bool,
    /// How many documents (that the user may open) it finds.
    pub total: usize,
}

/// When no document holds all the words of a query of several words: the words that were
/// searched instead (the results are theirs).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Relaxed {
    /// The query text searched instead: the words kept, as typed.
    pub text: String,
    /// The words (or "phrases") left out, as typed.
    pub dropped: Vec<String>,
}

/// The answer to a [`Query`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Results {
    /// Number of matching documents the user may open.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Counts per facet value over all matching documents, largest first.
    pub facets: BTreeMap<FacetKind, Vec<(String, usize)>>,
    pub suggestions: Vec<Suggestion>,
    /// Set when nothing held all the words and the results are those of fewer words.
    pub relaxed: Option<Relaxed>,
    /// A message in Dutch when nothing was found for all the words.
    pub message: Option<String>,
}
