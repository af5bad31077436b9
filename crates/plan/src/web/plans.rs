//! /plannen: the list of plans a user may read, and the forms to start a plan (with its level
//! names), change it, and start the next period as a copy.
//!
//! A plan belongs to the user's active organisation; only editors (redacteur and up) of that
//! organisation see the form. The level names come from a preset (BBC, Kenniscentrum) or are
//! typed one per line.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::audit::AuditActor;
use steden_core::policy::{self, Action};
use steden_core::time::show_date;
use steden_core::{CoreError, FieldError};
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::access;
use crate::model::{LevelPreset, Plan, PlanKind, PlanStatus};
use crate::paths;
use crate::store::plans::{self, PlanFields};
use crate::web::load;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plannen", get(list))
        .route("/plannen/nieuw", get(new_form).post(create))
        .route("/plannen/{id}/bewerken", get(edit_form).post(update))
        .route("/plannen/{id}/kopieren", get(copy_form).post(copy))
}

fn kind_choices(ctx: &PageContext, current: &str) -> Vec<Choice> {
    Choice::list(PlanKind::ALL, current, PlanKind::as_str, |k| {
        ctx.t(&k.label_key())
    })
}

fn status_choices(ctx: &PageContext, current: &str) -> Vec<Choice> {
    Choice::list(PlanStatus::ALL, current, PlanStatus::as_str, |s| {
        ctx.t(&s.label_key())
    })
}

/// The audit actor of the logged-in user.
pub(crate) fn audit_actor(ctx: &PageContext) -> Result<AuditActor, AppError> {
    Ok(AuditActor::user(&ctx.require_user()?.user_id))
}

/// Adds the "Plannen" breadcrumb and, for pages below a plan, the plan's.
pub(crate) fn plan_crumbs(ctx: PageContext, plan: &Plan) -> PageContext {
    let plans = ctx.t("plan-plans-title");
    ctx.crumb(plans, paths::PLANS)
        .crumb(plan.title.clone(), load::plan_path(&plan.id))
}

// ---------------------------------------------------------------------------------------------
// List

struct PlanRow {
    id: String,
    title: String,
    organisation: String,
    kind: String,
    period: String,
    status: String,
    is_demo: bool,
}

#[derive(Template)]
#[template(path = "plan/plans/list.html")]
struct ListPage {
    ctx: PageContext,
    rows: Vec<PlanRow>,
    can_create: bool,
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let db = ctx.state().db();
    let organisation_ids: Vec<String> = user
        .memberships
        .iter()
        .map(|m| m.organisation_id.clone())
        .collect();
    let found = if user.platform_admin {
        plans::list(db, None).await?
    } else {
        plans::list(db, Some(&organisation_ids)).await?
    };
    let organisations = steden_core::org::list(db.pool()).await?;
    let rows = found
        .into_iter()
        .map(|p| PlanRow {
            organisation: organisations
                .iter()
                .find(|o| o.id == p.organisation_id)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            kind: ctx.t(&p.kind.label_key()),
            period: format!(
                "{} – {}",
                show_date(&p.period_start),
                show_date(&p.period_end)
            ),
            status: ctx.t(&p.status.label_key()),
            is_demo: p.is_demo,
            id: p.id,
            title: p.title,
        })
        .collect();
    let can_create = user
        .active_org
        .as_ref()
        .is_some_and(|o| policy::can(&user.actor(), access::MODULE, Action::Edit, &o.id));
    let title = ctx.t("plan-plans-title");
    render(&ListPage {
        ctx: ctx.titled(title),
        rows,
        can_create,
    })
}

// ---------------------------------------------------------------------------------------------
// New plan and changing a plan

/// What an editor typed in the plan form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PlanForm {
    kind: String,
    title: String,
    description: String,
    period_start: String,
    period_end: String,
    status: String,
    /// "bbc", "kenniscentrum" or "eigen".
    levels_preset: String,
    /// Own level names, one per line.
    levels: String,
}

