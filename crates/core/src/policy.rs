//! The one place where permission decisions are made. Every page, form handler, API route and
//! module asks [`check`] (or [`can`]) before it reads protected data or writes anything, so
//! that the rules below hold everywhere:
//!
//! - a *lezer* may read, a *lid* may also participate, a *redacteur* may also edit, and a
//!   *beheerder* may also manage the organisation (members, roles, tokens);
//! - a role counts only in its own organisation;
//! - a platform administrator may do everything, everywhere;
//! - an API token acts for one organisation and a list of modules, with a role that never
//!   exceeds its creator's (see [`crate::api_token`]);
//! - the system (seeding, jobs without a user) may do everything; nobody else is anonymous.

use crate::audit::AuditActor;
use crate::error::{CoreError, CoreResult};
use crate::role::Role;

/// The scope name of the platform core itself (organisations, members, tokens), next to the
/// module names (`plan`, `kennisbank`, ...).
pub const CORE_MODULE: &str = "core";

/// What an actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Read,
    Participate,
    Edit,
    Manage,
}

impl Action {
    /// The lowest role that may perform this action.
    pub fn minimum_role(self) -> Role {
        match self {
            Action::Read => Role::Lezer,
            Action::Participate => Role::Lid,
            Action::Edit => Role::Redacteur,
            Action::Manage => Role::Beheerder,
        }
    }

    pub const ALL: [Action; 4] = [
        Action::Read,
        Action::Participate,
        Action::Edit,
        Action::Manage,
    ];
}

/// A user's role in one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRole {
    pub organisation_id: String,
    pub role: Role,
}

/// A logged-in user, with what the policy needs to know about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserActor {
    pub user_id: String,
    pub platform_admin: bool,
    pub memberships: Vec<OrgRole>,
}

impl UserActor {
    /// The user's role in `organisation_id`, if a member.
    pub fn role_in(&self, organisation_id: &str) -> Option<Role> {
        self.memberships
            .iter()
            .find(|m| m.organisation_id == organisation_id)
            .map(|m| m.role)
    }
}

/// A machine client presenting an API token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenActor {
    pub token_id: String,
    /// The user who created the token (the one it acts for).
    pub user_id: String,
    pub organisation_id: String,
    pub modules: Vec<String>,
    /// Already capped at the creator's current role (see [`crate::api_token::authenticate`]).
    pub role: Role,
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    User(UserActor),
    Token(TokenActor),
    /// The platform itself: seeding, migrations, jobs not started by a user.
    System,
}

impl Actor {
    /// Who to name in the audit trail for changes made by this actor.
    pub fn audit_actor(&self) -> AuditActor {
        match self {
            Actor::User(user) => AuditActor::user(&user.user_id),
            Actor::Token(token) => AuditActor {
                user_id: Some(token.user_id.clone()),
                token_id: Some(token.token_id.clone()),
            },
            Actor::Anonymous | Actor::System => AuditActor::system(),
        }
    }

    /// The user behind this actor (directly or through a token).
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Actor::User(user) => Some(&user.user_id),
            Actor::Token(token) => Some(&token.user_id),
            Actor::Anonymous | Actor::System => None,
        }
    }

    pub fn is_platform_admin(&self) -> bool {
        matches!(self, Actor::User(user) if user.platform_admin)
    }

    /// The highest role this actor has in `organisation_id` (platform administrators and the
    /// system count as beheerder everywhere).
    pub fn role_in(&self, organisation_id: &str) -> Option<Role> {
        match self {
            Actor::System => Some(Role::Beheerder),
            Actor::User(user) if user.platform_admin => Some(Role::Beheerder),
            Actor::User(user) => user.role_in(organisation_id),
            Actor::Token(token) if token.organisation_id == organisation_id => Some(token.role),
            Actor::Token(_) | Actor::Anonymous => None,
        }
    }
}

