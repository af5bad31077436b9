//! /plannen/{id}/items/{item_id}: an item's page (its fields, children, history and the panels
//! of the other capabilities), the report form for editors and owners, and the editor's forms
//! to change, add, move and delete items.
//!
//! Every handler loads the plan and item through [`load`] and asks [`access`] before it shows a
//! form or writes; forms answer with the page again (errors beside the fields, input kept, 422)
//! or a redirect with a flash message.

//!
//! Split by concern: this file shows an item and takes progress reports; [`edit`] has the
//! new/edit form, [`moving`] moving and reordering, [`delete`] deleting.

mod delete;
mod edit;
mod moving;
mod status;

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::membership;
use steden_core::policy::Actor;
use steden_core::time::show_optional_date;
use steden_core::{CoreError, FieldError};
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::access;
use crate::model::{theme_label, Item, ItemStatus, Plan, SDGS};
use crate::paths;
use crate::store;
use crate::store::items::{Destination, ItemFields};
use crate::store::updates::ProgressReport;
use crate::web::load;
use crate::web::plans::{audit_actor, plan_crumbs};
use crate::web::tree::{item_status_choices, ItemRow};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/plannen/{id}/items/nieuw",
            get(edit::new_top_form).post(edit::create_top),
        )
        .route("/plannen/{id}/items/{item_id}", get(show))
        .route("/plannen/{id}/items/{item_id}/rapporteren", post(report))
        .route(
            "/plannen/{id}/items/{item_id}/bewerken",
            get(edit::edit_form).post(edit::update),
        )
        .route(
            "/plannen/{id}/items/{item_id}/nieuw",
            get(edit::new_child_form).post(edit::create_child),
        )
        .route(
            "/plannen/{id}/items/{item_id}/verplaatsen",
            get(moving::move_form).post(moving::move_item),
        )
        .route(
            "/plannen/{id}/items/{item_id}/omhoog",
            post(moving::move_up),
        )
        .route(
            "/plannen/{id}/items/{item_id}/omlaag",
            post(moving::move_down),
        )
        .route(
            "/plannen/{id}/items/{item_id}/status-afleiden",
            post(status::derive_again),
        )
        .route(
            "/plannen/{id}/items/{item_id}/verwijderen",
            get(delete::delete_form).post(delete::delete),
        )
}

/// Adds the plan's and the ancestors' breadcrumbs.
pub(super) async fn item_crumbs(
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
    /// For a parent whose status was set by hand: what its children say it would be.
    derived: Option<ItemStatus>,
    /// The names of the fields left empty, said once ("Niet ingevuld: eigenaar, einddatum")
    /// instead of a row each.
    empty_fields: String,
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
    usize::try_from(item.level + 1).is_ok_and(|d| d < plan.levels.len())
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
    let derived = status::derived_if_manual(&ctx, &item).await?;
    let empty_fields = [
        (item.description.is_empty(), "plan-field-description"),
        (item.owner_name.is_empty(), "plan-field-owner"),
        (item.responsible_service.is_empty(), "plan-field-service"),
        (item.partners.is_empty(), "plan-field-partners"),
        (item.start_date.is_none(), "plan-field-start"),
        (item.end_date.is_none(), "plan-field-end"),
        (item.beleidsveld.is_empty(), "plan-field-beleidsveld"),
        (item.themes.is_empty(), "plan-field-themes"),
    ]
    .iter()
    .filter(|(empty, _)| *empty)
    .map(|(_, key)| ctx.t(key).to_lowercase())
    .collect::<Vec<_>>()
    .join(", ");
    let (ctx, _) = item_crumbs(ctx, &plan, &item, false).await?;
    // The plan is named too (WCAG 2.4.2): every plan has a BD01.
    let title = format!("{} {} · {}", item.code, item.title, plan.title);
    Ok(ItemPage {
        derived,
        empty_fields,
        level: plan.level_name(item.level).to_string(),
        start: show_optional_date(item.start_date.as_deref()),
        end: show_optional_date(item.end_date.as_deref()),
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
        // The range is checked here as well as in the store, so that every field's error is
        // shown at once (WCAG 3.3.1): the store only sees a report whose fields all parse.
        text => match text.parse::<i64>() {
            Ok(p) if (0..=100).contains(&p) => Some(p),
            _ => {
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
    let mut tx = ctx.state().db().begin().await?;
    let result = match parse_report(&form, &item) {
        Ok(progress_report) => {
            store::updates::report(&mut tx, &item.id, &progress_report, &audit_actor(&ctx)?).await
        }
        Err(err) => Err(err),
    };
    match form::settle(tx, result).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("plan-report-done")),
            &load::item_path(&plan.id, &item.id),
        )),
        Err(errors) => {
            let page = item_page(ctx, actor, plan, item, form, errors).await?;
            form::invalid(&page)
        }
    }
}

pub(super) async fn editor_item(
    ctx: &PageContext,
    id: &str,
    item_id: &str,
) -> Result<(Plan, Item), AppError> {
    let (actor, plan, item) = load::item(ctx, id, item_id).await?;
    access::require_edit(&actor, &plan)?;
    Ok((plan, item))
}

/// Where to go after a reorder: the parent's page, or the tree for a top-level item.
pub(super) fn parent_page(plan: &Plan, item: &Item) -> String {
    match &item.parent_id {
        Some(parent) => load::item_path(&plan.id, parent),
        None => load::plan_path(&plan.id),
    }
}
