//! Who may do what in the werkgroepen module, on top of the core's policy
//! (`steden_core::policy`), which decides every role question (design §3.3).
//!
//! - **Staff** are redacteurs (or higher) of the Kenniscentrum for the module `werkgroepen`:
//!   they may do everything on every group and event (the team covers for one another);
//!   **managers** (beheerder of the Kenniscentrum) may also archive and delete groups.
//! - What a person may do *in a group* follows from their standing in it ([`Standing`]): an
//!   active membership and its role, or being one of its named facilitators. Those facts are
//!   the module's own tables, read per request, as the Kennisbank's `Reader` reads the core's
//!   working groups for its `werkgroep` rule.
//! - Asking to join takes `Participate` (role `lid`) in the organisation one represents.

use steden_core::error::CoreResult;
use steden_core::policy::{self, Action, Actor};
use steden_core::CoreError;
use steden_db::Db;

use crate::model::{MemberRole, Visibility};

/// The module's name in the policy and in API token scopes.
pub const MODULE: &str = "werkgroepen";

/// The slug of the organisation whose staff run the groups (seeded by the core).
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

/// Whether `actor` is staff: redacteur or higher of the Kenniscentrum.
pub fn is_staff(actor: &Actor, kenniscentrum_id: &str) -> bool {
    policy::can(actor, MODULE, Action::Edit, kenniscentrum_id)
}

/// `Ok(())` for staff; otherwise forbidden (or unauthenticated for the anonymous).
pub fn require_staff(actor: &Actor, kenniscentrum_id: &str) -> CoreResult<()> {
    policy::check(actor, MODULE, Action::Edit, kenniscentrum_id)
}

/// Whether `actor` may archive or delete groups and change the retention setting.
pub fn is_manager(actor: &Actor, kenniscentrum_id: &str) -> bool {
    policy::can(actor, MODULE, Action::Manage, kenniscentrum_id)
}

/// For the menu: whether `actor` is staff (the check of the staff pages).
pub fn may_open_staff_pages<'a>(
    db: &'a Db,
    actor: &'a Actor,
) -> futures::future::BoxFuture<'a, bool> {
    Box::pin(async move {
        match kenniscentrum_id(db).await {
            Ok(id) => is_staff(actor, &id),
            Err(_) => false,
        }
    })
}

/// Whether `actor` may ask to join a group on behalf of `organisation_id` (a city or partner):
/// role `lid` or higher there.
pub fn can_ask_to_join(actor: &Actor, organisation_id: &str) -> bool {
    policy::can(actor, MODULE, Action::Participate, organisation_id)
}

/// What the module knows about one person in one group: read from `wg_memberships` and
/// `wg_facilitators` per request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupFacts {
    /// The role of their `actief` membership, if any.
    pub active_role: Option<MemberRole>,
    /// The organisation that membership represents.
    pub represents: Option<String>,
    /// Whether they are one of the group's named facilitators.
    pub facilitator: bool,
}

/// A person's standing in one group: the facts and the policy's answers, decided once per
/// request so that a page's links and its handlers agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub staff: bool,
    pub facts: GroupFacts,
    /// `Participate` in the organisation the membership represents (a member whose role in
    /// their city was lowered to lezer keeps reading but no longer proposes).
    participates: bool,
}

impl Standing {
    pub fn of(actor: &Actor, kenniscentrum_id: &str, facts: GroupFacts) -> Standing {
        let participates = facts
            .represents
            .as_deref()
            .is_some_and(|org| policy::can(actor, MODULE, Action::Participate, org));
        Standing {
            staff: is_staff(actor, kenniscentrum_id),
            participates,
            facts,
        }
    }

    /// Runs the group: staff or a named facilitator (who is staff in practice, but the rule
    /// does not lean on it).
    pub fn facilitates(&self) -> bool {
        self.staff || self.facts.facilitator
    }

    /// An active member other than a guest (the core's access list).
    pub fn is_member(&self) -> bool {
        self.facts
            .active_role
            .is_some_and(MemberRole::opens_documents)
    }

    /// The group's own pages (members, meetings, documents, action points). A public group's
    /// description page is open to everyone and needs no check.
    pub fn can_read_group(&self) -> bool {
        self.facilitates() || self.is_member()
    }

    /// Members' e-mail addresses (design point 8: members, facilitators and staff only).
    pub fn can_see_contacts(&self) -> bool {
        self.can_read_group()
    }

    /// Propose agenda items, comment on minutes: `lid` or `voorzitter` who still participates
    /// for their organisation; facilitators always.
    pub fn can_contribute(&self) -> bool {
        self.facilitates()
            || (self.participates
                && matches!(
                    self.facts.active_role,
                    Some(MemberRole::Lid | MemberRole::Voorzitter)
                ))
    }

