//! Search across plans (issue 11, point 6), on SQLite and PostgreSQL: only plans the user may
//! read, codes before titles before descriptions, case-insensitive also for accented letters,
//! wildcards taken literally, each hit with its plan and path; the page (Dutch messages, pages
//! of 20) and the API (problems for a bad `q`, the OpenAPI document).

use crate::common;

use common::*;
use serde_json::Value;
use steden_core::api_token::{self, NewApiToken};
use steden_core::role::Role;
use steden_plan::model::Plan;
use steden_plan::search::{self, Query};
use steden_plan::store::items::ItemFields;
use steden_plan::store::plans::{self, PlanFields};

/// A second Gent plan, for a later period (so it comes first among plans).
async fn later_plan(w: &World) -> Plan {
    let mut tx = w.db.begin().await.unwrap();
    let plan = plans::create(
        &mut tx,
        &w.gent,
        &PlanFields {
            period_start: "2027-01-01".into(),
            period_end: "2027-12-31".into(),
            kind: "jaarplan".into(),
            ..plan_fields("Jaarplan Gent 2027")
        },
        &bbc_levels(),
        false,
        &w.editor.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    plan
}

fn described(code: &str, title: &str, description: &str) -> ItemFields {
    ItemFields {
        description: description.into(),
        ..item_fields(code, title)
    }
}

async fn codes(w: &World, who: &Person, q: &str) -> Vec<String> {
    let query = Query::parse(q).unwrap();
    search::run(&w.db, &who.actor, &query, 100, 0)
        .await
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.code)
        .collect()
}

#[tokio::test]
async fn search_finds_codes_titles_and_descriptions_in_readable_plans_only() {
    each_plan_app(|_app, w| async move {
        let sp = small_plan(&w).await;
        let later = later_plan(&w).await;
        let e = &w.editor;
        add_item(
            &w.db,
            &later,
            None,
            described(
                "X1",
                "Opvolging",
                "Vervolg op AC010101 en de renovatiepremie.",
            ),
            e,
        )
        .await;
        add_item(
            &w.db,
            &later,
            None,
            item_fields("X2", "Één loket voor ondernemers"),
            e,
        )
        .await;
        let antwerpen = create_plan(&w.db, &w.antwerpen, "Plan Antwerpen", &w.outsider).await;
        add_item(
            &w.db,
            &antwerpen,
            None,
            item_fields("A1", "Renovatie van scholen"),
            &w.outsider,
        )
        .await;

        // Titles and descriptions, case-insensitive; Antwerpen's plan stays out of sight.
        let found = codes(&w, &w.reader, "RENOVATIE").await;
        for code in ["AP0201", "AC020101", "X1"] {
            assert!(found.contains(&code.to_string()), "{found:?}");
        }
        assert!(!found.contains(&"A1".to_string()), "{found:?}");
        assert_eq!(codes(&w, &w.outsider, "renovatie").await, vec!["A1"]);

        // The exact code first, although its plan is the older one; then the mention.
        assert_eq!(
            codes(&w, &w.member, "ac010101").await,
            vec!["AC010101", "X1"]
        );
        // Codes that start with the search before titles.
        let found = codes(&w, &w.reader, "AP01").await;
        assert_eq!(found, vec!["AP0101", "AP0102"]);

        // Every word must occur somewhere.
        assert_eq!(
            codes(&w, &w.reader, "renovatie woningen").await,
            vec!["AP0201"]
        );

        // Accented capitals are found in any case, on both backends.
        assert_eq!(codes(&w, &w.reader, "één").await, vec!["X2"]);
        assert_eq!(codes(&w, &w.reader, "ÉÉN LOKET").await, vec!["X2"]);

        // LIKE's wildcards are taken literally.
        assert!(codes(&w, &w.reader, "__").await.is_empty());
        assert!(codes(&w, &w.reader, "%%").await.is_empty());

        // Each hit has its plan, level, path and page.
        let query = Query::parse("renovatiepremie").unwrap();
        let results = search::run(&w.db, &w.reader.actor, &query, 10, 0)
            .await
            .unwrap();
        assert_eq!(results.total, 2);
        let hit = results.hits.iter().find(|h| h.code == "AC020101").unwrap();
        assert_eq!(hit.plan_title, sp.plan.title);
        assert_eq!(hit.level, "Actie");
        let path: Vec<&str> = hit.path.iter().map(|s| s.code.as_str()).collect();
        assert_eq!(path, vec!["BD02", "AP0201"]);
        assert_eq!(hit.path[0].title, "Een klimaatneutrale stad");
        assert_eq!(
            hit.url,
            format!("/plannen/{}/items/{}", sp.plan.id, sp.ac020101.id)
        );
    })
    .await;
}

