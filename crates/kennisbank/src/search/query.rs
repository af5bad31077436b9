//! Turning what a user typed into a tantivy query, without a query language: words are all
//! required (AND), "quoted text" is a phrase, and every other character is just text, so no
//! input can be a syntax error. Each word matches in title, summary or body, weighted
//! [`TITLE_BOOST`] / [`SUMMARY_BOOST`] / 1.

use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query as TQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use super::analyzer::tokens;

/// Weight of a match in the title.
pub const TITLE_BOOST: f32 = 3.0;
/// Weight of a match in the summary.
pub const SUMMARY_BOOST: f32 = 2.0;
/// Longest query text considered (in characters); the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most words or phrases considered.
pub const MAX_UNITS: usize = 16;

/// A part of the user's text: one word or one quoted phrase.
#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    Word(String),
    Phrase(String),
}

/// Splits `text` into words and quoted phrases (an unclosed quote runs to the end).
pub fn parse(text: &str) -> Vec<Unit> {
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let mut units = Vec::new();
    for (i, piece) in text.split(['"', '“', '”', '„']).enumerate() {
        if i % 2 == 1 {
            if !piece.trim().is_empty() {
                units.push(Unit::Phrase(piece.trim().to_string()));
            }
        } else {
            units.extend(piece.split_whitespace().map(|w| Unit::Word(w.to_string())));
        }
    }
    units.truncate(MAX_UNITS);
    units
}

/// The fields searched, with their weights.
#[derive(Debug, Clone, Copy)]
pub struct TextFields {
    pub title: Field,
    pub summary: Field,
    pub body: Field,
}

impl TextFields {
    fn weighted(&self) -> [(Field, f32); 3] {
        [
            (self.title, TITLE_BOOST),
            (self.summary, SUMMARY_BOOST),
            (self.body, 1.0),
        ]
    }
}

/// The text part of a search, or `None` when the text holds no searchable word (empty, or
/// only stop words and punctuation).
pub fn text_query(
    units: &[Unit],
    fields: TextFields,
    analyzer: &mut TextAnalyzer,
) -> Option<Box<dyn TQuery>> {
    let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
    for unit in units {
        match unit {
            Unit::Word(word) => {
                for (_, token) in tokens(analyzer, word) {
                    clauses.push((Occur::Must, term_in_fields(&token, fields)));
                }
            }
            Unit::Phrase(phrase) => {
                let toks = tokens(analyzer, phrase);
                if let Some(q) = phrase_in_fields(&toks, fields) {
                    clauses.push((Occur::Must, q));
                }
            }
        }
    }
    if clauses.is_empty() {
        return None;
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// Any of the words and phrases of `units` in `field` alone (unweighted): what picks, among a
/// hit's passages, the one to make a snippet from. `None` when there is no searchable word.
pub fn any_in_field(
    units: &[Unit],
    field: Field,
    analyzer: &mut TextAnalyzer,
) -> Option<Box<dyn TQuery>> {
    let term = |token: &str| -> Box<dyn TQuery> {
        let term = Term::from_field_text(field, token);
        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
    };
    let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
    for unit in units {
        match unit {
            Unit::Word(word) => {
                for (_, token) in tokens(analyzer, word) {
                    clauses.push((Occur::Should, term(&token)));
                }
            }
            Unit::Phrase(phrase) => match tokens(analyzer, phrase).as_slice() {
                [] => {}
                [(_, single)] => clauses.push((Occur::Should, term(single))),
                toks @ [(first, _), ..] => {
                    let terms = toks
                        .iter()
                        .map(|(pos, t)| (pos - first, Term::from_field_text(field, t)))
                        .collect();
                    clauses.push((Occur::Should, Box::new(PhraseQuery::new_with_offset(terms))));
                }
            },
        }
    }
    if clauses.is_empty() {
        return None;
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

fn term_in_fields(token: &str, fields: TextFields) -> Box<dyn TQuery> {
    let should = fields
        .weighted()
        .into_iter()
        .map(|(field, boost)| {
            let term = Term::from_field_text(field, token);
            let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
            (Occur::Should, boosted(Box::new(q), boost))
        })
        .collect();
    Box::new(BooleanQuery::new(should))
}

fn phrase_in_fields(toks: &[(usize, String)], fields: TextFields) -> Option<Box<dyn TQuery>> {
    match toks {
        [] => None,
        [(_, single)] => Some(term_in_fields(single, fields)),
        [(first, _), ..] => {
            let should = fields
                .weighted()
                .into_iter()
                .map(|(field, boost)| {
                    let terms = toks
                        .iter()
                        .map(|(pos, t)| (pos - first, Term::from_field_text(field, t)))
                        .collect();
                    let q = PhraseQuery::new_with_offset(terms);
                    (Occur::Should, boosted(Box::new(q), boost))
                })
                .collect();
            Some(Box::new(BooleanQuery::new(should)))
        }
    }
}

fn boosted(q: Box<dyn TQuery>, boost: f32) -> Box<dyn TQuery> {
    if (boost - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

/// Levenshtein distance, giving up (returning `max + 1`) once it exceeds `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        if cur.iter().min().is_some_and(|&m| m > max) {
            return max + 1;
        }
        prev = cur;
    }
    prev[b.len()].min(max + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_words_and_phrases() {
        let units = parse(r#"klimaat "lokaal bestuur" ( AND"#);
        assert_eq!(
            units,
            [
                Unit::Word("klimaat".into()),
                Unit::Phrase("lokaal bestuur".into()),
                Unit::Word("(".into()),
                Unit::Word("AND".into()),
            ]
        );
        assert!(parse("").is_empty());
        assert_eq!(parse(&"woord ".repeat(5000)).len(), MAX_UNITS);
    }

    #[test]
    fn edit_distance_is_bounded() {
        assert_eq!(edit_distance("klimat", "klimaat", 2), 1);
        assert_eq!(edit_distance("armoede", "armoede", 2), 0);
        assert_eq!(edit_distance("a", "abcdef", 2), 3);
    }
}
