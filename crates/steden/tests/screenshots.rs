//! Screenshots of the pages issue 12 redesigned, at 1280 and 375 px, for docs/screenshots/.
//! Not part of the test run (ignored): docs/screenshots/make.sh runs it, once on this
//! checkout's binary and once on an earlier revision's (STEDEN_BIN), so that "before" and
//! "after" are made the same way. It fails when a page it should show cannot be found.

use std::path::PathBuf;

use steden_testkit::browser::checker::{first_link, link_with_text, log_in};
use steden_testkit::browser::harness;

use harness::{Browser, Server};

/// Widths of the screenshots: a laptop and a phone.
const WIDTHS: [i64; 2] = [1280, 375];
/// Long pages are cut here: the top of a page is what a screenshot is for.
const MAX_HEIGHT: i64 = 2400;

#[tokio::test]
#[ignore = "a tool: docs/screenshots/make.sh"]
async fn screenshots() {
    let Some(tools) = harness::tools("screenshots") else {
        panic!("screenshots need chromium and chromedriver (BROWSER_TESTS=1)");
    };
    let binary = std::env::var("STEDEN_BIN").unwrap_or_else(|_| crate::STEDEN.to_string());
    let dir = PathBuf::from(
        std::env::var("SCREENSHOT_DIR").unwrap_or_else(|_| "/tmp/steden-screenshots".into()),
    );
    std::fs::create_dir_all(&dir).expect("screenshot directory");
    let server = Server::start(&binary, "sqlite").await;
    let browser = Browser::start(&tools).await;

    let mut pages: Vec<(&str, String)> = Vec::new();
    browser.goto(&server.url("/openbaar/plannen")).await;
    let public_plan = link_with_text(&browser, "Gent")
        .await
        .expect("a published demo plan of Gent");
    pages.push(("public-plan", public_plan));
    pages.push(("website-programmes", "/programmas".to_string()));

    log_in(&server, &browser).await;
    pages.push(("workspace", "/start".to_string()));
    browser.goto(&server.url("/plannen")).await;
    let plan = link_with_text(&browser, "Jaarplan 2025")
        .await
        .expect("the demo jaarplan is listed");
    pages.push(("tree", plan.clone()));
    pages.push(("dashboard", format!("{plan}/dashboard")));
    browser
        .goto(&server.url(&format!("{plan}?status=lopend")))
        .await;
    let item = first_link(&browser, "^/plannen/[0-9a-f]{32}/items/[0-9a-f]{32}$")
        .await
        .expect("a running item in the tree");
    pages.push(("item", item));

    for (name, path) in &pages {
        browser.goto(&server.url(path)).await;
        for width in WIDTHS {
            let file = dir.join(format!("{name}-{width}.png"));
            browser.full_page_screenshot(&file, width, MAX_HEIGHT).await;
            println!("screenshot {} of {path}", file.display());
        }
    }
    browser.close().await;
    server.stop().await;
}
