//! Browser tests of the werkgroepen module's group pages on the real `steden serve --demo`
//! binary in headless Chromium, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: axe-core
//! (WCAG 2.1 A/AA) finds zero violations, and every title is unique, on the list, a demo
//! group's page and members as a visitor, and as the demo administrator (staff, and beheerder
//! in Gent) on the list, the group's page, members, join form (also with its errors), a join
//! request's page,
//! settings, history and the new-group form (also with its errors); the meetings tab, the
//! new-meeting form (also with its errors), a planned meeting's page and the series form; the
//! meeting's agenda, the proposal form (also with its errors), the minutes, the reply page (also by the
//! link in the invitation), my
//! groups, the calendar feed page, my data and the staff overview; recording a meeting
//! held (also with its errors), the indicator page, the action points; the events list, the
//! new-event form (also with its errors), an event's page with its registration form (also with
//! its errors) and after registering, the registration's page by the link in its mail, a forged
//! link, its participants, attendance and evaluation pages, the
//! new-series form, the edit form (also with its errors), the cancel confirm page (also with its
//! errors), the cancelled event and an event series' page; the staff pages for agenda templates
//! (the list, the new-template form also with its errors, a template's page) and the retention
//! setting (also with its errors); after an event took place, the evaluation mailed by the
//! organiser's button and its form by the mail's link (also without its required answer) and
//! the results with the answer; the registrant's "my data" link from a confirmation mail and
//! the form that asks for a new one (also with its errors).

use steden_testkit::browser::{checker, harness};

use checker::{log_in, Checker};
use harness::{backends, Browser, Server, Violation};

#[tokio::test]
async fn werkgroepen_pages_pass_axe() {
    let Some(tools) = harness::tools("werkgroepen_pages_pass_axe") else {
        return;
    };
    let mut violations = Vec::new();
    let mut checked = Vec::new();
    for backend in backends() {
        let server = Server::start(crate::STEDEN, backend).await;
        let browser = Browser::start(&tools).await;
        let mut checker = Checker::new(&server, &browser, &tools.axe_source);
        walk_through_the_group_pages(&mut checker).await;
        violations.extend(checker.violations);
        checked.extend(checker.checked);
        browser.close().await;
        server.stop().await;
    }
    println!(
        "browser: axe-core checked {} werkgroepen pages:\n  {}",
        checked.len(),
        checked.join("\n  ")
    );
    assert!(
        violations.is_empty(),
        "axe-core found {} WCAG 2.1 AA violation(s) on werkgroepen pages:\n{}",
        violations.len(),
        violations
            .iter()
            .map(Violation::to_string)
            .collect::<String>()
    );
}