    /// Order, merge and decline agenda items and write minutes: facilitators and the
    /// voorzitter (who neither approves minutes nor decides on memberships).
    pub fn can_chair(&self) -> bool {
        self.facilitates() || self.facts.active_role == Some(MemberRole::Voorzitter)
    }

    /// Decide on join requests, approve minutes, change the group's settings.
    pub fn can_manage_group(&self) -> bool {
        self.facilitates()
    }
}

/// Whether a group's public page may be shown to `standing`: everyone for a public group,
/// otherwise those who may read the group.
pub fn can_see_profile(visibility: Visibility, standing: &Standing) -> bool {
    visibility == Visibility::Publiek || standing.can_read_group()
}

/// Who may organise an event (edit it, see its participants, record attendance, export):
/// staff, or the person named its organiser (design §3.1).
pub fn may_organise_event(
    actor: &Actor,
    kenniscentrum_id: &str,
    organiser_id: Option<&str>,
) -> bool {
    is_staff(actor, kenniscentrum_id)
        || matches!((actor.user_id(), organiser_id), (Some(user), Some(organiser)) if user == organiser)
}

/// Whether `actor` may register for an event open to members (`leden`): role `lid` or higher
/// in any organisation they belong to (an API token: in the organisation it acts for).
pub fn may_register_as_member(actor: &Actor) -> bool {
    match actor {
        Actor::Token(token) => {
            policy::can(actor, MODULE, Action::Participate, &token.organisation_id)
        }
        Actor::User(user) => user.memberships.iter().any(|membership| {
            policy::can(
                actor,
                MODULE,
                Action::Participate,
                &membership.organisation_id,
            )
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use steden_core::policy::{OrgRole, UserActor};
    use steden_core::role::Role;

    use super::*;

    const KC: &str = "kc";
    const GENT: &str = "gent";

    fn user(roles: &[(&str, Role)]) -> Actor {
        Actor::User(UserActor {
            user_id: "u".into(),
            platform_admin: false,
            memberships: roles
                .iter()
                .map(|(org, role)| OrgRole {
                    organisation_id: (*org).into(),
                    role: *role,
                })
                .collect(),
        })
    }

    fn member(role: MemberRole) -> GroupFacts {
        GroupFacts {
            active_role: Some(role),
            represents: Some(GENT.into()),
            facilitator: false,
        }
    }

    #[test]
    fn staff_is_a_redacteur_of_the_kenniscentrum() {
        assert!(is_staff(&user(&[(KC, Role::Redacteur)]), KC));
        assert!(!is_staff(&user(&[(KC, Role::Lid)]), KC));
        assert!(!is_staff(&user(&[(GENT, Role::Beheerder)]), KC));
        assert!(!is_staff(&Actor::Anonymous, KC));
        assert!(is_manager(&user(&[(KC, Role::Beheerder)]), KC));
        assert!(!is_manager(&user(&[(KC, Role::Redacteur)]), KC));
    }

    #[test]
    fn a_member_contributes_while_they_participate_for_their_city() {
        let lid = user(&[(GENT, Role::Lid)]);
        let standing = Standing::of(&lid, KC, member(MemberRole::Lid));
        assert!(standing.can_read_group() && standing.can_contribute());
        assert!(!standing.can_chair() && !standing.can_manage_group());

        // Lowered to lezer in Gent: still reads, no longer proposes.
        let lezer = user(&[(GENT, Role::Lezer)]);
        let standing = Standing::of(&lezer, KC, member(MemberRole::Lid));
        assert!(standing.can_read_group() && !standing.can_contribute());
    }

    #[test]
    fn roles_in_the_group_grant_what_the_design_says() {
        let lid = user(&[(GENT, Role::Lid)]);
        let observer = Standing::of(&lid, KC, member(MemberRole::Waarnemer));
        assert!(observer.can_read_group() && !observer.can_contribute());
        let guest = Standing::of(&lid, KC, member(MemberRole::Gast));
        assert!(!guest.can_read_group() && !guest.can_see_contacts());
        let chair = Standing::of(&lid, KC, member(MemberRole::Voorzitter));
        assert!(chair.can_chair() && !chair.can_manage_group());
        let former = Standing::of(&lid, KC, GroupFacts::default());
        assert!(!former.can_read_group());
        assert!(can_see_profile(Visibility::Publiek, &former));
        assert!(!can_see_profile(Visibility::Verborgen, &former));
        let staff = Standing::of(&user(&[(KC, Role::Redacteur)]), KC, GroupFacts::default());
        assert!(staff.can_manage_group() && staff.can_see_contacts());
        assert!(can_ask_to_join(&lid, GENT));
        assert!(!can_ask_to_join(&user(&[(GENT, Role::Lezer)]), GENT));
    }
}
