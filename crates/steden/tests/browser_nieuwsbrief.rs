//! Browser tests of the nieuwsbrief module's public pages on the real `steden serve --demo`
//! binary in headless Chromium, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: axe-core
//! (WCAG 2.1 A/AA) finds zero violations, and every title is unique, on the subscription form
//! (also with its errors), the page after it, the confirmation page reached by the link in the
//! mail and the page after confirming, the preferences page by the welcome mail's link (also
//! with a saved notice), the erase question, the footer's unsubscribe question and a forged
//! link's page; then, logged in, the editors' dashboard, the subscriber list with a filter, a
//! subscriber's page, the editors' erase question and the settings.
//! link's page; and the editors' sending page of a campaign with its cancel question.
//! link's page; and, as the demo administrator, the campaign editor (list, new form with its
//! error, editor, item search, an added item and text block, a block moved with htmx).
//! link's page; and, logged in, the editors' import form (also with its errors) and a
//! finished import's report.
//! And the archive (list, a newsletter, the editors' switch) and the embeddable form (alone,
//! with its errors, and the editors' snippet page).

use steden_testkit::browser::{checker, harness};

use checker::{log_in, Checker};
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
        walk_through_the_editors_pages(&mut checker).await;
        walk_through_the_linkedin_planner(&mut checker).await;
        walk_through_templates_and_a_campaign(&mut checker).await;
        walk_through_sending(&mut checker).await;
        walk_through_the_campaign_editor(&mut checker).await;
        walk_through_importing(&mut checker).await;
        walk_through_the_archive_and_the_embed(&mut checker).await;
        walk_through_the_statistics(&mut checker).await;
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

/// The editors' pages (S3), logged in as the demo's administrator: the dashboard, the
/// subscriber list with a filter (the subscriber of the walk above), their page, the erase
/// question and the settings.
async fn walk_through_the_editors_pages(c: &mut Checker<'_>) {
    let (server, browser) = (c.server, c.browser);
    log_in(server, browser).await;
    c.check("/nieuwsbrief/beheer", "editors' dashboard").await;
    c.check(
        "/nieuwsbrief/beheer/abonnees?q=lezer&status=bevestigd",
        "subscribers, filtered",
    )
    .await;
    assert!(browser.body_text().await.contains("lezer@example.org"));
    let subscriber = checker::first_link(browser, "^/nieuwsbrief/beheer/abonnees/[^/]+$")
        .await
        .expect("the subscriber in the list");
    c.check(&subscriber, "a subscriber for editors").await;
    c.check(
        &format!("{subscriber}/wissen"),
        "erase question for editors",
    )
    .await;
    c.check("/nieuwsbrief/beheer/instellingen", "newsletter settings")
        .await;
}

