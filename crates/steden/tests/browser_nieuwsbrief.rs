//! Browser tests of the nieuwsbrief module's public pages on the real `steden serve --demo`
//! binary in headless Chromium, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: axe-core
//! (WCAG 2.1 A/AA) finds zero violations, and every title is unique, on the subscription form
//! (also with its errors), the page after it, the confirmation page reached by the link in the
//! mail and the page after confirming, the preferences page by the welcome mail's link (also
//! with a saved notice), the erase question, the footer's unsubscribe question and a forged
//! link's page; and, logged in, the editors' import form (also with its errors) and a
//! finished import's report.

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
        walk_through_importing(&mut checker).await;
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

/// A form shown again with its errors: each of `messages` is on the page and the error
/// summary has the focus.
async fn assert_errors_first(browser: &Browser, messages: &[&str]) {
    let text = browser.body_text().await;
    for message in messages {
        assert!(text.contains(message), "{message} missing in {text}");
    }
    let focused = browser
        .js("return document.activeElement && document.activeElement.className;")
        .await;
    assert_eq!(
        focused.as_str(),
        Some("error-summary"),
        "the summary takes the focus"
    );
}

async fn walk_through_subscribing(c: &mut Checker<'_>) {
    let (server, browser) = (c.server, c.browser);
    c.check("/nieuwsbrief", "subscription form").await;
    // Nothing filled in but the ticked monthly list: the errors, with the summary first.
    browser
        .click_and_wait("main form[action='/nieuwsbrief/inschrijven'] button[type=submit]")
        .await;
    assert_errors_first(
        browser,
        &["Vul een e-mailadres in.", "Vink aan dat je akkoord gaat"],
    )
    .await;
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

/// The editors' import of subscribers (slice S4), logged in with the demo login: the form,
/// the same form with its errors when "bevestigd importeren" comes without a legal basis (the
/// summary takes the focus), and the report of a finished import with its refused lines (the
/// demo server's own workers run the job; the page refreshes itself with htmx until it is done).
async fn walk_through_importing(c: &mut Checker<'_>) {
    let (server, browser) = (c.server, c.browser);
    checker::log_in(server, browser).await;
    c.check("/nieuwsbrief/beheer/import", "import form").await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("studiedag.csv");
    std::fs::write(
        &path,
        "e-mail;naam;taal\nbert.import@example.org;Bert;nl\ngeen-adres;X;nl\nbert.import@example.org;Bert;nl\n",
    )
    .unwrap();
    let file = path.to_str().unwrap().to_string();
    let submit = "main form[enctype='multipart/form-data'] button[type=submit]";
    browser.find("#file").await.send_keys(&file).await.unwrap();
    browser
        .js("document.getElementById('confirmed').checked = true;")
        .await;
    browser.click_and_wait(submit).await;
    assert_errors_first(browser, &["Kies de rechtsgrond", "Vul de bron in"]).await;
    c.check_current("import form with errors").await;

    browser.find("#file").await.send_keys(&file).await.unwrap();
    browser
        .js("document.getElementById('basis').checked = true;")
        .await;
    browser
        .fill(
            "#basis_text",
            "toestemming gegeven op de studiedag van 12 maart 2026",
        )
        .await;
    browser
        .fill("#source", "inschrijvingslijst studiedag")
        .await;
    browser.click_and_wait(submit).await;
    let mut done = false;
    for _ in 0..120 {
        if browser.body_text().await.contains("Geweigerde regels") {
            done = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(
        done,
        "the import did not finish: {}",
        browser.body_text().await
    );
    let text = browser.body_text().await;
    assert!(
        text.contains("ongeldig e-mailadres") && text.contains("dubbel in het bestand"),
        "{text}"
    );
    c.check_current("import report").await;
}
