//! Werkgroepen: the working groups of the cities and the Kenniscentrum, with their members,
//! meetings, agendas, minutes and events (issue 13; design in docs/design/WERKGROEPEN.md).
//!
//! The core keeps the groups themselves and who may open their documents
//! (`steden_core::working_group`); this module adds what makes a group live, in its own `wg_*`
//! tables keyed by the core group's id.
//!
//! - [`model`]: the fixed lists of values (kind, visibility, cadence, role, status);
//! - [`access`]: who may do what, on top of the core's policy;
//! - [`localtime`] and [`cadence`]: wall time in Brussels and the dates a cadence gives (no
//!   database);
//! - [`store`]: the tables, and adopting the core's groups at start-up;
//! - [`paths`]: the module's URLs; [`web`]: the pages;
//! - [`plan_source`]: meetings held, as a measurement source for the plan's indicators.

pub mod access;
pub mod api;
pub mod api_replies;
pub mod cadence;
pub mod daily;
pub mod demo;
pub mod feed;
pub mod ical;
pub mod invitations;
pub mod items;
pub mod localtime;
pub mod model;
pub mod paths;
pub mod plan_source;
pub mod reader;
pub mod store;
pub mod web;
// events and registrations (S11), certificates (S12)
pub mod api_events;
pub mod certificate;
pub mod event_mail;
pub mod signed_link;
// views across groups and the workspace tasks (S13)
pub mod reminders;
pub mod series_mail;
pub mod workspace;
// privacy (S14)
pub mod retention;

use futures::future::BoxFuture;
use steden_db::{Migration, MigrationSql};
use steden_web::i18n::Translation;
use steden_web::{AppState, DemoUser, Module, NavEntry, NavGroup, NavVisibility};

/// The werkgroepen module, as the binary registers it.
#[derive(Debug, Default, Clone, Copy)]
pub struct WerkgroepenModule;

/// The module's translations (Dutch first; every Dutch id has an English twin).
pub fn translations() -> Vec<Translation> {
    steden_web::translations!(
        "werkgroepen": "groups.ftl", "group.ftl", "meetings.ftl", "agenda.ftl", "minutes.ftl", "events.ftl",
        "ical.ftl", "views.ftl", "privacy.ftl", "beheer.ftl",
        "event_changes.ftl", "mydata.ftl"
    )
}

impl Module for WerkgroepenModule {
    fn name(&self) -> &'static str {
        access::MODULE
    }

    fn migrations(&self) -> Vec<Migration> {
        vec![
            Migration {
                module: access::MODULE,
                version: 1,
                name: "werkgroepen",
                sql: MigrationSql::Portable(include_str!("../migrations/0001_werkgroepen.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 2,
                name: "agenda_templates",
                sql: MigrationSql::Portable(include_str!(
                    "../migrations/0002_agenda_templates.sql"
                )),
            },
            Migration {
                module: access::MODULE,
                version: 3,
                name: "event_waitlist",
                sql: MigrationSql::Portable(include_str!("../migrations/0003_event_waitlist.sql")),
            },
            Migration {
                module: access::MODULE,
                version: 4,
                name: "event_held_marked",
                sql: MigrationSql::Portable(include_str!(
                    "../migrations/0004_event_held_marked.sql"
                )),
            },
            Migration {
                module: access::MODULE,
                version: 5,
                name: "eval_required",
                sql: MigrationSql::Portable(include_str!("../migrations/0005_eval_required.sql")),
            },
        ]
    }

    fn routes(&self) -> axum::Router<AppState> {
        web::routes()
    }

    fn api_routes(&self) -> utoipa_axum::router::OpenApiRouter<AppState> {
        api::routes().merge(api_events::routes())
    }

    fn translations(&self) -> Vec<Translation> {
        translations()
    }

    fn nav(&self) -> Vec<NavEntry> {
        // Only pages that exist get an entry; "Mijn werkgroepen" and the staff overview join the
        // workspace menu (section "wg-nav-section") with their pages.
        vec![
            NavEntry {
                label_key: "wg-nav-groups",
                group: NavGroup::Site,
                href: paths::GROUPS,
                visibility: NavVisibility::Everyone,
                order: 15,
            },
            NavEntry {
                label_key: "wg-nav-events",
                group: NavGroup::Site,
                href: paths::EVENTS,
                visibility: NavVisibility::Everyone,
                order: 16,
            },
            NavEntry {
                label_key: "wg-nav-mine",
                group: NavGroup::Workspace("wg-nav-section"),
                href: paths::MINE,
                visibility: NavVisibility::LoggedIn,
                order: 30,
            },
            NavEntry {
                label_key: "wg-nav-overview",
                group: NavGroup::Workspace("wg-nav-section"),
                href: paths::OVERVIEW,
                visibility: NavVisibility::Allowed(access::may_open_staff_pages),
                order: 31,
            },
        ]
    }

    fn register_jobs(
        &self,
        registry: &mut steden_db::jobs::Registry,
        _ports: &std::sync::Arc<steden_web::Ports>,
    ) {
        event_mail::register_jobs(registry);
        daily::register_jobs(registry);
        invitations::register_jobs(registry);
    }

    fn provide_ports(&self, ports: &mut steden_web::Ports) {
        ports.provide::<dyn steden_plan::ports::MeasurementSource>(std::sync::Arc::new(
            plan_source::MeetingsHeld,
        ));
        ports.provide::<dyn steden_web::workspace::WorkspaceTasks>(std::sync::Arc::new(
            workspace::WerkgroepenTasks,
        ));
        ports.provide::<dyn steden_web::items::ItemSource>(std::sync::Arc::new(items::Events));
    }

    fn seed_demo<'a>(
        &'a self,
        db: &'a steden_db::Db,
        users: &'a [DemoUser],
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(demo::seed(db, users))
    }

    /// Adopts the core's working groups that have no profile yet (see
    /// [`store::adoption::adopt_core_groups`]), so that groups made before the module, or by a
    /// seed that only knows the core, appear in it; then repairs the core's access lists
    /// ([`store::invariant::repair_access_lists`]); and starts the ticker of the daily tasks
    /// ([`daily`]).
    fn start<'a>(&'a self, state: &'a AppState) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let adopted = store::adoption::adopt_core_groups(state.db()).await?;
            if adopted.groups > 0 {
                tracing::info!(
                    groups = adopted.groups,
                    memberships = adopted.memberships,
                    "werkgroepen uit de kern opgenomen"
                );
            }
            // After adoption, so that adopted members are counted as members.
            let repaired = store::invariant::repair_access_lists(state.db()).await?;
            if repaired != store::invariant::Repaired::default() {
                tracing::warn!(
                    added = repaired.added,
                    removed = repaired.removed,
                    "toegangslijsten van werkgroepen hersteld"
                );
            }
            daily::spawn(state.db().clone(), invitations::Origin::of(state.config()));
            Ok(())
        })
    }
}
