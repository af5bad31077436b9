//! Who may do what in the nieuwsbrief module, on top of the core's policy.
//!
//! The public pages (subscribe, confirm, preferences, unsubscribe) need no account: a subscriber
//! proves they hold the address by the signed link mailed to it ([`crate::links`]). The
//! editors' pages are for redacteurs (or higher) of the Kenniscentrum for the module `nieuwsbrief`,
//! as in werkgroepen; its beheerders also change the module's settings.

use steden_core::error::CoreResult;
use steden_core::policy::{self, Action, Actor};
use steden_core::CoreError;
use steden_db::Db;

/// The module's name in the policy and in API token scopes.
pub const MODULE: &str = "nieuwsbrief";

/// The slug of the organisation whose staff make the newsletter (seeded by the core).
pub const KENNISCENTRUM_SLUG: &str = "kenniscentrum";

/// The id of the Kenniscentrum organisation.
pub async fn kenniscentrum_id(db: &Db) -> CoreResult<String> {
    steden_core::org::find_by_slug(db.pool(), KENNISCENTRUM_SLUG)
        .await?
        .map(|org| org.id)
        .ok_or_else(|| {
            CoreError::Internal(anyhow::anyhow!("de organisatie Kenniscentrum ontbreekt"))
        })
}

/// Whether `actor` is an editor: redacteur or higher of the Kenniscentrum for this module.
/// Editors manage subscribers, imports, campaigns, sending and the LinkedIn planner.
pub fn is_editor(actor: &Actor, kenniscentrum_id: &str) -> bool {
    policy::can(actor, MODULE, Action::Edit, kenniscentrum_id)
}

/// `Ok(())` for editors; otherwise forbidden (or unauthenticated for the anonymous).
pub fn require_editor(actor: &Actor, kenniscentrum_id: &str) -> CoreResult<()> {
    policy::check(actor, MODULE, Action::Edit, kenniscentrum_id)
}

/// Whether `actor` may change the module's settings (recording IP addresses, per-person
/// statistics, sending rate): beheerder of the Kenniscentrum.
pub fn is_manager(actor: &Actor, kenniscentrum_id: &str) -> bool {
    policy::can(actor, MODULE, Action::Manage, kenniscentrum_id)
}

/// `Ok(())` for managers; otherwise forbidden.
pub fn require_manager(actor: &Actor, kenniscentrum_id: &str) -> CoreResult<()> {
    policy::check(actor, MODULE, Action::Manage, kenniscentrum_id)
}

/// For the menu: whether `actor` may open the editors' pages.
pub fn may_open_editor_pages<'a>(
    db: &'a Db,
    actor: &'a Actor,
) -> futures::future::BoxFuture<'a, bool> {
    Box::pin(async move {
        match kenniscentrum_id(db).await {
            Ok(id) => is_editor(actor, &id),
            Err(_) => false,
        }
    })
}
