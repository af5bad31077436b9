//! Collections and the glossary over HTTP, on both backends: a thematic library grouped by
//! theme with evaluation statuses, access rules on collection pages (lists and counts), the
//! archive of a programme period, reordering, who may write (and that a refused write leaves
//! nothing behind), Dutch form errors, the A-Z glossary with relations in both directions, and
//! glossary terms found by search (also by a synonym, and no longer once deleted).

use crate::common;

use common::*;
use sqlx::Row;
use steden_db::{now_ms, Db};
use steden_kennisbank::search::Query;
use steden_kennisbank::store::collections as store;
use steden_kennisbank::sync::{self, Entity, LiveIndex};

// ---------------------------------------------------------------------------------------------
// Helpers

/// A document as the tests need it (written with plain SQL: the documents' own store is
/// someone else's part).
struct Doc<'a> {
    id: &'a str,
    title: &'a str,
    doc_type: &'a str,
    date: &'a str,
    period: &'a str,
    access: &'a str,
    organisation: Option<&'a str>,
    group: Option<&'a str>,
}

fn public<'a>(id: &'a str, title: &'a str) -> Doc<'a> {
    Doc {
        id,
        title,
        doc_type: "standaarddocument",
        date: "2023-04-01",
        period: "2022-2026",
        access: "publiek",
        organisation: None,
        group: None,
    }
}

