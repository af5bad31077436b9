//! Browser tests of the Kennisbank and the public website on the real `steden serve --demo`
//! binary in headless Chromium, on SQLite and (with TEST_DATABASE_URL) PostgreSQL:
//!
//! - axe-core (WCAG 2.1 A/AA) finds zero violations on every public page — home, programmes
//!   and a werkspoor, projects, news, a static page, the privacy page, Publicaties, the
//!   Kennisbank's search page (empty, with results and a facet filter, and without results),
//!   a document, the collections and the glossary — and on every editing page, also showing a
//!   form error;
//! - search works from the keyboard: type in the search field and press Enter;
//! - the Markdown preview of the page editor shows the rendered text while typing (htmx).

use steden_testkit::browser::{checker, harness};

use checker::{log_in, Checker};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use harness::{backends, Browser, Server, Violation};

#[tokio::test]
async fn site_and_kennisbank_pages_pass_axe_and_work_by_keyboard() {
    let Some(tools) = harness::tools("site_and_kennisbank_pages_pass_axe_and_work_by_keyboard")
    else {
        return;
    };
    let mut violations = Vec::new();
    let mut checked = Vec::new();
    for backend in backends() {
        let server = Server::start(crate::STEDEN, backend).await;
        let browser = Browser::start(&tools).await;
        let mut checker = Checker::new(&server, &browser, &tools.axe_source);
        public_pages(&mut checker).await;
        search_by_keyboard(&server, &browser).await;
        log_in(&server, &browser).await;
        editing_pages(&mut checker).await;
        live_preview(&server, &browser).await;
        violations.extend(checker.violations);
        checked.extend(checker.checked);
        browser.close().await;
        server.stop().await;
    }
    println!(
        "browser: axe-core checked {} site and Kennisbank pages:\n  {}",
        checked.len(),
        checked.join("\n  ")
    );
    assert!(
        violations.is_empty(),
        "axe-core found {} WCAG 2.1 AA violation(s) on site pages:\n{}",
        violations.len(),
        violations
            .iter()
            .map(Violation::to_string)
            .collect::<String>()
    );
}

async fn public_pages(c: &mut Checker<'_>) {
    c.check("/", "home").await;
    if c.server.backend == "sqlite" {
        c.browser.screenshot("/tmp/steden-site-home.png").await;
    }
    let home = c.browser.body_text().await;
    assert!(
        home.contains("Nieuwe Kennisbank"),
        "the home page shows the latest news:\n{home}"
    );
    c.check("/programmas", "programmes").await;
    c.follow("^/programmas/[^/]+$", "a programme").await;
    c.follow("^/programmas/[^/]+/[^/]+$", "a werkspoor").await;
    c.check("/projecten", "projects").await;
    c.follow("^/projecten/[^/]+$", "a project").await;
    c.check("/nieuws", "news").await;
    c.follow("^/nieuws/[a-z0-9-]+$", "a news item").await;
    c.check("/pagina/over-ons", "a static page").await;
    c.check("/privacy", "privacy statement").await;
    c.check("/publicaties", "Publicaties").await;
    c.check("/kennisbank", "Kennisbank, no query").await;
    c.check("/kennisbank?q=klimaat", "search results").await;
    let results = c.browser.body_text().await;
    assert!(
        results.contains("Klimaatgovernance"),
        "klimaat finds klimaatgovernance:\n{results}"
    );
    c.follow(
        "^/kennisbank\\?.*(type|theme|programme)=",
        "search with a facet filter",
    )
    .await;
    c.check("/kennisbank?q=qwxyzv", "search without results")
        .await;
    c.check("/kennisbank?q=klimaat", "search results again")
        .await;
    c.follow("^/kennisbank/documenten/[^/]+$", "a document")
        .await;
    c.check("/kennisbank/collecties", "collections").await;
    c.check(
        "/kennisbank/collecties/gdpr-bibliotheek",
        "a thematic collection",
    )
    .await;
    c.check(
        "/kennisbank/collecties/stadsgenoten",
        "a publication collection",
    )
    .await;
    c.check("/kennisbank/collecties/archief-2022-2026", "an archive")
        .await;
    c.check("/begrippen", "glossary A-Z").await;
    c.follow("^/begrippen/[^/]+$", "a glossary term").await;
}

