//! The Dutch relevance set: real Kenniscentrum texts, a glossary, and queries with graded
//! judgements, with P@3 and nDCG@10. Shared by the test (`tests/search_relevance.rs`) and
//! the benchmark (`benches/search.rs`, beside PostgreSQL's `dutch` full-text search).
//!
//! - `jaarplan.txt`: the Kenniscentrum's jaarplan 2025, one document per werkspoor or chapter;
//! - `demo.txt`: the demo's documents (frozen copy of `src/demo/content.rs`);
//! - `glossary.tsv`: a begrippenkader (term, then its synonyms), applied as synonyms;
//! - `queries.tsv`: query, class, judgements `id=grade` (3 the answer, 2 relevant, 1 touches
//!   the subject; unjudged documents count as 0).
//!
//! Classes: `plain` (the words occur as such), `syn` (only a glossary synonym occurs),
//! `compound` (the query compound occurs only inside a longer compound), `hyphen` (the word,
//! or another inflection of it, occurs only as the first part of `X- en Y`), `multi`
//! (several words, partly only together through the above).

#![allow(dead_code)]

use std::collections::HashMap;

use steden_kennisbank::search::Document;

const JAARPLAN: &str = include_str!("jaarplan.txt");
const DEMO: &str = include_str!("demo.txt");
const GLOSSARY: &str = include_str!("glossary.tsv");
const QUERIES: &str = include_str!("queries.tsv");

/// A judged query.
#[derive(Debug, Clone)]
pub struct Judged {
    pub text: String,
    pub class: String,
    /// Grade (1-3) per document id; absent is 0.
    pub grades: HashMap<String, u8>,
}

/// Documents of a corpus file: `## id<TAB>title` then the body (for the demo, its first line
/// is the summary).
fn parse_corpus(text: &str, first_line_is_summary: bool) -> Vec<Document> {
    let mut docs = Vec::new();
    for block in text.split("\n## ").skip(1) {
        let (head, body) = block.split_once('\n').unwrap_or((block, ""));
        let (id, title) = head.split_once('\t').expect("## id<TAB>title");
        let (summary, body) = if first_line_is_summary {
            body.split_once('\n').unwrap_or((body, ""))
        } else {
            ("", body)
        };
        docs.push(Document {
            id: id.trim().to_string(),
            title: title.trim().to_string(),
            summary: summary.trim().to_string(),
            body: body.trim().to_string(),
            access: vec!["public".to_string()],
            ..Document::default()
        });
    }
    docs
}

/// The corpus: the jaarplan's chapters and the demo's documents.
pub fn corpus() -> Vec<Document> {
    let mut docs = parse_corpus(JAARPLAN, false);
    docs.extend(parse_corpus(DEMO, true));
    docs
}

/// The glossary's groups: each term with its synonyms.
pub fn glossary() -> Vec<Vec<String>> {
    GLOSSARY
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (term, synonyms) = l.split_once('\t').unwrap_or((l, ""));
            std::iter::once(term.trim().to_string())
                .chain(
                    synonyms
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty()),
                )
                .collect()
        })
        .collect()
}

/// The judged queries.
pub fn queries() -> Vec<Judged> {
    QUERIES
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut cols = l.split('\t');
            let text = cols.next().unwrap_or_default().trim().to_string();
            let class = cols.next().unwrap_or_default().trim().to_string();
            let grades = cols
                .next()
                .unwrap_or_default()
                .split_whitespace()
                .map(|j| {
                    let (id, g) = j.split_once('=').expect("id=grade");
                    (id.to_string(), g.parse().expect("grade 0-3"))
                })
                .collect();
            Judged {
                text,
                class,
                grades,
            }
        })
        .collect()
}

/// Share of the first three results graded 2 or more (fewer than three results count as
/// misses).
pub fn precision_at_3(ranked: &[String], grades: &HashMap<String, u8>) -> f64 {
    let relevant = ranked
        .iter()
        .take(3)
        .filter(|id| grades.get(*id).copied().unwrap_or(0) >= 2)
        .count();
    relevant as f64 / 3.0
}

/// Normalised discounted cumulative gain of the first ten results (gain 2^grade - 1).
pub fn ndcg_at_10(ranked: &[String], grades: &HashMap<String, u8>) -> f64 {
    let gain = |g: u8| f64::from((1u32 << g) - 1);
    let discount = |i: usize| (i as f64 + 2.0).log2();
    let dcg: f64 = ranked
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, id)| gain(grades.get(id).copied().unwrap_or(0)) / discount(i))
        .sum();
    let mut ideal: Vec<u8> = grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, g)| gain(*g) / discount(i))
        .sum();
    if idcg == 0.0 {
        0.0
    } else {
        dcg / idcg
    }
}

/// Mean P@3 and nDCG@10 over a set of queries, with how many found nothing graded.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scores {
    pub queries: usize,
    pub p3: f64,
    pub ndcg10: f64,
    /// Queries whose first ten results hold no judged document.
    pub missed: usize,
}

/// Scores per class (and "all").
pub type ClassScores = Vec<(String, Scores)>;
/// Each query with the ids its search ranked.
pub type Rankings = Vec<(String, Vec<String>)>;
/// P@3, nDCG@10 and whether nothing judged was found, of one query.
type One = (f64, f64, bool);

/// Scores per class and over all ("all"), for a search that returns ranked ids.
pub fn evaluate(
    set: &[Judged],
    mut search: impl FnMut(&str) -> Vec<String>,
) -> (ClassScores, Rankings) {
    let mut per: Vec<(String, Vec<One>)> = Vec::new();
    let mut rankings = Vec::new();
    for q in set {
        let ranked = search(&q.text);
        let p = precision_at_3(&ranked, &q.grades);
        let n = ndcg_at_10(&ranked, &q.grades);
        let missed = !ranked.iter().take(10).any(|id| q.grades.contains_key(id));
        for class in [q.class.as_str(), "all"] {
            match per.iter_mut().find(|(c, _)| c == class) {
                Some((_, v)) => v.push((p, n, missed)),
                None => per.push((class.to_string(), vec![(p, n, missed)])),
            }
        }
        rankings.push((q.text.clone(), ranked));
    }
    let scores = per
        .into_iter()
        .map(|(class, v)| {
            let len = v.len() as f64;
            let s = Scores {
                queries: v.len(),
                p3: v.iter().map(|x| x.0).sum::<f64>() / len,
                ndcg10: v.iter().map(|x| x.1).sum::<f64>() / len,
                missed: v.iter().filter(|x| x.2).count(),
            };
            (class, s)
        })
        .collect();
    (scores, rankings)
}

/// The scores as a table (one line per class).
pub fn table(name: &str, scores: &[(String, Scores)]) -> String {
    let mut out = String::new();
    for (class, s) in scores {
        out.push_str(&format!(
            "{name:<10} {class:<9} {:>3} queries  P@3 {:.3}  nDCG@10 {:.3}  no judged hit in top 10: {}\n",
            s.queries, s.p3, s.ndcg10, s.missed
        ));
    }
    out
}
