//! Documents belong to the plan's structure (issue 10, point 12): existing programme and
//! werkspoor texts are linked to the published plans' items by matching (code, else title
//! without case, accents, spacing or punctuation — the OBMi case), programme and werkspoor
//! pages list their public documents including those of the same item in earlier periods,
//! and every write refuses a programme or werkspoor that is not in the plan, in Dutch. On
//! SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

use crate::common;

use std::collections::HashMap;

use common::{each_kb_app, TestApp, World};
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Db};
use steden_kennisbank::store::documents::{self, DocumentFields};
use steden_kennisbank::structure::{Structure, WERKSPOOR};
use steden_plan::model::PublishedField;
use steden_plan::store::items::{self, ItemFields};
use steden_plan::store::plans::{self, PlanFields};

const OBMI_2025: &str = "O(mgeving) B(eleid) M(anagement)informatie";

/// Ids of the items of the three published jaarplannen, by "year:code".
struct Plans {
    ids: HashMap<String, String>,
}

impl Plans {
    fn id(&self, key: &str) -> String {
        self.ids
            .get(key)
            .unwrap_or_else(|| panic!("no item {key}"))
            .clone()
    }
}

fn plan_fields(year: &str) -> PlanFields {
    PlanFields {
        kind: "jaarplan".into(),
        title: format!("Jaarplan {year}"),
        description: String::new(),
        period_start: format!("{year}-01-01"),
        period_end: format!("{year}-12-31"),
        status: "vastgesteld".into(),
    }
}

