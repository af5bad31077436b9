//! Entries of the main navigation and the footer, which the shell and every module contribute
//! (see [`crate::module::Module::nav`]).

use futures::future::BoxFuture;
use steden_core::policy::Actor;
use steden_db::Db;

/// Whether a logged-in actor may open an entry's page. It asks the same policy function as the
/// page's handler (so that the menu never offers a page that answers 403), e.g. "editor of the
/// Kenniscentrum" for the site's management pages.
pub type NavCheck = for<'a> fn(&'a Db, &'a Actor) -> BoxFuture<'a, bool>;

/// Who sees a navigation entry. Pages still check permission themselves: hiding an entry is a
/// courtesy, not a protection; but an entry must not be shown to someone its page refuses.
#[derive(Clone, Copy)]
pub enum NavVisibility {
    Everyone,
    LoggedIn,
    PlatformAdmin,
    /// Logged-in users for whom the check says yes.
    Allowed(NavCheck),
}

impl std::fmt::Debug for NavVisibility {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NavVisibility::Everyone => f.write_str("Everyone"),
            NavVisibility::LoggedIn => f.write_str("LoggedIn"),
            NavVisibility::PlatformAdmin => f.write_str("PlatformAdmin"),
            NavVisibility::Allowed(_) => f.write_str("Allowed(..)"),
        }
    }
}

impl NavVisibility {
    /// Whether the entry is shown to `user` (none: a visitor).
    pub async fn shows(&self, db: &Db, user: Option<&Actor>, platform_admin: bool) -> bool {
        match (self, user) {
            (NavVisibility::Everyone, _) => true,
            (_, None) => false,
            (NavVisibility::LoggedIn, Some(_)) => true,
            (NavVisibility::PlatformAdmin, Some(_)) => platform_admin,
            (NavVisibility::Allowed(check), Some(actor)) => check(db, actor).await,
        }
    }
}

/// Where the shell lays an entry out. The header has three menus, so that ten modules still
/// fit: the public website (what a visitor reads), the workspace (logged-in work, one section
/// per module) and, beside the user box, account and administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavGroup {
    /// The public website's menu, for visitors and everyone.
    Site,
    /// Logged-in work, in a section per module; the value is the Fluent id of the section's
    /// label (e.g. "plan-nav-section"). Entries with the same label share a section.
    Workspace(&'static str),
    /// The user's own account and organisations.
    Account,
    /// Administration of the platform or of a module.
    Admin,
}

/// An entry in the main navigation.
#[derive(Debug, Clone)]
pub struct NavEntry {
    /// The Fluent message id of the label.
    pub label_key: &'static str,
    /// Which of the header's menus the entry belongs to.
    pub group: NavGroup,
    pub href: &'static str,
    pub visibility: NavVisibility,
    /// Lower comes first.
    pub order: i32,
}