/// The LinkedIn planner as the demo administrator (logged in by the editors' walk before it):
/// the twelve weeks, a new post refused without text (error summary focused), saved, then its page with a refused "posted" (no
/// address), marked posted, and with figures and their chart.
async fn walk_through_the_linkedin_planner(c: &mut Checker<'_>) {
    let browser = c.browser;
    c.check("/nieuwsbrief/beheer/linkedin", "LinkedIn planner")
        .await;
    assert!(browser.body_text().await.contains("Twaalf weken"));
    c.check("/nieuwsbrief/beheer/linkedin/nieuw", "new LinkedIn post")
        .await;
    browser
        .click_and_wait("main form[method=post] button[type=submit]")
        .await;
    assert!(browser
        .body_text()
        .await
        .contains("Schrijf de tekst van de post."));
    c.check_current("new LinkedIn post with errors").await;
    browser
        .fill("#text", "Nieuw op het platform: de LinkedIn-planner.")
        .await;
    browser
        .click_and_wait("main form[method=post] button[type=submit]")
        .await;
    assert!(browser.body_text().await.contains("bewaard als concept"));
    c.check_current("LinkedIn post").await;
    browser
        .click_and_wait("main form[action$='/gepost'] button[type=submit]")
        .await;
    assert!(browser
        .body_text()
        .await
        .contains("Geef het adres van de post op LinkedIn."));
    c.check_current("LinkedIn post, posted without address")
        .await;
    browser
        .fill(
            "#url",
            "https://www.linkedin.com/posts/kenniscentrum-vlaamse-steden_1",
        )
        .await;
    browser
        .click_and_wait("main form[action$='/gepost'] button[type=submit]")
        .await;
    browser.fill("#impressions", "1.250").await;
    browser.fill("#reactions", "31").await;
    browser
        .click_and_wait("main form[action$='/cijfers'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(text.contains("De cijfers zijn bewaard."), "{text}");
    assert!(text.contains("1.250"), "{text}");
    c.check_current("LinkedIn post with figures").await;
}

/// Puts a concept campaign with two sections (items, one with an image, and Markdown) straight
/// into the server's database: the campaign editor is another page's concern. Its id.
async fn campaign_for_the_walk(server: &Server) -> &'static str {
    let id = "browser-campagne";
    let now = 1_800_000_000_000_i64;
    server
        .execute(&format!(
            "INSERT INTO nb_campaigns (id, subject, preheader, language, status, lists, created_at, updated_at)
             VALUES ('{id}', 'Nieuwsbrief december', 'Slimme steden en klimaat', 'nl', 'concept', '[\"algemeen\"]', {now}, {now})"
        ))
        .await;
    for (section, position, title) in [("s1", 1, "Aankondigingen"), ("s2", 2, "Kennis")] {
        server
            .execute(&format!(
                "INSERT INTO nb_sections (id, campaign_id, position, title) VALUES ('{id}-{section}', '{id}', {position}, '{title}')"
            ))
            .await;
    }
    server
        .execute(&format!(
            "INSERT INTO nb_blocks (id, section_id, position, kind, title, summary, url, image_url, image_alt)
             VALUES ('{id}-b1', '{id}-s1', 1, 'item', 'Werkgroep Smart Cities', 'De volgende bijeenkomst gaat over slimme verlichting.', '/werkgroepen', '/static/favicon.svg', 'Het logo van het platform')"
        ))
        .await;
    server
        .execute(&format!(
            "INSERT INTO nb_blocks (id, section_id, position, kind, title, summary, url)
             VALUES ('{id}-b2', '{id}-s1', 2, 'item', 'Oproep klimaatadaptatie', 'Deel je project voor de kennisbank.', '/kennisbank')"
        ))
        .await;
    server
        .execute(&format!(
            "INSERT INTO nb_blocks (id, section_id, position, kind, markdown)
             VALUES ('{id}-b3', '{id}-s2', 1, 'markdown', 'Het **jaarrapport** staat in de [kennisbank](/kennisbank).')"
        ))
        .await;
    id
}

