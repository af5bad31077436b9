//! Accounts over HTTP, on both backends: login, throttling, session cookies, logout, the
//! organisation switcher, invitations, password reset and member management.

use sqlx::Row;
use steden_core::audit::AuditActor;
use steden_core::membership;
use steden_core::org;
use steden_core::role::Role;
use steden_core::user::{self, NewUser};
use steden_db::Db;
use steden_testkit::{csrf_token, each_app, TestApp};

const PASSWORD: &str = "een lang genoeg wachtwoord";

/// Seeds the default organisations and a user with `roles` (organisation slug, role).
async fn seed_user(db: &Db, email: &str, roles: &[(&str, Role)], platform_admin: bool) -> String {
    org::seed_defaults(db).await.unwrap();
    let system = AuditActor::system();
    let mut tx = db.begin().await.unwrap();
    let created = user::create(
        &mut tx,
        NewUser {
            email,
            name: email.split('@').next().unwrap(),
            password: Some(PASSWORD),
            platform_admin,
        },
        &system,
    )
    .await
    .unwrap();
    for (slug, role) in roles {
        let o = org::find_by_slug(&mut *tx, slug).await.unwrap().unwrap();
        membership::set_role(&mut tx, &created.id, &o.id, *role, &system)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    created.id
}

async fn org_id(db: &Db, slug: &str) -> String {
    org::find_by_slug(db.pool(), slug)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.post_form(
        "/aanmelden",
        "/aanmelden",
        &[("email", email), ("password", password)],
    )
    .await
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(db.pool()).await.unwrap().get(0)
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("steden_sessie="))
        .map(str::to_string)
}

