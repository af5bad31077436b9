//! Search in the Kennisbank through HTTP, on both backends: a Dutch relevance set through the
//! page, facets and filters, sorting by date, the library's entry page, suggestions, access
//! rules in hits, counts, facets, snippets and suggestions for every kind of reader, the
//! anonymous search log, and the JSON API (anonymous and with tokens) and its OpenAPI entries.

use crate::common;

use common::{Person, TestApp, World};
use serde_json::Value;
use steden_core::api_token::{self, NewApiToken};
use steden_core::role::Role;
use steden_db::{now_ms, Db};
use steden_kennisbank::sync::{self, Entity};

// ---------------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------------

pub(crate) struct Doc<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    body: &'a str,
    doc_type: &'a str,
    programme: &'a str,
    date: &'a str,
    access: &'a str,
    organisation: Option<&'a str>,
    group: Option<&'a str>,
}

impl<'a> Doc<'a> {
    pub(crate) fn public(
        id: &'a str,
        title: &'a str,
        summary: &'a str,
        body: &'a str,
        doc_type: &'a str,
        programme: &'a str,
        date: &'a str,
    ) -> Doc<'a> {
        Doc {
            id,
            title,
            summary,
            body,
            doc_type,
            programme,
            date,
            access: "publiek",
            organisation: None,
            group: None,
        }
    }
}

