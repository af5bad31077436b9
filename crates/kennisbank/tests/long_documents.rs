//! Long documents (issue 10, point 10): a snippet costs the same whatever the document's
//! length. A word that occurs only at the very end of a 5-million-character document is still
//! found and highlighted, while the text analysed for each hit's snippet stays within a fixed
//! bound (`SearchIndex::snippet_bytes_analysed`); the same through the search page, on both
//! backends. Timings are in the benchmark (`cargo bench -p steden-kennisbank --bench search`),
//! never in tests.

use crate::common;

use steden_kennisbank::search::passages::{self, MAX_BYTES};
use steden_kennisbank::search::{Document, Query, SearchIndex};

use crate::search_web::{insert, Doc};

/// Sentences of Dutch prose that long documents are made of.
const PROSE: &[&str] = &[
    "Met een nieuw beheerscomité gaan we met frisse energie verder.",
    "Stedelijke transities worden bovenal op het terrein vormgegeven.",
    "De stedelijke uitdagingen vragen om een slagkrachtig beleid waarin steden en gemeenten hun ambities waarmaken.",
    "Zo beantwoorden we de groeiende nood aan impactmeting op de lokale werkvloer.",
    "Stedelijke teams ontwikkelen vastgoedstrategieën die aansluiten bij de klimaatdoelstellingen.",
    "We verbinden steden voor gezamenlijke projectkansen rond digitalisering.",
    "Werkgroepen voeden en ondersteunen de programma's van het Kenniscentrum.",
];

/// About `chars` characters of varied prose, then `ending` (the only place its words occur).
fn long_body(chars: usize, ending: &str) -> String {
    let mut out = String::with_capacity(chars + ending.len() + 100);
    let (mut i, mut count) = (0usize, 0usize);
    while count < chars {
        let mut sentence = PROSE[(i * 7 + i / 5) % PROSE.len()].to_string();
        sentence.push_str(if i.is_multiple_of(9) { "\n" } else { " " });
        if i.is_multiple_of(13) {
            sentence.push_str(&format!("Dat gebeurde in {}. ", 2007 + i % 19));
        }
        count += sentence.chars().count();
        out.push_str(&sentence);
        i += 1;
    }
    out.push_str(ending);
    out
}

fn doc(id: &str, title: &str, body: String) -> Document {
    Document {
        id: id.into(),
        title: title.into(),
        summary: "Een verslag van het Kenniscentrum.".into(),
        body,
        access: vec!["public".into()],
        ..Document::default()
    }
}

fn search(index: &SearchIndex, text: &str) -> steden_kennisbank::search::Results {
    index
        .search(&Query {
            text: text.into(),
            ..Query::default()
        })
        .unwrap()
}

#[test]
fn a_word_at_the_end_of_a_5m_document_is_highlighted_with_bounded_work() {
    let index = SearchIndex::in_memory().unwrap();
    let ending = "Tot slot: de zeppelinhangar van de stad wordt een gemeenschapshuis.";
    let long = long_body(5_000_000, ending);
    assert!(long.chars().count() > 5_000_000);
    let mut docs = vec![doc("lang", "Jaarverslag", long)];
    for i in 0..30 {
        docs.push(doc(
            &format!("kort{i}"),
            "Korte nota",
            format!("Een korte nota nummer {i} over impactmeting en klimaatdoelstellingen."),
        ));
    }
    index.upsert(&docs).unwrap();

    let before = index.snippet_bytes_analysed();
    let results = search(&index, "zeppelinhangar");
    assert_eq!(results.total, 1);
    let hit = &results.hits[0];
    assert_eq!(hit.id, "lang");
    assert!(
        hit.snippet_html.contains("<mark>zeppelinhangar</mark>"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet_html.contains("gemeenschapshuis"),
        "{}",
        hit.snippet_html
    );
    let analysed = index.snippet_bytes_analysed() - before;
    assert!(
        analysed > 0 && analysed <= MAX_BYTES as u64,
        "one hit analysed {analysed} bytes for its snippet"
    );

    // A word in every sentence of the long document and in all the short ones: every hit's
    // snippet highlights it, and the whole page costs at most the bound per hit.
    let before = index.snippet_bytes_analysed();
    let results = search(&index, "impactmeting");
    assert_eq!(results.total, 31);
    assert!(results.hits.iter().any(|h| h.id == "lang"));
    for hit in &results.hits {
        assert!(
            hit.snippet_html.contains("<mark>impactmeting</mark>"),
            "{}: {}",
            hit.id,
            hit.snippet_html
        );
    }
    let analysed = index.snippet_bytes_analysed() - before;
    assert!(
        analysed <= (results.hits.len() * MAX_BYTES) as u64,
        "{} hits analysed {analysed} bytes",
        results.hits.len()
    );

    // A phrase deep in the document, and words that only meet near its end.
    let results = search(&index, "\"gemeenschapshuis\" zeppelinhangar stad");
    assert_eq!(results.hits.first().map(|h| h.id.as_str()), Some("lang"));
    assert!(results.hits[0]
        .snippet_html
        .contains("<mark>gemeenschapshuis</mark>"));

    // Replacing the document replaces its passages: the old ending no longer shows.
    index
        .upsert(&[doc(
            "lang",
            "Jaarverslag",
            long_body(10_000, "Nu een luchtschip."),
        )])
        .unwrap();
    assert_eq!(search(&index, "zeppelinhangar").total, 0);
    let results = search(&index, "luchtschip");
    assert!(results.hits[0]
        .snippet_html
        .contains("<mark>luchtschip</mark>"));
    index.delete("lang").unwrap();
    assert_eq!(search(&index, "luchtschip").total, 0);
}

#[test]
fn passages_cover_a_long_body_within_the_bound() {
    let body = long_body(200_000, "einde");
    let parts = passages::split(&body);
    assert!(parts.iter().all(|p| !p.is_empty() && p.len() <= MAX_BYTES));
    assert!(parts.len() >= body.len() / MAX_BYTES);
    assert!(parts.last().unwrap().ends_with("einde"));
    assert!(parts[0].starts_with(PROSE[0]));
}

#[tokio::test]
async fn the_search_page_highlights_the_end_of_a_long_document() {
    common::each_kb_app(|app, w| async move {
        let body = long_body(
            630_000,
            "Helemaal achteraan staat de zeppelinhangar van de stad.",
        );
        let doc = Doc::public(
            "lang",
            "Een heel lang jaarverslag",
            "Alles wat het Kenniscentrum deed.",
            &body,
            "verslag",
            "OBMi",
            "2024-06-30",
        );
        insert(&w.db, &doc, &[&w.gent]).await;
        let html = app.page("/kennisbank?q=zeppelinhangar").await;
        assert!(
            html.contains("Een heel lang jaarverslag"),
            "the long document is found"
        );
        assert!(
            html.contains("<mark>zeppelinhangar</mark>"),
            "its last sentence is the snippet"
        );
        // The page never carries the body, only a snippet of it.
        assert!(html.len() < 100_000, "{} bytes", html.len());
    })
    .await;
}
