//! Collections of Kennisbank documents, their documents and what an editor fills in for them
//! (stored by [`crate::store::collections`]).

use crate::access::DocumentAccess;
use crate::model::{CollectionKind, EvaluationStatus};

/// A collection as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub description_md: String,
    pub kind: CollectionKind,
    /// The programme period of an archive; `None` for the other kinds.
    pub period: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Collection {
    /// The public address of the collection.
    pub fn href(&self) -> String {
        format!("/kennisbank/collecties/{}", self.slug)
    }
}

/// A document as a collection page lists it, with its place in the collection when it was
/// added by an editor (`entry`), or `None` for an archive's document of the period.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectionDocument {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub doc_type: String,
    pub doc_date: Option<String>,
    pub period: Option<String>,
    pub access: DocumentAccess,
    pub entry: Option<EntryPlace>,
}

impl CollectionDocument {
    pub fn href(&self) -> String {
        format!("/kennisbank/documenten/{}", self.slug)
    }
}

/// Where and how an editor placed a document in a collection.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryPlace {
    pub section: String,
    pub position: i64,
    pub evaluation_status: Option<EvaluationStatus>,
    pub action_points: String,
}

/// What an editor typed in the collection form.
#[derive(Debug, Clone, Default)]
pub struct CollectionFields {
    pub title: String,
    /// Empty: made from the title.
    pub slug: String,
    pub description: String,
    pub kind: String,
    pub period: String,
}

/// What an editor typed for one entry.
#[derive(Debug, Clone, Default)]
pub struct EntryFields {
    pub section: String,
    /// Empty: none.
    pub evaluation_status: String,
    pub action_points: String,
}

/// A document an editor can add to a collection.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentChoice {
    pub id: String,
    pub title: String,
    pub doc_type: String,
    pub doc_date: Option<String>,
}

/// Which way an entry moves in the collection's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}
