//! What every handler can reach: the application state and the server's configuration.
//!
//! The state only holds what the shell and the modules contributed; collecting it from the
//! modules is the job of `app` (`AppState::new`), so that this file, which every page imports,
//! imports no page and no module in turn.

use std::path::PathBuf;
use std::sync::Arc;

use steden_db::Db;

use crate::i18n::Catalog;
use crate::nav::NavEntry;
use crate::page_cache::PageCache;
use crate::ports::Ports;
use crate::session::cache::Cache;

/// Settings of a running server. Each has a command-line flag and an environment variable in
/// `steden serve` (see the README).
#[derive(Debug, Clone)]
pub struct Config {
    /// The address people use to reach the platform (links in e-mails, Secure cookies when it
    /// starts with https://).
    pub base_url: String,
    /// Where SQLite, outgoing `.eml` files and uploads live.
    pub data_dir: PathBuf,
    /// `smtp://…` or `smtps://…`; without it, mail is written as `.eml` files under
    /// `data_dir/mail`.
    pub smtp_url: Option<String>,
    /// Sender of platform mail.
    pub mail_from: String,
    /// Number of job workers in this process (0: this process runs no jobs).
    pub job_workers: usize,
    /// How long this process may reuse a looked-up session before reading it again from the
    /// database (see [`Cache`]); zero reads the database on every request.
    pub session_cache_ttl: std::time::Duration,
    /// How long this process may serve a rendered page again (see [`PageCache`]); zero
    /// renders every page.
    pub page_cache_ttl: std::time::Duration,
    /// Login throttling and whether to trust `X-Forwarded-For` for the client's address.
    pub login: crate::login_settings::LoginSettings,
}

impl Config {
    /// A configuration for tests and local use.
    pub fn local(data_dir: PathBuf, port: u16) -> Config {
        Config {
            base_url: format!("http://127.0.0.1:{port}"),
            data_dir,
            smtp_url: None,
            mail_from: "Stedenplatform <noreply@stedenplatform.local>".to_string(),
            job_workers: 2,
            // Tests change rows behind the application's back and expect to see it at once.
            session_cache_ttl: std::time::Duration::ZERO,
            page_cache_ttl: std::time::Duration::ZERO,
            login: crate::login_settings::LoginSettings::default(),
        }
    }

    /// Whether cookies must carry the Secure flag.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    config: Config,
    catalog: Catalog,
    nav: Vec<NavEntry>,
    footer: Vec<NavEntry>,
    /// Signs CSRF tokens; shared by all instances through the database.
    secret: Vec<u8>,
    module_names: Vec<&'static str>,
    sessions: Cache,
    pages: Arc<PageCache>,
    ports: Arc<Ports>,
}

/// What the shell and the modules contribute to the state, collected at start-up.
pub(crate) struct Contributions {
    pub catalog: Catalog,
    pub nav: Vec<NavEntry>,
    pub footer: Vec<NavEntry>,
    pub module_names: Vec<&'static str>,
    pub ports: Arc<Ports>,
}

impl AppState {
    pub(crate) fn assemble(
        db: Db,
        config: Config,
        secret: Vec<u8>,
        contributions: Contributions,
    ) -> AppState {
        let Contributions {
            catalog,
            nav,
            footer,
            module_names,
            ports,
        } = contributions;
        let sessions = Cache::new(config.session_cache_ttl);
        let pages = Arc::new(PageCache::new(config.page_cache_ttl));
        AppState {
            inner: Arc::new(Inner {
                db,
                config,
                catalog,
                nav,
                footer,
                secret,
                module_names,
                sessions,
                pages,
                ports,
            }),
        }
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    pub fn nav(&self) -> &[NavEntry] {
        &self.inner.nav
    }

    /// The footer links of every module.
    pub fn footer(&self) -> &[NavEntry] {
        &self.inner.footer
    }

    pub fn secret(&self) -> &[u8] {
        &self.inner.secret
    }

    /// Sessions looked up recently by this process.
    pub fn sessions(&self) -> &Cache {
        &self.inner.sessions
    }

    /// Pages rendered recently by this process.
    pub fn pages(&self) -> &PageCache {
        &self.inner.pages
    }

    /// The page cache, shared with its middleware.
    pub fn page_cache(&self) -> Arc<PageCache> {
        self.inner.pages.clone()
    }

    /// The implementations of ports that the modules of this build provide.
    pub fn ports(&self) -> &Arc<Ports> {
        &self.inner.ports
    }

    /// The names of the modules in this build (the scopes an API token can have).
    pub fn module_names(&self) -> &[&'static str] {
        &self.inner.module_names
    }
}
