//! The climate dashboard's parameters in the browser (issue 15 point 6):
//!
//! - `/cijfers/beheer/klimaat`: the emission factors and the cities' targets;
//! - emission factors (Kenniscentrum staff): add, change, close a validity with an end date;
//!   overlapping periods of one carrier are refused;
//! - targets (a city's data team for its own city, or staff): add, change, delete.
//!
//! Every form has its CSRF token, Dutch errors all at once, and nothing written on an error;
//! every write is audited (src/store/climate.rs).

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::policy::Actor;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::access;
use crate::climate::{Carrier, Target};
use crate::model::CITIES;
use crate::paths;
use crate::sheets::city_slug;
use crate::store::climate::{self as store, FactorFields, TargetFields};
use crate::web::actor;
use crate::web::climate::{factor_line, FactorLine};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::ADMIN_CLIMATE, get(list))
        .route(
            paths::NEW_EMISSION_FACTOR,
            get(new_factor_form).post(create_factor),
        )
        .route(
            paths::EDIT_EMISSION_FACTOR_ROUTE,
            get(edit_factor_form).post(update_factor),
        )
        .route(
            paths::NEW_CLIMATE_TARGET,
            get(new_target_form).post(create_target),
        )
        .route(
            paths::EDIT_CLIMATE_TARGET_ROUTE,
            get(edit_target_form).post(update_target),
        )
        .route(paths::DELETE_CLIMATE_TARGET_ROUTE, post(delete_target))
}

/// The organisation of the city with REFNIS code `place` (by the city's slug), if any.
async fn city_org(state: &AppState, place: &str) -> Result<Option<String>, AppError> {
    let Some((_, name)) = CITIES.iter().find(|(code, _)| *code == place) else {
        return Ok(None);
    };
    Ok(
        steden_core::org::find_by_slug(state.db().pool(), &city_slug(name))
            .await?
            .map(|o| o.id),
    )
}

