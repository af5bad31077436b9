//! Projects and milestones under an item (editors write them), the item page's panel, and the
//! timeline of a plan or of an item's subtree: the SVG from [`crate::projects::timeline`] with
//! the same data as a table below it.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use steden_core::policy::Actor;
use steden_core::time::show_date;
use steden_web::delete;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access;
use crate::model::{Item, ItemStatus, Plan};
use crate::paths;
use crate::projects::timeline::{self, Mark, Row, Texts};
use crate::projects::{Milestone, MilestoneFields, Project, ProjectFields};
use crate::store;
use crate::store::projects;
use crate::web::load;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plannen/{id}/tijdlijn", get(plan_timeline))
        .route("/plannen/{id}/items/{item_id}/tijdlijn", get(item_timeline))
        .route(
            "/plannen/{id}/items/{item_id}/projecten/nieuw",
            get(new_form).post(create),
        )
        .route(
            "/plannen/{id}/projecten/{project_id}/bewerken",
            get(edit_form).post(update),
        )
        .route(
            "/plannen/{id}/projecten/{project_id}/verwijderen",
            post(delete),
        )
        .route(
            "/plannen/{id}/projecten/{project_id}/mijlpalen",
            post(add_milestone),
        )
        .route(
            "/plannen/{id}/mijlpalen/{milestone_id}/afvinken",
            post(toggle_milestone),
        )
        .route(
            "/plannen/{id}/mijlpalen/{milestone_id}/verwijderen",
            post(delete_milestone),
        )
}

fn plan_crumbs(ctx: PageContext, plan: &Plan) -> PageContext {
    let plans = ctx.t("plan-nav-plans");
    ctx.crumb(plans, paths::PLANS)
        .crumb(plan.title.clone(), load::plan_path(&plan.id))
}

// ---------------------------------------------------------------------------------------------
// Timeline

/// A line of the table under the timeline.
pub struct TimelineLine {
    pub label: String,
    pub depth: usize,
    pub is_project: bool,
    pub start: String,
    pub end: String,
    pub status: ItemStatus,
    pub milestones: Vec<MilestoneLine>,
}

pub struct MilestoneLine {
    pub title: String,
    pub due: String,
    pub done: bool,
}

fn project_row(project: &Project, depth: usize) -> (Row, TimelineLine) {
    (
        Row {
            label: project.title.clone(),
            depth,
            start: project.start_date.clone(),
            end: project.end_date.clone(),
            is_project: true,
            marks: project
                .milestones
                .iter()
                .map(|m| Mark {
                    label: m.title.clone(),
                    date: m.due_date.clone(),
                    done: m.done,
                })
                .collect(),
        },
        TimelineLine {
            label: project.title.clone(),
            depth,
            is_project: true,
            start: show_date(&project.start_date),
            end: show_date(&project.end_date),
            status: project.status,
            milestones: project
                .milestones
                .iter()
                .map(|m| MilestoneLine {
                    title: m.title.clone(),
                    due: show_date(&m.due_date),
                    done: m.done,
                })
                .collect(),
        },
    )
}

/// The rows of a timeline: each item with dates (indented by depth), followed by its projects;
/// items are taken in tree order.
fn timeline_rows(items: &[Item], projects: &[Project]) -> (Vec<Row>, Vec<TimelineLine>) {
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let base = items.iter().map(|i| i.depth).min().unwrap_or(0);
    for item in items {
        let depth = usize::try_from(item.depth - base).unwrap_or(0);
        if let (Some(start), Some(end)) = (&item.start_date, &item.end_date) {
            let label = format!("{} {}", item.code, item.title);
            rows.push(Row {
                label: label.clone(),
                depth,
                start: start.clone(),
                end: end.clone(),
                is_project: false,
                marks: Vec::new(),
            });
            lines.push(TimelineLine {
                label,
                depth,
                is_project: false,
                start: show_date(start),
                end: show_date(end),
                status: item.status,
                milestones: Vec::new(),
            });
        }
        for project in projects.iter().filter(|p| p.item_id == item.id) {
            let (row, line) = project_row(project, depth + 1);
            rows.push(row);
            lines.push(line);
        }
    }
    (rows, lines)
}

