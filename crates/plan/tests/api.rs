//! The plan module's JSON API with real tokens, on SQLite and PostgreSQL: reading plans and
//! items, creating and updating items (editors), progress updates and measurements (editors
//! and owners), releases; scopes, roles and organisations enforced; problem documents.

use crate::common;

use common::*;
use serde_json::{json, Value};
use steden_core::api_token::{self, NewApiToken};
use steden_core::role::Role;

pub(crate) async fn token(
    app: &TestApp,
    person: &Person,
    org: &str,
    role: Role,
    modules: &[&str],
) -> String {
    let mut tx = app.db.begin().await.unwrap();
    let created = api_token::create(
        &mut tx,
        &person.actor,
        &NewApiToken {
            name: "test",
            organisation_id: org,
            modules: modules.iter().map(|m| m.to_string()).collect(),
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

pub(crate) async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let url = app.url(&format!("/api/v1{path}"));
    let request = match method {
        "GET" => app.client.get(url),
        "POST" => app.client.post(url),
        "PATCH" => app.client.patch(url),
        _ => unreachable!(),
    }
    .bearer_auth(token);
    let request = match body {
        Some(body) => request.json(&body),
        None => request,
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn read_write_and_report_through_the_api() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        let editor = token(&app, &w.editor, &w.gent, Role::Redacteur, &["plan"]).await;
        let member = token(&app, &w.member, &w.gent, Role::Lid, &["plan"]).await;
        let reader = token(&app, &w.reader, &w.gent, Role::Lezer, &["plan"]).await;
        let outsider = token(&app, &w.outsider, &w.antwerpen, Role::Redacteur, &["plan"]).await;
        let core_only = token(&app, &w.editor, &w.gent, Role::Redacteur, &["core"]).await;

        // Reading.
        let (status, body) = call(&app, "GET", "/plan/plans", &reader, None).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["total"], 1);
        assert_eq!(body["items"][0]["title"], "Meerjarenplan Gent 2026-2031");
        // The list gives the levels like the detail (issue 11 point 8).
        assert_eq!(body["items"][0]["levels"], json!(["Beleidsdoelstelling", "Actieplan", "Actie"]));
        let (status, body) = call(&app, "GET", &format!("/plan/plans/{}", p.plan.id), &reader, None).await;
        assert_eq!(status, 200);
        assert_eq!(body["levels"], json!(["Beleidsdoelstelling", "Actieplan", "Actie"]));
        let (status, body) = call(&app, "GET", &format!("/plan/plans/{}/items?per_page=3", p.plan.id), &reader, None).await;
        assert_eq!(status, 200);
        assert_eq!(body["total"], 9);
        let codes: Vec<&str> = body["items"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["BD01", "AP0101", "AC010101"]);
        let (_, body) = call(&app, "GET", &format!("/plan/plans/{}/items?code=AP0102", p.plan.id), &reader, None).await;
        assert_eq!(body["items"][0]["level"], "Actieplan");
        // Other organisation: not found; token without the module: forbidden.
        let (status, body) = call(&app, "GET", &format!("/plan/plans/{}", p.plan.id), &outsider, None).await;
        assert_eq!(status, 404, "{body}");
        assert_eq!(body["status"], 404);
        let (status, _) = call(&app, "GET", "/plan/plans", &core_only, None).await;
        assert_eq!(status, 403);

        // Creating: editors only; validation as a 422 problem with the field named.
        let new_item = json!({"parent_code": "AP0102", "code": "AC010202", "title": "API-koppeling", "owner_user_id": w.member.id});
        let (status, _) = call(&app, "POST", &format!("/plan/plans/{}/items", p.plan.id), &member, Some(new_item.clone())).await;
        assert_eq!(status, 403);
        let (status, body) = call(&app, "POST", &format!("/plan/plans/{}/items", p.plan.id), &editor, Some(new_item)).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["depth"], 2);
        let new_id = body["id"].as_str().unwrap().to_string();
        let (status, body) = call(&app, "POST", &format!("/plan/plans/{}/items", p.plan.id), &editor, Some(json!({"title": "x".repeat(101), "code": "AC010202"}))).await;
        assert_eq!(status, 422, "{body}");
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&"title"), "{body}");
        let (status, body) = call(&app, "POST", &format!("/plan/plans/{}/items", p.plan.id), &editor, Some(json!({"title": "Dubbel", "code": "AC010202"}))).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "code");

        // Updating: fields left out stay; a status change needs a comment.
        let (status, body) = call(&app, "PATCH", &format!("/plan/items/{new_id}"), &editor, Some(json!({"status": "lopend"}))).await;
        assert_eq!(status, 422, "{body}");
        let (status, body) = call(&app, "PATCH", &format!("/plan/items/{new_id}"), &editor, Some(json!({"status": "lopend", "comment": "Gestart", "themes": ["sdg-9"]}))).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "lopend");
        assert_eq!(body["title"], "API-koppeling");
        assert_eq!(body["themes"], json!(["sdg-9"]));

        // Progress updates: the owner (lid) on their own item, not on another.
        let (status, body) = call(&app, "POST", &format!("/plan/items/{}/updates", p.ac010101.id), &member, Some(json!({"progress": 40, "status": "lopend", "comment": "Vanuit het ticketsysteem", "author_name": "Ticketsysteem"}))).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["new_progress"], 40);
        let (status, _) = call(&app, "POST", &format!("/plan/items/{}/updates", p.ac010102.id), &member, Some(json!({"progress": 40, "comment": "x"}))).await;
        assert_eq!(status, 403);
        let (status, body) = call(&app, "POST", &format!("/plan/items/{}/updates", p.ac010101.id), &member, Some(json!({"progress": 140, "comment": ""}))).await;
        assert_eq!(status, 422, "{body}");
        let (_, body) = call(&app, "GET", &format!("/plan/items/{}", p.ap0101.id), &reader, None).await;
        assert_eq!(body["progress"], 20, "rolled up: (40 + 0) / 2");
        let (_, body) = call(&app, "GET", &format!("/plan/items/{}/updates", p.ac010101.id), &reader, None).await;
        assert_eq!(body["total"], 1);
        assert_eq!(body["items"][0]["comment"], "Vanuit het ticketsysteem");

        // Malformed JSON and wrong content type are problem documents too.
        let response = app
            .client
            .post(app.url(&format!("/api/v1/plan/items/{}/updates", p.ac010101.id)))
            .bearer_auth(&member)
            .header("content-type", "application/json")
            .body("{\"comment\": ")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400);
        assert_eq!(response.headers()["content-type"], "application/problem+json");

        // Releases list (empty) and indicators (none yet) answer.
        let (status, body) = call(&app, "GET", &format!("/plan/plans/{}/releases", p.plan.id), &reader, None).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["total"], 0);
        let (status, body) = call(&app, "GET", &format!("/plan/plans/{}/indicators", p.plan.id), &reader, None).await;
        assert_eq!(status, 200, "{body}");
    })
    .await;
}

