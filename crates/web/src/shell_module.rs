//! The shell's own pages as a built-in module: the start page, logging in, accounts and
//! organisations, the job and audit administration, operations endpoints, static assets and the
//! language switch.
//!
//! `app` adds it in front of the modules of the build, so the shell's pages are collected like
//! any module's and neither `app` nor `state` names a page file. Its tables stay in the core's
//! migrations (`steden_core::all_migrations`); it has no API routes of its own (the core API
//! belongs to `api`), and it is not a scope of API tokens.

use std::sync::Arc;

use axum::routing::MethodRouter;
use axum::Router;

use crate::i18n::Translation;
use crate::module::Module;
use crate::nav::NavEntry;
use crate::state::AppState;

/// The shell as a module. Made with [`Shell::for_modules`], because its start page gives way
/// at "/" to a module that provides the site's home page.
pub struct Shell {
    module_home: Option<MethodRouter<AppState>>,
}

impl Shell {
    /// The shell of a build with these modules.
    ///
    /// # Panics
    /// When two modules claim the home page: a programming error that must stop the server at
    /// start-up.
    pub fn for_modules(modules: &[Arc<dyn Module>]) -> Shell {
        let mut homes = modules
            .iter()
            .filter_map(|m| m.home().map(|h| (m.name(), h)));
        let first = homes.next();
        if let (Some((a, _)), Some((b, _))) = (&first, homes.next()) {
            panic!("two modules provide the home page: {a} and {b}");
        }
        Shell {
            module_home: first.map(|(_, home)| home),
        }
    }
}

impl Module for Shell {
    fn name(&self) -> &'static str {
        "shell"
    }

    fn routes(&self) -> Router<AppState> {
        Router::new()
            .merge(crate::assets::routes())
            .merge(crate::home::routes(self.module_home.clone()))
            .merge(crate::auth::routes())
            .merge(crate::accounts::routes())
            .merge(crate::admin_jobs::routes())
            .merge(crate::audit_pages::routes())
            .merge(crate::styleguide::routes())
            .merge(crate::ops::routes())
            .merge(crate::language::routes())
    }

    fn translations(&self) -> Vec<Translation> {
        crate::i18n::shell_translations()
    }

    fn nav(&self) -> Vec<NavEntry> {
        let mut nav = crate::home::nav();
        nav.extend(crate::accounts::nav());
        nav.extend(crate::admin_jobs::nav());
        nav.extend(crate::audit_pages::nav());
        nav.extend(crate::styleguide::nav());
        nav
    }
}
