//! A group's settings (`/werkgroepen/{slug}/instellingen`), for those who run it: name,
//! profile (kind, purpose, programme, visibility, cadence, default times and place, proposal
//! and comment days) and the facilitators. Every field is checked at once; nothing is written
//! while one is wrong.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::membership;
use steden_core::role::Role;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::model::{Cadence, GroupKind, Visibility};
use crate::paths;
use crate::reader::GroupView;
use crate::store::memberships::{self, Facilitator};
use crate::store::profile::{self, ProfileFields};
use crate::store::{facilitators, plan_link};

use super::{audit_actor, crumbs, load_for_facilitator, tabs};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/werkgroepen/{slug}/instellingen", get(edit).post(update))
        .route(
            "/werkgroepen/{slug}/instellingen/begeleiders",
            post(add_facilitator),
        )
        .route(
            "/werkgroepen/{slug}/instellingen/koppeling",
            post(link_plan),
        )
        .route(
            "/werkgroepen/{slug}/instellingen/sjabloon",
            post(set_agenda_template),
        )
        .route(
            "/werkgroepen/{slug}/instellingen/begeleiders/{user_id}/verwijderen",
            post(remove_facilitator),
        )
}

/// The profile form's fields with the group's name (shared with the new-group form).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct GroupForm {
    pub slug: String,
    pub name: String,
    #[serde(flatten)]
    pub fields: ProfileFields,
}

/// The choices of the profile form's lists, in Dutch.
pub(crate) struct ProfileChoices {
    pub kinds: Vec<Choice>,
    pub visibilities: Vec<Choice>,
    pub cadences: Vec<Choice>,
}

impl ProfileChoices {
    pub fn of(ctx: &PageContext, fields: &ProfileFields) -> ProfileChoices {
        ProfileChoices {
            kinds: Choice::list(GroupKind::ALL, &fields.kind, GroupKind::as_str, |k| {
                ctx.t(&k.label_key())
            }),
            visibilities: Choice::list(
                Visibility::ALL,
                &fields.visibility,
                Visibility::as_str,
                |v| ctx.t(&v.label_key()),
            ),
            cadences: Choice::list(Cadence::ALL, &fields.cadence, Cadence::as_str, |c| {
                ctx.t(&c.label_key())
            }),
        }
    }
}

#[derive(Template)]
#[template(path = "werkgroepen/group/settings.html")]
struct SettingsPage {
    ctx: PageContext,
    tabs: Vec<steden_web::components::Tab>,
    slug: String,
    form: GroupForm,
    choices: ProfileChoices,
    errors: FormErrors,
    facilitators: Vec<Facilitator>,
    candidates: Vec<Choice>,
    facilitator_errors: FormErrors,
    plan_items: Vec<Choice>,
    link_errors: FormErrors,
    /// The agenda templates, the group's default selected; first "none".
    agenda_templates: Vec<Choice>,
    template_errors: FormErrors,
}

/// The programmes and werksporen of the Kenniscentrum's published plans, as choices, the
/// group's current one selected; first "no link".
async fn plan_choices(
    ctx: &PageContext,
    view: &GroupView,
    current: &str,
) -> Result<Vec<Choice>, AppError> {
    let mut conn = ctx.state().db().pool().acquire().await?;
    let plans = plan_link::choices(&mut conn, &view.kenniscentrum_id).await?;
    let mut choices = vec![Choice {
        value: String::new(),
        label: ctx.t("wg-link-none"),
        selected: current.is_empty(),
    }];
    for plan in plans {
        for item in plan.items {
            // A werkspoor is indented under its programme (a select has no deeper levels).
            let indent = if item.depth == 0 { "" } else { "— " };
            choices.push(Choice {
                selected: item.id == current,
                label: format!("{indent}{} {} ({})", item.code, item.title, plan.title),
                value: item.id,
            });
        }
    }
    Ok(choices)
}

/// The item the group is linked to: its werkspoor, else its programme.
fn linked_item(view: &GroupView) -> String {
    view.profile
        .plan_werkspoor_id
        .clone()
        .or_else(|| view.profile.plan_programme_id.clone())
        .unwrap_or_default()
}

async fn page(
    ctx: PageContext,
    view: &GroupView,
    form: GroupForm,
    errors: FormErrors,
    facilitator_errors: FormErrors,
) -> Result<SettingsPage, AppError> {
    page_with_link(
        ctx,
        view,
        form,
        errors,
        facilitator_errors,
        &linked_item(view),
        FormErrors::none(),
    )
    .await
}

