//! What the search index reads and notes: its change log's rows, the documents as it indexes
//! them and where a hit leads (stored by [`crate::store::index_changes`] and
//! [`crate::store::index_sources`]).

use crate::access::DocumentAccess;
use crate::model::IndexEntity;

/// One row of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    /// The stored entity name; `None` for a name this version does not know.
    pub entity: Option<IndexEntity>,
    pub entity_id: String,
}

/// What the index needs of a document. `doc_type` is as stored (the index shows its label).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedDocument {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub doc_type: String,
    pub programme: Option<String>,
    pub themes: Vec<String>,
    /// Ids of the organisations involved.
    pub organisations: Vec<String>,
    pub period: Option<String>,
    pub doc_date: Option<String>,
    pub access: DocumentAccess,
    pub body: String,
}

/// Where a search hit leads and who may open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitTarget {
    pub slug: String,
    /// The document's type as stored ('' for a term).
    pub kind: String,
    pub access: DocumentAccess,
}
