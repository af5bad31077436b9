//! Turning what a user typed into a tantivy query, without a query language: words are all
//! required (AND), "quoted text" is a phrase, and every other character is just text, so no
//! input can be a syntax error. Each word matches in title, summary or body, weighted
//! [`TITLE_BOOST`] / [`SUMMARY_BOOST`] / 1, and a word that the glossary lists as a synonym
//! also matches the other members of its group ([`SYNONYM_BOOST`]).

use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query as TQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use super::analyzer::tokens;
use super::synonyms::Synonyms;

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

/// Weight of a match through a synonym from the glossary, against 1 for the word typed: the
/// word itself ranks a little higher.
pub const SYNONYM_BOOST: f32 = 0.8;

/// The text part of a search, or `None` when the text holds no searchable word (empty, or
/// only stop words and punctuation). A word or run of words that is a member of a synonym
/// group also matches the group's other members (see [`Synonyms`]).
pub fn text_query(
    units: &[Unit],
    fields: TextFields,
    analyzer: &mut TextAnalyzer,
    synonyms: &Synonyms,
) -> Option<Box<dyn TQuery>> {
    let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
    let mut run: Vec<String> = Vec::new();
    for unit in units {
        match unit {
            Unit::Word(word) => run.extend(tokens(analyzer, word).into_iter().map(|(_, t)| t)),
            Unit::Phrase(phrase) => {
                word_clauses(&std::mem::take(&mut run), fields, synonyms, &mut clauses);
                let toks = tokens(analyzer, phrase);
                if let Some(q) = phrase_in_fields(&toks, fields) {
                    clauses.push((Occur::Must, q));
                }
            }
        }
    }
    word_clauses(&run, fields, synonyms, &mut clauses);
    if clauses.is_empty() {
        return None;
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// One required clause per word of `run`, or per run of words that is a synonym: then the
/// words themselves or any other member of the group.
fn word_clauses(
    run: &[String],
    fields: TextFields,
    synonyms: &Synonyms,
    clauses: &mut Vec<(Occur, Box<dyn TQuery>)>,
) {
    let mut at = 0;
    while at < run.len() {
        let Some((len, alternatives)) = synonyms.match_at(run, at) else {
            clauses.push((Occur::Must, term_in_fields(&run[at], fields)));
            at += 1;
            continue;
        };
        let own: Vec<(Occur, Box<dyn TQuery>)> = run[at..at + len]
            .iter()
            .map(|t| (Occur::Must, term_in_fields(t, fields)))
            .collect();
        let mut any: Vec<(Occur, Box<dyn TQuery>)> =
            vec![(Occur::Should, Box::new(BooleanQuery::new(own)))];
        for member in alternatives {
            if let Some(q) = phrase_in_fields(member, fields) {
                any.push((Occur::Should, boosted(q, SYNONYM_BOOST)));
            }
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        at += len;
    }
}

/// Any of the words and phrases of `units` in `field` alone (unweighted), or of their
/// synonyms: what picks, among a hit's passages, the one to make a snippet from. `None` when
/// there is no searchable word.
pub fn any_in_field(
    units: &[Unit],
    field: Field,
    analyzer: &mut TextAnalyzer,
    synonyms: &Synonyms,
) -> Option<Box<dyn TQuery>> {
    let term = |token: &str| -> Box<dyn TQuery> {
        let term = Term::from_field_text(field, token);
        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
    };
    let phrase = |toks: &[(usize, String)]| -> Option<Box<dyn TQuery>> {
        match toks {
            [] => None,
            [(_, single)] => Some(term(single)),
            [(first, _), ..] => {
                let terms = toks
                    .iter()
                    .map(|(pos, t)| (pos - first, Term::from_field_text(field, t)))
                    .collect();
                Some(Box::new(PhraseQuery::new_with_offset(terms)))
            }
        }
    };
    let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    for unit in units {
        match unit {
            Unit::Word(word) => {
                for (_, token) in tokens(analyzer, word) {
                    clauses.push((Occur::Should, term(&token)));
                    words.push(token);
                }
            }
            Unit::Phrase(text) => {
                if let Some(q) = phrase(&tokens(analyzer, text)) {
                    clauses.push((Occur::Should, q));
                }
            }
        }
    }
    for member in synonyms.alternatives_in(&words) {
        if let Some(q) = phrase(member) {
            clauses.push((Occur::Should, q));
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
