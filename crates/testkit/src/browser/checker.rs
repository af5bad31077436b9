//! Walking a module's pages in the browser: open a page, check it is a page of ours (a title,
//! not the 404 or 403 page) and run axe-core on it, collecting the violations. Shared by the
//! plan and site browser tests (browser.rs crawls instead). Besides axe, every page is checked
//! at 320 px width (harness::reflow) and its title must differ from those of the other pages
//! checked (WCAG 2.4.2): two paths with one title is a finding.

use std::collections::HashMap;

use serde_json::Value;

use super::harness::{axe, Browser, Server, Violation};

/// The path (and query) of the first link in `main` whose path — or path and query — matches
/// `pattern` (a JS regex), if any.
pub async fn first_link(browser: &Browser, pattern: &str) -> Option<String> {
    let script = format!(
        "const re = new RegExp({pattern});
         const a = Array.from(document.querySelectorAll('main a[href]'))
             .map(a => new URL(a.href, location.href))
             .find(u => u.origin === location.origin
                 && (re.test(u.pathname) || re.test(u.pathname + u.search)));
         return a ? a.pathname + a.search : null;",
        pattern = serde_json::to_string(pattern).unwrap()
    );
    match browser.js(&script).await {
        Value::String(href) => Some(href),
        _ => None,
    }
}

/// The path of the first link in `main` whose text contains `text`, if any.
pub async fn link_with_text(browser: &Browser, text: &str) -> Option<String> {
    let script = format!(
        "const a = Array.from(document.querySelectorAll('main a[href]'))
             .find(a => a.textContent.includes({text}));
         return a ? new URL(a.href, location.href).pathname : null;",
        text = serde_json::to_string(text).unwrap()
    );
    match browser.js(&script).await {
        Value::String(href) => Some(href),
        _ => None,
    }
}

/// Logs in with the demo login that `serve --demo` printed, through the login form.
pub async fn log_in(server: &Server, browser: &Browser) {
    browser.goto(&server.url("/aanmelden")).await;
    browser.fill("main input[type=email]", &server.email).await;
    browser
        .fill("main input[type=password]", &server.password)
        .await;
    browser
        .click_and_wait("main form button[type=submit]")
        .await;
}

pub struct Checker<'a> {
    pub server: &'a Server,
    pub browser: &'a Browser,
    pub axe_source: &'a str,
    pub violations: Vec<Violation>,
    pub checked: Vec<String>,
    /// Each title seen, with the first path (without query) that had it.
    pub titles: HashMap<String, String>,
}

impl<'a> Checker<'a> {
    pub fn new(server: &'a Server, browser: &'a Browser, axe_source: &'a str) -> Checker<'a> {
        Checker {
            server,
            browser,
            axe_source,
            violations: Vec::new(),
            checked: Vec::new(),
            titles: HashMap::new(),
        }
    }

    /// Opens `path`, checks it answered with a page of ours, and runs axe.
    pub async fn check(&mut self, path: &str, label: &str) {
        self.browser.goto(&self.server.url(path)).await;
        self.check_current(label).await;
    }

    /// Checks the page the browser shows now.
    pub async fn check_current(&mut self, label: &str) {
        let title = self.browser.js("return document.title;").await;
        let text = self.browser.body_text().await;
        // The shell's 404 and 403 pages (crates/web/src/error.rs).
        assert!(
            !text.contains("Pagina niet gevonden") && !text.contains("Geen toegang"),
            "{label}: {} shows an error page on {}:\n{text}",
            self.browser.path().await,
            self.server.backend
        );
        assert!(
            title.as_str().is_some_and(|t| !t.is_empty()),
            "{label}: page without title"
        );
        let path = self.browser.path().await;
        let label = format!("{} {path} ({label})", self.server.backend);
        let title = title.as_str().unwrap_or_default().to_string();
        // The same page in another state (a query, an error) may keep its title.
        let pathname = path.split('?').next().unwrap_or_default().to_string();
        match self.titles.get(&title) {
            Some(first) if *first != pathname => self.violations.push(Violation {
                page: label.clone(),
                id: "duplicate-title".into(),
                impact: "moderate".into(),
                help: format!("the title \"{title}\" is also the title of {first} (WCAG 2.4.2)"),
                help_url: "https://www.w3.org/WAI/WCAG21/Understanding/page-titled.html".into(),
                targets: Vec::new(),
            }),
            Some(_) => {}
            None => {
                self.titles.insert(title, pathname);
            }
        }
        let found = axe(self.browser, self.axe_source, &label).await;
        self.violations.extend(found);
        self.checked.push(label);
    }

    /// Follows the first link matching `pattern` on the current page and checks it.
    pub async fn follow(&mut self, pattern: &str, label: &str) -> String {
        let href = first_link(self.browser, pattern).await.unwrap_or_else(|| {
            panic!(
                "{label}: no link matching {pattern} on {}",
                self.server.backend
            )
        });
        self.check(&href, label).await;
        href
    }
}
