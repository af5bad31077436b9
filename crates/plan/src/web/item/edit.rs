//! The new and edit forms of an item.

use super::*;

// ---------------------------------------------------------------------------------------------
// The item form (change, add)

/// What an editor typed in the item form.
#[derive(Debug, Default)]
struct ItemForm {
    code: String,
    title: String,
    description: String,
    owner_user_id: String,
    owner_name: String,
    responsible_service: String,
    partners: String,
    start_date: String,
    end_date: String,
    prioritair: bool,
    beleidsveld: String,
    themes: Vec<String>,
    themes_other: String,
    status: String,
    progress: String,
    weight: String,
    internal_code: String,
    comment: String,
    /// For a new item: the chosen level's index ('' = the level below the parent's).
    level: String,
}

/// Splits a comma-separated field into its trimmed, non-empty parts.
fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn is_sdg(code: &str) -> bool {
    code.strip_prefix("sdg-")
        .and_then(|n| n.parse::<usize>().ok())
        .is_some_and(|n| (1..=SDGS.len()).contains(&n))
}

impl ItemForm {
    /// Read by hand: the theme checkboxes repeat their name.
    fn read(fields: Vec<(String, String)>) -> ItemForm {
        let mut form = ItemForm::default();
        for (key, value) in fields {
            match key.as_str() {
                "code" => form.code = value,
                "title" => form.title = value,
                "description" => form.description = value,
                "owner_user_id" => form.owner_user_id = value,
                "owner_name" => form.owner_name = value,
                "responsible_service" => form.responsible_service = value,
                "partners" => form.partners = value,
                "start_date" => form.start_date = value,
                "end_date" => form.end_date = value,
                "prioritair" => form.prioritair = !value.is_empty(),
                "beleidsveld" => form.beleidsveld = value,
                "themes" if is_sdg(&value) => form.themes.push(value),
                "themes_other" => form.themes_other = value,
                "status" => form.status = value,
                "progress" => form.progress = value,
                "weight" => form.weight = value,
                "internal_code" => form.internal_code = value,
                "comment" => form.comment = value,
                "level" => form.level = value,
                _ => {}
            }
        }
        form
    }

    fn from_item(item: &Item) -> ItemForm {
        let fields = ItemFields::from_item(item);
        ItemForm {
            code: fields.code,
            title: fields.title,
            description: fields.description,
            owner_user_id: fields.owner_user_id.unwrap_or_default(),
            owner_name: fields.owner_name,
            responsible_service: fields.responsible_service,
            partners: fields.partners.join(", "),
            start_date: fields.start_date,
            end_date: fields.end_date,
            prioritair: fields.prioritair,
            beleidsveld: fields.beleidsveld,
            themes: fields
                .themes
                .iter()
                .filter(|t| is_sdg(t))
                .cloned()
                .collect(),
            themes_other: fields
                .themes
                .iter()
                .filter(|t| !is_sdg(t))
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            status: fields.status,
            progress: fields.progress,
            weight: fields.weight,
            internal_code: fields.internal_code,
            comment: String::new(),
            level: String::new(),
        }
    }

    fn fields(&self) -> ItemFields {
        let mut themes = self.themes.clone();
        themes.extend(split_list(&self.themes_other));
        ItemFields {
            code: self.code.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            owner_user_id: Some(self.owner_user_id.trim().to_string()).filter(|id| !id.is_empty()),
            owner_name: self.owner_name.clone(),
            responsible_service: self.responsible_service.clone(),
            partners: split_list(&self.partners),
            start_date: self.start_date.clone(),
            end_date: self.end_date.clone(),
            prioritair: self.prioritair,
            beleidsveld: self.beleidsveld.clone(),
            themes,
            status: self.status.clone(),
            progress: self.progress.clone(),
            weight: self.weight.clone(),
            internal_code: self.internal_code.clone(),
            level: self.level.clone(),
        }
    }
}

/// A theme checkbox.
struct ThemeChoice {
    code: String,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "plan/item/form.html")]
struct ItemFormPage {
    ctx: PageContext,
    plan: Plan,
    action: String,
    cancel: String,
    /// Changing an existing item (asks for a comment on status or progress changes).
    is_edit: bool,
    /// Progress can be typed (a leaf, or a new item).
    progress_editable: bool,
    form: ItemForm,
    errors: FormErrors,
    owners: Vec<Choice>,
    statuses: Vec<Choice>,
    themes: Vec<ThemeChoice>,
    /// For a new item: the levels allowed under its parent (empty when changing an item).
    levels: Vec<Choice>,
}

