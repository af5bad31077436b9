//! Browser tests of the plan module (Beleidsopvolging) on the real `steden serve --demo`
//! binary in headless Chromium, on SQLite and (with TEST_DATABASE_URL) PostgreSQL:
//!
//! - axe-core (WCAG 2.1 A/AA) finds zero violations on the plan list, the tree (also filtered
//!   and a subtree), the dashboard, an item page (also with a form error), the indicator list
//!   and an indicator page, the release list, a release report and the comparison, the
//!   rounds, kwesties, timeline, finance, import, export and publication pages, "Mijn acties",
//!   and the public pages of the published demo plan;
//! - the tree's levels open and close by keyboard (no JavaScript needed: <details>);
//! - a progress report with a missing comment shows the error beside the field and keeps
//!   what was typed; with a comment it is saved and shows in the item's history.

use steden_testkit::browser::{checker, harness};

use checker::{first_link, link_with_text, log_in, Checker};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use harness::{backends, Browser, Server, Violation};
use serde_json::Value;

const JAARPLAN: &str = "Jaarplan 2025 Kenniscentrum Vlaamse Steden";
const GENT: &str = "Meerjarenplan Gent 2026-2031 (demo)";

#[tokio::test]
async fn plan_pages_pass_axe_and_work_by_keyboard() {
    let Some(tools) = harness::tools("plan_pages_pass_axe_and_work_by_keyboard") else {
        return;
    };
    let mut violations = Vec::new();
    let mut checked = Vec::new();
    for backend in backends() {
        let server = Server::start(crate::STEDEN, backend).await;
        let browser = Browser::start(&tools).await;
        let mut checker = Checker::new(&server, &browser, &tools.axe_source);
        walk_through_the_plan_pages(&mut checker).await;
        violations.extend(checker.violations);
        checked.extend(checker.checked);
        browser.close().await;
        server.stop().await;
    }
    println!(
        "browser: axe-core checked {} plan pages:\n  {}",
        checked.len(),
        checked.join("\n  ")
    );
    assert!(
        violations.is_empty(),
        "axe-core found {} WCAG 2.1 AA violation(s) on plan pages:\n{}",
        violations.len(),
        violations
            .iter()
            .map(Violation::to_string)
            .collect::<String>()
    );
}

