//! Browser tests of the nieuwsbrief module's public pages on the real `steden serve --demo`
//! binary in headless Chromium, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: axe-core
//! (WCAG 2.1 A/AA) finds zero violations, and every title is unique, on the subscription form
//! (also with its errors), the page after it, the confirmation page reached by the link in the
//! mail and the page after confirming, the preferences page by the welcome mail's link (also
//! with a saved notice), the erase question, the footer's unsubscribe question and a forged
//! link's page; and, as the demo administrator, the campaign editor (list, new form with its
//! error, editor, item search, an added item and text block, a block moved with htmx).

use steden_testkit::browser::{checker, harness};

use checker::Checker;
use harness::{backends, Browser, Server, Violation};

#[tokio::test]
async fn nieuwsbrief_pages_pass_axe() {
    let Some(tools) = harness::tools("nieuwsbrief_pages_pass_axe") else {
        return;
    };
    let mut violations = Vec::new();
    let mut checked = Vec::new();
    for backend in backends() {
        let server = Server::start(crate::STEDEN, backend).await;
        let browser = Browser::start(&tools).await;
        let mut checker = Checker::new(&server, &browser, &tools.axe_source);
        walk_through_subscribing(&mut checker).await;
        walk_through_the_campaign_editor(&mut checker).await;
        violations.extend(checker.violations);
        checked.extend(checker.checked);
        browser.close().await;
        server.stop().await;
    }
    println!(
        "browser: axe-core checked {} nieuwsbrief pages:\n  {}",
        checked.len(),
        checked.join("\n  ")
    );
    assert!(
        violations.is_empty(),
        "axe-core found {} WCAG 2.1 AA violation(s) on nieuwsbrief pages:\n{}",
        violations.len(),
        violations
            .iter()
            .map(Violation::to_string)
            .collect::<String>()
    );
}

async fn walk_through_subscribing(c: &mut Checker<'_>) {
    let (server, browser) = (c.server, c.browser);
    c.check("/nieuwsbrief", "subscription form").await;
    // Nothing filled in but the ticked monthly list: the errors, with the summary first.
    browser
        .click_and_wait("main form[action='/nieuwsbrief/inschrijven'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(text.contains("Vul een e-mailadres in."), "{text}");
    assert!(text.contains("Vink aan dat je akkoord gaat"), "{text}");
    let focused = browser
        .js("return document.activeElement && document.activeElement.className;")
        .await;
    assert_eq!(
        focused.as_str(),
        Some("error-summary"),
        "the summary takes the focus"
    );
    c.check_current("subscription form with errors").await;

    browser.fill("#email", "lezer@example.org").await;
    browser.fill("#name", "Lien Lezer").await;
    browser
        .js("document.getElementById('consent').checked = true;")
        .await;
    browser
        .click_and_wait("main form[action='/nieuwsbrief/inschrijven'] button[type=submit]")
        .await;
    assert!(browser.body_text().await.contains("Kijk in je mailbox"));
    c.check_current("after the form").await;

    let confirm = server
        .link_in_mail("/nieuwsbrief/bevestigen/")
        .await
        .expect("the confirmation mail");
    c.check(&confirm, "confirmation").await;
    browser
        .click_and_wait("main form button[type=submit]")
        .await;
    assert!(browser
        .body_text()
        .await
        .contains("Je inschrijving is bevestigd"));
    c.check_current("confirmed").await;

    let preferences = server
        .link_in_mail("/nieuwsbrief/voorkeuren/")
        .await
        .expect("the welcome mail");
    c.check(&preferences, "preferences").await;
    browser
        .js("document.querySelector(\"input[name='lists'][value='klimaat']\").checked = true;")
        .await;
    browser
        .click_and_wait(&format!(
            "main form[action='{preferences}'] button[type=submit]"
        ))
        .await;
    assert!(browser
        .body_text()
        .await
        .contains("Je voorkeuren zijn bewaard."));
    c.check_current("preferences saved").await;
    c.check(&format!("{preferences}/wissen"), "erase question")
        .await;
    let unsubscribe = server
        .link_in_mail("/nieuwsbrief/afmelden/")
        .await
        .expect("the welcome mail's unsubscribe link");
    c.check(&unsubscribe, "unsubscribe question").await;
    c.check("/nieuwsbrief/voorkeuren/vervalst.token", "forged link")
        .await;
    assert!(browser
        .body_text()
        .await
        .contains("Deze link is niet geldig"));
}

/// The campaign editor (issue 14 point 2), as the demo administrator: the list, the new form
/// with its error and then filled in, the editor, the item search, the editor with an added
/// item and a text block, and moving a block with htmx (the focus stays on the button).
async fn walk_through_the_campaign_editor(c: &mut Checker<'_>) {
    let (server, browser) = (c.server, c.browser);
    checker::log_in(server, browser).await;
    c.check("/nieuwsbrief/beheer/campagnes", "campaigns").await;
    c.check("/nieuwsbrief/beheer/campagnes/nieuw", "new campaign")
        .await;
    browser
        .click_and_wait(
            "main form[action='/nieuwsbrief/beheer/campagnes/nieuw'] button[type=submit]",
        )
        .await;
    let text = browser.body_text().await;
    assert!(
        text.contains("Geef de nieuwsbrief een onderwerp."),
        "{text}"
    );
    c.check_current("new campaign with an error").await;
    browser
        .fill("#subject", "Nieuwsbrief januari (browsertest)")
        .await;
    browser
        .click_and_wait(
            "main form[action='/nieuwsbrief/beheer/campagnes/nieuw'] button[type=submit]",
        )
        .await;
    assert!(browser.body_text().await.contains("Aankondigingen"));
    c.check_current("campaign editor").await;

    let items = browser
        .js("return document.querySelector(\"main a[href$='/items']\").getAttribute('href');")
        .await;
    let items = items
        .as_str()
        .expect("an 'Item toevoegen' link")
        .to_string();
    c.check(&items, "item search").await;
    browser
        .click_and_wait("main .nb-result form button[type=submit]")
        .await;
    assert!(browser
        .body_text()
        .await
        .contains("Het item is toegevoegd."));

    let text_form = browser
        .js("return document.querySelector(\"main a[href$='/tekst']\").getAttribute('href');")
        .await;
    let text_form = text_form
        .as_str()
        .expect("a 'Tekst toevoegen' link")
        .to_string();
    c.check(&text_form, "text block form").await;
    browser
        .fill("#markdown", "Een gelukkig **nieuwjaar** aan alle steden!")
        .await;
    browser
        .click_and_wait("main form button[type=submit]")
        .await;
    assert!(browser.body_text().await.contains("nieuwjaar"));
    c.check_current("editor with an item and a text block")
        .await;

    // Moving the section's first block (the item) down with htmx: the content is swapped in
    // place and the focus stays on the button, which keeps its id.
    let before = browser
        .js("return document.querySelector('main .nb-section .nb-block').id;")
        .await;
    let moved = browser
        .js("const b = document.querySelector(\"main .nb-section .nb-block button[id^='blok-omlaag-']\"); b.focus(); b.click(); return b.id;")
        .await;
    let moved = moved.as_str().expect("a block's down button").to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let first = browser
            .js("return document.querySelector('main .nb-section .nb-block').id;")
            .await;
        let focused = browser
            .js("return document.activeElement ? document.activeElement.id : '';")
            .await;
        if first != before && focused.as_str() == Some(moved.as_str()) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "after moving, the first block is {first} (was {before}) and the focus is on {focused}, not {moved}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    c.check_current("editor after moving a block").await;
}
