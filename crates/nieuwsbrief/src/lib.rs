//! Nieuwsbrief: the Kenniscentrum's monthly newsletter and weekly LinkedIn post (issue 14;
//! design in docs/design/NIEUWSBRIEF.md). This first part holds the subscribers: topic lists,
//! the public form with double opt-in, the record of consent, and what a subscriber does
//! through the signed links in their mails (preferences, unsubscribe, own data, erasure).
//!
//! - [`model`]: the fixed lists of values (statuses, language, consent kinds);
//! - [`store`]: all the module's SQL;
//! - [`links`]: the signed links in the mails; [`mails`]: the mails of subscribing;
//! - [`paths`]: the module's URLs; [`web`]: the pages; [`api`]: the JSON API.

pub mod access;
pub mod api;
mod api_bounces;
mod api_linkedin;
mod api_stats;
pub mod archive;
// the subscribers and campaigns in the API (S12)
mod api_campaigns;
mod api_editor;
mod api_subscribers;
pub mod bounces;
pub mod demo;
pub mod frozen;
pub mod import;
pub mod linkedin;
pub mod links;
pub mod mails;
pub mod model;
pub mod paths;
pub mod render;
pub mod retention;
pub mod scheduling;
pub mod send;
pub mod stats;
pub mod store;
pub mod web;
// the sending benchmark's seed and run (bench/nieuwsbrief.sh, hidden CLI commands)
pub mod bench;

use steden_db::{Migration, MigrationSql};
use steden_web::i18n::Translation;
use steden_web::{AppState, Module, NavEntry, NavGroup, NavVisibility};

/// The nieuwsbrief module, as the binary registers it.
#[derive(Debug, Default, Clone, Copy)]
pub struct NieuwsbriefModule;

/// The module's translations (Dutch first; every Dutch id has an English twin).
pub fn translations() -> Vec<Translation> {
    steden_web::translations!(
        "nieuwsbrief": "subscribers.ftl",
        "admin.ftl",
        "linkedin.ftl",
        "templates.ftl",
        "sending.ftl",
        "editor.ftl",
        "import.ftl",
        "mailbox.ftl",
        "stats.ftl",
        "archive.ftl",
        "export.ftl"
    )
}

impl Module for NieuwsbriefModule {
    fn name(&self) -> &'static str {
        access::MODULE
    }

    fn migrations(&self) -> Vec<Migration> {
        vec![
            Migration {
                module: access::MODULE,
                version: 1,
                name: "subscribers",
                sql: MigrationSql::Portable(include_str!("../migrations/0001_subscribers.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 2,
                name: "campaigns",
                sql: MigrationSql::Portable(include_str!("../migrations/0002_campaigns.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 3,
                name: "admin",
                sql: MigrationSql::Portable(include_str!("../migrations/0003_admin.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 4,
                name: "imports",
                sql: MigrationSql::Portable(include_str!("../migrations/0004_imports.sql")),
            },
            // reading statistics (S8)
            Migration {
                module: access::MODULE,
                version: 5,
                name: "statistics",
                sql: MigrationSql::Portable(include_str!("../migrations/0005_statistics.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 6,
                name: "archive",
                sql: MigrationSql::Portable(include_str!("../migrations/0006_archive.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 7,
                name: "sending",
                sql: MigrationSql::Portable(include_str!("../migrations/0007_sending.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 8,
                name: "linkedin",
                sql: MigrationSql::Portable(include_str!("../migrations/0008_linkedin.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 9,
                name: "bounces",
                sql: MigrationSql::Portable(include_str!("../migrations/0009_bounces.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 10,
                name: "mailbox",
                sql: MigrationSql::Portable(include_str!("../migrations/0010_mailbox.sql")),
            },
        ]
    }

    fn routes(&self) -> axum::Router<AppState> {
        web::routes()
    }

    fn api_routes(&self) -> utoipa_axum::router::OpenApiRouter<AppState> {
        api::routes()
    }

    fn translations(&self) -> Vec<Translation> {
        translations()
    }

    fn provide_ports(&self, ports: &mut steden_web::Ports) {
        send::provide_setup_cell(ports);
        // The archive of sent newsletters in the site's search (the Kennisbank's port).
        ports.provide::<dyn steden_kennisbank::ports::SearchSource>(std::sync::Arc::new(
            archive::ArchiveSearch,
        ));
    }

    fn footer(&self) -> Vec<NavEntry> {
        // In the footer of every page, beside the news feed: the site's menu stays as it is.
        vec![NavEntry {
            label_key: "nb-nav-subscribe",
            group: NavGroup::Site,
            href: paths::SUBSCRIBE,
            visibility: NavVisibility::Everyone,
            order: 7,
        }]
    }

    fn nav(&self) -> Vec<NavEntry> {
        // The editors' pages, in the workspace menu for those who may open them.
        vec![NavEntry {
            label_key: "nb-admin-nav",
            group: NavGroup::Workspace("nb-admin-nav-section"),
            href: paths::ADMIN,
            visibility: NavVisibility::Allowed(access::may_open_editor_pages),
            order: 40,
        }]
    }

    fn register_jobs(
        &self,
        registry: &mut steden_db::jobs::Registry,
        ports: &std::sync::Arc<steden_web::Ports>,
    ) {
        retention::register_jobs(registry);
        send::register_jobs(registry, ports);
        import::register_jobs(registry);
        bounces::imap::register_jobs(registry);
    }

    /// Gives the sending job the server's base URL, sender, SMTP and DKIM key; seeds the
    /// default mail template; starts the ticker of the daily retention job ([`retention`]).
    fn start<'a>(
        &'a self,
        state: &'a AppState,
    ) -> futures::future::BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            send::configure(state)?;
            // The default mail template, seeded once (idempotent).
            store::templates::ensure_default(state.db()).await?;
            // The demo's campaigns, when its seed asked for them (after the default template,
            // which they use, and before the workers that send them start).
            demo::campaigns::start(state).await?;
            retention::spawn(state.db().clone());
            bounces::imap::spawn_if_configured(state.db().clone())?;
            Ok(())
        })
    }

    /// Generated subscribers at example.org and the LinkedIn planner's last months
    /// ([`demo`]).
    fn seed_demo<'a>(
        &'a self,
        db: &'a steden_db::Db,
        users: &'a [steden_web::DemoUser],
    ) -> futures::future::BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(demo::seed(db, users))
    }
}
