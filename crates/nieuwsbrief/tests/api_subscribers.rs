//! The subscribers in the API (S12), on both backends: an editor's token lists, reads, adds,
//! edits, blocks and erases subscribers through the same store writes as the pages (consent
//! records, audit entries, the confirmation mail of the double opt-in); the refusals: no token
//! 401, a token without the role 403, a bad address or a confirmed addition without legal
//! basis 422 naming the field, an address already known 409.

use reqwest::Method;
use serde_json::{json, Value};
use steden_core::role::Role;
use steden_db::now_ms;
use steden_nieuwsbrief::access;

use crate::admin::{add, staff};
use crate::common::{count, each_nb_app, nieuwsbrief_token, TestApp};

/// A call to the API with `token` (none: anonymous): status, headers and JSON body (null when
/// there is none).
pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut request = app
        .client
        .request(method, app.url(&format!("/api/v1/nieuwsbrief{path}")));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: {text}"))
    };
    (status, headers, value)
}

/// The tokens of the tests: an editor's (redacteur of the Kenniscentrum), a reader's (lezer of
/// the Kenniscentrum: no editor) and a city redacteur's (no editor of the newsletter).
pub struct Tokens {
    pub editor: String,
    pub reader: String,
    pub outsider: String,
}

pub async fn tokens(app: &TestApp) -> Tokens {
    let people = staff(&app.db).await;
    let kc = access::kenniscentrum_id(&app.db).await.unwrap();
    let gent = steden_core::org::find_by_slug(app.db.pool(), "gent")
        .await
        .unwrap()
        .unwrap()
        .id;
    Tokens {
        editor: nieuwsbrief_token(&app.db, &people.editor.actor, &kc, Role::Redacteur).await,
        reader: nieuwsbrief_token(&app.db, &people.editor.actor, &kc, Role::Lezer).await,
        outsider: nieuwsbrief_token(&app.db, &people.outsider.actor, &gent, Role::Redacteur).await,
    }
}

