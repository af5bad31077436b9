//! The start page ("/start", and "/" unless a module provides the home page): a public
//! introduction for visitors; for logged-in users their workspace: what is asked of them and
//! what changed in what they follow, from every module through the
//! [`crate::workspace::WorkspaceTasks`] port, and their organisations.

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::error::AppError;
use crate::page::{render, PageContext};
use crate::state::AppState;

/// The start page at `/start`, and at `/` unless a module provides the home page
/// ([`crate::Module::home`]).
pub fn routes(module_home: Option<axum::routing::MethodRouter<AppState>>) -> Router<AppState> {
    Router::new()
        .route("/start", get(home))
        .route("/", module_home.unwrap_or_else(|| get(home)))
}

/// "Mijn werkplek" for logged-in users (the start page, also when "/" is the public site).
pub fn nav() -> Vec<crate::nav::NavEntry> {
    vec![crate::nav::NavEntry {
        label_key: "nav-start",
        group: crate::nav::NavGroup::Workspace("nav-workspace"),
        href: "/start",
        visibility: crate::nav::NavVisibility::LoggedIn,
        order: 0,
    }]
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: PageContext,
    /// What is asked of the user, a section per module (label, tasks).
    tasks: Vec<(String, Vec<crate::workspace::WorkspaceTask>)>,
    /// Recent changes by others in what the user follows, newest first, across modules.
    changes: Vec<ChangeRow>,
}

/// A recent change as the page shows it.
struct ChangeRow {
    change: crate::workspace::WorkspaceChange,
    /// When, as 28/11/2026 14:05.
    when: String,
}

async fn home(ctx: PageContext) -> Result<Response, AppError> {
    let mut tasks: Vec<(String, Vec<crate::workspace::WorkspaceTask>)> = Vec::new();
    let mut changes: Vec<crate::workspace::WorkspaceChange> = Vec::new();
    let title = if let Some(user) = &ctx.user {
        let actor = user.actor();
        let state = ctx.state().clone();
        let since = steden_db::now_ms() - crate::workspace::RECENT_DAYS * 24 * 60 * 60 * 1000;
        for provider in state.ports().all::<dyn crate::workspace::WorkspaceTasks>() {
            changes.extend(
                provider
                    .recent_changes(
                        state.db(),
                        &actor,
                        since,
                        crate::workspace::RECENT_LIMIT,
                        ctx.lang,
                        state.catalog(),
                    )
                    .await?,
            );
            for task in provider
                .tasks(state.db(), &actor, ctx.lang, state.catalog())
                .await?
            {
                match tasks
                    .iter_mut()
                    .find(|(label, _)| *label == task.module_label)
                {
                    Some((_, list)) => list.push(task),
                    None => tasks.push((task.module_label.clone(), vec![task])),
                }
            }
        }
        // "Mijn werkplek", not the site's name twice ("Stedenplatform · Stedenplatform").
        ctx.t("nav-start")
    } else {
        ctx.t("home-title")
    };
    // Each module's list is newest first and capped; merged, the newest of them all.
    changes.sort_by_key(|c| std::cmp::Reverse(c.at));
    changes.truncate(crate::workspace::RECENT_LIMIT);
    let changes = changes
        .into_iter()
        .map(|change| ChangeRow {
            when: ctx.datetime(&change.at),
            change,
        })
        .collect();
    let mut ctx = ctx.titled(title);
    ctx.description = ctx.t("home-description");
    render(&HomePage {
        ctx,
        tasks,
        changes,
    })
}

impl PageContext {
    /// Whether `org_id` is the user's active organisation (the switcher's selected option).
    pub fn is_active_org(&self, org_id: &str) -> bool {
        self.user
            .as_ref()
            .and_then(|u| u.active_org.as_ref())
            .is_some_and(|org| org.id == org_id)
    }

    /// The organisations the user is a member of (a platform administrator can also switch to
    /// others, without a role there; those are not listed as memberships).
    pub fn memberships(&self) -> Vec<&crate::session::OrgChoice> {
        self.user
            .as_ref()
            .map(|u| u.orgs.iter().filter(|o| !o.role.is_empty()).collect())
            .unwrap_or_default()
    }

    /// The interface text of a membership role ("beheerder" → "Beheerder" / "Administrator").
    pub fn role_label(&self, role: &str) -> String {
        self.t(&format!("shell-role-{role}"))
    }
}
