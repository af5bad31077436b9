//! A visitor who only reads gets no cookie (issue 10, point 15): the public pages, the search
//! results, a public download and the feed carry no `Set-Cookie` at all, and a public
//! download's shared caching never comes with one. Forms that post still get the CSRF cookie
//! when they are shown and still refuse a request without the token; logged-in pages keep the
//! token in `hx-headers` for htmx. Bots (by `User-Agent`, or without one) are left out of the
//! page-view and search counts.

use crate::common;

use common::{each_kb_app, login, modules, searches_become, TestApp};
use steden_db::{new_id, now_ms, Db};
use steden_kennisbank::store::documents::{self, DocumentFields, NewFile};
use steden_kennisbank::store::stats;

fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect()
}

fn cache_control(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// A published news item, inserted directly.
async fn news(db: &Db, slug: &str, title: &str) {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO site_pages (id, kind, slug, title, summary, body_md, status, publish_at,
             project_state, programme, image_id, created_at, updated_at)
         VALUES ($1, 'nieuws', $2, $3, 'Samenvatting', 'Tekst.', 'gepubliceerd', NULL, NULL,
             NULL, NULL, $4, $4)",
    )
    .bind(new_id())
    .bind(slug)
    .bind(title)
    .bind(now)
    .execute(db.pool())
    .await
    .unwrap();
}

