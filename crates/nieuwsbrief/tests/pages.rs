//! Subscribing through the pages and the mail (design §3.1), on both backends: the form with
//! its Dutch errors (422, nothing written); the same answer for a new and a known address;
//! the confirmation link from the mail received over TCP (GET only shows, POST confirms); the
//! welcome mail's preferences and unsubscribe links; the own-data download; the one-click
//! unsubscribe of RFC 8058 without cookie or CSRF token; erasure; forged and expired links.

use steden_nieuwsbrief::links::{self, LinkKind};
use steden_testkit::smtp::{Mode, SmtpServer};

use crate::common::{count, csrf_token, each_nb_app, link, mails_to, send_mail, TestApp};

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// POSTs `fields` to `action` with the CSRF token of the page at `form_page`.
async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let (_, html) = get(app, client, form_page).await;
    let token = csrf_token(&html).expect("the page has a form");
    let mut body: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
    body.extend_from_slice(fields);
    client
        .post(app.url(action))
        .form(&body)
        .send()
        .await
        .unwrap()
}

async fn subscribe(app: &TestApp, client: &reqwest::Client, email: &str) -> reqwest::Response {
    post(
        app,
        client,
        "/nieuwsbrief",
        "/nieuwsbrief/inschrijven",
        &[
            ("email", email),
            ("name", "Jan Janssens"),
            ("language", "nl"),
            ("lists", "algemeen"),
            ("lists", "smart-cities"),
            ("consent", "1"),
            ("consent_version", "1"),
        ],
    )
    .await
}

