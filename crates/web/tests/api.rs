//! The JSON API under /api/v1: token authentication and scope, problem documents, pagination,
//! the core endpoints, and the OpenAPI document's coverage of every route. Every test runs on
//! SQLite and (with TEST_DATABASE_URL) PostgreSQL, against a real server over TCP.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Json;
use reqwest::header::{CONTENT_TYPE, LINK, WWW_AUTHENTICATE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use steden_core::api_token::{self, NewApiToken};
use steden_core::audit::{self, AuditActor};
use steden_core::policy::{Actor, OrgRole, UserActor};
use steden_core::role::Role;
use steden_core::user::{self, NewUser};
use steden_core::{membership, org};
use steden_db::Db;
use steden_testkit::{each_app, each_app_with, TestApp};
use steden_web::api::ApiActor;
use steden_web::app::AppState;
use steden_web::Module;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

const PROBLEM: &str = "application/problem+json";

/// The seeded organisations and a user who is beheerder of Gent and lezer of Aalst.
struct Fixture {
    gent: String,
    aalst: String,
    user_id: String,
}

async fn fixture(db: &Db) -> Fixture {
    org::seed_defaults(db).await.unwrap();
    let gent = org::find_by_slug(db.pool(), "gent")
        .await
        .unwrap()
        .unwrap()
        .id;
    let aalst = org::find_by_slug(db.pool(), "aalst")
        .await
        .unwrap()
        .unwrap()
        .id;
    let system = AuditActor::system();
    let mut tx = db.begin().await.unwrap();
    let u = user::create(
        &mut tx,
        NewUser {
            email: "beheer@gent.be",
            name: "Bea Heerder",
            password: None,
            platform_admin: false,
        },
        &system,
    )
    .await
    .unwrap();
    membership::set_role(&mut tx, &u.id, &gent, Role::Beheerder, &system)
        .await
        .unwrap();
    membership::set_role(&mut tx, &u.id, &aalst, Role::Lezer, &system)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    Fixture {
        gent,
        aalst,
        user_id: u.id,
    }
}

impl Fixture {
    /// A token of the fixture's user, created through the core store; returns the plaintext.
    async fn token(&self, db: &Db, organisation_id: &str, role: Role, modules: &[&str]) -> String {
        let creator = Actor::User(UserActor {
            user_id: self.user_id.clone(),
            platform_admin: false,
            memberships: vec![
                OrgRole {
                    organisation_id: self.gent.clone(),
                    role: Role::Beheerder,
                },
                OrgRole {
                    organisation_id: self.aalst.clone(),
                    role: Role::Lezer,
                },
            ],
        });
        let mut tx = db.begin().await.unwrap();
        let created = api_token::create(
            &mut tx,
            &creator,
            &NewApiToken {
                name: "Test",
                organisation_id,
                modules: modules.iter().map(|m| m.to_string()).collect(),
                role,
                expires_at: None,
            },
            &["probe", "plan"],
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        created.plaintext
    }
}

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app.client.request(method, app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

/// Asserts that `response` is a problem document with `status`, and returns it.
async fn problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(content_type, PROBLEM);
    let path = response.url().path().to_string();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(
        body["type"].as_str().unwrap().starts_with("https://") || body["type"] == "about:blank"
    );
    assert!(!body["title"].as_str().unwrap().is_empty());
    assert_eq!(body["instance"], path);
    body
}

async fn org_name(db: &Db, id: &str) -> String {
    org::get(db.pool(), id).await.unwrap().name
}

#[tokio::test]
async fn missing_or_bad_tokens_get_401_problems() {
    each_app(|app| async move {
        let f = fixture(&app.db).await;
        let good = f.token(&app.db, &f.gent, Role::Lezer, &["core"]).await;

        let response = call(&app, Method::GET, "/api/v1/me", None, None).await;
        assert_eq!(response.headers()[WWW_AUTHENTICATE], "Bearer");
        let body = problem(response, 401).await;
        assert_eq!(
            body["type"],
            "https://stedenplatform.be/problemen/niet-aangemeld"
        );
        assert_eq!(body["title"], "Niet aangemeld");

        for bad in ["stp_onzin", "onzin", &good[..good.len() - 1]] {
            let response = call(&app, Method::GET, "/api/v1/me", Some(bad), None).await;
            assert_eq!(response.headers()[WWW_AUTHENTICATE], "Bearer");
            problem(response, 401).await;
        }
        // Another scheme is not a bearer token.
        let response = app
            .client
            .get(app.url("/api/v1/me"))
            .header("Authorization", format!("Basic {good}"))
            .send()
            .await
            .unwrap();
        problem(response, 401).await;
        // The API does not use a session cookie: no Set-Cookie on API responses.
        let response = call(&app, Method::GET, "/api/v1/me", Some(&good), None).await;
        assert_eq!(response.status(), 200);
        assert!(response.headers().get("set-cookie").is_none());

        // A revoked token stops working at once.
        let token_id = call(&app, Method::GET, "/api/v1/me", Some(&good), None)
            .await
            .json::<Value>()
            .await
            .unwrap()["token"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let mut tx = app.db.begin().await.unwrap();
        api_token::revoke(&mut tx, &Actor::System, &token_id)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        problem(
            call(&app, Method::GET, "/api/v1/me", Some(&good), None).await,
            401,
        )
        .await;
    })
    .await;
}

#[tokio::test]
async fn me_describes_the_token() {
    each_app(|app| async move {
        let f = fixture(&app.db).await;
        let token = f
            .token(&app.db, &f.gent, Role::Redacteur, &["core", "plan"])
            .await;
        let response = call(&app, Method::GET, "/api/v1/me", Some(&token), None).await;
        assert_eq!(response.status(), 200);
        assert!(response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        let me: Value = response.json().await.unwrap();
        assert_eq!(me["user"]["id"], f.user_id.as_str());
        assert_eq!(me["user"]["name"], "Bea Heerder");
        assert_eq!(me["organisation"]["id"], f.gent.as_str());
        assert_eq!(me["organisation"]["slug"], "gent");
        assert_eq!(me["organisation"]["kind"], "centrumstad");
        assert_eq!(me["organisation"]["refnis"], "44021");
        assert_eq!(me["token"]["role"], "redacteur");
        assert_eq!(me["token"]["modules"], json!(["core", "plan"]));
        // Timestamps as RFC 3339 in UTC.
        let created = me["organisation"]["created_at"].as_str().unwrap();
        assert!(created.ends_with('Z'), "{created}");
        chrono::DateTime::parse_from_rfc3339(created).unwrap();
    })
    .await;
}

#[tokio::test]
async fn tokens_stay_within_their_module_and_organisation() {
    each_app(|app| async move {
        let f = fixture(&app.db).await;
        // Without the core module: 403 on every core route.
        let plan_only = f.token(&app.db, &f.gent, Role::Beheerder, &["plan"]).await;
        for path in ["/api/v1/me", "/api/v1/organisations", "/api/v1/audit"] {
            let body = problem(
                call(&app, Method::GET, path, Some(&plan_only), None).await,
                403,
            )
            .await;
            assert!(
                body["detail"].as_str().unwrap().contains("core"),
                "{path}: {body}"
            );
        }

        // A beheerder of Gent may not rename Aalst; nothing changes.
        let gent_admin = f.token(&app.db, &f.gent, Role::Beheerder, &["core"]).await;
        let path = format!("/api/v1/organisations/{}", f.aalst);
        let response = call(
            &app,
            Method::PATCH,
            &path,
            Some(&gent_admin),
            Some(json!({"name": "Aalst!"})),
        )
        .await;
        problem(response, 403).await;
        assert_eq!(org_name(&app.db, &f.aalst).await, "Aalst");

        // Neither may a token of Aalst whose creator is only lezer there, whatever it asks.
        let aalst_reader = f.token(&app.db, &f.aalst, Role::Lezer, &["core"]).await;
        let response = call(
            &app,
            Method::PATCH,
            &path,
            Some(&aalst_reader),
            Some(json!({"name": "Aalst!"})),
        )
        .await;
        problem(response, 403).await;
        // A redacteur token of Gent is not a beheerder either.
        let gent_editor = f.token(&app.db, &f.gent, Role::Redacteur, &["core"]).await;
        let path = format!("/api/v1/organisations/{}", f.gent);
        let response = call(
            &app,
            Method::PATCH,
            &path,
            Some(&gent_editor),
            Some(json!({"name": "Gent!"})),
        )
        .await;
        problem(response, 403).await;
        assert_eq!(org_name(&app.db, &f.gent).await, "Gent");
        // The audit trail is for beheerders too.
        problem(
            call(&app, Method::GET, "/api/v1/audit", Some(&gent_editor), None).await,
            403,
        )
        .await;
    })
    .await;
}

#[tokio::test]
async fn lists_are_paginated_with_an_envelope_and_link_header() {
    each_app(|app| async move {
        let f = fixture(&app.db).await;
        let token = f.token(&app.db, &f.gent, Role::Lezer, &["core"]).await;
        let total = org::list(app.db.pool()).await.unwrap().len();
        assert_eq!(total, 16);

        let response = call(
            &app,
            Method::GET,
            "/api/v1/organisations?per_page=5",
            Some(&token),
            None,
        )
        .await;
        assert_eq!(response.status(), 200);
        let link = response.headers()[LINK].to_str().unwrap().to_string();
        let page: Value = response.json().await.unwrap();
        assert_eq!(page["page"], 1);
        assert_eq!(page["per_page"], 5);
        assert_eq!(page["total"], 16);
        assert_eq!(page["items"].as_array().unwrap().len(), 5);
        assert!(
            link.contains("</api/v1/organisations?page=1&per_page=5>; rel=\"first\""),
            "{link}"
        );
        assert!(
            link.contains("</api/v1/organisations?page=2&per_page=5>; rel=\"next\""),
            "{link}"
        );
        assert!(
            link.contains("</api/v1/organisations?page=4&per_page=5>; rel=\"last\""),
            "{link}"
        );
        assert!(!link.contains("rel=\"prev\""), "{link}");

        // Following the pages yields every organisation exactly once, ordered by name.
        let mut seen = Vec::new();
        for n in 1..=4 {
            let path = format!("/api/v1/organisations?per_page=5&page={n}");
            let page: Value = call(&app, Method::GET, &path, Some(&token), None)
                .await
                .json()
                .await
                .unwrap();
            for item in page["items"].as_array().unwrap() {
                seen.push(item["name"].as_str().unwrap().to_string());
            }
        }
        assert_eq!(seen.len(), 16);
        assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 16);
        let response = call(
            &app,
            Method::GET,
            "/api/v1/organisations?per_page=5&page=4",
            Some(&token),
            None,
        )
        .await;
        let link = response.headers()[LINK].to_str().unwrap().to_string();
        assert!(link.contains("page=3&per_page=5>; rel=\"prev\""), "{link}");
        assert!(!link.contains("rel=\"next\""), "{link}");

        // A filter is kept in the links and counted in the total.
        let response = call(
            &app,
            Method::GET,
            "/api/v1/organisations?kind=centrumstad&per_page=10",
            Some(&token),
            None,
        )
        .await;
        let link = response.headers()[LINK].to_str().unwrap().to_string();
        let page: Value = response.json().await.unwrap();
        assert_eq!(page["total"], 13);
        assert!(page["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["kind"] == "centrumstad"));
        assert!(
            link.contains("kind=centrumstad&page=2&per_page=10>; rel=\"next\""),
            "{link}"
        );

        // Limits are enforced with a problem naming the parameter.
        for (query, field) in [
            ("per_page=201", "per_page"),
            ("per_page=0", "per_page"),
            ("page=0", "page"),
            ("page=twee", "page"),
            ("kind=stad", "kind"),
        ] {
            let path = format!("/api/v1/organisations?{query}");
            let body = problem(
                call(&app, Method::GET, &path, Some(&token), None).await,
                400,
            )
            .await;
            assert_eq!(body["errors"][0]["field"], field, "{query}");
            assert!(!body["errors"][0]["message"].as_str().unwrap().is_empty());
        }
        let ok = call(
            &app,
            Method::GET,
            "/api/v1/organisations?per_page=200",
            Some(&token),
            None,
        )
        .await;
        assert_eq!(ok.status(), 200);
    })
    .await;
}

#[tokio::test]
async fn organisation_shows_current_refnis_and_history() {
    each_app(|app| async move {
        let f = fixture(&app.db).await;
        let token = f.token(&app.db, &f.gent, Role::Lezer, &["core"]).await;
        let hasselt = org::find_by_slug(app.db.pool(), "hasselt")
            .await
            .unwrap()
            .unwrap();
        let path = format!("/api/v1/organisations/{}", hasselt.id);
        let body: Value = call(&app, Method::GET, &path, Some(&token), None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(body["name"], "Hasselt");
        // After the merger with Kortessem on 1 January 2025.
        assert_eq!(body["refnis"], "71072");
        let codes = body["codes"].as_array().unwrap();
        assert_eq!(codes.len(), 2);
        let old = codes.iter().find(|c| c["code"] == "71022").unwrap();
        assert_eq!(old["valid_until"], "2024-12-31");
        assert_eq!(old["valid_from"], Value::Null);
        assert_eq!(old["current"], false);
        let new = codes.iter().find(|c| c["code"] == "71072").unwrap();
        assert_eq!(new["valid_from"], "2025-01-01");
        assert_eq!(new["current"], true);

        let body = problem(
            call(
                &app,
                Method::GET,
                "/api/v1/organisations/bestaat-niet",
                Some(&token),
                None,
            )
            .await,
            404,
        )
        .await;
        assert_eq!(
            body["type"],
            "https://stedenplatform.be/problemen/niet-gevonden"
        );
    })
    .await;
}

#[tokio::test]
async fn patch_validates_then_writes_with_an_audit_entry() {
    each_app(|app| async move {
        let f = fixture(&app.db).await;
        let token = f.token(&app.db, &f.gent, Role::Beheerder, &["core"]).await;
        let path = format!("/api/v1/organisations/{}", f.gent);
        let entries_before = audit::history(&app.db, "organisation", &f.gent)
            .await
            .unwrap()
            .len();

        // Invalid input: 422 with the field named in Dutch, and nothing written.
        for (body, field) in [
            (json!({"name": "   "}), "name"),
            (json!({"name": "x".repeat(201)}), "name"),
            (json!({"name": 42}), "name"),
            (json!({"name": "Gent", "kind": "partner"}), "kind"),
        ] {
            let response = call(&app, Method::PATCH, &path, Some(&token), Some(body.clone())).await;
            let problem = problem(response, 422).await;
            assert_eq!(
                problem["type"],
                "https://stedenplatform.be/problemen/validatie"
            );
            assert_eq!(problem["errors"][0]["field"], field, "{body}");
            assert!(!problem["errors"][0]["message"].as_str().unwrap().is_empty());
        }
        // Malformed JSON: 400; not JSON at all: 415.
        let response = app
            .client
            .patch(app.url(&path))
            .bearer_auth(&token)
            .header(CONTENT_TYPE, "application/json")
            .body("{\"name\": ")
            .send()
            .await
            .unwrap();
        let body = problem(response, 400).await;
        assert!(body["detail"].as_str().unwrap().contains("JSON"));
        let response = app
            .client
            .patch(app.url(&path))
            .bearer_auth(&token)
            .header(CONTENT_TYPE, "text/plain")
            .body("name=Stad Gent")
            .send()
            .await
            .unwrap();
        problem(response, 415).await;
        assert_eq!(org_name(&app.db, &f.gent).await, "Gent");
        assert_eq!(
            audit::history(&app.db, "organisation", &f.gent)
                .await
                .unwrap()
                .len(),
            entries_before
        );

        // Valid: changed, with one audit entry naming the user and the token.
        let response = call(
            &app,
            Method::PATCH,
            &path,
            Some(&token),
            Some(json!({"name": "  Stad Gent "})),
        )
        .await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["name"], "Stad Gent");
        assert_eq!(org_name(&app.db, &f.gent).await, "Stad Gent");
        let history = audit::history(&app.db, "organisation", &f.gent)
            .await
            .unwrap();
        assert_eq!(history.len(), entries_before + 1);
        let entry = &history[0];
        assert_eq!(entry.action, "update");
        assert_eq!(entry.actor_user_id.as_deref(), Some(f.user_id.as_str()));
        assert!(entry.actor_token_id.is_some());
        assert_eq!(entry.changes["name"]["old"], "Gent");
        assert_eq!(entry.changes["name"]["new"], "Stad Gent");

        // The same name again changes nothing and records nothing.
        let response = call(
            &app,
            Method::PATCH,
            &path,
            Some(&token),
            Some(json!({"name": "Stad Gent"})),
        )
        .await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            audit::history(&app.db, "organisation", &f.gent)
                .await
                .unwrap()
                .len(),
            entries_before + 1
        );

        // The trail through the API shows the change, limited to the token's organisation.
        let response = call(
            &app,
            Method::GET,
            "/api/v1/audit?entity_type=organisation&per_page=200",
            Some(&token),
            None,
        )
        .await;
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(!items.is_empty());
        assert!(
            items
                .iter()
                .all(|e| e["organisation_id"] == f.gent.as_str()),
            "{page}"
        );
        assert!(items.iter().all(|e| e["entity_type"] == "organisation"));
        assert_eq!(
            items[0]["summary"],
            "Naam gewijzigd van Gent naar Stad Gent"
        );
        assert!(items[0]["at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(page["total"], items.len());

        // Date filters: today includes the change, a day long ago does not.
        let today = chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::Brussels)
            .date_naive();
        let path = format!("/api/v1/audit?entity_type=organisation&from={today}&until={today}");
        let page: Value = call(&app, Method::GET, &path, Some(&token), None)
            .await
            .json()
            .await
            .unwrap();
        assert!(page["total"].as_i64().unwrap() >= 1);
        let page: Value = call(
            &app,
            Method::GET,
            "/api/v1/audit?until=2000-01-01",
            Some(&token),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
        assert_eq!(page["total"], 0);
        let body = problem(
            call(
                &app,
                Method::GET,
                "/api/v1/audit?from=28/11/2026",
                Some(&token),
                None,
            )
            .await,
            400,
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "from");
        // An empty date is malformed (the document says `format: date`), not "no filter".
        let body = problem(
            call(
                &app,
                Method::GET,
                "/api/v1/audit?until=",
                Some(&token),
                None,
            )
            .await,
            400,
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "until");
        // Two valid dates that contradict each other: 422, as the document lists.
        let body = problem(
            call(
                &app,
                Method::GET,
                "/api/v1/audit?from=2026-02-01&until=2026-01-01",
                Some(&token),
                None,
            )
            .await,
            422,
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "until");
    })
    .await;
}

#[tokio::test]
async fn jobs_are_visible_to_their_organisation_only() {
    each_app(|app| async move {
        let f = fixture(&app.db).await;
        let token = f.token(&app.db, &f.gent, Role::Lezer, &["core"]).await;
        let ours = steden_db::jobs::enqueue(
            &app.db,
            steden_db::jobs::NewJob::new("test.noop", json!({})).organisation(f.gent.clone()),
        )
        .await
        .unwrap();
        let theirs = steden_db::jobs::enqueue(
            &app.db,
            steden_db::jobs::NewJob::new("test.noop", json!({})).organisation(f.aalst.clone()),
        )
        .await
        .unwrap();
        let response = call(
            &app,
            Method::GET,
            &format!("/api/v1/jobs/{ours}"),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(response.status(), 200);
        let job: Value = response.json().await.unwrap();
        assert_eq!(job["id"], ours.as_str());
        assert_eq!(job["kind"], "test.noop");
        assert!(["queued", "running", "done", "dead"].contains(&job["status"].as_str().unwrap()));
        assert!(job["progress"].is_object());
        assert!(job["created_at"].as_str().unwrap().ends_with('Z'));

        problem(
            call(
                &app,
                Method::GET,
                &format!("/api/v1/jobs/{theirs}"),
                Some(&token),
                None,
            )
            .await,
            404,
        )
        .await;
        // A job outside any organisation belongs to the user who started it.
        let mine = steden_db::jobs::enqueue(
            &app.db,
            steden_db::jobs::NewJob::new("test.noop", json!({})).created_by(f.user_id.clone()),
        )
        .await
        .unwrap();
        let someone_elses = steden_db::jobs::enqueue(
            &app.db,
            steden_db::jobs::NewJob::new("test.noop", json!({})).created_by("iemand-anders"),
        )
        .await
        .unwrap();
        let response = call(
            &app,
            Method::GET,
            &format!("/api/v1/jobs/{mine}"),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(response.status(), 200);
        problem(
            call(
                &app,
                Method::GET,
                &format!("/api/v1/jobs/{someone_elses}"),
                Some(&token),
                None,
            )
            .await,
            404,
        )
        .await;
        problem(
            call(
                &app,
                Method::GET,
                "/api/v1/jobs/bestaat-niet",
                Some(&token),
                None,
            )
            .await,
            404,
        )
        .await;
    })
    .await;
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    each_app(|app| async move {
        let f = fixture(&app.db).await;
        let token = f.token(&app.db, &f.gent, Role::Lezer, &["core"]).await;
        for path in [
            "/api/v1/bestaat-niet",
            "/api/v1",
            "/api/v1/",
            "/api/v1/organisations/x/y",
        ] {
            let body = problem(call(&app, Method::GET, path, Some(&token), None).await, 404).await;
            assert_eq!(
                body["type"], "https://stedenplatform.be/problemen/onbekende-route",
                "{path}"
            );
        }
        let response = call(&app, Method::DELETE, "/api/v1/me", Some(&token), None).await;
        assert!(response.headers()["allow"]
            .to_str()
            .unwrap()
            .contains("GET"));
        problem(response, 405).await;
        // Outside the API the site's own HTML 404 page still answers.
        let response = app.get("/bestaat-niet").await;
        assert_eq!(response.status(), 404);
        assert!(response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
    })
    .await;
}

// --- The OpenAPI document, with a module plugged in -------------------------------------------

/// A module with one documented route, one that panics, and one that is not documented.
struct Probe;

#[derive(serde::Serialize, utoipa::ToSchema)]
struct ProbeAnswer {
    organisation_id: String,
}

/// A route of the probe module.
#[utoipa::path(get, path = "/probe/ok", tag = "probe", security(("bearer" = [])),
    responses((status = 200, body = ProbeAnswer)))]
async fn probe_ok(client: ApiActor) -> Json<ProbeAnswer> {
    Json(ProbeAnswer {
        organisation_id: client.organisation_id().unwrap_or_default().to_string(),
    })
}

/// A route whose operation id collides with a core one; the document must stay valid.
#[utoipa::path(get, path = "/probe/me", operation_id = "get_me", tag = "probe",
    security(("bearer" = [])), responses((status = 200, body = ProbeAnswer)))]
async fn probe_me(client: ApiActor) -> Json<ProbeAnswer> {
    probe_ok(client).await
}

/// A route that panics.
#[utoipa::path(get, path = "/probe/panic", tag = "probe", responses((status = 500)))]
async fn probe_panic() -> &'static str {
    panic!("deliberate panic in a test handler")
}

impl Module for Probe {
    fn name(&self) -> &'static str {
        "probe"
    }

    fn api_routes(&self) -> OpenApiRouter<AppState> {
        OpenApiRouter::new()
            .routes(routes!(probe_ok))
            .routes(routes!(probe_panic))
            .routes(routes!(probe_me))
            // Registered without documentation: the API must refuse to serve it.
            .route("/probe/hidden", axum::routing::get(|| async { "hidden" }))
    }
}

/// Runs `test` against a server with the probe module, on each backend.
async fn each_app_with_probe<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    each_app_with(|| vec![Arc::new(Probe) as Arc<dyn Module>], test).await;
}

/// A concrete path for a documented path template.
fn concrete(path: &str, org_id: &str) -> String {
    path.replace("{id}", org_id)
}

#[tokio::test]
async fn openapi_document_covers_every_route_and_nothing_else() {
    each_app_with_probe(|app| async move {
        let f = fixture(&app.db).await;
        let token = f
            .token(&app.db, &f.gent, Role::Beheerder, &["core", "probe"])
            .await;

        let response = app.get("/api/v1/openapi.json").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        let doc: Value = response.json().await.unwrap();
        assert!(
            doc["openapi"].as_str().unwrap().starts_with("3."),
            "{}",
            doc["openapi"]
        );
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        assert!(doc["components"]["schemas"]["Problem"].is_object());
        let page_schemas: Vec<&String> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| k.starts_with("Page"))
            .collect();
        assert!(
            !page_schemas.is_empty(),
            "pagination envelope in the schemas"
        );

        let paths = doc["paths"].as_object().unwrap();
        // Every operation is grouped under its module (the first tag, described at the top)
        // and states the token scope it needs, in its description and in x-steden-scope.
        let tags: BTreeSet<&str> = doc["tags"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["description"].as_str().is_some_and(|d| !d.is_empty()))
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(tags, BTreeSet::from(["api", "core", "probe"]));
        for (path, item) in paths {
            for (method, op) in item.as_object().unwrap() {
                let tag = op["tags"][0].as_str().unwrap_or_default();
                let expected = if path.starts_with("/api/v1/probe/") {
                    "probe"
                } else if path.ends_with("/openapi.json") || path.ends_with("/docs") {
                    "api"
                } else {
                    "core"
                };
                assert_eq!(tag, expected, "{method} {path}: tag");
                let description = op["description"].as_str().unwrap_or_default();
                if expected == "api" {
                    assert_eq!(op["x-steden-scope"], Value::Null, "{method} {path}");
                    assert!(description.contains("Geen token nodig."), "{method} {path}");
                } else {
                    assert_eq!(op["x-steden-scope"], expected, "{method} {path}");
                    assert!(
                        description.contains(&format!("Vereiste scope: `{expected}`.")),
                        "{method} {path}: {description:?}"
                    );
                }
            }
        }
        let ids: Vec<&str> = paths
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .map(|op| op["operationId"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids.len(),
            ids.iter().collect::<BTreeSet<_>>().len(),
            "unique operation ids: {ids:?}"
        );
        let mut documented = BTreeSet::new();
        for (path, item) in paths {
            for method in item.as_object().unwrap().keys() {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
        // The routes we know the router serves are all in the document, the module's too.
        for expected in [
            ("GET", "/api/v1/me"),
            ("GET", "/api/v1/organisations"),
            ("GET", "/api/v1/organisations/{id}"),
            ("PATCH", "/api/v1/organisations/{id}"),
            ("GET", "/api/v1/audit"),
            ("GET", "/api/v1/jobs/{id}"),
            ("GET", "/api/v1/openapi.json"),
            ("GET", "/api/v1/docs"),
            ("GET", "/api/v1/probe/ok"),
            ("GET", "/api/v1/probe/panic"),
            ("GET", "/api/v1/probe/me"),
        ] {
            assert!(
                documented.contains(&(expected.0.to_string(), expected.1.to_string())),
                "{expected:?} missing"
            );
        }
        // Every documented operation answers: not 405 and not the unknown-route problem.
        for (method, path) in &documented {
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let body = (method == Method::PATCH || method == Method::POST || method == Method::PUT)
                .then(|| json!({}));
            let response = call(
                &app,
                method.clone(),
                &concrete(path, &f.gent),
                Some(&token),
                body,
            )
            .await;
            let status = response.status();
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            if status == StatusCode::NOT_FOUND {
                let body: Value = response.json().await.unwrap();
                assert_ne!(
                    body["type"], "https://stedenplatform.be/problemen/onbekende-route",
                    "{method} {path}"
                );
            }
        }
        // A route the module registered without documenting it is not served.
        assert!(!paths.contains_key("/api/v1/probe/hidden"));
        let body = problem(
            call(
                &app,
                Method::GET,
                "/api/v1/probe/hidden",
                Some(&token),
                None,
            )
            .await,
            404,
        )
        .await;
        assert_eq!(
            body["type"],
            "https://stedenplatform.be/problemen/onbekende-route"
        );

        // The human-readable page lists the operations.
        let html = app.page("/api/v1/docs").await;
        assert!(html.contains("/api/v1/organisations/{id}"));
        assert!(html.contains("PATCH"));
        assert!(html.contains("/api/v1/probe/ok"));
        assert!(html.contains("Vereiste scope"));
        assert!(html.contains("<code>probe</code>"));
        assert!(html.contains("geen token nodig"));
    })
    .await;
}

#[tokio::test]
async fn module_routes_check_the_module_scope_and_panics_become_500_problems() {
    each_app_with_probe(|app| async move {
        let f = fixture(&app.db).await;
        let probe = f.token(&app.db, &f.gent, Role::Lezer, &["probe"]).await;
        let core = f.token(&app.db, &f.gent, Role::Lezer, &["core"]).await;

        let response = call(&app, Method::GET, "/api/v1/probe/ok", Some(&probe), None).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["organisation_id"], f.gent.as_str());
        let body = problem(
            call(&app, Method::GET, "/api/v1/probe/ok", Some(&core), None).await,
            403,
        )
        .await;
        assert!(body["detail"].as_str().unwrap().contains("probe"));
        // ... and the probe token has no business with the core routes.
        problem(
            call(&app, Method::GET, "/api/v1/me", Some(&probe), None).await,
            403,
        )
        .await;

        let body = problem(
            call(&app, Method::GET, "/api/v1/probe/panic", None, None).await,
            500,
        )
        .await;
        assert_eq!(
            body["type"],
            "https://stedenplatform.be/problemen/interne-fout"
        );
        assert!(
            !body.to_string().contains("deliberate"),
            "the panic message is not shown"
        );
        // The server survives.
        assert_eq!(
            call(&app, Method::GET, "/api/v1/probe/ok", Some(&probe), None)
                .await
                .status(),
            200
        );
    })
    .await;
}