#[tokio::test]
async fn the_search_page_shows_hits_with_their_path_in_pages() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        for n in 0..25 {
            add_item(
                &w.db,
                &sp.plan,
                Some(&sp.ap0102),
                item_fields(&format!("FP{n:02}"), &format!("Fietspad <b>{n}</b>")),
                &w.editor,
            )
            .await;
        }
        let antwerpen = create_plan(&w.db, &w.antwerpen, "Plan Antwerpen", &w.outsider).await;
        add_item(
            &w.db,
            &antwerpen,
            None,
            item_fields("A1", "Fietspad Antwerpen"),
            &w.outsider,
        )
        .await;

        login(&app, &w.reader).await;
        // The plan list offers the search.
        let list = app.page("/plannen").await;
        assert!(list.contains("action=\"/plannen/zoeken\""), "{list}");
        // Without a search: the form, no message.
        let html = app.page("/plannen/zoeken").await;
        assert!(html.contains("name=\"q\""), "{html}");
        assert!(!html.contains("field-error"), "{html}");

        // Empty and too short: a Dutch message beside the field.
        let response = app.get("/plannen/zoeken?q=+").await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(
            html.contains("Typ een code of een woord om te zoeken."),
            "{html}"
        );
        let response = app.get("/plannen/zoeken?q=f").await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(
            html.contains("Typ minstens 2 tekens om te zoeken."),
            "{html}"
        );

        let html = app.page("/plannen/zoeken?q=fietspad").await;
        assert!(html.contains("25 resultaten voor"), "{html}");
        assert!(!html.contains("Antwerpen"), "{html}");
        assert_eq!(html.matches("class=\"plan-search-hit\"").count(), 20);
        // The word found is marked, the title escaped; plan and path shown; link to the item.
        assert!(
            html.contains("<mark>Fietspad</mark> &#60;b&#62;0&#60;/b&#62;")
                || html.contains("<mark>Fietspad</mark> &lt;b&gt;0&lt;/b&gt;"),
            "{html}"
        );
        assert!(html.contains(&sp.plan.title), "{html}");
        assert!(html.contains("BD01 Een wendbare stad"), "{html}");
        assert!(html.contains("AP0102 Open data"), "{html}");
        assert!(
            html.contains(&format!("href=\"/plannen/{}/items/", sp.plan.id)),
            "{html}"
        );
        assert!(
            html.contains("/plannen/zoeken?q=fietspad&#38;pagina=2")
                || html.contains("/plannen/zoeken?q=fietspad&amp;pagina=2"),
            "{html}"
        );

        let html = app.page("/plannen/zoeken?q=fietspad&pagina=2").await;
        assert_eq!(html.matches("class=\"plan-search-hit\"").count(), 5);
        // Past the end: the last page.
        let html = app.page("/plannen/zoeken?q=fietspad&pagina=99").await;
        assert_eq!(html.matches("class=\"plan-search-hit\"").count(), 5);

        let html = app.page("/plannen/zoeken?q=onbestaand").await;
        assert!(html.contains("Niets gevonden."), "{html}");

        // Not for visitors.
        let anonymous = TestApp::new_client();
        let response = anonymous
            .get(app.url("/plannen/zoeken?q=fietspad"))
            .send()
            .await
            .unwrap();
        assert_ne!(response.status(), 200);
    })
    .await;
}

