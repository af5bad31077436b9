//! The write API for documents (issue 10, point 14): create with a file (multipart), change
//! metadata (JSON), delete; the token's scope, organisation and role checked; errors as Dutch
//! problem documents. On SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

use crate::common;

use common::{each_kb_app, person, Person, TestApp, World};
use serde_json::Value;
use steden_core::api_token::{self, NewApiToken};
use steden_core::role::Role;
use steden_kennisbank::store::documents;

async fn token(app: &TestApp, person: &Person, org: &str, role: Role, modules: &[&str]) -> String {
    let mut tx = app.db.begin().await.unwrap();
    let created = api_token::create(
        &mut tx,
        &person.actor,
        &NewApiToken {
            name: "archief",
            organisation_id: org,
            modules: modules.iter().map(|m| m.to_string()).collect(),
            role,
            expires_at: None,
        },
        &["core", "plan", "kennisbank"],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    created.plaintext
}

const BOUNDARY: &str = "----apischrijftestgrens";

/// A multipart body of text fields and, optionally, a file.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((filename, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> (u16, Value, String) {
    let mut request = TestApp::new_client()
        .request(method, app.url(&format!("/api/v1{path}")))
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let media = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
        media,
    )
}

async fn create(app: &TestApp, token: Option<&str>, body: Vec<u8>) -> (u16, Value, String) {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    send(
        app,
        reqwest::Method::POST,
        "/kennisbank/documents",
        token,
        Some(&content_type),
        body,
    )
    .await
}

const NOTE: &[u8] = b"# Leefloon\n\nDe centrumsteden en het leefloon.\n";

