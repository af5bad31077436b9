//! CSRF protection on form routes: no token, a wrong token and a foreign origin are refused
//! with the Dutch 403 page and change nothing; the right token passes.

use crate::probe;

use probe::count_notes;
use steden_testkit::{csrf_token, each_app_with, TestApp};

const REFUSED: &str = "Het formulier is verlopen of ongeldig.";

async fn token_of(app: &TestApp) -> String {
    let html = app.page("/proef").await;
    csrf_token(&html).expect("the form page has a token")
}

#[tokio::test]
async fn posts_without_a_valid_token_are_refused_and_change_nothing() {
    each_app_with(probe::modules, |app| async move {
        // Without any token (and without a cookie: a fresh browser).
        let fresh = TestApp::new_client();
        let response = fresh
            .post(app.url("/proef"))
            .form(&[("naam", "An")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        let body = response.text().await.unwrap();
        assert!(body.contains(REFUSED), "{body}");
        assert!(body.contains("<main"), "{body}");

        // With the cookie but without the field.
        let _ = token_of(&app).await;
        let response = app
            .client
            .post(app.url("/proef"))
            .form(&[("naam", "An")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);

        // With a wrong token.
        let response = app
            .client
            .post(app.url("/proef"))
            .form(&[
                ("_csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                ("naam", "An"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);

        // Another browser's token does not fit this browser's cookie.
        let other = TestApp::new_client();
        let other_html = other
            .get(app.url("/proef"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let other_token = csrf_token(&other_html).unwrap();
        assert_ne!(other_token, token_of(&app).await);
        let response = app
            .client
            .post(app.url("/proef"))
            .form(&[("_csrf", other_token.as_str()), ("naam", "An")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        assert_eq!(count_notes(&app.db).await, 0, "nothing was written");

        // With the right token the handler runs.
        let response = app.post_form("/proef", "/proef", &[("naam", "An")]).await;
        assert_eq!(response.status(), 303);
        assert_eq!(count_notes(&app.db).await, 1);
    })
    .await;
}

#[tokio::test]
async fn the_token_also_passes_as_header_or_query_parameter() {
    each_app_with(probe::modules, |app| async move {
        let token = token_of(&app).await;
        // As htmx sends it.
        let response = app
            .client
            .post(app.url("/proef"))
            .header("X-CSRF-Token", &token)
            .form(&[("naam", "Header")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        // As a multipart form sends it: in the action's query string.
        let response = app
            .client
            .post(app.url(&format!("/proef?_csrf={token}")))
            .form(&[("naam", "Query")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let response = app
            .client
            .post(app.url("/proef?_csrf=fout"))
            .form(&[("naam", "Query")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        assert_eq!(count_notes(&app.db).await, 2);
    })
    .await;
}

#[tokio::test]
async fn a_cross_origin_post_is_refused_even_with_a_token() {
    each_app_with(probe::modules, |app| async move {
        let token = token_of(&app).await;
        let response = app
            .client
            .post(app.url("/proef"))
            .header("Origin", "https://aanvaller.example")
            .form(&[("_csrf", token.as_str()), ("naam", "An")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        assert!(response.text().await.unwrap().contains(REFUSED));
        assert_eq!(count_notes(&app.db).await, 0);

        // The platform's own origin passes.
        let response = app
            .client
            .post(app.url("/proef"))
            .header("Origin", app.base.as_str())
            .form(&[("_csrf", token.as_str()), ("naam", "An")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(count_notes(&app.db).await, 1);

        // Opened under another name than base_url (localhost instead of 127.0.0.1): the
        // browser's origin matches the host it addressed, so the form still works.
        let port = app.base.rsplit(':').next().unwrap();
        let local = format!("http://localhost:{port}");
        let html = app
            .client
            .get(format!("{local}/proef"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = csrf_token(&html).expect("the form page has a token");
        let response = app
            .client
            .post(format!("{local}/proef"))
            .header("Origin", local.as_str())
            .form(&[("_csrf", token.as_str()), ("naam", "Via localhost")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(count_notes(&app.db).await, 2);

        // A foreign origin addressed at that same host is still refused.
        let response = app
            .client
            .post(format!("{local}/proef"))
            .header("Origin", "http://localhost:1")
            .form(&[("_csrf", token.as_str()), ("naam", "Aanval")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        assert_eq!(count_notes(&app.db).await, 2);
    })
    .await;
}

#[tokio::test]
async fn the_cookie_is_httponly_and_lax_and_the_api_is_exempt() {
    each_app_with(probe::modules, |app| async move {
        let response = TestApp::new_client()
            .get(app.url("/proef"))
            .send()
            .await
            .unwrap();
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("steden_csrf="))
            .expect("a CSRF cookie is issued")
            .to_string();
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");

        // Pages that write no token set no cookie (and stay cacheable): probes, assets, and
        // the anonymous home page (a reader needs no cookie; its "Aanmelden" is a link).
        for path in ["/healthz", "/static/steden.css", "/"] {
            let response = TestApp::new_client()
                .get(app.url(path))
                .send()
                .await
                .unwrap();
            assert!(
                response.headers().get("set-cookie").is_none(),
                "{path} sets a cookie"
            );
        }

        // Bearer-token API routes carry no cookies and need no CSRF token.
        let response = TestApp::new_client()
            .post(app.url("/api/v1/bestaat-niet"))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        assert_ne!(response.status(), 403);
        assert!(!response.text().await.unwrap().contains(REFUSED));
    })
    .await;
}