/// The levels a new item may have under `parent` (any level deeper than the parent's), with
/// the form's choice (else the level right below the parent's) selected.
fn level_choices(plan: &Plan, parent: Option<&Item>, chosen: &str) -> Vec<Choice> {
    let lowest = parent.map_or(0, |p| p.level + 1);
    let chosen = store::items::resolve_level(&plan.levels, parent.map(|p| p.level), chosen)
        .unwrap_or(lowest);
    (lowest..plan.levels.len() as i64)
        .map(|level| Choice {
            value: level.to_string(),
            label: plan.level_name(level).to_string(),
            selected: level == chosen,
        })
        .collect()
}

/// The form page; `item` is the item being changed (None for a new one).
async fn form_page(
    ctx: PageContext,
    plan: Plan,
    item: Option<&Item>,
    action: String,
    cancel: String,
    form: ItemForm,
    errors: FormErrors,
) -> Result<ItemFormPage, AppError> {
    let members = membership::list_for_org(ctx.state().db().pool(), &plan.organisation_id).await?;
    let mut owners: Vec<Choice> = members
        .into_iter()
        .map(|m| Choice {
            selected: m.user_id == form.owner_user_id,
            value: m.user_id,
            label: m.name,
        })
        .collect();
    // An owner who has left the organisation stays selectable, so that saving other fields
    // does not silently take the item away from them.
    if let Some(current) = item.filter(|i| i.owner_user_id.is_some()) {
        let id = current.owner_user_id.clone().unwrap_or_default();
        if !owners.iter().any(|o| o.value == id) {
            owners.push(Choice {
                selected: id == form.owner_user_id,
                value: id,
                label: current.owner_name.clone(),
            });
        }
    }
    let themes = (1..=SDGS.len())
        .map(|n| {
            let code = format!("sdg-{n}");
            ThemeChoice {
                checked: form.themes.contains(&code),
                label: theme_label(&code),
                code,
            }
        })
        .collect();
    let statuses = super::status::form_choices(&ctx, item, &form.status).await?;
    Ok(ItemFormPage {
        statuses,
        is_edit: item.is_some(),
        progress_editable: item.is_none_or(Item::is_leaf),
        owners,
        themes,
        action,
        cancel,
        form,
        errors,
        ctx,
        plan,
        levels: Vec::new(),
    })
}

/// Checks that the chosen owner is a member of the plan's organisation.
async fn check_owner(
    ctx: &PageContext,
    plan: &Plan,
    current: Option<&Item>,
    form: &ItemForm,
) -> Result<Vec<FieldError>, AppError> {
    let owner = form.owner_user_id.trim();
    if owner.is_empty() || current.is_some_and(|i| i.owner_user_id.as_deref() == Some(owner)) {
        return Ok(Vec::new());
    }
    let members = membership::list_for_org(ctx.state().db().pool(), &plan.organisation_id).await?;
    if members.iter().any(|m| m.user_id == owner) {
        Ok(Vec::new())
    } else {
        Ok(vec![FieldError::new(
            "owner_user_id",
            "Kies een lid van de organisatie.",
        )])
    }
}

pub(super) async fn edit_form(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (actor, plan, item) = load::item(&ctx, &id, &item_id).await?;
    access::require_edit(&actor, &plan)?;
    let (ctx, _) = item_crumbs(ctx, &plan, &item, true).await?;
    let title = ctx.t("plan-item-edit-title");
    let page = form_page(
        ctx.titled(title),
        plan.clone(),
        Some(&item),
        paths::item_edit_path(&plan.id, &item.id),
        load::item_path(&plan.id, &item.id),
        ItemForm::from_item(&item),
        FormErrors::none(),
    )
    .await?;
    render(&page)
}