#[tokio::test]
async fn documents_are_created_changed_and_deleted_with_the_right_token() {
    each_kb_app(|app, w: World| async move {
        let editor = token(
            &app,
            &w.editor,
            &w.kenniscentrum,
            Role::Redacteur,
            &["kennisbank"],
        )
        .await;
        let fields = [
            ("title", "Leefloon in de centrumsteden"),
            ("type", "rapport"),
            ("access", "organisatie"),
            ("access_organisation_id", w.gent.as_str()),
            ("themes", "armoede"),
            ("themes", "inkomen"),
            ("organisations", w.gent.as_str()),
            ("date", "2024-05-01"),
        ];
        let (status, body, _) = create(
            &app,
            Some(&editor),
            multipart(&fields, Some(("leefloon.md", NOTE))),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let id = body["id"].as_str().unwrap().to_string();
        assert_eq!(body["title"], "Leefloon in de centrumsteden");
        assert_eq!(body["themes"], serde_json::json!(["armoede", "inkomen"]));
        assert_eq!(body["period"], "2022-2026");
        assert!(body["file_url"].as_str().unwrap().ends_with("/bestand"));
        let doc = documents::get(app.db.pool(), &id).await.unwrap();
        assert_eq!(doc.file_format.as_deref(), Some("markdown"));
        assert_eq!(doc.access_organisation_id.as_deref(), Some(w.gent.as_str()));
        // Audited as the token of its user.
        let (user, token_id): (Option<String>, Option<String>) = sqlx::query_as(
            "SELECT actor_user_id, actor_token_id FROM audit_log WHERE entity_id = $1",
        )
        .bind(&id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(user.as_deref(), Some(w.editor.id.as_str()));
        assert!(token_id.is_some());

        // PATCH: only what is given changes.
        let patch = serde_json::json!({"title": "Leefloon 2024", "access": "publiek"});
        let (status, body, _) = send(
            &app,
            reqwest::Method::PATCH,
            &format!("/kennisbank/documents/{id}"),
            Some(&editor),
            Some("application/json"),
            patch.to_string().into_bytes(),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["title"], "Leefloon 2024");
        assert_eq!(body["access"], "publiek");
        assert_eq!(body["themes"], serde_json::json!(["armoede", "inkomen"]));
        let doc = documents::get(app.db.pool(), &id).await.unwrap();
        assert!(doc.file_id.is_some(), "the file stays");

        // Refused fields: 422 with the field named, nothing changed.
        let (status, body, media) = send(
            &app,
            reqwest::Method::PATCH,
            &format!("/kennisbank/documents/{id}"),
            Some(&editor),
            Some("application/json"),
            br#"{"type": "roman", "title": ""}"#.to_vec(),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(media, "application/problem+json");
        let named: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(named, ["title", "type"], "{body}");
        assert_eq!(
            documents::get(app.db.pool(), &id).await.unwrap().title,
            "Leefloon 2024"
        );
        // A programme is one of a published plan: free text is refused like on the form.
        let (status, body, _) = send(
            &app,
            reqwest::Method::PATCH,
            &format!("/kennisbank/documents/{id}"),
            Some(&editor),
            Some("application/json"),
            br#"{"programme": "Stadsgenoten"}"#.to_vec(),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "programme", "{body}");
        assert!(documents::get(app.db.pool(), &id)
            .await
            .unwrap()
            .programme_id
            .is_none());
        let (status, body, _) = send(
            &app,
            reqwest::Method::PATCH,
            &format!("/kennisbank/documents/{id}"),
            Some(&editor),
            Some("application/json"),
            br#"{"titel": "x"}"#.to_vec(),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(body["errors"][0]["message"], "Dit veld bestaat niet.");
        let (status, _, _) = send(
            &app,
            reqwest::Method::PATCH,
            &format!("/kennisbank/documents/{id}"),
            Some(&editor),
            Some("text/plain"),
            b"{}".to_vec(),
        )
        .await;
        assert_eq!(status, 415);
        let (status, _, _) = send(
            &app,
            reqwest::Method::PATCH,
            "/kennisbank/documents/bestaat-niet",
            Some(&editor),
            Some("application/json"),
            b"{}".to_vec(),
        )
        .await;
        assert_eq!(status, 404);

        // DELETE, then it is gone.
        let (status, _, _) = send(
            &app,
            reqwest::Method::DELETE,
            &format!("/kennisbank/documents/{id}"),
            Some(&editor),
            None,
            Vec::new(),
        )
        .await;
        assert_eq!(status, 204);
        assert!(documents::find(app.db.pool(), &id).await.unwrap().is_none());
        let (status, body, _) = send(
            &app,
            reqwest::Method::DELETE,
            &format!("/kennisbank/documents/{id}"),
            Some(&editor),
            None,
            Vec::new(),
        )
        .await;
        assert_eq!(status, 404, "{body}");
        assert_eq!(body["title"], "Niet gevonden");
    })
    .await;
}

#[tokio::test]
async fn uploads_are_checked_and_refusals_are_dutch_problems() {
    each_kb_app(|app, w: World| async move {
        let editor = token(
            &app,
            &w.editor,
            &w.kenniscentrum,
            Role::Redacteur,
            &["kennisbank"],
        )
        .await;
        let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kb_documents")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        let base = [
            ("title", "Script"),
            ("type", "rapport"),
            ("access", "publiek"),
        ];
        // HTML is never a document; neither is a file with a link.
        let (status, body, _) = create(
            &app,
            Some(&editor),
            multipart(&base, Some(("evil.html", b"<script>alert(1)</script>"))),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "file");
        let mut with_link = base.to_vec();
        with_link.push(("external_url", "https://example.org/x"));
        let (status, _, _) = create(
            &app,
            Some(&editor),
            multipart(&with_link, Some(("a.md", NOTE))),
        )
        .await;
        assert_eq!(status, 422);
        // Unknown fields, invalid UTF-8 and NUL are refused, not ignored.
        let (status, body, _) = create(
            &app,
            Some(&editor),
            multipart(&[("title", "x"), ("soort", "rapport")], None),
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            body["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == "soort"),
            "{body}"
        );
        let mut nul = base.to_vec();
        nul[0] = ("title", "a\u{0}b");
        let (status, body, _) =
            create(&app, Some(&editor), multipart(&nul, Some(("a.md", NOTE)))).await;
        assert_eq!(status, 422, "{body}");
        // Not multipart: 415; unreadable multipart: 400; too large: 413.
        let (status, body, media) = send(
            &app,
            reqwest::Method::POST,
            "/kennisbank/documents",
            Some(&editor),
            Some("application/json"),
            b"{}".to_vec(),
        )
        .await;
        assert_eq!((status, media.as_str()), (415, "application/problem+json"));
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("multipart/form-data"),
            "{body}"
        );
        let (status, _, _) = create(&app, Some(&editor), b"geen multipart".to_vec()).await;
        assert_eq!(status, 400);
        let big = vec![b'a'; 26 * 1024 * 1024];
        let (status, body, _) = create(
            &app,
            Some(&editor),
            multipart(&base, Some(("groot.md", &big))),
        )
        .await;
        assert_eq!(status, 413, "{body}");
        let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kb_documents")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(before, after, "nothing written");
        // A link without a file.
        let link = [
            ("title", "Website"),
            ("type", "link"),
            ("access", "publiek"),
            ("external_url", "https://www.vlaamsesteden.be"),
        ];
        let (status, body, _) = create(&app, Some(&editor), multipart(&link, None)).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["external_url"], "https://www.vlaamsesteden.be");
    })
    .await;
}

#[tokio::test]
async fn tokens_without_scope_role_or_organisation_may_not_write() {
    each_kb_app(|app, w: World| async move {
        let fields = [
            ("title", "Poging"),
            ("type", "rapport"),
            ("access", "publiek"),
        ];
        let body = || multipart(&fields, Some(("a.md", NOTE)));
        // No token: 401 with WWW-Authenticate.
        let (status, problem, _) = create(&app, None, body()).await;
        assert_eq!(status, 401);
        assert_eq!(problem["title"], "Niet aangemeld");
        // Another module's scope only.
        let plan_only = token(
            &app,
            &w.editor,
            &w.kenniscentrum,
            Role::Redacteur,
            &["plan"],
        )
        .await;
        let (status, problem, _) = create(&app, Some(&plan_only), body()).await;
        assert_eq!(status, 403);
        assert!(
            problem["detail"].as_str().unwrap().contains("kennisbank"),
            "{problem}"
        );
        // A reader of the Kenniscentrum (role too low).
        let reader = token(
            &app,
            &w.kc_reader,
            &w.kenniscentrum,
            Role::Lezer,
            &["kennisbank"],
        )
        .await;
        assert_eq!(create(&app, Some(&reader), body()).await.0, 403);
        // A redacteur of another organisation (Gent): the Kennisbank is the Kenniscentrum's.
        let gent_editor = person(
            &app.db,
            "redacteur@gent.test",
            "Geert Gent",
            &w.gent,
            Role::Redacteur,
        )
        .await;
        let gent = token(
            &app,
            &gent_editor,
            &w.gent,
            Role::Redacteur,
            &["kennisbank"],
        )
        .await;
        let (status, problem, _) = create(&app, Some(&gent), body()).await;
        assert_eq!(status, 403, "{problem}");
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kb_documents")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(count, 0);

        // A document made by the Kenniscentrum: Gent may neither change nor delete it.
        let editor = token(
            &app,
            &w.editor,
            &w.kenniscentrum,
            Role::Redacteur,
            &["kennisbank"],
        )
        .await;
        let (status, created, _) = create(&app, Some(&editor), body()).await;
        assert_eq!(status, 201);
        let path = format!("/kennisbank/documents/{}", created["id"].as_str().unwrap());
        let patch = br#"{"title": "Overgenomen"}"#.to_vec();
        for who in [&gent, &reader, &plan_only] {
            let (status, _, _) = send(
                &app,
                reqwest::Method::PATCH,
                &path,
                Some(who),
                Some("application/json"),
                patch.clone(),
            )
            .await;
            assert_eq!(status, 403);
            let (status, _, _) = send(
                &app,
                reqwest::Method::DELETE,
                &path,
                Some(who),
                None,
                Vec::new(),
            )
            .await;
            assert_eq!(status, 403);
        }
        let (status, _, _) =
            send(&app, reqwest::Method::DELETE, &path, None, None, Vec::new()).await;
        assert_eq!(status, 401);
        let (_, doc, _) = send(
            &app,
            reqwest::Method::GET,
            &path,
            Some(&editor),
            None,
            Vec::new(),
        )
        .await;
        assert_eq!(doc["title"], "Poging");
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_describes_the_writes() {
    each_kb_app(|app, _w: World| async move {
        let (_, doc, _) = send(
            &app,
            reqwest::Method::GET,
            "/openapi.json",
            None,
            None,
            Vec::new(),
        )
        .await;
        let post = &doc["paths"]["/api/v1/kennisbank/documents"]["post"];
        assert!(
            post["requestBody"]["content"]["multipart/form-data"].is_object(),
            "{post}"
        );
        let responses = post["responses"].as_object().unwrap();
        let statuses: Vec<&str> = responses.keys().map(String::as_str).collect();
        assert_eq!(statuses, ["201", "400", "401", "403", "413", "415", "422"]);
        assert_eq!(post["x-steden-scope"], "kennisbank");
        assert!(
            doc["paths"]["/api/v1/kennisbank/documents"]["get"].is_object(),
            "the list stays"
        );
        let item = &doc["paths"]["/api/v1/kennisbank/documents/{id}"];
        assert!(item["get"].is_object() && item["patch"].is_object() && item["delete"].is_object());
        assert!(item["delete"]["responses"]["204"].is_object());
    })
    .await;
}
