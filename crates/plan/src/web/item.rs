//! /plannen/{id}/items/{item_id}: an item's page (its fields, children, history and the panels
//! of the other capabilities), the report form for editors and owners, and the editor's forms
//! to change, add, move and delete items.
//!
//! Every handler loads the plan and item through [`load`] and asks [`access`] before it shows a
//! form or writes; forms answer with the page again (errors beside the fields, input kept, 422)
//! or a redirect with a flash message.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::membership;
use steden_core::policy::Actor;
use steden_core::{CoreError, FieldError};
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access;
use crate::model::{theme_label, Item, ItemStatus, Plan, SDGS};
use crate::store;
use crate::store::items::{Destination, ItemFields};
use crate::store::updates::ProgressReport;
use crate::web::load;
use crate::web::plans::{audit_actor, plan_crumbs, show_date, Choice};
use crate::web::tree::{item_status_choices, ItemRow};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/plannen/{id}/items/nieuw",
            get(new_top_form).post(create_top),
        )
        .route("/plannen/{id}/items/{item_id}", get(show))
        .route("/plannen/{id}/items/{item_id}/rapporteren", post(report))
        .route(
            "/plannen/{id}/items/{item_id}/bewerken",
            get(edit_form).post(update),
        )
        .route(
            "/plannen/{id}/items/{item_id}/nieuw",
            get(new_child_form).post(create_child),
        )
        .route(
            "/plannen/{id}/items/{item_id}/verplaatsen",
            get(move_form).post(move_item),
        )
        .route("/plannen/{id}/items/{item_id}/omhoog", post(move_up))
        .route("/plannen/{id}/items/{item_id}/omlaag", post(move_down))
        .route(
            "/plannen/{id}/items/{item_id}/verwijderen",
            get(delete_form).post(delete),
        )
}

/// Adds the plan's and the ancestors' breadcrumbs.
async fn item_crumbs(
    ctx: PageContext,
    plan: &Plan,
    item: &Item,
    include_item: bool,
) -> Result<(PageContext, Vec<Item>), AppError> {
    let mut conn = ctx.state().db().pool().acquire().await?;
    let ancestors = store::items::ancestors(&mut conn, item).await?;
    drop(conn);
    let mut ctx = plan_crumbs(ctx, plan);
    for ancestor in &ancestors {
        ctx = ctx.crumb(
            format!("{} {}", ancestor.code, ancestor.title),
            load::item_path(&plan.id, &ancestor.id),
        );
    }
    if include_item {
        ctx = ctx.crumb(
            format!("{} {}", item.code, item.title),
            load::item_path(&plan.id, &item.id),
        );
    }
    Ok((ctx, ancestors))
}

// ---------------------------------------------------------------------------------------------
// The item page and the report form

/// What an owner or editor typed in the report form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReportForm {
    status: String,
    progress: String,
    comment: String,
}

/// One entry of the item's history, ready to show.
struct HistoryRow {
    date: String,
    author: String,
    status: String,
    progress: String,
    comment: String,
}

#[derive(Template)]
#[template(path = "plan/item/show.html")]
struct ItemPage {
    ctx: PageContext,
    plan: Plan,
    item: Item,
    level: String,
    start: String,
    end: String,
    late: bool,
    /// Own or inherited prioritair, in words; empty when not prioritair.
    prioritair: String,
    themes: Vec<String>,
    partners: String,
    children: Vec<ItemRow>,
    history: Vec<HistoryRow>,
    can_report: bool,
    can_edit: bool,
    can_add_child: bool,
    report: ReportForm,
    report_errors: FormErrors,
    statuses: Vec<Choice>,
    panels: Vec<String>,
}

fn history_row(ctx: &PageContext, update: store::updates::Update) -> HistoryRow {
    let status_label = |s: Option<ItemStatus>| s.map(|s| ctx.t(&s.label_key())).unwrap_or_default();
    let status = match (update.old_status, update.new_status) {
        (Some(old), Some(new)) if old != new => {
            format!("{} → {}", status_label(Some(old)), status_label(Some(new)))
        }
        (_, new) => status_label(new),
    };
    let progress = match (update.old_progress, update.new_progress) {
        (Some(old), Some(new)) if old != new => format!("{old} % → {new} %"),
        (_, Some(new)) => format!("{new} %"),
        _ => String::new(),
    };
    HistoryRow {
        date: ctx.datetime(&update.created_at),
        author: update.author,
        status,
        progress,
        comment: update.comment,
    }
}

