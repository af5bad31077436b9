//! Dutch search over a small, realistic corpus written here: relevance set (stemming,
//! compounds, accents, title weighting), access rules (no hit, count, facet or snippet of a
//! document one may not open), facets, filters, date sort, suggestions, odd input, and the
//! index on disk.

use chrono::NaiveDate;
use steden_kennisbank::search::{Document, FacetKind, Query, SearchIndex, Sort};

struct Spec {
    id: &'static str,
    title: &'static str,
    summary: &'static str,
    body: &'static str,
    date: (i32, u32, u32),
    kind: &'static str,
    programme: &'static str,
    themes: &'static [&'static str],
    orgs: &'static [&'static str],
    access: &'static [&'static str],
}

const CORPUS: &[Spec] = &[
    Spec { id: "klimaatgov", title: "Klimaatgovernance in de centrumsteden", summary: "Hoe steden hun klimaatbeleid organiseren.", body: "Een analyse van de governance van het klimaatplan in dertien steden, met aandacht voor samenwerking tussen diensten.", date: (2023, 5, 10), kind: "Rapport", programme: "Klimaat", themes: &["Klimaat", "Bestuur"], orgs: &["Gent", "Leuven"], access: &["public"] },
    Spec { id: "rechtenverkenner", title: "De Rechtenverkenner", summary: "Een online gids naar sociale rechten voor bewoners.", body: "De Rechtenverkenner toont welke premies en tegemoetkomingen een gezin kan krijgen.", date: (2021, 3, 1), kind: "Instrument", programme: "Armoede", themes: &["Armoede"], orgs: &["VVSG"], access: &["public"] },
    Spec { id: "automatische-rechten", title: "Automatische toekenning van rechten", summary: "Rechten automatisch toekennen zodat niemand uit de boot valt.", body: "Steden onderzoeken hoe ze gegevens kunnen gebruiken om rechten automatisch toe te kennen.", date: (2022, 9, 15), kind: "Nota", programme: "Armoede", themes: &["Armoede", "Data"], orgs: &["Antwerpen"], access: &["public"] },
    Spec { id: "armoedebeleid", title: "Lokaal armoedebeleid na 2024", summary: "Aanbevelingen voor het lokaal armoedebeleid in de nieuwe legislatuur.", body: "Kinderarmoede blijft hoog; het leefloon volstaat niet om rond te komen.", date: (2024, 1, 20), kind: "Nota", programme: "Armoede", themes: &["Armoede"], orgs: &["Gent"], access: &["public"] },
    Spec { id: "leefloon", title: "Het leefloon in cijfers", summary: "Evolutie van het aantal leefloners per centrumstad.", body: "Het aantal mensen met een leefloon steeg in de meeste steden. Het OCMW kent het leefloon toe.", date: (2020, 11, 5), kind: "Rapport", programme: "Armoede", themes: &["Armoede", "Data"], orgs: &["Brugge"], access: &["public"] },
    Spec { id: "datagovernance", title: "Datagovernance voor lokale besturen", summary: "Afspraken over wie welke gegevens beheert.", body: "Zonder datagovernance blijven datasets verspreid; een datastrategie helpt.", date: (2022, 2, 2), kind: "Handleiding", programme: "Digitaal", themes: &["Data", "Bestuur"], orgs: &["Kortrijk"], access: &["public"] },
    Spec { id: "parkeren", title: "Parkeerbeleid in de binnenstad", summary: "Hoe steden parkeren sturen met tarieven en zones.", body: "Betaald parkeren en bewonerskaarten verminderen het zoekverkeer.", date: (2019, 6, 30), kind: "Rapport", programme: "Mobiliteit", themes: &["Mobiliteit"], orgs: &["Mechelen"], access: &["public"] },
    Spec { id: "avg", title: "De AVG in de stad", summary: "De Algemene Verordening Gegevensbescherming (GDPR) voor lokale besturen.", body: "De AVG vraagt een register van verwerkingen en een functionaris voor gegevensbescherming.", date: (2018, 5, 25), kind: "Handleiding", programme: "Digitaal", themes: &["Data", "Privacy"], orgs: &["Gent"], access: &["public"] },
    Spec { id: "smartcities", title: "Smart cities: sensoren en privacy", summary: "Slimme steden meten veel; wat mag met die metingen?", body: "Sensoren voor luchtkwaliteit en verkeer leveren data op die onder de AVG vallen.", date: (2021, 10, 12), kind: "Rapport", programme: "Digitaal", themes: &["Data", "Privacy"], orgs: &["Antwerpen", "Gent"], access: &["public"] },
    Spec { id: "stadsvernieuwing", title: "Stadsvernieuwing als hefboom", summary: "Twintig jaar stadsvernieuwingsprojecten geëvalueerd.", body: "Stadsvernieuwing veranderde pleinen, parken en buurten in de Vlaamse steden.", date: (2022, 12, 1), kind: "Rapport", programme: "Ruimte", themes: &["Ruimte"], orgs: &["Vlaanderen"], access: &["public"] },
    Spec { id: "financiele", title: "Financiële toestand van de steden", summary: "De financiële positie van de centrumsteden onder druk.", body: "Stijgende pensioenlasten wegen op de begroting.", date: (2023, 11, 30), kind: "Rapport", programme: "Financiën", themes: &["Financiën"], orgs: &["Belfius"], access: &["public"] },
    Spec { id: "eenstad", title: "Eén stad, één loket", summary: "Dienstverlening via één centraal loket.", body: "Burgers willen hun vragen op één plaats kwijt.", date: (2020, 2, 14), kind: "Nota", programme: "Bestuur", themes: &["Bestuur"], orgs: &["Hasselt"], access: &["public"] },
    Spec { id: "woningen", title: "Betaalbare woningen", summary: "De huurmarkt in de steden is krap.", body: "Sociale woningen en een huurpremie helpen gezinnen met een laag inkomen.", date: (2023, 2, 8), kind: "Rapport", programme: "Wonen", themes: &["Wonen", "Armoede"], orgs: &["Gent"], access: &["public"] },
    Spec { id: "energiearmoede", title: "Energiearmoede bij huurders", summary: "Huurders in slecht geïsoleerde woningen betalen het meest.", body: "Renovatie van huurwoningen vermindert de energiefactuur.", date: (2023, 9, 9), kind: "Rapport", programme: "Klimaat", themes: &["Klimaat", "Armoede"], orgs: &["Leuven"], access: &["public"] },
    Spec { id: "klimaat-body", title: "Jaarverslag van het Kenniscentrum", summary: "Wat het Kenniscentrum in 2022 deed.", body: "Dit jaar lag de nadruk op klimaat, armoede en data.", date: (2022, 12, 20), kind: "Verslag", programme: "Bestuur", themes: &["Bestuur"], orgs: &["Kenniscentrum"], access: &["public"] },
    Spec { id: "stad-body", title: "Mobiliteitsplan Oostende", summary: "Een plan voor fiets en tram.", body: "De stad kiest voor de fiets.", date: (2021, 4, 4), kind: "Nota", programme: "Mobiliteit", themes: &["Mobiliteit"], orgs: &["Oostende"], access: &["public"] },
    Spec { id: "intern-klimaat", title: "Vertrouwelijk klimaatakkoord zeppelinproject", summary: "Interne nota over het zeppelinproject van de werkgroep klimaat.", body: "Enkel voor leden: onderhandelingen over het zeppelinproject en de klimaatfinanciering.", date: (2025, 1, 15), kind: "Interne nota", programme: "Klimaat", themes: &["Klimaat", "Geheim"], orgs: &["Werkgroep"], access: &["members"] },
    Spec { id: "org-gent", title: "Begroting zeppelinproject Gent", summary: "Alleen voor Gent.", body: "Cijfers over het zeppelinproject.", date: (2025, 2, 1), kind: "Interne nota", programme: "Financiën", themes: &["Geheim"], orgs: &["Gent"], access: &["org:gent"] },
];

