//! Browser tests: the real `steden serve --demo` binary, driven in headless Chromium as a
//! person would use it, on SQLite and (with TEST_DATABASE_URL) on PostgreSQL.
//!
//! - every page of the shell passes axe-core's WCAG 2.1 A/AA rules with zero violations;
//! - log in (a wrong password first), switch organisation in the header, submit a form with an
//!   error and then correctly, log out;
//! - the skip link is the first thing the keyboard reaches and moves focus to the main content.
//!
//! Needs chromium, chromedriver and `npm ci` (axe-core); see docs/TESTING.md. Without them the
//! tests print "skipped: …" unless BROWSER_TESTS=1, which turns that into a failure.

use steden_testkit::browser::harness;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use harness::{axe, backends, Browser, Server, Tools, Violation};
use serde_json::Value;

const LOGIN: &str = "/aanmelden";
/// Pages the crawl must reach (when logged in as the demo platform administrator); a page
/// missing here means a link is missing from the navigation or the page moved.
const REQUIRED_PAGES: &[&str] = &[
    "/",
    "/start",
    LOGIN,
    "/wachtwoord-vergeten",
    "/account",
    "/beheer/organisaties",
    "/beheer/gebruikers",
    "/beheer/taken",
    "/beheer/audit",
    // The living style guide: every component in its states (issue 12, point 5).
    "/beheer/stijlgids",
    // The werkgroepen module's list and its staff form; a group's pages are checked one by one
    // in browser_werkgroepen.rs (the crawl takes only two pages below each group).
    "/werkgroepen",
    "/werkgroepen/beheer/nieuw",
];
/// Never followed by the crawl: actions, downloads, language switch, machine endpoints.
const SKIP_PREFIXES: &[&str] = &[
    "/afmelden",
    "/static/",
    "/taal/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/api/v1/openapi.json",
    // The plan module's pages are checked page by page in browser_plan.rs.
    "/plannen",
    "/mijn-acties",
    "/mijn-kwesties",
    "/openbaar",
    "/indicatoren",
    // The Kennisbank and the public site are checked page by page in browser_site.rs.
    "/programmas",
    "/projecten",
    "/nieuws",
    "/pagina/",
    "/publicaties",
    "/kennisbank",
    "/begrippen",
    "/privacy",
    "/afbeeldingen/",
    "/beheer/site",
    "/beheer/kennisbank",
    "/sitemap.xml",
    "/robots.txt",
];
const MAX_PAGES: usize = 60;
/// The organisation switcher in the header.
const SWITCHER: &str = "header .account-menu form[action='/organisatie-wisselen']";

/// Opens the header's account disclosure (the user's name), as a user clicks it: the
/// organisation switcher and the logout button sit inside it on a wide screen.
async fn open_account_menu(browser: &Browser) {
    let open = browser
        .js("return document.querySelector('header details.account-menu').open;")
        .await;
    if open != serde_json::Value::Bool(true) {
        browser
            .find("header details.account-menu > summary")
            .await
            .click()
            .await
            .expect("open the account menu");
    }
}

#[tokio::test]
async fn every_shell_page_passes_axe_wcag21_aa() {
    let Some(tools) = harness::tools("every_shell_page_passes_axe_wcag21_aa") else {
        return;
    };
    let mut violations = Vec::new();
    let mut checked = Vec::new();
    let mut not_linked = Vec::new();
    for backend in backends() {
        let server = Server::start(crate::STEDEN, backend).await;
        let browser = Browser::start(&tools).await;
        let (found, pages, unreached) = check_every_page(&server, &browser, &tools).await;
        violations.extend(found);
        not_linked.extend(unreached.into_iter().map(|p| format!("{backend} {p}")));
        checked.extend(pages);
        browser.close().await;
        server.stop().await;
    }
    println!(
        "browser: axe-core checked {} pages:\n  {}",
        checked.len(),
        checked.join("\n  ")
    );
    assert!(
        violations.is_empty() && not_linked.is_empty(),
        "pages no link leads to (logged in as the demo administrator): {not_linked:?}\n\
         axe-core found {} WCAG 2.1 AA violation(s):\n{}",
        violations.len(),
        violations
            .iter()
            .map(Violation::to_string)
            .collect::<String>()
    );
}