/// Writes a document as the store does: the row and its change note in one transaction.
pub(crate) async fn insert(db: &Db, doc: &Doc<'_>, organisations: &[&str]) {
    let mut tx = db.begin().await.unwrap();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO kb_documents (id, slug, title, summary, doc_type, programme, themes,
             organisations, period, doc_date, language, access, access_organisation_id,
             access_group_id, extraction_status, body_text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'nl', $11, $12, $13, 'geen', $14, $15,
             $15)",
    )
    .bind(doc.id)
    .bind(format!("slug-{}", doc.id))
    .bind(doc.title)
    .bind(doc.summary)
    .bind(doc.doc_type)
    .bind(doc.programme)
    .bind(serde_json::to_string(&[doc.programme]).unwrap())
    .bind(serde_json::to_string(organisations).unwrap())
    .bind(steden_kennisbank::model::period_of(doc.date))
    .bind(doc.date)
    .bind(doc.access)
    .bind(doc.organisation)
    .bind(doc.group)
    .bind(doc.body)
    .bind(now)
    .execute(&mut *tx)
    .await
    .unwrap();
    sync::record_change(&mut tx, Entity::Document, doc.id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn public_corpus(w: &World) {
    let docs = [
        Doc::public(
            "klimaatgov",
            "Klimaatgovernance in de centrumsteden",
            "Hoe steden hun klimaatbeleid organiseren.",
            "Een analyse van de governance van het klimaatplan in dertien steden.",
            "rapport",
            "Klimaat",
            "2023-05-10",
        ),
        Doc::public(
            "rechtenverkenner",
            "De Rechtenverkenner",
            "Een online gids naar sociale rechten voor bewoners.",
            "De Rechtenverkenner toont welke premies een gezin kan krijgen.",
            "publicatie",
            "Stadsgenoten",
            "2021-03-01",
        ),
        Doc::public(
            "automatisch",
            "Automatische toekenning van rechten",
            "Rechten automatisch toekennen zodat niemand uit de boot valt.",
            "Steden onderzoeken hoe ze gegevens kunnen gebruiken.",
            "verslag",
            "Stadsgenoten",
            "2022-09-15",
        ),
        Doc::public(
            "armoedebeleid",
            "Lokaal armoedebeleid na 2024",
            "Aanbevelingen voor de nieuwe legislatuur.",
            "Kinderarmoede blijft hoog; het leefloon volstaat niet.",
            "handleiding",
            "Stadsgenoten",
            "2024-01-20",
        ),
        Doc::public(
            "oostende",
            "Mobiliteitsplan Oostende",
            "Een plan voor fiets en tram.",
            "De stad kiest voor de fiets.",
            "verslag",
            "Smart Cities",
            "2021-04-04",
        ),
        Doc::public(
            "financiele",
            "Financiële toestand van de steden",
            "De financiële positie van de centrumsteden onder druk.",
            "Stijgende pensioenlasten wegen op de begroting.",
            "rapport",
            "OBMi",
            "2023-11-30",
        ),
        Doc::public(
            "energiearmoede",
            "Energiearmoede bij huurders",
            "Huurders in slecht geïsoleerde woningen betalen het meest.",
            "Renovatie van huurwoningen helpt het klimaat.",
            "rapport",
            "Klimaat",
            "2023-09-09",
        ),
        Doc::public(
            "jaarverslag",
            "Jaarverslag van het Kenniscentrum",
            "Wat het Kenniscentrum in 2022 deed.",
            "Dit jaar lag de nadruk op klimaat, armoede en data.",
            "verslag",
            "OBMi",
            "2022-12-20",
        ),
    ];
    for doc in &docs {
        insert(&w.db, doc, &[&w.gent]).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Reading pages
// ---------------------------------------------------------------------------------------------

/// A client logged in as `person` (its own cookie jar: several people at once).
async fn client_for(app: &TestApp, person: &Person) -> reqwest::Client {
    let client = TestApp::new_client();
    let html = client
        .get(app.url("/aanmelden"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = common::csrf_token(&html).unwrap();
    let response = client
        .post(app.url("/aanmelden"))
        .form(&[
            ("_csrf", token.as_str()),
            ("email", person.email.as_str()),
            ("password", person.password.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "login of {}", person.email);
    client
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    response.text().await.unwrap()
}

/// The titles of the results, in order.
fn titles(html: &str) -> Vec<String> {
    html.split("class=\"kb-result-title\"><a href=\"")
        .skip(1)
        .filter_map(|rest| {
            let start = rest.find('>')? + 1;
            let end = rest.find("</a>")?;
            Some(rest[start..end].to_string())
        })
        .collect()
}

/// The result links, in order.
fn links(html: &str) -> Vec<String> {
    html.split("class=\"kb-result-title\"><a href=\"")
        .skip(1)
        .filter_map(|rest| Some(rest[..rest.find('"')?].to_string()))
        .collect()
}

/// The count shown ("23 resultaten").
fn total(html: &str) -> usize {
    let at = html
        .find("class=\"kb-search-count\"")
        .expect("count on the page");
    let rest = &html[at..];
    let text = &rest[rest.find('>').unwrap() + 1..rest.find("</p>").unwrap()];
    text.split_whitespace()
        .next()
        .unwrap()
        .replace('.', "")
        .parse()
        .unwrap_or_else(|_| panic!("count in {text:?}"))
}

/// The facets section ("" when there is none).
fn facets(html: &str) -> &str {
    match html.find("class=\"kb-facets\"") {
        Some(start) => {
            let end = html[start..].find("</section>").unwrap() + start;
            &html[start..end]
        }
        None => "",
    }
}

fn has_title(html: &str, title: &str) -> bool {
    titles(html).iter().any(|t| t == title)
}

// ---------------------------------------------------------------------------------------------
// Relevance, facets, sorting, entry page, suggestions
// ---------------------------------------------------------------------------------------------

/// Dutch queries and the documents they must find among the first results.
const RELEVANCE: &[(&str, &[&str])] = &[
    ("klimaat", &["Klimaatgovernance in de centrumsteden"]),
    (
        "rechten",
        &["De Rechtenverkenner", "Automatische toekenning van rechten"],
    ),
    ("rechtenverkenner", &["De Rechtenverkenner"]),
    // "steden" reaches "stad" (irregular plural) and "centrumsteden" (compound).
    (
        "steden",
        &[
            "Mobiliteitsplan Oostende",
            "Klimaatgovernance in de centrumsteden",
        ],
    ),
    (
        "stad",
        &[
            "Mobiliteitsplan Oostende",
            "Financiële toestand van de steden",
            "Klimaatgovernance in de centrumsteden",
        ],
    ),
    // Accents folded both ways.
    ("financiele", &["Financiële toestand van de steden"]),
    ("Financiële", &["Financiële toestand van de steden"]),
    // A compound found by its part, and the stem of a plural.
    ("armoede", &["Lokaal armoedebeleid na 2024"]),
    ("armoedebeleid", &["Lokaal armoedebeleid na 2024"]),
    ("huurwoning", &["Energiearmoede bij huurders"]),
];

#[tokio::test]
async fn dutch_relevance_through_the_page() {
    common::each_kb_app(|app, w| async move {
        public_corpus(&w).await;
        for (query, expected) in RELEVANCE {
            let html = app
                .page(&format!("/kennisbank?q={}", urlencode(query)))
                .await;
            let found = titles(&html);
            let top = &found[..found.len().min(expected.len() + 1)];
            for title in *expected {
                assert!(
                    top.iter().any(|t| t == title),
                    "{query:?}: expected {title:?} near the top, got {found:?}"
                );
            }
            assert_eq!(total(&html), found.len(), "{query:?}: count and hits agree");
        }

        let html = app.page("/kennisbank?q=klimaat").await;
        assert!(
            html.contains("<title>Zoeken: klimaat"),
            "title names the query"
        );
        assert!(html.contains("href=\"/kennisbank/documenten/slug-klimaatgov\""));
        assert!(html.contains("<mark>"), "matches highlighted in snippets");
        assert!(html.contains("type=\"search\"") && html.contains("name=\"q\""));
        assert!(html.contains("<label for=\"kb-q\">"));
        // The query is escaped where it is echoed.
        let html = app
            .page("/kennisbank?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            .await;
        assert!(!html.contains("<script>alert"));
    })
    .await;
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn facets_sorting_entry_page_and_suggestions() {
    common::each_kb_app(|app, w| async move {
        public_corpus(&w).await;

        // A type filter narrows the count, and only that type remains.
        let all = app.page("/kennisbank?q=steden").await;
        let reports = app.page("/kennisbank?q=steden&type=Rapport").await;
        assert!(total(&reports) < total(&all), "{} < {}", total(&reports), total(&all));
        for title in titles(&reports) {
            assert!(
                ["Financiële toestand van de steden", "Klimaatgovernance in de centrumsteden"]
                    .contains(&title.as_str()),
                "{title}"
            );
        }
        assert_eq!(total(&reports), 2);
        assert!(!reports.contains("kb-result-kind\">Verslag"));
        // The facet offers the filter as a link with its count; the active one can be removed.
        assert!(facets(&all).contains("href=\"/kennisbank?q=steden&#38;type=Rapport\""), "{}", facets(&all));
        assert!(facets(&all).contains("Rapport <span class=\"kb-facet-count\">(2)</span>"));
        assert!(reports.contains("kb-facet-active"));
        assert!(reports.contains("<a href=\"/kennisbank?q=steden\">Type: Rapport"));
        // The stored value works as a filter too, and filters of one facet are alternatives.
        let lower = app.page("/kennisbank?q=steden&type=rapport").await;
        assert_eq!(total(&lower), 2);
        let either = app.page("/kennisbank?q=steden&type=Rapport&type=Verslag").await;
        assert_eq!(total(&either), total(&all));
        // Programme, period and year facets filter too.
        let programme = app.page("/kennisbank?programme=Klimaat").await;
        assert_eq!(total(&programme), 2);
        let year = app.page("/kennisbank?year=2023").await;
        assert_eq!(total(&year), 3);
        assert!(facets(&app.page("/kennisbank").await).contains("2022-2026"));

        // Sorting by date: newest first.
        let by_date = app.page("/kennisbank?q=steden&sort=datum").await;
        let dates: Vec<&str> = by_date
            .split("<time datetime=\"")
            .skip(1)
            .map(|rest| &rest[..10])
            .collect();
        assert!(dates.len() >= 3, "{dates:?}");
        let mut sorted = dates.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(dates, sorted);
        assert!(by_date.contains("<option value=\"datum\" selected>"));

        // Pagination: 20 per page.
        for i in 0..25 {
            let id = format!("extra{i}");
            let title = format!("Extra klimaatnota {i}");
            insert(
                &w.db,
                &Doc::public(&id, &title, "Over klimaat.", "", "verslag", "Klimaat", "2020-01-01"),
                &[],
            )
            .await;
        }
        let first = app.page("/kennisbank?q=klimaat").await;
        assert!(total(&first) > 20);
        assert_eq!(titles(&first).len(), 20);
        assert!(first.contains("class=\"pagination\""));
        let second = app.page("/kennisbank?q=klimaat&pagina=2").await;
        assert_eq!(titles(&second).len(), total(&first) - 20);
        assert!(titles(&second).iter().all(|t| !titles(&first).contains(t)));

        // The entry page: newest documents, facets, and the ways to browse.
        let entry = app.page("/kennisbank").await;
        assert!(entry.contains("Nieuwste documenten"));
        assert_eq!(titles(&entry)[0], "Lokaal armoedebeleid na 2024");
        assert!(facets(&entry).contains("Rapport"));
        assert!(entry.contains("href=\"/kennisbank/collecties\""));
        assert!(entry.contains("href=\"/begrippen\""));
        assert_eq!(entry.matches("<h1").count(), 1);

        // Nothing found: the message and the suggestions as links.
        let miss = app.page("/kennisbank?q=klimat").await;
        assert_eq!(total(&miss), 0);
        assert!(miss.contains("Bedoelde u: klimaat"), "message");
        assert!(miss.contains("href=\"/kennisbank?q=klimaat\""), "suggestion link");
        let filtered = app.page("/kennisbank?q=leefloon&type=Rapport").await;
        assert_eq!(total(&filtered), 0);
        assert!(filtered.contains("href=\"/kennisbank?q=leefloon\""), "without the filters");
        assert!(filtered.contains("zonder filters"));

        // Glossary terms are found and link to their page.
        let mut tx = w.db.begin().await.unwrap();
        sqlx::query(
            "INSERT INTO kb_terms (id, slug, term, definition, source, synonyms, created_at, updated_at)
             VALUES ('t1', 'masterdata', 'Masterdata', 'Kerngegevens die een organisatie deelt.', 'DAMA', '[]', 0, 0)",
        )
        .execute(&mut *tx)
        .await
        .unwrap();
        sync::record_change(&mut tx, Entity::Term, "t1").await.unwrap();
        tx.commit().await.unwrap();
        let term = app.page("/kennisbank?q=masterdata").await;
        assert_eq!(links(&term), vec!["/begrippen/masterdata"]);
        assert!(term.contains("kb-result-kind\">Begrip"));
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Access
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn search_never_shows_what_one_may_not_open() {
    common::each_kb_app(|app, w| async move {
        public_corpus(&w).await;
        let anonymous = TestApp::new_client();
        let antwerpen = client_for(&app, &w.antwerpen_member).await;
        let gent = client_for(&app, &w.gent_member).await;
        let kc_reader = client_for(&app, &w.kc_reader).await;
        let editor = client_for(&app, &w.editor).await;

        let before_anonymous = page(&app, &anonymous, "/kennisbank?q=klimaat").await;
        let before_antwerpen = page(&app, &antwerpen, "/kennisbank?q=klimaat").await;
        let before_entry = page(&app, &anonymous, "/kennisbank").await;
        let base = total(&before_anonymous);
        assert_eq!(total(&before_antwerpen), base);

        // A document for Gent only, with a word found nowhere else.
        let secret = "Begroting kwartelkoning Gent";
        insert(
            &w.db,
            &Doc {
                access: "organisatie",
                organisation: Some(&w.gent),
                ..Doc::public(
                    "orggent",
                    secret,
                    "Alleen voor Gent: klimaat en kwartelkoning.",
                    "Cijfers over het kwartelkoning-project en het klimaat.",
                    "rapport",
                    "Klimaat",
                    "2025-02-01",
                )
            },
            &[&w.gent],
        )
        .await;

        for (who, client, before) in [
            ("anonymous", &anonymous, &before_anonymous),
            ("Antwerpen", &antwerpen, &before_antwerpen),
        ] {
            let html = page(&app, client, "/kennisbank?q=kwartelkoning").await;
            assert_eq!(total(&html), 0, "{who}");
            assert!(titles(&html).is_empty(), "{who}");
            assert!(
                !html.contains(secret) && !html.contains("slug-orggent"),
                "{who}"
            );
            assert_eq!(facets(&html), "", "{who}: no facet counts");
            // A near miss suggests nothing from the document either.
            let html = page(&app, client, "/kennisbank?q=kwartelkonin").await;
            assert!(
                !html.to_lowercase().contains("kwartelkoning"),
                "{who}: suggestion leaked"
            );
            // A search that the document would match: same count, same facets, no trace.
            let html = page(&app, client, "/kennisbank?q=klimaat").await;
            assert_eq!(total(&html), base, "{who}");
            assert_eq!(
                facets(&html),
                facets(before),
                "{who}: facet counts unchanged"
            );
            assert!(!html.to_lowercase().contains("kwartelkoning"), "{who}");
            // Nor does the entry page list it.
            let html = page(&app, client, "/kennisbank").await;
            assert!(!html.to_lowercase().contains("kwartelkoning"), "{who}");
            if who == "anonymous" {
                assert_eq!(facets(&html), facets(&before_entry));
            }
            // Nor the API.
            let api = page(&app, client, "/api/v1/kennisbank/search?q=kwartelkoning").await;
            assert!(api.contains("\"total\":0"), "{who}: {api}");
        }

        // The Gent member finds it, with its snippet.
        let html = page(&app, &gent, "/kennisbank?q=kwartelkoning").await;
        assert_eq!(titles(&html), vec![secret]);
        assert!(
            html.contains("<mark>kwartelkoning</mark>")
                || html.contains("<mark>Kwartelkoning</mark>")
        );
        let html = page(&app, &gent, "/kennisbank?q=klimaat").await;
        assert_eq!(total(&html), base + 1);
        // So does an editor.
        let html = page(&app, &editor, "/kennisbank?q=kwartelkoning").await;
        assert_eq!(titles(&html), vec![secret]);

        // A working group's document: only its members (the Gent member is in GDPR).
        let group_doc = "Verwerkingsregister ijsvogelnota";
        insert(
            &w.db,
            &Doc {
                access: "werkgroep",
                group: Some(&w.gdpr_group),
                ..Doc::public(
                    "gdpr",
                    group_doc,
                    "Standaarddocument van de werkgroep.",
                    "Model voor de ijsvogelnota.",
                    "standaarddocument",
                    "Digitale Transitie",
                    "2024-06-01",
                )
            },
            &[],
        )
        .await;
        // Members' documents: any logged-in member, nobody anonymous.
        let members_doc = "Ledennota grutto";
        insert(
            &w.db,
            &Doc {
                access: "leden",
                ..Doc::public(
                    "leden",
                    members_doc,
                    "Voor leden.",
                    "Over de grutto.",
                    "rapport",
                    "OBMi",
                    "2024-07-01",
                )
            },
            &[],
        )
        .await;
        for (who, client, sees_group, sees_members) in [
            ("anonymous", &anonymous, false, false),
            ("Antwerpen", &antwerpen, false, true),
            ("KC reader", &kc_reader, false, true),
            ("Gent/GDPR", &gent, true, true),
            ("editor", &editor, true, true),
        ] {
            let html = page(&app, client, "/kennisbank?q=ijsvogelnota").await;
            assert_eq!(
                has_title(&html, group_doc),
                sees_group,
                "{who}: group document"
            );
            assert_eq!(total(&html), usize::from(sees_group), "{who}");
            let html = page(&app, client, "/kennisbank?q=grutto").await;
            assert_eq!(
                has_title(&html, members_doc),
                sees_members,
                "{who}: members document"
            );
            assert_eq!(total(&html), usize::from(sees_members), "{who}");
            let entry = page(&app, client, "/kennisbank").await;
            assert_eq!(entry.contains(group_doc), sees_group, "{who}: entry page");
            assert_eq!(
                entry.contains(members_doc),
                sees_members,
                "{who}: entry page"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn searches_are_counted_without_personal_data() {
    common::each_kb_app(|app, w| async move {
        public_corpus(&w).await;
        let gent = client_for(&app, &w.gent_member).await;
        page(&app, &gent, "/kennisbank?q=Klimaat%20%20").await;
        app.page("/kennisbank?q=klimaat").await;
        app.page("/kennisbank?q=zzqxwv").await;
        // Paging through results and the entry page are not searches.
        app.page("/kennisbank?q=klimaat&pagina=2").await;
        app.page("/kennisbank").await;
        common::searches_become(&w.db, "klimaat", 2).await;
        common::searches_become(&w.db, "zzqxwv", 1).await;

        let rows = sqlx::query(
            "SELECT query, searches, without_results FROM kb_search_queries ORDER BY query",
        )
        .fetch_all(w.db.pool())
        .await
        .unwrap();
        use sqlx::Row;
        let counted: Vec<(String, i64, i64)> = rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        assert_eq!(
            counted,
            vec![("klimaat".to_string(), 2, 0), ("zzqxwv".to_string(), 1, 1)]
        );
        // The table has no place for anything about the person, and nothing of them is in it.
        let columns: Vec<String> = sqlx::query("SELECT * FROM kb_search_queries")
            .fetch_all(w.db.pool())
            .await
            .unwrap()[0]
            .columns()
            .iter()
            .map(|c| sqlx::Column::name(c).to_string())
            .collect();
        assert_eq!(columns, vec!["day", "query", "searches", "without_results"]);
        for (query, _, _) in &counted {
            for personal in [&w.gent_member.id, &w.gent_member.email, &w.gent_member.name] {
                assert!(!query.contains(personal.as_str()));
            }
        }
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------------------------

async fn token(app: &TestApp, person: &Person, org: &str, modules: &[&str]) -> String {
    let mut tx = app.db.begin().await.unwrap();
    let created = api_token::create(
        &mut tx,
        &person.actor,
        &NewApiToken {
            name: "test",
            organisation_id: org,
            modules: modules.iter().map(|m| m.to_string()).collect(),
            role: Role::Lid,
            expires_at: None,
        },
        &["core", "plan", "kennisbank"],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    created.plaintext
}

async fn api(app: &TestApp, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = TestApp::new_client().get(app.url(&format!("/api/v1{path}")));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn the_api_searches_and_lists_what_the_caller_may_open() {
    common::each_kb_app(|app, w| async move {
        public_corpus(&w).await;
        insert(
            &w.db,
            &Doc {
                access: "organisatie",
                organisation: Some(&w.gent),
                ..Doc::public(
                    "orggent",
                    "Begroting kwartelkoning Gent",
                    "Alleen voor Gent.",
                    "Over het klimaat.",
                    "rapport",
                    "Klimaat",
                    "2025-02-01",
                )
            },
            &[],
        )
        .await;

        // The OpenAPI document lists every route.
        let (status, doc) = api(&app, "/openapi.json", None).await;
        assert_eq!(status, 200);
        for path in [
            "/api/v1/kennisbank/search",
            "/api/v1/kennisbank/documents",
            "/api/v1/kennisbank/documents/{id}",
        ] {
            assert!(
                doc["paths"][path]["get"].is_object(),
                "{path} in the OpenAPI document"
            );
        }

        // Anonymous: public documents only.
        let (status, body) = api(&app, "/kennisbank/search?q=klimaat&type=Rapport", None).await;
        assert_eq!(status, 200, "{body}");
        let hits = body["hits"].as_array().unwrap();
        assert_eq!(body["total"].as_u64().unwrap() as usize, hits.len());
        assert!(hits.iter().all(|h| h["kind"] == "Rapport"), "{body}");
        assert!(hits
            .iter()
            .any(|h| h["title"] == "Klimaatgovernance in de centrumsteden"
                && h["url"]
                    .as_str()
                    .unwrap()
                    .ends_with("/kennisbank/documenten/slug-klimaatgov")
                && h["entity"] == "document"
                && h["date"] == "2023-05-10"
                && h["snippet_html"].as_str().unwrap().contains("<mark>")));
        assert!(body["facets"]["type"].is_array());
        assert!(!body.to_string().contains("kwartelkoning"));

        let (status, list) = api(&app, "/kennisbank/documents?per_page=5", None).await;
        assert_eq!(status, 200);
        assert_eq!(list["total"], 8);
        assert_eq!(list["items"].as_array().unwrap().len(), 5);
        assert_eq!(list["items"][0]["title"], "Lokaal armoedebeleid na 2024");
        let (status, problem) = api(&app, "/kennisbank/documents/orggent", None).await;
        assert_eq!(status, 404, "{problem}");
        let (status, one) = api(&app, "/kennisbank/documents/klimaatgov", None).await;
        assert_eq!(status, 200);
        assert_eq!(one["type"], "rapport");
        assert_eq!(one["access"], "publiek");

        // A Gent token sees Gent's document; an Antwerpen token does not.
        let gent = token(&app, &w.gent_member, &w.gent, &["kennisbank"]).await;
        let antwerpen = token(&app, &w.antwerpen_member, &w.antwerpen, &["kennisbank"]).await;
        let (_, body) = api(&app, "/kennisbank/search?q=kwartelkoning", Some(&gent)).await;
        assert_eq!(body["total"], 1);
        assert_eq!(body["hits"][0]["id"], "orggent");
        let (_, body) = api(&app, "/kennisbank/search?q=kwartelkoning", Some(&antwerpen)).await;
        assert_eq!(body["total"], 0);
        let (status, _) = api(&app, "/kennisbank/documents/orggent", Some(&gent)).await;
        assert_eq!(status, 200);
        let (status, _) = api(&app, "/kennisbank/documents/orggent", Some(&antwerpen)).await;
        assert_eq!(status, 404);
        let (_, list) = api(&app, "/kennisbank/documents", Some(&gent)).await;
        assert_eq!(list["total"], 9);
        let (_, list) = api(&app, "/kennisbank/documents", Some(&antwerpen)).await;
        assert_eq!(list["total"], 8);

        // A wrong token is refused (never treated as anonymous); so is a token without the
        // module; bad parameters are problems.
        let (status, problem) = api(&app, "/kennisbank/search?q=klimaat", Some("fout")).await;
        assert_eq!(status, 401, "{problem}");
        let plan_only = token(&app, &w.gent_member, &w.gent, &["plan"]).await;
        let (status, _) = api(&app, "/kennisbank/documents", Some(&plan_only)).await;
        assert_eq!(status, 403);
        let (status, problem) = api(&app, "/kennisbank/search?q=x&per_page=1000", None).await;
        assert_eq!(status, 400);
        assert!(problem.to_string().contains("per_page"), "{problem}");
    })
    .await;
}
