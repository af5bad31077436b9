//! Who may do what with a plan, on top of the core's policy (`steden_core::policy`), which
//! decides every role question. The plan module adds one rule of its own: the owner of an item
//! may report on it (status, progress, indicator values, kwesties) with the role *lid*, where
//! changing the plan itself takes *redacteur*.
//!
//! - read a plan: any role in its organisation (lezer and up), or the public page when the plan
//!   is published;
//! - edit a plan (its items, structure, indicators, rounds, releases, publication): redacteur;
//! - report on an item: redacteur, or the item's owner with the role lid.

use steden_core::error::CoreResult;
use steden_core::policy::{self, Action, Actor};
use steden_core::CoreError;

use crate::model::{Item, Plan};

/// The module's name in the policy and in API token scopes.
pub const MODULE: &str = "plan";

pub fn can_read(actor: &Actor, plan: &Plan) -> bool {
    policy::can(actor, MODULE, Action::Read, &plan.organisation_id)
}

pub fn require_read(actor: &Actor, plan: &Plan) -> CoreResult<()> {
    policy::check(actor, MODULE, Action::Read, &plan.organisation_id)
}

pub fn can_edit(actor: &Actor, plan: &Plan) -> bool {
    policy::can(actor, MODULE, Action::Edit, &plan.organisation_id)
}

pub fn require_edit(actor: &Actor, plan: &Plan) -> CoreResult<()> {
    policy::check(actor, MODULE, Action::Edit, &plan.organisation_id)
}

/// Whether `actor` owns `item` (as a user; API tokens act for their creator).
pub fn owns(actor: &Actor, item: &Item) -> bool {
    match (actor.user_id(), item.owner_user_id.as_deref()) {
        (Some(user), Some(owner)) => user == owner,
        _ => false,
    }
}

/// Editors, and owners who participate in the plan's organisation.
pub fn can_report(actor: &Actor, plan: &Plan, item: &Item) -> bool {
    can_edit(actor, plan)
        || (owns(actor, item)
            && policy::can(actor, MODULE, Action::Participate, &plan.organisation_id))
}

pub fn require_report(actor: &Actor, plan: &Plan, item: &Item) -> CoreResult<()> {
    if can_report(actor, plan, item) {
        Ok(())
    } else {
        // Say "forbidden" only to those who may see the plan at all.
        require_read(actor, plan)?;
        Err(CoreError::Forbidden)
    }
}
