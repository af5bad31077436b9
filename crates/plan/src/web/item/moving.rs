//! Moving an item under another parent, and reordering it among its siblings.

use super::*;

// ---------------------------------------------------------------------------------------------
// Move and reorder

/// What an editor chose in the move form: a new parent ("" = top level) and a position
/// (1-based; empty = last).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct MoveForm {
    parent_id: String,
    position: String,
}

#[derive(Template)]
#[template(path = "plan/item/move.html")]
struct MovePage {
    ctx: PageContext,
    plan: Plan,
    item: Item,
    parents: Vec<Choice>,
    /// The top level is allowed (the subtree fits).
    top_allowed: bool,
    top_selected: bool,
    form: MoveForm,
    errors: FormErrors,
}

/// The items the item may move under: not itself or its descendants, and deep enough for its
/// subtree to fit in the plan's levels.
async fn eligible_parents(
    ctx: &PageContext,
    plan: &Plan,
    item: &Item,
    current: &str,
) -> Result<(Vec<Choice>, bool), AppError> {
    let all = store::items::list_for_plan(ctx.state().db().pool(), &plan.id).await?;
    let mut subtree: Vec<&str> = vec![item.id.as_str()];
    let mut deepest = item.level;
    let mut index = 0;
    while index < subtree.len() {
        let parent = subtree[index];
        for child in all
            .iter()
            .filter(|i| i.parent_id.as_deref() == Some(parent))
        {
            deepest = deepest.max(child.level);
            subtree.push(child.id.as_str());
        }
        index += 1;
    }
    let levels = plan.levels.len() as i64;
    // Under a parent, the item keeps its level if it is deeper than the parent's, else it and
    // its subtree go down as far as needed (see `store::items::move_to`).
    let fits = |parent: &Item| deepest + (parent.level + 1 - item.level).max(0) < levels;
    let choices = all
        .iter()
        .filter(|i| !subtree.contains(&i.id.as_str()) && fits(i))
        .map(|i| Choice {
            value: i.id.clone(),
            label: format!("{} {} ({})", i.code, i.title, plan.level_name(i.level)),
            selected: i.id == current,
        })
        .collect();
    // At the top every level may stand, so the subtree keeps its levels.
    Ok((choices, deepest < levels))
}

async fn move_page(
    ctx: PageContext,
    plan: Plan,
    item: Item,
    form: MoveForm,
    errors: FormErrors,
) -> Result<MovePage, AppError> {
    let (parents, top_allowed) = eligible_parents(&ctx, &plan, &item, &form.parent_id).await?;
    let (ctx, _) = item_crumbs(ctx, &plan, &item, true).await?;
    let title = ctx.t("plan-move-title");
    Ok(MovePage {
        ctx: ctx.titled(title),
        top_selected: form.parent_id.is_empty(),
        parents,
        top_allowed,
        form,
        errors,
        plan,
        item,
    })
}

pub(super) async fn move_form(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, item) = editor_item(&ctx, &id, &item_id).await?;
    let form = MoveForm {
        parent_id: item.parent_id.clone().unwrap_or_default(),
        position: (item.position + 1).to_string(),
    };
    render(&move_page(ctx, plan, item, form, FormErrors::none()).await?)
}

pub(super) async fn move_item(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    let (plan, item) = editor_item(&ctx, &id, &item_id).await?;
    let position = match form.position.trim() {
        "" => Ok(None),
        text => match text.parse::<i64>() {
            Ok(p) if p >= 1 => Ok(Some(p - 1)),
            _ => Err(CoreError::invalid(
                "position",
                "De plaats is een geheel getal vanaf 1.",
            )),
        },
    };
    let mut tx = ctx.state().db().begin().await?;
    let result = match position {
        Ok(position) => {
            let destination = Destination {
                parent_id: Some(form.parent_id.trim().to_string()).filter(|p| !p.is_empty()),
                position,
            };
            store::items::move_to(&mut tx, &item.id, &destination, &audit_actor(&ctx)?)
                .await
                // A parent that is not in this plan is the form's to correct, not a 404.
                .map_err(|err| match err {
                    CoreError::NotFound(_) => {
                        CoreError::invalid("parent_id", "Kies een item van dit plan.")
                    }
                    other => other,
                })
        }
        Err(err) => Err(err),
    };
    match form::settle(tx, result).await? {
        Ok(moved) => Ok(flash::redirect_with(
            Flash::success(ctx.t("plan-move-done")),
            &load::item_path(&plan.id, &moved.id),
        )),
        Err(errors) => form::invalid(&move_page(ctx, plan, item, form, errors).await?),
    }
}

async fn shift(ctx: PageContext, id: &str, item_id: &str, up: bool) -> Result<Response, AppError> {
    let (plan, item) = editor_item(&ctx, id, item_id).await?;
    let position = if up {
        (item.position - 1).max(0)
    } else {
        item.position + 1
    };
    let destination = Destination {
        parent_id: item.parent_id.clone(),
        position: Some(position),
    };
    let mut tx = ctx.state().db().begin().await?;
    store::items::move_to(&mut tx, &item.id, &destination, &audit_actor(&ctx)?).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("plan-move-done")),
        &parent_page(&plan, &item),
    ))
}

pub(super) async fn move_up(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    shift(ctx, &id, &item_id, true).await
}

pub(super) async fn move_down(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    shift(ctx, &id, &item_id, false).await
}