/// Tab to the search field on the Kennisbank page, type and press Enter.
async fn search_by_keyboard(server: &Server, browser: &Browser) {
    browser.goto(&server.url("/kennisbank")).await;
    browser.fill("main input[type=search]", "rechten").await;
    let enter: char = Key::Enter.into();
    let keys = KeyActions::new("toetsen".to_string())
        .then(KeyAction::Down { value: enter })
        .then(KeyAction::Up { value: enter });
    browser
        .client
        .perform_actions(keys)
        .await
        .expect("press Enter");
    for _ in 0..50 {
        if browser
            .js("return location.search;")
            .await
            .as_str()
            .unwrap_or("")
            .contains("rechten")
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let text = browser.body_text().await;
    assert!(
        text.contains("Rechtenverkenner"),
        "'rechten' typed and Enter finds the Rechtenverkenner on {}:\n{text}",
        server.backend
    );
}

async fn editing_pages(c: &mut Checker<'_>) {
    c.check("/beheer/site", "editing index").await;
    c.check("/beheer/site/paginas", "pages list").await;
    c.check("/beheer/site/paginas/nieuw?soort=nieuws", "new news item")
        .await;
    // Submit the empty form: the errors are shown beside the fields.
    c.browser
        .click_and_wait("main form button[type=submit]")
        .await;
    assert!(
        c.browser.try_find("main .error-summary").await.is_some(),
        "an empty news item shows the error summary on {}",
        c.server.backend
    );
    c.check_current("new news item with errors").await;
    c.check("/beheer/site/paginas", "pages list again").await;
    let edit = c
        .follow("^/beheer/site/paginas/[0-9a-f]{32}$", "edit a page")
        .await;
    c.check(&format!("{edit}/geschiedenis"), "page history")
        .await;
    c.check("/beheer/site/afbeeldingen", "images").await;
    c.check("/beheer/site/uitgelicht", "featured items").await;
    c.check("/beheer/site/statistieken", "usage statistics")
        .await;
    c.check("/beheer/kennisbank/documenten", "documents list")
        .await;
    c.check("/beheer/kennisbank/documenten/nieuw", "new document")
        .await;
    c.check("/beheer/kennisbank/documenten", "documents list again")
        .await;
    c.follow(
        "^/beheer/kennisbank/documenten/[0-9a-f]{32}$",
        "edit a document",
    )
    .await;
    c.check("/beheer/kennisbank/import", "bulk import").await;
    c.check("/beheer/kennisbank/collecties", "collections list")
        .await;
    c.check("/beheer/kennisbank/collecties/nieuw", "new collection")
        .await;
    c.check("/beheer/kennisbank/collecties", "collections list again")
        .await;
    c.follow(
        "^/beheer/kennisbank/collecties/[0-9a-f]{32}/bewerken$",
        "edit a collection",
    )
    .await;
    c.check(
        "/beheer/kennisbank/collecties",
        "collections list, third time",
    )
    .await;
    c.follow(
        "^/beheer/kennisbank/collecties/[0-9a-f]{32}/documenten$",
        "collection entries",
    )
    .await;
    c.check("/beheer/kennisbank/begrippen", "glossary list")
        .await;
    c.check("/beheer/kennisbank/begrippen/nieuw", "new term")
        .await;
    c.check("/beheer/kennisbank/begrippen", "glossary list again")
        .await;
    c.follow(
        "^/beheer/kennisbank/begrippen/[0-9a-f]{32}/bewerken$",
        "edit a term",
    )
    .await;
}

/// Typing Markdown in the page editor shows the rendered preview without a page load.
async fn live_preview(server: &Server, browser: &Browser) {
    browser
        .goto(&server.url("/beheer/site/paginas/nieuw?soort=pagina"))
        .await;
    // `fill` types key by key, so htmx's keyup trigger fires.
    browser
        .fill("main textarea[name=body_md]", "Een **vet** woord")
        .await;
    let mut shown = String::new();
    for _ in 0..50 {
        shown = browser
            .js("const p = document.querySelector('main [aria-live]'); return p ? p.innerHTML : '';")
            .await
            .as_str()
            .unwrap_or("")
            .to_string();
        if shown.contains("<strong>vet</strong>") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        shown.contains("<strong>vet</strong>"),
        "the live preview shows the rendered Markdown on {}: {shown}",
        server.backend
    );
}