async fn walk_through_the_plan_pages(c: &mut Checker<'_>) {
    let (server, browser) = (c.server, c.browser);
    // Public pages first, without login.
    c.check("/openbaar/plannen", "public list").await;
    let public_plan = link_with_text(browser, GENT)
        .await
        .expect("the demo plan of Gent is published");
    c.check(&public_plan, "public plan").await;
    let public_text = browser.body_text().await;
    assert!(public_text.contains("AC010101"), "{public_text}");
    if let Some(public_item) = first_link(
        browser,
        "^/openbaar/plannen/[0-9a-f]{32}/items/[0-9a-f]{32}$",
    )
    .await
    {
        c.check(&public_item, "public item").await;
    }

    log_in(server, browser).await;
    // The search across plans (issue 11 point 6), with hits marked in the page.
    c.check("/plannen/zoeken?q=klimaat", "search across plans")
        .await;
    assert!(
        first_link(browser, "^/plannen/[0-9a-f]{32}/items/[0-9a-f]{32}$")
            .await
            .is_some(),
        "the search for klimaat links to no item: {}",
        browser.body_text().await
    );
    c.check("/plannen", "plan list").await;
    let plan = link_with_text(browser, JAARPLAN)
        .await
        .expect("the demo jaarplan is listed");
    c.check(&plan, "tree").await;
    if server.backend == "sqlite" {
        browser.screenshot("/tmp/steden-plan-tree.png").await;
    }
    let tree_text = browser.body_text().await;
    assert!(
        tree_text.contains("Programma") || tree_text.contains("Werkspoor"),
        "{tree_text}"
    );

    // The tree opens and closes by keyboard: focus a <summary>, press Enter.
    let opened_before = browser
        .js("const d = document.querySelector('main details'); d.querySelector('summary').focus(); return d.open;")
        .await;
    let enter: char = Key::Enter.into();
    let actions = KeyActions::new("keyboard".to_string())
        .then(KeyAction::Down { value: enter })
        .then(KeyAction::Up { value: enter });
    browser
        .client
        .perform_actions(actions)
        .await
        .expect("press Enter");
    let opened_after = browser
        .js("return document.querySelector('main details').open;")
        .await;
    assert_ne!(
        opened_before, opened_after,
        "Enter on a tree summary did not toggle it"
    );

    focus_follows_the_tree_expansion(browser).await;
    c.check_current("tree, a branch expanded").await;

    if let Some(subtree) = first_link(browser, "^/plannen/[0-9a-f]{32}/boom/[0-9a-f]{32}$").await {
        c.check(&subtree, "subtree").await;
    }
    c.check(&format!("{plan}?status=lopend"), "tree filtered")
        .await;
    let item = first_link(browser, "^/plannen/[0-9a-f]{32}/items/[0-9a-f]{32}$")
        .await
        .expect("a running item in the filtered tree");
    c.check(&format!("{plan}/dashboard"), "dashboard").await;

    // An item: report without a comment (error kept beside the field), then with one.
    c.check(&item, "item").await;
    if browser
        .try_find("main form[action$='/rapporteren']")
        .await
        .is_some()
    {
        browser
            .fill(
                "main form[action$='/rapporteren'] textarea[name=comment]",
                "",
            )
            .await;
        browser
            .click_and_wait("main form[action$='/rapporteren'] button[type=submit]")
            .await;
        assert!(
            browser.try_find("main [aria-invalid=true]").await.is_some(),
            "no field marked invalid after a report without comment on {}",
            browser.path().await
        );
        // The error pattern of every form (form::invalid): the title says so, and the summary
        // leads `main` and has the focus.
        let state = browser
            .js("const s = document.querySelector('main .error-summary');
                 return [document.title.startsWith('Fout: '),
                         s !== null && s === document.activeElement,
                         s !== null && s === document.querySelector('main').firstElementChild];")
            .await;
        assert_eq!(
            state,
            serde_json::json!([true, true, true]),
            "title prefix, summary focused, summary first in main after a report with errors"
        );
        c.check_current("item, report without comment").await;
        browser
            .fill(
                "main form[action$='/rapporteren'] textarea[name=comment]",
                "Stand van zaken uit de browsertest.",
            )
            .await;
        browser
            .click_and_wait("main form[action$='/rapporteren'] button[type=submit]")
            .await;
        let text = browser.body_text().await;
        assert!(
            text.contains("Stand van zaken uit de browsertest."),
            "the report is not in the item's history:\n{text}"
        );
    }

    // A parent's status set by hand is shown as such, with the way back to the derived one.
    browser.goto(&server.url(&plan)).await;
    let parent = first_link(browser, "^/plannen/[0-9a-f]{32}/boom/[0-9a-f]{32}$")
        .await
        .expect("a parent in the tree")
        .replace("/boom/", "/items/");
    browser
        .goto(&server.url(&format!("{parent}/bewerken")))
        .await;
    assert!(
        browser
            .try_find("main select[name=status] option[value=afgeleid][selected]")
            .await
            .is_some(),
        "a parent's form offers its derived status"
    );
    c.check_current("item form of a parent").await;
    browser
        .js("document.querySelector('main select[name=status]').value = 'vertraagd'; return true;")
        .await;
    browser
        .fill(
            "main textarea[name=comment]",
            "Met de hand gezet in de browsertest.",
        )
        .await;
    browser
        .click_and_wait("main form.plan-item-form button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(text.contains("handmatig ingesteld"), "{text}");
    c.check_current("item, status set by hand").await;
    browser
        .click_and_wait("main form[action$='/status-afleiden'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(!text.contains("handmatig ingesteld"), "{text}");

    c.check(&format!("{plan}/indicatoren"), "indicators").await;
    c.follow(
        "^/plannen/[0-9a-f]{32}/indicatoren/[0-9a-f]{32}$",
        "indicator",
    )
    .await;
    assert!(
        browser.try_find("main svg[role=img]").await.is_some(),
        "no accessible chart on the indicator page"
    );
    c.check(&format!("{plan}/releases"), "releases").await;
    let release = c
        .follow(
            "^/plannen/[0-9a-f]{32}/releases/[0-9a-f]{32}$",
            "release report",
        )
        .await;
    if server.backend == "sqlite" {
        browser.screenshot("/tmp/steden-plan-report.png").await;
    }
    for (tab, label) in [
        ("rondes", "rounds"),
        ("kwesties", "kwesties"),
        ("tijdlijn", "timeline"),
        ("financien", "finance"),
        ("import", "import"),
        ("export", "export"),
        ("publicatie", "publication"),
    ] {
        c.check(&format!("{plan}/{tab}"), label).await;
    }
    c.check("/mijn-acties", "my actions").await;
    c.check("/plannen", "plan list again").await;
    let gent = link_with_text(browser, GENT)
        .await
        .expect("the Gent demo plan is listed for the platform administrator");
    c.check(&gent, "Gent tree").await;
    c.check(&format!("{gent}/financien"), "Gent finance").await;
    c.check(&format!("{gent}/kwesties"), "Gent kwesties").await;
    // The Gent demo indicator has a shared definition: the comparison page.
    c.check(&format!("{gent}/indicatoren"), "Gent indicators")
        .await;
    let gent_indicator = first_link(browser, "^/plannen/[0-9a-f]{32}/indicatoren/[0-9a-f]{32}$")
        .await
        .expect("the Gent demo plan has an indicator");
    c.check(&gent_indicator, "Gent indicator").await;
    let compare = first_link(browser, "^/indicatoren/vergelijk/")
        .await
        .expect("a shared indicator links to its comparison");
    c.check(&compare, "indicator comparison").await;
    // The comparison of two releases (the same one twice shows no differences).
    let releases = format!("{plan}/releases");
    c.check(&releases, "releases again").await;
    let release_id = release.rsplit('/').next().unwrap().to_string();
    c.check(
        &format!("{plan}/releases/vergelijk?van={release_id}&naar={release_id}"),
        "release comparison",
    )
    .await;
}

/// Expands a branch of the tree by keyboard (the "show the parts" link, an htmx swap of the
/// branch): focus must land on the first new item, not fall back to the page, and the change is
/// announced in the live region outside the swapped block (WCAG 2.4.3, 4.1.3).
async fn focus_follows_the_tree_expansion(browser: &Browser) {
    let branch = browser
        .js("const a = document.querySelector('main a.plan-more[data-focus-new]');
             if (!a) return null;
             // The Enter test above may have closed the branch it sits in.
             for (let d = a.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;
             a.focus(); return a.getAttribute('data-focus-new');")
        .await;
    let branch = branch
        .as_str()
        .expect("a tree branch to expand with htmx on the demo plan")
        .to_string();
    let enter: char = Key::Enter.into();
    let actions = KeyActions::new("keyboard".to_string())
        .then(KeyAction::Down { value: enter })
        .then(KeyAction::Up { value: enter });
    browser
        .client
        .perform_actions(actions)
        .await
        .expect("press Enter");
    let script = format!(
        "const b = document.getElementById({id});
         const f = document.activeElement;
         return [b !== null && b.querySelector('ul') !== null && b.querySelector('ul').contains(f),
                 document.getElementById('swap-status').textContent.trim() !== '',
                 location.pathname, f.tagName + ' ' + (f.textContent || '').slice(0, 60),
                 b ? b.outerHTML.slice(0, 1500) : ''];",
        id = serde_json::to_string(&branch).unwrap()
    );
    let mut state = Value::Null;
    for _ in 0..50 {
        state = browser.js(&script).await;
        if state[0] == true && state[1] == true {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "after expanding {branch}: [focus on a new item, announced, path, focus, block] = {state}"
    );
}