/// Runs axe on the anonymous pages, the error states of the login form, the 404 page, and on
/// every page reachable by links once logged in. Returns the violations and the pages checked.
async fn check_every_page(
    server: &Server,
    browser: &Browser,
    tools: &Tools,
) -> (Vec<Violation>, Vec<String>, Vec<&'static str>) {
    let mut violations = Vec::new();
    let mut checked = Vec::new();
    let mut check = |label: String, found: Vec<Violation>| {
        checked.push(label);
        violations.extend(found);
    };

    // Anonymous: home, the login form and every page it links to (forgot password, …).
    let anonymous = crawl(
        server,
        browser,
        &tools.axe_source,
        &["/", LOGIN],
        "anonymous",
        BTreeSet::new(),
    )
    .await;
    for (label, found) in anonymous.results {
        check(label, found);
    }

    // The 404 page.
    browser.goto(&server.url("/deze-pagina-bestaat-niet")).await;
    let text = browser.body_text().await;
    assert!(
        text.contains("404") || text.to_lowercase().contains("niet gevonden"),
        "the 404 page does not say what happened:\n{text}"
    );
    let label = format!("{} 404 page", server.backend);
    check(label.clone(), axe(browser, &tools.axe_source, &label).await);

    // The login form showing an error.
    browser.goto(&server.url(LOGIN)).await;
    submit_login(browser, &server.email, "verkeerd-wachtwoord").await;
    let label = format!("{} {LOGIN} (with an error)", server.backend);
    check(label.clone(), axe(browser, &tools.axe_source, &label).await);

    // Logged in: everything the navigation and the pages link to. An invitation first, so
    // that the lists have rows (a member, a mail job, audit entries) and detail pages exist.
    log_in(server, browser).await;
    let (org_id, _) = active_org_in_header(browser, SWITCHER).await;
    invite(server, browser, &org_id, "axe.controle@voorbeeld.be").await;
    assert!(
        browser.try_find("main [role=status]").await.is_some(),
        "no success message after an invitation on {}",
        server.backend
    );
    if server.backend == "sqlite" {
        browser.goto(&server.url("/")).await;
        browser.screenshot("/tmp/steden-home.png").await;
        browser.goto(&server.url("/beheer/taken")).await;
        browser.screenshot("/tmp/steden-admin.png").await;
    }
    let logged_in = crawl(
        server,
        browser,
        &tools.axe_source,
        &["/"],
        "logged in",
        BTreeSet::new(),
    )
    .await;
    for (label, found) in logged_in.results {
        check(label, found);
    }
    // A page the crawl did not reach is still checked, and its missing link reported.
    let visited: BTreeSet<String> = anonymous
        .visited
        .iter()
        .chain(logged_in.visited.iter())
        .cloned()
        .collect();
    let unreached: Vec<&str> = REQUIRED_PAGES
        .iter()
        .copied()
        .filter(|page| !visited.contains(*page))
        .collect();
    if !unreached.is_empty() {
        let extra = crawl(
            server,
            browser,
            &tools.axe_source,
            &unreached,
            "logged in, not linked",
            visited.clone(),
        )
        .await;
        for (label, found) in extra.results {
            check(label, found);
        }
    }
    (violations, checked, unreached)
}

struct Crawl {
    visited: Vec<String>,
    results: Vec<(String, Vec<Violation>)>,
}

