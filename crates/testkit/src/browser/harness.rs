//! What the browser tests stand on: the real `steden` binary on a loopback port, headless
//! Debian Chromium driven through chromedriver, and axe-core injected into each page.
//!
//! With `BROWSER_TESTS=1` (as `.ci/run` sets it) a missing chromium, chromedriver or axe-core
//! fails the test; without it the tests print one "skipped: …" line and return, so that
//! `cargo test --workspace` works on a laptop with only the Rust toolchain.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use steden_db::testing::{postgres_admin_url, TestDb};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The WCAG 2.1 AA rule sets of axe-core (2.0 and 2.1, levels A and AA).
const AXE_TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// Where the browser tests find their tools.
pub struct Tools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
    pub axe_source: String,
}

/// The tools, or `None` (after printing why) when they are missing and `BROWSER_TESTS` is not
/// `1`. Panics when they are missing and `BROWSER_TESTS=1`.
pub fn tools(test: &str) -> Option<Tools> {
    let required = std::env::var("BROWSER_TESTS").is_ok_and(|v| v == "1");
    let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"]);
    let chromedriver = find_program(&["chromedriver"]);
    let axe_path = repo_root().join("node_modules/axe-core/axe.min.js");
    let axe_source = std::fs::read_to_string(&axe_path).ok();
    let mut missing = Vec::new();
    if chromium.is_none() {
        missing.push("chromium (apt-get install chromium)".to_string());
    }
    if chromedriver.is_none() {
        missing.push("chromedriver (apt-get install chromium-driver)".to_string());
    }
    if axe_source.is_none() {
        missing.push(format!("{} (npm ci)", axe_path.display()));
    }
    if missing.is_empty() {
        return Some(Tools {
            chromium: chromium.unwrap(),
            chromedriver: chromedriver.unwrap(),
            axe_source: axe_source.unwrap(),
        });
    }
    if required {
        panic!(
            "BROWSER_TESTS=1 but the browser test tools are missing: {}",
            missing.join(", ")
        );
    }
    println!(
        "skipped: {test}: browser tests need {} (set BROWSER_TESTS=1 to make this a failure)",
        missing.join(", ")
    );
    None
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// The workspace root (where `node_modules/` lives).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/testkit sits two levels below the workspace root")
        .to_path_buf()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free loopback port")
}

/// The database backends the flows run on: SQLite always, PostgreSQL when
/// `TEST_DATABASE_URL` is set (as in every other HTTP test).
pub fn backends() -> Vec<&'static str> {
    let mut list = vec!["sqlite"];
    if postgres_admin_url().is_some() {
        list.push("postgres");
    }
    list
}

/// A `steden serve --demo` process on a loopback port, with its own data directory and (for
/// PostgreSQL) its own fresh database.
pub struct Server {
    pub base: String,
    pub backend: &'static str,
    pub email: String,
    pub password: String,
    child: Child,
    output: Arc<Mutex<Vec<String>>>,
    postgres: Option<TestDb>,
    _data_dir: tempfile::TempDir,
}

impl Server {
    /// Starts `binary` (the steden crate's tests pass `env!("CARGO_BIN_EXE_steden")`, which
    /// Cargo sets only when it compiles that crate's tests) on `backend`.
    pub async fn start(binary: &str, backend: &'static str) -> Server {
        let data_dir = tempfile::tempdir().expect("temporary data directory");
        let port = free_port();
        let mut command = Command::new(binary);
        command
            .args(["serve", "--demo", "--port", &port.to_string(), "--data-dir"])
            .arg(data_dir.path())
            // The browser talks to 127.0.0.1; CSRF protection compares the Origin header with
            // the base URL, which would otherwise say "localhost".
            .args(["--base-url", &format!("http://127.0.0.1:{port}")])
            .env_remove("DATABASE_URL")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        // An empty database: the binary itself migrates it and loads the demo content, as on
        // a real first start. TestDb also logs the run to STEDEN_BACKEND_LOG for CI.
        let postgres = match backend {
            "postgres" => {
                let admin = postgres_admin_url().expect("TEST_DATABASE_URL");
                let db = TestDb::postgres(&admin, &[]).await;
                command.args(["--database-url", &db.url()]);
                Some(db)
            }
            _ => None,
        };
        let mut child = command.spawn().expect("start the steden binary");
        let output = Arc::new(Mutex::new(Vec::new()));
        forward_lines(child.stdout.take().unwrap(), output.clone());
        forward_lines(child.stderr.take().unwrap(), output.clone());
        let base = format!("http://127.0.0.1:{port}");
        let mut server = Server {
            base,
            backend,
            email: String::new(),
            password: String::new(),
            child,
            output,
            postgres,
            _data_dir: data_dir,
        };
        server.wait_until_ready().await;
        let (email, password) = server.demo_login();
        server.email = email;
        server.password = password;
        server
    }