impl PlanForm {
    fn fields(&self) -> PlanFields {
        PlanFields {
            kind: self.kind.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            period_start: self.period_start.clone(),
            period_end: self.period_end.clone(),
            status: self.status.clone(),
        }
    }

    /// The level names: the preset's, or the typed lines.
    fn level_names(&self) -> Vec<String> {
        match LevelPreset::parse(&self.levels_preset) {
            Some(preset) => preset.names().iter().map(|n| n.to_string()).collect(),
            None => self.levels.lines().map(|l| l.trim().to_string()).collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "plan/plans/form.html")]
struct FormPage {
    ctx: PageContext,
    /// Where the form posts.
    action: String,
    /// A new plan (with the level presets) or a change.
    is_new: bool,
    organisation: String,
    /// The plan being changed (none for a new one), for its tabs.
    plan: Option<Plan>,
    form: PlanForm,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    errors: FormErrors,
    cancel: String,
}

/// The active organisation, when the user may start plans in it.
fn editable_org(ctx: &PageContext) -> Result<(String, String), AppError> {
    let user = ctx.require_user()?;
    let org = user.active_org.as_ref().ok_or(AppError::Forbidden)?;
    if !policy::can(&user.actor(), access::MODULE, Action::Edit, &org.id) {
        return Err(AppError::Forbidden);
    }
    Ok((org.id.clone(), org.name.clone()))
}

fn new_page(
    ctx: PageContext,
    organisation: String,
    form: PlanForm,
    errors: FormErrors,
) -> FormPage {
    let title = ctx.t("plan-new-title");
    let plans_label = ctx.t("plan-plans-title");
    FormPage {
        kinds: kind_choices(&ctx, &form.kind),
        statuses: status_choices(&ctx, &form.status),
        action: paths::NEW_PLAN.to_string(),
        is_new: true,
        organisation,
        plan: None,
        form,
        errors,
        cancel: paths::PLANS.to_string(),
        ctx: ctx.crumb(plans_label, paths::PLANS).titled(title),
    }
}

async fn new_form(ctx: PageContext) -> Result<Response, AppError> {
    let (_, organisation) = editable_org(&ctx)?;
    let form = PlanForm {
        kind: "meerjarenplan".into(),
        status: "ontwerp".into(),
        levels_preset: "bbc".into(),
        ..PlanForm::default()
    };
    render(&new_page(ctx, organisation, form, FormErrors::none()))
}

async fn create(ctx: PageContext, Form(form): Form<PlanForm>) -> Result<Response, AppError> {
    let (org_id, organisation) = editable_org(&ctx)?;
    let mut errors = Vec::new();
    if !matches!(
        form.levels_preset.as_str(),
        "bbc" | "kenniscentrum" | "eigen"
    ) {
        errors.push(FieldError::new(
            "levels_preset",
            "Kies de niveaus van het plan.",
        ));
    }
    if !errors.is_empty() {
        return form::invalid(&new_page(ctx, organisation, form, errors.into()));
    }
    let mut tx = ctx.state().db().begin().await?;
    let result = plans::create(
        &mut tx,
        &org_id,
        &form.fields(),
        &form.level_names(),
        false,
        &audit_actor(&ctx)?,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(plan) => Ok(flash::redirect_with(
            Flash::success(ctx.t("plan-new-done")),
            &load::plan_path(&plan.id),
        )),
        Err(errors) => form::invalid(&new_page(ctx, organisation, form, errors)),
    }
}

fn edit_page(ctx: PageContext, plan: &Plan, form: PlanForm, errors: FormErrors) -> FormPage {
    let title = ctx.t("plan-edit-title");
    FormPage {
        kinds: kind_choices(&ctx, &form.kind),
        statuses: status_choices(&ctx, &form.status),
        action: paths::plan_edit_path(&plan.id),
        is_new: false,
        organisation: String::new(),
        plan: Some(plan.clone()),
        form,
        errors,
        cancel: load::plan_path(&plan.id),
        ctx: plan_crumbs(ctx, plan).titled(title),
    }
}

async fn edit_form(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &id).await?;
    let form = PlanForm {
        kind: plan.kind.as_str().to_string(),
        title: plan.title.clone(),
        description: plan.description.clone(),
        period_start: plan.period_start.clone(),
        period_end: plan.period_end.clone(),
        status: plan.status.as_str().to_string(),
        levels_preset: "eigen".into(),
        levels: plan.levels.join("\n"),
    };
    render(&edit_page(ctx, &plan, form, FormErrors::none()))
}

