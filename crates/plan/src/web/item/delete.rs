//! Deleting an item (with a confirmation page).

use super::*;

// ---------------------------------------------------------------------------------------------
// Delete

#[derive(Template)]
#[template(path = "plan/item/delete.html")]
struct DeletePage {
    ctx: PageContext,
    plan: Plan,
    item: Item,
}

pub(super) async fn delete_form(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, item) = editor_item(&ctx, &id, &item_id).await?;
    let (ctx, _) = item_crumbs(ctx, &plan, &item, true).await?;
    let title = ctx.t("plan-delete-title");
    render(&DeletePage {
        ctx: ctx.titled(title),
        plan,
        item,
    })
}

pub(super) async fn delete(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, item) = editor_item(&ctx, &id, &item_id).await?;
    let db = ctx.state().db();
    let mut tx = db.begin().await?;
    store::items::delete(&mut tx, &item.id, &audit_actor(&ctx)?).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t_with("plan-delete-done", &[("code", item.code.as_str())])),
        &parent_page(&plan, &item),
    ))
}
