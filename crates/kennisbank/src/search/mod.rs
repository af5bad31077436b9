//! Dutch search for the Kennisbank.
//!
//! [`analyzer`] holds the Dutch analysis (lower case, folded accents, stop words, compound
//! splitting, Snowball stemming); [`SearchIndex`] is a tantivy index over the library's
//! documents with weighted fields, highlighted snippets, facets, filters, sorting, suggestions
//! when nothing is found, and access rules applied inside the query, so that a user never sees
//! a hit, a count, a facet count or a snippet of a document they may not open.
//!
//! Snippets come from bounded [`passages`] of the body, so their cost does not grow with the
//! document's length.
//!
//! The index is derived from the database and can always be rebuilt from it
//! ([`SearchIndex::replace_all`]).
//!
//! ```
//! use steden_kennisbank::search::{Document, Query, SearchIndex};
//!
//! let index = SearchIndex::in_memory()?;
//! index.upsert(&[Document {
//!     id: "1".into(),
//!     title: "De Rechtenverkenner".into(),
//!     access: vec!["public".into()],
//!     ..Document::default()
//! }])?;
//! let results = index.search(&Query { text: "rechten".into(), ..Query::default() })?;
//! assert_eq!(results.hits[0].id, "1");
//! # Ok::<(), steden_kennisbank::search::SearchError>(())
//! ```

pub mod analyzer;
mod error;
pub mod hyphen;
mod index;
pub mod lexicon;
pub mod passages;
pub mod query;
mod suggest;
pub mod synonyms;
mod types;

pub use error::SearchError;
pub use index::SearchIndex;
pub use types::{Document, FacetKind, Hit, Query, Relaxed, Results, Sort, Suggestion};
