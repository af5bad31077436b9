//! Errors of the search index, with messages in Dutch for users and logs.

/// What can go wrong while opening, updating or searching the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("de zoekindex kon niet worden gelezen of bijgewerkt: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("de map van de zoekindex kon niet worden geopend: {0}")]
    Directory(String),
    #[error(
        "de zoekindex is met een ander schema gebouwd; bouw hem opnieuw op met `steden reindex`"
    )]
    SchemaMismatch,
    #[error("een document zonder id kan niet worden geïndexeerd")]
    MissingId,
    #[error("document {0} heeft geen toegangsregel en zou voor niemand vindbaar zijn")]
    NoAccess(String),
    #[error("de woordenlijst van de zoekindex kon niet worden bewaard of gelezen: {0}")]
    Vocabulary(String),
    #[error("de zoekindex is onbruikbaar geworden door een fout in een andere taak")]
    Poisoned,
}
