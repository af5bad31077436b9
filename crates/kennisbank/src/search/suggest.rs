//! When a search finds nothing: the results of fewer words ([`SearchIndex::fewer_words`]),
//! spelling suggestions for every word of the query, the same search without filters, and
//! the Dutch message that says what happened. Every alternative is counted inside the
//! user's access, so nothing the user may not open is ever hinted at.

use tantivy::collector::Count;
use tantivy::Searcher;

use super::analyzer::{self, Dictionary};
use super::index::SearchIndex;
use super::query::{self, Unit};
use super::synonyms::Synonyms;
use super::{Query, Relaxed, Results, SearchError, Suggestion};

const MAX_SUGGESTIONS: usize = 3;

impl SearchIndex {
    /// What a search of `units` that found nothing (`nothing`) answers: the results of fewer words when
    /// there are such (labelled), suggestions, and the message.
    pub(super) fn when_nothing_found(
        &self,
        searcher: &Searcher,
        query: &Query,
        units: &[Unit],
        synonyms: &Synonyms,
        nothing: Results,
    ) -> Result<Results, SearchError> {
        let suggestions = self.suggestions(searcher, query, units, synonyms)?;
        let mut results = match self.fewer_words(searcher, query, units, synonyms)? {
            Some(kept) => {
                let kept_units: Vec<Unit> = kept.iter().map(|&i| units[i].clone()).collect();
                let mut results = self.run(searcher, query, &kept_units, synonyms)?;
                results.relaxed = Some(relaxed(units, &kept));
                results
            }
            None => nothing,
        };
        results.message = Some(no_results_message(
            &query.text,
            results.relaxed.as_ref(),
            &suggestions,
        ));
        results.suggestions = suggestions;
        Ok(results)
    }

    /// How many documents the user may open hold all of `units` (within the filters).
    fn count(
        &self,
        searcher: &Searcher,
        query: &Query,
        units: &[Unit],
        synonyms: &Synonyms,
    ) -> Result<usize, SearchError> {
        let Some(q) = self.text_query(units, synonyms) else {
            return Ok(0);
        };
        Ok(searcher.search(&*self.restricted(Some(&*q), query, true), &Count)?)
    }

    /// For a query of several words (or phrases) that finds nothing: the positions of the
    /// units to search instead, or `None` when there is no such subset. Words that find
    /// nothing on their own (unknown, misspelled) go first; then one word at a time, the
    /// rarest word whose removal leaves results, or, when no single removal does, the rarest
    /// word, until something is found. So as many words as possible are kept.
    pub(super) fn fewer_words(
        &self,
        searcher: &Searcher,
        query: &Query,
        units: &[Unit],
        synonyms: &Synonyms,
    ) -> Result<Option<Vec<usize>>, SearchError> {
        let mut alone = Vec::new();
        for (i, unit) in units.iter().enumerate() {
            if self
                .text_query(std::slice::from_ref(unit), synonyms)
                .is_some()
            {
                let n = self.count(searcher, query, std::slice::from_ref(unit), synonyms)?;
                alone.push((i, n));
            }
        }
        if alone.len() < 2 {
            return Ok(None);
        }
        let mut kept: Vec<(usize, usize)> = alone.into_iter().filter(|(_, n)| *n > 0).collect();
        let pick = |kept: &[(usize, usize)]| -> Vec<Unit> {
            kept.iter().map(|(i, _)| units[*i].clone()).collect()
        };
        while !kept.is_empty() && self.count(searcher, query, &pick(&kept), synonyms)? == 0 {
            let mut freeing: Option<usize> = None;
            for at in 0..kept.len() {
                let mut rest = kept.clone();
                rest.remove(at);
                let rarer = freeing.is_none_or(|f| kept[at].1 < kept[f].1);
                if rarer && self.count(searcher, query, &pick(&rest), synonyms)? > 0 {
                    freeing = Some(at);
                }
            }
            let drop = freeing
                .unwrap_or_else(|| (0..kept.len()).min_by_key(|&at| kept[at].1).unwrap_or(0));
            kept.remove(drop);
        }
        if kept.is_empty() {
            return Ok(None);
        }
        Ok(Some(kept.into_iter().map(|(i, _)| i).collect()))
    }