/// Whether `actor` may perform `action` in `module` for `organisation_id`: `Ok(())`, or
/// [`CoreError::Unauthenticated`] for an anonymous actor, or [`CoreError::Forbidden`].
pub fn check(actor: &Actor, module: &str, action: Action, organisation_id: &str) -> CoreResult<()> {
    let allowed = match actor {
        Actor::Anonymous => return Err(CoreError::Unauthenticated),
        Actor::System => true,
        Actor::User(user) if user.platform_admin => true,
        Actor::User(user) => user
            .role_in(organisation_id)
            .is_some_and(|role| role >= action.minimum_role()),
        Actor::Token(token) => {
            token.organisation_id == organisation_id
                && token.modules.iter().any(|m| m == module)
                && token.role >= action.minimum_role()
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

/// [`check`] as a yes/no, for showing or hiding buttons (the handler still calls [`check`]).
pub fn can(actor: &Actor, module: &str, action: Action, organisation_id: &str) -> bool {
    check(actor, module, action, organisation_id).is_ok()
}

/// Platform-wide administration (all users, all organisations): platform administrators and
/// the system only. API tokens never qualify, whoever created them.
pub fn require_platform_admin(actor: &Actor) -> CoreResult<()> {
    match actor {
        Actor::Anonymous => Err(CoreError::Unauthenticated),
        Actor::System => Ok(()),
        Actor::User(user) if user.platform_admin => Ok(()),
        Actor::User(_) | Actor::Token(_) => Err(CoreError::Forbidden),
    }
}

/// Any logged-in user or token (for pages that show only the actor's own data).
pub fn require_authenticated(actor: &Actor) -> CoreResult<()> {
    match actor {
        Actor::Anonymous => Err(CoreError::Unauthenticated),
        _ => Ok(()),
    }
}

/// Whether `actor` may give someone `role` in `organisation_id`: they must manage the
/// organisation, and nobody hands out more than they have.
pub fn check_grant(actor: &Actor, organisation_id: &str, role: Role) -> CoreResult<()> {
    check(actor, CORE_MODULE, Action::Manage, organisation_id)?;
    match actor.role_in(organisation_id) {
        Some(own) if own >= role => Ok(()),
        _ => Err(CoreError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: &str = "gent";
    const OTHER: &str = "aalst";

    fn member(role: Role) -> Actor {
        Actor::User(UserActor {
            user_id: "u1".into(),
            platform_admin: false,
            memberships: vec![OrgRole {
                organisation_id: ORG.into(),
                role,
            }],
        })
    }

    fn token(role: Role, modules: &[&str]) -> Actor {
        Actor::Token(TokenActor {
            token_id: "t1".into(),
            user_id: "u1".into(),
            organisation_id: ORG.into(),
            modules: modules.iter().map(|m| m.to_string()).collect(),
            role,
        })
    }

    /// The full matrix: which role may do which action, in its own organisation.
    #[test]
    fn role_matrix_in_own_organisation() {
        use Action::*;
        let expected: [(Role, [bool; 4]); 4] = [
            (Role::Lezer, [true, false, false, false]),
            (Role::Lid, [true, true, false, false]),
            (Role::Redacteur, [true, true, true, false]),
            (Role::Beheerder, [true, true, true, true]),
        ];
        for (role, allowed) in expected {
            let actor = member(role);
            for (action, want) in [Read, Participate, Edit, Manage].into_iter().zip(allowed) {
                let got = check(&actor, "plan", action, ORG);
                assert_eq!(got.is_ok(), want, "{role} {action:?}");
                if !want {
                    assert!(
                        matches!(got, Err(CoreError::Forbidden)),
                        "{role} {action:?}"
                    );
                }
                assert_eq!(can(&actor, "plan", action, ORG), want);
            }
        }
    }

    #[test]
    fn roles_do_not_reach_other_organisations() {
        for role in Role::ALL {
            for action in Action::ALL {
                assert!(
                    matches!(
                        check(&member(role), "plan", action, OTHER),
                        Err(CoreError::Forbidden)
                    ),
                    "{role} {action:?} in another organisation"
                );
            }
        }
    }

    #[test]
    fn platform_admin_and_system_may_do_everything() {
        let admin = Actor::User(UserActor {
            user_id: "admin".into(),
            platform_admin: true,
            memberships: Vec::new(),
        });
        for action in Action::ALL {
            assert!(check(&admin, "plan", action, OTHER).is_ok());
            assert!(check(&Actor::System, "kennisbank", action, ORG).is_ok());
        }
        assert!(require_platform_admin(&admin).is_ok());
        assert!(require_platform_admin(&Actor::System).is_ok());
        assert!(matches!(
            require_platform_admin(&member(Role::Beheerder)),
            Err(CoreError::Forbidden)
        ));
    }

    #[test]
    fn anonymous_must_log_in() {
        for action in Action::ALL {
            assert!(matches!(
                check(&Actor::Anonymous, "plan", action, ORG),
                Err(CoreError::Unauthenticated)
            ));
        }
        assert!(matches!(
            require_platform_admin(&Actor::Anonymous),
            Err(CoreError::Unauthenticated)
        ));
        assert!(require_authenticated(&Actor::Anonymous).is_err());
        assert!(require_authenticated(&member(Role::Lezer)).is_ok());
    }

    #[test]
    fn tokens_stay_within_organisation_modules_and_role() {
        let t = token(Role::Redacteur, &["plan"]);
        assert!(check(&t, "plan", Action::Read, ORG).is_ok());
        assert!(check(&t, "plan", Action::Edit, ORG).is_ok());
        // Not above its role.
        assert!(matches!(
            check(&t, "plan", Action::Manage, ORG),
            Err(CoreError::Forbidden)
        ));
        // Not outside its modules.
        assert!(matches!(
            check(&t, "kennisbank", Action::Read, ORG),
            Err(CoreError::Forbidden)
        ));
        assert!(matches!(
            check(&t, CORE_MODULE, Action::Read, ORG),
            Err(CoreError::Forbidden)
        ));
        // Not outside its organisation.
        assert!(matches!(
            check(&t, "plan", Action::Read, OTHER),
            Err(CoreError::Forbidden)
        ));
        // Never a platform administrator, even with the highest role.
        let strongest = token(Role::Beheerder, &["plan", CORE_MODULE]);
        assert!(matches!(
            require_platform_admin(&strongest),
            Err(CoreError::Forbidden)
        ));
        assert!(!strongest.is_platform_admin());
    }

    #[test]
    fn granting_roles() {
        assert!(check_grant(&member(Role::Beheerder), ORG, Role::Beheerder).is_ok());
        assert!(check_grant(&member(Role::Beheerder), OTHER, Role::Lezer).is_err());
        for role in [Role::Lezer, Role::Lid, Role::Redacteur] {
            assert!(matches!(
                check_grant(&member(role), ORG, Role::Lezer),
                Err(CoreError::Forbidden)
            ));
        }
        // A beheerder token with the core scope may manage, but never beyond beheerder.
        assert!(check_grant(&token(Role::Beheerder, &[CORE_MODULE]), ORG, Role::Lid).is_ok());
        assert!(check_grant(&token(Role::Beheerder, &["plan"]), ORG, Role::Lid).is_err());
    }

    #[test]
    fn audit_actor_names_user_and_token() {
        assert_eq!(member(Role::Lid).audit_actor(), AuditActor::user("u1"));
        let via_token = token(Role::Lid, &["plan"]).audit_actor();
        assert_eq!(via_token.user_id.as_deref(), Some("u1"));
        assert_eq!(via_token.token_id.as_deref(), Some("t1"));
        assert_eq!(Actor::System.audit_actor(), AuditActor::system());
    }
}