#[tokio::test]
async fn subscribe_confirm_preferences_and_one_click_unsubscribe() {
    each_nb_app(|app| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let client = TestApp::new_client();
        let (status, form) = get(&app, &client, "/nieuwsbrief").await;
        assert_eq!(status, 200);
        assert!(form.contains("Smart Cities") && form.contains("Ik ga akkoord"));
        let response = subscribe(&app, &client, "jan@kortrijk.be").await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(response.headers()["location"], "/nieuwsbrief/ingeschreven");
        let (_, sent) = get(&app, &client, "/nieuwsbrief/ingeschreven").await;
        assert!(sent.contains("Kijk in je mailbox"));

        send_mail(&app.db, &smtp).await;
        let mails = mails_to(&smtp, "jan@kortrijk.be");
        assert_eq!(mails.len(), 1);
        assert!(mails[0].0.contains("Bevestig je inschrijving"));
        assert!(mails[0].1.contains("Dag Jan Janssens,"));
        let confirm = link(&mails[0].1, "/nieuwsbrief/bevestigen/").expect("confirmation link");

        // A mail scanner opening the link confirms nothing.
        let reader = TestApp::new_client();
        let (status, page) = get(&app, &reader, &confirm).await;
        assert_eq!(status, 200);
        assert!(page.contains("jan@kortrijk.be"));
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM nb_subscribers WHERE status = 'bevestigd'"
            )
            .await,
            0
        );
        let response = post(&app, &reader, &confirm, &confirm, &[]).await;
        assert_eq!(response.status().as_u16(), 200);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("Je inschrijving is bevestigd"));
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM nb_subscribers WHERE status = 'bevestigd'"
            )
            .await,
            1
        );
        // A second click: still confirmed, no second welcome.
        post(&app, &reader, &confirm, &confirm, &[]).await;

        send_mail(&app.db, &smtp).await;
        let mails = mails_to(&smtp, "jan@kortrijk.be");
        assert_eq!(mails.len(), 2, "{mails:?}");
        let welcome = &mails[1].1;
        assert!(mails[1].0.contains("Welkom"));
        assert!(
            welcome.contains("- Maandelijkse nieuwsbrief") && welcome.contains("- Smart Cities")
        );
        let preferences = link(welcome, "/nieuwsbrief/voorkeuren/").expect("preferences link");
        let unsubscribe = link(welcome, "/nieuwsbrief/afmelden/").expect("unsubscribe link");

        let (status, page) = get(&app, &reader, &preferences).await;
        assert_eq!(status, 200);
        assert!(page.contains("value=\"smart-cities\" checked"));
        let response = post(
            &app,
            &reader,
            &preferences,
            &preferences,
            &[("name", "Jan"), ("language", "en"), ("lists", "klimaat")],
        )
        .await;
        assert_eq!(response.status().as_u16(), 303);
        let (_, page) = get(&app, &reader, &format!("{preferences}?opgeslagen=1")).await;
        assert!(page.contains("Je voorkeuren zijn bewaard."));
        assert!(page.contains("value=\"klimaat\" checked"));
        assert!(!page.contains("value=\"smart-cities\" checked"));

        let response = reader
            .get(app.url(&format!("{preferences}/gegevens")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let data: serde_json::Value = response.json().await.unwrap();
        assert_eq!(data["email"], "jan@kortrijk.be");
        assert_eq!(data["language"], "en");
        let kinds: Vec<&str> = data["consents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["aanvraag", "bevestiging", "voorkeuren"]);

        // The mail client's one-click POST: no cookie, no CSRF token, no page.
        let token = unsubscribe.trim_start_matches("/nieuwsbrief/afmelden/");
        let bare = reqwest::Client::new();
        let response = bare
            .post(app.url(&format!("/api/v1/nieuwsbrief/unsubscribe/{token}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert!(response.headers().get("set-cookie").is_none());
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["status"], "afgemeld");
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM nb_subscribers WHERE status = 'afgemeld'"
            )
            .await,
            1
        );
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM nb_subscriptions WHERE status = 'actief'"
            )
            .await,
            0
        );
        // A browser opening the same address is sent to the page that asks first.
        let response = TestApp::new_client()
            .get(app.url(&format!("/api/v1/nieuwsbrief/unsubscribe/{token}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(response.headers()["location"], unsubscribe.as_str());
    })
    .await;
}

#[tokio::test]
async fn the_form_answers_the_same_for_a_known_address_and_mails_its_owner() {
    each_nb_app(|app| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let client = TestApp::new_client();
        subscribe(&app, &client, "an@hasselt.be").await;
        send_mail(&app.db, &smtp).await;
        let confirm = link(
            &mails_to(&smtp, "an@hasselt.be")[0].1,
            "/nieuwsbrief/bevestigen/",
        )
        .unwrap();
        post(&app, &client, &confirm, &confirm, &[]).await;
        sqlx::query("UPDATE nb_subscribers SET confirmation_sent_at = 0")
            .execute(app.db.pool())
            .await
            .unwrap();

        let stranger = TestApp::new_client();
        let known = subscribe(&app, &stranger, "an@hasselt.be").await;
        let unknown = subscribe(&app, &stranger, "nieuw@hasselt.be").await;
        assert_eq!(known.status(), unknown.status());
        assert_eq!(known.headers()["location"], unknown.headers()["location"]);
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM nb_subscribers WHERE email = 'an@hasselt.be'"
            )
            .await,
            1
        );
        send_mail(&app.db, &smtp).await;
        let mails = mails_to(&smtp, "an@hasselt.be");
        let last = mails.last().unwrap();
        assert!(last.0.contains("Je bent al ingeschreven"), "{mails:?}");
        assert!(link(&last.1, "/nieuwsbrief/voorkeuren/").is_some());
        assert!(link(&last.1, "/nieuwsbrief/bevestigen/").is_none());
    })
    .await;
}