fn field_of(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn editors_list_and_read_subscribers_by_keyset() {
    each_nb_app(|app| async move {
        let t = tokens(&app).await;
        let now = now_ms();
        for i in 0..7 {
            add(
                &app.db,
                &format!("lid{i}@stad.be"),
                &format!("Lid {i}"),
                "nl",
                "bevestigd",
                now,
                &[("obmi", "actief")],
            )
            .await;
        }
        let piet = add(&app.db, "piet@gent.be", "Piet", "en", "afgemeld", now, &[]).await;

        // Refusals first: no token, a reader's, a city's.
        assert_eq!(
            call(&app, Method::GET, "/subscribers", None, None).await.0,
            401
        );
        let (status, _, problem) =
            call(&app, Method::GET, "/subscribers", Some(&t.reader), None).await;
        assert_eq!(status, 403, "{problem}");
        assert!(problem["detail"].as_str().unwrap().contains("redactie"));
        assert_eq!(
            call(&app, Method::GET, "/subscribers", Some(&t.outsider), None)
                .await
                .0,
            403
        );

        // Pages of three, by address, following next_after and the Link header.
        let (status, headers, first) = call(
            &app,
            Method::GET,
            "/subscribers?per_page=3",
            Some(&t.editor),
            None,
        )
        .await;
        assert_eq!(status, 200, "{first}");
        assert_eq!(first["total"], 8);
        let emails = |page: &Value| -> Vec<String> {
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["email"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(
            emails(&first),
            ["lid0@stad.be", "lid1@stad.be", "lid2@stad.be"]
        );
        assert_eq!(first["next_after"], "lid2@stad.be");
        let link = headers["link"].to_str().unwrap();
        assert!(
            link.contains("after=lid2%40stad.be") && link.contains("rel=\"next\""),
            "{link}"
        );
        let mut seen = emails(&first);
        let mut after = first["next_after"].as_str().map(str::to_string);
        while let Some(last) = after {
            let path = format!("/subscribers?per_page=3&after={}", urlencode(&last));
            let page = call(&app, Method::GET, &path, Some(&t.editor), None)
                .await
                .2;
            seen.extend(emails(&page));
            after = page["next_after"].as_str().map(str::to_string);
        }
        assert_eq!(seen.len(), 8);
        assert_eq!(seen.last().unwrap(), "piet@gent.be");

        // Search and filters.
        let page = call(
            &app,
            Method::GET,
            "/subscribers?q=PIET&language=en&status=afgemeld",
            Some(&t.editor),
            None,
        )
        .await
        .2;
        assert_eq!(emails(&page), ["piet@gent.be"]);
        assert_eq!(page["next_after"], Value::Null);
        let page = call(
            &app,
            Method::GET,
            "/subscribers?list=obmi",
            Some(&t.editor),
            None,
        )
        .await
        .2;
        assert_eq!(page["total"], 7);
        for bad in [
            "status=weg",
            "language=fr",
            "per_page=0",
            "per_page=201",
            "per_page=x",
        ] {
            let (status, _, problem) = call(
                &app,
                Method::GET,
                &format!("/subscribers?{bad}"),
                Some(&t.editor),
                None,
            )
            .await;
            assert_eq!(status, 400, "{bad}: {problem}");
            assert_eq!(field_of(&problem).len(), 1, "{bad}: {problem}");
        }

        // One subscriber, with lists and consents.
        let (status, _, one) = call(
            &app,
            Method::GET,
            &format!("/subscribers/{piet}"),
            Some(&t.editor),
            None,
        )
        .await;
        assert_eq!(status, 200, "{one}");
        assert_eq!(one["email"], "piet@gent.be");
        assert_eq!(one["language"], "en");
        assert_eq!(one["consents"][0]["kind"], "aanvraag");
        assert_eq!(
            call(
                &app,
                Method::GET,
                "/subscribers/onbekend",
                Some(&t.editor),
                None
            )
            .await
            .0,
            404
        );
        assert_eq!(
            call(
                &app,
                Method::GET,
                &format!("/subscribers/{piet}"),
                Some(&t.reader),
                None
            )
            .await
            .0,
            403
        );

        // The lists: public for everyone, every list with its count for an editor.
        let public = call(&app, Method::GET, "/lists", None, None).await.2;
        assert!(public
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["public"] == true && l.get("active_subscribers").is_none()));
        let all = call(&app, Method::GET, "/lists", Some(&t.editor), None)
            .await
            .2;
        let obmi = all
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["slug"] == "obmi")
            .unwrap();
        assert_eq!(obmi["active_subscribers"], 7);
    })
    .await;
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn an_addition_follows_the_imports_rules_of_consent() {
    each_nb_app(|app| async move {
        let t = tokens(&app).await;
        let body = json!({"email": "nieuw@stad.be", "name": "Nieuw", "lists": ["obmi"]});
        assert_eq!(call(&app, Method::POST, "/subscribers", None, Some(body.clone())).await.0, 401);
        assert_eq!(call(&app, Method::POST, "/subscribers", Some(&t.reader), Some(body.clone())).await.0, 403);

        // Invalid: the address, the list, a confirmed addition without basis: each by name.
        let (status, _, problem) = call(&app, Method::POST, "/subscribers", Some(&t.editor),
            Some(json!({"email": "geen-adres", "lists": ["bestaat-niet"], "confirmed": true}))).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["type"], "https://stedenplatform.be/problemen/validatie");
        let fields = field_of(&problem);
        for field in ["email", "lists", "legal_basis", "legal_basis_text", "source"] {
            assert!(fields.iter().any(|f| f == field), "{field}: {problem}");
        }
        let message = problem["errors"].as_array().unwrap().iter()
            .find(|e| e["field"] == "email").unwrap()["message"].as_str().unwrap();
        assert_eq!(message, "Dit is geen geldig e-mailadres.");
        let (status, _, problem) = call(&app, Method::POST, "/subscribers", Some(&t.editor),
            Some(json!({"email": "x@stad.be", "lists": []}))).await;
        assert_eq!((status, field_of(&problem)), (422, vec!["lists".to_string()]));
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM nb_subscribers").await, 0);
        // Not a JSON body: 415; broken JSON: 400.
        let response = app.client.post(app.url("/api/v1/nieuwsbrief/subscribers"))
            .bearer_auth(&t.editor).body("email=x").send().await.unwrap();
        assert_eq!(response.status(), 415);
        let response = app.client.post(app.url("/api/v1/nieuwsbrief/subscribers"))
            .bearer_auth(&t.editor).header("content-type", "application/json").body("{").send().await.unwrap();
        assert_eq!(response.status(), 400);

        // Without `confirmed`: unconfirmed, lists requested, the confirmation mail queued.
        let (status, headers, created) =
            call(&app, Method::POST, "/subscribers", Some(&t.editor), Some(body.clone())).await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_str().unwrap().to_string();
        assert_eq!(headers["location"].to_str().unwrap(), format!("/api/v1/nieuwsbrief/subscribers/{id}"));
        assert_eq!(created["status"], "onbevestigd");
        assert_eq!(created["subscriptions"][0]["status"], "aangevraagd");
        let consent = &created["consents"][0];
        assert_eq!(consent["kind"], "import");
        assert!(consent["source"].as_str().unwrap().starts_with("api:"), "{consent}");
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'nieuw@stad.be'").await, 1);
        assert_eq!(count(&app.db, &format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity_id = '{id}' AND action = 'create'")).await, 1);

        // The same address again: 409, nothing written.
        let (status, _, problem) =
            call(&app, Method::POST, "/subscribers", Some(&t.editor), Some(body)).await;
        assert_eq!(status, 409, "{problem}");
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM nb_subscribers").await, 1);

        // Confirmed with a legal basis and source: confirmed at once, the basis recorded, no mail.
        let (status, _, confirmed) = call(&app, Method::POST, "/subscribers", Some(&t.editor), Some(json!({
            "email": "Contact@Gent.be", "language": "en", "lists": ["obmi", "klimaat"], "confirmed": true,
            "legal_basis": "gerechtvaardigd-belang", "legal_basis_text": "contactpersoon van de stad",
            "source": "ledenlijst 2026"}))).await;
        assert_eq!(status, 201, "{confirmed}");
        assert_eq!(confirmed["email"], "contact@gent.be");
        assert_eq!(confirmed["status"], "bevestigd");
        assert!(confirmed["confirmed_at"].is_string());
        assert!(confirmed["subscriptions"].as_array().unwrap().iter().all(|s| s["status"] == "actief"));
        assert_eq!(confirmed["consents"][0]["legal_basis"],
            "gerechtvaardigd-belang: contactpersoon van de stad; bron: ledenlijst 2026");
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'contact@gent.be'").await, 0);
    })
    .await;
}

#[tokio::test]
async fn editors_edit_block_and_erase_as_the_pages_do() {
    each_nb_app(|app| async move {
        let t = tokens(&app).await;
        let id = add(
            &app.db,
            "an@stad.be",
            "An",
            "nl",
            "bevestigd",
            now_ms(),
            &[("obmi", "actief")],
        )
        .await;
        let path = format!("/subscribers/{id}");
        let patch = json!({"name": "An Peeters", "lists": ["obmi", "klimaat"]});
        assert_eq!(
            call(&app, Method::PATCH, &path, None, Some(patch.clone()))
                .await
                .0,
            401
        );
        assert_eq!(
            call(
                &app,
                Method::PATCH,
                &path,
                Some(&t.reader),
                Some(patch.clone())
            )
            .await
            .0,
            403
        );
        assert_eq!(
            call(
                &app,
                Method::PATCH,
                "/subscribers/onbekend",
                Some(&t.editor),
                Some(patch.clone())
            )
            .await
            .0,
            404
        );
        let (status, _, problem) = call(
            &app,
            Method::PATCH,
            &path,
            Some(&t.editor),
            Some(json!({"language": "fr", "lists": ["bestaat-niet"]})),
        )
        .await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(field_of(&problem), ["language", "lists"]);
        let (status, _, problem) = call(
            &app,
            Method::PATCH,
            &path,
            Some(&t.editor),
            Some(json!({"kleur": "rood"})),
        )
        .await;
        assert_eq!(
            (status, field_of(&problem)),
            (422, vec!["kleur".to_string()])
        );

        let (status, _, edited) =
            call(&app, Method::PATCH, &path, Some(&t.editor), Some(patch)).await;
        assert_eq!(status, 200, "{edited}");
        assert_eq!(edited["name"], "An Peeters");
        assert_eq!(edited["language"], "nl", "left out: unchanged");
        let lists: Vec<&str> = edited["subscriptions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["list"].as_str().unwrap())
            .collect();
        assert!(
            lists.contains(&"klimaat") && lists.contains(&"obmi"),
            "{edited}"
        );
        assert!(edited["consents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "beheer"));
        assert_eq!(
            count(
                &app.db,
                &format!(
                    "SELECT COUNT(*) FROM audit_log WHERE entity_id = '{id}' AND action = 'update'"
                )
            )
            .await,
            1
        );

        // Block, then a change of lists is refused by name; unblock.
        let block = format!("{path}/block");
        assert_eq!(
            call(&app, Method::POST, &block, Some(&t.reader), None)
                .await
                .0,
            403
        );
        let (status, _, blocked) = call(&app, Method::POST, &block, Some(&t.editor), None).await;
        assert_eq!(
            (status, blocked["status"].as_str()),
            (200, Some("geblokkeerd"))
        );
        assert!(blocked["subscriptions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "afgemeld"));
        let (status, _, problem) = call(
            &app,
            Method::PATCH,
            &path,
            Some(&t.editor),
            Some(json!({"lists": ["obmi"]})),
        )
        .await;
        assert_eq!(
            (status, field_of(&problem)),
            (422, vec!["lists".to_string()])
        );
        let (status, _, unblocked) = call(
            &app,
            Method::POST,
            &format!("{path}/unblock"),
            Some(&t.editor),
            None,
        )
        .await;
        assert_eq!(
            (status, unblocked["status"].as_str()),
            (200, Some("afgemeld"))
        );
        assert_eq!(
            call(
                &app,
                Method::POST,
                "/subscribers/onbekend/block",
                Some(&t.editor),
                None
            )
            .await
            .0,
            404
        );

        // Erase: 204, gone, audited under the id; again 404.
        assert_eq!(call(&app, Method::DELETE, &path, None, None).await.0, 401);
        assert_eq!(
            call(&app, Method::DELETE, &path, Some(&t.reader), None)
                .await
                .0,
            403
        );
        let (status, _, body) = call(&app, Method::DELETE, &path, Some(&t.editor), None).await;
        assert_eq!((status, body), (204, Value::Null));
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM nb_subscribers").await,
            0
        );
        assert_eq!(
            count(
                &app.db,
                &format!(
                    "SELECT COUNT(*) FROM audit_log WHERE entity_id = '{id}' AND action = 'erase'"
                )
            )
            .await,
            1
        );
        assert_eq!(
            call(&app, Method::DELETE, &path, Some(&t.editor), None)
                .await
                .0,
            404
        );
    })
    .await;
}
