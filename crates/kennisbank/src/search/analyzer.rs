//! Dutch text analysis for the Kennisbank.
//!
//! The index-time chain is: simple tokenizer (letters and digits) → lower case → ASCII folding
//! (`é`, `ë` → `e`) → Dutch stop words (the Snowball list) → compound splitting → a short map
//! of irregular plurals (`steden` → `stad`) → the Dutch Snowball stemmer → verb and noun stems
//! together ([`VerbNounStems`]); its tokenizer completes suspended hyphens
//! (`search::hyphen`). The query-time chain is the same without compound splitting and
//! hyphen completion: a query word
//! that is itself a compound matches the whole-word token that the index always keeps, and a
//! query word that is a part matches the parts the index added.
//!
//! # Compound splitting
//!
//! Dutch writes compounds as one word (`klimaatgovernance`, `rechtenverkenner`), so a search
//! for `klimaat` would miss them. [`CompoundSplitter`] keeps every word and adds its parts as
//! extra tokens at the *same position* (like synonyms), so phrase queries still line up. The
//! algorithm:
//!
//! 1. A word shorter than 8 or longer than 60 bytes is left alone.
//! 2. Try every cut after a head of at least 4 letters that is in the [`Dictionary`], longest
//!    head first. Between head and tail a linking morpheme may stand: none, `s`, `e`, `en` or
//!    `er` (`stad|s|vernieuwing`, `armoede|beleid`, `recht|en|verkenner`, `kind|er|armoede`).
//! 3. The tail (at least 4 letters) must be a known word or split further by the same rule.
//!    The first complete decomposition with the fewest parts wins, and each part is cut
//!    again, down to the smallest known parts.
//! 4. A word that cannot be cut entirely is cut from its longest suffix that is a compound or
//!    a known word of 8+ letters, after an unknown start of 4+ letters that is no bound prefix
//!    like `infra` or `inter` (`laad|infrastructuur`: Dutch compounds end in their head);
//!    else its longest known start of 8+ letters is taken as its first part
//!    (`gegevensbescherming|s|effectbeoordeling`).
//! 5. Emitted are the smallest parts and every run of adjacent ones with the links between
//!    them (at most 24): `kinderarmoedebeleid` → `kind`, `armoede`, `beleid`,
//!    `kinderarmoede`, `armoedebeleid`. So a compound in a query finds a text where it only
//!    occurs inside a longer compound.
//!
//! The dictionary is a built-in list of a few hundred frequent words ([`super::lexicon`]) plus
//! every word of at least 4 letters that the index has seen on its own (not stop words).
//! Suspended hyphens (`energie- en klimaatplan`) are completed before this step, see
//! `search::hyphen`.
//!
//! Limits: rare parts that never occur alone are only found through rule 4; a known-word
//! accident can produce a wrong extra split (`standaard` → `stand` + `aard` when both occur in
//! the corpus), which costs a little precision but never loses the whole word; documents
//! indexed before a part became known are only re-split when they are indexed again (`steden
//! reindex`). The vocabulary only grows.
//!
//! # What the Snowball stemmer does
//!
//! tantivy uses the current Snowball Dutch stemmer (Snowball 3, through `frostem`). It removes
//! plural and inflection endings (`-en`, `-e`, ...) and keeps long vowels: `klimaten` →
//! `klimaat`, `woningen` and `woning` meet, `rechten` and `recht` meet. Irregular plurals do
//! *not* meet in Snowball (`steden` → `steed`, `stad` → `stad`), which is why
//! [`IRREGULAR_PLURALS`] maps the few that matter here (`steden`, `leden`) to their singular
//! before stemming, also as compound parts (`centrumsteden` → `centrum`, `stad`). The tests
//! in this module pin
//! the exact behaviour. Snowball also leaves verbs in `-eren` and nouns in `-atie` apart
//! (`renoveren` → `renover`, `renovatie` → `renoveer`); [`VerbNounStems`] brings them together.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, RwLock};

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, SimpleTokenizer, Stemmer, StopWordFilter,
    TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Name of the index-time analyzer (with compound splitting) in the tokenizer manager.
pub const INDEX_ANALYZER: &str = "nl_stem";
/// Name of the query-time analyzer (without compound splitting).
pub const QUERY_ANALYZER: &str = "nl_query";
/// Name of the analyzer that only normalises (lower case, folding, stop words): surface words.
pub const WORD_ANALYZER: &str = "nl_words";