async fn insert(db: &Db, doc: &Doc<'_>) {
    let mut tx = db.begin().await.unwrap();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO kb_documents (id, slug, title, summary, doc_type, period, doc_date, language,
             access, access_organisation_id, access_group_id, extraction_status, created_at,
             updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'nl', $8, $9, $10, 'geen', $11, $11)",
    )
    .bind(doc.id)
    .bind(format!("doc-{}", doc.id))
    .bind(doc.title)
    .bind(format!("Samenvatting van {}", doc.title))
    .bind(doc.doc_type)
    .bind(doc.period)
    .bind(doc.date)
    .bind(doc.access)
    .bind(doc.organisation)
    .bind(doc.group)
    .bind(now)
    .execute(&mut *tx)
    .await
    .unwrap();
    sync::record_change(&mut tx, Entity::Document, doc.id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn count(db: &Db, table: &str) -> i64 {
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get("n")
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// A browser of its own, logged in as `person` (`None`: anonymous).
async fn browser(app: &TestApp, person: Option<&Person>) -> reqwest::Client {
    let client = TestApp::new_client();
    if let Some(person) = person {
        let html = client
            .get(app.url("/aanmelden"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = csrf_token(&html).unwrap();
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
    }
    client
}

async fn page_of(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    response.text().await.unwrap()
}

/// POSTs `fields` with a CSRF token taken from the page at `token_page`.
async fn post_with(
    app: &TestApp,
    client: &reqwest::Client,
    token_page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let html = client
        .get(app.url(token_page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf_token(&html).unwrap_or_default();
    let mut body: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
    body.extend_from_slice(fields);
    client
        .post(app.url(action))
        .form(&body)
        .send()
        .await
        .unwrap()
}

const NEW_COLLECTION: &str = "/beheer/kennisbank/collecties/nieuw";
const NEW_TERM: &str = "/beheer/kennisbank/begrippen/nieuw";

/// Creates a collection as the logged-in editor of `app`; returns its id.
async fn create_collection(
    app: &TestApp,
    title: &str,
    kind: &str,
    period: &str,
    description: &str,
) -> String {
    let response = app
        .post_form(
            NEW_COLLECTION,
            NEW_COLLECTION,
            &[
                ("title", title),
                ("slug", ""),
                ("kind", kind),
                ("period", period),
                ("description", description),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let id: String = sqlx::query_scalar("SELECT id FROM kb_collections WHERE title = $1")
        .bind(title)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        location(&response),
        format!("/beheer/kennisbank/collecties/{id}/documenten")
    );
    id
}

fn entries_path(collection: &str) -> String {
    format!("/beheer/kennisbank/collecties/{collection}/documenten")
}

async fn add_entry(app: &TestApp, collection: &str, document: &str, section: &str, status: &str) {
    let page = entries_path(collection);
    let response = app
        .post_form(
            &page,
            &format!("{page}/toevoegen"),
            &[
                ("document_id", document),
                ("section", section),
                ("evaluation_status", status),
                ("action_points", &format!("Actiepunt bij {document}")),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
}

/// Where `needle` first occurs in `haystack` (panics when absent, naming it).
fn at(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("‘{needle}’ not found in:\n{haystack}"))
}

// ---------------------------------------------------------------------------------------------
// Collections

#[tokio::test]
async fn a_thematic_library_groups_documents_by_theme_with_their_status() {
    each_kb_app(|app, w| async move {
        insert(&w.db, &public("reg", "Model verwerkingsregister")).await;
        insert(&w.db, &public("dpa", "Modelverwerkersovereenkomst")).await;
        insert(&w.db, &public("dpia", "Sjabloon DPIA")).await;
        login(&app, &w.editor).await;
        let id = create_collection(
            &app,
            "Bibliotheek werkgroep GDPR",
            "thematisch",
            "",
            "De standaarddocumenten van de **werkgroep GDPR**.",
        )
        .await;
        add_entry(&app, &id, "reg", "Verwerkingsregister", "goedgekeurd").await;
        add_entry(&app, &id, "dpa", "Verwerkersovereenkomsten", "in-evaluatie").await;
        add_entry(&app, &id, "dpia", "Verwerkingsregister", "te-evalueren").await;

        // The editing page shows the entries with their fields.
        let editing = app.page(&entries_path(&id)).await;
        assert!(
            editing.contains("value=\"Verwerkingsregister\""),
            "{editing}"
        );
        assert!(
            editing.contains("hx-get=\"/beheer/kennisbank/collecties/"),
            "{editing}"
        );

        let anonymous = browser(&app, None).await;
        let html = page_of(
            &app,
            &anonymous,
            "/kennisbank/collecties/bibliotheek-werkgroep-gdpr",
        )
        .await;
        assert!(
            html.contains("<h1 lang=\"nl\">Bibliotheek werkgroep GDPR</h1>"),
            "{html}"
        );
        assert!(html.contains("<strong>werkgroep GDPR</strong>"), "{html}");
        // Sections under h2 headings, in the editor's order, each with its documents.
        let register = at(&html, ">Verwerkingsregister</h2>");
        let agreements = at(&html, ">Verwerkersovereenkomsten</h2>");
        assert!(register < agreements);
        let reg = at(&html, "href=\"/kennisbank/documenten/doc-reg\"");
        let dpia = at(&html, "href=\"/kennisbank/documenten/doc-dpia\"");
        let dpa = at(&html, "href=\"/kennisbank/documenten/doc-dpa\"");
        assert!(register < reg && reg < dpia && dpia < agreements && agreements < dpa);
        // Status as a word (with an icon), type, date and action points.
        for text in [
            "Goedgekeurd",
            "In evaluatie",
            "Te evalueren",
            "Standaarddocument",
            "01/04/2023",
            "Actiepunt bij reg",
        ] {
            assert!(html.contains(text), "{text}: {html}");
        }
        assert!(
            html.contains("#success\"></use></svg>Goedgekeurd"),
            "{html}"
        );
        // The overview counts per status: 1 approved, 1 being evaluated, 1 to evaluate, 0
        // evaluated, 3 in all.
        let overview =
            &html[at(&html, "kb-status-summary")..at(&html, ">Verwerkingsregister</h2>")];
        assert_eq!(
            overview.matches("<td class=\"number\">1</td>").count(),
            3,
            "{overview}"
        );
        assert!(
            overview.contains("<td class=\"number\">0</td>"),
            "{overview}"
        );
        assert!(
            overview.contains("<td class=\"number\">3</td>"),
            "{overview}"
        );

        // The list of collections puts it under its kind, with its count.
        let list = page_of(&app, &anonymous, "/kennisbank/collecties").await;
        assert!(list.contains("Thematische bibliotheken"), "{list}");
        assert!(list.contains("Aantal documenten: 3"), "{list}");

        // Every change left an audit entry.
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'kb_collection' AND entity_id = $1",
        )
        .bind(&id)
        .fetch_one(w.db.pool())
        .await
        .unwrap();
        assert_eq!(audited, 4);
    })
    .await;
}

#[tokio::test]
async fn collection_pages_list_only_documents_the_reader_may_open() {
    each_kb_app(|app, w| async move {
        insert(&w.db, &public("open", "Stadsgenoten: het verhaal")).await;
        insert(
            &w.db,
            &Doc {
                access: "organisatie",
                organisation: Some(&w.gent),
                ..public("gent", "Gentse evaluatie buurtwerk")
            },
        )
        .await;
        insert(
            &w.db,
            &Doc {
                access: "werkgroep",
                group: Some(&w.gdpr_group),
                ..public("groep", "Werkgroepnota register")
            },
        )
        .await;
        login(&app, &w.editor).await;
        let id = create_collection(&app, "Stadsgenoten", "publicatie", "", "Een publicatie.").await;
        add_entry(&app, &id, "open", "", "").await;
        add_entry(&app, &id, "gent", "", "").await;
        add_entry(&app, &id, "groep", "", "").await;
        let hidden = create_collection(
            &app,
            "Alleen voor Gent",
            "publicatie",
            "",
            "Uitleg over **Gent**.",
        )
        .await;
        add_entry(&app, &hidden, "gent", "", "").await;

        let anonymous = browser(&app, None).await;
        let antwerpen = browser(&app, Some(&w.antwerpen_member)).await;
        let gent = browser(&app, Some(&w.gent_member)).await;
        for (client, who) in [(&anonymous, "anonymous"), (&antwerpen, "Antwerpen")] {
            let html = page_of(&app, client, "/kennisbank/collecties/stadsgenoten").await;
            assert!(html.contains("Stadsgenoten: het verhaal"), "{who}: {html}");
            assert!(!html.contains("Gentse evaluatie"), "{who}: {html}");
            assert!(!html.contains("Werkgroepnota"), "{who}: {html}");
            // A collection whose every document is hidden still shows its description.
            let html = page_of(&app, client, "/kennisbank/collecties/alleen-voor-gent").await;
            assert!(html.contains("<strong>Gent</strong>"), "{who}: {html}");
            assert!(
                html.contains("geen documenten die u kunt openen"),
                "{who}: {html}"
            );
            assert!(!html.contains("Gentse evaluatie"), "{who}: {html}");
            // Hidden documents are not counted.
            let list = page_of(&app, client, "/kennisbank/collecties").await;
            assert!(list.contains("Aantal documenten: 1"), "{who}: {list}");
            assert!(list.contains("Aantal documenten: 0"), "{who}: {list}");
            assert!(!list.contains("Aantal documenten: 2"), "{who}: {list}");
        }
        // The Gent member (also in the GDPR group) sees all three, in the editor's order.
        let html = page_of(&app, &gent, "/kennisbank/collecties/stadsgenoten").await;
        let open = at(&html, "Stadsgenoten: het verhaal");
        let own = at(&html, "Gentse evaluatie buurtwerk");
        let group = at(&html, "Werkgroepnota register");
        assert!(open < own && own < group, "{html}");
        let list = page_of(&app, &gent, "/kennisbank/collecties").await;
        assert!(list.contains("Aantal documenten: 3"), "{list}");
        assert!(list.contains("Aantal documenten: 1"), "{list}");
    })
    .await;
}

#[tokio::test]
async fn an_archive_lists_the_documents_of_its_period() {
    each_kb_app(|app, w| async move {
        insert(
            &w.db,
            &Doc {
                doc_type: "rapport",
                date: "2013-05-01",
                period: "2012-2016",
                ..public("r2013", "Rapport stadsmonitor 2013")
            },
        )
        .await;
        insert(
            &w.db,
            &Doc {
                doc_type: "verslag",
                date: "2015-09-01",
                period: "2012-2016",
                ..public("v2015", "Verslag studiedag 2015")
            },
        )
        .await;
        insert(
            &w.db,
            &Doc {
                doc_type: "rapport",
                date: "2018-01-01",
                period: "2017-2021",
                ..public("r2018", "Rapport stadsmonitor 2018")
            },
        )
        .await;
        insert(
            &w.db,
            &Doc {
                doc_type: "publicatie",
                date: "2017-02-01",
                period: "2017-2021",
                ..public("extra", "Terugblik op tien jaar")
            },
        )
        .await;
        insert(
            &w.db,
            &Doc {
                doc_type: "rapport",
                date: "2014-01-01",
                period: "2012-2016",
                access: "leden",
                ..public("leden", "Ledennota 2014")
            },
        )
        .await;
        login(&app, &w.editor).await;

        // An archive needs its period.
        let before = count(&w.db, "kb_collections").await;
        let response = app
            .post_form(
                NEW_COLLECTION,
                NEW_COLLECTION,
                &[
                    ("title", "Archief 2012-2016"),
                    ("kind", "archief"),
                    ("period", ""),
                ],
            )
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(
            html.contains("Kies de programmaperiode van het archief."),
            "{html}"
        );
        assert_eq!(count(&w.db, "kb_collections").await, before);

        let id = create_collection(&app, "Archief 2012-2016", "archief", "2012-2016", "").await;
        add_entry(&app, &id, "extra", "", "").await;
        let editing = app.page(&entries_path(&id)).await;
        assert!(
            editing.contains("Alle documenten van de periode 2012-2016"),
            "{editing}"
        );

        let anonymous = browser(&app, None).await;
        let html = page_of(&app, &anonymous, "/kennisbank/collecties/archief-2012-2016").await;
        assert!(html.contains("Rapport stadsmonitor 2013"), "{html}");
        assert!(html.contains("Verslag studiedag 2015"), "{html}");
        assert!(html.contains("Terugblik op tien jaar"), "{html}");
        assert!(!html.contains("Rapport stadsmonitor 2018"), "{html}");
        assert!(!html.contains("Ledennota"), "{html}");
        // By type: a heading per type, in the list's order.
        let reports = at(&html, ">Rapport <span");
        let minutes = at(&html, ">Verslag <span");
        assert!(reports < minutes, "{html}");
        assert!(html.contains("Documenten in dit archief: 3"), "{html}");
        // By year: newest first.
        let html = page_of(
            &app,
            &anonymous,
            "/kennisbank/collecties/archief-2012-2016?indeling=jaar",
        )
        .await;
        let y2017 = at(&html, ">2017 <span");
        let y2015 = at(&html, ">2015 <span");
        let y2013 = at(&html, ">2013 <span");
        assert!(y2017 < y2015 && y2015 < y2013, "{html}");
        // A logged-in member also sees the members' document.
        let member = browser(&app, Some(&w.antwerpen_member)).await;
        let html = page_of(&app, &member, "/kennisbank/collecties/archief-2012-2016").await;
        assert!(html.contains("Ledennota 2014"), "{html}");
        assert!(html.contains("Documenten in dit archief: 4"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn editors_reorder_and_remove_entries() {
    each_kb_app(|app, w| async move {
        for (id, title) in [
            ("a", "Hoofdstuk A"),
            ("b", "Hoofdstuk B"),
            ("c", "Hoofdstuk C"),
        ] {
            insert(&w.db, &public(id, title)).await;
        }
        login(&app, &w.editor).await;
        let id = create_collection(&app, "Leeslijst", "publicatie", "", "").await;
        for doc in ["a", "b", "c"] {
            add_entry(&app, &id, doc, "", "").await;
        }
        let order = |db: Db, id: String| async move {
            store::entries(db.pool(), &id)
                .await
                .unwrap()
                .into_iter()
                .map(|d| d.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(order(w.db.clone(), id.clone()).await, ["a", "b", "c"]);
        let page = entries_path(&id);
        let response = app.post_form(&page, &format!("{page}/a/omlaag"), &[]).await;
        assert_eq!(response.status(), 303);
        assert_eq!(order(w.db.clone(), id.clone()).await, ["b", "a", "c"]);
        let response = app.post_form(&page, &format!("{page}/c/omhoog"), &[]).await;
        assert_eq!(response.status(), 303);
        assert_eq!(order(w.db.clone(), id.clone()).await, ["b", "c", "a"]);
        // At the top, up changes nothing.
        app.post_form(&page, &format!("{page}/b/omhoog"), &[]).await;
        assert_eq!(order(w.db.clone(), id.clone()).await, ["b", "c", "a"]);
        // The public reading list follows the order.
        let html = app.page("/kennisbank/collecties/leeslijst").await;
        assert!(at(&html, "Hoofdstuk B") < at(&html, "Hoofdstuk C"));
        assert!(at(&html, "Hoofdstuk C") < at(&html, "Hoofdstuk A"));

        // A wrong status on one entry: 422 with a Dutch message, nothing changed.
        let response = app
            .post_form(
                &page,
                &format!("{page}/c/wijzigen"),
                &[
                    ("section", "Deel 1"),
                    ("evaluation_status", "onzin"),
                    ("action_points", ""),
                ],
            )
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("Kies een geldige evaluatiestatus."), "{html}");
        let section: String =
            sqlx::query_scalar("SELECT section FROM kb_collection_entries WHERE document_id = 'c'")
                .fetch_one(w.db.pool())
                .await
                .unwrap();
        assert_eq!(section, "");
        // Adding the same document twice is refused.
        let response = app
            .post_form(
                &page,
                &format!("{page}/toevoegen"),
                &[("document_id", "a"), ("section", "")],
            )
            .await;
        assert_eq!(response.status(), 422);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("Dit document staat al in de collectie."));

        let response = app
            .post_form(&page, &format!("{page}/c/verwijderen"), &[])
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(order(w.db.clone(), id.clone()).await, ["b", "a"]);
        // The document itself stays.
        assert_eq!(count(&w.db, "kb_documents").await, 3);

        // Deleting the collection takes its entries along.
        let response = app
            .post_form(
                &format!("/beheer/kennisbank/collecties/{id}/verwijderen"),
                &format!("/beheer/kennisbank/collecties/{id}/verwijderen"),
                &[],
            )
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(count(&w.db, "kb_collections").await, 0);
        assert_eq!(count(&w.db, "kb_collection_entries").await, 0);
    })
    .await;
}

#[tokio::test]
async fn only_editors_write_collections_and_terms() {
    each_kb_app(|app, w| async move {
        insert(&w.db, &public("a", "Document A")).await;
        insert(&w.db, &public("b", "Document B")).await;
        login(&app, &w.editor).await;
        let id = create_collection(&app, "Bibliotheek", "thematisch", "", "Tekst.").await;
        add_entry(&app, &id, "a", "Thema", "te-evalueren").await;
        add_entry(&app, &id, "b", "Thema", "te-evalueren").await;
        let response = app
            .post_form(
                NEW_TERM,
                NEW_TERM,
                &[
                    ("term", "Metadata"),
                    ("definition", "Gegevens over gegevens."),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let term: String = sqlx::query_scalar("SELECT id FROM kb_terms")
            .fetch_one(w.db.pool())
            .await
            .unwrap();

        let snapshot = |db: Db| async move {
            let mut out = Vec::new();
            for table in [
                "kb_collections",
                "kb_collection_entries",
                "kb_terms",
                "kb_term_relations",
                "kb_index_changes",
            ] {
                out.push(count(&db, table).await);
            }
            // (Logging in writes audit entries of its own.)
            let audited: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity_type LIKE 'kb_%'")
                    .fetch_one(db.pool())
                    .await
                    .unwrap();
            out.push(audited);
            let order: Vec<String> = sqlx::query_scalar(
                "SELECT document_id FROM kb_collection_entries ORDER BY position",
            )
            .fetch_all(db.pool())
            .await
            .unwrap();
            let titles: Vec<String> = sqlx::query_scalar("SELECT title FROM kb_collections")
                .fetch_all(db.pool())
                .await
                .unwrap();
            (out, order, titles)
        };
        let before = snapshot(w.db.clone()).await;

        let base = format!("/beheer/kennisbank/collecties/{id}");
        let writes: Vec<(String, Vec<(&str, &str)>)> = vec![
            (
                NEW_COLLECTION.to_string(),
                vec![("title", "Nieuw"), ("kind", "publicatie")],
            ),
            (
                format!("{base}/bewerken"),
                vec![("title", "Gekaapt"), ("kind", "publicatie")],
            ),
            (format!("{base}/verwijderen"), vec![]),
            (
                format!("{base}/documenten/toevoegen"),
                vec![("document_id", "a")],
            ),
            (
                format!("{base}/documenten/a/wijzigen"),
                vec![("section", "X"), ("evaluation_status", "goedgekeurd")],
            ),
            (format!("{base}/documenten/a/omlaag"), vec![]),
            (format!("{base}/documenten/b/omhoog"), vec![]),
            (format!("{base}/documenten/a/verwijderen"), vec![]),
            (
                NEW_TERM.to_string(),
                vec![("term", "Gekaapt"), ("definition", "Nee.")],
            ),
            (
                format!("/beheer/kennisbank/begrippen/{term}/bewerken"),
                vec![("term", "Gekaapt"), ("definition", "Nee.")],
            ),
            (
                format!("/beheer/kennisbank/begrippen/{term}/verwijderen"),
                vec![],
            ),
        ];
        let kc_reader = browser(&app, Some(&w.kc_reader)).await;
        let gent = browser(&app, Some(&w.gent_member)).await;
        for (client, who) in [(&kc_reader, "KC reader"), (&gent, "Gent member")] {
            for (action, fields) in &writes {
                let response = post_with(&app, client, "/begrippen", action, fields).await;
                assert_eq!(response.status(), 403, "{who} POST {action}");
            }
            for page in [
                "/beheer/kennisbank/collecties",
                NEW_COLLECTION,
                &entries_path(&id),
                "/beheer/kennisbank/begrippen",
                NEW_TERM,
            ] {
                let response = client.get(app.url(page)).send().await.unwrap();
                assert_eq!(response.status(), 403, "{who} GET {page}");
            }
        }
        // The anonymous are sent to the login page.
        let anonymous = browser(&app, None).await;
        for (action, fields) in &writes {
            let response = post_with(&app, &anonymous, "/aanmelden", action, fields).await;
            assert_eq!(response.status(), 303, "anonymous POST {action}");
            assert_eq!(location(&response), "/aanmelden");
        }
        assert_eq!(snapshot(w.db.clone()).await, before);
    })
    .await;
}

#[tokio::test]
async fn collection_form_errors_are_dutch_and_write_nothing() {
    each_kb_app(|app, w| async move {
        login(&app, &w.editor).await;
        create_collection(&app, "Stadsgenoten", "publicatie", "", "").await;
        let before = count(&w.db, "kb_collections").await;
        let audit = count(&w.db, "audit_log").await;
        let cases: [(&[(&str, &str)], &str); 4] = [
            (
                &[("title", ""), ("kind", "publicatie")],
                "Geef de collectie een titel.",
            ),
            (
                &[("title", "Stadsgenoten"), ("kind", "publicatie")],
                "Er bestaat al een collectie met deze korte naam.",
            ),
            (
                &[("title", "Iets"), ("kind", "onbekend")],
                "Kies het soort collectie.",
            ),
            (
                &[
                    ("title", "Iets"),
                    ("slug", "Met Spaties"),
                    ("kind", "publicatie"),
                ],
                "Gebruik in de korte naam alleen kleine letters",
            ),
        ];
        for (fields, message) in cases {
            let response = app.post_form(NEW_COLLECTION, NEW_COLLECTION, fields).await;
            assert_eq!(response.status(), 422, "{fields:?}");
            let html = response.text().await.unwrap();
            assert!(html.contains(message), "{message}: {html}");
            assert!(html.contains("aria-invalid=\"true\""), "{html}");
        }
        assert_eq!(count(&w.db, "kb_collections").await, before);
        assert_eq!(count(&w.db, "audit_log").await, audit);
        // The editors' list shows the collection with its links.
        let list = app.page("/beheer/kennisbank/collecties").await;
        assert!(list.contains("Stadsgenoten"), "{list}");
        assert!(list.contains("<th scope=\"col\">"), "{list}");
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Glossary

async fn create_term(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form(NEW_TERM, NEW_TERM, fields).await
}

async fn term_id(db: &Db, term: &str) -> String {
    sqlx::query_scalar("SELECT id FROM kb_terms WHERE term = $1")
        .bind(term)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_glossary_lists_terms_a_to_z_with_relations_both_ways() {
    each_kb_app(|app, w| async move {
        login(&app, &w.editor).await;
        let response = create_term(&app, &[
            ("term", "Metadata"),
            ("definition", "Gegevens die andere gegevens beschrijven: hun herkomst, betekenis en kwaliteit."),
            ("source", "DAMA-DMBOK woordenboek"),
            ("synonyms", "metagegevens, gegevens over gegevens"),
        ])
        .await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/begrippen/metadata");
        let metadata = term_id(&w.db, "Metadata").await;
        let response = create_term(&app, &[
            ("term", "Datakwaliteit"),
            ("definition", "De mate waarin gegevens geschikt zijn voor hun gebruik."),
            ("synonyms", "gegevenskwaliteit"),
            ("related", &metadata),
        ])
        .await;
        assert_eq!(response.status(), 303);
        let response = create_term(&app, &[
            ("term", "Één loket"),
            ("definition", &"Eén plaats waar burgers met al hun vragen terechtkunnen. ".repeat(8)),
        ])
        .await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/begrippen/een-loket");

        // A duplicate, whatever its case, is refused in Dutch and nothing is written.
        let before = (count(&w.db, "kb_terms").await, count(&w.db, "kb_index_changes").await);
        let response = create_term(&app, &[("term", "METADATA"), ("definition", "Dubbel.")]).await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("Het begrip ‘Metadata’ staat al in het begrippenkader."), "{html}");
        let response = create_term(&app, &[("term", ""), ("definition", "")]).await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("Vul het begrip in.") && html.contains("Vul de definitie in."), "{html}");
        let long = "x".repeat(4001);
        let response = create_term(&app, &[("term", "Lang"), ("definition", &long)]).await;
        assert_eq!(response.status(), 422);
        assert_eq!((count(&w.db, "kb_terms").await, count(&w.db, "kb_index_changes").await), before);

        let anonymous = browser(&app, None).await;
        let html = page_of(&app, &anonymous, "/begrippen").await;
        // Letters with terms are links, the others plain text.
        assert!(html.contains("<a href=\"#letter-d\">D</a>"), "{html}");
        assert!(html.contains("<a href=\"#letter-e\">E</a>"), "{html}");
        assert!(html.contains("<a href=\"#letter-m\">M</a>"), "{html}");
        assert!(html.contains("<span class=\"kb-letter-empty\">B</span>"), "{html}");
        assert!(!html.contains("href=\"#letter-b\""), "{html}");
        // "Één loket" sits under E, between D and M; definitions are shortened.
        let d = at(&html, "<h2 id=\"letter-d\">D</h2>");
        let e = at(&html, "<h2 id=\"letter-e\">E</h2>");
        let m = at(&html, "<h2 id=\"letter-m\">M</h2>");
        let loket = at(&html, ">Één loket</a>");
        assert!(d < e && e < loket && loket < m, "{html}");
        assert!(html.contains("terechtkunnen. Eén plaats"), "{html}");
        assert!(!html.contains(&"Eén plaats waar burgers met al hun vragen terechtkunnen. ".repeat(8).trim().to_string()), "{html}");
        assert!(html.contains("…"), "{html}");

        // The filter matches terms and synonyms, accents folded.
        let html = page_of(&app, &anonymous, "/begrippen?q=metagegevens").await;
        assert!(html.contains(">Metadata</a>") && !html.contains(">Datakwaliteit</a>"), "{html}");
        let html = page_of(&app, &anonymous, "/begrippen?q=een").await;
        assert!(html.contains(">Één loket</a>") && !html.contains(">Metadata</a>"), "{html}");
        let html = page_of(&app, &anonymous, "/begrippen?q=zeppelin").await;
        assert!(html.contains("Geen begrip gevonden."), "{html}");

        // The term page, with the relation in both directions.
        let html = page_of(&app, &anonymous, "/begrippen/metadata").await;
        assert!(html.contains("<h1 lang=\"nl\">Metadata</h1>"), "{html}");
        assert!(html.contains("<dl class=\"facts kb-term\">"), "{html}");
        assert!(html.contains("DAMA-DMBOK woordenboek"), "{html}");
        assert!(html.contains("<li>metagegevens</li>"), "{html}");
        assert!(html.contains("<a href=\"/begrippen/datakwaliteit\" lang=\"nl\">Datakwaliteit</a>"), "{html}");
        assert!(html.contains("href=\"/kennisbank?q=Metadata\""), "{html}");
        let html = page_of(&app, &anonymous, "/begrippen/datakwaliteit").await;
        assert!(html.contains("<a href=\"/begrippen/metadata\" lang=\"nl\">Metadata</a>"), "{html}");

        // Unticking the relation on the other side removes it from both pages.
        let datakwaliteit = term_id(&w.db, "Datakwaliteit").await;
        let edit = format!("/beheer/kennisbank/begrippen/{metadata}/bewerken");
        let form = app.page(&edit).await;
        assert!(form.contains(&format!("id=\"related-{datakwaliteit}\" name=\"related\" value=\"{datakwaliteit}\" checked")), "{form}");
        let response = app
            .post_form(&edit, &edit, &[("term", "Metadata"), ("definition", "Gegevens over gegevens."), ("synonyms", "metagegevens")])
            .await;
        assert_eq!(response.status(), 303);
        let html = page_of(&app, &anonymous, "/begrippen/datakwaliteit").await;
        assert!(!html.contains("/begrippen/metadata\""), "{html}");
        assert_eq!(count(&w.db, "kb_term_relations").await, 0);
        let response = anonymous.get(app.url("/begrippen/onbekend")).send().await.unwrap();
        assert_eq!(response.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn glossary_terms_are_found_by_search_and_removed_with_the_term() {
    each_kb_app(|app, w| async move {
        let live = LiveIndex::in_memory(&w.db).await.unwrap();
        login(&app, &w.editor).await;
        let response = create_term(
            &app,
            &[
                ("term", "Verwerkingsregister"),
                (
                    "definition",
                    "Overzicht van alle verwerkingen van persoonsgegevens in een organisatie.",
                ),
                ("source", "AVG, artikel 30"),
                ("synonyms", "register van verwerkingsactiviteiten, ROPA"),
            ],
        )
        .await;
        assert_eq!(response.status(), 303);
        let id = term_id(&w.db, "Verwerkingsregister").await;
        let find = |text: &str| Query {
            text: text.to_string(),
            ..Query::default()
        };
        for text in ["verwerkingsregister", "ropa", "verwerkingsactiviteiten"] {
            let results = live.search(&w.db, find(text)).await.unwrap();
            let hits: Vec<&str> = results.hits.iter().map(|h| h.id.as_str()).collect();
            assert_eq!(hits, [format!("term:{id}")], "{text}");
        }
        // A change is found at once under the new synonym.
        let edit = format!("/beheer/kennisbank/begrippen/{id}/bewerken");
        let response = app
            .post_form(
                &edit,
                &edit,
                &[
                    ("term", "Verwerkingsregister"),
                    ("definition", "Overzicht van verwerkingen."),
                    ("synonyms", "verwerkingenoverzicht"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            live.search(&w.db, find("verwerkingenoverzicht"))
                .await
                .unwrap()
                .total,
            1
        );
        assert_eq!(live.search(&w.db, find("ropa")).await.unwrap().total, 0);

        let delete = format!("/beheer/kennisbank/begrippen/{id}/verwijderen");
        let response = app.post_form(&delete, &delete, &[]).await;
        assert_eq!(response.status(), 303);
        assert_eq!(count(&w.db, "kb_terms").await, 0);
        assert_eq!(
            live.search(&w.db, find("verwerkingsregister"))
                .await
                .unwrap()
                .total,
            0
        );
        let response = app.get("/begrippen/verwerkingsregister").await;
        assert_eq!(response.status(), 404);
    })
    .await;
}