#[derive(Template)]
#[template(path = "plan/projects/timeline.html")]
struct TimelinePage {
    ctx: PageContext,
    plan: Plan,
    heading: String,
    svg: Option<String>,
    lines: Vec<TimelineLine>,
}

fn timeline_texts(ctx: &PageContext, id: &str, heading: &str, count: usize) -> Texts {
    Texts {
        id: id.to_string(),
        title: heading.to_string(),
        description: ctx.t_with(
            "plan-fu-timeline-desc",
            &[("count", count.to_string().as_str())],
        ),
        today: ctx.t("plan-fu-timeline-today"),
    }
}

async fn plan_timeline(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let (_, plan) = load::plan(&ctx, &id).await?;
    let db = ctx.state().db().clone();
    let items = store::items::list_for_plan(db.pool(), &plan.id).await?;
    let mut conn = db.pool().acquire().await?;
    let all = projects::list_for_plan(&mut conn, &plan.id).await?;
    drop(conn);
    let (rows, lines) = timeline_rows(&items, &all);
    let heading = ctx.t_with("plan-fu-timeline-of", &[("name", &plan.title)]);
    let svg = timeline::render(
        &rows,
        &store::today(),
        &timeline_texts(&ctx, "tijdlijn", &heading, rows.len()),
    );
    let title = ctx.t("plan-fu-timeline-title");
    render(&TimelinePage {
        ctx: plan_crumbs(ctx, &plan).titled(title),
        plan,
        heading,
        svg,
        lines,
    })
}

async fn item_timeline(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, plan, item) = load::item(&ctx, &id, &item_id).await?;
    let db = ctx.state().db().clone();
    let all_items = store::items::list_for_plan(db.pool(), &plan.id).await?;
    let subtree = subtree_of(&all_items, &item.id);
    let mut conn = db.pool().acquire().await?;
    let all = projects::list_for_plan(&mut conn, &plan.id).await?;
    drop(conn);
    let (rows, lines) = timeline_rows(&subtree, &all);
    let heading = ctx.t_with(
        "plan-fu-timeline-of",
        &[("name", &format!("{} {}", item.code, item.title))],
    );
    let svg = timeline::render(
        &rows,
        &store::today(),
        &timeline_texts(&ctx, "tijdlijn", &heading, rows.len()),
    );
    let title = ctx.t("plan-fu-timeline-title");
    let ctx = plan_crumbs(ctx, &plan)
        .crumb(
            format!("{} {}", item.code, item.title),
            load::item_path(&plan.id, &item.id),
        )
        .titled(title);
    render(&TimelinePage {
        ctx,
        plan,
        heading,
        svg,
        lines,
    })
}

