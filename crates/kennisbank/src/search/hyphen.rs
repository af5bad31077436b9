//! Suspended hyphens: Dutch shortens a series of compounds with the same head by writing the
//! head once, `energie- en klimaatplan`, `proces-, risico- en organisatiebeheersing`,
//! `beleids- of regelgevende kaders`. The first words are then no words of their own:
//! `energie-` means `energieplan`. [`HyphenPairTokenizer`] tokenizes like tantivy's
//! `SimpleTokenizer` and, for each word followed by such a hyphen, adds the completed compound
//! at the same position: the word plus the head (the last known part) of the compound after the
//! conjunction (`energie` + `plan`). The rest of the chain then splits and stems it like any
//! compound, so `energieplan`, `energie` and (through the stemmer) other inflections of the
//! first word all find the text.
//!
//! The head is the last part of the compound as the dictionary cuts it
//! ([`super::analyzer::Dictionary::split`]), else what follows a known first word
//! (`Klimaatpact` → `pact`); when neither, nothing is added (the word itself is always kept).

use std::collections::VecDeque;

use tantivy::tokenizer::{SimpleTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer};

use super::analyzer::{fold, index_chain, SharedDictionary, MIN_PART_LEN};

/// Most words looked at after a suspended word to find the conjunction and the compound
/// (`a-, b-, c-, d- en e…` is a long list already).
const LOOKAHEAD: usize = 8;
/// The conjunctions of such a series.
const CONJUNCTIONS: [&str; 4] = ["en", "of", "noch", "tot"];

/// The index-time analyzer: [`HyphenPairTokenizer`], then normalisation, stop words, compound
/// splitting and stemming ([`index_chain`]).
pub fn index_analyzer(dict: SharedDictionary) -> TextAnalyzer {
    index_chain(HyphenPairTokenizer::new(dict.clone()), dict)
}

/// `SimpleTokenizer` plus the completed compounds of suspended hyphens.
#[derive(Clone)]
pub struct HyphenPairTokenizer {
    dict: SharedDictionary,
    inner: SimpleTokenizer,
}

impl HyphenPairTokenizer {
    pub fn new(dict: SharedDictionary) -> HyphenPairTokenizer {
        HyphenPairTokenizer {
            dict,
            inner: SimpleTokenizer::default(),
        }
    }
}

impl Tokenizer for HyphenPairTokenizer {
    type TokenStream<'a> = HyphenPairStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> HyphenPairStream<'a> {
        HyphenPairStream {
            text,
            dict: &self.dict,
            inner: self.inner.token_stream(text),
            ahead: VecDeque::new(),
            pending: None,
            current: Token::default(),
        }
    }
}

/// The token stream of [`HyphenPairTokenizer`]: reads at most [`LOOKAHEAD`] tokens ahead, so
/// its memory does not grow with the text.
pub struct HyphenPairStream<'a> {
    text: &'a str,
    dict: &'a SharedDictionary,
    inner: <SimpleTokenizer as Tokenizer>::TokenStream<'a>,
    ahead: VecDeque<Token>,
    pending: Option<Token>,
    current: Token,
}

impl HyphenPairStream<'_> {
    fn pull(&mut self) -> Option<Token> {
        if let Some(token) = self.ahead.pop_front() {
            return Some(token);
        }
        self.inner.advance().then(|| self.inner.token().clone())
    }

    /// The `i`-th token after the current one.
    fn peek(&mut self, i: usize) -> Option<&Token> {
        while self.ahead.len() <= i {
            if !self.inner.advance() {
                return None;
            }
            self.ahead.push_back(self.inner.token().clone());
        }
        self.ahead.get(i)
    }

    /// Whether `token` is followed by a hyphen that ends the word (`energie- `, `proces-,`).
    fn suspended(&self, token: &Token) -> bool {
        let mut rest = self.text[token.offset_to..].chars();
        matches!(rest.next(), Some('-' | '\u{2010}' | '\u{2011}'))
            && rest.next().is_none_or(|c| c.is_whitespace() || c == ',')
    }

    /// The compound that completes the current (suspended) word: the word after the
    /// conjunction that ends the series, if there is one within reach.
    fn series_end(&mut self) -> Option<String> {
        for i in 0..LOOKAHEAD {
            let token = self.peek(i)?.clone();
            if self.suspended(&token) {
                continue;
            }
            let word = token.text.to_lowercase();
            if !CONJUNCTIONS.contains(&word.as_str()) {
                return None;
            }
            let last = self.peek(i + 1)?.clone();
            return (!self.suspended(&last)).then_some(last.text);
        }
        None
    }

    /// The head of `compound`: its last known part; else, when it starts with a known word,
    /// what follows that word (the series says it is a compound: `klimaat|pact`); else `None`.
    fn head(&self, compound: &str) -> Option<String> {
        let folded = fold(compound);
        let dict = self.dict.read().ok()?;
        // Parts come by start, longest first: the last one is the shortest final part.
        let last = dict
            .split(&folded)
            .into_iter()
            .rev()
            .find(|p| folded.ends_with(p.as_str()));
        last.or_else(|| {
            (MIN_PART_LEN..=folded.len().saturating_sub(MIN_PART_LEN))
                .rev()
                .filter(|&cut| folded.is_char_boundary(cut) && dict.contains(&folded[..cut]))
                // A known head would have been cut above: an `s` after the first word is
                // then far more often the link (`beleid|s|pact`) than the head's start.
                .map(|cut| {
                    let rest = &folded[cut..];
                    rest.strip_prefix('s').unwrap_or(rest).to_string()
                })
                .find(|head| head.len() >= MIN_PART_LEN)
        })
    }
}

impl TokenStream for HyphenPairStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some(token) = self.pending.take() {
            self.current = token;
            return true;
        }
        let Some(token) = self.pull() else {
            return false;
        };
        self.current = token;
        if self.suspended(&self.current.clone()) {
            if let Some(head) = self.series_end().and_then(|c| self.head(&c)) {
                let mut completed = self.current.clone();
                completed.text = format!("{}{head}", self.current.text);
                self.pending = Some(completed);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}