/// Follows same-site links breadth-first from `start`, and runs axe on every HTML page.
/// Pages that differ only in an id (one organisation or another) are checked once or twice,
/// not for every row.
async fn crawl(
    server: &Server,
    browser: &Browser,
    axe_source: &str,
    start: &[&str],
    state: &str,
    mut seen: BTreeSet<String>,
) -> Crawl {
    let mut queue: VecDeque<String> = start.iter().map(|p| p.to_string()).collect();
    seen.extend(queue.iter().cloned());
    let mut per_parent: BTreeMap<String, usize> = BTreeMap::new();
    let mut visited = Vec::new();
    let mut results = Vec::new();
    while let Some(path) = queue.pop_front() {
        if visited.len() >= MAX_PAGES {
            break;
        }
        browser.goto(&server.url(&path)).await;
        let content_type = browser.js("return document.contentType;").await;
        if content_type != Value::String("text/html".into()) {
            continue;
        }
        let label = format!("{} {path} ({state})", server.backend);
        results.push((label.clone(), axe(browser, axe_source, &label).await));
        visited.push(path.clone());
        let links = browser
            .js("return Array.from(document.querySelectorAll('a[href]'))
                   .map(a => new URL(a.href, location.href))
                   .filter(u => u.origin === location.origin)
                   .map(u => u.pathname);")
            .await;
        for link in links.as_array().into_iter().flatten() {
            let Some(link) = link.as_str() else { continue };
            if SKIP_PREFIXES.iter().any(|p| link.starts_with(p))
                || link.ends_with(".csv")
                || link.ends_with(".xlsx")
                || link.ends_with(".json")
                || seen.contains(link)
            {
                continue;
            }
            seen.insert(link.to_string());
            // At most two pages per parent path below a listing (two organisations, not 15).
            let parent = link.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
            if !parent.is_empty() && seen.contains(parent) {
                let count = per_parent.entry(parent.to_string()).or_default();
                *count += 1;
                if *count > 2 {
                    continue;
                }
            }
            queue.push_back(link.to_string());
        }
    }
    Crawl { visited, results }
}

/// Fills and submits the login form on the current page.
async fn submit_login(browser: &Browser, email: &str, password: &str) {
    browser.fill("main input[type=email]", email).await;
    browser.fill("main input[type=password]", password).await;
    browser
        .click_and_wait("main form button[type=submit]")
        .await;
}

async fn log_in(server: &Server, browser: &Browser) {
    browser.goto(&server.url(LOGIN)).await;
    submit_login(browser, &server.email, &server.password).await;
    assert!(
        browser.try_find("form[action='/afmelden']").await.is_some(),
        "not logged in after submitting the demo login on {}; page: {}\n{}",
        server.backend,
        browser.path().await,
        browser.body_text().await
    );
}

/// The text of the error that belongs to a form field: the elements its aria-describedby
/// names (the shell links every field error that way).
async fn field_error(browser: &Browser, field_css: &str) -> String {
    let script = format!(
        "const field = document.querySelector({selector});
         if (!field) return null;
         const ids = (field.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
         return ids.map(id => document.getElementById(id))
                   .filter(Boolean)
                   .map(el => el.textContent.trim())
                   .join(' | ');",
        selector = serde_json::to_string(field_css).unwrap()
    );
    match browser.js(&script).await {
        Value::String(text) => text,
        _ => panic!("no field {field_css} on {}", browser.path().await),
    }
}

async fn field_value(browser: &Browser, css: &str) -> String {
    browser
        .find(css)
        .await
        .prop("value")
        .await
        .expect("field value")
        .unwrap_or_default()
}

#[tokio::test]
async fn log_in_switch_organisation_fix_a_form_and_log_out() {
    let Some(tools) = harness::tools("log_in_switch_organisation_fix_a_form_and_log_out") else {
        return;
    };
    let mut violations = Vec::new();
    for backend in backends() {
        let server = Server::start(crate::STEDEN, backend).await;
        let browser = Browser::start(&tools).await;
        violations.extend(user_journey(&server, &browser, &tools.axe_source).await);
        browser.close().await;
        server.stop().await;
    }
    assert!(
        violations.is_empty(),
        "axe-core found {} WCAG 2.1 AA violation(s) in the form states:\n{}",
        violations.len(),
        violations
            .iter()
            .map(Violation::to_string)
            .collect::<String>()
    );
}

async fn user_journey(server: &Server, browser: &Browser, axe_source: &str) -> Vec<Violation> {
    let on = server.backend;
    let mut violations = Vec::new();

    // A wrong password: an error linked to the field, the e-mail address kept, not logged in.
    browser.goto(&server.url(LOGIN)).await;
    submit_login(browser, &server.email, "verkeerd-wachtwoord").await;
    let error = format!(
        "{} {}",
        field_error(browser, "main input[type=email]").await,
        field_error(browser, "main input[type=password]").await
    );
    assert!(
        !error.trim().is_empty(),
        "a failed login on {on} shows no error linked to the fields; page:\n{}",
        browser.body_text().await
    );
    assert_eq!(
        field_value(browser, "main input[type=email]").await,
        server.email,
        "the e-mail address typed is kept after a failed login on {on}"
    );
    assert!(browser.try_find("form[action='/afmelden']").await.is_none());

    // The right password: logged in.
    log_in(server, browser).await;

    // Switch organisation with the header switcher: after the page reloads, the header shows
    // the other organisation as the active one.
    let switcher = SWITCHER;
    let before = active_org_in_header(browser, switcher).await;
    let options = browser
        .js(&format!(
            "return Array.from(document.querySelectorAll(\"{switcher} select option\"))
               .map(o => [o.value, o.textContent.trim()]);"
        ))
        .await;
    let (org_id, org_name) = options
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            (
                o[0].as_str().unwrap().to_string(),
                o[1].as_str().unwrap().to_string(),
            )
        })
        .find(|(_, name)| *name != before.1)
        .unwrap_or_else(|| {
            panic!(
                "the demo user has only one organisation in the header switcher on {on}: {options}"
            )
        });
    open_account_menu(browser).await;
    browser
        .find(&format!("{switcher} select"))
        .await
        .select_by_value(&org_id)
        .await
        .expect("choose an organisation");
    browser
        .click_and_wait(&format!("{switcher} button[type=submit]"))
        .await;
    let after = active_org_in_header(browser, switcher).await;
    assert_eq!(
        after,
        (org_id.clone(), org_name.clone()),
        "after switching from {} to {org_name} on {on} the header shows {after:?}",
        before.1
    );

    // A form with an error, then right: inviting someone to the organisation.
    violations.extend(invite_with_error_then_right(server, browser, &org_id, axe_source).await);

    // Log out: the header no longer shows a user and account pages ask to log in again.
    open_account_menu(browser).await;
    browser
        .click_and_wait("header .account-menu form[action='/afmelden'] button[type=submit]")
        .await;
    assert!(browser.try_find("form[action='/afmelden']").await.is_none());
    browser.goto(&server.url("/account")).await;
    assert!(
        browser.path().await.starts_with(LOGIN),
        "after logging out on {on}, /account did not lead to the login page but {}",
        browser.path().await
    );
    violations
}