/// The item and its descendants, in tree order (`items` is in tree order).
fn subtree_of(items: &[Item], root_id: &str) -> Vec<Item> {
    let mut ids: Vec<&str> = vec![root_id];
    let mut out = Vec::new();
    for item in items {
        let inside =
            item.id == root_id || item.parent_id.as_deref().is_some_and(|p| ids.contains(&p));
        if inside {
            ids.push(&item.id);
            out.push(item.clone());
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Project form

#[derive(Template)]
#[template(path = "plan/projects/form.html")]
struct FormPage {
    ctx: PageContext,
    plan: Plan,
    item: Item,
    project: Option<Project>,
    action: String,
    form: ProjectFields,
    statuses: Vec<StatusChoice>,
    errors: FormErrors,
    milestone: MilestoneFields,
    milestone_errors: FormErrors,
}

pub struct StatusChoice {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

struct FormState {
    form: ProjectFields,
    errors: FormErrors,
    milestone: MilestoneFields,
    milestone_errors: FormErrors,
}

fn form_page(
    ctx: PageContext,
    plan: Plan,
    item: Item,
    project: Option<Project>,
    state: FormState,
) -> FormPage {
    let statuses = ItemStatus::ALL
        .iter()
        .map(|s| StatusChoice {
            value: s.as_str(),
            label: ctx.t(&s.label_key()),
            selected: s.as_str() == state.form.status,
        })
        .collect();
    let (action, title) = match &project {
        Some(p) => (
            paths::project_edit_path(&plan.id, &p.id),
            ctx.t("plan-fu-project-edit"),
        ),
        None => (
            paths::new_project_path(&plan.id, &item.id),
            ctx.t("plan-fu-project-new"),
        ),
    };
    let ctx = plan_crumbs(ctx, &plan)
        .crumb(
            format!("{} {}", item.code, item.title),
            load::item_path(&plan.id, &item.id),
        )
        .titled(title);
    FormPage {
        ctx,
        plan,
        item,
        project,
        action,
        form: state.form,
        statuses,
        errors: state.errors,
        milestone: state.milestone,
        milestone_errors: state.milestone_errors,
    }
}

fn fresh(form: ProjectFields) -> FormState {
    FormState {
        form,
        errors: FormErrors::none(),
        milestone: MilestoneFields::default(),
        milestone_errors: FormErrors::none(),
    }
}

/// The project with its item, for an editor of its plan.
async fn project_for_editor(
    ctx: &PageContext,
    plan_id: &str,
    project_id: &str,
) -> Result<(Actor, Plan, Item, Project), AppError> {
    let (_, plan) = load::plan(ctx, plan_id).await?;
    let mut conn = ctx.state().db().pool().acquire().await?;
    let project = projects::find(&mut conn, project_id)
        .await?
        .filter(|p| p.plan_id == plan.id)
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let (actor, plan, item) = load::item_for_editor(ctx, plan_id, &project.item_id).await?;
    Ok((actor, plan, item, project))
}

async fn new_form(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, plan, item) = load::item_for_editor(&ctx, &id, &item_id).await?;
    let form = ProjectFields {
        status: ItemStatus::NietGestart.as_str().into(),
        start_date: item.start_date.clone().unwrap_or_default(),
        end_date: item.end_date.clone().unwrap_or_default(),
        ..ProjectFields::default()
    };
    render(&form_page(ctx, plan, item, None, fresh(form)))
}

async fn create(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
    Form(form): Form<ProjectFields>,
) -> Result<Response, AppError> {
    let (actor, plan, item) = load::item_for_editor(&ctx, &id, &item_id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = projects::create(&mut tx, &item.id, &form, &actor.audit_actor()).await;
    match form::settle(tx, result).await? {
        Ok(project) => {
            let message = ctx.t_with("plan-fu-project-created", &[("title", &project.title)]);
            Ok(flash::redirect_with(
                Flash::success(message),
                &paths::project_edit_path(&plan.id, &project.id),
            ))
        }
        Err(errors) => {
            let state = FormState {
                errors,
                ..fresh(form)
            };
            form::invalid(&form_page(ctx, plan, item, None, state))
        }
    }
}

async fn edit_form(
    ctx: PageContext,
    Path((id, project_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, plan, item, project) = project_for_editor(&ctx, &id, &project_id).await?;
    let form = ProjectFields::from_project(&project);
    render(&form_page(ctx, plan, item, Some(project), fresh(form)))
}

async fn update(
    ctx: PageContext,
    Path((id, project_id)): Path<(String, String)>,
    Form(form): Form<ProjectFields>,
) -> Result<Response, AppError> {
    let (actor, plan, item, project) = project_for_editor(&ctx, &id, &project_id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = projects::update(&mut tx, &project.id, &form, &actor.audit_actor()).await;
    match form::settle(tx, result).await? {
        Ok(project) => {
            let message = ctx.t_with("plan-fu-project-saved", &[("title", &project.title)]);
            Ok(flash::redirect_with(
                Flash::success(message),
                &load::item_path(&plan.id, &item.id),
            ))
        }
        Err(errors) => {
            let state = FormState {
                errors,
                ..fresh(form)
            };
            form::invalid(&form_page(ctx, plan, item, Some(project), state))
        }
    }
}

async fn delete(
    ctx: PageContext,
    Path((id, project_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (actor, plan, item, project) = project_for_editor(&ctx, &id, &project_id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = projects::delete(&mut tx, &project.id, &actor.audit_actor()).await;
    let message = ctx.t_with("plan-fu-project-deleted", &[("title", &project.title)]);
    let to = load::item_path(&plan.id, &item.id);
    delete::finish(tx, result, Flash::success(message), &to).await
}

// ---------------------------------------------------------------------------------------------
// Milestones

async fn add_milestone(
    ctx: PageContext,
    Path((id, project_id)): Path<(String, String)>,
    Form(milestone): Form<MilestoneFields>,
) -> Result<Response, AppError> {
    let (actor, plan, item, project) = project_for_editor(&ctx, &id, &project_id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result =
        projects::add_milestone(&mut tx, &project.id, &milestone, &actor.audit_actor()).await;
    match form::settle(tx, result).await? {
        Ok(m) => {
            let message = ctx.t_with("plan-fu-milestone-added", &[("title", &m.title)]);
            Ok(flash::redirect_with(
                Flash::success(message),
                &paths::project_edit_path(&plan.id, &project.id),
            ))
        }
        Err(milestone_errors) => {
            let state = FormState {
                form: ProjectFields::from_project(&project),
                errors: FormErrors::none(),
                milestone,
                milestone_errors,
            };
            form::invalid(&form_page(ctx, plan, item, Some(project), state))
        }
    }
}

/// The milestone's project, for an editor of its plan.
async fn milestone_for_editor(
    ctx: &PageContext,
    plan_id: &str,
    milestone_id: &str,
) -> Result<(Actor, Plan, Milestone), AppError> {
    let (actor, plan) = load::plan_for_editor(ctx, plan_id).await?;
    let found = projects::get_milestone(ctx.state().db().pool(), milestone_id).await;
    let (milestone, milestone_plan) = match found {
        Ok(found) => found,
        Err(steden_core::CoreError::NotFound(_)) => return Err(AppError::NotFound),
        Err(other) => return Err(other.into()),
    };
    if milestone_plan != plan.id {
        return Err(AppError::NotFound);
    }
    Ok((actor, plan, milestone))
}

async fn toggle_milestone(
    ctx: PageContext,
    Path((id, milestone_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (actor, plan, milestone) = milestone_for_editor(&ctx, &id, &milestone_id).await?;
    let fields = MilestoneFields {
        title: milestone.title.clone(),
        due_date: milestone.due_date.clone(),
        done: if milestone.done { "" } else { "on" }.into(),
    };
    let mut tx = ctx.state().db().begin().await?;
    projects::update_milestone(&mut tx, &milestone.id, &fields, &actor.audit_actor()).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("plan-fu-milestone-saved")),
        &paths::project_edit_path(&plan.id, &milestone.project_id),
    ))
}

async fn delete_milestone(
    ctx: PageContext,
    Path((id, milestone_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (actor, plan, milestone) = milestone_for_editor(&ctx, &id, &milestone_id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = projects::delete_milestone(&mut tx, &milestone.id, &actor.audit_actor()).await;
    let done = Flash::success(ctx.t("plan-fu-milestone-deleted"));
    let to = paths::project_edit_path(&plan.id, &milestone.project_id);
    delete::finish(tx, result, done, &to).await
}

// ---------------------------------------------------------------------------------------------
// The item page's panel

#[derive(Template)]
#[template(path = "plan/projects/panel.html")]
struct Panel<'a> {
    ctx: &'a PageContext,
    plan: &'a Plan,
    item: &'a Item,
    lines: Vec<TimelineLine>,
    projects: Vec<Project>,
    svg: Option<String>,
    can_edit: bool,
}

/// This capability's section of the item page (a `<section>` with an `<h2>`), or nothing.
pub async fn item_panel(
    ctx: &PageContext,
    actor: &Actor,
    plan: &Plan,
    item: &Item,
) -> Result<String, AppError> {
    let mut conn = ctx.state().db().pool().acquire().await?;
    let projects = projects::list_for_item(&mut conn, &item.id).await?;
    drop(conn);
    let can_edit = access::can_edit(actor, plan);
    if projects.is_empty() && !can_edit {
        return Ok(String::new());
    }
    let (rows, lines): (Vec<Row>, Vec<TimelineLine>) =
        projects.iter().map(|p| project_row(p, 0)).unzip();
    let heading = ctx.t_with(
        "plan-fu-timeline-of",
        &[("name", &format!("{} {}", item.code, item.title))],
    );
    let svg = timeline::render(
        &rows,
        &store::today(),
        &timeline_texts(ctx, &format!("tijdlijn-{}", item.id), &heading, rows.len()),
    );
    Ok(Panel {
        ctx,
        plan,
        item,
        lines,
        projects,
        svg,
        can_edit,
    }
    .render()?)
}
