//! Deleting an item: the shell's confirm-and-delete flow, with the question inside the plan's
//! own page (its tabs), and [`delete::finish`] to end the deletion.

use steden_web::delete::{self, ConfirmDelete};

use super::*;

// ---------------------------------------------------------------------------------------------
// Delete

#[derive(Template)]
#[template(path = "plan/item/delete.html")]
struct DeletePage {
    ctx: PageContext,
    plan: Plan,
    item: Item,
    confirm: ConfirmDelete,
}

pub(super) async fn delete_form(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, item) = editor_item(&ctx, &id, &item_id).await?;
    let (ctx, _) = item_crumbs(ctx, &plan, &item, true).await?;
    let title = ctx.t("plan-delete-title");
    let mut consequences = Vec::new();
    if !item.is_leaf() {
        consequences.push(ctx.t("plan-delete-subtree"));
    }
    consequences.push(ctx.t("plan-delete-history"));
    let confirm = ConfirmDelete {
        question: ctx.t_with("plan-delete-question", &[("code", item.code.as_str())]),
        consequences,
        action: paths::item_delete_path(&plan.id, &item.id),
        cancel_href: paths::item_path(&plan.id, &item.id),
        confirm_label: ctx.t("plan-delete-confirm"),
        ..ConfirmDelete::default()
    };
    render(&DeletePage {
        ctx: ctx.titled(title),
        plan,
        item,
        confirm,
    })
}

pub(super) async fn delete(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, item) = editor_item(&ctx, &id, &item_id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = store::items::delete(&mut tx, &item.id, &audit_actor(&ctx)?).await;
    let done = Flash::success(ctx.t_with("plan-delete-done", &[("code", item.code.as_str())]));
    delete::finish(tx, result, done, &parent_page(&plan, &item)).await
}