/// Invites `email` to the organisation with the form on its page (with the preselected role).
async fn invite(server: &Server, browser: &Browser, org_id: &str, email: &str) {
    let page = format!("/beheer/organisaties/{org_id}");
    if browser.path().await != page {
        browser.goto(&server.url(&page)).await;
    }
    let form = "form[action$='/uitnodigen']";
    browser
        .fill(&format!("{form} input[name=email]"), email)
        .await;
    browser
        .click_and_wait(&format!("{form} button[type=submit]"))
        .await;
}

/// The organisation the header switcher shows as selected: (id, name).
async fn active_org_in_header(browser: &Browser, switcher: &str) -> (String, String) {
    let selected = browser
        .js(&format!(
            "const o = document.querySelector(\"{switcher} select option:checked\");
             return o ? [o.value, o.textContent.trim()] : null;"
        ))
        .await;
    match selected {
        Value::Array(pair) => (
            pair[0].as_str().unwrap().to_string(),
            pair[1].as_str().unwrap().to_string(),
        ),
        _ => panic!(
            "no organisation switcher ({switcher} with a select) in the header on {}:\n{}",
            browser.path().await,
            browser.text("header").await
        ),
    }
}

/// The invitation form on the organisation page: an invalid e-mail address gives an error next
/// to the field (aria-invalid, aria-describedby) and keeps what was typed and chosen; a valid
/// one gives a success message and the person appears among the members. Returns what axe
/// finds on the page in its error state.
async fn invite_with_error_then_right(
    server: &Server,
    browser: &Browser,
    org_id: &str,
    axe_source: &str,
) -> Vec<Violation> {
    let on = server.backend;
    let page = format!("/beheer/organisaties/{org_id}");
    let form = "form[action$='/uitnodigen']";
    let email_field = format!("{form} input[name=email]");
    let role_field = format!("{form} select[name=role]");
    browser.goto(&server.url(&page)).await;
    // Choose a role other than the preselected one, to see that the choice is kept.
    let role = browser
        .js(&format!(
            "const s = document.querySelector(\"{role_field}\");
             const o = Array.from(s.options).find(o => !o.selected);
             return o ? o.value : s.value;"
        ))
        .await
        .as_str()
        .expect("a role option")
        .to_string();
    browser
        .find(&role_field)
        .await
        .select_by_value(&role)
        .await
        .expect("choose a role");
    browser.fill(&email_field, "geen-e-mailadres").await;
    browser
        .click_and_wait(&format!("{form} button[type=submit]"))
        .await;

    let error = field_error(browser, &email_field).await;
    assert!(
        !error.is_empty(),
        "an invalid e-mail address in the invitation form on {on} shows no error linked to the field:\n{}",
        browser.body_text().await
    );
    assert_eq!(
        browser
            .find(&email_field)
            .await
            .attr("aria-invalid")
            .await
            .unwrap()
            .as_deref(),
        Some("true"),
        "the e-mail field with the error is marked aria-invalid on {on}"
    );
    assert_eq!(field_value(browser, &email_field).await, "geen-e-mailadres");
    assert_eq!(
        field_value(browser, &role_field).await,
        role,
        "the chosen role is kept after an error on {on}"
    );
    let violations = axe(
        browser,
        axe_source,
        &format!("{page} (invitation with an error)"),
    )
    .await;

    let invitee = format!("nieuw.lid.{on}@voorbeeld.be");
    invite(server, browser, org_id, &invitee).await;
    let flash = browser
        .try_find("main [role=status]")
        .await
        .unwrap_or_else(|| panic!("no success message after inviting {invitee} on {on}"));
    assert!(!flash.text().await.unwrap().trim().is_empty());
    browser.goto(&server.url(&page)).await;
    assert!(
        browser.text("main").await.contains(&invitee),
        "{invitee} is not among the members of the organisation on {on}"
    );
    violations
}

