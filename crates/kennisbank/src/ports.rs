//! The ports the Kennisbank defines for the modules above it (design of the nieuwsbrief,
//! §0 "Archive in the site's search").
//!
//! The Kennisbank owns the site's search. A module whose public pages belong in that search (the
//! nieuwsbrief's archive of sent newsletters; later werkgroepen's public group pages) provides a
//! [`SearchSource`] in its `Module::provide_ports`, and calls [`record_external_change`] in the
//! transaction of every write that changes what the source returns. The index then learns of it
//! through its change log like of its own documents ([`crate::sync`]): every server applies the
//! change at its next sync by asking the source for the document again (gone or withdrawn: it
//! leaves the index), and a rebuild asks every source for all its documents, so the index can
//! always be rebuilt from the database. The port sits here, not in the shell, because only the
//! Kennisbank reads it; the modules above depend on the Kennisbank, never the reverse.

use chrono::NaiveDate;
use futures::future::BoxFuture;
use steden_core::error::CoreResult;
use steden_db::{Db, Tx};

use crate::model::IndexEntity;

/// One public document of another module, as the search index takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDocument {
    /// The document's id within its source (no `:` needed; any text is kept as is).
    pub id: String,
    pub title: String,
    /// A short text shown with the hit when no passage matches.
    pub summary: String,
    /// The text searched besides title and summary.
    pub body: String,
    /// The date it is about (sent, published), for sorting and the year facet.
    pub date: Option<NaiveDate>,
    /// The type facet's value, in Dutch ("Nieuwsbrief").
    pub kind: String,
    /// Its public page on this site (`/nieuwsbrief/archief/…`).
    pub url: String,
}

/// A module's public documents for the site's search. Implementations read the database when
/// called and return only what an anonymous reader may see: every document of a source is
/// public.
pub trait SearchSource: Send + Sync {
    /// A short, stable key without `:` ("nieuwsbrief"): the prefix of its documents' index ids.
    fn key(&self) -> &'static str;

    /// Every document the source has now (a rebuild of the index).
    fn all<'a>(&'a self, db: &'a Db) -> BoxFuture<'a, CoreResult<Vec<SearchDocument>>>;

    /// Document `id` as it is now; `None` when it is gone or no longer public (it then leaves
    /// the index, and a hit on it that the index still holds is not shown).
    fn get<'a>(
        &'a self,
        db: &'a Db,
        id: &'a str,
    ) -> BoxFuture<'a, CoreResult<Option<SearchDocument>>>;
}

/// Notes in the index's change log that document `id` of source `source` changed (became
/// public, changed, or was withdrawn). Call it in the transaction of the change.
pub async fn record_external_change(tx: &mut Tx<'_>, source: &str, id: &str) -> CoreResult<i64> {
    crate::store::index_changes::record_change(tx, IndexEntity::External, &external_id(source, id))
        .await
}

/// The change log's id of document `id` of `source` (`source:id`).
pub(crate) fn external_id(source: &str, id: &str) -> String {
    format!("{source}:{id}")
}