async fn publish(w: &World, plan_id: &str) {
    let mut tx = w.db.begin().await.unwrap();
    plans::set_publication(
        &mut tx,
        plan_id,
        true,
        &[PublishedField::Description],
        &w.editor.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// A plan of `year` with `(code, title, parent code)` items, published.
async fn plan(
    w: &World,
    year: &str,
    rows: &[(&str, &str, Option<&str>)],
    ids: &mut HashMap<String, String>,
) -> String {
    let levels: Vec<String> = ["Programma", "Werkspoor", "Doelstelling"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut tx = w.db.begin().await.unwrap();
    let plan = plans::create(
        &mut tx,
        &w.kenniscentrum,
        &plan_fields(year),
        &levels,
        false,
        &w.editor.audit(),
    )
    .await
    .unwrap();
    for (code, title, parent) in rows {
        let parent_id = parent.map(|p| ids[&format!("{year}:{p}")].clone());
        let fields = ItemFields {
            code: code.to_string(),
            title: title.to_string(),
            ..ItemFields::default()
        };
        let item = items::create(
            &mut tx,
            &plan.id,
            parent_id.as_deref(),
            &fields,
            &w.editor.audit(),
        )
        .await
        .unwrap();
        ids.insert(format!("{year}:{code}"), item.id);
    }
    tx.commit().await.unwrap();
    publish(w, &plan.id).await;
    plan.id
}

/// Jaarplan 2021 (Klimaat "K" → Klimaatgovernance "K.1"); jaarplan 2024 (OBMi "2" → GDPR
/// "2.1"; Klimaat "5" → Klimaatgovernance "5.1"); jaarplan 2025, a copy of 2024 (same codes)
/// whose programme "2" is renamed to its long title. All three published.
async fn structure(w: &World) -> Plans {
    let mut ids = HashMap::new();
    plan(
        w,
        "2021",
        &[
            ("K", "Klimaat", None),
            ("K.1", "Klimaatgovernance", Some("K")),
        ],
        &mut ids,
    )
    .await;
    let p2024 = plan(
        w,
        "2024",
        &[
            ("2", "OBMi", None),
            ("2.1", "GDPR", Some("2")),
            ("5", "Klimaat", None),
            ("5.1", "Klimaatgovernance", Some("5")),
        ],
        &mut ids,
    )
    .await;
    let mut tx = w.db.begin().await.unwrap();
    let p2025 = plans::copy(&mut tx, &p2024, &plan_fields("2025"), &w.editor.audit())
        .await
        .unwrap();
    for item in items::list_for_plan(&mut *tx, &p2025.id).await.unwrap() {
        if item.code == "2" {
            let fields = ItemFields {
                title: OBMI_2025.into(),
                ..ItemFields::from_item(&item)
            };
            items::update(&mut tx, &item.id, &fields, "", &w.editor.audit())
                .await
                .unwrap();
        }
        ids.insert(format!("2025:{}", item.code), item.id);
    }
    tx.commit().await.unwrap();
    publish(w, &p2025.id).await;
    Plans { ids }
}

/// A document as it was stored before documents were linked: text only.
async fn legacy(
    db: &Db,
    title: &str,
    access: &str,
    programme: Option<&str>,
    werkspoor: Option<&str>,
    date: &str,
) -> String {
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO kb_documents (id, slug, title, summary, doc_type, programme, werkspoor,
             access, extraction_status, doc_date, created_at, updated_at)
         VALUES ($1, $2, $3, '', 'rapport', $4, $5, $6, 'geen', $7, $8, $8)",
    )
    .bind(&id)
    .bind(steden_kennisbank::model::slugify(title))
    .bind(title)
    .bind(programme)
    .bind(werkspoor)
    .bind(access)
    .bind(date)
    .bind(now)
    .execute(db.pool())
    .await
    .unwrap();
    id
}

async fn link(
    db: &Db,
    id: &str,
) -> (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
) {
    let doc = documents::get(db.pool(), id).await.unwrap();
    (
        doc.programme_id,
        doc.programme,
        doc.werkspoor_id,
        doc.werkspoor,
    )
}

#[tokio::test]
async fn existing_texts_are_linked_by_matching_and_pages_list_them() {
    each_kb_app(|app, w| async move {
        let plans = structure(&w).await;
        // The OBMi case: the documents spell the programme with other spacing and case than
        // the jaarplan; before, its page said "nog geen openbare documenten".
        let mut obmi = Vec::new();
        for n in 1..=12 {
            let spelling = if n % 2 == 0 {
                "O(mgeving)B(eleid) M(anagement) informatie"
            } else {
                "o(mgeving) b(eleid) m(anagement)informatie "
            };
            let werkspoor = (n <= 3).then_some("gdpr");
            let date = format!("2025-03-{n:02}");
            obmi.push(
                legacy(
                    &app.db,
                    &format!("OBMi-nota {n}"),
                    "publiek",
                    Some(spelling),
                    werkspoor,
                    &date,
                )
                .await,
            );
        }
        let members = legacy(
            &app.db,
            "OBMi intern",
            "leden",
            Some(OBMI_2025),
            None,
            "2025-01-01",
        )
        .await;
        // A code; the date picks the plan when the code recurs (2024 and its copy 2025).
        let by_code = legacy(
            &app.db,
            "Klimaatnota 2024",
            "publiek",
            Some("5"),
            Some("5.1"),
            "2024-05-01",
        )
        .await;
        // A werkspoor without a programme brings its programme (the 2021 one, by the date).
        let track_only = legacy(
            &app.db,
            "Governance 2021",
            "publiek",
            None,
            Some("klimaat governance"),
            "2021-09-01",
        )
        .await;
        let unmatched = legacy(
            &app.db,
            "Armoedebarometer",
            "publiek",
            Some("Armoede"),
            Some("Kinderarmoede"),
            "2016-01-01",
        )
        .await;
        let wrong_track = legacy(
            &app.db,
            "Klimaat en privacy",
            "publiek",
            Some("Klimaat"),
            Some("GDPR"),
            "2025-02-01",
        )
        .await;

        let before = app.page("/programmas/obmi").await;
        assert!(
            before.contains("nog geen openbare documenten"),
            "nothing linked yet"
        );

        let linked = documents::link_unlinked(&app.db).await.unwrap();
        assert_eq!(
            linked, 16,
            "12 OBMi, the members' one, by code, by werkspoor, Klimaat"
        );
        let (programme_id, programme, werkspoor_id, werkspoor) = link(&app.db, &obmi[0]).await;
        assert_eq!(programme_id, Some(plans.id("2025:2")));
        assert_eq!(
            programme.as_deref(),
            Some(OBMI_2025),
            "the text becomes the plan's title"
        );
        assert_eq!(werkspoor_id, Some(plans.id("2025:2.1")));
        assert_eq!(werkspoor.as_deref(), Some("GDPR"));
        assert_eq!(link(&app.db, &obmi[11]).await.0, Some(plans.id("2025:2")));
        assert_eq!(link(&app.db, &members).await.0, Some(plans.id("2025:2")));
        let (programme_id, _, werkspoor_id, _) = link(&app.db, &by_code).await;
        assert_eq!(
            programme_id,
            Some(plans.id("2024:5")),
            "the plan of the document's date"
        );
        assert_eq!(werkspoor_id, Some(plans.id("2024:5.1")));
        let (programme_id, programme, werkspoor_id, _) = link(&app.db, &track_only).await;
        assert_eq!(werkspoor_id, Some(plans.id("2021:K.1")));
        assert_eq!(programme_id, Some(plans.id("2021:K")));
        assert_eq!(programme.as_deref(), Some("Klimaat"));
        // Unmatched text stays as it was, without a link ("niet gekoppeld").
        assert_eq!(
            link(&app.db, &unmatched).await,
            (
                None,
                Some("Armoede".into()),
                None,
                Some("Kinderarmoede".into())
            )
        );
        // A werkspoor of another programme is not linked under this one.
        let (programme_id, _, werkspoor_id, werkspoor) = link(&app.db, &wrong_track).await;
        assert_eq!(programme_id, Some(plans.id("2025:5")));
        assert_eq!((werkspoor_id, werkspoor.as_deref()), (None, Some("GDPR")));

        // Each link is audited, with the old text; running again changes nothing.
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'kb_document' AND action = 'link'",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(audited, 16);
        assert_eq!(documents::link_unlinked(&app.db).await.unwrap(), 0);

        // The programme page lists its public documents (never the members' one).
        let page = app.page("/programmas/obmi").await;
        assert!(!page.contains("nog geen openbare documenten"), "{page}");
        assert!(
            page.contains("De 10 nieuwste van 12 openbare documenten"),
            "{page}"
        );
        assert!(
            page.contains("OBMi-nota 12") && !page.contains("OBMi intern"),
            "{page}"
        );
        // The werkspoor page lists its documents too.
        let track = app.page("/programmas/obmi/gdpr").await;
        assert!(
            track.contains("OBMi-nota 1<") && track.contains("OBMi-nota 3<"),
            "{track}"
        );
        assert!(!track.contains("OBMi-nota 4<"), "{track}");
        let climate_track = app.page("/programmas/klimaat/klimaatgovernance").await;
        assert!(
            climate_track.contains("Klimaatnota 2024"),
            "{climate_track}"
        );
    })
    .await;
}

#[tokio::test]
async fn programme_pages_include_the_same_item_in_earlier_periods() {
    each_kb_app(|app, w| async move {
        let plans = structure(&w).await;
        let create = |title: &'static str,
                      programme: Option<String>,
                      werkspoor: Option<String>,
                      access: &'static str| {
            let w = &w;
            async move {
                let mut tx = w.db.begin().await.unwrap();
                let doc = documents::create(
                    &mut tx,
                    &DocumentFields {
                        title: title.into(),
                        doc_type: "link".into(),
                        access: access.into(),
                        external_url: Some("https://example.org/rapport".into()),
                        programme,
                        werkspoor,
                        ..DocumentFields::default()
                    },
                    None,
                    &w.editor.audit(),
                )
                .await
                .unwrap();
                tx.commit().await.unwrap();
                doc
            }
        };
        // 2024's "OBMi" is 2025's long title: the same code in the plan 2025 was copied from.
        create(
            "OBMi-verslag 2024",
            Some(plans.id("2024:2")),
            None,
            "publiek",
        )
        .await;
        // 2021 is not in the copy chain: the same title counts.
        create(
            "Klimaatrapport 2021",
            Some("Klimaat".into()),
            Some(plans.id("2021:K.1")),
            "publiek",
        )
        .await;
        create(
            "Klimaatnota 2024",
            Some(plans.id("2024:5")),
            Some(plans.id("2024:5.1")),
            "publiek",
        )
        .await;
        create("Klimaat 2025", Some(plans.id("2025:5")), None, "publiek").await;
        create("Klimaat intern", Some(plans.id("2025:5")), None, "leden").await;

        let obmi = app.page("/programmas/obmi").await;
        assert!(obmi.contains("OBMi-verslag 2024"), "{obmi}");
        let climate = app.page("/programmas/klimaat").await;
        for title in ["Klimaatrapport 2021", "Klimaatnota 2024", "Klimaat 2025"] {
            assert!(climate.contains(title), "{title}: {climate}");
        }
        assert!(!climate.contains("Klimaat intern"));
        let track = app.page("/programmas/klimaat/klimaatgovernance").await;
        assert!(
            track.contains("Klimaatrapport 2021") && track.contains("Klimaatnota 2024"),
            "{track}"
        );
        assert!(
            !track.contains("Klimaat 2025"),
            "not filed under the werkspoor"
        );
        // OBMi's werkspoor has nothing.
        let gdpr = app.page("/programmas/obmi/gdpr").await;
        assert!(
            gdpr.contains("nog geen openbare documenten van dit werkspoor"),
            "{gdpr}"
        );

        // The structure is kept in memory (issue 12 point 6), but the database stays the
        // source of truth: the 2021 werkspoor renamed behind two servers' backs (raw SQL, as
        // another server or a script would) no longer matches, and its document leaves the
        // werkspoor page on both at the next request.
        let other = TestApp::spawn_on(app.db.clone(), common::modules()).await;
        let path = "/programmas/klimaat/klimaatgovernance";
        assert!(other.page(path).await.contains("Klimaatrapport 2021"));
        sqlx::query("UPDATE plan_items SET title = $1 WHERE id = $2")
            .bind("Iets anders")
            .bind(plans.id("2021:K.1"))
            .execute(app.db.pool())
            .await
            .unwrap();
        for server in [&app, &other] {
            let track = server.page(path).await;
            assert!(!track.contains("Klimaatrapport 2021"), "{track}");
            assert!(track.contains("Klimaatnota 2024"), "{track}");
        }
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------

fn multipart(fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "----structuur-grens-41";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts the document form at `path` (new or edit) as the logged-in editor.
async fn post_document(
    app: &TestApp,
    path: &str,
    programme: &str,
    werkspoor: &str,
) -> reqwest::Response {
    let html = app.page(path).await;
    let token = common::csrf_token(&html).unwrap();
    let (content_type, body) = multipart(&[
        ("title", "Een link naar een rapport"),
        ("summary", ""),
        ("doc_type", "link"),
        ("external_url", "https://example.org/rapport"),
        ("programme", programme),
        ("werkspoor", werkspoor),
        ("doc_date", "2025-04-01"),
        ("language", "nl"),
        ("access", "publiek"),
    ]);
    app.client
        .post(app.url(&format!("{path}?_csrf={token}")))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

const NEW: &str = "/beheer/kennisbank/documenten/nieuw";

#[tokio::test]
async fn the_form_chooses_from_the_plan_and_every_write_refuses_the_rest() {
    each_kb_app(|app, w| async move {
        // Before anything is published: a programme cannot be chosen at all.
        let mut tx = w.db.begin().await.unwrap();
        let refused = documents::create(
            &mut tx,
            &DocumentFields {
                title: "Te vroeg".into(),
                doc_type: "link".into(),
                access: "publiek".into(),
                external_url: Some("https://example.org/x".into()),
                programme: Some("Klimaat".into()),
                ..DocumentFields::default()
            },
            None,
            &w.editor.audit(),
        )
        .await;
        tx.rollback().await.unwrap();
        match refused {
            Err(CoreError::Invalid(errors)) => {
                assert_eq!(errors[0].field, "programme");
                assert!(errors[0].message.contains("nog geen jaarplan gepubliceerd"), "{errors:?}");
            }
            other => panic!("{other:?}"),
        }

        let plans = structure(&w).await;
        common::login(&app, &w.editor).await;
        let form = app.page(NEW).await;
        assert!(form.contains("<optgroup label=\"Jaarplan 2025 (2025)\">"), "{form}");
        assert!(form.contains(&format!("<option value=\"{}\">2 · {OBMI_2025}</option>", plans.id("2025:2"))), "{form}");
        assert!(form.contains("<optgroup label=\"Klimaat · Jaarplan 2021 (2021)\">"), "{form}");
        assert!(!form.contains("list=\"programme-suggestions\""), "no free text");

        // An unknown programme, from the form or from the store (the API and imports).
        let response = post_document(&app, NEW, "Onbestaand programma", "").await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(
            html.contains("Het programma ‘Onbestaand programma’ bestaat niet in het gepubliceerde jaarplan"),
            "{html}"
        );
        let mut tx = w.db.begin().await.unwrap();
        let refused = documents::create(
            &mut tx,
            &DocumentFields {
                title: "Onbekend".into(),
                doc_type: "link".into(),
                access: "publiek".into(),
                external_url: Some("https://example.org/x".into()),
                programme: Some("Onbestaand programma".into()),
                werkspoor: Some("Ook onbestaand".into()),
                ..DocumentFields::default()
            },
            None,
            &w.editor.audit(),
        )
        .await;
        tx.rollback().await.unwrap();
        let Err(CoreError::Invalid(errors)) = refused else {
            panic!("{refused:?}")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["programme", "werkspoor"], "{errors:?}");

        // A werkspoor that is not under the programme.
        let response = post_document(&app, NEW, &plans.id("2025:5"), &plans.id("2025:2.1")).await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(
            html.contains("Het werkspoor ‘GDPR’ hoort niet bij het programma ‘Klimaat’"),
            "{html}"
        );
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kb_documents")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(count, 0, "nothing stored");

        // Only a werkspoor: it brings its programme.
        let response = post_document(&app, NEW, "", &plans.id("2025:2.1")).await;
        assert_eq!(response.status(), 303);
        let edit = response.headers()["location"].to_str().unwrap().to_string();
        let id = edit.rsplit('/').next().unwrap().to_string();
        let (programme_id, programme, werkspoor_id, _) = link(&app.db, &id).await;
        assert_eq!(programme_id, Some(plans.id("2025:2")));
        assert_eq!(programme.as_deref(), Some(OBMI_2025));
        assert_eq!(werkspoor_id, Some(plans.id("2025:2.1")));
        let form = app.page(&edit).await;
        assert!(form.contains(&format!("<option value=\"{}\" selected>", plans.id("2025:2"))), "{form}");

        // A document whose old text matched nothing: shown as not linked, kept when saved
        // again, and gone when the editor chooses "geen programma".
        let old = legacy(&app.db, "Armoedebarometer", "publiek", Some("Armoede"), None, "2016-01-01").await;
        let edit = format!("/beheer/kennisbank/documenten/{old}");
        let form = app.page(&edit).await;
        assert!(
            form.contains("<option value=\"Armoede\" selected>‘Armoede’ (niet gekoppeld, oude waarde)</option>"),
            "{form}"
        );
        let public = app.page("/kennisbank/documenten/armoedebarometer").await;
        assert!(public.contains("Armoede (niet gekoppeld)"), "editors see it: {public}");
        assert_eq!(post_document(&app, &edit, "Armoede", "").await.status(), 303);
        assert_eq!(link(&app.db, &old).await.1.as_deref(), Some("Armoede"));
        assert_eq!(post_document(&app, &edit, "", "").await.status(), 303);
        assert_eq!(link(&app.db, &old).await.1, None);
        assert_eq!(post_document(&app, &edit, "Armoede", "").await.status(), 422, "not again");
    })
    .await;
}

/// Issue 11 point 1: a doelstelling directly under a programme (the werkspoor level skipped, as
/// in the jaarplan's Communicatie chapter) sits at depth 1 but is no werkspoor: documents are
/// not filed under it.
#[tokio::test]
async fn a_doelstelling_under_a_programme_is_not_offered_as_a_werkspoor() {
    each_kb_app(|_app, w| async move {
        let plans = structure(&w).await;
        let klimaat = plans.id("2025:5");
        let p2025 = items::get(w.db.pool(), &klimaat).await.unwrap().plan_id;
        let mut tx = w.db.begin().await.unwrap();
        items::create(
            &mut tx,
            &p2025,
            Some(&klimaat),
            &ItemFields {
                code: "5.D1".into(),
                title: "Een doelstelling zonder werkspoor".into(),
                level: "Doelstelling".into(),
                ..ItemFields::default()
            },
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let structure = Structure::read(&w.db).await.unwrap();
        let werksporen: Vec<&str> = structure
            .werksporen_of(&klimaat)
            .iter()
            .map(|i| i.code.as_str())
            .collect();
        assert_eq!(werksporen, vec!["5.1"]);
        assert!(structure
            .find("Een doelstelling zonder werkspoor", WERKSPOOR, None, None)
            .is_none());
    })
    .await;
}