async fn update(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(mut form): Form<PlanForm>,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &id).await?;
    form.levels_preset = "eigen".into();
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = update_with_levels(&mut tx, &plan, &form, &actor).await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("plan-edit-done")),
            &load::plan_path(&plan.id),
        )),
        Err(errors) => form::invalid(&edit_page(ctx, &plan, form, errors)),
    }
}

/// Writes the plan's fields and, when they changed, its level names, so that the form shows
/// the errors of both at once: a failure the user can fix in one does not hide the other's.
async fn update_with_levels(
    tx: &mut steden_db::Tx<'_>,
    plan: &Plan,
    form: &PlanForm,
    actor: &AuditActor,
) -> Result<(), CoreError> {
    let mut errors = Vec::new();
    let mut collect = |result: Result<(), CoreError>| match result {
        Ok(()) => Ok(()),
        Err(CoreError::Invalid(found)) => {
            errors.extend(found);
            Ok(())
        }
        Err(CoreError::Conflict(message)) => {
            errors.push(FieldError::new("", message));
            Ok(())
        }
        Err(other) => Err(other),
    };
    collect(
        plans::update(tx, &plan.id, &form.fields(), actor)
            .await
            .map(drop),
    )?;
    let levels = form.level_names();
    let trimmed: Vec<String> = levels.iter().filter(|l| !l.is_empty()).cloned().collect();
    if trimmed != plan.levels {
        collect(
            plans::set_levels(tx, &plan.id, &levels, actor)
                .await
                .map(drop),
        )?;
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CoreError::Invalid(errors))
    }
}

// ---------------------------------------------------------------------------------------------
// Copy for the next period

/// What an editor typed to start the next period.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CopyForm {
    title: String,
    period_start: String,
    period_end: String,
}

#[derive(Template)]
#[template(path = "plan/plans/copy.html")]
struct CopyPage {
    ctx: PageContext,
    plan: Plan,
    form: CopyForm,
    errors: FormErrors,
}

fn copy_page(ctx: PageContext, plan: Plan, form: CopyForm, errors: FormErrors) -> CopyPage {
    let title = ctx.t("plan-copy-title");
    CopyPage {
        ctx: plan_crumbs(ctx, &plan).titled(title),
        plan,
        form,
        errors,
    }
}

async fn copy_form(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &id).await?;
    let form = CopyForm {
        title: plan.title.clone(),
        ..CopyForm::default()
    };
    render(&copy_page(ctx, plan, form, FormErrors::none()))
}

async fn copy(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<CopyForm>,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &id).await?;
    let fields = PlanFields {
        kind: plan.kind.as_str().to_string(),
        title: form.title.clone(),
        description: plan.description.clone(),
        period_start: form.period_start.clone(),
        period_end: form.period_end.clone(),
        status: PlanStatus::Ontwerp.as_str().to_string(),
    };
    let db = ctx.state().db();
    let mut tx = db.begin().await?;
    let result = plans::copy(&mut tx, &plan.id, &fields, &audit_actor(&ctx)?).await;
    match form::settle(tx, result).await? {
        Ok(new_plan) => Ok(flash::redirect_with(
            Flash::success(ctx.t("plan-copy-done")),
            &load::plan_path(&new_plan.id),
        )),
        Err(errors) => form::invalid(&copy_page(ctx, plan, form, errors)),
    }
}