    /// Alternatives when nothing was found: the query with every unknown word replaced by its
    /// closest corpus word, then each word's close words alone (edit distance 1, or 2 for
    /// words of 6+ letters), and the same search without filters; only those that find
    /// something the user may open, with their counts.
    pub(super) fn suggestions(
        &self,
        searcher: &Searcher,
        query: &Query,
        units: &[Unit],
        synonyms: &Synonyms,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let mut out: Vec<Suggestion> = Vec::new();
        for text in self.spelling_alternatives(units)? {
            if out.len() >= MAX_SUGGESTIONS {
                break;
            }
            if out.iter().any(|s| s.text == text) {
                continue;
            }
            let total = self.count(searcher, query, &query::parse(&text), synonyms)?;
            if total > 0 {
                out.push(Suggestion {
                    text,
                    without_filters: false,
                    total,
                });
            }
        }
        if !query.filters.is_empty() {
            let text_q = self.text_query(units, synonyms);
            let unfiltered = self.restricted(text_q.as_deref(), query, false);
            let total = searcher.search(&*unfiltered, &Count)?;
            if total > 0 {
                out.push(Suggestion {
                    text: query.text.clone(),
                    without_filters: true,
                    total,
                });
            }
        }
        Ok(out)
    }

    fn spelling_alternatives(&self, units: &[Unit]) -> Result<Vec<String>, SearchError> {
        let dict = self.dict.read().map_err(|_| SearchError::Poisoned)?;
        let mut words = analyzer::word_analyzer();
        let mut close: Vec<(usize, Vec<String>)> = Vec::new();
        for (i, unit) in units.iter().enumerate() {
            let Unit::Word(word) = unit else { continue };
            let folded: Vec<String> = analyzer::tokens(&mut words, word)
                .into_iter()
                .map(|(_, w)| w)
                .collect();
            let [single] = folded.as_slice() else {
                continue;
            };
            let found = close_words(&dict, single);
            if !found.is_empty() {
                close.push((i, found));
            }
        }
        let mut alternatives = Vec::new();
        // Several misspelled words: each replaced by its best candidate, all at once.
        if close.len() >= 2 {
            let mut fixed = units.to_vec();
            for (i, found) in &close {
                fixed[*i] = Unit::Word(found[0].clone());
            }
            alternatives.push(unit_text(&fixed));
        }
        for (i, found) in &close {
            for candidate in found {
                let mut one = units.to_vec();
                one[*i] = Unit::Word(candidate.clone());
                alternatives.push(unit_text(&one));
            }
        }
        Ok(alternatives)
    }
}

/// What [`SearchIndex::fewer_words`] kept, as typed, and what it left out.
fn relaxed(units: &[Unit], kept: &[usize]) -> Relaxed {
    let kept_units: Vec<Unit> = kept.iter().map(|&i| units[i].clone()).collect();
    let dropped = units
        .iter()
        .enumerate()
        .filter(|(i, _)| !kept.contains(i))
        .map(|(_, u)| unit_text(std::slice::from_ref(u)))
        .collect();
    Relaxed {
        text: unit_text(&kept_units),
        dropped,
    }
}

/// Corpus words close to `word`, best first (distance, then frequency).
fn close_words(dict: &Dictionary, word: &str) -> Vec<String> {
    if dict.count(word) > 0 || word.len() < 3 {
        return Vec::new();
    }
    let max = if word.chars().count() >= 6 { 2 } else { 1 };
    let mut found: Vec<(usize, u32, &str)> = dict
        .iter()
        .filter(|(_, count)| *count > 0)
        .filter_map(|(w, count)| {
            let d = query::edit_distance(word, w, max);
            (d <= max).then_some((d, count, w))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
    found
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, _, w)| w.to_string())
        .collect()
}

/// Units back to query text: words as they are, phrases in quotes.
fn unit_text(units: &[Unit]) -> String {
    units
        .iter()
        .map(|unit| match unit {
            Unit::Word(w) => w.clone(),
            Unit::Phrase(p) => format!("\"{p}\""),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Dutch message when nothing held all the words.
fn no_results_message(text: &str, relaxed: Option<&Relaxed>, suggestions: &[Suggestion]) -> String {
    let mut message = match relaxed {
        Some(r) => format!(
            "Geen resultaten voor alle woorden; resultaten voor „{}” (zonder {}).",
            r.text,
            r.dropped
                .iter()
                .map(|d| format!("„{d}”"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!("Geen resultaten voor „{}”.", text.trim()),
    };
    let spelled: Vec<&str> = suggestions
        .iter()
        .filter(|s| !s.without_filters)
        .map(|s| s.text.as_str())
        .collect();
    if !spelled.is_empty() {
        message.push_str(&format!(" Bedoelde u: {}?", spelled.join(", ")));
    }
    if let Some(s) = suggestions.iter().find(|s| s.without_filters) {
        message.push_str(&format!(" Zonder filters zijn er {} resultaten.", s.total));
    }
    if suggestions.is_empty() && relaxed.is_none() {
        message.push_str(" Probeer minder of andere woorden.");
    }
    message
}
