//! Curated collections of Kennisbank documents: thematic libraries (sections by theme, with an
//! evaluation status and action points per document), publications (a reading list in the
//! editor's order) and the archive of a programme period (every document of the period plus the
//! curated ones).
//!
//! Documents are read here with our own SQL (the columns a collection page shows and the ones
//! access depends on); who may open which document is decided by the caller with
//! [`crate::access::Reader::may_open`] on [`CollectionDocument::access`]. Every write runs in
//! the caller's transaction and leaves an audit entry; collections are not in the search index,
//! so no search change is noted.

mod entries;
mod query;
mod write;

pub use crate::model::collections::{
    Collection, CollectionDocument, CollectionFields, Direction, DocumentChoice, EntryFields,
    EntryPlace,
};
pub use crate::model::fold_text;
pub use entries::*;
pub use query::*;
pub use write::*;