#[tokio::test]
async fn skip_link_is_first_and_moves_focus_to_main() {
    let Some(tools) = harness::tools("skip_link_is_first_and_moves_focus_to_main") else {
        return;
    };
    // Keyboard behaviour does not depend on the database; SQLite suffices.
    let server = Server::start(crate::STEDEN, "sqlite").await;
    let browser = Browser::start(&tools).await;
    browser.goto(&server.url("/")).await;
    press(&browser, Key::Tab).await;
    let first = browser
        .js("const a = document.activeElement;
             const r = a.getBoundingClientRect();
             return [a.tagName, a.getAttribute('href') || '', a.textContent.trim(),
                     r.width > 1 && r.height > 1 && r.top >= 0];")
        .await;
    assert_eq!(first[0], "A", "the first Tab lands on a link: {first}");
    let target = first[1].as_str().unwrap().to_string();
    assert!(
        target.starts_with('#') && target.len() > 1,
        "the first focusable element is the skip link to the content, not {first}"
    );
    assert_eq!(
        first[3], true,
        "the skip link is visible when focused: {first}"
    );
    press(&browser, Key::Enter).await;
    let focused = browser
        .js("const a = document.activeElement; return [a.tagName, '#' + a.id];")
        .await;
    assert_eq!(
        focused,
        serde_json::json!(["MAIN", target]),
        "Enter on the skip link moves focus to <main>"
    );
    browser.close().await;
    server.stop().await;
}

async fn press(browser: &Browser, key: Key) {
    let key: char = key.into();
    let actions = KeyActions::new("keyboard".to_string())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    browser
        .client
        .perform_actions(actions)
        .await
        .expect("press a key");
}

/// The checker itself: axe-core, as injected here, reports a form field without a label and
/// passes the same page once the label is there. Guards against an accessibility test that
/// cannot fail (axe not loaded, wrong rule tags, results not read).
#[tokio::test]
async fn axe_check_reports_a_missing_label() {
    let Some(tools) = harness::tools("axe_check_reports_a_missing_label") else {
        return;
    };
    let browser = Browser::start(&tools).await;
    let page = |field: &str| {
        format!(
            "data:text/html;charset=utf-8,<!DOCTYPE html><html lang='nl'><head><title>Test</title></head>\
             <body><main><h1>Test</h1><form>{field}<button>Verstuur</button></form></main></body></html>"
        )
    };
    browser.goto(&page("<input id='e' type='email'>")).await;
    let found = axe(&browser, &tools.axe_source, "unlabelled field").await;
    assert!(
        found
            .iter()
            .any(|v| v.id == "label" && v.targets.iter().any(|t| t.contains("#e"))),
        "axe did not report the unlabelled field #e: {found:?}"
    );
    browser
        .goto(&page(
            "<label for='e'>E-mail</label><input id='e' type='email'>",
        ))
        .await;
    let found = axe(&browser, &tools.axe_source, "labelled field").await;
    assert!(found.is_empty(), "violations on a correct page: {found:?}");
    browser.close().await;
}

#[test]
fn demo_login_is_read_from_the_banner() {
    // The banner of `steden serve --demo` (crates/steden/src/demo.rs).
    let lines = vec![
        "Stedenplatform luistert op http://localhost:8080 (adres 127.0.0.1:8080).".to_string(),
        "Demo-aanmelding op http://localhost:8080/aanmelden (alleen voor de demo):".to_string(),
        "  e-mail beheer@demo.stedenplatform.be  wachtwoord: demo-kM3xq9  (Demo Beheerder)"
            .to_string(),
    ];
    assert_eq!(
        harness::parse_demo_login(&lines),
        Some((
            "beheer@demo.stedenplatform.be".to_string(),
            "demo-kM3xq9".to_string()
        ))
    );
    assert_eq!(harness::parse_demo_login(&lines[..2]), None);
}
