//! Beleidsopvolging: plans (jaarplan, meerjarenplan, bestuursakkoord), their items, indicators,
//! progress updates, reporting rounds, kwesties, releases, projects and finance — the successor
//! of the ORBA tool.
//!
//! - [`model`]: the domain types and their fixed lists of values;
//! - [`store`]: plans, items, the roll-up and progress updates in the database;
//! - [`access`]: who may read, edit and report (on top of the core's policy);
//! - [`import`]: the BBC and jaarplan parsers (pure), and [`import::apply`] that writes them;
//! - the other modules each own one capability: [`indicators`], [`rounds`], [`kwesties`],
//!   [`projects`], [`finance`], [`release`], [`export`];
//! - [`web`] and [`api`]: pages and the JSON API.

pub mod access;
pub mod api;
pub mod demo;
pub mod export;
pub mod finance;
pub mod import;
pub mod indicators;
pub mod kwesties;
pub mod milestone_items;
pub mod model;
pub mod paths;
pub mod projects;
pub mod release;
pub mod rounds;
pub mod search;
pub mod site;
pub mod slug;
pub mod store;
pub mod web;
pub mod workspace;

/// The ports this module defines for the modules above it (see `steden_web::ports`).
pub mod ports {
    pub use crate::indicators::link::link_source;
    pub use crate::indicators::pull::{linked_series, source_changed};
    pub use crate::indicators::source::{
        MeasurementSource, PullPayload, SourceMeasurement, SourceSeries, PULL_JOB,
    };
}

use futures::future::BoxFuture;
use steden_db::{Migration, MigrationSql};
use steden_web::i18n::Translation;
use steden_web::{AppState, DemoUser, Module, NavEntry, NavGroup, NavVisibility};

/// The plan module, as the binary registers it.
#[derive(Debug, Default, Clone, Copy)]
pub struct PlanModule;

/// The module's translations (Dutch first; every Dutch id has an English twin).
pub fn translations() -> Vec<Translation> {
    steden_web::translations!("plan": "plan.ftl", "indicators.ftl", "followup.ftl", "reports.ftl", "import.ftl")
}

impl Module for PlanModule {
    fn name(&self) -> &'static str {
        access::MODULE
    }

    fn migrations(&self) -> Vec<Migration> {
        vec![
            Migration {
                module: access::MODULE,
                version: 1,
                name: "plan",
                sql: MigrationSql::Portable(include_str!("../migrations/0001_plan.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 2,
                name: "release_immutable",
                sql: MigrationSql::PerBackend {
                    sqlite: include_str!("../migrations/0002_release_immutable.sqlite.sql"),
                    postgres: include_str!("../migrations/0002_release_immutable.postgres.sql"),
                },
            },
            Migration {
                module: access::MODULE,
                version: 3,
                name: "indicator_sources",
                sql: MigrationSql::Portable(include_str!(
                    "../migrations/0003_indicator_sources.sql"
                )),
            },
            Migration {
                module: access::MODULE,
                version: 4,
                name: "item_levels",
                sql: MigrationSql::Portable(include_str!("../migrations/0004_item_levels.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 5,
                name: "item_slugs_archive",
                sql: MigrationSql::Portable(include_str!(
                    "../migrations/0005_item_slugs_archive.sql"
                )),
            },
            Migration {
                module: access::MODULE,
                version: 6,
                name: "status_manual",
                sql: MigrationSql::Portable(include_str!("../migrations/0006_status_manual.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 7,
                name: "data_version",
                sql: MigrationSql::PerBackend {
                    sqlite: include_str!("../migrations/0007_data_version.sqlite.sql"),
                    postgres: include_str!("../migrations/0007_data_version.postgres.sql"),
                },
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

    fn nav(&self) -> Vec<NavEntry> {
        vec![
            NavEntry {
                label_key: "plan-nav-plans",
                group: NavGroup::Workspace("plan-nav-section"),
                href: "/plannen",
                visibility: NavVisibility::LoggedIn,
                order: 20,
            },
            NavEntry {
                label_key: "plan-nav-mine",
                group: NavGroup::Workspace("plan-nav-section"),
                href: "/mijn-acties",
                visibility: NavVisibility::LoggedIn,
                order: 21,
            },
            NavEntry {
                label_key: "plan-rep-public-plans-title",
                group: NavGroup::Site,
                href: "/openbaar/plannen",
                visibility: NavVisibility::Everyone,
                order: 25,
            },
            NavEntry {
                label_key: "plan-fu-mine-title",
                group: NavGroup::Workspace("plan-nav-section"),
                href: "/mijn-kwesties",
                visibility: NavVisibility::LoggedIn,
                order: 22,
            },
        ]
    }

    fn provide_ports(&self, ports: &mut steden_web::ports::Ports) {
        ports.provide::<dyn steden_web::workspace::WorkspaceTasks>(std::sync::Arc::new(
            workspace::PlanTasks,
        ));
        ports.provide::<dyn steden_web::items::ItemSource>(std::sync::Arc::new(
            milestone_items::Milestones,
        ));
    }

    fn register_jobs(
        &self,
        registry: &mut steden_db::jobs::Registry,
        ports: &std::sync::Arc<steden_web::Ports>,
    ) {
        import::jobs::register(registry);
        rounds::register_jobs(registry);
        indicators::pull::register_jobs(registry, ports);
    }

    fn seed_demo<'a>(
        &'a self,
        db: &'a steden_db::Db,
        users: &'a [DemoUser],
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(demo::seed(db, users))
    }
}
