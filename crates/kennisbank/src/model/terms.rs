//! Terms of the glossary (stored by [`crate::store::terms`]).

use crate::model::fold_text;

/// A term as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub id: String,
    pub slug: String,
    pub term: String,
    pub definition: String,
    pub source: String,
    pub synonyms: Vec<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Term {
    /// The public address of the term.
    pub fn href(&self) -> String {
        format!("/begrippen/{}", self.slug)
    }

    /// The key terms are sorted by: lower case, accents folded ("één" sorts as "een").
    pub fn sort_key(&self) -> String {
        sort_key(&self.term)
    }

    /// The letter of the A-Z list the term is listed under: A-Z, or '#' for anything else
    /// (digits, signs).
    pub fn letter(&self) -> char {
        letter_of(&self.term)
    }

    /// Whether `folded` (see [`fold_text`]) occurs in the term or one of its synonyms.
    pub fn matches(&self, folded: &str) -> bool {
        folded.is_empty()
            || fold_text(&self.term).contains(folded)
            || self.synonyms.iter().any(|s| fold_text(s).contains(folded))
    }
}

/// The sort key of a term (see [`Term::sort_key`]).
pub fn sort_key(term: &str) -> String {
    fold_text(term)
}

/// The A-Z letter of a term (see [`Term::letter`]).
pub fn letter_of(term: &str) -> char {
    match sort_key(term).chars().next() {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase(),
        _ => '#',
    }
}

/// What an editor typed in the term form.
#[derive(Debug, Clone, Default)]
pub struct TermFields {
    pub term: String,
    pub definition: String,
    pub source: String,
    /// Comma separated.
    pub synonyms: String,
    /// Ids of related terms.
    pub related: Vec<String>,
}