/// The link with `path_prefix` in the last mail sent to `to`.
async fn link_in_mail(db: &Db, to: &str, path_prefix: &str) -> String {
    let text: String = sqlx::query(
        "SELECT text_body FROM mail_outbox WHERE recipient = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(to)
    .fetch_one(db.pool())
    .await
    .expect("a mail in the outbox")
    .get(0);
    text.split_whitespace()
        .find(|word| word.contains(path_prefix))
        .unwrap_or_else(|| panic!("no {path_prefix} in {text}"))
        .to_string()
}

#[tokio::test]
async fn login_sets_a_safe_cookie_and_logout_ends_the_session() {
    each_app(|app| async move {
        let user_id = seed_user(&app.db, "an@gent.be", &[("gent", Role::Lid)], false).await;
        let form = app.page("/aanmelden").await;
        assert!(form.contains(r#"<label for="email""#), "{form}");
        assert!(form.contains(r#"<label for="password""#));

        let response = login(&app, " AN@Gent.be ", PASSWORD).await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/");
        let cookie = session_cookie(&response).expect("session cookie");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(cookie.contains("Path=/"), "{cookie}");
        assert!(
            !cookie.contains("Secure"),
            "plain http must not set Secure: {cookie}"
        );
        // Only the hash of the cookie value is stored.
        let value = cookie
            .trim_start_matches("steden_sessie=")
            .split(';')
            .next()
            .unwrap()
            .to_string();
        assert_eq!(
            count(
                &app.db,
                &format!("SELECT COUNT(*) FROM sessions WHERE id = '{value}'")
            )
            .await,
            0
        );
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM sessions").await, 1);

        let home = app.page("/").await;
        assert!(home.contains("Gent"), "the active organisation is shown");
        let account = app.page("/account").await;
        assert!(account.contains("an@gent.be"));

        let entries = steden_core::audit::history(&app.db, "user", &user_id)
            .await
            .unwrap();
        assert!(entries.iter().any(|e| e.action == "login"));

        // Logout ends the session; the old cookie no longer works.
        let out = app.post_form("/", "/afmelden", &[]).await;
        assert_eq!(out.status(), 303);
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM sessions").await, 0);
        let replay = TestApp::new_client()
            .get(app.url("/account"))
            .header("cookie", format!("steden_sessie={value}"))
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), 303, "old cookie must not work");
        assert!(replay.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/aanmelden"));
        let entries = steden_core::audit::history(&app.db, "user", &user_id)
            .await
            .unwrap();
        assert!(entries.iter().any(|e| e.action == "logout"));
    })
    .await;
}

#[tokio::test]
async fn wrong_password_and_unknown_email_look_the_same_and_keep_the_email() {
    each_app(|app| async move {
        seed_user(&app.db, "an@gent.be", &[], false).await;
        let wrong = login(&app, "an@gent.be", "niet het wachtwoord").await;
        assert_eq!(wrong.status(), 422);
        assert!(session_cookie(&wrong).is_none());
        let wrong_html = wrong.text().await.unwrap();
        let unknown = login(&app, "niemand@gent.be", "niet het wachtwoord").await;
        assert_eq!(unknown.status(), 422);
        let unknown_html = unknown.text().await.unwrap();
        let message = "Het e-mailadres of het wachtwoord is onjuist.";
        assert!(wrong_html.contains(message), "{wrong_html}");
        assert!(unknown_html.contains(message));
        // The typed address is kept, the password is not.
        assert!(wrong_html.contains(r#"value="an@gent.be""#));
        assert!(!wrong_html.contains("niet het wachtwoord"));
        assert!(wrong_html.contains(r#"aria-invalid="true""#));
        assert!(wrong_html.contains(r#"aria-describedby="password-fout""#));
        // No IP address or plain address is stored for throttling.
        let stored: String = sqlx::query("SELECT key_hash FROM login_attempts LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
            .get(0);
        assert!(!stored.contains("gent"));
    })
    .await;
}

#[tokio::test]
async fn the_sixth_attempt_is_refused_even_with_the_right_password() {
    each_app(|app| async move {
        seed_user(&app.db, "an@gent.be", &[], false).await;
        for _ in 0..5 {
            assert_eq!(
                login(&app, "an@gent.be", "fout fout fout fout")
                    .await
                    .status(),
                422
            );
        }
        let refused = login(&app, "An@Gent.be", PASSWORD).await;
        assert_eq!(refused.status(), 429);
        assert!(session_cookie(&refused).is_none());
        let html = refused.text().await.unwrap();
        assert!(
            html.contains("Probeer het over 15 minuten opnieuw"),
            "{html}"
        );
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM sessions").await, 0);

        // Another address is not affected.
        seed_user(&app.db, "bert@aalst.be", &[], false).await;
        let other = login(&app, "bert@aalst.be", PASSWORD).await;
        assert_eq!(other.status(), 303);

        // Once the failures are older than the window, the right password works again.
        sqlx::query("UPDATE login_attempts SET at = at - $1")
            .bind(16 * 60 * 1000_i64)
            .execute(app.db.pool())
            .await
            .unwrap();
        assert_eq!(login(&app, "an@gent.be", PASSWORD).await.status(), 303);
    })
    .await;
}

#[tokio::test]
async fn only_local_return_paths_are_followed() {
    each_app(|app| async move {
        seed_user(&app.db, "an@gent.be", &[], false).await;
        // An anonymous visitor sent to the login page is brought back afterwards.
        let sent = app.get("/account").await;
        assert_eq!(sent.status(), 303);
        assert_eq!(sent.headers()["location"], "/aanmelden?volgende=%2Faccount");
        let page = app.page("/aanmelden?volgende=%2Faccount").await;
        assert!(page.contains(r#"name="volgende" value="/account""#));
        let local = app
            .post_form(
                "/aanmelden",
                "/aanmelden",
                &[
                    ("email", "an@gent.be"),
                    ("password", PASSWORD),
                    ("volgende", "/account"),
                ],
            )
            .await;
        assert_eq!(local.headers()["location"], "/account");
        let client = TestApp::new_client();
        let mut other = app;
        other.client = client;
        let evil = other
            .post_form(
                "/aanmelden",
                "/aanmelden",
                &[
                    ("email", "an@gent.be"),
                    ("password", PASSWORD),
                    ("volgende", "//evil.example/x"),
                ],
            )
            .await;
        assert_eq!(evil.status(), 303);
        assert_eq!(evil.headers()["location"], "/");
    })
    .await;
}

#[tokio::test]
async fn secure_cookie_when_served_over_https() {
    steden_db::testing::each_backend(&steden_web::app::all_migrations(&[]), |db| async move {
        seed_user(&db, "an@gent.be", &[], false).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let mut config = steden_web::Config::local(dir.path().to_path_buf(), port);
        config.base_url = "https://steden.example".to_string();
        let secret = steden_core::settings::secret(&db, "csrf_secret")
            .await
            .unwrap()
            .into_bytes();
        let state = steden_web::AppState::new(db.clone(), config, &[], secret).unwrap();
        let router = steden_web::app::build(state, &[]);
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

        // No cookie jar: a jar would not send Secure cookies over plain http, so the CSRF cookie
        // is passed by hand.
        let client = TestApp::new_client();
        let base = format!("http://127.0.0.1:{port}");
        let form = client
            .get(format!("{base}/aanmelden"))
            .send()
            .await
            .unwrap();
        let csrf_cookie = form
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("steden_csrf="))
            .map(|v| v.split(';').next().unwrap().to_string())
            .unwrap_or_default();
        let token = csrf_token(&form.text().await.unwrap()).unwrap_or_default();
        let response = client
            .post(format!("{base}/aanmelden"))
            .header("cookie", csrf_cookie)
            .form(&[
                ("_csrf", token.as_str()),
                ("email", "an@gent.be"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let cookie = session_cookie(&response).unwrap();
        assert!(cookie.contains("; Secure"), "{cookie}");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    })
    .await;
}

#[tokio::test]
async fn switcher_allows_own_organisations_only() {
    each_app(|app| async move {
        seed_user(
            &app.db,
            "an@gent.be",
            &[("gent", Role::Lid), ("aalst", Role::Lezer)],
            false,
        )
        .await;
        assert_eq!(login(&app, "an@gent.be", PASSWORD).await.status(), 303);
        let aalst = org_id(&app.db, "aalst").await;
        let brugge = org_id(&app.db, "brugge").await;
        let home = app.page("/").await;
        assert!(
            home.contains(r#"name="organisation_id""#),
            "switcher shown: {home}"
        );

        let switched = app
            .post_form(
                "/",
                "/organisatie-wisselen",
                &[("organisation_id", &aalst), ("terug", "/account")],
            )
            .await;
        assert_eq!(switched.status(), 303);
        assert_eq!(switched.headers()["location"], "/account");
        let active: Option<String> = sqlx::query("SELECT active_organisation_id FROM sessions")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
            .get(0);
        assert_eq!(active.as_deref(), Some(aalst.as_str()));

        let refused = app
            .post_form(
                "/",
                "/organisatie-wisselen",
                &[("organisation_id", &brugge), ("terug", "/")],
            )
            .await;
        assert_eq!(refused.status(), 403);
        let active: Option<String> = sqlx::query("SELECT active_organisation_id FROM sessions")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
            .get(0);
        assert_eq!(active.as_deref(), Some(aalst.as_str()), "unchanged");

        // An external return path is not followed.
        let gent = org_id(&app.db, "gent").await;
        let external = app
            .post_form(
                "/",
                "/organisatie-wisselen",
                &[
                    ("organisation_id", &gent),
                    ("terug", "https://evil.example"),
                ],
            )
            .await;
        assert_eq!(external.headers()["location"], "/");
    })
    .await;
}

#[tokio::test]
async fn invitation_end_to_end() {
    each_app(|app| async move {
        let admin_id = seed_user(
            &app.db,
            "beheer@gent.be",
            &[("gent", Role::Beheerder)],
            false,
        )
        .await;
        let gent = org_id(&app.db, "gent").await;
        assert_eq!(login(&app, "beheer@gent.be", PASSWORD).await.status(), 303);
        let page = format!("/beheer/organisaties/{gent}");
        let html = app.page(&page).await;
        assert!(html.contains("44021"), "REFNIS shown: {html}");

        // An invalid address: the form comes back with the message next to the field and the
        // typed value; nothing is written.
        let users_before = count(&app.db, "SELECT COUNT(*) FROM users").await;
        let bad = app
            .post_form(
                &page,
                &format!("{page}/uitnodigen"),
                &[("email", "geen-adres"), ("role", "redacteur")],
            )
            .await;
        assert_eq!(bad.status(), 422);
        let bad_html = bad.text().await.unwrap();
        assert!(bad_html.contains("geen geldig e-mailadres"), "{bad_html}");
        assert!(bad_html.contains(r#"value="geen-adres""#));
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM users").await,
            users_before
        );
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM mail_outbox").await, 0);

        let sent = app
            .post_form(
                &page,
                &format!("{page}/uitnodigen"),
                &[("email", "Nieuw@Gent.be"), ("role", "redacteur")],
            )
            .await;
        assert_eq!(sent.status(), 303);
        let invitee = user::find_by_email(app.db.pool(), "nieuw@gent.be")
            .await
            .unwrap()
            .unwrap();
        assert!(!invitee.has_password());
        assert_eq!(
            membership::role_of(app.db.pool(), &invitee.id, &gent)
                .await
                .unwrap(),
            Some(Role::Redacteur)
        );
        let link = link_in_mail(&app.db, "nieuw@gent.be", "/uitnodiging/").await;
        assert!(link.starts_with(&app.state.config().base_url), "{link}");
        let path = link
            .trim_start_matches(&app.state.config().base_url)
            .to_string();
        // The link's secret is not stored.
        let secret = path.trim_start_matches("/uitnodiging/");
        assert_eq!(
            count(
                &app.db,
                &format!("SELECT COUNT(*) FROM account_tokens WHERE token_hash = '{secret}'")
            )
            .await,
            0
        );

        // The invitee, in another browser.
        let mut invitee_app = app;
        invitee_app.client = TestApp::new_client();
        let form = invitee_app.page(&path).await;
        assert!(form.contains(r#"name="password_confirm""#));
        let short = invitee_app
            .post_form(
                &path,
                &path,
                &[
                    ("name", "Nina Nieuw"),
                    ("password", "kort"),
                    ("password_confirm", "kort"),
                ],
            )
            .await;
        assert_eq!(short.status(), 422);
        let short_html = short.text().await.unwrap();
        assert!(short_html.contains("minstens 12 tekens"), "{short_html}");
        assert!(short_html.contains(r#"value="Nina Nieuw""#));

        let accepted = invitee_app
            .post_form(
                &path,
                &path,
                &[
                    ("name", "Nina Nieuw"),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
            )
            .await;
        assert_eq!(accepted.status(), 303);
        assert!(session_cookie(&accepted).is_some());
        let home = invitee_app.page("/").await;
        assert!(home.contains("Nina Nieuw"));
        let invitee = user::get(invitee_app.db.pool(), &invitee.id).await.unwrap();
        assert!(invitee
            .password_hash
            .as_deref()
            .unwrap()
            .starts_with("$argon2id$"));

        // Single use.
        assert_eq!(
            TestApp::new_client()
                .get(invitee_app.url(&path))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );

        let history = steden_core::audit::history(&invitee_app.db, "user", &invitee.id)
            .await
            .unwrap();
        for action in ["create", "invite", "invitation_accepted", "set_password"] {
            assert!(
                history.iter().any(|e| e.action == action),
                "no {action} entry"
            );
        }
        assert!(
            history
                .iter()
                .any(|e| e.action == "invite"
                    && e.actor_user_id.as_deref() == Some(admin_id.as_str()))
        );
    })
    .await;
}

#[tokio::test]
async fn password_reset_ends_other_sessions() {
    each_app(|app| async move {
        let user_id = seed_user(&app.db, "an@gent.be", &[("gent", Role::Lid)], false).await;
        // Logged in on a first device.
        assert_eq!(login(&app, "an@gent.be", PASSWORD).await.status(), 303);
        assert_eq!(app.get("/account").await.status(), 200);
        let first_device = app.client.clone();

        let mut other = app;
        other.client = TestApp::new_client();
        // The same answer for an unknown address, and no mail.
        let unknown = other
            .post_form(
                "/wachtwoord-vergeten",
                "/wachtwoord-vergeten",
                &[("email", "niemand@gent.be")],
            )
            .await;
        assert_eq!(unknown.status(), 200);
        let unknown_html = unknown.text().await.unwrap();
        assert_eq!(
            count(&other.db, "SELECT COUNT(*) FROM mail_outbox").await,
            0
        );
        let known = other
            .post_form(
                "/wachtwoord-vergeten",
                "/wachtwoord-vergeten",
                &[("email", "an@gent.be")],
            )
            .await;
        assert_eq!(known.status(), 200);
        let known_html = known.text().await.unwrap();
        let answer = "Als er een account bestaat voor dit e-mailadres";
        assert!(unknown_html.contains(answer) && known_html.contains(answer));

        let link = link_in_mail(&other.db, "an@gent.be", "/wachtwoord-herstellen/").await;
        let path = link
            .trim_start_matches(&other.state.config().base_url)
            .to_string();
        let new_password = "een heel ander wachtwoord";
        let mismatch = other
            .post_form(
                &path,
                &path,
                &[
                    ("password", new_password),
                    ("password_confirm", "iets anders dan dat"),
                ],
            )
            .await;
        assert_eq!(mismatch.status(), 422);
        let done = other
            .post_form(
                &path,
                &path,
                &[
                    ("password", new_password),
                    ("password_confirm", new_password),
                ],
            )
            .await;
        assert_eq!(done.status(), 303);

        // The first device is logged out; this one is logged in.
        assert_eq!(other.get("/account").await.status(), 200);
        let first = first_device
            .get(other.url("/account"))
            .send()
            .await
            .unwrap();
        assert_eq!(first.status(), 303, "the other session has ended");
        let stored = user::get(other.db.pool(), &user_id).await.unwrap();
        assert!(user::verify_password(
            stored.password_hash.as_deref().unwrap(),
            new_password
        ));
        assert_eq!(count(&other.db, "SELECT COUNT(*) FROM sessions").await, 1);
        let first = other;
        // Single use.
        let again = TestApp::new_client()
            .get(first.url(&path))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 404);
        // Reset mails are throttled: at most three an hour per address, same answer anyway.
        for _ in 0..4 {
            let answer = first
                .post_form(
                    "/wachtwoord-vergeten",
                    "/wachtwoord-vergeten",
                    &[("email", "an@gent.be")],
                )
                .await;
            assert_eq!(answer.status(), 200);
        }
        assert_eq!(
            count(&first.db, "SELECT COUNT(*) FROM mail_outbox").await,
            3
        );
        let history = steden_core::audit::history(&first.db, "user", &user_id)
            .await
            .unwrap();
        assert!(history.iter().any(|e| e.action == "password_reset"));
    })
    .await;
}

#[tokio::test]
async fn a_role_change_by_a_non_beheerder_is_refused_and_writes_nothing() {
    each_app(|app| async move {
        seed_user(&app.db, "red@gent.be", &[("gent", Role::Redacteur)], false).await;
        let target = seed_user(&app.db, "lid@gent.be", &[("gent", Role::Lid)], false).await;
        let gent = org_id(&app.db, "gent").await;
        assert_eq!(login(&app, "red@gent.be", PASSWORD).await.status(), 303);
        let page = format!("/beheer/organisaties/{gent}");
        let html = app.page(&page).await;
        assert!(
            !html.contains("/uitnodigen"),
            "no invite form for a redacteur"
        );
        let audit_before = count(&app.db, "SELECT COUNT(*) FROM audit_log").await;
        let refused = app
            .post_form(
                &page,
                &format!("{page}/leden/{target}/rol"),
                &[("role", "beheerder")],
            )
            .await;
        assert_eq!(refused.status(), 403);
        let invite = app
            .post_form(
                &page,
                &format!("{page}/uitnodigen"),
                &[("email", "x@gent.be"), ("role", "lid")],
            )
            .await;
        assert_eq!(invite.status(), 403);
        assert_eq!(
            membership::role_of(app.db.pool(), &target, &gent)
                .await
                .unwrap(),
            Some(Role::Lid)
        );
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM audit_log").await,
            audit_before
        );
        assert!(user::find_by_email(app.db.pool(), "x@gent.be")
            .await
            .unwrap()
            .is_none());
        // Nor in another organisation.
        let aalst = org_id(&app.db, "aalst").await;
        let elsewhere = app.get(&format!("/beheer/organisaties/{aalst}")).await;
        assert_eq!(elsewhere.status(), 403);
    })
    .await;
}

#[tokio::test]
async fn a_beheerder_changes_roles_and_removes_members_with_audit() {
    each_app(|app| async move {
        let admin = seed_user(
            &app.db,
            "beheer@gent.be",
            &[("gent", Role::Beheerder)],
            false,
        )
        .await;
        let target = seed_user(&app.db, "lid@gent.be", &[("gent", Role::Lid)], false).await;
        let gent = org_id(&app.db, "gent").await;
        assert_eq!(login(&app, "beheer@gent.be", PASSWORD).await.status(), 303);
        let page = format!("/beheer/organisaties/{gent}");
        let changed = app
            .post_form(
                &page,
                &format!("{page}/leden/{target}/rol"),
                &[("role", "redacteur")],
            )
            .await;
        assert_eq!(changed.status(), 303);
        assert_eq!(
            membership::role_of(app.db.pool(), &target, &gent)
                .await
                .unwrap(),
            Some(Role::Redacteur)
        );
        let entity = format!("{target}:{gent}");
        let history = steden_core::audit::history(&app.db, "membership", &entity)
            .await
            .unwrap();
        assert_eq!(history[0].action, "update");
        assert_eq!(history[0].actor_user_id.as_deref(), Some(admin.as_str()));
        assert_eq!(history[0].organisation_id.as_deref(), Some(gent.as_str()));

        let removed = app
            .post_form(&page, &format!("{page}/leden/{target}/verwijderen"), &[])
            .await;
        assert_eq!(removed.status(), 303);
        assert_eq!(
            membership::role_of(app.db.pool(), &target, &gent)
                .await
                .unwrap(),
            None
        );
        let history = steden_core::audit::history(&app.db, "membership", &entity)
            .await
            .unwrap();
        assert_eq!(history[0].action, "delete");

        // The organisation page shows both changes in its history, newest first.
        let html = app.page(&page).await;
        let block = &html[html.find("id=\"geschiedenis\"").expect("history block")..];
        let removal = block
            .find(&history[0].summary)
            .expect("removal in the history");
        let change = block
            .find(&history[1].summary)
            .expect("role change in the history");
        assert!(removal < change, "newest first");
    })
    .await;
}

#[tokio::test]
async fn api_token_is_shown_once_and_works_until_revoked() {
    each_app(|app| async move {
        seed_user(&app.db, "red@gent.be", &[("gent", Role::Redacteur)], false).await;
        let gent = org_id(&app.db, "gent").await;
        assert_eq!(login(&app, "red@gent.be", PASSWORD).await.status(), 303);
        let page = format!("/beheer/organisaties/{gent}");
        let action = format!("{page}/api-tokens");

        // Above the creator's role: refused next to the field, nothing stored.
        let too_much = app
            .post_form(
                &page,
                &action,
                &[
                    ("token_name", "Dashboard"),
                    ("token_modules", "core"),
                    ("token_role", "beheerder"),
                ],
            )
            .await;
        assert_eq!(too_much.status(), 422);
        let html = too_much.text().await.unwrap();
        assert!(html.contains(r#"id="token_role-fout""#), "{html}");
        assert!(html.contains(r#"value="Dashboard""#));
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM api_tokens").await, 0);

        let created = app
            .post_form(
                &page,
                &action,
                &[
                    ("token_name", "Dashboard"),
                    ("token_modules", "core"),
                    ("token_role", "lezer"),
                ],
            )
            .await;
        assert_eq!(created.status(), 200);
        let html = created.text().await.unwrap();
        let start = html.find("stp_").expect("token shown");
        let plaintext: String = html[start..].chars().take_while(|c| *c != '"').collect();
        assert_eq!(plaintext.len(), 47, "{plaintext}");
        let actor = steden_core::api_token::authenticate(&app.db, &plaintext)
            .await
            .unwrap();
        assert!(steden_core::policy::can(
            &actor,
            "core",
            steden_core::policy::Action::Read,
            &gent
        ));
        // Never shown again.
        assert!(!app.page(&page).await.contains(&plaintext));

        let id: String = sqlx::query("SELECT id FROM api_tokens")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
            .get(0);
        let revoked = app
            .post_form(&page, &format!("{action}/{id}/intrekken"), &[])
            .await;
        assert_eq!(revoked.status(), 303);
        assert!(steden_core::api_token::authenticate(&app.db, &plaintext)
            .await
            .is_err());
    })
    .await;
}

#[tokio::test]
async fn platform_admin_pages_are_for_platform_admins() {
    each_app(|app| async move {
        seed_user(&app.db, "admin@kenniscentrum.be", &[], true).await;
        let target = seed_user(&app.db, "an@gent.be", &[("gent", Role::Beheerder)], false).await;

        let mut an = app;
        an.client = TestApp::new_client();
        assert_eq!(login(&an, "an@gent.be", PASSWORD).await.status(), 303);
        assert_eq!(an.get("/beheer/gebruikers").await.status(), 403);

        let mut admin = an;
        admin.client = TestApp::new_client();
        assert_eq!(
            login(&admin, "admin@kenniscentrum.be", PASSWORD)
                .await
                .status(),
            303
        );
        let list = admin.page("/beheer/organisaties").await;
        assert!(list.contains("71072"), "Hasselt's current code: {list}");
        assert!(!list.contains("71022"));
        assert!(list.contains("Centrumstad"));
        let users = admin.page("/beheer/gebruikers").await;
        assert!(users.contains("an@gent.be"));
        // A platform admin may switch to any organisation.
        let brugge = org_id(&admin.db, "brugge").await;
        let switched = admin
            .post_form(
                "/",
                "/organisatie-wisselen",
                &[("organisation_id", &brugge), ("terug", "/")],
            )
            .await;
        assert_eq!(switched.status(), 303);

        let deactivated = admin
            .post_form(
                "/beheer/gebruikers",
                &format!("/beheer/gebruikers/{target}/actief"),
                &[("value", "0")],
            )
            .await;
        assert_eq!(deactivated.status(), 303);
        // The administrator stays logged in; An's sessions are gone.
        assert_eq!(
            admin
                .client
                .get(admin.url("/account"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        let stored = user::get(admin.db.pool(), &target).await.unwrap();
        assert!(!stored.active);
        let history = steden_core::audit::history(&admin.db, "user", &target)
            .await
            .unwrap();
        assert!(history.iter().any(|e| e.action == "deactivate"));
        assert_eq!(
            count(
                &admin.db,
                &format!("SELECT COUNT(*) FROM sessions WHERE user_id = '{target}'")
            )
            .await,
            0
        );
    })
    .await;
}

#[tokio::test]
async fn sessions_end_when_idle_or_too_old_and_are_touched_sparingly() {
    each_app(|app| async move {
        seed_user(&app.db, "an@gent.be", &[], false).await;
        assert_eq!(login(&app, "an@gent.be", PASSWORD).await.status(), 303);
        let last_seen = |db: Db| async move {
            let v: i64 = sqlx::query("SELECT last_seen_at FROM sessions")
                .fetch_one(db.pool())
                .await
                .unwrap()
                .get(0);
            v
        };
        // Not written on every request.
        sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 1000")
            .execute(app.db.pool())
            .await
            .unwrap();
        let before = last_seen(app.db.clone()).await;
        assert_eq!(app.get("/account").await.status(), 200);
        assert_eq!(last_seen(app.db.clone()).await, before);
        // But after a minute it is.
        sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 120000")
            .execute(app.db.pool())
            .await
            .unwrap();
        assert_eq!(app.get("/account").await.status(), 200);
        assert!(last_seen(app.db.clone()).await > before);

        // Idle for more than 8 hours: over, and removed.
        sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - $1")
            .bind(9 * 60 * 60 * 1000_i64)
            .execute(app.db.pool())
            .await
            .unwrap();
        assert_eq!(app.get("/account").await.status(), 303);
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM sessions").await, 0);

        // Past its absolute lifetime, however active: over.
        assert_eq!(login(&app, "an@gent.be", PASSWORD).await.status(), 303);
        sqlx::query("UPDATE sessions SET expires_at = $1")
            .bind(steden_db::now_ms() - 1)
            .execute(app.db.pool())
            .await
            .unwrap();
        assert_eq!(app.get("/account").await.status(), 303);
    })
    .await;
}

#[tokio::test]
async fn a_failed_invitation_leaves_nothing_behind() {
    each_app(|app| async move {
        seed_user(
            &app.db,
            "beheer@gent.be",
            &[("gent", Role::Beheerder)],
            false,
        )
        .await;
        seed_user(&app.db, "lid@gent.be", &[("gent", Role::Lid)], false).await;
        let gent = org_id(&app.db, "gent").await;
        assert_eq!(login(&app, "beheer@gent.be", PASSWORD).await.status(), 303);
        let page = format!("/beheer/organisaties/{gent}");
        let audit_before = count(&app.db, "SELECT COUNT(*) FROM audit_log").await;
        // Already a member: refused next to the field; no token, no mail, no audit entry.
        let again = app
            .post_form(
                &page,
                &format!("{page}/uitnodigen"),
                &[("email", "LID@gent.be"), ("role", "beheerder")],
            )
            .await;
        assert_eq!(again.status(), 422);
        let html = again.text().await.unwrap();
        assert!(html.contains("al lid van deze organisatie"), "{html}");
        assert!(html.contains(r#"id="email-fout""#));
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM account_tokens").await,
            0
        );
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM mail_outbox").await, 0);
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM audit_log").await,
            audit_before
        );
        let lid = user::find_by_email(app.db.pool(), "lid@gent.be")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            membership::role_of(app.db.pool(), &lid.id, &gent)
                .await
                .unwrap(),
            Some(Role::Lid)
        );

        // An existing account elsewhere gets access and a notice, but no password link.
        seed_user(&app.db, "bert@aalst.be", &[("aalst", Role::Lid)], false).await;
        let added = app
            .post_form(
                &page,
                &format!("{page}/uitnodigen"),
                &[("email", "bert@aalst.be"), ("role", "lezer")],
            )
            .await;
        assert_eq!(added.status(), 303);
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM account_tokens").await,
            0
        );
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM mail_outbox").await, 1);
    })
    .await;
}

#[tokio::test]
async fn members_see_colleagues_but_only_beheerders_their_email_addresses() {
    each_app(|app| async move {
        seed_user(&app.db, "chef@gent.be", &[("gent", Role::Beheerder)], false).await;
        seed_user(&app.db, "collega@gent.be", &[("gent", Role::Lid)], false).await;
        let gent = org_id(&app.db, "gent").await;
        let page = format!("/beheer/organisaties/{gent}");

        assert_eq!(login(&app, "collega@gent.be", PASSWORD).await.status(), 303);
        let as_member = app.page(&page).await;
        assert!(as_member.contains(">chef<"), "the colleague is listed");
        assert!(
            !as_member.contains("chef@gent.be"),
            "no e-mail address for a lid"
        );

        assert_eq!(app.post_form(&page, "/afmelden", &[]).await.status(), 303);
        assert_eq!(login(&app, "chef@gent.be", PASSWORD).await.status(), 303);
        let as_beheerder = app.page(&page).await;
        assert!(as_beheerder.contains("collega@gent.be"));
    })
    .await;
}

/// The links inside the header's `<nav class="{class}"` block (the first copy: the wide header).
fn menu_links(html: &str, class: &str) -> Vec<String> {
    let Some(start) = html.find(&format!("<nav class=\"{class}\"")) else {
        return Vec::new();
    };
    let block = &html[start..];
    let block = &block[..block.find("</nav>").unwrap()];
    block
        .split("href=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

/// Issue 12: entries land in their menu (visitors see no workspace or account menu; a member
/// sees the workspace and the account menu; only a platform admin sees the admin entries), and
/// no menu offers a page that answers 403.
#[tokio::test]
async fn the_header_menus_are_grouped_and_lead_to_no_refusal() {
    each_app(|app| async move {
        seed_user(&app.db, "admin@kenniscentrum.be", &[], true).await;
        seed_user(&app.db, "an@gent.be", &[("gent", Role::Lid)], false).await;

        let visitor = app.page("/aanmelden").await;
        assert!(menu_links(&visitor, "work-nav").is_empty(), "{visitor}");
        assert!(menu_links(&visitor, "account-nav").is_empty(), "{visitor}");
        assert!(!visitor.contains("class=\"work-bar\""), "{visitor}");
        assert!(
            visitor.contains("<details class=\"nav-menu\">"),
            "{visitor}"
        );

        let mut an = app;
        an.client = TestApp::new_client();
        assert_eq!(login(&an, "an@gent.be", PASSWORD).await.status(), 303);
        let page = an.page("/start").await;
        let work = menu_links(&page, "work-nav");
        assert!(work.contains(&"/start".to_string()), "{page}");
        let account = menu_links(&page, "account-nav");
        assert!(account.contains(&"/account".to_string()), "{page}");
        assert!(
            !account.contains(&"/beheer/gebruikers".to_string()),
            "{page}"
        );
        for href in work.iter().chain(&account) {
            assert_ne!(an.get(href).await.status(), 403, "{href} for a member");
        }

        let mut admin = an;
        admin.client = TestApp::new_client();
        let status = login(&admin, "admin@kenniscentrum.be", PASSWORD)
            .await
            .status();
        assert_eq!(status, 303);
        let page = admin.page("/start").await;
        let account = menu_links(&page, "account-nav");
        for admin_href in ["/beheer/gebruikers", "/beheer/taken", "/beheer/audit"] {
            assert!(
                account.contains(&admin_href.to_string()),
                "{admin_href}: {page}"
            );
        }
        for href in menu_links(&page, "work-nav").iter().chain(&account) {
            assert_ne!(admin.get(href).await.status(), 403, "{href} for an admin");
        }
    })
    .await;
}
