//! The web shell: layout, security headers, error pages, flash messages, forms, the language
//! switch and static assets.

use crate::probe;

use steden_testkit::{each_app, each_app_with, TestApp};

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("header {name} missing"))
        .to_str()
        .unwrap()
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    each_app_with(probe::modules, |app| async move {
        for path in [
            "/",
            "/proef",
            "/bestaat-niet",
            "/healthz",
            "/static/steden.css",
        ] {
            let response = app.get(path).await;
            let csp = header(&response, "content-security-policy");
            assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
            assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
            assert_eq!(header(&response, "x-content-type-options"), "nosniff");
            assert_eq!(header(&response, "x-frame-options"), "DENY");
            assert_eq!(
                header(&response, "referrer-policy"),
                "strict-origin-when-cross-origin"
            );
            assert!(response.headers().contains_key("permissions-policy"));
            // Served over plain http: no HSTS.
            assert!(!response.headers().contains_key("strict-transport-security"));
        }
        // A refused form post and a panic get them too.
        let response = app.client.post(app.url("/proef")).send().await.unwrap();
        assert_eq!(response.status(), 403);
        assert!(response.headers().contains_key("content-security-policy"));
    })
    .await;
}

#[tokio::test]
async fn pages_use_no_inline_script_or_style() {
    each_app_with(probe::modules, |app| async move {
        let html = app.page("/proef").await;
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(!html.contains("<style"), "{html}");
        // No htmx on a page that makes no htmx request (see the test below).
        assert!(!html.contains("includeIndicatorStyles"), "{html}");
        // htmx sends the CSRF token as a header on logged-in pages (see the header test
        // below); an anonymous page has it only in its own form, so that a page without a
        // form sets no cookie.
        assert!(!html.contains("hx-headers"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn htmx_and_its_helper_load_only_on_pages_that_make_htmx_requests() {
    each_app_with(probe::modules, |app| async move {
        let htmx = steden_web::assets::url("htmx.min.js");
        let helper = steden_web::assets::url("steden.js");
        for path in ["/proef", "/aanmelden", "/proef/bestaat-niet"] {
            let html = app.get(path).await.text().await.unwrap();
            assert!(html.contains("<main"), "{path}: {html}");
            for absent in [htmx.as_str(), helper.as_str(), "htmx-config"] {
                assert!(!html.contains(absent), "{path} has {absent}: {html}");
            }
        }
        let html = app.page("/proef/htmx").await;
        for present in [htmx.as_str(), helper.as_str(), "htmx-config"] {
            assert_eq!(html.matches(present).count(), 1, "{present}: {html}");
        }
        // In the head, deferred, so that it never delays the first paint.
        let head = &html[..html.find("</head>").unwrap()];
        assert!(
            head.contains(&format!("<script src=\"{htmx}\" defer></script>")),
            "{head}"
        );
        // The kit's own check, run by `page` on every page a test visits, holds both ways.
        steden_testkit::assert_htmx_where_used("/proef/htmx", &html);
        let without = html.replace(" hx-get=", " data-get=");
        let refused = std::panic::catch_unwind(|| {
            steden_testkit::assert_htmx_where_used("/proef/htmx", &without)
        });
        assert!(
            refused.is_err(),
            "htmx loaded without use must fail the check"
        );
    })
    .await;
}

#[tokio::test]
async fn unknown_routes_get_the_dutch_404_page_in_the_site_layout() {
    each_app(|app| async move {
        let response = app.get("/bestaat/echt/niet").await;
        assert_eq!(response.status(), 404);
        assert!(header(&response, "content-type").starts_with("text/html"));
        let html = response.text().await.unwrap();
        assert!(html.contains("<html lang=\"nl-BE\""), "{html}");
        assert!(html.contains("Pagina niet gevonden"), "{html}");
        assert!(html.contains("<main id=\"inhoud\""), "{html}");
        assert!(html.contains("href=\"#inhoud\""), "skip link: {html}");
        assert!(html.contains("class=\"site-header\""), "{html}");
        assert!(
            html.contains(&steden_web::assets::url("steden.css")),
            "{html}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_panicking_handler_gives_the_500_page() {
    each_app_with(probe::modules, |app| async move {
        let response = app.get("/proef/paniek").await;
        assert_eq!(response.status(), 500);
        assert!(response.headers().contains_key("content-security-policy"));
        let html = response.text().await.unwrap();
        assert!(html.contains("Er ging iets mis"), "{html}");
        assert!(html.contains("<main"), "{html}");
        assert!(
            !html.contains("proefpaniek"),
            "the panic message stays in the log"
        );
        // The server is still there.
        assert_eq!(app.get("/healthz").await.status(), 200);
    })
    .await;
}

#[tokio::test]
async fn a_flash_is_shown_once_then_gone() {
    each_app_with(probe::modules, |app| async move {
        let response = app.get("/proef/flash").await;
        assert_eq!(response.status(), 303);
        assert_eq!(header(&response, "location"), "/proef");

        let html = app.page("/proef").await;
        assert!(html.contains("role=\"status\""), "{html}");
        // Escaped, with the word for its kind.
        assert!(
            html.contains("Een &#60;b&#62;bericht&#60;/b&#62; voor u")
                || html.contains("Een &lt;b&gt;bericht&lt;/b&gt; voor u"),
            "{html}"
        );
        assert!(!html.contains("<b>bericht"), "{html}");
        assert!(html.contains("<strong>Info:</strong>"), "{html}");

        let again = app.page("/proef").await;
        assert!(!again.contains("bericht"), "shown twice: {again}");

        // A flash set by a form post shows on the page it redirects to.
        let response = app.post_form("/proef", "/proef", &[("naam", "An")]).await;
        assert_eq!(response.status(), 303);
        let html = app.page("/proef").await;
        assert!(
            html.contains("<strong>Gelukt:</strong> Opgeslagen."),
            "{html}"
        );
        assert!(!app.page("/proef").await.contains("Opgeslagen."));
    })
    .await;
}

#[tokio::test]
async fn a_forged_flash_cookie_is_ignored() {
    each_app_with(probe::modules, |app| async move {
        let response = TestApp::new_client()
            .get(app.url("/proef"))
            .header(
                "Cookie",
                "steden_flash=W3sia2luZCI6ImluZm8iLCJtZXNzYWdlIjoiQmVsIDA5MDAifV0.AAAA",
            )
            .send()
            .await
            .unwrap();
        let html = response.text().await.unwrap();
        assert!(!html.contains("Bel 0900"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn an_invalid_form_shows_the_error_next_to_the_field_and_keeps_the_input() {
    each_app_with(probe::modules, |app| async move {
        let response = app.post_form("/proef", "/proef", &[("naam", "   ")]).await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("aria-invalid=\"true\""), "{html}");
        assert!(html.contains("aria-describedby=\"naam-fout\""), "{html}");
        assert!(html.contains("id=\"naam-fout\""), "{html}");
        assert!(html.contains("Fout:</span> Vul een naam in."), "{html}");
        assert!(html.contains("value=\"   \""), "the input is kept: {html}");
        assert!(
            html.contains("href=\"#naam\""),
            "summary links to the field: {html}"
        );
        assert_eq!(probe::count_notes(&app.db).await, 0);
    })
    .await;
}

#[tokio::test]
async fn the_layout_has_landmarks_breadcrumbs_and_a_login_link() {
    each_app_with(probe::modules, |app| async move {
        let html = app.page("/proef").await;
        assert!(html.contains("<html lang=\"nl-BE\""), "{html}");
        assert!(
            html.contains("<a class=\"skip-link\" href=\"#inhoud\">Naar de inhoud</a>"),
            "{html}"
        );
        assert!(html.contains("<header"), "{html}");
        assert!(html.contains("<main id=\"inhoud\""), "{html}");
        assert!(html.contains("<footer"), "{html}");
        assert!(
            html.contains("<title>Proefformulier · Stedenplatform</title>"),
            "{html}"
        );
        // Breadcrumbs: the trail, then the current page.
        assert!(html.contains("aria-label=\"Kruimelpad\""), "{html}");
        assert!(html.contains("<a href=\"/\">Start</a>"), "{html}");
        assert!(
            html.contains("<span aria-current=\"page\">Proefformulier</span>"),
            "{html}"
        );
        // Anonymous: a login link, no logout or organisation switcher.
        assert!(html.contains("href=\"/aanmelden\""), "{html}");
        assert!(!html.contains("action=\"/afmelden\""), "{html}");
        assert!(!html.contains("organisatie-wisselen"), "{html}");
        // Decorative icons are hidden from assistive technology.
        assert!(
            html.contains("<svg class=\"icon brand-icon\" aria-hidden=\"true\""),
            "{html}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_home_page_introduces_the_platform_to_visitors() {
    each_app(|app| async move {
        let html = app.page("/").await;
        assert!(
            html.contains("<meta name=\"description\" content=\""),
            "{html}"
        );
        assert!(html.contains("Kenniscentrum Vlaamse Steden"), "{html}");
        assert!(html.contains("<h1>Stedenplatform</h1>"), "{html}");
        assert!(html.contains("href=\"/aanmelden\""), "{html}");
    })
    .await;
}

#[tokio::test]
async fn the_language_switch_changes_lang_and_texts() {
    each_app_with(probe::modules, |app| async move {
        let html = app.page("/proef").await;
        assert!(html.contains("href=\"/taal/en?terug=%2Fproef\""), "{html}");

        let response = app.get("/taal/en?terug=/proef").await;
        assert_eq!(response.status(), 303);
        assert_eq!(header(&response, "location"), "/proef");
        // The choice is the only cookie, and a response that sets one is never shared-cached.
        let cookies: Vec<_> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        assert_eq!(cookies.len(), 1, "{cookies:?}");
        assert!(cookies[0].starts_with("lang=en;"), "{cookies:?}");
        assert_eq!(header(&response, "cache-control"), "private, no-store");
        let html = app.page("/proef").await;
        assert!(html.contains("<html lang=\"en\""), "{html}");
        assert!(html.contains("Skip to content"), "{html}");
        assert!(html.contains(">Log in<"), "{html}");
        assert!(!html.contains("Naar de inhoud"), "{html}");

        let response = app.get("/taal/nl?terug=/start").await;
        assert_eq!(response.status(), 303);
        let html = app.page("/start").await;
        assert!(html.contains("<html lang=\"nl-BE\""), "{html}");
        assert!(html.contains("Naar de inhoud"), "{html}");

        // Only local paths: no open redirect.
        for evil in [
            "//aanvaller.example/",
            "https://aanvaller.example/",
            "/\\aanvaller.example",
        ] {
            let url = format!("/taal/en?terug={}", evil.replace('\\', "%5C"));
            let response = app.get(&url).await;
            assert_eq!(response.status(), 303, "{evil}");
            assert_eq!(header(&response, "location"), "/", "{evil}");
        }
        assert_eq!(app.get("/taal/fr").await.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn static_assets_have_their_type_and_safe_caching() {
    each_app(|app| async move {
        let html = app.page("/aanmelden").await;
        for (name, content_type) in [
            ("steden.css", "text/css"),
            ("htmx.min.js", "text/javascript"),
            ("icons.svg", "image/svg+xml"),
        ] {
            // Pages link the asset with its content hash in the file name...
            let versioned = steden_web::assets::url(name);
            let (stem, ext) = name.rsplit_once('.').unwrap();
            let hash = versioned
                .strip_prefix(&format!("/static/{stem}."))
                .and_then(|rest| rest.strip_suffix(&format!(".{ext}")))
                .unwrap_or_else(|| panic!("{versioned}"));
            assert_eq!(hash.len(), 12, "{versioned}");
            if name != "htmx.min.js" {
                // (htmx is linked only by pages that use it)
                assert!(html.contains(&versioned), "{name} not linked: {html}");
            }
            let response = app.get(&versioned).await;
            assert_eq!(response.status(), 200, "{versioned}");
            assert!(
                header(&response, "content-type").starts_with(content_type),
                "{name}"
            );
            // ...which is safe to cache for a year.
            let cache = header(&response, "cache-control");
            assert!(
                cache.contains("public")
                    && cache.contains("max-age=31536000")
                    && cache.contains("immutable"),
                "{cache}"
            );
            let etag = header(&response, "etag").to_string();
            let body = response.bytes().await.unwrap();

            // Without the hash, or with an old one (a page cached before a release), the same
            // file answers, but the browser must revalidate.
            let old = format!("/static/{stem}.0123456789ab.{ext}");
            for path in [format!("/static/{name}"), old] {
                let response = app.get(&path).await;
                assert_eq!(response.status(), 200, "{path}");
                assert_eq!(header(&response, "cache-control"), "no-cache", "{path}");
                assert_eq!(response.bytes().await.unwrap(), body, "{path}");
            }
            // Revalidation with the current ETag costs no body.
            let response = app
                .client
                .get(app.url(&format!("/static/{name}")))
                .header("if-none-match", &etag)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 304, "{name}");
        }
        let htmx = app.get("/static/htmx.min.js").await.text().await.unwrap();
        assert!(htmx.starts_with("var htmx=function()"), "the real htmx");
        assert_eq!(app.get("/static/bestaat-niet.js").await.status(), 404);
        assert_eq!(
            app.get("/static/bestaat-niet.0123456789ab.js")
                .await
                .status(),
            404
        );
    })
    .await;
}

#[tokio::test]
async fn oversized_form_bodies_are_refused() {
    each_app_with(probe::modules, |app| async move {
        let big = "x".repeat(3 * 1024 * 1024);
        let token = steden_testkit::csrf_token(&app.page("/proef").await).unwrap();
        let response = app
            .client
            .post(app.url("/proef"))
            .header("X-CSRF-Token", token)
            .form(&[("naam", big.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 413);
        assert_eq!(probe::count_notes(&app.db).await, 0);
    })
    .await;
}

/// Seeds the default organisations and a user with `roles` (organisation slug, role).
async fn seed_user(
    db: &steden_db::Db,
    email: &str,
    name: &str,
    roles: &[(&str, steden_core::role::Role)],
) {
    use steden_core::{audit::AuditActor, membership, org, user};
    org::seed_defaults(db).await.unwrap();
    let system = AuditActor::system();
    let mut tx = db.begin().await.unwrap();
    let created = user::create(
        &mut tx,
        user::NewUser {
            email,
            name,
            password: Some(PASSWORD),
            platform_admin: false,
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
}

const PASSWORD: &str = "een lang genoeg wachtwoord";

async fn log_in(app: &TestApp, email: &str) {
    let response = app
        .post_form(
            "/aanmelden",
            "/aanmelden",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 303, "login");
}

#[tokio::test]
async fn the_header_shows_the_user_their_organisations_and_a_logout_form() {
    use steden_core::role::Role;
    each_app(|app| async move {
        seed_user(
            &app.db,
            "an@gent.be",
            "An <Peeters>",
            &[("gent", Role::Beheerder), ("aalst", Role::Lezer)],
        )
        .await;
        log_in(&app, "an@gent.be").await;
        let html = app.page("/").await;
        // htmx sends the CSRF token as a header: the same token as the forms'.
        let token = steden_testkit::csrf_token(&html).unwrap();
        assert!(
            html.contains(&format!("hx-headers='{{\"X-CSRF-Token\": \"{token}\"}}'")),
            "{html}"
        );
        // The name, escaped.
        assert!(
            html.contains("An &#60;Peeters&#62;") || html.contains("An &lt;Peeters&gt;"),
            "{html}"
        );
        assert!(!html.contains("<Peeters>"), "{html}");
        // The switcher: a labelled select, the CSRF token, the way back, a button.
        assert!(
            html.contains(
                r#"<form class="org-switch" method="post" action="/organisatie-wisselen">"#
            ),
            "{html}"
        );
        assert!(
            html.contains(r#"<label for="org-switch-select">Organisatie</label>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<select id="org-switch-select" name="organisation_id">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<input type="hidden" name="terug" value="/">"#),
            "{html}"
        );
        // The header writes the switcher twice (wide header and the narrow "Menu"), each with
        // one active organisation.
        assert_eq!(
            html.matches(" selected>").count(),
            2,
            "one active organisation per menu: {html}"
        );
        assert!(
            html.contains(r#"<select id="org-switch-select-m" name="organisation_id">"#),
            "{html}"
        );
        // Logout is a form with the token, not a link.
        assert!(
            html.contains(r#"<form class="logout" method="post" action="/afmelden">"#),
            "{html}"
        );
        assert!(!html.contains("href=\"/aanmelden\""), "{html}");
        // The home page lists the memberships with their roles.
        assert!(html.contains("Welkom, An"), "{html}");
        assert!(html.contains("<strong>Beheerder</strong>"), "{html}");
        assert!(html.contains("<strong>Lezer</strong>"), "{html}");

        // Logging out through the header's form ends the session.
        let response = app.post_form("/", "/afmelden", &[]).await;
        assert_eq!(response.status(), 303);
        let html = app.page("/").await;
        assert!(html.contains("href=\"/aanmelden\""), "{html}");
        assert!(!html.contains("organisatie-wisselen"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn a_user_of_one_organisation_sees_it_without_a_switcher() {
    use steden_core::role::Role;
    each_app(|app| async move {
        seed_user(&app.db, "bo@gent.be", "Bo", &[("gent", Role::Lid)]).await;
        log_in(&app, "bo@gent.be").await;
        let html = app.page("/").await;
        assert!(!html.contains("organisatie-wisselen"), "{html}");
        assert!(html.contains(r#"<p class="user-org">"#), "{html}");
        assert!(html.contains("Gent"), "{html}");
        assert!(html.contains("<strong>Lid</strong>"), "{html}");
    })
    .await;
}

/// A module may provide the home page; the shell's start page then lives at /start. Footer
/// links of modules and the Open Graph tags are on every page.
#[tokio::test]
async fn a_module_home_moves_the_start_page_and_pages_carry_open_graph_tags() {
    each_app_with(probe::modules, |app| async move {
        assert_eq!(app.page("/").await, "de startpagina van de proefmodule");
        let start = app.page("/start").await;
        assert!(start.contains("<h1"), "{start}");
        assert!(
            start.contains(r#"href="/proef/voet""#),
            "footer link: {start}"
        );
        assert!(start.contains(r#"<meta property="og:title""#), "{start}");
        assert!(
            start.contains(&format!(
                r#"<meta property="og:url" content="{}/start">"#,
                app.base
            )),
            "{start}"
        );
        assert!(
            start.contains(r#"<meta property="og:locale" content="nl_BE">"#),
            "{start}"
        );
        assert!(
            start.contains(r#"<meta name="description" content=""#),
            "{start}"
        );
    })
    .await;
}

/// Issue 11 point 8: the content is Dutch, so the interface around it is Dutch too, whatever
/// the browser's language, unless the user chooses English with the switch (remembered).
#[tokio::test]
async fn an_english_browser_gets_dutch_until_english_is_chosen() {
    each_app_with(probe::modules, |app| async move {
        let get = |path: &str, accept: &str| {
            app.client
                .get(app.url(path))
                .header("accept-language", accept)
                .send()
        };
        let html = get("/proef", "en-GB,en;q=0.9")
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("<html lang=\"nl-BE\""), "{html}");
        assert!(html.contains("Naar de inhoud"), "{html}");

        let response = app.get("/taal/en?terug=/proef").await;
        assert_eq!(response.status(), 303);
        // The choice is remembered, whatever the browser asks for afterwards.
        for accept in ["en", "nl-BE,nl", ""] {
            let html = get("/proef", accept).await.unwrap().text().await.unwrap();
            assert!(html.contains("<html lang=\"en\""), "{accept}: {html}");
            assert!(html.contains("Skip to content"), "{html}");
        }
        app.get("/taal/nl?terug=/proef").await;
        let html = get("/proef", "en").await.unwrap().text().await.unwrap();
        assert!(html.contains("<html lang=\"nl-BE\""), "{html}");
    })
    .await;
}
