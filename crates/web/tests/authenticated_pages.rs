//! Smaller hardening points of issue 10 (point 8), on both backends: no caching of pages for a
//! logged-in user, forms with invalid UTF-8 refused, and a password reset that can revoke the
//! account's API tokens.

use sqlx::Row;
use steden_core::api_token::{self, NewApiToken};
use steden_core::audit::AuditActor;
use steden_core::policy::{Actor, OrgRole, UserActor};
use steden_core::role::Role;
use steden_core::user::{self, NewUser};
use steden_core::{membership, org};
use steden_db::Db;
use steden_testkit::{csrf_token, each_app, TestApp};

const PASSWORD: &str = "een lang genoeg wachtwoord";

async fn seed_user(db: &Db, email: &str) -> String {
    org::seed_defaults(db).await.unwrap();
    let system = AuditActor::system();
    let mut tx = db.begin().await.unwrap();
    let new = NewUser {
        email,
        name: "Jos Peeters",
        password: Some(PASSWORD),
        platform_admin: false,
    };
    let created = user::create(&mut tx, new, &system).await.unwrap();
    let gent = org::find_by_slug(&mut *tx, "gent").await.unwrap().unwrap();
    membership::set_role(&mut tx, &created.id, &gent.id, Role::Redacteur, &system)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    created.id
}

async fn log_in(app: &TestApp, email: &str) {
    let response = app
        .post_form(
            "/aanmelden",
            "/aanmelden",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 303);
}

fn cache_control(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn pages_for_a_logged_in_user_are_not_stored() {
    each_app(|app| async move {
        seed_user(&app.db, "jos@gent.be").await;
        // Anonymous: a public page keeps whatever caching it had; the login page sets the
        // CSRF cookie with its form, and a response that sets a cookie is never stored.
        let response = app.get("/").await;
        assert_eq!(response.status(), 200);
        assert!(!cache_control(&response).contains("no-store"));
        let response = app.get("/aanmelden").await;
        assert_eq!(response.status(), 200);
        assert!(response.headers().contains_key("set-cookie"));
        assert_eq!(cache_control(&response), "private, no-store");
        log_in(&app, "jos@gent.be").await;
        for path in ["/", "/account"] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 200, "{path}");
            assert_eq!(cache_control(&response), "no-store", "{path}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_form_with_invalid_utf8_is_refused_not_stored() {
    each_app(|app| async move {
        let id = seed_user(&app.db, "jos@gent.be").await;
        log_in(&app, "jos@gent.be").await;
        let token = csrf_token(&app.page("/account").await).unwrap();
        let post = |body: Vec<u8>| {
            app.client
                .post(app.url("/account/profiel"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("origin", app.base.clone())
                .body(body)
                .send()
        };
        // Latin-1 "é", percent-encoded and raw.
        for name in [b"Jos%E9".to_vec(), b"Jos\xe9".to_vec()] {
            let mut body = format!("_csrf={token}&name=").into_bytes();
            body.extend_from_slice(&name);
            let response = post(body).await.unwrap();
            assert_eq!(response.status(), 400);
            let html = response.text().await.unwrap();
            assert!(html.contains("geen geldige tekst"), "{html}");
            assert_eq!(
                user::get(app.db.pool(), &id).await.unwrap().name,
                "Jos Peeters"
            );
        }
        // Proper UTF-8 goes through.
        let response = post(format!("_csrf={token}&name=Jos%C3%A9").into_bytes())
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(user::get(app.db.pool(), &id).await.unwrap().name, "José");
    })
    .await;
}

async fn make_token(db: &Db, user_id: &str) -> String {
    let gent = org::find_by_slug(db.pool(), "gent").await.unwrap().unwrap();
    let actor = Actor::User(UserActor {
        user_id: user_id.to_string(),
        platform_admin: false,
        memberships: vec![OrgRole {
            organisation_id: gent.id.clone(),
            role: Role::Redacteur,
        }],
    });
    let mut tx = db.begin().await.unwrap();
    let created = api_token::create(
        &mut tx,
        &actor,
        &NewApiToken {
            name: "Dashboard",
            organisation_id: &gent.id,
            modules: vec!["core".into()],
            role: Role::Lezer,
            expires_at: None,
        },
        &[],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    created.plaintext
}

async fn reset(app: &TestApp, email: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    app.post_form(
        "/wachtwoord-vergeten",
        "/wachtwoord-vergeten",
        &[("email", email)],
    )
    .await;
    let text: String = sqlx::query(
        "SELECT text_body FROM mail_outbox WHERE recipient = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(email)
    .fetch_one(app.db.pool())
    .await
    .unwrap()
    .get(0);
    let word = text
        .split_whitespace()
        .find(|w| w.contains("/wachtwoord-herstellen/"))
        .unwrap();
    let link = &word[word.find("/wachtwoord-herstellen/").unwrap()..];
    let page = app.page(link).await;
    assert!(page.contains(r#"name="revoke_tokens""#), "{page}");
    let mut fields = vec![
        ("password", "een heel nieuw wachtwoord"),
        ("password_confirm", "een heel nieuw wachtwoord"),
    ];
    fields.extend_from_slice(extra);
    app.post_form(link, link, &fields).await
}

#[tokio::test]
async fn a_password_reset_can_revoke_the_api_tokens() {
    each_app(|app| async move {
        let id = seed_user(&app.db, "jos@gent.be").await;
        let kept = make_token(&app.db, &id).await;
        // Without the box: the tokens keep working.
        assert_eq!(reset(&app, "jos@gent.be", &[]).await.status(), 303);
        assert!(api_token::authenticate(&app.db, &kept).await.is_ok());

        // With it: all of them are revoked, each with an audit entry.
        let second = make_token(&app.db, &id).await;
        let done = reset(&app, "jos@gent.be", &[("revoke_tokens", "ja")]).await;
        assert_eq!(done.status(), 303);
        assert!(api_token::authenticate(&app.db, &kept).await.is_err());
        assert!(api_token::authenticate(&app.db, &second).await.is_err());
        let revocations: i64 = sqlx::query(
            "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'api_token' AND action = 'revoke'",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get(0);
        assert_eq!(revocations, 2);
        let history = steden_core::audit::history(&app.db, "user", &id)
            .await
            .unwrap();
        assert!(history
            .iter()
            .any(|e| e.action == "password_reset" && e.summary.contains("2 API-token")));
    })
    .await;
}
