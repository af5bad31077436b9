//! The HTTP test harness: a real server on a loopback port, over a fresh database of each
//! backend (SQLite always, PostgreSQL when TEST_DATABASE_URL is set), and a client with a
//! cookie jar, as a browser would have.

use std::future::Future;
use std::sync::Arc;

use steden_db::testing::{each_test_db, TestDb};
use steden_db::Db;
use steden_web::app::{self, AppState, Config};
use steden_web::Module;

/// The `User-Agent` of the test clients: a person's browser, not a bot.
pub const BROWSER_USER_AGENT: &str =
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

/// A running server and a client that keeps cookies.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub db: Db,
    _data_dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn(test_db: &TestDb) -> TestApp {
        Self::spawn_with(test_db, Vec::new()).await
    }

    /// A server with extra modules (e.g. a test-only module with routes of its own).
    pub async fn spawn_with(test_db: &TestDb, modules: Vec<Arc<dyn Module>>) -> TestApp {
        Self::spawn_on(test_db.db.clone(), modules).await
    }

    /// A server over `db` (owned, so that the test future does not borrow the `TestDb`).
    pub async fn spawn_on(db: Db, modules: Vec<Arc<dyn Module>>) -> TestApp {
        Self::spawn_configured(db, modules, |_| {}).await
    }

    /// A server over `db` whose configuration `configure` adjusts (e.g. the session cache).
    pub async fn spawn_configured(
        db: Db,
        modules: Vec<Arc<dyn Module>>,
        configure: impl FnOnce(&mut Config),
    ) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let data_dir = tempfile::tempdir().unwrap();
        let mut config = Config::local(data_dir.path().to_path_buf(), port);
        configure(&mut config);
        let secret = steden_core::settings::secret(&db, "csrf_secret")
            .await
            .unwrap()
            .into_bytes();
        let state = AppState::new(db.clone(), config, &modules, secret).unwrap();
        let router = app::build(state.clone(), &modules);
        tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            client: Self::new_client(),
            state,
            db,
            _data_dir: data_dir,
        }
    }

    /// A client with its own cookie jar (a second browser). It says it is a desktop Firefox
    /// ([`BROWSER_USER_AGENT`]): the Kennisbank leaves bots, and clients without a
    /// `User-Agent`, out of its usage counts.
    pub fn new_client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .user_agent(BROWSER_USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// GETs a page and returns its HTML, failing the test on a non-200 status, or when the
    /// page makes htmx requests without loading htmx or loads htmx without using it
    /// ([`assert_htmx_where_used`]): every page a test visits is checked.
    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        let html = response.text().await.unwrap();
        assert_htmx_where_used(path, &html);
        html
    }

    /// POSTs a form with the CSRF token taken from the page at `form_page`.
    pub async fn post_form(
        &self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let html = self.page(form_page).await;
        let token = csrf_token(&html).unwrap_or_default();
        let mut body: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        body.extend_from_slice(fields);
        self.client
            .post(self.url(action))
            .form(&body)
            .send()
            .await
            .unwrap()
    }
}

/// A whole page (not an htmx fragment) loads htmx exactly when it has an element that makes
/// an htmx request (issue 12: htmx only where a page uses it).
pub fn assert_htmx_where_used(path: &str, html: &str) {
    if !html.contains("<html") {
        return;
    }
    let uses = steden_web::assets::uses_htmx(html);
    let loads = steden_web::assets::loads_htmx(html);
    assert!(
        !uses || loads,
        "{path} makes htmx requests but does not load htmx"
    );
    assert!(
        uses || !loads,
        "{path} loads htmx but makes no htmx request"
    );
}

/// The CSRF token embedded in a page's forms.
pub fn csrf_token(html: &str) -> Option<String> {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

/// Runs `test` against a fresh server on each backend.
pub async fn each_app<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    let migrations = app::all_migrations(&[]);
    each_test_db(&migrations, |test_db| {
        let test = &test;
        let db = test_db.db.clone();
        async move {
            let app = TestApp::spawn_on(db, Vec::new()).await;
            test(app).await;
        }
    })
    .await;
}

/// Like [`each_app`], with the modules that `modules` makes (a fresh set per backend).
pub async fn each_app_with<M, F, Fut>(modules: M, test: F)
where
    M: Fn() -> Vec<Arc<dyn Module>>,
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    let migrations = app::all_migrations(&modules());
    each_test_db(&migrations, |test_db| {
        let test = &test;
        let modules = modules();
        let db = test_db.db.clone();
        async move {
            let app = TestApp::spawn_on(db, modules).await;
            test(app).await;
        }
    })
    .await;
}
