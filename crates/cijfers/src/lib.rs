//! Stad in cijfers: city statistics for the 13 centrumsteden and the VGC (issue 15; design in
//! docs/CIJFERS.md). Indicators over geographic levels and periods, imports from Statbel,
//! Fluvius, Swing and generic files, disclosure control before publication, fact sheets,
//! comparison across cities, open data and the climate dashboard.
//!
//! - [`model`]: the domain types and fixed lists (aggregation, geo levels, periods, statuses);
//! - [`access`]: who may do what, on top of the core's policy;
//! - [`aggregate`]: sectors to wijken and old municipalities to merged ones (no database);
//! - [`store`]: all the module's SQL;
//! - [`import`]: parse → preview → confirm → the job "cijfers.import";
//! - [`paths`]: the module's URLs; [`web`]: the pages; [`api`]: the JSON API;
//! - [`disclosure`]: primary and secondary suppression and the LP audit (no database);
//! - [`geo`]: geometry files, projections, simplification, the SVG choropleth (no database);
//! - [`opendata`]: JSON-stat, SDMX-CSV, CSV/XLSX, Swing, OData shape, DCAT-AP (no database);
//! - [`charts`]: server-rendered SVG line and ranking charts (no database);
//! - [`sheets`]: fact sheets and a city's standing (no database), and their PDF;
//! - [`demo`]: the demo content.
//! - [`gate`]: the disclosure check as the gate of publication (runs, outcomes per value).

pub mod access;
pub mod aggregate;
pub mod api;
pub mod api_open;
pub mod charts;
// cj-climate2: the climate dashboard (issue 15 point 6)
pub mod climate;
pub mod demo;
pub mod disclosure;
pub mod gate;
pub mod geo;
pub mod import;
pub mod interop;
pub mod maps;
pub mod model;
pub mod opendata;
pub mod paths;
// cj-link: the plan's measurement source (issue 15 point 7)
pub mod plan_link;
pub mod sheets;
pub mod store;
pub mod web;

use futures::future::BoxFuture;
use steden_db::{Migration, MigrationSql};
use steden_web::i18n::Translation;
use steden_web::{AppState, DemoUser, Module, NavEntry, NavGroup, NavVisibility};

/// The cijfers module, as the binary registers it.
#[derive(Debug, Default, Clone, Copy)]
pub struct CijfersModule;

/// The module's translations (Dutch first; every Dutch id has an English twin).
pub fn translations() -> Vec<Translation> {
    // cj-link: requests.ftl (the data requests)
    // cj-climate2: climate.ftl (the climate dashboard)
    steden_web::translations!("cijfers": "cijfers.ftl", "admin.ftl", "gate.ftl", "sheets.ftl", "requests.ftl", "climate.ftl")
}

impl Module for CijfersModule {
    fn name(&self) -> &'static str {
        access::MODULE
    }

    fn migrations(&self) -> Vec<Migration> {
        vec![
            Migration {
                module: access::MODULE,
                version: 1,
                name: "cijfers",
                sql: MigrationSql::Portable(include_str!("../migrations/0001_cijfers.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 2,
                name: "embed_origins",
                sql: MigrationSql::Portable(include_str!("../migrations/0002_embed_origins.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 3,
                name: "disclosure",
                sql: MigrationSql::Portable(include_str!("../migrations/0003_disclosure.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 4,
                name: "geometry",
                sql: MigrationSql::Portable(include_str!("../migrations/0004_geometry.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 5,
                name: "cijfers_themes",
                sql: MigrationSql::Portable(include_str!("../migrations/0005_themes.sql")),
            },
            // cj-link: joint data requests (issue 15 point 8)
            Migration {
                module: access::MODULE,
                version: 7,
                name: "data_requests",
                sql: MigrationSql::Portable(include_str!("../migrations/0007_data_requests.sql")),
            },
            // cj-climate2: emission factors and climate targets (issue 15 point 6)
            Migration {
                module: access::MODULE,
                version: 8,
                name: "climate",
                sql: MigrationSql::Portable(include_str!("../migrations/0008_climate.sql")),
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
                label_key: "cijfers-nav",
                group: NavGroup::Site,
                href: paths::OVERVIEW,
                visibility: NavVisibility::Everyone,
                order: 18,
            },
            NavEntry {
                label_key: "cijfers-nav-admin",
                group: NavGroup::Workspace("cijfers-nav-section"),
                href: paths::ADMIN_INDICATORS,
                visibility: NavVisibility::Allowed(access::may_open_admin_pages),
                order: 40,
            },
            // cj-link: the register of data requests
            NavEntry {
                label_key: "cijfers-req-nav",
                group: NavGroup::Workspace("cijfers-nav-section"),
                href: paths::DATA_REQUESTS,
                visibility: NavVisibility::Allowed(access::may_open_admin_pages),
                order: 42,
            },
            // cj-climate2: the emission factors and the cities' targets
            NavEntry {
                label_key: "cijfers-climate-admin-nav",
                group: NavGroup::Workspace("cijfers-nav-section"),
                href: paths::ADMIN_CLIMATE,
                visibility: NavVisibility::Allowed(access::may_open_admin_pages),
                order: 43,
            },
            NavEntry {
                label_key: "cijfers-themes-link",
                group: NavGroup::Workspace("cijfers-nav-section"),
                href: paths::ADMIN_THEMES,
                visibility: NavVisibility::Allowed(access::may_manage_themes_pages),
                order: 41,
            },
        ]
    }

    fn register_jobs(
        &self,
        registry: &mut steden_db::jobs::Registry,
        _ports: &std::sync::Arc<steden_web::Ports>,
    ) {
        import::jobs::register(registry);
    }

    // cj-link: Stad in cijfers series as a measurement source for plan indicators.
    fn provide_ports(&self, ports: &mut steden_web::Ports) {
        ports.provide::<dyn steden_plan::ports::MeasurementSource>(std::sync::Arc::new(
            plan_link::CijfersSeries,
        ));
    }

    fn seed_demo<'a>(
        &'a self,
        db: &'a steden_db::Db,
        _users: &'a [DemoUser],
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(demo::seed(db))
    }
}
