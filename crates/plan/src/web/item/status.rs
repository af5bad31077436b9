//! A parent's status on the item's pages: the form's choice between the status derived from the
//! children and one set by hand, and the way back to the derived status from the item page.

use super::*;
use crate::store::items::STATUS_DERIVED;

/// The status choices of the item form: for an item with children first "derived from the
/// children (now: …)", then the statuses to set by hand.
pub(super) async fn form_choices(
    ctx: &PageContext,
    item: Option<&Item>,
    current: &str,
) -> Result<Vec<Choice>, AppError> {
    let mut choices = item_status_choices(ctx, current);
    if let Some(parent) = item.filter(|i| !i.is_leaf()) {
        let derived = store::rollup::derived_status(ctx.state().db().pool(), &parent.id)
            .await?
            .unwrap_or(parent.status);
        let label = ctx.t_with(
            "plan-status-derived-choice",
            &[("status", ctx.t(&derived.label_key()).as_str())],
        );
        choices.insert(
            0,
            Choice::new(STATUS_DERIVED, label, current == STATUS_DERIVED),
        );
    }
    Ok(choices)
}

/// What the children say the status of a parent with a hand-set status would be, for the item
/// page (`None` when the status is not hand-set).
pub(super) async fn derived_if_manual(
    ctx: &PageContext,
    item: &Item,
) -> Result<Option<ItemStatus>, AppError> {
    if !item.status_is_manual() {
        return Ok(None);
    }
    Ok(store::rollup::derived_status(ctx.state().db().pool(), &item.id).await?)
}

/// POST …/status-afleiden: back to the status derived from the children (for those who may
/// report on the item, as they may set it by hand).
pub(super) async fn derive_again(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (actor, plan, item) = load::item(&ctx, &id, &item_id).await?;
    access::require_report(&actor, &plan, &item)?;
    let mut tx = ctx.state().db().begin().await?;
    store::items::derive_again(&mut tx, &item.id, &audit_actor(&ctx)?).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("plan-status-derived-done")),
        &load::item_path(&plan.id, &item.id),
    ))
}