/// The editors' template pages (the list, a new template, the same form refused with a compile
/// error), a campaign's preview, test and schedule pages, and the campaign's mail itself opened
/// as a page, in the light and the dark colour scheme.
async fn walk_through_templates_and_a_campaign(c: &mut Checker<'_>) {
    // Logged in by the editors' walk before it.
    let (server, browser) = (c.server, c.browser);
    c.check("/nieuwsbrief/beheer/sjablonen", "mail templates")
        .await;
    c.check("/nieuwsbrief/beheer/sjablonen/nieuw", "new mail template")
        .await;
    assert!(browser
        .try_find("main iframe[sandbox][srcdoc]")
        .await
        .is_some());
    browser.fill("#name", "Kapot sjabloon").await;
    browser
        .js("document.getElementById('source').value = '<html>\\n<body>\\n<p>{{ subject </p>';")
        .await;
    browser
        .click_and_wait("main form button[name=action][value=opslaan]")
        .await;
    let text = browser.body_text().await;
    assert!(
        text.contains("Het sjabloon bevat een fout op regel 3, kolom"),
        "{text}"
    );
    c.check_current("mail template with a compile error").await;

    let id = campaign_for_the_walk(server).await;
    let base = format!("/nieuwsbrief/beheer/campagnes/{id}");
    c.check(&format!("{base}/voorbeeld"), "campaign preview")
        .await;
    assert!(browser.body_text().await.contains("Werkgroep Smart Cities"));
    c.check(&format!("{base}/testen"), "campaign test mail")
        .await;
    c.check(&format!("{base}/plannen"), "campaign schedule")
        .await;
    c.check(
        &format!("{base}/voorbeeld/mail"),
        "the campaign's mail as a page",
    )
    .await;
    assert!(browser.try_find("table[role=presentation]").await.is_some());
    browser.emulate_color_scheme("dark").await;
    c.check_current("the campaign's mail in dark mode").await;
    browser.emulate_color_scheme("").await;
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
    // Logged in by the editors' walk.
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

/// The campaign editor (issue 14 point 2), as the demo administrator: the list, the new form
/// with its error and then filled in, the editor, the item search, the editor with an added
/// item and a text block, and moving a block with htmx (the focus stays on the button).
async fn walk_through_the_campaign_editor(c: &mut Checker<'_>) {
    let browser = c.browser;
    // Logged in by the editors' walk.
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

    // The picture form (the upload itself is tested in crates/nieuwsbrief/tests/images.rs):
    // sent without a file and without an alt text, it answers with its error summary first.
    let image_form = browser
        .js("return document.querySelector(\"main a[href$='/afbeelding']\").getAttribute('href');")
        .await;
    let image_form = image_form
        .as_str()
        .expect("an 'Afbeelding toevoegen' link")
        .to_string();
    c.check(&image_form, "picture form").await;
    browser
        .click_and_wait("main form button[type=submit]")
        .await;
    assert_errors_first(browser, &["Kies een afbeelding"]).await;
    c.check_current("picture form with its errors").await;
    let editor = image_form.trim_end_matches("/afbeelding");
    let editor = &editor[..editor.rfind("/secties/").expect("a section's address")];
    browser.goto(&c.server.url(editor)).await;

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

/// The editors' import of subscribers (slice S4), logged in with the demo login: the form,
/// the same form with its errors when "bevestigd importeren" comes without a legal basis (the
/// summary takes the focus), and the report of a finished import with its refused lines (the
/// demo server's own workers run the job; the page refreshes itself with htmx until it is done).
async fn walk_through_importing(c: &mut Checker<'_>) {
    let browser = c.browser;
    // Logged in by the editors' walk.
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

/// The public archive (issue 14 point 6) with a sent newsletter written into the database
/// (a section with an item and a Markdown block), its page, the editors' archive switch
/// (logged in by the editors' walk), and the embeddable form (point 1) alone, with its
/// errors, and on the editors' snippet page.
async fn walk_through_the_archive_and_the_embed(c: &mut Checker<'_>) {
    let (server, browser) = (c.server, c.browser);
    for sql in [
        "INSERT INTO nb_campaigns (id, subject, preheader, language, status, lists, frozen_html,
             frozen_text, frozen_at, finished_at, archived, slug, created_at, updated_at)
         VALUES ('nb-archief', 'Nieuwsbrief van het archief', 'Het nieuws van de maand', 'nl',
             'verzonden', '[\"algemeen\"]', '<p>Nieuws</p>', 'Nieuws', 0, 1764547200000, 1,
             '2025-12-nieuwsbrief-van-het-archief', 0, 0)",
        "INSERT INTO nb_sections (id, campaign_id, position, title)
         VALUES ('nb-archief-s', 'nb-archief', 1, 'Kennis')",
        "INSERT INTO nb_blocks (id, section_id, position, kind, title, summary, url)
         VALUES ('nb-archief-b1', 'nb-archief-s', 1, 'item', 'Pleinen in steden',
             'Wat elf steden leerden.', '/kennisbank')",
        "INSERT INTO nb_blocks (id, section_id, position, kind, markdown)
         VALUES ('nb-archief-b2', 'nb-archief-s', 2, 'markdown',
             'Lees ook het **verslag** van de [studiedag](https://example.org/studiedag).')",
    ] {
        server.execute(sql).await;
    }
    c.check("/nieuwsbrief/archief", "newsletter archive").await;
    c.check(
        "/nieuwsbrief/archief/2025-12-nieuwsbrief-van-het-archief",
        "a newsletter in the archive",
    )
    .await;
    c.check(
        "/nieuwsbrief/beheer/campagnes/nb-archief/archief",
        "a campaign's archive switch",
    )
    .await;
    c.check("/nieuwsbrief/beheer/insluiten", "embed snippet page")
        .await;
    c.check("/nieuwsbrief/insluiten", "embeddable form").await;
    browser
        .click_and_wait("main form[action='/nieuwsbrief/insluiten'] button[type=submit]")
        .await;
    assert_errors_first(
        browser,
        &["Vul een e-mailadres in.", "Vink aan dat je akkoord gaat"],
    )
    .await;
    c.check_current("embeddable form with errors").await;
}

/// The reading statistics (issue 14 point 5) of the demo's two sent campaigns, whose opens and
/// clicks the demo simulated: the comparison, then one campaign's page with its sections,
/// links and chart over time.
async fn walk_through_the_statistics(c: &mut Checker<'_>) {
    let browser = c.browser;
    // Logged in by the editors' walk.
    c.check("/nieuwsbrief/beheer/statistieken", "reading statistics")
        .await;
    let text = browser.body_text().await;
    assert!(text.contains("waarschijnlijk automatisch"), "{text}");
    let campaign = browser
        .js("const a = document.querySelector(\"main a[href^='/nieuwsbrief/beheer/statistieken/']\"); return a ? a.getAttribute('href') : null;")
        .await;
    let campaign = campaign
        .as_str()
        .expect("a link to a sent campaign's statistics")
        .to_string();
    c.check(&campaign, "a campaign's reading statistics").await;
    assert!(
        browser.try_find("main svg").await.is_some(),
        "the chart over time"
    );
}
