//! Kwesties pages: the plan's list (filtered by status, severity and owner), the logged-in
//! user's own kwesties across plans, the form to add or change one (editors and the item's
//! owner), and the item page's panel.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::membership;
use steden_core::policy::{self, Action, Actor};
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::access;
use crate::kwesties::{
    Filter, Kwestie, KwestieFields, KwestieKind, KwestieStatus, OwnedKwestie, Severity,
};
use crate::model::{Item, Plan};
use crate::paths;
use crate::store::kwesties;
use crate::web::load;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plannen/{id}/kwesties", get(list))
        .route(
            "/plannen/{id}/items/{item_id}/kwesties/nieuw",
            get(new_form).post(create),
        )
        .route(
            "/plannen/{id}/kwesties/{kwestie_id}/bewerken",
            get(edit_form).post(update),
        )
        .route("/mijn-kwesties", get(mine))
}

fn choices<T: Copy>(
    ctx: &PageContext,
    all: &[T],
    value: impl Fn(T) -> &'static str,
    key: impl Fn(T) -> String,
    current: &str,
) -> Vec<Choice> {
    Choice::list(all, current, value, |v| ctx.t(&key(v)))
}

async fn owner_choices(
    ctx: &PageContext,
    plan: &Plan,
    current: &str,
) -> Result<Vec<Choice>, AppError> {
    let members = membership::list_for_org(ctx.state().db().pool(), &plan.organisation_id).await?;
    Ok(members
        .into_iter()
        .filter(|m| m.active)
        .map(|m| {
            let selected = m.user_id == current;
            Choice::new(m.user_id, m.name, selected)
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// The plan's list

/// The status filter's value for "not resolved" (open or in progress).
pub(crate) const UNRESOLVED: &str = "niet_opgelost";

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    status: String,
    severity: String,
    owner: String,
}

#[derive(Template)]
#[template(path = "plan/kwesties/list.html")]
struct ListPage {
    ctx: PageContext,
    plan: Plan,
    kwesties: Vec<Kwestie>,
    /// Per kwestie: whether the user may open its form ([`kwestie_for_reporter`]'s check).
    changeable: Vec<bool>,
    statuses: Vec<Choice>,
    severities: Vec<Choice>,
    owners: Vec<Choice>,
    filtered: bool,
}

async fn list(
    ctx: PageContext,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let (actor, plan) = load::plan(&ctx, &id).await?;
    // "Not resolved" (open or in progress): what the dashboard counts as open kwesties, and
    // links here for.
    let unresolved = query.status == UNRESOLVED;
    let filter = Filter {
        status: KwestieStatus::parse(&query.status),
        severity: Severity::parse(&query.severity),
        owner_user_id: Some(query.owner.clone()).filter(|o| !o.is_empty()),
    };
    let mut kwesties = kwesties::list_for_plan(ctx.state().db(), &plan.id, &filter).await?;
    if unresolved {
        kwesties.retain(|k| k.status != KwestieStatus::Opgelost);
    }
    let changeable = changeable(&ctx, &actor, &plan, &kwesties).await?;
    let mut statuses = vec![Choice::new(
        UNRESOLVED,
        ctx.t("plan-fu-kstatus-unresolved"),
        unresolved,
    )];
    statuses.extend(choices(
        &ctx,
        KwestieStatus::ALL,
        KwestieStatus::as_str,
        KwestieStatus::label_key,
        &query.status,
    ));
    let severities = choices(
        &ctx,
        Severity::ALL,
        Severity::as_str,
        Severity::label_key,
        &query.severity,
    );
    let owners = owner_choices(&ctx, &plan, &query.owner).await?;
    let title = ctx.t("plan-fu-kwesties-title");
    let plans = ctx.t("plan-nav-plans");
    let ctx = ctx
        .crumb(plans, paths::PLANS)
        .crumb(plan.title.clone(), load::plan_path(&plan.id))
        .titled(title);
    render(&ListPage {
        ctx,
        plan,
        kwesties,
        changeable,
        statuses,
        severities,
        owners,
        filtered: unresolved
            || filter.status.is_some()
            || filter.severity.is_some()
            || filter.owner_user_id.is_some(),
    })
}

/// Per kwestie, whether `actor` may report on its item (and so change the kwestie).
async fn changeable(
    ctx: &PageContext,
    actor: &Actor,
    plan: &Plan,
    kwesties: &[Kwestie],
) -> Result<Vec<bool>, AppError> {
    if access::can_edit(actor, plan) {
        return Ok(vec![true; kwesties.len()]);
    }
    let mut known: Vec<(String, bool)> = Vec::new();
    let mut result = Vec::with_capacity(kwesties.len());
    for kwestie in kwesties {
        let may = match known.iter().find(|(id, _)| *id == kwestie.item_id) {
            Some((_, may)) => *may,
            None => {
                let may = crate::store::items::find(ctx.state().db().pool(), &kwestie.item_id)
                    .await?
                    .is_some_and(|item| access::can_report(actor, plan, &item));
                known.push((kwestie.item_id.clone(), may));
                may
            }
        };
        result.push(may);
    }
    Ok(result)
}

// ---------------------------------------------------------------------------------------------
// My kwesties

#[derive(Template)]
#[template(path = "plan/kwesties/mine.html")]
struct MinePage {
    ctx: PageContext,
    kwesties: Vec<OwnedKwestie>,
}

async fn mine(ctx: PageContext) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let actor = user.actor();
    let user_id = user.user_id.clone();
    let kwesties = kwesties::list_for_owner(ctx.state().db(), &user_id)
        .await?
        .into_iter()
        .filter(|k| policy::can(&actor, access::MODULE, Action::Read, &k.organisation_id))
        .collect();
    let title = ctx.t("plan-fu-mine-title");
    render(&MinePage {
        ctx: ctx.titled(title),
        kwesties,
    })
}

// ---------------------------------------------------------------------------------------------
// Add and change

#[derive(Template)]
#[template(path = "plan/kwesties/form.html")]
struct FormPage {
    ctx: PageContext,
    plan: Plan,
    item: Item,
    /// Where the form posts.
    action: String,
    is_new: bool,
    form: KwestieFields,
    kinds: Vec<Choice>,
    severities: Vec<Choice>,
    statuses: Vec<Choice>,
    owners: Vec<Choice>,
    errors: FormErrors,
}

async fn form_page(
    ctx: PageContext,
    plan: Plan,
    item: Item,
    kwestie_id: Option<&str>,
    form: KwestieFields,
    errors: FormErrors,
) -> Result<FormPage, AppError> {
    let kinds = choices(
        &ctx,
        KwestieKind::ALL,
        KwestieKind::as_str,
        KwestieKind::label_key,
        &form.kind,
    );
    let severities = choices(
        &ctx,
        Severity::ALL,
        Severity::as_str,
        Severity::label_key,
        &form.severity,
    );
    let statuses = choices(
        &ctx,
        KwestieStatus::ALL,
        KwestieStatus::as_str,
        KwestieStatus::label_key,
        &form.status,
    );
    let owners = owner_choices(&ctx, &plan, &form.owner_user_id).await?;
    let (action, title) = match kwestie_id {
        Some(k) => (
            paths::kwestie_edit_path(&plan.id, k),
            ctx.t("plan-fu-kwestie-edit"),
        ),
        None => (
            paths::new_kwestie_path(&plan.id, &item.id),
            ctx.t("plan-fu-kwestie-new"),
        ),
    };
    let plans = ctx.t("plan-nav-plans");
    let ctx = ctx
        .crumb(plans, paths::PLANS)
        .crumb(plan.title.clone(), load::plan_path(&plan.id))
        .crumb(
            format!("{} {}", item.code, item.title),
            load::item_path(&plan.id, &item.id),
        )
        .titled(title);
    Ok(FormPage {
        ctx,
        plan,
        item,
        action,
        is_new: kwestie_id.is_none(),
        form,
        kinds,
        severities,
        statuses,
        owners,
        errors,
    })
}

async fn new_form(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, plan, item) = load::item_for_reporter(&ctx, &id, &item_id).await?;
    let form = KwestieFields {
        kind: KwestieKind::Kwestie.as_str().into(),
        severity: Severity::Middel.as_str().into(),
        status: KwestieStatus::Open.as_str().into(),
        owner_user_id: item.owner_user_id.clone().unwrap_or_default(),
        ..KwestieFields::default()
    };
    render(&form_page(ctx, plan, item, None, form, FormErrors::none()).await?)
}

async fn create(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
    Form(form): Form<KwestieFields>,
) -> Result<Response, AppError> {
    let (actor, plan, item) = load::item_for_reporter(&ctx, &id, &item_id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = kwesties::create(&mut tx, &item.id, &form, &actor.audit_actor()).await;
    match form::settle(tx, result).await? {
        Ok(kwestie) => {
            let message = ctx.t_with("plan-fu-kwestie-created", &[("title", &kwestie.title)]);
            Ok(flash::redirect_with(
                Flash::success(message),
                &load::item_path(&plan.id, &item.id),
            ))
        }
        Err(errors) => form::invalid(&form_page(ctx, plan, item, None, form, errors).await?),
    }
}

/// The kwestie with its item, for a user who may report on that item.
async fn kwestie_for_reporter(
    ctx: &PageContext,
    plan_id: &str,
    kwestie_id: &str,
) -> Result<(Actor, Plan, Item, Kwestie), AppError> {
    let (_, plan) = load::plan(ctx, plan_id).await?;
    let kwestie = kwesties::find(ctx.state().db().pool(), kwestie_id)
        .await?
        .filter(|k| k.plan_id == plan.id)
        .ok_or(AppError::NotFound)?;
    let (actor, plan, item) = load::item_for_reporter(ctx, plan_id, &kwestie.item_id).await?;
    Ok((actor, plan, item, kwestie))
}

async fn edit_form(
    ctx: PageContext,
    Path((id, kwestie_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, plan, item, kwestie) = kwestie_for_reporter(&ctx, &id, &kwestie_id).await?;
    let form = KwestieFields::from_kwestie(&kwestie);
    render(&form_page(ctx, plan, item, Some(&kwestie.id), form, FormErrors::none()).await?)
}

async fn update(
    ctx: PageContext,
    Path((id, kwestie_id)): Path<(String, String)>,
    Form(form): Form<KwestieFields>,
) -> Result<Response, AppError> {
    let (actor, plan, item, kwestie) = kwestie_for_reporter(&ctx, &id, &kwestie_id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = kwesties::update(&mut tx, &kwestie.id, &form, &actor.audit_actor()).await;
    match form::settle(tx, result).await? {
        Ok(kwestie) => {
            let message = ctx.t_with("plan-fu-kwestie-saved", &[("title", &kwestie.title)]);
            Ok(flash::redirect_with(
                Flash::success(message),
                &paths::kwesties_path(&plan.id),
            ))
        }
        Err(errors) => {
            form::invalid(&form_page(ctx, plan, item, Some(&kwestie.id), form, errors).await?)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The item page's panel

#[derive(Template)]
#[template(path = "plan/kwesties/panel.html")]
struct Panel<'a> {
    ctx: &'a PageContext,
    plan: &'a Plan,
    item: &'a Item,
    kwesties: Vec<Kwestie>,
    can_report: bool,
}

/// This capability's section of the item page (a `<section>` with an `<h2>`), or nothing.
pub async fn item_panel(
    ctx: &PageContext,
    actor: &Actor,
    plan: &Plan,
    item: &Item,
) -> Result<String, AppError> {
    let kwesties = kwesties::list_for_item(ctx.state().db().pool(), &item.id).await?;
    let can_report = access::can_report(actor, plan, item);
    Ok(Panel {
        ctx,
        plan,
        item,
        kwesties,
        can_report,
    }
    .render()?)
}