async fn walk_through_the_group_pages(c: &mut Checker<'_>) {
    let (server, browser) = (c.server, c.browser);
    c.check("/werkgroepen", "list").await;
    assert!(browser.body_text().await.contains("Werkgroep OBMi"));
    c.check("/werkgroepen/obmi", "group").await;
    c.check("/werkgroepen/obmi/leden", "members").await;
    let members = browser.body_text().await;
    assert!(
        !members.contains("@demo.stedenplatform.be"),
        "no e-mail addresses for a visitor: {members}"
    );

    log_in(server, browser).await;
    c.check("/werkgroepen", "list, staff").await;
    c.check("/werkgroepen/obmi", "group, staff").await;
    c.check("/werkgroepen/obmi/leden", "members, staff").await;
    assert!(browser
        .body_text()
        .await
        .contains("@demo.stedenplatform.be"));
    c.check("/werkgroepen/obmi/lid-worden", "join form").await;
    browser
        .click_and_wait("main form[action$='/lid-worden'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(
        text.contains("Schrijf kort waarom je lid wilt worden"),
        "{text}"
    );
    c.check_current("join form with errors").await;
    // A valid request, then the facilitator's page to decide on it.
    browser
        .js("document.querySelector(\"main input[name='organisation_id']\").checked = true;")
        .await;
    browser
        .fill("#motivation", "Ik volg de datastrategie van onze stad op.")
        .await;
    browser
        .click_and_wait("main form[action$='/lid-worden'] button[type=submit]")
        .await;
    c.check("/werkgroepen/obmi/leden", "members with a join request")
        .await;
    let request = checker::first_link(browser, "/werkgroepen/obmi/aanvragen/")
        .await
        .expect("the request is listed for the facilitator");
    c.check(&request, "join request").await;
    c.check("/werkgroepen/obmi/instellingen", "settings").await;
    c.check("/werkgroepen/obmi/geschiedenis", "history").await;
    c.check("/werkgroepen/beheer/nieuw", "new group").await;
    browser
        .click_and_wait("main form[action$='/beheer/nieuw'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(text.contains("Vul een naam in."), "{text}");
    c.check_current("new group with errors").await;

    // Meetings (S4): the tab, the new-meeting form with its errors, then a planned meeting's
    // page. The date is set by script: typing into a date input depends on the browser's locale.
    c.check("/werkgroepen/obmi/vergaderingen", "meetings").await;
    c.check("/werkgroepen/obmi/vergaderingen/nieuw", "new meeting")
        .await;
    browser
        .js("document.getElementById('local_date').value = '2055-02-30'; document.getElementById('local_end').value = '09:00';")
        .await;
    browser
        .click_and_wait("main form[action$='/vergaderingen/nieuw'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(text.contains("Deze datum bestaat niet."), "{text}");
    c.check_current("new meeting with errors").await;
    browser
        .js("document.getElementById('local_date').value = '2055-06-15'; document.getElementById('local_start').value = '14:00'; document.getElementById('local_end').value = '16:00'; document.getElementById('place').value = 'Stadhuis Gent';")
        .await;
    browser
        .click_and_wait("main form[action$='/vergaderingen/nieuw'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(text.contains("dinsdag 15 juni 2055"), "{text}");
    c.check_current("meeting").await;
    let meeting = browser.path().await;
    c.check("/werkgroepen/obmi/vergaderingen/reeks", "series form")
        .await;
    walk_through_the_meeting_work(c, &meeting).await;
    walk_through_the_events(c).await;
    walk_through_the_staff_admin(c).await;
}

/// The agenda, a proposal, the minutes, a meeting held after the fact, the plan indicator and
/// the action points, on the meeting the walk above planned.
async fn walk_through_the_meeting_work(c: &mut Checker<'_>, meeting: &str) {
    let browser = c.browser;
    c.check(&format!("{meeting}/agenda"), "agenda").await;
    c.check(&format!("{meeting}/agenda/voorstel"), "proposal form")
        .await;
    browser
        .click_and_wait("main form[action*='/agenda/voorstel?'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(text.contains("Vul een titel in."), "{text}");
    c.check_current("proposal form with errors").await;
    browser.fill("#title", "Stand van zaken datadeling").await;
    browser
        .click_and_wait("main form[action*='/agenda/voorstel?'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(text.contains("Stand van zaken datadeling"), "{text}");
    c.check_current("agenda with a proposal").await;
    c.check(&format!("{meeting}/verslag"), "minutes").await;

    c.check(
        "/werkgroepen/obmi/vergaderingen/registreren",
        "record a meeting held",
    )
    .await;
    browser
        .js("document.getElementById('local_date').value = '2099-01-05';")
        .await;
    browser
        .click_and_wait("main form[action$='/vergaderingen/registreren'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(text.contains("Deze datum ligt in de toekomst."), "{text}");
    c.check_current("record a meeting held with errors").await;
    c.check("/werkgroepen/obmi/instellingen/indicator", "indicator")
        .await;
    c.check("/werkgroepen/obmi/actiepunten", "action points")
        .await;
    c.check("/werkgroepen/mijn/actiepunten", "my action points")
        .await;
    c.check(&format!("{meeting}/antwoord"), "reply").await;
    // The invitation mailed to the group's members carries a signed reply link.
    let link = c
        .server
        .link_in_mail("/werkgroepen/antwoord/")
        .await
        .expect("an invitation with its reply link");
    c.check(&link, "reply by its mail link").await;
    c.check("/werkgroepen/mijn", "my groups").await;
    c.check("/werkgroepen/mijn/agenda-abonnement", "calendar feed")
        .await;
    c.check("/werkgroepen/overzicht", "staff overview").await;
    c.check("/werkgroepen/mijn/gegevens", "my data").await;
}

/// An event made through the form, registered for, and the organiser's pages.
async fn walk_through_the_events(c: &mut Checker<'_>) {
    let browser = c.browser;
    c.check("/werkgroepen/activiteiten", "events").await;
    c.check("/werkgroepen/activiteiten/nieuw", "new event")
        .await;
    browser
        .click_and_wait("main form[action$='/activiteiten/nieuw'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(text.contains("Vul een titel in."), "{text}");
    c.check_current("new event with errors").await;
    browser.fill("#title", "Studiedag impactmeting").await;
    browser
        .fill("#slug", "studiedag-impactmeting-browser")
        .await;
    browser
        .js("document.getElementById('local_date').value = '2055-09-14'; document.getElementById('local_start').value = '09:30'; document.getElementById('local_end').value = '16:00'; document.getElementById('place').value = 'Leuven'; document.getElementById('capacity').value = '20'; document.getElementById('questions').value = 'Dieetwensen*';")
        .await;
    browser
        .click_and_wait("main form[action$='/activiteiten/nieuw'] button[type=submit]")
        .await;
    let event = browser.path().await;
    assert_eq!(
        event,
        "/werkgroepen/activiteiten/studiedag-impactmeting-browser",
        "{}",
        browser.body_text().await
    );
    c.check_current("event").await;
    browser
        .click_and_wait("main form[action$='/inschrijven'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(
        text.contains("Beantwoord de vraag 'Dieetwensen'."),
        "{text}"
    );
    c.check_current("registration with errors").await;
    browser.fill("#v1", "vegetarisch").await;
    browser
        .click_and_wait("main form[action$='/inschrijven'] button[type=submit]")
        .await;
    c.check_current("event, registered").await;
    // The confirmation mail's signed link: the registration's own page (its button cancels).
    let link = c
        .server
        .link_in_mail("/werkgroepen/inschrijving/")
        .await
        .expect("a confirmation mail with its link");
    c.check(&link, "registration by its mail link").await;
    c.check("/werkgroepen/inschrijving/niet.geldig", "forged link")
        .await;
    for (page, label) in [
        ("deelnemers", "participants"),
        ("aanwezigheid", "attendance"),
        ("evaluatie", "evaluation set-up"),
        ("evaluatie/resultaten", "evaluation results"),
    ] {
        c.check(&format!("{event}/{page}"), label).await;
    }
    c.check("/werkgroepen/activiteiten/reeks", "new event series")
        .await;
    walk_through_the_evaluation(c, &event).await;
    walk_through_the_data_link(c).await;
    // The event above has taken place now, and a held event cannot change: the organiser
    // changes and cancels one of the demo's coming events instead.
    c.check("/werkgroepen/activiteiten", "events").await;
    let coming = checker::first_link(
        c.browser,
        "^/werkgroepen/activiteiten/(?!nieuw$|reeks$)[^/]+$",
    )
    .await
    .expect("a coming event of the demo");
    walk_through_changing_an_event(c, &coming).await;
}

/// The organiser edits the event (a wrong end time first), cancels it through the confirm
/// page (without a reason first), and a demo event series' page.
async fn walk_through_changing_an_event(c: &mut Checker<'_>, event: &str) {
    let browser = c.browser;
    c.check(&format!("{event}/bewerken"), "edit event").await;
    browser
        .js("document.getElementById('local_end').value = '08:00';")
        .await;
    browser
        .click_and_wait("main form[action$='/bewerken'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(
        text.contains("Het einde moet na het begin liggen."),
        "{text}"
    );
    c.check_current("edit event with errors").await;
    c.check(&format!("{event}/annuleren"), "cancel event").await;
    browser
        .click_and_wait("main form[action$='/annuleren'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(text.contains("Geef de reden van de annulering"), "{text}");
    c.check_current("cancel event with errors").await;
    browser
        .fill("#reason", "De zaal is niet beschikbaar.")
        .await;
    browser
        .click_and_wait("main form[action$='/annuleren'] button[type=submit]")
        .await;
    assert_eq!(browser.path().await, event);
    assert!(browser.body_text().await.contains("Geannuleerd"));
    c.check_current("cancelled event").await;
    c.check("/werkgroepen/activiteiten", "events, with series")
        .await;
    c.follow("/werkgroepen/activiteiten/reeksen/", "event series")
        .await;
}

/// The staff pages of issue 13 points 3 and 8: agenda templates and the retention setting.
async fn walk_through_the_staff_admin(c: &mut Checker<'_>) {
    let browser = c.browser;
    c.check("/werkgroepen/beheer/sjablonen", "agenda templates")
        .await;
    let template =
        checker::first_link(browser, "^/werkgroepen/beheer/sjablonen/(?!nieuw$)[^/]+$").await;
    c.check("/werkgroepen/beheer/sjablonen/nieuw", "new agenda template")
        .await;
    browser.fill("#name", "Browsersjabloon").await;
    browser
        .js("document.getElementById('parts').value = 'Opening | Welkom | vijf';")
        .await;
    browser
        .click_and_wait("main form[action$='/sjablonen/nieuw'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(
        text.contains("Onderdeel 1: geef de duur in minuten"),
        "{text}"
    );
    c.check_current("new agenda template with errors").await;
    if let Some(template) = template {
        c.check(&template, "agenda template").await;
    }
    c.check("/werkgroepen/beheer/bewaartermijn", "retention setting")
        .await;
    let manager = browser
        .js("return document.getElementById('months') !== null;")
        .await;
    if manager == serde_json::Value::Bool(true) {
        browser.fill("#months", "0").await;
        browser
            .click_and_wait("main form[action$='/bewaartermijn'] button[type=submit]")
            .await;
        let text = browser.body_text().await;
        assert!(
            text.contains("Geef een geheel aantal maanden van 1 tot 120."),
            "{text}"
        );
        c.check_current("retention setting with errors").await;
    }
}

/// The event above once it took place: the organiser records attendance, sets a required
/// question and mails the evaluation with the button; the form opened by the mail's link is
/// sent once without its required answer (error summary first in `main`, focused, title
/// "Fout: "), then answered; the results page shows the answer.
async fn walk_through_the_evaluation(c: &mut Checker<'_>, event: &str) {
    let browser = c.browser;
    // No page moves an event into the past: the test does, in the server's database.
    let slug = event.rsplit('/').next().unwrap();
    let moved = c
        .server
        .execute(&format!(
            "UPDATE wg_events SET starts_at = {start}, ends_at = {end}, \
             local_date = '2020-01-15' WHERE slug = '{slug}'",
            start = steden_db_now() - 8 * 3_600_000,
            end = steden_db_now() - 3_600_000,
        ))
        .await;
    assert_eq!(moved, 1);
    browser
        .goto(&c.server.url(&format!("{event}/aanwezigheid")))
        .await;
    browser
        .js("document.querySelectorAll(\"main input[name='aanwezig']\").forEach(i => i.checked = true);")
        .await;
    browser
        .click_and_wait("main form[action$='/aanwezigheid'] button[type=submit]")
        .await;
    browser
        .goto(&c.server.url(&format!("{event}/evaluatie")))
        .await;
    browser
        .js("document.getElementById('eval_questions').value = 'Hoe tevreden ben je over de inhoud? *\\nopen: Wat kan beter?';")
        .await;
    browser
        .click_and_wait("main form[action$='/evaluatie'] button[type=submit]")
        .await;
    browser
        .click_and_wait("main form[action$='/evaluatie/versturen'] button[type=submit]")
        .await;
    let link = c
        .server
        .link_in_mail("/werkgroepen/evaluatie/")
        .await
        .expect("the evaluation mail with its link");
    c.check(&link, "evaluation form by its mail link").await;
    browser
        .click_and_wait("main form[action^='/werkgroepen/evaluatie/'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(
        text.contains("Beantwoord de vraag 'Hoe tevreden ben je over de inhoud?'."),
        "{text}"
    );
    assert_error_pattern(browser, "the evaluation form without its required answer").await;
    c.check_current("evaluation form with errors").await;
    browser
        .js("document.querySelector(\"main input[type=radio][value='4']\").checked = true; document.querySelector('main textarea').value = 'Meer voorbeelden uit de steden';")
        .await;
    browser
        .click_and_wait("main form[action^='/werkgroepen/evaluatie/'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(text.contains("Bedankt"), "{text}");
    c.check(
        &format!("{event}/evaluatie/resultaten"),
        "evaluation results, answered",
    )
    .await;
    let text = browser.body_text().await;
    assert!(text.contains("Aantal ingevulde formulieren: 1"), "{text}");
    assert!(text.contains("Meer voorbeelden uit de steden"), "{text}");
}

/// The "my data" link of a confirmation mail, and the form that mails a new one (also with
/// its errors).
async fn walk_through_the_data_link(c: &mut Checker<'_>) {
    let browser = c.browser;
    let link = c
        .server
        .link_in_mail("/werkgroepen/mijn-gegevens/link/")
        .await
        .expect("a confirmation mail with the data link");
    c.check(&link, "registrant's data by its mail link").await;
    let text = browser.body_text().await;
    assert!(text.contains("Inschrijvingen en antwoorden"), "{text}");
    c.check("/werkgroepen/mijn-gegevens", "request a data link")
        .await;
    browser.fill("#email", "geen-adres").await;
    browser
        .click_and_wait("main form[action='/werkgroepen/mijn-gegevens'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(text.contains("Dit is geen geldig e-mailadres"), "{text}");
    assert_error_pattern(browser, "the data link request with a wrong address").await;
    c.check_current("request a data link with errors").await;
    browser.fill("#email", "iemand@voorbeeld.be").await;
    browser
        .click_and_wait("main form[action='/werkgroepen/mijn-gegevens'] button[type=submit]")
        .await;
    let text = browser.body_text().await;
    assert!(
        text.contains("Staan er inschrijvingen op dit e-mailadres"),
        "{text}"
    );
    c.check_current("request a data link, sent").await;
}

/// The error pattern of every form (form::invalid): the title says so, and the summary leads
/// `main` and has the focus.
async fn assert_error_pattern(browser: &Browser, label: &str) {
    let state = browser
        .js("const s = document.querySelector('main .error-summary');
             return [document.title.startsWith('Fout: '),
                     s !== null && s === document.activeElement,
                     s !== null && s === document.querySelector('main').firstElementChild];")
        .await;
    assert_eq!(
        state,
        serde_json::json!([true, true, true]),
        "{label}: title prefix, summary focused, summary first in main"
    );
}

/// The time now in ms since the epoch (UTC), as the server stores it.
fn steden_db_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_millis() as i64
}