fn documents() -> Vec<Document> {
    CORPUS
        .iter()
        .map(|s| Document {
            id: s.id.into(),
            title: s.title.into(),
            summary: s.summary.into(),
            body: s.body.into(),
            date: NaiveDate::from_ymd_opt(s.date.0, s.date.1, s.date.2),
            kind: Some(s.kind.into()),
            programme: Some(s.programme.into()),
            themes: s.themes.iter().map(|t| t.to_string()).collect(),
            organisations: s.orgs.iter().map(|t| t.to_string()).collect(),
            period: Some(
                if s.date.0 < 2019 {
                    "2013-2018"
                } else {
                    "2019-2024"
                }
                .into(),
            ),
            access: s.access.iter().map(|t| t.to_string()).collect(),
        })
        .collect()
}

fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().expect("index");
    index.upsert(&documents()).expect("upsert");
    index
}

fn public(text: &str) -> Query {
    Query {
        text: text.into(),
        ..Query::default()
    }
}

fn ids(index: &SearchIndex, query: &Query) -> Vec<String> {
    let results = index.search(query).expect("search");
    results.hits.into_iter().map(|h| h.id).collect()
}

/// The relevance set: a query and the documents expected at the top (in any order), and
/// documents that must be found at all.
const RELEVANCE: &[(&str, &[&str])] = &[
    ("klimaat", &["klimaatgov", "klimaat-body"]),
    ("klimaatbeleid", &["klimaatgov"]),
    ("energie", &["energiearmoede"]),
    ("rechten", &["rechtenverkenner", "automatische-rechten"]),
    ("rechtenverkenner", &["rechtenverkenner"]),
    ("governance", &["klimaatgov", "datagovernance"]),
    ("stadsvernieuwing", &["stadsvernieuwing"]),
    ("vernieuwing", &["stadsvernieuwing"]),
    ("armoedebeleid", &["armoedebeleid"]),
    ("beleid armoede", &["armoedebeleid"]),
    ("leefloon", &["leefloon", "armoedebeleid"]),
    ("financiele", &["financiele"]),
    ("Financiële", &["financiele"]),
    ("parkeren", &["parkeren"]),
    ("GDPR", &["avg"]),
    ("AVG", &["avg", "smartcities"]),
    ("woning", &["woningen", "energiearmoede"]),
    ("steden", &["stadsvernieuwing", "klimaatgov", "financiele"]),
    ("\"sociale rechten\"", &["rechtenverkenner"]),
];

