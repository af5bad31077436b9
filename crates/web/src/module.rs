//! How a module plugs into the platform.

use std::sync::Arc;

use axum::Router;
use steden_db::Migration;

use crate::i18n::Translation;
pub use crate::nav::{NavEntry, NavGroup, NavVisibility};
use crate::ports::Ports;
use crate::state::AppState;

/// A demo account made by `steden serve --demo` (see [`Module::seed_demo`]).
#[derive(Debug, Clone)]
pub struct DemoUser {
    pub id: String,
    pub email: String,
    pub name: String,
    /// The slugs of the organisations the account belongs to.
    pub organisations: Vec<String>,
}

/// A vertical slice of the platform: owns its tables, routes, templates, translations, jobs and
/// navigation entries, and depends on the core, never on another module's internals.
pub trait Module: Send + Sync + 'static {
    /// A short, stable name ("plan", "kennisbank"); also the `module` of its migrations and the
    /// scope name of API tokens.
    fn name(&self) -> &'static str;

    /// The module's schema, versions ascending.
    fn migrations(&self) -> Vec<Migration> {
        Vec::new()
    }

    /// Pages and form handlers.
    fn routes(&self) -> Router<AppState> {
        Router::new()
    }

    /// Routes under `/api/v1`, documented in the OpenAPI document.
    fn api_routes(&self) -> utoipa_axum::router::OpenApiRouter<AppState> {
        utoipa_axum::router::OpenApiRouter::new()
    }

    /// Fluent sources, per language.
    fn translations(&self) -> Vec<Translation> {
        Vec::new()
    }

    fn nav(&self) -> Vec<NavEntry> {
        Vec::new()
    }

    /// Links in the footer of every page (privacy statement, contact, ...).
    fn footer(&self) -> Vec<NavEntry> {
        Vec::new()
    }

    /// The page at "/", when this module provides the site's home page (the public website).
    /// The shell's own start page then lives at `/start` only. At most one module may claim it.
    fn home(&self) -> Option<axum::routing::MethodRouter<AppState>> {
        None
    }

    /// Work to do once when a server starts, after migrations and demo content and before it
    /// accepts requests (e.g. rebuilding a derived index that is missing).
    fn start<'a>(
        &'a self,
        _state: &'a AppState,
    ) -> futures::future::BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async { Ok(()) })
    }

    /// Implementations this module provides for ports defined by modules below it (see
    /// [`crate::ports`]): e.g. a measurement source for the plan's indicators. Called once at
    /// start-up, before the application state and the job handlers are built.
    fn provide_ports(&self, _ports: &mut Ports) {}

    /// Handlers for the module's job kinds (named "<module>.<verb>"). `ports` holds what the
    /// modules of this build provide, for handlers that call a port.
    fn register_jobs(&self, _registry: &mut steden_db::jobs::Registry, _ports: &Arc<Ports>) {}

    /// Demo content for `steden serve --demo`, loaded once (on the first start with --demo),
    /// after the core's demo accounts, which are passed in so that the content can be
    /// attributed to them. Must be idempotent: a failed start may run it again.
    fn seed_demo<'a>(
        &'a self,
        _db: &'a steden_db::Db,
        _users: &'a [DemoUser],
    ) -> futures::future::BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async { Ok(()) })
    }
}