/// Whether a child can go under `item` (the plan has a level below it).
fn has_level_below(plan: &Plan, item: &Item) -> bool {
    usize::try_from(item.depth + 1).is_ok_and(|d| d < plan.levels.len())
}

async fn item_page(
    ctx: PageContext,
    actor: Actor,
    plan: Plan,
    item: Item,
    report: ReportForm,
    report_errors: FormErrors,
) -> Result<ItemPage, AppError> {
    let db = ctx.state().db();
    let today = store::today();
    let children = store::items::children(db.pool(), &plan.id, Some(item.id.as_str()))
        .await?
        .into_iter()
        .map(|c| ItemRow::new(&plan, c, &today))
        .collect();
    let history = store::updates::for_item(db.pool(), &item.id, 200)
        .await?
        .into_iter()
        .map(|u| history_row(&ctx, u))
        .collect();
    let panels = vec![
        crate::web::indicators::item_panel(&ctx, &actor, &plan, &item).await?,
        crate::web::kwesties::item_panel(&ctx, &actor, &plan, &item).await?,
        crate::web::projects::item_panel(&ctx, &actor, &plan, &item).await?,
        crate::web::finance::item_panel(&ctx, &actor, &plan, &item).await?,
    ]
    .into_iter()
    .filter(|p| !p.trim().is_empty())
    .collect();
    let prioritair = if item.prioritair_own {
        ctx.t("plan-prioritair-own")
    } else if item.prioritair {
        ctx.t("plan-prioritair-inherited")
    } else {
        String::new()
    };
    let report_status = if report.status.is_empty() {
        item.status.as_str().to_string()
    } else {
        report.status.clone()
    };
    let (ctx, _) = item_crumbs(ctx, &plan, &item, false).await?;
    let title = format!("{} {}", item.code, item.title);
    Ok(ItemPage {
        level: plan.level_name(item.depth).to_string(),
        start: item
            .start_date
            .as_deref()
            .map(show_date)
            .unwrap_or_default(),
        end: item.end_date.as_deref().map(show_date).unwrap_or_default(),
        late: item.is_late(&today),
        prioritair,
        themes: item.themes.iter().map(|t| theme_label(t)).collect(),
        partners: item.partners.join(", "),
        children,
        history,
        can_report: access::can_report(&actor, &plan, &item),
        can_edit: access::can_edit(&actor, &plan),
        can_add_child: has_level_below(&plan, &item),
        statuses: item_status_choices(&ctx, &report_status),
        report,
        report_errors,
        panels,
        ctx: ctx.titled(title),
        plan,
        item,
    })
}

async fn show(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (actor, plan, item) = load::item(&ctx, &id, &item_id).await?;
    let page = item_page(
        ctx,
        actor,
        plan,
        item,
        ReportForm::default(),
        FormErrors::none(),
    )
    .await?;
    render(&page)
}

/// Reads the report form; the errors of what cannot be parsed.
fn parse_report(form: &ReportForm, item: &Item) -> Result<ProgressReport, CoreError> {
    let mut errors = Vec::new();
    let status = match form.status.trim() {
        "" => None,
        text => {
            let status = ItemStatus::parse(text);
            if status.is_none() {
                errors.push(FieldError::new("status", "Kies een geldige status."));
            }
            status
        }
    };
    let progress = match form.progress.trim().trim_end_matches('%').trim() {
        "" => None,
        _ if !item.is_leaf() => None,
        text => match text.parse::<i64>() {
            Ok(p) => Some(p),
            Err(_) => {
                errors.push(FieldError::new(
                    "progress",
                    "De voortgang is een geheel getal van 0 tot 100.",
                ));
                None
            }
        },
    };
    if form.comment.trim().is_empty() {
        errors.push(FieldError::new(
            "comment",
            "Licht de stand van zaken toe in een opmerking.",
        ));
    }
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    Ok(ProgressReport {
        status,
        progress,
        comment: form.comment.clone(),
        ..ProgressReport::default()
    })
}

