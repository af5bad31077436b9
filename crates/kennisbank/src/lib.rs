//! Kennisbank and website: the Kenniscentrum's public site and a searchable library of what
//! the programmes produced since 2007.
//!
//! - [`model`]: the fixed lists of values (document types, access, page status, ...);
//! - [`access`]: who may edit, and who may open which document (also inside search);
//! - [`extract`]: text from uploaded documents (PDF, DOCX, PPTX, XLSX, ODT, Markdown) with
//!   limits on size, decompressed size and time;
//! - [`search`]: Dutch analysis and the tantivy index; [`sync`] keeps each server's index
//!   current from the database's change log;
//! - [`markdown`]: editors' Markdown to sanitised HTML;
//! - [`store`]: the tables; [`jobs`]: text extraction in the background;
//! - [`structure`]: the programmes and werksporen of the published plans that documents are
//!   filed under;
//! - [`paths`]: the module's URLs;
//! - [`web`] and [`api`]: the public site, the library, editing pages and the JSON API;
//!   [`api_write`]: creating, changing and deleting documents through the API;
//! - [`bulk`]: importing a folder or zip of documents with a CSV of metadata (the web page,
//!   its job, and `steden kennisbank import`);
//! - [`demo`]: the demo site and sample documents;
//! - [`facade`]: what modules above this one may ask (a working group's documents, the
//!   Markdown pipeline).

pub mod access;
pub mod api;
pub mod api_write;
pub mod bulk;
pub mod demo;
pub mod extract;
pub mod facade;
pub mod items;
pub mod jobs;
pub mod markdown;
pub mod model;
pub mod paths;
pub mod ports;
pub mod samples;
pub mod search;
pub mod store;
pub mod structure;
pub mod sync;
pub mod web;

use std::time::Duration;

use futures::future::BoxFuture;
use steden_db::{Migration, MigrationSql};
use steden_web::i18n::Translation;
use steden_web::{AppState, DemoUser, Module, NavEntry, NavGroup, NavVisibility};

/// The Kennisbank and website module, as the binary registers it.
#[derive(Debug, Default, Clone, Copy)]
pub struct KennisbankModule;

/// The module's translations (Dutch first; every Dutch id has an English twin).
pub fn translations() -> Vec<Translation> {
    steden_web::translations!("kennisbank": "site.ftl", "editor.ftl", "documents.ftl", "library.ftl", "import.ftl")
}

/// How often a server applies the database's change log to its index without being asked
/// (searches also apply it first).
const SYNC_INTERVAL: Duration = Duration::from_secs(5);

/// Every how many sync rounds (5 s) documents are linked to the plan again: 5 minutes.
const LINK_ROUNDS: u64 = 60;

/// Links what can be linked; a failure is logged and tried again later, it never stops the
/// server (the documents stay as they were).
async fn link_documents(db: &steden_db::Db) {
    if let Err(e) = store::documents::link_unlinked(db).await {
        tracing::warn!(error = %e, "documenten niet gekoppeld aan de structuur van het jaarplan");
    }
}

fn entry(
    label_key: &'static str,
    group: NavGroup,
    href: &'static str,
    visibility: NavVisibility,
    order: i32,
) -> NavEntry {
    NavEntry {
        label_key,
        group,
        href,
        visibility,
        order,
    }
}

