use super::*;
use crate::search::hyphen::index_analyzer;

fn index_tokens(dict: Dictionary, text: &str) -> Vec<(usize, String)> {
    let mut analyzer = index_analyzer(Arc::new(RwLock::new(dict)));
    tokens(&mut analyzer, text)
}

fn texts(tokens: &[(usize, String)]) -> Vec<&str> {
    tokens.iter().map(|(_, t)| t.as_str()).collect()
}

#[test]
fn splits_compounds_with_the_builtin_dictionary() {
    let dict = Dictionary::builtin();
    assert_eq!(dict.split("klimaatgovernance"), ["klimaat", "governance"]);
    assert_eq!(dict.split("rechtenverkenner"), ["rechten", "verkenner"]);
    assert_eq!(dict.split("stadsvernieuwing"), ["stad", "vernieuwing"]);
    assert_eq!(dict.split("armoedebeleid"), ["armoede", "beleid"]);
    assert!(
        dict.split("klimaat").is_empty(),
        "a plain word is not split"
    );
    assert!(dict.split("gemeentehuis").contains(&"gemeente".to_string()));
}

#[test]
fn parts_shorter_than_four_letters_are_not_emitted() {
    let mut dict = Dictionary::builtin();
    dict.learn("set");
    // "dataset" = "data" + "set": "set" is too short, so no split at all.
    assert!(dict.split("dataset").is_empty());
}

#[test]
fn learned_vocabulary_extends_the_dictionary() {
    let mut dict = Dictionary::builtin();
    // Before: only the known start is a part (an unknown head of too few letters is not).
    assert_eq!(dict.split("leefloonaanvraag"), ["leefloon"]);
    assert!(dict.split("aanvraagformulier").is_empty());
    dict.learn("aanvraag");
    assert_eq!(dict.split("leefloonaanvraag"), ["leefloon", "aanvraag"]);
}

#[test]
fn nested_compounds_emit_all_parts() {
    let mut dict = Dictionary::builtin();
    dict.learn("armoedebeleid");
    let parts = dict.split("armoedebeleidsplan");
    for part in ["armoedebeleid", "plan", "armoede", "beleid"] {
        assert!(
            parts.contains(&part.to_string()),
            "{part} missing in {parts:?}"
        );
    }
}

#[test]
fn parts_share_the_position_of_the_whole_word() {
    let toks = index_tokens(Dictionary::builtin(), "Nieuwe klimaatgovernance");
    let at_one: Vec<&str> = toks
        .iter()
        .filter(|(p, _)| *p == 1)
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(at_one.len(), 3, "{toks:?}");
    assert_eq!(at_one[1], "klimaat");
    assert!(at_one[2].starts_with("governanc"), "{at_one:?}");
}

#[test]
fn accents_fold_to_the_same_token() {
    let mut words = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let all = texts(&tokens(&mut words, "Één één een EEN")).join(" ");
    assert_eq!(all, "een een een een");
    let mut analyzer = query_analyzer();
    assert_eq!(
        tokens(&mut analyzer, "financiële"),
        tokens(&mut analyzer, "financiele")
    );
    assert_eq!(
        tokens(&mut analyzer, "Ideeën"),
        tokens(&mut analyzer, "ideeen")
    );
}

#[test]
fn stop_words_are_removed_and_positions_kept() {
    let toks = index_tokens(Dictionary::builtin(), "De stad en het klimaat");
    assert_eq!(texts(&toks), ["stad", "klimaat"]);
    assert_eq!(toks[0].0, 1);
    assert_eq!(toks[1].0, 4);
    // "één" folds to "een", a stop word: it disappears like "een".
    let mut analyzer = query_analyzer();
    assert!(tokens(&mut analyzer, "één").is_empty());
}

