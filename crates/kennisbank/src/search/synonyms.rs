//! Synonyms at query time, from the glossary (the begrippenkader): a term and its synonyms
//! are one group, and a query word (or run of words) that is a member of a group also finds
//! the documents that use any other member, as a phrase when it has several words
//! (`DPO` finds "functionaris voor gegevensbescherming").
//!
//! Members are compared after the query analysis (lower case, folded, stop words out,
//! stemmed), so `verwerkingsregisters` meets the term `Verwerkingsregister`. The groups are
//! applied when searching, not when indexing: a change in the glossary counts for every
//! document at once, without reindexing. Who keeps them current: [`crate::sync`], from the
//! glossary in the database, like the index itself.

use tantivy::tokenizer::TextAnalyzer;

use super::analyzer::tokens;

/// Most members considered in one group (the glossary allows 50 synonyms per term).
const MAX_MEMBERS: usize = 64;

/// One member of a group: its analysed tokens with positions relative to the first.
pub type Member = Vec<(usize, String)>;

/// The synonym groups, analysed.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<Member>>,
}

impl Synonyms {
    /// The groups of words that mean the same (each a term with its synonyms), analysed with
    /// `analyzer` (the query analyzer). Members without a searchable word and groups with
    /// fewer than two different members are left out.
    pub fn new(groups: &[Vec<String>], analyzer: &mut TextAnalyzer) -> Synonyms {
        let mut out = Vec::new();
        for group in groups {
            let mut members: Vec<Member> = Vec::new();
            for text in group.iter().take(MAX_MEMBERS) {
                let toks = tokens(analyzer, text);
                let Some(first) = toks.first().map(|(p, _)| *p) else {
                    continue;
                };
                let member: Member = toks.into_iter().map(|(p, t)| (p - first, t)).collect();
                if !members.iter().any(|m| same_words(m, &member)) {
                    members.push(member);
                }
            }
            if members.len() >= 2 {
                out.push(members);
            }
        }
        Synonyms { groups: out }
    }

    /// Whether there is no group.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// The longest member that the words `words[at..]` start with, as its number of words and
    /// the other members of every group it belongs to; `None` when no member starts there.
    pub fn match_at<'a>(&'a self, words: &[String], at: usize) -> Option<(usize, Vec<&'a Member>)> {
        let rest = &words[at..];
        let starts =
            |m: &Member| m.len() <= rest.len() && m.iter().zip(rest).all(|((_, t), w)| t == w);
        let len = self
            .groups
            .iter()
            .flatten()
            .filter(|m| starts(m))
            .map(Vec::len)
            .max()?;
        let matched = &rest[..len];
        let mut alternatives: Vec<&Member> = Vec::new();
        for group in &self.groups {
            let holds = group
                .iter()
                .any(|m| m.len() == len && m.iter().zip(matched).all(|((_, t), w)| t == w));
            if !holds {
                continue;
            }
            for member in group {
                let is_matched =
                    member.len() == len && member.iter().zip(matched).all(|((_, t), w)| t == w);
                if !is_matched && !alternatives.iter().any(|a| same_words(a, member)) {
                    alternatives.push(member);
                }
            }
        }
        Some((len, alternatives))
    }

    /// Every alternative of every member found in `words` (greedy, longest first): what the
    /// snippets also look for.
    pub fn alternatives_in<'a>(&'a self, words: &[String]) -> Vec<&'a Member> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < words.len() {
            match self.match_at(words, at) {
                Some((len, alternatives)) => {
                    out.extend(alternatives);
                    at += len;
                }
                None => at += 1,
            }
        }
        out
    }
}

fn same_words(a: &Member, b: &Member) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|((_, x), (_, y))| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyzer::query_analyzer;

    fn words(text: &str) -> Vec<String> {
        tokens(&mut query_analyzer(), text)
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    #[test]
    fn members_match_after_analysis_longest_first() {
        let groups = vec![
            vec![
                "Functionaris voor gegevensbescherming".to_string(),
                "DPO".to_string(),
                "Data protection officer".to_string(),
            ],
            vec!["Leefloon".to_string(), "Integratie-inkomen".to_string()],
            vec!["nutteloos".to_string(), "".to_string(), "de".to_string()],
        ];
        let synonyms = Synonyms::new(&groups, &mut query_analyzer());
        assert_eq!(synonyms.len(), 2, "a group of one usable member is dropped");
        let (len, alts) = synonyms.match_at(&words("dpo"), 0).unwrap();
        assert_eq!(len, 1);
        assert_eq!(alts.len(), 2);
        // "voor" is a stop word: the phrase keeps its gap.
        assert!(alts.iter().any(|m| m.len() == 2 && m[1].0 == 2), "{alts:?}");
        let q = words("functionaris voor gegevensbescherming in gent");
        let (len, alts) = synonyms.match_at(&q, 0).unwrap();
        assert_eq!(len, 2);
        assert!(alts.iter().any(|m| m.len() == 1 && m[0].1 == "dpo"));
        assert!(synonyms.match_at(&q, 2).is_none());
        assert_eq!(synonyms.alternatives_in(&words("leefloon en DPO")).len(), 3);
    }
}