/// The cities whose targets `actor` may keep: (REFNIS code, name), by name.
async fn manageable_cities(
    state: &AppState,
    actor: &Actor,
    kenniscentrum: &str,
) -> Result<Vec<(String, String)>, AppError> {
    let mut out = Vec::new();
    for (code, name) in CITIES {
        let org = city_org(state, code).await?;
        if access::can_manage_climate_targets(actor, org.as_deref(), kenniscentrum) {
            out.push((code.to_string(), name.to_string()));
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// `Ok(())` when `actor` may keep the targets of `place`.
async fn require_target_place(
    ctx: &PageContext,
    place: &str,
    kenniscentrum: &str,
) -> Result<(), AppError> {
    let org = city_org(ctx.state(), place).await?;
    access::require_manage_climate_targets(&actor(ctx), org.as_deref(), kenniscentrum)?;
    Ok(())
}

/// Logged in, and on a data team; the Kenniscentrum's id.
async fn require_admin(ctx: &PageContext) -> Result<String, AppError> {
    ctx.require_user()?;
    if !access::may_open_admin(&actor(ctx)) {
        return Err(AppError::Forbidden);
    }
    Ok(access::kenniscentrum_id(ctx.state().db()).await?)
}

struct TargetLine {
    city: String,
    label: String,
    years: String,
    reduction: String,
    href: String,
    demo: bool,
}

struct FactorRow {
    line: FactorLine,
    href: String,
}

#[derive(Template)]
#[template(path = "cijfers/climate_admin.html")]
struct ListPage {
    ctx: PageContext,
    factors: Vec<FactorRow>,
    may_edit_factors: bool,
    targets: Vec<TargetLine>,
    may_add_targets: bool,
}

fn city_name(code: &str) -> String {
    CITIES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code.to_string(), |(_, name)| name.to_string())
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    let kenniscentrum = require_admin(&ctx).await?;
    let who = actor(&ctx);
    let pool = ctx.state().db().pool();
    let may_edit_factors = access::can_manage_emission_factors(&who, &kenniscentrum);
    let factors = store::list_factors(pool)
        .await?
        .iter()
        .map(|f| FactorRow {
            line: factor_line(&ctx, f),
            href: if may_edit_factors {
                paths::edit_emission_factor(&f.id)
            } else {
                String::new()
            },
        })
        .collect();
    let cities = manageable_cities(ctx.state(), &who, &kenniscentrum).await?;
    let targets = store::list_targets(pool, None)
        .await?
        .into_iter()
        .map(|t| TargetLine {
            city: city_name(&t.place_code),
            years: format!("{} → {}", t.base_year, t.target_year),
            reduction: format!("−{} %", crate::charts::draw::format_nl(t.reduction_pct, 1)),
            href: if cities.iter().any(|(c, _)| *c == t.place_code) {
                paths::edit_climate_target(&t.id)
            } else {
                String::new()
            },
            label: t.label,
            demo: t.demo,
        })
        .collect();
    let title = ctx.t("cijfers-climate-admin-title");
    let crumb = ctx.t("cijfers-admin-title");
    render(&ListPage {
        ctx: ctx.crumb(crumb, paths::ADMIN_INDICATORS).titled(title),
        factors,
        may_edit_factors,
        targets,
        may_add_targets: !cities.is_empty(),
    })
}

/// The posted fields of a factor.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FactorInput {
    carrier: String,
    kg_co2_per_kwh: String,
    valid_from: String,
    valid_until: String,
    source: String,
    source_url: String,
}

impl From<FactorInput> for FactorFields {
    fn from(i: FactorInput) -> FactorFields {
        FactorFields {
            carrier: i.carrier,
            kg_co2_per_kwh: i.kg_co2_per_kwh,
            valid_from: i.valid_from,
            valid_until: i.valid_until,
            source: i.source,
            source_url: i.source_url,
        }
    }
}

#[derive(Template)]
#[template(path = "cijfers/climate_factor_form.html")]
struct FactorPage {
    ctx: PageContext,
    form: FactorFields,
    carriers: Vec<Choice>,
    errors: FormErrors,
    action: String,
}

fn factor_page(
    ctx: PageContext,
    form: FactorFields,
    errors: FormErrors,
    editing: Option<&str>,
) -> FactorPage {
    let title = match editing {
        Some(_) => ctx.t("cijfers-climate-factor-edit-title"),
        None => ctx.t("cijfers-climate-factor-new-title"),
    };
    let mut carriers = vec![Choice {
        value: String::new(),
        label: ctx.t("cijfers-climate-choose"),
        selected: form.carrier.is_empty(),
    }];
    carriers.extend(Carrier::ALL.iter().map(|c| Choice {
        value: c.as_str().into(),
        label: ctx.t(&c.label_key()),
        selected: form.carrier == c.as_str(),
    }));
    let crumb = ctx.t("cijfers-climate-admin-title");
    FactorPage {
        action: editing.map_or(
            paths::NEW_EMISSION_FACTOR.to_string(),
            paths::edit_emission_factor,
        ),
        ctx: ctx.crumb(crumb, paths::ADMIN_CLIMATE).titled(title),
        form,
        carriers,
        errors,
    }
}

async fn require_factors(ctx: &PageContext) -> Result<(), AppError> {
    let kenniscentrum = require_admin(ctx).await?;
    access::require_manage_emission_factors(&actor(ctx), &kenniscentrum)?;
    Ok(())
}

async fn new_factor_form(ctx: PageContext) -> Result<Response, AppError> {
    require_factors(&ctx).await?;
    render(&factor_page(
        ctx,
        FactorFields::default(),
        FormErrors::none(),
        None,
    ))
}

async fn create_factor(
    ctx: PageContext,
    Form(input): Form<FactorInput>,
) -> Result<Response, AppError> {
    require_factors(&ctx).await?;
    let fields = FactorFields::from(input);
    let audit = actor(&ctx).audit_actor();
    let mut tx = ctx.state().db().begin().await?;
    let result = store::create_factor(&mut tx, &fields, false, &audit).await;
    match form::settle(tx, result).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("cijfers-climate-factor-saved")),
            paths::ADMIN_CLIMATE,
        )),
        Err(errors) => form::invalid(&factor_page(ctx, fields, errors, None)),
    }
}

async fn found_factor(ctx: &PageContext, id: &str) -> Result<crate::climate::Factor, AppError> {
    require_factors(ctx).await?;
    store::find_factor(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn edit_factor_form(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let factor = found_factor(&ctx, &id).await?;
    let form = FactorFields::of(&factor);
    render(&factor_page(
        ctx,
        form,
        FormErrors::none(),
        Some(&factor.id),
    ))
}

async fn update_factor(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(input): Form<FactorInput>,
) -> Result<Response, AppError> {
    let factor = found_factor(&ctx, &id).await?;
    let fields = FactorFields::from(input);
    let audit = actor(&ctx).audit_actor();
    let mut tx = ctx.state().db().begin().await?;
    let result = store::update_factor(&mut tx, &factor, &fields, &audit).await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("cijfers-climate-factor-saved")),
            paths::ADMIN_CLIMATE,
        )),
        Err(errors) => form::invalid(&factor_page(ctx, fields, errors, Some(&factor.id))),
    }
}

/// The posted fields of a target.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TargetInput {
    place_code: String,
    label: String,
    base_year: String,
    target_year: String,
    reduction_pct: String,
    source: String,
}

impl From<TargetInput> for TargetFields {
    fn from(i: TargetInput) -> TargetFields {
        TargetFields {
            place_code: i.place_code,
            label: i.label,
            base_year: i.base_year,
            target_year: i.target_year,
            reduction_pct: i.reduction_pct,
            source: i.source,
        }
    }
}

