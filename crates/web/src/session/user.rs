//! The logged-in user of a request, as the session lookup finds it.

use steden_core::policy::{Actor, OrgRole, UserActor};
use steden_core::role::Role;

/// An organisation the user belongs to, with the user's role there.
#[derive(Debug, Clone)]
pub struct OrgChoice {
    pub id: String,
    pub name: String,
    /// The stored role name ("beheerder", ...); empty for an organisation a platform
    /// administrator can switch to without being a member.
    pub role: String,
}

/// The logged-in user of a request.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub session_id: String,
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub platform_admin: bool,
    /// The organisation the user is working in now (chosen with the switcher).
    pub active_org: Option<OrgChoice>,
    /// Every organisation the user can switch to: their memberships, or every organisation for a
    /// platform administrator.
    pub orgs: Vec<OrgChoice>,
    /// The user's roles, for the policy layer.
    pub memberships: Vec<OrgRole>,
}

impl SessionUser {
    /// The actor for [`steden_core::policy`].
    pub fn actor(&self) -> Actor {
        Actor::User(UserActor {
            user_id: self.user_id.clone(),
            platform_admin: self.platform_admin,
            memberships: self.memberships.clone(),
        })
    }

    /// The user's role in an organisation, if a member.
    pub fn role_in(&self, organisation_id: &str) -> Option<Role> {
        self.memberships
            .iter()
            .find(|m| m.organisation_id == organisation_id)
            .map(|m| m.role)
    }

    /// Whether the user may switch to this organisation.
    pub fn may_switch_to(&self, organisation_id: &str) -> bool {
        self.orgs.iter().any(|o| o.id == organisation_id)
    }
}
