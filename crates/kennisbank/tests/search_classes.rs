//! The query classes of issue 10, point 11, one by one: a glossary synonym finds the term and
//! its other synonyms (and follows the glossary in the database on two servers, both
//! backends); a compound found inside a longer compound; a suspended hyphen (`energie- en
//! klimaatplan`) and a verb against its noun; a query of several words that no document holds
//! together gives the results of fewer words, labelled, on the page and in the API; spelling
//! suggestions correct every word of a multi-word query.

use crate::common;
use crate::search_web::{insert, Doc};

use serde_json::Value;
use steden_db::Db;
use steden_kennisbank::search::{Document, Query, SearchIndex};
use steden_kennisbank::sync::{self, Entity, LiveIndex};

fn doc(id: &str, title: &str, body: &str) -> Document {
    Document {
        id: id.into(),
        title: title.into(),
        body: body.into(),
        access: vec!["public".into()],
        ..Document::default()
    }
}

fn index(docs: &[Document]) -> SearchIndex {
    let index = SearchIndex::in_memory().expect("index");
    index.upsert(docs).expect("upsert");
    index
}

fn ids(index: &SearchIndex, text: &str) -> Vec<String> {
    let query = Query {
        text: text.into(),
        ..Query::default()
    };
    index
        .search(&query)
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn a_synonym_finds_the_term_and_the_other_synonyms() {
    let index = index(&[
        doc(
            "term",
            "De functionaris voor gegevensbescherming",
            "Wie toezicht houdt.",
        ),
        doc("dpo", "Netwerk van DPO's", "Een netwerk van steden."),
        doc("officer", "Data protection officer", "In het Engels."),
        doc("other", "Gegevens en bescherming", "Niet het begrip."),
    ]);
    assert_eq!(
        ids(&index, "DPO"),
        ["dpo"],
        "before the glossary is applied"
    );
    index
        .set_synonyms(&[vec![
            "Functionaris voor gegevensbescherming".into(),
            "DPO".into(),
            "Data protection officer".into(),
        ]])
        .unwrap();
    let mut found = ids(&index, "DPO");
    found.sort();
    assert_eq!(found, ["dpo", "officer", "term"]);
    // A multi-word member matches as a phrase (stop word gap kept), not as loose words, and
    // the query may be inflected.
    let mut found = ids(&index, "functionarissen voor gegevensbescherming");
    found.sort();
    assert_eq!(found, ["dpo", "officer", "term"]);
    // Other words of the query still all count.
    assert_eq!(ids(&index, "DPO netwerk"), ["dpo"]);
    // Groups are replaced, not added to.
    index.set_synonyms(&[]).unwrap();
    assert_eq!(ids(&index, "DPO"), ["dpo"]);
}

#[test]
fn a_compound_is_found_inside_a_longer_compound() {
    let index = index(&[
        doc("kind", "Kinderarmoedebeleid in Gent", "Een plan."),
        doc("gezin", "Gezinsarmoedebeleid", "Een plan van een stad."),
        doc(
            "dpia",
            "Sjabloon gegevensbeschermingseffectbeoordeling",
            "Een sjabloon.",
        ),
        doc("armoede", "Armoede", "Los woord."),
        doc("beleid", "Beleid", "Los woord."),
        doc("gegevens", "Gegevensbescherming", "Los woord."),
    ]);
    let mut found = ids(&index, "armoedebeleid");
    found.sort();
    // kind|er|armoede|beleid (all parts known) and gezins + armoedebeleid (unknown start).
    assert_eq!(found, ["gezin", "kind"]);
    assert_eq!(ids(&index, "kinderarmoede"), ["kind"]);
    // A known start with an unknown head: both halves are found.
    let mut found = ids(&index, "gegevensbescherming");
    found.sort();
    assert_eq!(found, ["dpia", "gegevens"]);
    assert_eq!(ids(&index, "effectbeoordeling"), ["dpia"]);
}

#[test]
fn suspended_hyphens_are_completed_and_verbs_meet_their_nouns() {
    let index = index(&[
        doc(
            "pact",
            "Lokaal Energie- en Klimaatpact",
            "Steden tekenden het pact.",
        ),
        doc(
            "plan",
            "Een verduurzamings- en renovatieplan",
            "Voor proces-, risico- en organisatiebeheersing.",
        ),
        doc("los", "Klimaat", "Een renovatiestrategie voor de stad."),
    ]);
    assert_eq!(ids(&index, "energiepact"), ["pact"]);
    assert_eq!(ids(&index, "verduurzamingsplan"), ["plan"]);
    assert_eq!(ids(&index, "verduurzamen"), ["plan"]);
    assert_eq!(ids(&index, "procesbeheersing"), ["plan"]);
    assert_eq!(ids(&index, "risicobeheersing"), ["plan"]);
    // `renoveren` (verb) against `renovatie` (noun), also as the first part of a pair.
    let mut found = ids(&index, "renoveren");
    found.sort();
    assert_eq!(found, ["los", "plan"]);
    // A hyphenated word that is not suspended is left as it is.
    let other = self::index(&[doc("ptr", "De PTR-tool", "Een register.")]);
    assert!(ids(&other, "ptrregister").is_empty());
}

#[test]
fn several_words_without_a_common_document_give_the_results_of_fewer() {
    let index = index(&[
        doc(
            "klimaat",
            "Klimaatgovernance in de centrumsteden",
            "Over klimaat.",
        ),
        doc("armoede", "Armoede in de stad", "Over armoede en klimaat."),
        doc("beide", "Klimaat en armoede", "Beide."),
    ]);
    // An unknown word is dropped first.
    let results = index
        .search(&Query {
            text: "klimaatgovernance zeppelinhangar".into(),
            ..Query::default()
        })
        .unwrap();
    let relaxed = results.relaxed.expect("fewer words");
    assert_eq!(relaxed.text, "klimaatgovernance");
    assert_eq!(relaxed.dropped, ["zeppelinhangar"]);
    assert_eq!(results.total, 1);
    assert_eq!(results.hits[0].id, "klimaat");
    let message = results.message.unwrap();
    assert!(
        message
            .starts_with("Geen resultaten voor alle woorden; resultaten voor „klimaatgovernance”"),
        "{message}"
    );
    // All words known, never together: the rarest word whose removal finds something goes.
    let results = index
        .search(&Query {
            text: "klimaatgovernance armoede stad".into(),
            ..Query::default()
        })
        .unwrap();
    let relaxed = results.relaxed.expect("fewer words");
    assert_eq!(relaxed.dropped, ["klimaatgovernance"]);
    assert_eq!(relaxed.text, "armoede stad");
    assert!(results.total > 0);
    // A query that finds something, or of one word, is never relaxed.
    let found = index
        .search(&Query {
            text: "klimaat armoede".into(),
            ..Query::default()
        })
        .unwrap();
    assert!(found.relaxed.is_none() && found.message.is_none());
    let single = index
        .search(&Query {
            text: "zeppelinhangar".into(),
            ..Query::default()
        })
        .unwrap();
    assert!(single.relaxed.is_none() && single.total == 0);
    // Within the reader's access only: words of documents one may not open count as unknown.
    let hidden = SearchIndex::in_memory().unwrap();
    hidden
        .upsert(&[
            doc("open", "Klimaat", "Open."),
            Document {
                access: vec!["members".into()],
                ..doc("dicht", "Zeppelinhangar", "Intern.")
            },
        ])
        .unwrap();
    let results = hidden
        .search(&Query {
            text: "klimaat zeppelinhangar".into(),
            ..Query::default()
        })
        .unwrap();
    assert_eq!(results.relaxed.unwrap().dropped, ["zeppelinhangar"]);
    assert_eq!(results.hits.len(), 1);
}

#[test]
fn suggestions_correct_every_word_of_a_multi_word_query() {
    let index = index(&[
        doc("beide", "Klimaat en armoede", "Beide samen."),
        doc("klimaat", "Klimaat", "Alleen klimaat."),
    ]);
    let results = index
        .search(&Query {
            text: "klimat armoed".into(),
            ..Query::default()
        })
        .unwrap();
    assert!(
        results
            .suggestions
            .iter()
            .any(|s| s.text == "klimaat armoede" && s.total == 1),
        "{:?}",
        results.suggestions
    );
    assert!(results
        .message
        .unwrap()
        .contains("Bedoelde u: klimaat armoede"));
}

// ---------------------------------------------------------------------------------------------
// The glossary in the database, two servers, both backends
// ---------------------------------------------------------------------------------------------

async fn save_term(db: &Db, id: &str, term: &str, synonyms: &[&str]) {
    let mut tx = db.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO kb_terms (id, slug, term, definition, source, synonyms, created_at,
             updated_at)
         VALUES ($1, $1, $2, 'Een definitie.', '', $3, 0, 0)
         ON CONFLICT (id) DO UPDATE SET term = $2, synonyms = $3",
    )
    .bind(id)
    .bind(term)
    .bind(serde_json::to_string(synonyms).unwrap())
    .execute(&mut *tx)
    .await
    .unwrap();
    sync::record_change(&mut tx, Entity::Term, id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn documents(live: &LiveIndex, db: &Db, text: &str) -> Vec<String> {
    let query = Query {
        text: text.into(),
        ..Query::default()
    };
    let mut found: Vec<String> = live
        .search(db, query)
        .await
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .filter(|id| id.starts_with("document:"))
        .collect();
    found.sort();
    found
}

#[tokio::test]
async fn synonyms_follow_the_glossary_in_the_database_on_every_server() {
    common::each_kb_db(|w| async move {
        let db = &w.db;
        let day = "2024-03-01";
        for (id, title) in [
            ("a", "Laadpalen in de binnenstad"),
            ("b", "Laadpunten op parkings"),
        ] {
            insert(
                db,
                &Doc::public(id, title, "", "", "rapport", "Klimaat", day),
                &[],
            )
            .await;
        }
        let dirs = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (one, _) = LiveIndex::open(db, &sync::index_dir(dirs.0.path()))
            .await
            .unwrap();
        assert_eq!(documents(&one, db, "laadpunten").await, ["document:b"]);

        // Saved on "another server": both indexes follow through the change log.
        save_term(db, "t1", "Laadinfrastructuur", &["laadpalen", "laadpunten"]).await;
        let (two, _) = LiveIndex::open(db, &sync::index_dir(dirs.1.path()))
            .await
            .unwrap();
        for live in [&one, &two] {
            assert_eq!(
                documents(live, db, "laadpunten").await,
                ["document:a", "document:b"]
            );
        }
        // A synonym removed is no longer applied, on both.
        save_term(db, "t1", "Laadinfrastructuur", &["laadpalen"]).await;
        for live in [&one, &two] {
            assert_eq!(documents(live, db, "laadpunten").await, ["document:b"]);
            assert_eq!(
                documents(live, db, "laadinfrastructuur").await,
                ["document:a"]
            );
        }
        // A server that starts later (index on disk, caught up) reads them at start-up.
        drop(one);
        let (again, opened) = LiveIndex::open(db, &sync::index_dir(dirs.0.path()))
            .await
            .unwrap();
        assert!(matches!(opened, sync::Opened::CaughtUp(_)), "{opened:?}");
        assert_eq!(
            documents(&again, db, "laadinfrastructuur").await,
            ["document:a"]
        );
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// The page and the API
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_page_and_the_api_say_when_they_show_fewer_words() {
    common::each_kb_app(|app, w| async move {
        let day = "2024-03-01";
        insert(
            &w.db,
            &Doc::public("k", "Klimaatgovernance in de centrumsteden", "", "", "rapport", "Klimaat", day),
            &[],
        )
        .await;
        let client = common::TestApp::new_client();
        let html = client
            .get(app.url("/kennisbank?q=klimaatgovernance%20zeppelinhangar"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("kb-relaxed"), "{html}");
        assert!(html.contains(
            "Geen resultaten voor alle woorden; resultaten voor „klimaatgovernance” (zonder „zeppelinhangar”)."
        ));
        assert!(html.contains("Klimaatgovernance in de centrumsteden"));

        let response = client
            .get(app.url("/api/v1/kennisbank/search?q=klimaatgovernance%20zeppelinhangar"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["total"], 1);
        assert_eq!(body["relaxed"]["q"], "klimaatgovernance");
        assert_eq!(body["relaxed"]["dropped"], serde_json::json!(["zeppelinhangar"]));
        assert!(body["message"].as_str().unwrap().starts_with("Geen resultaten voor alle woorden"));
        // Not relaxed: the field is null.
        let body: Value = client
            .get(app.url("/api/v1/kennisbank/search?q=klimaatgovernance"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(body["relaxed"].is_null(), "{body}");
        // The OpenAPI document describes the field.
        let spec: Value = client
            .get(app.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let schema = &spec["components"]["schemas"]["RelaxedDto"];
        assert!(schema["properties"]["dropped"].is_object(), "{schema}");
    })
    .await;
}