#[test]
fn snowball_stemming_behaviour() {
    let mut analyzer = query_analyzer();
    let stem = |a: &mut TextAnalyzer, w: &str| texts(&tokens(a, w)).join(" ");
    // Irregular plural: Snowball alone does not bring "steden" back to "stad" ...
    let mut snowball = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(Stemmer::new(Language::Dutch))
        .build();
    assert_eq!(stem(&mut snowball, "steden"), "steed");
    // ... so the analyzers map it first.
    assert_eq!(stem(&mut analyzer, "steden"), "stad");
    assert_eq!(stem(&mut analyzer, "stad"), "stad");
    assert_eq!(stem(&mut analyzer, "Leden"), "lid");
    let parts = index_tokens(Dictionary::builtin(), "centrumsteden");
    assert!(texts(&parts).contains(&"stad"), "{parts:?}");
    // Regular plurals and inflections do meet.
    assert_eq!(
        stem(&mut analyzer, "woningen"),
        stem(&mut analyzer, "woning")
    );
    assert_eq!(stem(&mut analyzer, "rechten"), stem(&mut analyzer, "recht"));
    // Snowball 3's Dutch stemmer keeps long vowels: "klimaat" stays as it is.
    assert_eq!(stem(&mut analyzer, "klimaat"), "klimaat");
    assert_eq!(stem(&mut analyzer, "klimaten"), "klimaat");
}

#[test]
fn odd_input_does_not_panic() {
    let dict = Dictionary::builtin();
    let long = "a".repeat(10_000);
    assert!(dict.split(&long).is_empty());
    let _ = index_tokens(Dictionary::builtin(), &"klimaatbeleid ".repeat(2000));
    let _ = index_tokens(Dictionary::builtin(), "( AND ) \" \u{0} 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 日本語");
}

#[test]
fn runs_of_parts_suffixes_and_known_starts() {
    let dict = Dictionary::builtin();
    let parts = dict.split("kinderarmoedebeleid");
    for part in [
        "kind",
        "armoede",
        "beleid",
        "kinderarmoede",
        "armoedebeleid",
    ] {
        assert!(parts.contains(&part.to_string()), "{part} in {parts:?}");
    }
    // An unknown start before a compound: the compound and its parts.
    let parts = dict.split("tienerarmoedebeleid");
    assert_eq!(parts, ["armoedebeleid", "armoede", "beleid"]);
    // Not after a bound prefix, nor after fewer than four letters.
    assert!(dict
        .split("infrastructuurbeleid")
        .iter()
        .all(|p| p != "structuurbeleid"));
    assert!(dict.split("exarmoedebeleid").is_empty());
}

#[test]
fn suspended_hyphens_get_the_head_of_the_compound() {
    let toks = index_tokens(
        Dictionary::builtin(),
        "Energie- en klimaatplan, proces-, risico- of klimaatbeleid",
    );
    let words = texts(&toks);
    for expected in ["energieplan", "procesbeleid", "risicobeleid"] {
        assert!(words.contains(&expected), "{expected} in {words:?}");
    }
    // The completed word stands where the first word stands.
    let at = toks.iter().find(|(_, t)| t == "energieplan").unwrap().0;
    assert_eq!(at, toks.iter().find(|(_, t)| t == "energ").unwrap().0);
    // A hyphen inside a word, or no conjunction, completes nothing.
    let words = index_tokens(
        Dictionary::builtin(),
        "de PTR-tool en klimaatplan; energie- klimaatplan",
    );
    assert!(
        !texts(&words)
            .iter()
            .any(|t| t.ends_with("tool") && t.len() > 4 || *t == "energieplan"),
        "{words:?}"
    );
}

#[test]
fn verbs_in_eren_meet_nouns_in_atie() {
    let mut analyzer = query_analyzer();
    let stem = |a: &mut TextAnalyzer, w: &str| tokens(a, w)[0].1.clone();
    assert_eq!(
        stem(&mut analyzer, "renoveren"),
        stem(&mut analyzer, "renovatie")
    );
    assert_eq!(
        stem(&mut analyzer, "organiseren"),
        stem(&mut analyzer, "organisatie")
    );
    assert_eq!(
        stem(&mut analyzer, "strategieën"),
        stem(&mut analyzer, "strategie")
    );
    // Short stems are left alone.
    assert_eq!(stem(&mut analyzer, "beheer"), "beheer");
}