#[derive(Template)]
#[template(path = "cijfers/climate_target_form.html")]
struct TargetPage {
    ctx: PageContext,
    form: TargetFields,
    places: Vec<Choice>,
    errors: FormErrors,
    action: String,
    delete_action: String,
}

async fn target_page(
    ctx: PageContext,
    form: TargetFields,
    errors: FormErrors,
    editing: Option<&str>,
) -> Result<TargetPage, AppError> {
    let kenniscentrum = access::kenniscentrum_id(ctx.state().db()).await?;
    let cities = manageable_cities(ctx.state(), &actor(&ctx), &kenniscentrum).await?;
    let mut places = vec![Choice {
        value: String::new(),
        label: ctx.t("cijfers-climate-choose"),
        selected: form.place_code.is_empty(),
    }];
    places.extend(cities.into_iter().map(|(code, name)| Choice {
        selected: form.place_code == code,
        value: code,
        label: name,
    }));
    let title = match editing {
        Some(_) => ctx.t_with(
            "cijfers-climate-target-edit-title",
            &[("label", &form.label)],
        ),
        None => ctx.t("cijfers-climate-target-new-title"),
    };
    let crumb = ctx.t("cijfers-climate-admin-title");
    Ok(TargetPage {
        action: editing.map_or(
            paths::NEW_CLIMATE_TARGET.to_string(),
            paths::edit_climate_target,
        ),
        delete_action: editing
            .map(paths::delete_climate_target)
            .unwrap_or_default(),
        ctx: ctx.crumb(crumb, paths::ADMIN_CLIMATE).titled(title),
        form,
        places,
        errors,
    })
}

async fn new_target_form(ctx: PageContext) -> Result<Response, AppError> {
    let kenniscentrum = require_admin(&ctx).await?;
    if manageable_cities(ctx.state(), &actor(&ctx), &kenniscentrum)
        .await?
        .is_empty()
    {
        return Err(AppError::Forbidden);
    }
    let page = target_page(ctx, TargetFields::default(), FormErrors::none(), None).await?;
    render(&page)
}

async fn create_target(
    ctx: PageContext,
    Form(input): Form<TargetInput>,
) -> Result<Response, AppError> {
    let kenniscentrum = require_admin(&ctx).await?;
    let fields = TargetFields::from(input);
    // The chosen city must be one the visitor keeps (an empty or unknown one is a form error).
    if CITIES.iter().any(|(c, _)| *c == fields.place_code.trim()) {
        require_target_place(&ctx, fields.place_code.trim(), &kenniscentrum).await?;
    } else if manageable_cities(ctx.state(), &actor(&ctx), &kenniscentrum)
        .await?
        .is_empty()
    {
        return Err(AppError::Forbidden);
    }
    let audit = actor(&ctx).audit_actor();
    let mut tx = ctx.state().db().begin().await?;
    let result = store::create_target(&mut tx, &fields, false, &audit).await;
    match form::settle(tx, result).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("cijfers-climate-target-saved")),
            paths::ADMIN_CLIMATE,
        )),
        Err(errors) => form::invalid(&target_page(ctx, fields, errors, None).await?),
    }
}

async fn found_target(ctx: &PageContext, id: &str) -> Result<Target, AppError> {
    let kenniscentrum = require_admin(ctx).await?;
    let target = store::find_target(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    require_target_place(ctx, &target.place_code, &kenniscentrum).await?;
    Ok(target)
}

async fn edit_target_form(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let target = found_target(&ctx, &id).await?;
    let page = target_page(
        ctx,
        TargetFields::of(&target),
        FormErrors::none(),
        Some(&target.id),
    )
    .await?;
    render(&page)
}

async fn update_target(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(input): Form<TargetInput>,
) -> Result<Response, AppError> {
    let target = found_target(&ctx, &id).await?;
    let kenniscentrum = access::kenniscentrum_id(ctx.state().db()).await?;
    let fields = TargetFields::from(input);
    if fields.place_code.trim() != target.place_code
        && CITIES.iter().any(|(c, _)| *c == fields.place_code.trim())
    {
        require_target_place(&ctx, fields.place_code.trim(), &kenniscentrum).await?;
    }
    let audit = actor(&ctx).audit_actor();
    let mut tx = ctx.state().db().begin().await?;
    let result = store::update_target(&mut tx, &target, &fields, &audit).await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("cijfers-climate-target-saved")),
            paths::ADMIN_CLIMATE,
        )),
        Err(errors) => form::invalid(&target_page(ctx, fields, errors, Some(&target.id)).await?),
    }
}

async fn delete_target(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let target = found_target(&ctx, &id).await?;
    let audit = actor(&ctx).audit_actor();
    let mut tx = ctx.state().db().begin().await?;
    store::delete_target(&mut tx, &target, &audit).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("cijfers-climate-target-deleted")),
        paths::ADMIN_CLIMATE,
    ))
}