impl Module for KennisbankModule {
    fn name(&self) -> &'static str {
        access::MODULE
    }

    fn migrations(&self) -> Vec<Migration> {
        vec![
            Migration {
                module: access::MODULE,
                version: 1,
                name: "kennisbank",
                sql: MigrationSql::Portable(include_str!("../migrations/0001_kennisbank.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 2,
                name: "structure_links",
                sql: MigrationSql::Portable(include_str!("../migrations/0002_structure_links.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 3,
                name: "bulk_import",
                sql: MigrationSql::Portable(include_str!("../migrations/0003_bulk_import.sql")),
            },
        ]
    }

    fn routes(&self) -> axum::Router<AppState> {
        web::routes()
    }

    fn api_routes(&self) -> utoipa_axum::router::OpenApiRouter<AppState> {
        api::routes().merge(api_write::routes())
    }

    fn translations(&self) -> Vec<Translation> {
        translations()
    }

    /// Public documents and online news, for other modules' blocks and posts (the port
    /// `steden_web::items::ItemSource`).
    fn provide_ports(&self, ports: &mut steden_web::Ports) {
        ports.provide::<dyn steden_web::items::ItemSource>(std::sync::Arc::new(items::Documents));
        ports.provide::<dyn steden_web::items::ItemSource>(std::sync::Arc::new(items::News));
    }

    fn nav(&self) -> Vec<NavEntry> {
        use NavGroup::{Admin, Site};
        use NavVisibility::{Allowed, Everyone};
        vec![
            entry("kb-nav-programmes", Site, "/programmas", Everyone, 10),
            entry("kb-nav-projects", Site, "/projecten", Everyone, 11),
            entry("kb-nav-news", Site, "/nieuws", Everyone, 12),
            entry("kb-nav-publications", Site, "/publicaties", Everyone, 13),
            entry("kb-nav-library", Site, "/kennisbank", Everyone, 14),
            entry(
                "kb-nav-manage",
                Admin,
                "/beheer/site",
                Allowed(access::may_manage_site),
                800,
            ),
        ]
    }

    fn footer(&self) -> Vec<NavEntry> {
        use NavGroup::Site;
        use NavVisibility::Everyone;
        vec![
            entry("kb-footer-about", Site, "/pagina/over-ons", Everyone, 1),
            entry("kb-footer-governance", Site, "/pagina/bestuur", Everyone, 2),
            entry("kb-footer-contact", Site, "/pagina/contact", Everyone, 3),
            entry("kb-footer-glossary", Site, "/begrippen", Everyone, 4),
            entry("kb-footer-privacy", Site, "/privacy", Everyone, 5),
            entry("kb-footer-feed", Site, "/nieuws/feed.xml", Everyone, 6),
        ]
    }

    fn home(&self) -> Option<axum::routing::MethodRouter<AppState>> {
        // The home page's views are counted like those of the module's other pages.
        Some(
            axum::routing::get(web::site::home)
                .layer(axum::middleware::from_fn(web::stats::count_views)),
        )
    }

    fn register_jobs(
        &self,
        registry: &mut steden_db::jobs::Registry,
        _ports: &std::sync::Arc<steden_web::Ports>,
    ) {
        jobs::register(registry);
        bulk::job::register(registry);
    }

    fn seed_demo<'a>(
        &'a self,
        db: &'a steden_db::Db,
        users: &'a [DemoUser],
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(demo::seed(db, users))
    }

    /// Links documents' programme and werkspoor texts to the published plans (see
    /// [`store::documents::link_unlinked`]; again every few minutes, for a plan published
    /// later), opens this server's search index — rebuilding it from the database when it is
    /// missing or stale — and keeps applying the change log in the background.
    fn start<'a>(&'a self, state: &'a AppState) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let db = state.db().clone();
            link_documents(&db).await;
            let sources = state.ports().all::<dyn ports::SearchSource>();
            let live = sync::shared(&db, &state.config().data_dir, sources).await?;
            tokio::spawn(async move {
                let mut ticks = tokio::time::interval(SYNC_INTERVAL);
                let mut rounds: u64 = 0;
                loop {
                    ticks.tick().await;
                    if let Err(e) = live.sync(&db).await {
                        tracing::warn!(error = %e, "zoekindex niet bijgewerkt");
                    }
                    rounds += 1;
                    if rounds.is_multiple_of(LINK_ROUNDS) {
                        link_documents(&db).await;
                    }
                    // About once an hour: forget changes every server has long applied.
                    if rounds.is_multiple_of(720) {
                        if let Err(e) = sync::prune(&db, steden_db::now_ms()).await {
                            tracing::warn!(error = %e, "wijzigingslog zoekindex niet opgeruimd");
                        }
                    }
                }
            });
            Ok(())
        })
    }
}
