//! Loading a plan or an item for a page, with the permission check first. A plan the user may
//! not read is "not found" to users outside its organisation, so that its existence does not
//! leak; the API does the same.

use steden_core::policy::Actor;
use steden_web::page::PageContext;
use steden_web::AppError;

pub use crate::paths::{item_path, plan_path};

use crate::access;
use crate::model::{Item, Plan};
use crate::store;

/// The plan, for a logged-in user who may read it.
pub async fn plan(ctx: &PageContext, plan_id: &str) -> Result<(Actor, Plan), AppError> {
    let user = ctx.require_user()?;
    let actor = user.actor();
    let plan = store::plans::find(ctx.state().db().pool(), plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !access::can_read(&actor, &plan) {
        return Err(AppError::NotFound);
    }
    Ok((actor, plan))
}

/// Whether the logged-in user may edit `plan` ([`plan_for_editor`]'s check), for showing
/// links to editors' pages only to editors.
pub fn may_edit(ctx: &PageContext, plan: &Plan) -> bool {
    ctx.user
        .as_ref()
        .is_some_and(|user| access::can_edit(&user.actor(), plan))
}

/// The plan, for a user who may edit it (403 for readers, 404 for others).
pub async fn plan_for_editor(ctx: &PageContext, plan_id: &str) -> Result<(Actor, Plan), AppError> {
    let (actor, plan) = plan(ctx, plan_id).await?;
    access::require_edit(&actor, &plan)?;
    Ok((actor, plan))
}

/// An item of the plan, for a user who may read the plan.
pub async fn item(
    ctx: &PageContext,
    plan_id: &str,
    item_id: &str,
) -> Result<(Actor, Plan, Item), AppError> {
    let (actor, plan) = plan(ctx, plan_id).await?;
    let item = store::items::find(ctx.state().db().pool(), item_id)
        .await?
        .filter(|i| i.plan_id == plan.id)
        .ok_or(AppError::NotFound)?;
    Ok((actor, plan, item))
}

/// An item, for a user who may edit its plan (403 for readers, 404 for others).
pub async fn item_for_editor(
    ctx: &PageContext,
    plan_id: &str,
    item_id: &str,
) -> Result<(Actor, Plan, Item), AppError> {
    let (actor, plan, item) = item(ctx, plan_id, item_id).await?;
    access::require_edit(&actor, &plan)?;
    Ok((actor, plan, item))
}

/// An item, for a user who may report on it: editors, and its owner (403 for readers and
/// other members).
pub async fn item_for_reporter(
    ctx: &PageContext,
    plan_id: &str,
    item_id: &str,
) -> Result<(Actor, Plan, Item), AppError> {
    let (actor, plan, item) = item(ctx, plan_id, item_id).await?;
    access::require_report(&actor, &plan, &item)?;
    Ok((actor, plan, item))
}