    async fn wait_until_ready(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "steden serve exited ({status}) on {}:\n{}",
                    self.backend,
                    self.output()
                );
            }
            if let Ok(response) = client.get(self.url("/healthz")).send().await {
                if response.status().is_success() {
                    return;
                }
            }
            if Instant::now() > deadline {
                panic!(
                    "steden serve did not answer /healthz within 120 s on {}:\n{}",
                    self.backend,
                    self.output()
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Everything the process printed so far.
    pub fn output(&self) -> String {
        self.output.lock().unwrap().join("\n")
    }

    /// The demo login that `serve --demo` prints in the terminal: the first e-mail address
    /// and the value after "wachtwoord"/"password" on the lines the process printed.
    fn demo_login(&self) -> (String, String) {
        let lines = self.output.lock().unwrap().clone();
        parse_demo_login(&lines).unwrap_or_else(|| {
            panic!(
                "no demo login (e-mail and password) in the output of steden serve --demo:\n{}",
                lines.join("\n")
            )
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The first link starting with `path_prefix` in a mail the server wrote (without
    /// `SMTP_URL` it writes every mail as an `.eml` file under `<data dir>/mail`), waiting up to
    /// ten seconds for the job queue to send it: how a test follows a signed link from a mail.
    pub async fn link_in_mail(&self, path_prefix: &str) -> Option<String> {
        let dir = self._data_dir.path().join("mail");
        for _ in 0..100 {
            let mut found = None;
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let Ok(raw) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                let message = crate::smtp::parse_mime(&raw);
                for part in message.all() {
                    let text = String::from_utf8_lossy(&part.body);
                    if let Some(at) = text.find(path_prefix) {
                        let link: String = text[at..]
                            .chars()
                            .take_while(|c| {
                                !c.is_whitespace() && !matches!(c, '"' | '<' | '>' | ')')
                            })
                            .collect();
                        found = Some(link);
                    }
                }
            }
            if found.is_some() {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        None
    }

    /// Runs one SQL statement on the database the process runs on (the file in its data
    /// directory, or its PostgreSQL database), for a test that must set up what no page can:
    /// an event that already took place, say. Returns the rows affected.
    pub async fn execute(&self, sql: &str) -> u64 {
        let url = match &self.postgres {
            Some(db) => db.url(),
            None => steden_db::Db::sqlite_url_in(self._data_dir.path()).expect("sqlite url"),
        };
        let db = steden_db::Db::connect(&url, &steden_db::PoolSettings::default())
            .await
            .expect("connect to the server's database");
        let done = sqlx::query(sql)
            .execute(db.pool())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        db.pool().close().await;
        done.rows_affected()
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
        if let Some(db) = self.postgres.take() {
            db.cleanup().await;
        }
    }
}

fn forward_lines<R>(reader: R, sink: Arc<Mutex<Vec<String>>>)
where
    R: tokio::io::AsyncRead + Unpin + Send + 'static,
{
    tokio::spawn(async move {
        let mut lines = BufReader::new(reader).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            sink.lock().unwrap().push(line);
        }
    });
}

/// Finds an e-mail address and a password in the demo banner. Accepts the forms
/// `e-mail: a@b.be` / `wachtwoord: xyz` on one or several lines.
pub fn parse_demo_login(lines: &[String]) -> Option<(String, String)> {
    let clean = |token: &str| {
        token
            .trim_matches(|c: char| {
                matches!(c, '"' | '\'' | '`' | ',' | ';' | '(' | ')' | '<' | '>')
            })
            .to_string()
    };
    let mut email = None;
    let mut password = None;
    for line in lines {
        let lower = line.to_lowercase();
        if email.is_none() {
            email = line
                .split_whitespace()
                .map(clean)
                .find(|t| t.contains('@') && t.contains('.') && !t.starts_with('@'));
        }
        for key in ["wachtwoord", "password"] {
            if password.is_some() {
                break;
            }
            if let Some(at) = lower.find(key) {
                let rest = &line[at + key.len()..];
                let rest =
                    rest.trim_start_matches(|c: char| c == ':' || c == '=' || c.is_whitespace());
                password = rest
                    .split_whitespace()
                    .next()
                    .map(clean)
                    .filter(|p| !p.is_empty());
            }
        }
        if email.is_some() && password.is_some() {
            break;
        }
    }
    Some((email?, password?))
}

/// chromedriver on a free port and one headless Chromium session; both end on drop.
pub struct Browser {
    pub client: Client,
    _driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start(tools: &Tools) -> Browser {
        let port = free_port();
        let driver = Command::new(&tools.chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start chromedriver");
        let webdriver = format!("http://127.0.0.1:{port}");
        wait_for_port(port, Duration::from_secs(20)).await;
        let profile = tempfile::tempdir().expect("temporary Chromium profile");
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".to_string(),
            json!({
                "binary": tools.chromium,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--window-size=1280,900",
                    "--lang=nl-BE",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                // The interface speaks Dutch first: browse as a Flemish user would.
                "prefs": { "intl.accept_languages": "nl-BE,nl" },
            }),
        );
        // chromedriver speaks plain HTTP on loopback: no TLS in the WebDriver client.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&webdriver)
            .await
            .expect("open a Chromium session through chromedriver");
        Browser {
            client,
            _driver: driver,
            _profile: profile,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current url");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        }
    }

    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!("no element {css} on {}: {e}", self.path().await),
        }
    }

    pub async fn try_find(&self, css: &str) -> Option<fantoccini::elements::Element> {
        self.client.find(Locator::Css(css)).await.ok()
    }

    /// Clears a field and types `value` into it, as a person would.
    pub async fn fill(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear field");
        field.send_keys(value).await.expect("type into field");
    }

    /// Runs a script and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("element text")
    }

    /// The visible text of the whole page.
    pub async fn body_text(&self) -> String {
        self.text("body").await
    }

    /// Clicks the element and waits until the browser has loaded the next page.
    pub async fn click_and_wait(&self, css: &str) {
        let marker = self.mark_page().await;
        self.find(css).await.click().await.expect("click");
        self.wait_for_new_page(marker).await;
    }

    async fn mark_page(&self) -> String {
        let marker = steden_db::new_id();
        self.js(&format!("window.__stedenMarker = '{marker}'; return true;"))
            .await;
        marker
    }

    async fn wait_for_new_page(&self, marker: String) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let current = self
                .client
                .execute(
                    "return document.readyState === 'complete' ? (window.__stedenMarker || '') : null;",
                    vec![],
                )
                .await;
            if let Ok(Value::String(value)) = current {
                if value != marker {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "no new page loaded within 20 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves a PNG screenshot of the viewport.
    pub async fn screenshot(&self, path: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(path, png).expect("write screenshot");
    }

    /// Emulates a viewport of `width` × `height` CSS px; a window cannot be made that narrow,
    /// CDP can. Not as a mobile device: a page without a viewport meta would then be laid out
    /// 980 px wide and zoomed out, which is not what a reader at 400 % zoom sees.
    pub async fn emulate_viewport(&self, width: i64, height: i64) {
        let metrics = json!({"width": width, "height": height, "deviceScaleFactor": 1,
                             "mobile": false});
        self.client
            .issue_cmd(CdpCommand::new(
                "Emulation.setDeviceMetricsOverride",
                metrics,
            ))
            .await
            .expect("emulate the viewport");
    }

    /// Back to the window's own viewport.
    pub async fn restore_viewport(&self) {
        self.client
            .issue_cmd(CdpCommand::new(
                "Emulation.clearDeviceMetricsOverride",
                json!({}),
            ))
            .await
            .expect("restore the viewport");
    }

    /// Emulates the reader's colour scheme (`light` or `dark`, CSS `prefers-color-scheme`);
    /// an empty `scheme` goes back to the system's.
    pub async fn emulate_color_scheme(&self, scheme: &str) {
        self.client
            .issue_cmd(CdpCommand::new(
                "Emulation.setEmulatedMedia",
                json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
            ))
            .await
            .expect("emulate the colour scheme");
    }

    /// The browser's default text size in px (16 unless changed): what a reader sets to make
    /// text larger (WCAG 1.4.4 Resize text). Only sizes in rem and em follow it.
    pub async fn set_default_font_size(&self, px: i64) {
        self.client
            .issue_cmd(CdpCommand::new(
                "Page.setFontSizes",
                json!({"fontSizes": {"standard": px, "fixed": px * 13 / 16}}),
            ))
            .await
            .expect("set the default font size");
    }

    /// Saves a PNG of the whole page at `width` CSS px (the viewport stretched to the page's
    /// height, up to `max_height`), then restores the viewport.
    pub async fn full_page_screenshot(&self, path: &Path, width: i64, max_height: i64) {
        self.emulate_viewport(width, 800).await;
        let height = self
            .js("return Math.ceil(document.documentElement.scrollHeight);")
            .await
            .as_i64()
            .unwrap_or(800)
            .clamp(400, max_height);
        self.emulate_viewport(width, height).await;
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(path, png).expect("write screenshot");
        self.restore_viewport().await;
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

async fn wait_for_port(port: u16, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen on port {port}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One axe-core rule broken on one page.
#[derive(Debug)]
pub struct Violation {
    pub page: String,
    pub id: String,
    pub impact: String,
    pub help: String,
    pub help_url: String,
    pub targets: Vec<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "  {} [{}] {}: {} ({})",
            self.page, self.impact, self.id, self.help, self.help_url
        )?;
        for target in &self.targets {
            writeln!(f, "      node {target}")?;
        }
        Ok(())
    }
}

/// Runs axe-core (WCAG 2.0/2.1 A and AA) on the page the browser shows and returns what it
/// found. `label` names the page in the report (a path plus a state, such as "after error").
pub async fn axe(browser: &Browser, axe_source: &str, label: &str) -> Vec<Violation> {
    let loaded = browser
        .client
        .execute(&format!("{axe_source}\n;return typeof window.axe;"), vec![])
        .await
        .expect("inject axe-core");
    assert_eq!(loaded, json!("object"), "axe-core did not load on {label}");
    let script = r#"
        const [tags, done] = arguments;
        window.axe
          .run(document, { runOnly: { type: 'tag', values: tags } })
          .then(results => done({ ok: results.violations.map(v => ({
              id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
              targets: v.nodes.map(n => JSON.stringify(n.target) + '  ' + (n.html || '').slice(0, 160)),
          })) }))
          .catch(error => done({ error: String(error) }));
    "#;
    let result = browser
        .client
        .execute_async(script, vec![json!(AXE_TAGS)])
        .await
        .unwrap_or_else(|e| panic!("axe.run on {label}: {e}"));
    if let Some(error) = result.get("error") {
        panic!("axe.run failed on {label}: {error}");
    }
    let mut found = reflow(browser, label).await;
    found.extend(text_resize(browser, label).await);
    let violations = result["ok"].as_array().cloned().unwrap_or_default();
    if std::env::var_os("STEDEN_AXE_RAW").is_some() && !violations.is_empty() {
        println!("axe raw result on {label}: {result}");
    }
    found.extend(violations.iter().map(|v| Violation {
        page: label.to_string(),
        id: v["id"].as_str().unwrap_or_default().to_string(),
        impact: v["impact"].as_str().unwrap_or_default().to_string(),
        help: v["help"].as_str().unwrap_or_default().to_string(),
        help_url: v["helpUrl"].as_str().unwrap_or_default().to_string(),
        targets: strings(&v["targets"]),
    }));
    found
}

/// The strings of a JSON array (the CSS selectors a finding names); none for anything else.
fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The width at which the page must still fit without horizontal scrolling (WCAG 1.4.10
/// Reflow: 320 CSS px, which is also 1280 px at 400 % zoom).
pub const REFLOW_WIDTH: i64 = 320;

/// The browser window's width in the tests, at which text is also enlarged to 200 %.
pub const DESKTOP_WIDTH: i64 = 1280;

/// The browser's default text size; [`text_resize`] doubles it.
const DEFAULT_FONT_PX: i64 = 16;

/// Checks the page the browser shows at [`REFLOW_WIDTH`]: the document may not be wider than
/// the viewport. axe cannot see this. The viewport is narrowed with CDP's device metrics (a
/// window cannot be made that narrow) and restored afterwards; the finding names the elements
/// that stick out furthest, innermost first, so the report says what to fix.
pub async fn reflow(browser: &Browser, label: &str) -> Vec<Violation> {
    overflow(browser, label, REFLOW_WIDTH, DEFAULT_FONT_PX).await
}

/// Checks the page at [`DESKTOP_WIDTH`] with the browser's text size doubled (WCAG 1.4.4
/// Resize text, as a reader sets it in the browser): still no horizontal scroll of the page.
pub async fn text_resize(browser: &Browser, label: &str) -> Vec<Violation> {
    overflow(browser, label, DESKTOP_WIDTH, 2 * DEFAULT_FONT_PX).await
}

/// The document may not be wider than a `width` px viewport with `font_px` as the default
/// text size. Viewport and text size are restored afterwards.
async fn overflow(browser: &Browser, label: &str, width: i64, font_px: i64) -> Vec<Violation> {
    browser.emulate_viewport(width, 800).await;
    if font_px != DEFAULT_FONT_PX {
        browser.set_default_font_size(font_px).await;
    }
    let measured = browser
        .js(
            "const vw = window.innerWidth;
             const sw = document.documentElement.scrollWidth;
             const wide = Array.from(document.body.querySelectorAll('*'))
               .filter(e => e.getBoundingClientRect().right > vw
                 && !Array.from(e.children).some(c => c.getBoundingClientRect().right > vw))
               .filter(e => !e.closest('.table-wrap, .table-scroll, .visually-hidden, .skip-link'))
               .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
               .slice(0, 3)
               .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                 + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                 + ' right ' + Math.round(e.getBoundingClientRect().right) + 'px  '
                 + (e.outerHTML || '').slice(0, 120));
             // The chain of boxes wider than the viewport, outermost first: the first one
             // that is too wide is where the page widens (an unwrapped table, a grid column).
             const chain = [];
             for (let e = document.body; e; ) {
               const next = Array.from(e.children).find(c => c.getBoundingClientRect().right > vw);
               if (!next) break;
               chain.push(next.tagName.toLowerCase() + (next.className && typeof next.className === 'string' ? '.' + next.className.trim().split(/\\s+/).join('.') : '') + ':' + Math.round(next.getBoundingClientRect().width) + '/' + Math.round(next.getBoundingClientRect().right));
               e = next;
             }
             if (chain.length) wide.unshift('wider than the viewport: ' + chain.slice(0, 8).join(' > '));
             return { vw, sw, wide };",
        )
        .await;
    if font_px != DEFAULT_FONT_PX {
        browser.set_default_font_size(DEFAULT_FONT_PX).await;
    }
    browser.restore_viewport().await;
    let vw = measured["vw"].as_i64().unwrap_or_default();
    let sw = measured["sw"].as_i64().unwrap_or_default();
    assert_eq!(
        vw, width,
        "the viewport did not resize on {label}: {measured}"
    );
    if sw <= vw {
        return Vec::new();
    }
    let (id, help, help_url) = if font_px == DEFAULT_FONT_PX {
        (
            format!("reflow-{width}"),
            format!("the page is {sw} px wide at a {vw} px viewport (WCAG 1.4.10)"),
            "https://www.w3.org/WAI/WCAG21/Understanding/reflow.html",
        )
    } else {
        (
            "resize-text-200".to_string(),
            format!(
                "with text at {} % the page is {sw} px wide at a {vw} px viewport (WCAG 1.4.4)",
                100 * font_px / DEFAULT_FONT_PX
            ),
            "https://www.w3.org/WAI/WCAG21/Understanding/resize-text.html",
        )
    };
    vec![Violation {
        page: label.to_string(),
        id,
        impact: "serious".into(),
        help,
        help_url: help_url.into(),
        targets: strings(&measured["wide"]),
    }]
}

/// A Chrome DevTools command sent through chromedriver's `goog/cdp/execute` endpoint (used to
/// narrow the viewport below the smallest window size).
#[derive(Debug)]
struct CdpCommand {
    body: Value,
}

impl CdpCommand {
    fn new(cmd: &str, params: Value) -> CdpCommand {
        CdpCommand {
            body: json!({ "cmd": cmd, "params": params }),
        }
    }
}

impl fantoccini::wd::WebDriverCompatibleCommand for CdpCommand {
    fn endpoint(
        &self,
        base_url: &reqwest::Url,
        session_id: Option<&str>,
    ) -> Result<reqwest::Url, <reqwest::Url as std::str::FromStr>::Err> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _url: &reqwest::Url) -> (reqwest::Method, Option<String>) {
        (reqwest::Method::POST, Some(self.body.to_string()))
    }
}
