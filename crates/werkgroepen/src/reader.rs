//! One group as one reader may see it: the profile with the reader's [`Standing`] in it, or
//! nothing when the reader may not know the group exists (a hidden group for an outsider, an
//! archived group for anyone but those who run it). The pages and the API load groups here, so
//! they answer the same.

use steden_core::error::CoreResult;
use steden_core::policy::Actor;
use steden_db::Db;

use crate::access::{self, GroupFacts, Standing};
use crate::store::groups::{self, Profile};
use crate::store::memberships;

/// A group and the reader's standing in it.
#[derive(Debug, Clone)]
pub struct GroupView {
    pub profile: Profile,
    pub standing: Standing,
    pub kenniscentrum_id: String,
}

/// The reader's standing in `profile`'s group.
pub async fn standing(db: &Db, actor: &Actor, profile: &Profile) -> CoreResult<(Standing, String)> {
    let kenniscentrum_id = access::kenniscentrum_id(db).await?;
    let standing = standing_with(db, actor, profile, &kenniscentrum_id).await?;
    Ok((standing, kenniscentrum_id))
}

/// As [`standing`], with the Kenniscentrum's id already known (a list asks it once).
async fn standing_with(
    db: &Db,
    actor: &Actor,
    profile: &Profile,
    kenniscentrum_id: &str,
) -> CoreResult<Standing> {
    let facts = match actor.user_id() {
        Some(user_id) => {
            let mut conn = db.pool().acquire().await?;
            memberships::facts(&mut conn, &profile.group_id, user_id).await?
        }
        None => GroupFacts::default(),
    };
    Ok(Standing::of(actor, kenniscentrum_id, facts))
}

/// Whether the reader may know the group: its profile is public, or they may read the group;
/// an archived group only for those who run it.
pub fn visible(profile: &Profile, standing: &Standing) -> bool {
    if profile.archived_at.is_some() {
        return standing.facilitates();
    }
    access::can_see_profile(profile.visibility, standing)
}

/// The group with slug `slug` as `actor` sees it; `None` when it does not exist or is not
/// theirs to see (answered alike, so an outsider cannot probe hidden groups).
pub async fn find(db: &Db, actor: &Actor, slug: &str) -> CoreResult<Option<GroupView>> {
    let mut conn = db.pool().acquire().await?;
    let Some(profile) = groups::find_by_slug(&mut conn, slug).await? else {
        return Ok(None);
    };
    drop(conn);
    let (standing, kenniscentrum_id) = standing(db, actor, &profile).await?;
    if !visible(&profile, &standing) {
        return Ok(None);
    }
    Ok(Some(GroupView {
        profile,
        standing,
        kenniscentrum_id,
    }))
}

/// The groups `actor` may see, by name.
pub async fn list(db: &Db, actor: &Actor) -> CoreResult<Vec<GroupView>> {
    let mut conn = db.pool().acquire().await?;
    let profiles = groups::list_profiles(&mut conn).await?;
    drop(conn);
    let kenniscentrum_id = access::kenniscentrum_id(db).await?;
    let mut views = Vec::new();
    for profile in profiles {
        let standing = standing_with(db, actor, &profile, &kenniscentrum_id).await?;
        if visible(&profile, &standing) {
            views.push(GroupView {
                profile,
                standing,
                kenniscentrum_id: kenniscentrum_id.clone(),
            });
        }
    }
    Ok(views)
}

/// An active member as a reader sees them: the e-mail address only when the reader may see
/// contacts (active members, facilitators and staff, design point 8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberView {
    pub user_id: String,
    pub name: String,
    pub role: crate::model::MemberRole,
    pub organisation: Option<String>,
    pub email: Option<String>,
    pub joined_at: Option<i64>,
}

/// The group's active members, by name, with e-mail addresses for those who may see them.
pub async fn members(db: &Db, view: &GroupView) -> CoreResult<Vec<MemberView>> {
    let active = memberships::list_with_status(
        db.pool(),
        &view.profile.group_id,
        crate::model::MemberStatus::Actief,
    )
    .await?;
    let contacts = view.standing.can_see_contacts();
    let mut members = Vec::with_capacity(active.len());
    for membership in active {
        let email = if contacts {
            Some(
                steden_core::user::get(db.pool(), &membership.user_id)
                    .await?
                    .email,
            )
        } else {
            None
        };
        members.push(MemberView {
            user_id: membership.user_id,
            name: membership.person_name,
            role: membership.role,
            organisation: membership.organisation_name,
            email,
            joined_at: membership.joined_at,
        });
    }
    Ok(members)
}

/// The organisations (cities, partners) the active members represent, by name, each once.
pub fn participating(members: &[MemberView]) -> Vec<String> {
    let names: std::collections::BTreeSet<String> = members
        .iter()
        .filter_map(|member| member.organisation.clone())
        .collect();
    names.into_iter().collect()
}