#[test]
fn relevance_set() {
    let index = index();
    for (text, expected) in RELEVANCE {
        let found = ids(&index, &public(text));
        let top = &found[..expected.len().min(found.len())];
        for id in *expected {
            assert!(
                top.contains(&id.to_string()),
                "query {text:?}: expected {id} in top {}, got {found:?}",
                expected.len()
            );
        }
    }
}

#[test]
fn stemming_and_irregular_plurals() {
    let index = index();
    // "woningen"/"woning" and "rechten"/"recht" meet through the stemmer.
    assert_eq!(ids(&index, &public("woningen"))[0], "woningen");
    assert!(ids(&index, &public("recht")).contains(&"rechtenverkenner".to_string()));
    // Snowball does not bring "steden" back to "stad"; the irregular-plural map does, also
    // inside compounds ("centrumsteden").
    assert!(ids(&index, &public("steden")).contains(&"stad-body".to_string()));
    assert!(ids(&index, &public("stad")).contains(&"stad-body".to_string()));
    let centrum = ids(&index, &public("stad financiele"));
    assert!(centrum.contains(&"financiele".to_string()), "{centrum:?}");
}

#[test]
fn title_weighs_more_than_body() {
    let index = index();
    let found = ids(&index, &public("klimaat"));
    let title = found.iter().position(|id| id == "klimaatgov");
    let body = found.iter().position(|id| id == "klimaat-body");
    assert!(title < body, "{found:?}");
    let found = ids(&index, &public("leefloon"));
    assert_eq!(found[0], "leefloon", "title match first: {found:?}");
}

#[test]
fn accents_and_stop_words() {
    let index = index();
    // "een"/"één" are stop words: a query of only stop words browses everything visible.
    let all = index.search(&public("")).unwrap().total;
    assert_eq!(index.search(&public("één")).unwrap().total, all);
    // With a content word, "één" and "een" behave the same.
    assert_eq!(
        ids(&index, &public("één loket")),
        ids(&index, &public("een loket"))
    );
    assert_eq!(ids(&index, &public("een loket"))[0], "eenstad");
}

#[test]
fn snippets_are_highlighted_and_escaped() {
    let index = index();
    let results = index.search(&public("stadsvernieuwing")).unwrap();
    let hit = &results.hits[0];
    assert!(
        hit.snippet_html.contains("<mark>Stadsvernieuwing</mark>"),
        "{}",
        hit.snippet_html
    );
    let results = index.search(&public("klimaat")).unwrap();
    let gov = results.hits.iter().find(|h| h.id == "klimaatgov").unwrap();
    assert!(
        gov.snippet_html.contains("<mark>klimaatplan</mark>")
            || gov.snippet_html.contains("<mark>klimaatbeleid</mark>"),
        "{}",
        gov.snippet_html
    );

    let doc = Document {
        id: "xss".into(),
        title: "Script".into(),
        body: "Pas op <script>alert('zeppelinproject')</script> & meer".into(),
        access: vec!["public".into()],
        ..Document::default()
    };
    index.upsert(&[doc]).unwrap();
    let results = index.search(&public("alert")).unwrap();
    let html = &results.hits[0].snippet_html;
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
}