async fn report(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
    Form(form): Form<ReportForm>,
) -> Result<Response, AppError> {
    let (actor, plan, item) = load::item(&ctx, &id, &item_id).await?;
    access::require_report(&actor, &plan, &item)?;
    let result = match parse_report(&form, &item) {
        Ok(progress_report) => {
            let db = ctx.state().db();
            let mut tx = db.begin().await?;
            match store::updates::report(&mut tx, &item.id, &progress_report, &audit_actor(&ctx)?)
                .await
            {
                Ok(_) => {
                    tx.commit().await?;
                    Ok(())
                }
                Err(err) => Err(err),
            }
        }
        Err(err) => Err(err),
    };
    match result {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("plan-report-done")),
            &load::item_path(&plan.id, &item.id),
        )),
        Err(err) => {
            let errors = FormErrors::from_core(err)?;
            let page = item_page(ctx, actor, plan, item, form, errors).await?;
            form::invalid(&page)
        }
    }
}

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
    Ok(ItemFormPage {
        statuses: item_status_choices(&ctx, &form.status),
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

async fn edit_form(
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
        format!("{}/bewerken", load::item_path(&plan.id, &item.id)),
        load::item_path(&plan.id, &item.id),
        ItemForm::from_item(&item),
        FormErrors::none(),
    )
    .await?;
    render(&page)
}

async fn update(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (actor, plan, item) = load::item(&ctx, &id, &item_id).await?;
    access::require_edit(&actor, &plan)?;
    let form = ItemForm::read(fields);
    let owner_errors = check_owner(&ctx, &plan, Some(&item), &form).await?;
    let result = if owner_errors.is_empty() {
        let db = ctx.state().db();
        let mut tx = db.begin().await?;
        match store::items::update(
            &mut tx,
            &item.id,
            &form.fields(),
            &form.comment,
            &audit_actor(&ctx)?,
        )
        .await
        {
            Ok(updated) => {
                tx.commit().await?;
                Ok(updated)
            }
            Err(err) => Err(err),
        }
    } else {
        Err(CoreError::Invalid(owner_errors))
    };
    match result {
        Ok(updated) => Ok(flash::redirect_with(
            Flash::success(ctx.t("plan-item-saved")),
            &load::item_path(&plan.id, &updated.id),
        )),
        Err(err) => {
            let errors = FormErrors::from_core(err)?;
            let (ctx, _) = item_crumbs(ctx, &plan, &item, true).await?;
            let title = ctx.t("plan-item-edit-title");
            let page = form_page(
                ctx.titled(title),
                plan.clone(),
                Some(&item),
                format!("{}/bewerken", load::item_path(&plan.id, &item.id)),
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
    let level = plan
        .level_name(parent.as_ref().map_or(0, |p| p.depth + 1))
        .to_string();
    let title = ctx.t_with("plan-item-new-title", &[("level", level.as_str())]);
    let (ctx, action, cancel) = match &parent {
        Some(parent) => {
            let (ctx, _) = item_crumbs(ctx, &plan, parent, true).await?;
            let path = load::item_path(&plan.id, &parent.id);
            (ctx, format!("{path}/nieuw"), path)
        }
        None => (
            plan_crumbs(ctx, &plan),
            format!("/plannen/{}/items/nieuw", plan.id),
            load::plan_path(&plan.id),
        ),
    };
    form_page(ctx.titled(title), plan, None, action, cancel, form, errors).await
}

fn blank_form() -> ItemForm {
    ItemForm {
        status: ItemStatus::NietGestart.as_str().to_string(),
        progress: "0".into(),
        weight: "1".into(),
        ..ItemForm::default()
    }
}

async fn new_top_form(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let (plan, parent) = new_parent(&ctx, &id, None).await?;
    render(&new_page(ctx, plan, parent, blank_form(), FormErrors::none()).await?)
}

async fn new_child_form(
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
    let result = if owner_errors.is_empty() {
        let db = ctx.state().db();
        let mut tx = db.begin().await?;
        match store::items::create(
            &mut tx,
            &plan.id,
            parent.as_ref().map(|p| p.id.as_str()),
            &form.fields(),
            &audit_actor(&ctx)?,
        )
        .await
        {
            Ok(created) => {
                tx.commit().await?;
                Ok(created)
            }
            Err(err) => Err(err),
        }
    } else {
        Err(CoreError::Invalid(owner_errors))
    };
    match result {
        Ok(created) => Ok(flash::redirect_with(
            Flash::success(ctx.t("plan-item-created")),
            &load::item_path(&plan.id, &created.id),
        )),
        Err(err) => {
            let errors = FormErrors::from_core(err)?;
            form::invalid(&new_page(ctx, plan, parent, form, errors).await?)
        }
    }
}

async fn create_top(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    create_item(ctx, &id, None, fields).await
}

async fn create_child(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    create_item(ctx, &id, Some(&item_id), fields).await
}

// ---------------------------------------------------------------------------------------------
// Move and reorder

/// What an editor chose in the move form: a new parent ("" = top level) and a position
/// (1-based; empty = last).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MoveForm {
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
    let mut deepest = item.depth;
    let mut index = 0;
    while index < subtree.len() {
        let parent = subtree[index];
        for child in all
            .iter()
            .filter(|i| i.parent_id.as_deref() == Some(parent))
        {
            deepest = deepest.max(child.depth);
            subtree.push(child.id.as_str());
        }
        index += 1;
    }
    let height = deepest - item.depth;
    let levels = plan.levels.len() as i64;
    let choices = all
        .iter()
        .filter(|i| !subtree.contains(&i.id.as_str()) && i.depth + 1 + height < levels)
        .map(|i| Choice {
            value: i.id.clone(),
            label: format!("{} {} ({})", i.code, i.title, plan.level_name(i.depth)),
            selected: i.id == current,
        })
        .collect();
    Ok((choices, height < levels))
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

async fn editor_item(ctx: &PageContext, id: &str, item_id: &str) -> Result<(Plan, Item), AppError> {
    let (actor, plan, item) = load::item(ctx, id, item_id).await?;
    access::require_edit(&actor, &plan)?;
    Ok((plan, item))
}

async fn move_form(
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

/// Moves and answers with a redirect to the item's page, or the error.
async fn apply_move(
    ctx: &PageContext,
    item: &Item,
    destination: Destination,
) -> Result<Result<Item, CoreError>, AppError> {
    let db = ctx.state().db();
    let mut tx = db.begin().await?;
    match store::items::move_to(&mut tx, &item.id, &destination, &audit_actor(ctx)?).await {
        Ok(moved) => {
            tx.commit().await?;
            Ok(Ok(moved))
        }
        Err(err) => Ok(Err(err)),
    }
}

async fn move_item(
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
    let result = match position {
        Ok(position) => {
            let destination = Destination {
                parent_id: Some(form.parent_id.trim().to_string()).filter(|p| !p.is_empty()),
                position,
            };
            apply_move(&ctx, &item, destination).await?
        }
        Err(err) => Err(err),
    };
    match result {
        Ok(moved) => Ok(flash::redirect_with(
            Flash::success(ctx.t("plan-move-done")),
            &load::item_path(&plan.id, &moved.id),
        )),
        Err(CoreError::NotFound(_)) => {
            let errors = FormErrors::new(vec![FieldError::new(
                "parent_id",
                "Kies een item van dit plan.",
            )]);
            form::invalid(&move_page(ctx, plan, item, form, errors).await?)
        }
        Err(err) => {
            let errors = FormErrors::from_core(err)?;
            form::invalid(&move_page(ctx, plan, item, form, errors).await?)
        }
    }
}

/// Where to go after a reorder: the parent's page, or the tree for a top-level item.
fn parent_page(plan: &Plan, item: &Item) -> String {
    match &item.parent_id {
        Some(parent) => load::item_path(&plan.id, parent),
        None => load::plan_path(&plan.id),
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
    apply_move(&ctx, &item, destination)
        .await?
        .map_err(AppError::from)?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("plan-move-done")),
        &parent_page(&plan, &item),
    ))
}

async fn move_up(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    shift(ctx, &id, &item_id, true).await
}

async fn move_down(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    shift(ctx, &id, &item_id, false).await
}

// ---------------------------------------------------------------------------------------------
// Delete

#[derive(Template)]
#[template(path = "plan/item/delete.html")]
struct DeletePage {
    ctx: PageContext,
    plan: Plan,
    item: Item,
}

async fn delete_form(
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

async fn delete(
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
