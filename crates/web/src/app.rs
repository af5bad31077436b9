//! Application state and the router that ties the shell and the modules together.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use steden_db::{Db, Migration};

use crate::i18n::{self, Catalog};
use crate::module::{Module, NavEntry};

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
    /// database (see [`crate::session::Cache`]); zero reads the database on every request.
    pub session_cache_ttl: std::time::Duration,
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
    sessions: crate::session::Cache,
    ports: Arc<crate::ports::Ports>,
}

impl AppState {
    pub fn new(
        db: Db,
        config: Config,
        modules: &[Arc<dyn Module>],
        secret: Vec<u8>,
    ) -> Result<AppState, String> {
        let ports = Arc::new(crate::ports::Ports::collect(modules));
        Self::with_ports(db, config, modules, secret, ports)
    }

    /// Like [`AppState::new`], with ports collected beforehand (the binary shares them with the
    /// job handlers).
    pub fn with_ports(
        db: Db,
        config: Config,
        modules: &[Arc<dyn Module>],
        secret: Vec<u8>,
        ports: Arc<crate::ports::Ports>,
    ) -> Result<AppState, String> {
        let mut translations = i18n::shell_translations();
        let mut nav = Vec::new();
        let mut footer = Vec::new();
        nav.extend(crate::home::nav());
        nav.extend(crate::accounts::nav());
        nav.extend(crate::admin_jobs::nav());
        nav.extend(crate::audit_pages::nav());
        for module in modules {
            translations.extend(module.translations());
            nav.extend(module.nav());
            footer.extend(module.footer());
        }
        nav.sort_by_key(|entry| entry.order);
        footer.sort_by_key(|entry| entry.order);
        let catalog = Catalog::build(&translations)?;
        let sessions = crate::session::Cache::new(config.session_cache_ttl);
        Ok(AppState {
            inner: Arc::new(Inner {
                db,
                config,
                catalog,
                nav,
                footer,
                secret,
                module_names: modules.iter().map(|m| m.name()).collect(),
                sessions,
                ports,
            }),
        })
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
    pub fn sessions(&self) -> &crate::session::Cache {
        &self.inner.sessions
    }

    /// The implementations of ports that the modules of this build provide.
    pub fn ports(&self) -> &Arc<crate::ports::Ports> {
        &self.inner.ports
    }

    /// The names of the modules in this build (the scopes an API token can have).
    pub fn module_names(&self) -> &[&'static str] {
        &self.inner.module_names
    }
}

/// Every migration of the platform: storage, core, then each module in order.
pub fn all_migrations(modules: &[Arc<dyn Module>]) -> Vec<Migration> {
    let mut all = steden_core::all_migrations();
    for module in modules {
        all.extend(module.migrations());
    }
    all
}

/// The home page a module provides, if any.
///
/// # Panics
/// When two modules claim it: a programming error that must stop the server at start-up.
fn module_home(modules: &[Arc<dyn Module>]) -> Option<axum::routing::MethodRouter<AppState>> {
    let mut homes = modules
        .iter()
        .filter_map(|m| m.home().map(|h| (m.name(), h)));
    let first = homes.next();
    if let (Some((a, _)), Some((b, _))) = (&first, homes.next()) {
        panic!("two modules provide the home page: {a} and {b}");
    }
    first.map(|(_, home)| home)
}

/// The whole router: the shell's own pages, every module's pages and API, and the layers
/// (sessions, CSRF, security headers, metrics, tracing).
pub fn build(state: AppState, modules: &[Arc<dyn Module>]) -> Router {
    let mut router: Router<AppState> = Router::new()
        .merge(crate::assets::routes())
        .merge(crate::home::routes(module_home(modules)))
        .merge(crate::auth::routes())
        .merge(crate::accounts::routes())
        .merge(crate::admin_jobs::routes())
        .merge(crate::audit_pages::routes())
        .merge(crate::ops::routes())
        .merge(crate::api::routes(modules));
    for module in modules {
        router = router.merge(module.routes());
    }
    // Layers wrap outwards: the last one added runs first. `Router::layer` applies them to
    // every route after routing (so `MatchedPath` is known) and to the fallback.
    use axum::middleware::{from_fn, from_fn_with_state};
    router
        .merge(crate::i18n::routes())
        .fallback(|| async { crate::AppError::NotFound })
        .layer(axum::middleware::from_fn(crate::auth::remember_destination))
        // Middleware inside a module's routes cannot be given the state when the module builds
        // them, so the state travels with each request (e.g. the Kennisbank's view counter).
        .layer(axum::Extension(state.clone()))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            crate::error::panic_page,
        ))
        .layer(from_fn_with_state(state.clone(), crate::flash::layer))
        .layer(from_fn_with_state(state.clone(), crate::csrf::layer))
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::security::DEFAULT_BODY_LIMIT,
        ))
        .layer(from_fn_with_state(state.clone(), crate::security::headers))
        .layer(from_fn(crate::telemetry::track))
        .layer(from_fn_with_state(
            state.clone(),
            crate::session::forget_after_writes,
        ))
        .with_state(state)
}