/// Shortest part (in bytes, which equals letters after folding) that is split off or emitted.
pub const MIN_PART_LEN: usize = 4;
const MIN_COMPOUND_LEN: usize = 2 * MIN_PART_LEN;
const MAX_COMPOUND_LEN: usize = 60;
/// Linking morphemes between the parts of a compound (`stad|s|vernieuwing`,
/// `kind|er|armoede`).
const LINKS: [&str; 5] = ["", "s", "e", "en", "er"];
/// Prefixes that make a new word rather than a compound (`infra|structuur`,
/// `inter|nationaal`): a word starting with one is not cut from a suffix.
const BOUND_PREFIXES: &[&str] = &[
    "anti", "auto", "extra", "hyper", "infra", "inter", "macro", "maxi", "mega", "meta", "micro",
    "mini", "multi", "para", "post", "semi", "super", "tele", "trans", "ultra",
];
/// Most parts emitted for one word (a 60-letter word of 4-letter parts has over 100 runs).
const MAX_PARTS: usize = 24;

/// The Dutch stop words: Snowball's list (`dutch/stop.txt`), ASCII-folded, sorted.
pub fn stop_words() -> Vec<String> {
    let mut words: Vec<String> = SNOWBALL_DUTCH.iter().map(|w| fold(w)).collect();
    words.sort();
    words.dedup();
    words
}

/// Snowball's Dutch stop word list (snowballstem.org, `dutch/stop.txt`).
const SNOWBALL_DUTCH: &[&str] = &[
    "de", "en", "van", "ik", "te", "dat", "die", "in", "een", "hij", "het", "niet", "zijn", "is",
    "was", "op", "aan", "met", "als", "voor", "had", "er", "maar", "om", "hem", "dan", "zou", "of",
    "wat", "mijn", "men", "dit", "zo", "door", "over", "ze", "zich", "bij", "ook", "tot", "je",
    "mij", "uit", "der", "daar", "haar", "naar", "heb", "hoe", "heeft", "hebben", "deze", "u",
    "want", "nog", "zal", "me", "zij", "nu", "ge", "geen", "omdat", "iets", "worden", "toch", "al",
    "waren", "veel", "meer", "doen", "toen", "moet", "ben", "zonder", "kan", "hun", "dus", "alles",
    "onder", "ja", "eens", "hier", "wie", "werd", "altijd", "doch", "wordt", "wezen", "kunnen",
    "ons", "zelf", "tegen", "na", "reeds", "wil", "kon", "niets", "uw", "iemand", "geweest",
    "andere",
];

/// Lower case and ASCII-fold one word, the way the analyzers do.
pub fn fold(word: &str) -> String {
    let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut stream = analyzer.token_stream(word);
    let mut out = String::new();
    while let Some(token) = stream.next() {
        out.push_str(&token.text);
    }
    out
}

/// The known words that compounds are split into: the built-in list plus the vocabulary seen
/// while indexing, with how often each was seen (for spelling suggestions). Shared between the
/// analyzer and the index through [`SharedDictionary`].
#[derive(Debug, Default, Clone)]
pub struct Dictionary {
    words: HashMap<String, u32>,
    stop: HashSet<String>,
}

/// A dictionary shared by the registered analyzer and the index that feeds it.
pub type SharedDictionary = Arc<RwLock<Dictionary>>;

impl Dictionary {
    /// The built-in dictionary, without corpus vocabulary.
    pub fn builtin() -> Dictionary {
        let stop: HashSet<String> = stop_words().into_iter().collect();
        let mut dict = Dictionary {
            words: HashMap::new(),
            stop,
        };
        for word in super::lexicon::BUILTIN_WORDS {
            dict.insert_builtin(word);
        }
        dict
    }

    fn insert_builtin(&mut self, word: &str) {
        if word.len() >= MIN_PART_LEN && !self.stop.contains(word) {
            self.words.entry(word.to_string()).or_insert(0);
        }
    }

    /// Adds one corpus word (already folded) if it is long enough, alphabetic and no stop
    /// word; counts how often it was seen.
    pub fn learn(&mut self, word: &str) {
        self.learn_with_count(word, 1);
    }

