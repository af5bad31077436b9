//! Assembly: the application state and the router, from the shell (a built-in module, see
//! [`crate::shell_module`]) and the modules of the build.

use std::sync::Arc;

use axum::Router;
use steden_db::{Db, Migration};

use crate::i18n::Catalog;
use crate::module::Module;
use crate::ports::Ports;
use crate::shell_module::Shell;
use crate::state::Contributions;
/// The state lives in `state`; these names stay here for the modules and tests that use them.
pub use crate::state::{AppState, Config};

/// The shell followed by the modules of the build, in the order their pages, translations and
/// navigation entries are collected. The shell is added here, not by each caller.
fn with_shell(modules: &[Arc<dyn Module>]) -> Vec<Arc<dyn Module>> {
    let mut all: Vec<Arc<dyn Module>> = vec![Arc::new(Shell::for_modules(modules))];
    all.extend(modules.iter().cloned());
    all
}

impl AppState {
    pub fn new(
        db: Db,
        config: Config,
        modules: &[Arc<dyn Module>],
        secret: Vec<u8>,
    ) -> Result<AppState, String> {
        let ports = Arc::new(Ports::collect(modules));
        Self::with_ports(db, config, modules, secret, ports)
    }

    /// Like [`AppState::new`], with ports collected beforehand (the binary shares them with the
    /// job handlers).
    pub fn with_ports(
        db: Db,
        config: Config,
        modules: &[Arc<dyn Module>],
        secret: Vec<u8>,
        ports: Arc<Ports>,
    ) -> Result<AppState, String> {
        let mut translations = Vec::new();
        let mut nav = Vec::new();
        let mut footer = Vec::new();
        for module in with_shell(modules) {
            translations.extend(module.translations());
            nav.extend(module.nav());
            footer.extend(module.footer());
        }
        nav.sort_by_key(|entry| entry.order);
        footer.sort_by_key(|entry| entry.order);
        let catalog = Catalog::build(&translations)?;
        let contributions = Contributions {
            catalog,
            nav,
            footer,
            // The shell is not among them: it is not a scope of API tokens.
            module_names: modules.iter().map(|m| m.name()).collect(),
            ports,
        };
        Ok(AppState::assemble(db, config, secret, contributions))
    }
}

impl Ports {
    /// Every implementation the modules provide, in module order. (Defined here, with the rest
    /// of the start-up assembly, so that `ports` need not know the `Module` trait that names it.)
    pub fn collect(modules: &[Arc<dyn Module>]) -> Ports {
        let mut ports = Ports::default();
        for module in modules {
            module.provide_ports(&mut ports);
        }
        ports
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

/// The whole router: the shell's own pages, every module's pages and API, and the layers
/// (sessions, CSRF, security headers, metrics, tracing).
pub fn build(state: AppState, modules: &[Arc<dyn Module>]) -> Router {
    let mut router: Router<AppState> = Router::new().merge(crate::api::routes(modules));
    for module in with_shell(modules) {
        router = router.merge(module.routes());
    }
    // Layers wrap outwards: the last one added runs first. `Router::layer` applies them to
    // every route after routing (so `MatchedPath` is known) and to the fallback.
    use axum::middleware::{from_fn, from_fn_with_state};
    router
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
        // Outside everything that builds the response, so it compresses the final body.
        .layer(crate::compression::layer())
        // Outside compression, so a page is compressed once per encoding, not per request.
        .layer(from_fn_with_state(
            state.page_cache(),
            crate::page_cache::layer,
        ))
        .layer(from_fn(crate::telemetry::track))
        .layer(from_fn_with_state(
            state.clone(),
            crate::session::forget_after_writes,
        ))
        .with_state(state)
}