#[test]
fn access_rules_hold_for_hits_counts_facets_and_snippets() {
    let index = index();
    let anonymous = public("zeppelinproject");
    let results = index.search(&anonymous).unwrap();
    assert_eq!(results.total, 0);
    assert!(results.hits.is_empty());
    assert!(results.facets.values().all(|v| v.is_empty()));
    // No suggestion may reveal the members' word either.
    assert!(results.suggestions.is_empty(), "{:?}", results.suggestions);

    let klimaat = index.search(&public("klimaat")).unwrap();
    assert!(klimaat.hits.iter().all(|h| h.id != "intern-klimaat"));
    let themes = &klimaat.facets[&FacetKind::Theme];
    assert!(themes.iter().all(|(v, _)| v != "Geheim"), "{themes:?}");
    let everything = index.search(&public("")).unwrap();
    assert_eq!(everything.total, CORPUS.len() - 2);

    let member = Query {
        access: vec!["public".into(), "members".into()],
        ..public("zeppelinproject")
    };
    let results = index.search(&member).unwrap();
    assert_eq!(results.total, 1);
    assert_eq!(results.hits[0].id, "intern-klimaat");
    assert!(results.hits[0].snippet_html.contains("<mark>"));

    let gent = Query {
        access: vec!["public".into(), "members".into(), "org:gent".into()],
        ..public("zeppelinproject")
    };
    assert_eq!(index.search(&gent).unwrap().total, 2);
    let nobody = Query {
        access: vec![],
        ..public("klimaat")
    };
    assert_eq!(index.search(&nobody).unwrap().total, 0);
}

#[test]
fn facets_count_and_filter() {
    let index = index();
    let results = index.search(&public("armoede")).unwrap();
    let programme = &results.facets[&FacetKind::Programme];
    let count = |v: &str| programme.iter().find(|(p, _)| p == v).map(|(_, n)| *n);
    // "armoede": armoedebeleid, energiearmoede, klimaat-body (body), plus any mention.
    let armoede_docs: Vec<String> = ids(
        &index,
        &Query {
            per_page: 100,
            ..public("armoede")
        },
    );
    assert_eq!(results.total, armoede_docs.len());
    assert_eq!(count("Armoede"), Some(1), "{programme:?} {armoede_docs:?}");
    assert_eq!(count("Klimaat"), Some(1));

    let all = index.search(&public("")).unwrap();
    let types = &all.facets[&FacetKind::Type];
    assert_eq!(types[0], ("Rapport".to_string(), 8));
    let years = &all.facets[&FacetKind::Year];
    assert!(years.contains(&("2023".to_string(), 4)), "{years:?}");
    let theme_total: usize = all.facets[&FacetKind::Theme].iter().map(|(_, n)| n).sum();
    assert!(
        theme_total > all.total,
        "multi-valued themes count per value"
    );

    let filtered = Query {
        filters: vec![
            (FacetKind::Theme, "Data".into()),
            (FacetKind::Type, "Rapport".into()),
        ],
        per_page: 50,
        ..public("")
    };
    let mut found = ids(&index, &filtered);
    found.sort();
    assert_eq!(found, ["leefloon", "smartcities"]);
    let either = Query {
        filters: vec![
            (FacetKind::Type, "Handleiding".into()),
            (FacetKind::Type, "Instrument".into()),
        ],
        ..public("")
    };
    assert_eq!(index.search(&either).unwrap().total, 3);
}