    /// Like [`Dictionary::learn`], counting `count` sightings at once.
    pub fn learn_with_count(&mut self, word: &str, count: u32) {
        if word.len() >= MIN_PART_LEN
            && word.len() <= MAX_COMPOUND_LEN
            && word.bytes().all(|b| b.is_ascii_lowercase())
            && !self.stop.contains(word)
        {
            let seen = self.words.entry(word.to_string()).or_insert(0);
            *seen = seen.saturating_add(count);
        }
    }

    /// Whether `word` is a known part.
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains_key(word)
    }

    /// How often `word` was seen in the corpus (0 for built-in words never seen).
    pub fn count(&self, word: &str) -> u32 {
        self.words.get(word).copied().unwrap_or(0)
    }

    /// All known words with their corpus counts.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.words.iter().map(|(w, c)| (w.as_str(), *c))
    }

    /// Number of known words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the dictionary is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The parts of `word` (not including `word` itself), or an empty list when it is no
    /// compound of known words: every smallest part, and every run of adjacent smallest parts
    /// with the links between them (so `kinderarmoedebeleid` also gives `armoedebeleid` and
    /// `kinderarmoede`). See the module documentation for the algorithm.
    pub fn split(&self, word: &str) -> Vec<String> {
        let leaves = self.leaves(word, 0);
        let mut out: Vec<String> = Vec::new();
        for (i, &(start, _)) in leaves.iter().enumerate() {
            for &(_, end) in leaves[i..].iter().rev() {
                if (start, end) != (0, word.len()) && out.len() < MAX_PARTS {
                    push_unique(&mut out, word[start..end].to_string());
                }
            }
        }
        out
    }

    /// The smallest known parts of `word[..]` as byte ranges of `word`, shifted by `offset`;
    /// empty when `word` is no compound. A word that cannot be cut entirely is cut from its
    /// longest suffix that is a compound or a known word of [`MIN_COMPOUND_LEN`] letters
    /// (Dutch compounds end in their head: `xyzarmoedebeleid` is about `armoedebeleid`).
    fn leaves(&self, word: &str, offset: usize) -> Vec<(usize, usize)> {
        if word.len() < MIN_COMPOUND_LEN || word.len() > MAX_COMPOUND_LEN || !word.is_ascii() {
            return Vec::new();
        }
        let mut memo = HashMap::new();
        let parts = match self.decompose(word, 0, true, &mut memo) {
            Some(parts) => parts,
            None => match self
                .suffix_compound(word, &mut memo)
                .or_else(|| self.prefix_word(word))
            {
                Some(parts) => parts,
                None => return Vec::new(),
            },
        };
        let mut out = Vec::new();
        for (start, end) in parts {
            let inner = self.leaves(&word[start..end], offset + start);
            if inner.is_empty() {
                out.push((offset + start, offset + end));
            } else {
                out.extend(inner);
            }
        }
        out
    }

    /// The longest suffix of `word`, after at least [`MIN_PART_LEN`] letters, that is a known word of at least
    /// [`MIN_COMPOUND_LEN`] letters or splits into known parts, as one range (the suffix;
    /// [`Dictionary::leaves`] cuts it further).
    fn suffix_compound(&self, word: &str, memo: &mut Memo) -> Option<Vec<(usize, usize)>> {
        // An unknown head of at least four letters: a shorter one is more often a word's own
        // start (`in|formatie`) than a part.
        if BOUND_PREFIXES.iter().any(|p| word.starts_with(p)) {
            return None;
        }
        (MIN_PART_LEN..=word.len().saturating_sub(MIN_COMPOUND_LEN))
            .find(|&start| self.decompose(word, start, false, memo).is_some())
            .map(|start| vec![(start, word.len())])
    }

    /// The longest known word of at least [`MIN_COMPOUND_LEN`] letters that `word` starts
    /// with, followed by at least [`MIN_PART_LEN`] letters, as one range: the first part of a
    /// compound whose head is unknown (`gegevensbescherming|s|effectbeoordeling`).
    /// The rest, after a link, is taken as the (unknown) head when it is long enough and
    /// starts with a known word (`effect|beoordeling`).
    fn prefix_word(&self, word: &str) -> Option<Vec<(usize, usize)>> {
        let ends: Vec<usize> = (MIN_COMPOUND_LEN..=word.len().saturating_sub(MIN_PART_LEN))
            .rev()
            .filter(|&end| self.contains(&word[..end]))
            .collect();
        // The longest known start that leaves a head, else the longest known start alone.
        for &end in &ends {
            let head = LINKS
                .iter()
                .filter(|link| word[end..].starts_with(*link))
                .map(|link| end + link.len())
                .find(|&start| {
                    word.len() - start >= MIN_COMPOUND_LEN
                        && (MIN_PART_LEN..=word.len() - start)
                            .any(|n| self.contains(&word[start..start + n]))
                });
            if let Some(start) = head {
                return Some(vec![(0, end), (start, word.len())]);
            }
        }
        ends.first().map(|&end| vec![(0, end)])
    }

    /// Fewest-parts decomposition of `word[start..]` as byte ranges of `word`; `whole`
    /// forbids taking the entire word as a single part.
    fn decompose(
        &self,
        word: &str,
        start: usize,
        whole: bool,
        memo: &mut Memo,
    ) -> Option<Vec<(usize, usize)>> {
        if !whole {
            if let Some(known) = memo.get(&start) {
                return known.clone();
            }
        }
        let rest = &word[start..];
        let mut best: Option<Vec<(usize, usize)>> = None;
        if !whole && self.contains(rest) {
            best = Some(vec![(start, word.len())]);
        }
        let max_head = rest.len().saturating_sub(MIN_PART_LEN);
        for head_len in (MIN_PART_LEN..=max_head).rev() {
            if best.as_ref().is_some_and(|b| b.len() <= 2) {
                break;
            }
            if !self.contains(&rest[..head_len]) {
                continue;
            }
            for link in LINKS {
                let tail_start = start + head_len + link.len();
                if !rest[head_len..].starts_with(link) || word.len() - tail_start < MIN_PART_LEN {
                    continue;
                }
                if let Some(mut tail) = self.decompose(word, tail_start, false, memo) {
                    tail.insert(0, (start, start + head_len));
                    if best.as_ref().is_none_or(|b| tail.len() < b.len()) {
                        best = Some(tail);
                    }
                }
            }
        }
        if !whole {
            memo.insert(start, best.clone());
        }
        best
    }
}