#[tokio::test]
async fn measurements_are_posted_by_owners() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        let mut tx = app.db.begin().await.unwrap();
        let indicator = steden_plan::indicators::store::create(
            &mut tx,
            &p.ac010101.id,
            &steden_plan::indicators::store::IndicatorFields {
                name: "Digitale aanvragen".into(),
                unit: "%".into(),
                direction: "hoger".into(),
                baseline_value: "20".into(),
                baseline_date: "01/01/2026".into(),
                targets: "31/12/2028 80".into(),
                source: String::new(),
                frequency: "jaarlijks".into(),
                definition_key: String::new(),
            },
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let member = token(&app, &w.member, &w.gent, Role::Lid, &["plan"]).await;
        let reader = token(&app, &w.reader, &w.gent, Role::Lezer, &["plan"]).await;
        let path = format!("/plan/indicators/{}/measurements", indicator.id);
        let (status, _) = call(
            &app,
            "POST",
            &path,
            &reader,
            Some(json!({"date": "2026-06-30", "value": 35.5})),
        )
        .await;
        assert_eq!(status, 403);
        let (status, body) = call(
            &app,
            "POST",
            &path,
            &member,
            Some(json!({"date": "2026-06-30", "value": 35.5, "comment": "Halfjaar"})),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["value"], 35.5);
        let (status, body) = call(
            &app,
            "POST",
            &path,
            &member,
            Some(json!({"date": "30 juni", "value": 1})),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        let (status, body) = call(
            &app,
            "GET",
            &format!("/plan/plans/{}/indicators", p.plan.id),
            &reader,
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body[0]["measurements"].as_array().unwrap().len(), 1);
        assert_eq!(body[0]["indicator"]["name"], "Digitale aanvragen");
        let (status, _) = call(
            &app,
            "POST",
            "/plan/indicators/bestaat-niet/measurements",
            &member,
            Some(json!({"date": "2026-06-30", "value": 1})),
        )
        .await;
        assert_eq!(status, 404);
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_lists_the_plan_routes() {
    each_plan_app(|app, _w| async move {
        let document: Value = app
            .client
            .get(app.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let paths = document["paths"].as_object().unwrap();
        for (path, method) in [
            ("/api/v1/plan/plans", "get"),
            ("/api/v1/plan/plans/{id}", "get"),
            ("/api/v1/plan/plans/{id}/items", "get"),
            ("/api/v1/plan/plans/{id}/items", "post"),
            ("/api/v1/plan/items/{id}", "get"),
            ("/api/v1/plan/items/{id}", "patch"),
            ("/api/v1/plan/items/{id}/updates", "get"),
            ("/api/v1/plan/items/{id}/updates", "post"),
            ("/api/v1/plan/plans/{id}/indicators", "get"),
            ("/api/v1/plan/indicators/{id}/measurements", "post"),
            ("/api/v1/plan/plans/{id}/releases", "get"),
        ] {
            let found = paths
                .get(path)
                .or_else(|| paths.get(path.trim_start_matches("/api/v1")))
                .and_then(|p| p.get(method));
            assert!(
                found.is_some(),
                "{method} {path} missing from the OpenAPI document: {:?}",
                paths.keys().collect::<Vec<_>>()
            );
        }
    })
    .await;
}
