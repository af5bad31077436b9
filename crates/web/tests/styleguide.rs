//! The living style guide (/beheer/stijlgids) and the self-hosted font, over HTTP on both
//! backends: who may open the guide, what it shows (every component through its partial, the
//! computed contrast of the colour tokens), and that the font comes from the platform itself.

use steden_core::audit::AuditActor;
use steden_core::org;
use steden_core::role::Role;
use steden_core::user::{self, NewUser};
use steden_testkit::{login, login_with, person, TestApp, PASSWORD};

const GUIDE: &str = "/beheer/stijlgids";
const FONT: &str = "/static/source-sans-3-latin-wght-normal.woff2";
/// The font's URL before its content hash (`…-normal.<hash>.woff2`).
const FONT_STEM: &str = "/static/source-sans-3-latin-wght-normal.";

/// Creates a platform administrator and logs `client` in as them.
async fn platform_admin(app: &TestApp, client: &reqwest::Client, email: &str) {
    let mut tx = app.db.begin().await.unwrap();
    user::create(
        &mut tx,
        NewUser {
            email,
            name: "Beheerder Platform",
            password: Some(PASSWORD),
            platform_admin: true,
        },
        &AuditActor::system(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    login_with(app, client, email, PASSWORD).await;
}

/// GETs `path` with `client`, expecting a page.
async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn only_platform_administrators_open_the_style_guide() {
    steden_testkit::each_app(|app| async move {
        org::seed_defaults(&app.db).await.unwrap();
        // A visitor is sent to the login page.
        let anonymous = app.get(GUIDE).await;
        assert_eq!(anonymous.status(), 303);
        assert!(anonymous.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/aanmelden"));

        // A beheerder of an organisation is no platform administrator: 403, and no link to it.
        let gent = org::find_by_slug(app.db.pool(), "gent")
            .await
            .unwrap()
            .unwrap();
        let beheerder = person(
            &app.db,
            "beheerder@gent.be",
            "Greet Beheerder",
            &gent.id,
            Role::Beheerder,
        )
        .await;
        login(&app, &beheerder).await;
        assert_eq!(app.get(GUIDE).await.status(), 403);
        let admin_home = app.page("/beheer").await;
        assert!(
            !admin_home.contains(&format!("href=\"{GUIDE}\"")),
            "no link a beheerder cannot follow"
        );

        // A platform administrator opens it from the administration menu.
        let admin = TestApp::new_client();
        platform_admin(&app, &admin, "platform@kenniscentrum.be").await;
        let start = page(&app, &admin, "/beheer").await;
        assert!(start.contains(&format!("href=\"{GUIDE}\"")), "{start}");
        page(&app, &admin, GUIDE).await;
    })
    .await;
}

#[tokio::test]
async fn the_style_guide_shows_tokens_and_every_component_through_the_partials() {
    steden_testkit::each_app(|app| async move {
        let client = app.client.clone();
        platform_admin(&app, &client, "platform@kenniscentrum.be").await;
        let html = app.page(GUIDE).await;
        // The title names the page and where it sits (WCAG 2.4.2).
        assert!(
            html.contains("<title>Stijlgids · Beheer · Stedenplatform</title>"),
            "{html}"
        );
        // Tokens, read from the stylesheet itself, with the computed contrast.
        assert!(html.contains("<code>--color-text</code>"), "{html}");
        assert!(html.contains("<code>#1b2533</code>"), "{html}");
        assert!(html.contains("15.45:1"), "text on white: {html}");
        assert!(html.contains("<code>--font-size-m</code>"), "{html}");
        assert!(html.contains("<code>--space-3</code>"), "{html}");
        assert!(
            !html.contains("Voldoet niet"),
            "every documented pair passes"
        );
        assert!(
            !html.contains("voldoet niet aan zijn eigen contrastregels"),
            "no token problems reported"
        );
        // Every component, in its states, as the macros write it.
        for marker in [
            "class=\"button\"",
            "class=\"button button-secondary\"",
            "class=\"button button-warning\"",
            "class=\"button button-link\"",
            " disabled>",
            "class=\"tag tag-success\"",
            "class=\"tag tag-neutral\"",
            "class=\"alert alert-info\"",
            "class=\"alert alert-warning\"",
            "class=\"alert alert-error\"",
            "class=\"table-wrap\" role=\"region\" aria-labelledby=\"sg-table-caption\" tabindex=\"0\"",
            "class=\"number\"",
            "class=\"card card-link\"",
            "class=\"field field-invalid\"",
            "aria-invalid=\"true\" aria-describedby=\"sg-email-error-fout sg-email-error-hint\"",
            "type=\"radio\"",
            "type=\"checkbox\"",
            "class=\"pagination\"",
            "class=\"tabs\"",
            "class=\"disclosure\"",
            "class=\"empty-state\"",
        ] {
            assert!(html.contains(marker), "{marker} missing from the style guide");
        }
        // The tabs are pages: the chosen one is the current page.
        let tabbed = app.page(&format!("{GUIDE}?tab=acties")).await;
        assert!(
            tabbed.contains("href=\"/beheer/stijlgids?tab=acties#tabbladen\" aria-current=\"page\""),
            "{tabbed}"
        );
        assert!(!html.contains("?tab=acties#tabbladen\" aria-current"));
        // The CSP allows no inline style: swatches are SVG fills, never style attributes.
        assert!(!html.contains("style="));
    })
    .await;
}

#[tokio::test]
async fn the_font_is_served_by_the_platform_and_preloaded() {
    steden_testkit::each_app(|app| async move {
        let html = app.page("/aanmelden").await;
        // The preload names the font by its fingerprinted URL, the same as the @font-face.
        let font = html
            .split("<link rel=\"preload\" href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("no preload link: {html}"))
            .to_string();
        assert!(
            font.starts_with(FONT_STEM) && font.ends_with(".woff2") && font != FONT,
            "{font}"
        );
        let css = app.page("/static/steden.css").await;
        assert!(
            css.contains(&format!("url(\"{font}\")")),
            "the @font-face names the same URL"
        );
        // No font, nor anything else, from another site.
        assert!(!css.contains("url(\"http"), "external URL in steden.css");
        assert!(!css.contains("url(http"), "external URL in steden.css");
        let response = app.get(&font).await;
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable",
            "{font}"
        );
        for path in [
            font.as_str(),
            FONT,
            "/static/source-sans-3-latin-wght-italic.woff2",
        ] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 200, "{path}");
            assert_eq!(response.headers()["content-type"], "font/woff2");
            let body = response.bytes().await.unwrap();
            assert_eq!(&body[..4], b"wOF2", "{path} is a woff2 file");
        }
    })
    .await;
}