/// Decompositions of a word's suffixes, by start (see [`Dictionary::decompose`]).
type Memo = HashMap<usize, Option<Vec<(usize, usize)>>>;

fn push_unique(out: &mut Vec<String>, part: String) {
    if !out.contains(&part) {
        out.push(part);
    }
}

/// Token filter that keeps each word and adds its compound parts at the same position.
#[derive(Clone)]
pub struct CompoundSplitter {
    dict: SharedDictionary,
}

impl CompoundSplitter {
    /// A splitter reading the given (shared, growing) dictionary.
    pub fn new(dict: SharedDictionary) -> CompoundSplitter {
        CompoundSplitter { dict }
    }
}

impl TokenFilter for CompoundSplitter {
    type Tokenizer<T: Tokenizer> = CompoundSplitterFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CompoundSplitterFilter<T> {
        CompoundSplitterFilter {
            dict: self.dict,
            inner: tokenizer,
        }
    }
}

/// The tokenizer produced by [`CompoundSplitter`].
#[derive(Clone)]
pub struct CompoundSplitterFilter<T> {
    dict: SharedDictionary,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CompoundSplitterFilter<T> {
    type TokenStream<'a> = CompoundSplitterStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CompoundSplitterStream {
            dict: &self.dict,
            tail: self.inner.token_stream(text),
            pending: VecDeque::new(),
            current: Token::default(),
        }
    }
}

/// The token stream produced by [`CompoundSplitter`].
pub struct CompoundSplitterStream<'a, S> {
    dict: &'a SharedDictionary,
    tail: S,
    pending: VecDeque<Token>,
    current: Token,
}