async fn page_with_link(
    ctx: PageContext,
    view: &GroupView,
    form: GroupForm,
    errors: FormErrors,
    facilitator_errors: FormErrors,
    plan_item: &str,
    link_errors: FormErrors,
) -> Result<SettingsPage, AppError> {
    let plan_items = plan_choices(&ctx, view, plan_item).await?;
    let db = ctx.state().db();
    let agenda_templates = template_choices(&ctx, view).await?;
    let facilitators = memberships::facilitators(db.pool(), &view.profile.group_id).await?;
    // Kenniscentrum staff (redacteur and up) who are not yet facilitators of this group.
    let candidates = membership::list_for_org(db.pool(), &view.kenniscentrum_id)
        .await?
        .into_iter()
        .filter(|m| m.active && m.role >= Role::Redacteur)
        .filter(|m| !facilitators.iter().any(|f| f.user_id == m.user_id))
        .map(|m| Choice {
            value: m.user_id,
            label: m.name,
            selected: false,
        })
        .collect();
    let choices = ProfileChoices::of(&ctx, &form.fields);
    let href = paths::group_settings(&view.profile.slug);
    let title = ctx.t_with(
        "wg-settings-title",
        &[("group", view.profile.name.as_str())],
    );
    Ok(SettingsPage {
        tabs: tabs(&ctx, view, &href),
        slug: view.profile.slug.clone(),
        form,
        choices,
        errors,
        facilitators,
        candidates,
        facilitator_errors,
        plan_items,
        link_errors,
        agenda_templates,
        template_errors: FormErrors::none(),
        ctx: crumbs(ctx, view).titled(title),
    })
}

fn filled(view: &GroupView) -> GroupForm {
    GroupForm {
        slug: view.profile.slug.clone(),
        name: view.profile.name.clone(),
        fields: ProfileFields::of(&view.profile),
    }
}

async fn edit(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let form = filled(&view);
    render(&page(ctx, &view, form, FormErrors::none(), FormErrors::none()).await?)
}

async fn update(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(form): Form<GroupForm>,
) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = profile::update(&mut tx, &view.profile, &form.name, &form.fields, &actor).await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-settings-done")),
            &paths::group(&slug),
        )),
        Err(errors) => {
            let page = page(ctx, &view, form, errors, FormErrors::none()).await?;
            form::invalid(&page)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FacilitatorForm {
    user_id: String,
}

async fn add_facilitator(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(choice): Form<FacilitatorForm>,
) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = facilitators::add(
        &mut tx,
        &view.profile.group_id,
        &choice.user_id,
        &view.kenniscentrum_id,
        &actor,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-facilitator-added")),
            &paths::group_settings(&slug),
        )),
        Err(errors) => {
            let form = filled(&view);
            let page = page(ctx, &view, form, FormErrors::none(), errors).await?;
            form::invalid(&page)
        }
    }
}

async fn remove_facilitator(
    ctx: PageContext,
    Path((slug, user_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    facilitators::remove(&mut tx, &view.profile.group_id, &user_id, &actor).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("wg-facilitator-removed")),
        &paths::group_settings(&slug),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LinkForm {
    plan_item_id: String,
}

async fn link_plan(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(link): Form<LinkForm>,
) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = plan_link::set(
        &mut tx,
        &view.profile,
        &link.plan_item_id,
        &view.kenniscentrum_id,
        &actor,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-link-done")),
            &paths::group(&slug),
        )),
        Err(errors) => {
            let form = filled(&view);
            let page = page_with_link(
                ctx,
                &view,
                form,
                FormErrors::none(),
                FormErrors::none(),
                &link.plan_item_id,
                errors,
            )
            .await?;
            form::invalid(&page)
        }
    }
}

/// The agenda templates as choices, the group's default selected; first "no default".
async fn template_choices(ctx: &PageContext, view: &GroupView) -> Result<Vec<Choice>, AppError> {
    let pool = ctx.state().db().pool();
    let current = crate::store::agenda::group_template(pool, &view.profile.group_id)
        .await?
        .unwrap_or_default();
    let mut choices = vec![Choice {
        value: String::new(),
        label: ctx.t("wgt-default-none"),
        selected: current.is_empty(),
    }];
    for template in crate::store::agenda::templates(pool).await? {
        choices.push(Choice {
            selected: template.id == current,
            value: template.id,
            label: template.name,
        });
    }
    Ok(choices)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TemplateChoiceForm {
    agenda_template_id: String,
}

/// Sets the group's default agenda template: the parts every new meeting's agenda starts with.
async fn set_agenda_template(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(choice): Form<TemplateChoiceForm>,
) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = crate::store::agenda_templates::set_group_default(
        &mut tx,
        &view.standing,
        &view.profile.group_id,
        &choice.agenda_template_id,
        &actor,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wgt-default-done")),
            &paths::group_settings(&slug),
        )),
        Err(errors) => {
            let form = filled(&view);
            let mut page = page(ctx, &view, form, FormErrors::none(), FormErrors::none()).await?;
            page.template_errors = errors;
            form::invalid(&page)
        }
    }
}