/// A public document with a (small, not really PDF) file; its page and file addresses.
async fn public_document(w: &common::World) -> (String, String) {
    let mut tx = w.db.begin().await.unwrap();
    let doc = documents::create(
        &mut tx,
        &DocumentFields {
            title: "Fietsstraten in Vlaanderen".into(),
            summary: "Wat steden leerden over fietsstraten.".into(),
            doc_type: "rapport".into(),
            access: "publiek".into(),
            doc_date: Some("2023-05-04".into()),
            ..DocumentFields::default()
        },
        Some(NewFile {
            filename: "fietsstraten.md".into(),
            bytes: b"# Fietsstraten\n\nTekst over fietsstraten.".to_vec(),
        }),
        &w.editor.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (doc.href(), doc.file_href())
}

#[tokio::test]
async fn a_visitor_who_only_reads_gets_no_cookie() {
    each_kb_app(|app, w| async move {
        news(&app.db, "zonder-koekjes", "Nieuws zonder koekjes").await;
        let (doc_page, download) = public_document(&w).await;

        let visitor = TestApp::new_client();
        for path in [
            "/",
            doc_page.as_str(),
            "/kennisbank?q=fietsstraten",
            "/nieuws",
            "/nieuws/zonder-koekjes",
            "/nieuws/feed.xml",
            "/publicaties",
            "/privacy",
            download.as_str(),
        ] {
            let response = visitor.get(app.url(path)).send().await.unwrap();
            assert_eq!(response.status(), 200, "GET {path}");
            assert!(
                set_cookies(&response).is_empty(),
                "{path} sets {:?}",
                set_cookies(&response)
            );
            let html = response.text().await.unwrap();
            // Nothing on a reader's page carries a token (no hx-headers, no hidden field).
            assert!(!html.contains("X-CSRF-Token"), "{path} has hx-headers");
            assert!(!html.contains("name=\"_csrf\""), "{path} has a token");
        }
        // The search really found the document (the page is a result page, not an empty one).
        let results = app.page("/kennisbank?q=fietsstraten").await;
        assert!(results.contains("Fietsstraten in Vlaanderen"), "{results}");

        // The public download may be kept by shared caches, and so sets no cookie.
        let response = visitor.get(app.url(&download)).send().await.unwrap();
        assert_eq!(cache_control(&response), "public, max-age=300");
        assert!(set_cookies(&response).is_empty());
    })
    .await;
}

#[tokio::test]
async fn forms_that_post_still_get_the_cookie_and_need_the_token() {
    each_kb_app(|app, w| async move {
        // A reader who goes to the login form gets the cookie with it, never publicly cached.
        let visitor = TestApp::new_client();
        let response = visitor.get(app.url("/aanmelden")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let cookies = set_cookies(&response);
        assert!(
            cookies.iter().any(|c| c.starts_with("steden_csrf=")),
            "{cookies:?}"
        );
        let cache = cache_control(&response);
        assert!(
            cache.contains("private") || cache.contains("no-store"),
            "{cache}"
        );
        let token = common::csrf_token(&response.text().await.unwrap()).unwrap();
        assert!(!token.is_empty());

        // Without the token the login is refused, with it the visitor is logged in.
        let fields = [
            ("email", w.editor.email.as_str()),
            ("password", w.editor.password.as_str()),
        ];
        let refused = visitor
            .post(app.url("/aanmelden"))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
        let mut with_token = vec![("_csrf", token.as_str())];
        with_token.extend_from_slice(&fields);
        let response = visitor
            .post(app.url("/aanmelden"))
            .form(&with_token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
    })
    .await;
}

#[tokio::test]
async fn logged_in_pages_keep_the_token_for_htmx() {
    each_kb_app(|app, w| async move {
        login(&app, &w.editor).await;
        let html = app.page("/beheer/site/paginas/nieuw").await;
        let marker = "hx-headers='{\"X-CSRF-Token\": \"";
        let start = html.find(marker).expect("hx-headers on a logged-in page") + marker.len();
        let token = &html[start..start + html[start..].find('"').unwrap()];
        assert_eq!(Some(token.to_string()), common::csrf_token(&html));

        // htmx sends the token from hx-headers: the live preview works.
        let response = app
            .client
            .post(app.url("/beheer/site/voorbeeld"))
            .header("x-csrf-token", token)
            .header("hx-request", "true")
            .form(&[("body_md", "Een **vet** woord.")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("<strong>vet</strong>"));

        // A public page seen by a logged-in user has the token too (its header has forms).
        let home = app.page("/").await;
        assert!(home.contains(marker), "{home}");
    })
    .await;
}

/// Waits (briefly) for the counter's background write.
async fn views_become(db: &Db, path: &str, expected: i64) {
    let day = stats::day_of(now_ms());
    // Up to five seconds: a loaded CI machine can leave the counting task waiting that long.
    for _ in 0..250 {
        if stats::views_of(db.pool(), path, &day).await.unwrap() == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!(
        "{path}: {} views, expected {expected}",
        stats::views_of(db.pool(), path, &day).await.unwrap()
    );
}

#[tokio::test]
async fn views_and_searches_served_from_the_page_cache_are_counted() {
    each_kb_app(|app, _w| async move {
        news(&app.db, "veel-gelezen", "Veel gelezen nieuws").await;
        // The same database behind a server with a page cache that outlives the test.
        let cached = TestApp::spawn_configured(app.db.clone(), modules(), |config| {
            config.page_cache_ttl = std::time::Duration::from_secs(600);
        })
        .await;
        let browser = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        let visitor = TestApp::new_client();
        for _ in 0..3 {
            for path in ["/nieuws/veel-gelezen", "/kennisbank?q=cachevraag"] {
                let response = visitor
                    .get(cached.url(path))
                    .header("user-agent", browser)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200, "{path}");
            }
        }
        assert_eq!(cached.state.pages().len(), 2, "both pages were kept");
        views_become(&app.db, "/nieuws/veel-gelezen", 3).await;
        searches_become(&app.db, "cachevraag", 3).await;
        // A bot served from the cache is still not counted.
        let response = visitor
            .get(cached.url("/nieuws/veel-gelezen"))
            .header("user-agent", "curl/8.5.0")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        views_become(&app.db, "/nieuws/veel-gelezen", 3).await;
    })
    .await;
}

#[tokio::test]
async fn bots_are_not_counted_and_no_user_agent_is_stored() {
    each_kb_app(|app, w| async move {
        news(&app.db, "voor-robots", "Nieuws voor robots").await;
        let _ = public_document(&w).await;
        let bots = [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
            "facebookexternalhit/1.1",
            "curl/8.5.0",
            "Wget/1.21.4",
            "python-requests/2.31.0",
            "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/124.0.0.0 Safari/537.36",
        ];
        let plain = reqwest::Client::new(); // sends no User-Agent at all
        for bot in bots {
            for path in ["/nieuws/voor-robots", "/kennisbank?q=robotvraag"] {
                let response = plain
                    .get(app.url(path))
                    .header("user-agent", bot)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200, "{bot} {path}");
            }
        }
        for path in ["/nieuws/voor-robots", "/kennisbank?q=robotvraag"] {
            let response = plain.get(app.url(path)).send().await.unwrap();
            assert_eq!(response.status(), 200, "no User-Agent, {path}");
        }

        // A person's browser is counted, once per page view and once per search.
        let visitor = TestApp::new_client();
        for path in ["/nieuws/voor-robots", "/kennisbank?q=mensenvraag"] {
            let response = visitor.get(app.url(path)).send().await.unwrap();
            assert_eq!(response.status(), 200);
        }
        views_become(&app.db, "/nieuws/voor-robots", 1).await;
        searches_become(&app.db, "mensenvraag", 1).await;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let day = stats::day_of(now_ms());
        assert_eq!(
            stats::views_of(app.db.pool(), "/nieuws/voor-robots", &day)
                .await
                .unwrap(),
            1,
            "only the browser's view"
        );
        let from = stats::first_day(now_ms(), 1);
        let queries: Vec<String> = stats::top_queries(app.db.pool(), &from, 20)
            .await
            .unwrap()
            .into_iter()
            .map(|q| q.query)
            .collect();
        assert_eq!(queries, vec!["mensenvraag".to_string()]);

        // No user agent is stored: the usage tables (the only rows a reader's request writes)
        // hold days, paths and queries only.
        let dump = database_text(&app.db).await;
        for needle in [
            "googlebot",
            "curl/",
            "python-requests",
            "firefox",
            "mozilla",
        ] {
            assert!(
                !dump.to_lowercase().contains(needle),
                "{needle} stored somewhere"
            );
        }
    })
    .await;
}

/// Every text value of the usage tables, for looking for a stored user agent.
async fn database_text(db: &Db) -> String {
    use sqlx::Row;
    let mut text = String::new();
    for sql in [
        "SELECT day, path FROM site_page_views",
        "SELECT day, query FROM kb_search_queries",
    ] {
        for row in sqlx::query(sql).fetch_all(db.pool()).await.unwrap() {
            let a: String = row.get(0);
            let b: String = row.get(1);
            text.push_str(&format!("{a} {b}\n"));
        }
    }
    text
}