impl<S: TokenStream> TokenStream for CompoundSplitterStream<'_, S> {
    fn advance(&mut self) -> bool {
        if let Some(next) = self.pending.pop_front() {
            self.current = next;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        self.current = self.tail.token().clone();
        let parts = match self.dict.read() {
            Ok(dict) => dict.split(&self.current.text),
            Err(_) => Vec::new(),
        };
        for part in parts {
            let mut token = self.current.clone();
            token.text = part;
            self.pending.push_back(token);
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

/// Irregular plurals the stemmer cannot bring back to their singular, mapped before stemming.
/// (`schepen` is left alone: in Flanders it is also the singular "alderman".)
pub const IRREGULAR_PLURALS: &[(&str, &str)] = &[("steden", "stad"), ("leden", "lid")];

/// Token filter that replaces the [`IRREGULAR_PLURALS`] by their singular, and plurals in
/// `-ieën`/`-eeën` by theirs.
#[derive(Clone)]
pub struct IrregularPlurals;

impl TokenFilter for IrregularPlurals {
    type Tokenizer<T: Tokenizer> = IrregularPluralsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> IrregularPluralsFilter<T> {
        IrregularPluralsFilter { inner: tokenizer }
    }
}

/// The tokenizer produced by [`IrregularPlurals`].
#[derive(Clone)]
pub struct IrregularPluralsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for IrregularPluralsFilter<T> {
    type TokenStream<'a> = IrregularPluralsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        IrregularPluralsStream {
            tail: self.inner.token_stream(text),
        }
    }
}

/// The token stream produced by [`IrregularPlurals`].
pub struct IrregularPluralsStream<S> {
    tail: S,
}

impl<S: TokenStream> TokenStream for IrregularPluralsStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some((_, singular)) = IRREGULAR_PLURALS.iter().find(|(p, _)| *p == token.text) {
            token.text = (*singular).to_string();
        } else if token.text.len() > 6
            && (token.text.ends_with("ieen") || token.text.ends_with("eeen"))
        {
            // `strategieën`, `ideeën` (folded): Snowball keeps the `en` after a vowel.
            token.text.truncate(token.text.len() - 2);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Token filter that brings the stems of verbs in `-eren` and nouns in `-atie`/`-ering`
/// together: Snowball makes `renoveren` → `renover` but `renovatie` → `renoveer`
/// (`organiseren`/`organisatie`, `evalueren`/`evaluatie` alike). A stem of at least
/// [`MIN_VERB_NOUN_STEM`] letters ending in `eer` loses one `e`. Applied after stemming, at
/// index and at query time alike, so both sides always meet; short stems (`beheer`, `sfeer`)
/// are left alone.
#[derive(Clone)]
pub struct VerbNounStems;

/// Shortest stem that [`VerbNounStems`] changes.
pub const MIN_VERB_NOUN_STEM: usize = 7;

impl TokenFilter for VerbNounStems {
    type Tokenizer<T: Tokenizer> = VerbNounStemsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> VerbNounStemsFilter<T> {
        VerbNounStemsFilter { inner: tokenizer }
    }
}

/// The tokenizer produced by [`VerbNounStems`].
#[derive(Clone)]
pub struct VerbNounStemsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for VerbNounStemsFilter<T> {
    type TokenStream<'a> = VerbNounStemsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        VerbNounStemsStream {
            tail: self.inner.token_stream(text),
        }
    }
}

/// The token stream produced by [`VerbNounStems`].
pub struct VerbNounStemsStream<S> {
    tail: S,
}

impl<S: TokenStream> TokenStream for VerbNounStemsStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if token.text.len() >= MIN_VERB_NOUN_STEM && token.text.ends_with("eer") {
            token.text.truncate(token.text.len() - 2);
            token.text.push('r');
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

fn stop_filter() -> StopWordFilter {
    StopWordFilter::remove(stop_words())
}

/// The index-time chain after `tokenizer`: normalisation, stop words, compound splitting,
/// stemming. The index's analyzer is this chain after the tokenizer that completes suspended
/// hyphens (`search::hyphen::index_analyzer`).
pub fn index_chain<T: Tokenizer>(tokenizer: T, dict: SharedDictionary) -> TextAnalyzer {
    TextAnalyzer::builder(tokenizer)
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stop_filter())
        .filter(CompoundSplitter::new(dict))
        .filter(IrregularPlurals)
        .filter(Stemmer::new(Language::Dutch))
        .filter(VerbNounStems)
        .build()
}

/// The query-time analyzer: like the index's without compound splitting and hyphen completion.
pub fn query_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stop_filter())
        .filter(IrregularPlurals)
        .filter(Stemmer::new(Language::Dutch))
        .filter(VerbNounStems)
        .build()
}

/// Surface words: lower case, folded, without stop words, not stemmed.
pub fn word_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stop_filter())
        .build()
}

/// The token texts `analyzer` produces for `text` (a helper for tests and diagnostics).
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push((token.position, token.text.clone()));
    }
    out
}

#[cfg(test)]
#[path = "analyzer_tests.rs"]
mod tests;
