//! The embeddable subscription form (issue 14 point 1) on both backends: its own
//! `frame-ancestors` (from the setting, or `'self' https:`) and no `X-Frame-Options`, while the
//! site's other pages keep refusing frames; no cookie; subscribing through it as a browser does
//! inside another site's iframe — without any cookie, with the signed form token — ends in the
//! same double opt-in mail as the site's form; a missing, forged or other page's token and a
//! foreign origin are refused with nothing written; the editors' page shows the snippet.

use steden_testkit::smtp::{Mode, SmtpServer};

use crate::common::{count, csrf_token, each_nb_app, link, mails_to, send_mail, TestApp};

/// A client without a cookie jar: what a framed page gets in a browser that does not send
/// (or keep) cookies for a third-party frame.
fn cookieless() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The signed form token of the embedded form.
fn form_token(html: &str) -> String {
    let marker = "name=\"_csrf_form\" value=\"";
    let start = html.find(marker).expect("a form token") + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_string()
}

fn fields<'a>(token: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("_csrf_form", token),
        ("email", email),
        ("name", "Ilse Ingesloten"),
        ("language", "nl"),
        ("lists", "algemeen"),
        ("consent", "1"),
        ("consent_version", "1"),
    ]
}

async fn set_ancestors(app: &TestApp, value: &str) {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ('nieuwsbrief.embed_ancestors', $1, 0)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(value)
    .execute(app.db.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn the_embed_page_may_be_framed_and_the_other_pages_may_not() {
    each_nb_app(|app| async move {
        let client = cookieless();
        let response = client
            .get(app.url("/nieuwsbrief/insluiten"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let policy = header(&response, "content-security-policy");
        assert!(
            policy.ends_with("frame-ancestors 'self' https:"),
            "{policy}"
        );
        assert!(policy.contains("script-src 'self'"));
        assert_eq!(header(&response, "x-frame-options"), "");
        assert!(response.headers().get("set-cookie").is_none(), "no cookie");
        let html = response.text().await.unwrap();
        assert!(!html.contains("name=\"_csrf\""), "no cookie-bound token");
        assert!(!html.contains("<header"), "no site chrome");
        form_token(&html);

        for path in ["/nieuwsbrief", "/nieuwsbrief/archief", "/aanmelden", "/"] {
            let response = client.get(app.url(path)).send().await.unwrap();
            let policy = header(&response, "content-security-policy");
            assert!(
                policy.contains("frame-ancestors 'none'"),
                "{path}: {policy}"
            );
            assert_eq!(header(&response, "x-frame-options"), "DENY", "{path}");
        }

        // The setting names the sites; a value that is no list of https origins is ignored.
        set_ancestors(&app, "https://www.gent.be https://*.vlaamsesteden.be").await;
        let response = client
            .get(app.url("/nieuwsbrief/insluiten"))
            .send()
            .await
            .unwrap();
        assert!(header(&response, "content-security-policy")
            .ends_with("frame-ancestors https://www.gent.be https://*.vlaamsesteden.be"));
        set_ancestors(&app, "* ; script-src *").await;
        let response = client
            .get(app.url("/nieuwsbrief/insluiten"))
            .send()
            .await
            .unwrap();
        assert!(
            header(&response, "content-security-policy").ends_with("frame-ancestors 'self' https:")
        );
    })
    .await;
}

#[tokio::test]
async fn subscribing_through_the_framed_form_without_a_cookie_sends_the_opt_in_mail() {
    each_nb_app(|app| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let framed = cookieless();
        let html = framed
            .get(app.url("/nieuwsbrief/insluiten"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = form_token(&html);

        // Refused, nothing written: no token, a forged one, another page's, a foreign origin.
        let forged = format!("{}x", token.trim_end_matches('x'));
        for (token, origin) in [
            ("", app.base.as_str()),
            (forged.as_str(), app.base.as_str()),
            (token.as_str(), "https://kwaad.example"),
        ] {
            let mut body = fields(token, "ilse@example.org");
            if token.is_empty() {
                body.remove(0);
            }
            let response = framed
                .post(app.url("/nieuwsbrief/insluiten"))
                .header("origin", origin)
                .form(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403, "token {token:?} from {origin}");
        }
        let other_page = framed
            .post(app.url("/nieuwsbrief/inschrijven"))
            .form(&fields(&token, "ilse@example.org"))
            .send()
            .await
            .unwrap();
        assert_eq!(other_page.status(), 403, "the token is for the embed page only");
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM nb_subscribers").await, 0);

        // Bad input: the form again, framed, with its errors (422), nothing written.
        let mut body = fields(&token, "geen-adres");
        body.retain(|(k, _)| *k != "consent");
        let response = framed
            .post(app.url("/nieuwsbrief/insluiten"))
            .header("origin", app.base.as_str())
            .form(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        assert!(header(&response, "content-security-policy").contains("frame-ancestors 'self'"));
        let html = response.text().await.unwrap();
        assert!(html.contains("geen geldig e-mailadres"), "{html}");
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM nb_subscribers").await, 0);

        // The real thing, as the browser in the frame sends it.
        let response = framed
            .post(app.url("/nieuwsbrief/insluiten"))
            .header("origin", app.base.as_str())
            .form(&fields(&token, "ilse@example.org"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(header(&response, "location"), "/nieuwsbrief/insluiten/verstuurd");
        assert!(response.headers().get("set-cookie").is_none());
        let sent = framed
            .get(app.url("/nieuwsbrief/insluiten/verstuurd"))
            .send()
            .await
            .unwrap();
        assert!(header(&sent, "content-security-policy").contains("frame-ancestors 'self' https:"));
        assert!(sent.text().await.unwrap().contains("Kijk in je mailbox"));
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM nb_consents WHERE source = 'formulier:/nieuwsbrief/insluiten'"
            )
            .await,
            1
        );

        // Double opt-in: the mail's link confirms, as for the site's own form.
        send_mail(&app.db, &smtp).await;
        let mails = mails_to(&smtp, "ilse@example.org");
        assert_eq!(mails.len(), 1);
        assert!(mails[0].0.contains("Bevestig je inschrijving"));
        let confirm = link(&mails[0].1, "/nieuwsbrief/bevestigen/").expect("confirmation link");
        let reader = TestApp::new_client();
        let page = reader.get(app.url(&confirm)).send().await.unwrap();
        let csrf = csrf_token(&page.text().await.unwrap()).unwrap();
        let response = reader
            .post(app.url(&confirm))
            .form(&[("_csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM nb_subscribers WHERE email = 'ilse@example.org' AND status = 'bevestigd'"
            )
            .await,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn editors_find_the_snippet_to_copy() {
    crate::archive::each_site(|app, editor| async move {
        steden_testkit::login(&app, &editor).await;
        let page = app.page("/nieuwsbrief/beheer/insluiten").await;
        // The snippet is shown as text: read it back without the escaping.
        let text = page
            .replace("&#60;", "<")
            .replace("&#62;", ">")
            .replace("&#34;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        let snippet = format!(
            "<iframe src=\"{}/nieuwsbrief/insluiten\" title=\"Inschrijven op de nieuwsbrief van het Kenniscentrum Vlaamse Steden\"",
            app.base
        );
        assert!(text.contains(&snippet), "{page}");
        assert!(text.contains("<code>'self' https:</code>"));
        let dashboard = app.page("/nieuwsbrief/beheer").await;
        assert!(dashboard.contains("/nieuwsbrief/beheer/insluiten"));
        // Not for anyone else.
        let stranger = TestApp::new_client();
        let response = stranger
            .get(app.url("/nieuwsbrief/beheer/insluiten"))
            .send()
            .await
            .unwrap();
        assert_ne!(response.status(), 200);
    })
    .await;
}