#[test]
fn date_sort_puts_newest_first() {
    let index = index();
    let query = Query {
        sort: Sort::DateDesc,
        per_page: 5,
        ..public("steden")
    };
    let results = index.search(&query).unwrap();
    let dates: Vec<_> = results.hits.iter().map(|h| h.date.unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    assert!(dates.len() >= 3);
    let page2 = index
        .search(&Query {
            page: 2,
            ..query.clone()
        })
        .unwrap();
    assert!(page2
        .hits
        .iter()
        .all(|h| h.date.unwrap() <= *dates.last().unwrap()));
}

#[test]
fn suggestions_when_nothing_is_found() {
    let index = index();
    let results = index.search(&public("klimat")).unwrap();
    assert_eq!(results.total, 0);
    assert!(
        results
            .suggestions
            .iter()
            .any(|s| s.text == "klimaat" && s.total > 0),
        "{:?}",
        results.suggestions
    );
    assert!(results
        .message
        .as_deref()
        .unwrap()
        .contains("Bedoelde u: klimaat"));

    let filtered = Query {
        filters: vec![(FacetKind::Type, "Handleiding".into())],
        ..public("leefloon")
    };
    let results = index.search(&filtered).unwrap();
    assert_eq!(results.total, 0);
    assert!(
        results
            .suggestions
            .iter()
            .any(|s| s.without_filters && s.total == 2),
        "{:?}",
        results.suggestions
    );
    assert!(results.message.unwrap().contains("Zonder filters"));
}

#[test]
fn odd_input_never_panics() {
    let index = index();
    let long = "klimaat ".repeat(1250);
    for text in [
        "(",
        ")",
        "AND",
        "OR NOT",
        "\"",
        "\"\"",
        "*",
        "title:klimaat",
        "~2",
        "\u{0}",
        "日本語",
        &long,
        &"x".repeat(10_000),
    ] {
        let results = index.search(&public(text)).unwrap();
        assert!(results.total <= CORPUS.len());
    }
    assert!(index
        .search(&Query {
            page: usize::MAX,
            per_page: usize::MAX,
            ..public("klimaat")
        })
        .is_ok());
    assert!(index
        .search(&Query {
            page: 0,
            per_page: 0,
            ..public("klimaat")
        })
        .is_ok());
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let index = index();
    let mut doc = documents().remove(0);
    doc.title = "Zeer nieuwe titel over waterbeheer".into();
    index.upsert(&[doc]).unwrap();
    assert_eq!(index.len(), CORPUS.len() as u64);
    assert_eq!(ids(&index, &public("waterbeheer")), ["klimaatgov"]);
    index.delete("klimaatgov").unwrap();
    assert!(ids(&index, &public("waterbeheer")).is_empty());
    let bad = Document {
        id: "x".into(),
        ..Document::default()
    };
    assert!(
        index.upsert(&[bad]).is_err(),
        "a document without access is refused"
    );
}

#[test]
fn index_on_disk_survives_reopening_with_its_vocabulary() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open_or_create(dir.path()).unwrap();
        index.upsert(&documents()).unwrap();
    }
    let index = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(index.len(), CORPUS.len() as u64);
    // "leefloners" was learned from the corpus before reopening: a new compound with it is
    // split after reopening.
    let with_part = Document {
        id: "nieuw".into(),
        title: "Leeflonersbegeleiding".into(),
        body: "begeleiding".into(),
        access: vec!["public".into()],
        ..Document::default()
    };
    index.upsert(&[with_part]).unwrap();
    assert!(ids(&index, &public("leefloners")).contains(&"nieuw".to_string()));
    index.replace_all(&documents()[..3]).unwrap();
    assert_eq!(index.len(), 3);
}

/// A facet with a chosen value keeps offering its other values (counted within the other
/// filters), so that values of one facet can be combined; the other facets count within it.
#[test]
fn a_filtered_facet_keeps_its_alternatives() {
    let index = index();
    let all = index.search(&public("")).unwrap();
    let rapport = Query {
        filters: vec![(FacetKind::Type, "Rapport".into())],
        ..public("")
    };
    let filtered = index.search(&rapport).unwrap();
    assert_eq!(
        filtered.facets[&FacetKind::Type],
        all.facets[&FacetKind::Type],
        "the type facet still lists every type with its count"
    );
    assert!(filtered.facets[&FacetKind::Type].len() > 1);
    let year_total: usize = filtered.facets[&FacetKind::Year]
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert!(
        year_total <= filtered.total,
        "the other facets count within the filter: {year_total} > {}",
        filtered.total
    );
    // Access still holds for the alternatives: an organisation-only document's type is not
    // counted for the public.
    let gent = Query {
        access: vec!["public".into(), "members".into(), "org:gent".into()],
        ..rapport.clone()
    };
    let for_gent: usize = index.search(&gent).unwrap().facets[&FacetKind::Type]
        .iter()
        .map(|(_, n)| n)
        .sum();
    let for_public: usize = filtered.facets[&FacetKind::Type]
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert!(for_gent > for_public, "{for_gent} vs {for_public}");
}
