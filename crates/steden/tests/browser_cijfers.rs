//! Browser tests of Stad in cijfers on the real `steden serve --demo` binary in headless
//! Chromium, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: axe-core (WCAG 2.1 A/AA) finds
//! zero violations on the public overview and two indicator pages (one with a recomputed
//! merged municipality, one with a suppressed value), and, logged in, the data team's list of
//! indicators, the new and edit forms and the import form; the embeddable chart and table, and
//! the data team's list of origins that may frame them; the register of data requests, the
//! demo's request and the form for a new one.

use steden_testkit::browser::{checker, harness};

use checker::{log_in, Checker};
use harness::{backends, Browser, Server, Violation};

#[tokio::test]
async fn cijfers_pages_pass_axe() {
    let Some(tools) = harness::tools("cijfers_pages_pass_axe") else {
        return;
    };
    let mut violations = Vec::new();
    let mut checked = Vec::new();
    for backend in backends() {
        let server = Server::start(crate::STEDEN, backend).await;
        let browser = Browser::start(&tools).await;
        let mut checker = Checker::new(&server, &browser, &tools.axe_source);
        checker.check("/cijfers", "overview").await;
        assert!(browser.body_text().await.contains("Bevolking op 1 januari"));
        checker
            .check(
                "/cijfers/indicator/demo_bevolking",
                "indicator with a merged municipality",
            )
            .await;
        assert!(browser.body_text().await.contains("Vlaams Gewest"));
        checker
            .check(
                "/cijfers/indicator/demo_leefloners",
                "indicator with a suppressed value",
            )
            .await;
        // cj-open pages: the embeddable views (a chart and a table), framed by other sites.
        checker
            .check(
                "/cijfers/embed/indicator/demo_bevolking/grafiek",
                "embedded chart",
            )
            .await;
        checker
            .check(
                "/cijfers/embed/indicator/demo_leefloners/tabel",
                "embedded table with a suppressed value",
            )
            .await;
        // end cj-open pages
        // cj-sheets pages: a fact sheet (key figures, line and ranking charts, tables), a
        // fact sheet with a suppressed value in its trend, and a city's own page.
        checker
            .check("/cijfers/steekkaart/bevolking/gent", "fact sheet")
            .await;
        assert!(browser.body_text().await.contains("Kerncijfers"));
        checker
            .check(
                "/cijfers/steekkaart/armoede-en-wonen/turnhout",
                "fact sheet with a suppressed value",
            )
            .await;
        checker.check("/cijfers/stad/gent", "city page").await;
        // end cj-sheets pages
        // cj-climate2: a demo city's climate dashboard (charts, tables, targets, factors).
        checker
            .check("/cijfers/klimaat/gent", "climate dashboard")
            .await;
        assert!(browser.body_text().await.contains("Klimaatplan"));
        // end cj-climate2
        log_in(&server, &browser).await;
        // cj-sheets pages: the themes' admin list and edit form (logged in).
        checker
            .check("/cijfers/beheer/themas", "fact-sheet themes")
            .await;
        checker
            .check("/cijfers/beheer/themas/bevolking", "edit fact-sheet theme")
            .await;
        // end cj-sheets pages
        // cj-climate2: the emission factors and targets, and the form for a target.
        checker
            .check("/cijfers/beheer/klimaat", "emission factors and targets")
            .await;
        checker
            .check(
                "/cijfers/beheer/klimaat/doelstellingen/nieuw",
                "new climate target",
            )
            .await;
        // end cj-climate2
        checker
            .check("/cijfers/beheer/indicatoren", "data team's indicators")
            .await;
        checker
            .check("/cijfers/beheer/indicatoren/nieuw", "new indicator")
            .await;
        checker
            .check(
                "/cijfers/beheer/indicatoren/demo_bevolking",
                "edit indicator",
            )
            .await;
        checker
            .check("/cijfers/beheer/imports", "import form")
            .await;
        // cj-open pages: the data team's list of websites that may embed the figures.
        checker
            .check("/cijfers/beheer/insluiten", "embed origins")
            .await;
        // end cj-open pages
        // cj-map pages
        checker
            .check(
                "/cijfers/indicator/demo_bevolking/kaart/44021?niveau=sector&periode=2024",
                "map of Gent's sectors with a suppressed value",
            )
            .await;
        assert!(browser.body_text().await.contains("geheim"));
        checker
            .check("/cijfers/beheer/geometrie", "geometry upload form")
            .await;
        // end of cj-map pages
        // cj-link pages: the register of data requests and the demo's request (Fluvius).
        checker.check("/cijfers/aanvragen", "data requests").await;
        assert!(browser
            .body_text()
            .await
            .contains("Energieverbruik per statistische sector 2024"));
        checker
            .follow("^/cijfers/aanvragen/(?!nieuw)[^/]+$", "data request")
            .await;
        assert!(browser.body_text().await.contains("Geleverde bestanden"));
        checker
            .check("/cijfers/aanvragen/nieuw", "new data request")
            .await;
        // end cj-link pages
        violations.extend(checker.violations);
        checked.extend(checker.checked);
        browser.close().await;
        server.stop().await;
    }
    println!(
        "browser: axe-core checked {} cijfers pages:\n  {}",
        checked.len(),
        checked.join("\n  ")
    );
    assert!(
        violations.is_empty(),
        "axe-core found {} WCAG 2.1 AA violation(s) on cijfers pages:\n{}",
        violations.len(),
        violations
            .iter()
            .map(Violation::to_string)
            .collect::<String>()
    );
}
