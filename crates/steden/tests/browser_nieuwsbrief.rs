//! Browser tests of the nieuwsbrief module's public pages on the real `steden serve --demo`
//! binary in headless Chromium, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: axe-core
//! (WCAG 2.1 A/AA) finds zero violations, and every title is unique, on the subscription form
//! (also with its errors), the page after it, the confirmation page reached by the link in the
//! mail and the page after confirming, the preferences page by the welcome mail's link (also
//! with a saved notice), the erase question, the footer's unsubscribe question and a forged
//! link's page; and the editors' sending page of a campaign with its cancel question.

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
        walk_through_sending(&mut checker).await;
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

/// The editors' sending page of a paused campaign (made in the database: the campaign editor
/// is another slice), its resume button and the cancel question.
async fn walk_through_sending(c: &mut Checker<'_>) {
    let (server, browser) = (c.server, c.browser);
    server
        .execute(
            "INSERT INTO nb_campaigns (id, subject, preheader, language, status, lists, frozen_html,
                 frozen_text, frozen_at, created_at, updated_at)
             VALUES ('nb-walk', 'Nieuwsbrief van de wandeling', '', 'nl', 'gepauzeerd',
                 '[\"algemeen\"]', '<p>Nieuws</p>', 'Nieuws', 0, 0, 0)",
        )
        .await;
    checker::log_in(server, browser).await;
    let page = "/nieuwsbrief/beheer/campagnes/nb-walk/verzending";
    c.check(page, "sending page (paused)").await;
    c.check(&format!("{page}/annuleren"), "cancel question")
        .await;
    browser.goto(&server.url(page)).await;
    browser
        .click_and_wait(&format!("main form[action='{page}/hervatten'] button"))
        .await;
    let text = browser.body_text().await;
    assert!(text.contains("De verzending is hervat."), "{text}");
    c.check_current("sending page after resuming").await;
}