pub(super) async fn update(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (actor, plan, item) = load::item(&ctx, &id, &item_id).await?;
    access::require_edit(&actor, &plan)?;
    let form = ItemForm::read(fields);
    let owner_errors = check_owner(&ctx, &plan, Some(&item), &form).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = if owner_errors.is_empty() {
        store::items::update(
            &mut tx,
            &item.id,
            &form.fields(),
            &form.comment,
            &audit_actor(&ctx)?,
        )
        .await
    } else {
        Err(CoreError::Invalid(owner_errors))
    };
    match form::settle(tx, result).await? {
        Ok(updated) => Ok(flash::redirect_with(
            Flash::success(ctx.t("plan-item-saved")),
            &load::item_path(&plan.id, &updated.id),
        )),
        Err(errors) => {
            let (ctx, _) = item_crumbs(ctx, &plan, &item, true).await?;
            let title = ctx.t("plan-item-edit-title");
            let page = form_page(
                ctx.titled(title),
                plan.clone(),
                Some(&item),
                paths::item_edit_path(&plan.id, &item.id),
                load::item_path(&plan.id, &item.id),
                form,
                errors,
            )
            .await?;
            form::invalid(&page)
        }
    }
}

/// The parent of a new item (None: the top level), checked: the plan has a level below it.
async fn new_parent(
    ctx: &PageContext,
    id: &str,
    parent_id: Option<&str>,
) -> Result<(Plan, Option<Item>), AppError> {
    let (actor, plan) = load::plan_for_editor(ctx, id).await?;
    let _ = actor;
    let parent = match parent_id {
        Some(parent_id) => {
            let (_, _, parent) = load::item(ctx, id, parent_id).await?;
            if !has_level_below(&plan, &parent) {
                return Err(AppError::BadRequest(
                    "Onder dit item kunnen geen items meer: het plan heeft geen dieper niveau."
                        .to_string(),
                ));
            }
            Some(parent)
        }
        None => None,
    };
    Ok((plan, parent))
}

async fn new_page(
    ctx: PageContext,
    plan: Plan,
    parent: Option<Item>,
    form: ItemForm,
    errors: FormErrors,
) -> Result<ItemFormPage, AppError> {
    let levels = level_choices(&plan, parent.as_ref(), &form.level);
    let level = levels
        .iter()
        .find(|c| c.selected)
        .map(|c| c.label.clone())
        .unwrap_or_default();
    let title = ctx.t_with("plan-item-new-title", &[("level", level.as_str())]);
    let (ctx, action, cancel) = match &parent {
        Some(parent) => {
            let (ctx, _) = item_crumbs(ctx, &plan, parent, true).await?;
            let path = load::item_path(&plan.id, &parent.id);
            (ctx, format!("{path}/nieuw"), path)
        }
        None => (
            plan_crumbs(ctx, &plan),
            paths::new_item_path(&plan.id),
            load::plan_path(&plan.id),
        ),
    };
    let mut page = form_page(ctx.titled(title), plan, None, action, cancel, form, errors).await?;
    page.levels = levels;
    Ok(page)
}

fn blank_form() -> ItemForm {
    ItemForm {
        status: ItemStatus::NietGestart.as_str().to_string(),
        progress: "0".into(),
        weight: "1".into(),
        ..ItemForm::default()
    }
}

pub(super) async fn new_top_form(
    ctx: PageContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (plan, parent) = new_parent(&ctx, &id, None).await?;
    render(&new_page(ctx, plan, parent, blank_form(), FormErrors::none()).await?)
}

pub(super) async fn new_child_form(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, parent) = new_parent(&ctx, &id, Some(&item_id)).await?;
    render(&new_page(ctx, plan, parent, blank_form(), FormErrors::none()).await?)
}

async fn create_item(
    ctx: PageContext,
    id: &str,
    parent_id: Option<&str>,
    fields: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, parent) = new_parent(&ctx, id, parent_id).await?;
    let form = ItemForm::read(fields);
    let owner_errors = check_owner(&ctx, &plan, None, &form).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = if owner_errors.is_empty() {
        store::items::create(
            &mut tx,
            &plan.id,
            parent.as_ref().map(|p| p.id.as_str()),
            &form.fields(),
            &audit_actor(&ctx)?,
        )
        .await
    } else {
        Err(CoreError::Invalid(owner_errors))
    };
    match form::settle(tx, result).await? {
        Ok(created) => Ok(flash::redirect_with(
            Flash::success(ctx.t("plan-item-created")),
            &load::item_path(&plan.id, &created.id),
        )),
        Err(errors) => form::invalid(&new_page(ctx, plan, parent, form, errors).await?),
    }
}

pub(super) async fn create_top(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    create_item(ctx, &id, None, fields).await
}

pub(super) async fn create_child(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    create_item(ctx, &id, Some(&item_id), fields).await
}
