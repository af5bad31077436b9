//! The per-process page cache: a page asked for again within the time-to-live is served
//! without rendering, a process applies its own changes at once, another instance sees a
//! change within the time-to-live, and what must never be shared (a logged-in page, a flash
//! message, a cookie being set) is not.

use std::time::Duration;

use steden_db::testing::each_test_db;
use steden_db::Db;
use steden_testkit::TestApp;

use crate::probe;

async fn with_page_cache(db: &Db, ttl: Duration) -> TestApp {
    TestApp::spawn_configured(db.clone(), probe::modules(), |config| {
        config.page_cache_ttl = ttl;
    })
    .await
}

async fn add_note_behind_the_apps_back(db: &Db) {
    sqlx::query("INSERT INTO probe_notes (id, name) VALUES ($1, 'achter de rug')")
        .bind(steden_db::new_id())
        .execute(db.pool())
        .await
        .unwrap();
}

/// The count a page shows in `<p id="aantal">`.
fn shown_count(html: &str) -> i64 {
    let start = html.find("<p id=\"aantal\">").expect("the count") + "<p id=\"aantal\">".len();
    let end = start + html[start..].find('<').unwrap();
    html[start..end].trim().parse().unwrap()
}

async fn count_for(app: &TestApp, client: &reqwest::Client, path: &str) -> i64 {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    shown_count(&response.text().await.unwrap())
}

fn all_migrations() -> Vec<steden_db::Migration> {
    steden_web::app::all_migrations(&probe::modules())
}

#[tokio::test]
async fn a_visitors_page_is_served_again_and_renewed_by_a_change_through_this_process() {
    each_test_db(&all_migrations(), |test_db| {
        let db = test_db.db.clone();
        async move {
            // A time-to-live far longer than the test: only the invalidation can end an entry.
            let app = with_page_cache(&db, Duration::from_secs(600)).await;
            let visitor = TestApp::new_client();
            let first = visitor.get(app.url("/proef/aantal")).send().await.unwrap();
            assert!(first.headers().get("set-cookie").is_none());
            assert_eq!(shown_count(&first.text().await.unwrap()), 0);
            assert_eq!(app.state.pages().len(), 1, "the page is kept");

            add_note_behind_the_apps_back(&db).await;
            assert_eq!(
                count_for(&app, &visitor, "/proef/aantal").await,
                0,
                "within the time-to-live the kept page is served"
            );
            assert_eq!(
                count_for(&app, &TestApp::new_client(), "/proef/aantal").await,
                0,
                "visitors without cookies share the page"
            );

            // A change through this process (the probe's form) empties the cache at once.
            let page = app.page("/proef").await;
            assert_eq!(shown_count(&page), 1);
            let saved = app
                .post_form("/proef", "/proef", &[("naam", "via de app")])
                .await;
            assert_eq!(saved.status(), 303);
            assert!(app.state.pages().is_empty());
            assert_eq!(count_for(&app, &visitor, "/proef/aantal").await, 2);
        }
    })
    .await;
}

#[tokio::test]
async fn another_instance_sees_a_change_within_the_time_to_live() {
    each_test_db(&all_migrations(), |test_db| {
        let db = test_db.db.clone();
        async move {
            let first = with_page_cache(&db, Duration::from_millis(300)).await;
            let second = with_page_cache(&db, Duration::from_millis(300)).await;
            let visitor = TestApp::new_client();
            assert_eq!(count_for(&second, &visitor, "/proef/aantal").await, 0);
            let saved = first
                .post_form("/proef", "/proef", &[("naam", "via de eerste")])
                .await;
            assert_eq!(saved.status(), 303);
            let mut seen = false;
            for _ in 0..50 {
                if count_for(&second, &visitor, "/proef/aantal").await == 1 {
                    seen = true;
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            assert!(seen, "the second instance still serves the old page");
        }
    })
    .await;
}

#[tokio::test]
async fn a_page_with_a_form_is_kept_per_browser_and_a_flash_is_shown_once() {
    each_test_db(&all_migrations(), |test_db| {
        let db = test_db.db.clone();
        async move {
            let app = with_page_cache(&db, Duration::from_secs(600)).await;
            // The form page sets the CSRF cookie on the first view: that answer is not kept.
            let first = app.get("/proef").await;
            assert!(first.headers().get("set-cookie").is_some());
            assert!(app.state.pages().is_empty());
            let own = app.page("/proef").await;
            let again = app.page("/proef").await;
            assert_eq!(
                own, again,
                "the browser's own page, with its own token, is kept"
            );
            assert_eq!(app.state.pages().len(), 1);

            // Another browser gets its own cookie and token, never the first one's page.
            let other = TestApp::new_client();
            let theirs = other.get(app.url("/proef")).send().await.unwrap();
            assert!(theirs.headers().get("set-cookie").is_some());
            let theirs = theirs.text().await.unwrap();
            assert_ne!(
                steden_testkit::csrf_token(&theirs),
                steden_testkit::csrf_token(&own)
            );

            // A flash message comes through the cache exactly once.
            assert_eq!(app.get("/proef/flash").await.status(), 303);
            let flashed = app.page("/proef").await;
            assert!(flashed.contains("bericht"), "the message is shown");
            let after = app.page("/proef").await;
            assert!(!after.contains("bericht"), "the message is shown once");
        }
    })
    .await;
}