#[tokio::test]
async fn a_bad_form_is_shown_again_with_dutch_errors_and_writes_nothing() {
    each_nb_app(|app| async move {
        let client = TestApp::new_client();
        let response = post(
            &app,
            &client,
            "/nieuwsbrief",
            "/nieuwsbrief/inschrijven",
            &[
                ("email", "niet-een-adres"),
                ("language", "nl"),
                ("consent_version", "1"),
            ],
        )
        .await;
        assert_eq!(response.status().as_u16(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("<title>Fout: "));
        assert!(page.contains("Dit is geen geldig e-mailadres"));
        assert!(page.contains("Kies minstens één onderwerp."));
        assert!(page.contains("Vink aan dat je akkoord gaat"));
        assert!(
            page.contains("value=\"niet-een-adres\""),
            "what was typed stays"
        );
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM nb_subscribers").await,
            0
        );
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM jobs").await, 0);
    })
    .await;
}

#[tokio::test]
async fn forged_expired_and_erased_links_are_refused() {
    each_nb_app(|app| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let client = TestApp::new_client();
        subscribe(&app, &client, "lies@oostende.be").await;
        send_mail(&app.db, &smtp).await;
        let confirm = link(
            &mails_to(&smtp, "lies@oostende.be")[0].1,
            "/nieuwsbrief/bevestigen/",
        )
        .unwrap();
        let token = confirm.trim_start_matches("/nieuwsbrief/bevestigen/");

        // Forged: another id under the old signature; a confirmation link used as preferences.
        let (_, signature) = token.split_once('.').unwrap();
        let forged = format!("{}.{signature}", "YmV2ZXN0aWdlbnxvdGhlcnw5OTk5OTk5OTk5OTk5");
        for path in [
            format!("/nieuwsbrief/bevestigen/{forged}"),
            format!("/nieuwsbrief/voorkeuren/{token}"),
            "/nieuwsbrief/afmelden/rommel".to_string(),
        ] {
            let (status, page) = get(&app, &client, &path).await;
            assert_eq!(status, 400, "{path}");
            assert!(page.contains("Deze link is niet geldig"), "{path}");
        }
        let response = post(
            &app,
            &client,
            "/nieuwsbrief",
            &format!("/nieuwsbrief/bevestigen/{forged}"),
            &[],
        )
        .await;
        assert_eq!(response.status().as_u16(), 400);

        // Expired: a link made eight days ago.
        let signer = links::signer(&app.db).await.unwrap();
        let id: String = sqlx::query_scalar("SELECT id FROM nb_subscribers")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        let eight_days_ago = steden_db::now_ms() - 8 * 24 * 3_600_000;
        let old = links::sign(&signer, LinkKind::Confirm, &id, eight_days_ago);
        let (status, page) = get(&app, &client, &format!("/nieuwsbrief/bevestigen/{old}")).await;
        assert_eq!(status, 410);
        assert!(page.contains("Deze link is verlopen"));
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM nb_subscribers WHERE status = 'bevestigd'"
            )
            .await,
            0
        );

        // The one-click API: a forged token is "not found", never an unsubscribe.
        let response = reqwest::Client::new()
            .post(app.url("/api/v1/nieuwsbrief/unsubscribe/rommel"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 404);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );

        // Erased through the preferences page: every link of that subscriber is then gone.
        let preferences = links::sign(&signer, LinkKind::Preferences, &id, steden_db::now_ms());
        let erase = format!("/nieuwsbrief/voorkeuren/{preferences}/wissen");
        let (status, ask) = get(&app, &client, &erase).await;
        assert_eq!(status, 200);
        assert!(ask.contains("lies@oostende.be"));
        let response = post(&app, &client, &erase, &erase, &[]).await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM nb_subscribers").await,
            0
        );
        let (status, _) = get(
            &app,
            &client,
            &format!("/nieuwsbrief/voorkeuren/{preferences}"),
        )
        .await;
        assert_eq!(status, 410);
        let unsubscribe = links::sign(&signer, LinkKind::Unsubscribe, &id, steden_db::now_ms());
        let response = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/nieuwsbrief/unsubscribe/{unsubscribe}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 410);
    })
    .await;
}