async fn token(app: &TestApp, person: &Person, org: &str, role: Role) -> String {
    let mut tx = app.db.begin().await.unwrap();
    let created = api_token::create(
        &mut tx,
        &person.actor,
        &NewApiToken {
            name: "zoeken",
            organisation_id: org,
            modules: vec!["plan".to_string()],
            role,
            expires_at: None,
        },
        &["core", "plan"],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    created.plaintext
}

async fn api_get(app: &TestApp, path: &str, token: &str) -> (u16, Value) {
    let response = app
        .client
        .get(app.url(&format!("/api/v1{path}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn the_search_api_answers_pages_of_hits_and_problems() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        let antwerpen = create_plan(&w.db, &w.antwerpen, "Plan Antwerpen", &w.outsider).await;
        add_item(
            &w.db,
            &antwerpen,
            None,
            item_fields("A1", "Renovatie van scholen"),
            &w.outsider,
        )
        .await;
        let reader = token(&app, &w.reader, &w.gent, Role::Lezer).await;
        let outsider = token(&app, &w.outsider, &w.antwerpen, Role::Redacteur).await;

        let (status, body) = api_get(&app, "/plan/search?q=renovatie&per_page=1", &reader).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["total"], 2, "{body}");
        assert_eq!(body["per_page"], 1);
        let hit = &body["items"][0];
        assert_eq!(hit["code"], "AP0201", "{body}");
        assert_eq!(hit["plan_id"], sp.plan.id.as_str());
        assert_eq!(hit["plan_title"], sp.plan.title.as_str());
        assert_eq!(hit["level"], "Actieplan");
        assert_eq!(hit["path"][0]["code"], "BD02");
        assert!(hit["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/plannen/{}/items/{}", sp.plan.id, sp.ap0201.id)));
        let (_, body) = api_get(&app, "/plan/search?q=renovatie&per_page=1&page=2", &reader).await;
        assert_eq!(body["items"][0]["code"], "AC020101", "{body}");

        let (status, body) = api_get(&app, "/plan/search?q=renovatie", &outsider).await;
        assert_eq!(status, 200);
        assert_eq!(body["total"], 1, "{body}");
        assert_eq!(body["items"][0]["code"], "A1");

        // Problems: no q or too long (400), too short (422), paging out of bounds (400).
        for (path, want, field) in [
            ("/plan/search", 400, "q"),
            (&*format!("/plan/search?q={}", "x".repeat(201)), 400, "q"),
            ("/plan/search?q=a", 422, "q"),
            ("/plan/search?q=%20%20", 422, "q"),
            ("/plan/search?q=renovatie&per_page=0", 400, "per_page"),
            ("/plan/search?q=renovatie&page=0", 400, "page"),
        ] {
            let (status, body) = api_get(&app, path, &reader).await;
            assert_eq!(status, want, "{path}: {body}");
            assert_eq!(body["errors"][0]["field"], field, "{path}: {body}");
        }

        // The OpenAPI document states the parameter and its bounds.
        let document: Value = app
            .client
            .get(app.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let operation = &document["paths"]["/api/v1/plan/search"]["get"];
        let operation = if operation.is_null() {
            &document["paths"]["/plan/search"]["get"]
        } else {
            operation
        };
        let q = operation["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "q")
            .unwrap_or_else(|| panic!("{operation}"));
        assert_eq!(q["required"], true, "{q}");
        assert_eq!(q["schema"]["minLength"], 1, "{q}");
        assert_eq!(q["schema"]["maxLength"], 200, "{q}");
        for status in ["200", "400", "401", "403", "422"] {
            assert!(
                operation["responses"].get(status).is_some(),
                "{status}: {operation}"
            );
        }
    })
    .await;
}
