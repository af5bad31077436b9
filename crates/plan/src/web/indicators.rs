//! The indicator pages: a plan's indicators (tab "indicatoren"), one indicator with its chart,
//! data table and measurement form, the editors' forms to add and change indicators, the
//! indicator panel on the item page, and the comparison of an indicator shared by several
//! organisations (`/indicatoren/vergelijk/{definition_key}`).
//!
//! Who sees an indicator: a logged-in user who may read its plan ([`access::can_read`]), or any
//! logged-in user when the plan is published with the field "indicatoren"
//! ([`PublishedField::Indicators`]) — that is what lets cities compare their figures. Measuring
//! takes [`access::can_report`] on the indicator's item (editors, and the item's owner);
//! defining, changing and deleting indicators or measurements takes [`access::can_edit`].

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::policy::Actor;
use steden_core::time::show_date;
use steden_web::delete;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::access;
use crate::indicators::chart::{self, CompareLine};
use crate::indicators::health::{health, latest_on_or_before};
use crate::indicators::number::format_number;
use crate::indicators::store::{
    self as indicator_store, IndicatorFields, NewMeasurement, FREQUENCIES,
};
use crate::indicators::{Health, IndicatorSeries};
use crate::model::{Item, Plan, PublishedField};
use crate::paths::{self, indicator_path, indicators_path};
use crate::store;
use crate::web::load;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plannen/{id}/indicatoren", get(list))
        .route("/plannen/{id}/indicatoren/{indicator_id}", get(show))
        .route(
            "/plannen/{id}/indicatoren/{indicator_id}/metingen",
            post(add_measurement),
        )
        .route(
            "/plannen/{id}/indicatoren/{indicator_id}/metingen/{measurement_id}/verwijderen",
            post(delete_measurement),
        )
        .route(
            "/plannen/{id}/items/{item_id}/indicatoren/nieuw",
            get(new_form).post(create),
        )
        .route(
            "/plannen/{id}/indicatoren/{indicator_id}/bewerken",
            get(edit_form).post(update),
        )
        .route(
            "/plannen/{id}/indicatoren/{indicator_id}/verwijderen",
            post(delete),
        )
        .route("/indicatoren/vergelijk/{definition_key}", get(compare))
}

/// Whether `actor` may see the indicators of `plan` (see the module documentation).
pub fn can_see_indicators(actor: &Actor, plan: &Plan) -> bool {
    access::can_read(actor, plan) || plan.publishes(PublishedField::Indicators)
}

/// The plan, for a logged-in user who may see its indicators (404 otherwise).
async fn visible_plan(ctx: &PageContext, plan_id: &str) -> Result<(Actor, Plan), AppError> {
    let actor = ctx.require_user()?.actor();
    let plan = store::plans::find(ctx.state().db().pool(), plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !can_see_indicators(&actor, &plan) {
        return Err(AppError::NotFound);
    }
    Ok((actor, plan))
}

/// The indicator with its series and item, when it belongs to the plan.
async fn indicator_of(
    ctx: &PageContext,
    plan: &Plan,
    indicator_id: &str,
) -> Result<(IndicatorSeries, Item), AppError> {
    let db = ctx.state().db();
    let series = indicator_store::series(db.pool(), indicator_id)
        .await?
        .filter(|s| s.indicator.plan_id == plan.id)
        .ok_or(AppError::NotFound)?;
    let item = store::items::find(db.pool(), &series.indicator.item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((series, item))
}

fn with_unit(value: f64, unit: &str) -> String {
    if unit.is_empty() {
        format_number(value, 2)
    } else {
        format!("{} {unit}", format_number(value, 2))
    }
}

/// What a row of an indicator table shows.
struct Summary {
    id: String,
    name: String,
    latest: String,
    latest_date: String,
    target: String,
    target_date: String,
    health: Option<Health>,
}

impl Summary {
    fn of(series: &IndicatorSeries, today: &str) -> Summary {
        let i = &series.indicator;
        let latest = latest_on_or_before(series, today);
        // The target that matters now: the first one not yet past, else the last.
        let target = series
            .targets
            .iter()
            .find(|t| t.date.as_str() >= today)
            .or(series.targets.last());
        Summary {
            id: i.id.clone(),
            name: i.name.clone(),
            latest: latest
                .map(|m| with_unit(m.value, &i.unit))
                .unwrap_or_default(),
            latest_date: latest
                .map(|m| show_date(&m.measured_on))
                .unwrap_or_default(),
            target: target
                .map(|t| with_unit(t.value, &i.unit))
                .unwrap_or_default(),
            target_date: target.map(|t| show_date(&t.date)).unwrap_or_default(),
            health: health(series, today),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The plan's indicators

struct ListRow {
    item_code: String,
    item_title: String,
    item_id: String,
    summary: Summary,
}

#[derive(Template)]
#[template(path = "plan/indicators/list.html")]
struct ListPage {
    ctx: PageContext,
    plan: Plan,
    rows: Vec<ListRow>,
    /// The health the list is filtered on, in words.
    health_filter: Option<String>,
}

/// The list's filter: `koers=niet_op_koers` shows the indicators off track (the dashboard's
/// key figure links here).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    koers: String,
}

async fn list(
    ctx: PageContext,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let (_actor, plan) = visible_plan(&ctx, &id).await?;
    let db = ctx.state().db();
    let items: HashMap<String, Item> = store::items::list_for_plan(db.pool(), &plan.id)
        .await?
        .into_iter()
        .map(|i| (i.id.clone(), i))
        .collect();
    let today = store::today();
    let rows = indicator_store::list_for_plan(db.pool(), &plan.id)
        .await?
        .iter()
        .map(|s| {
            let item = items.get(&s.indicator.item_id);
            ListRow {
                item_code: item.map(|i| i.code.clone()).unwrap_or_default(),
                item_title: item.map(|i| i.title.clone()).unwrap_or_default(),
                item_id: s.indicator.item_id.clone(),
                summary: Summary::of(s, &today),
            }
        })
        .filter(|row: &ListRow| {
            query.koers.is_empty()
                || row.summary.health.map(Health::as_str) == Some(query.koers.as_str())
        })
        .collect();
    let health_filter = [Health::OpKoers, Health::Aandacht, Health::NietOpKoers]
        .iter()
        .find(|h| h.as_str() == query.koers)
        .map(|h| ctx.t(&h.label_key()));
    let title = ctx.t("plan-ind-title");
    let plans = ctx.t("plan-nav-plans");
    render(&ListPage {
        ctx: ctx
            .crumb(plans, paths::PLANS)
            .crumb(plan.title.clone(), load::plan_path(&plan.id))
            .titled(title),
        plan,
        rows,
        health_filter,
    })
}

// ---------------------------------------------------------------------------------------------
// One indicator

/// What the user typed in the measurement form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MeasurementForm {
    measured_on: String,
    value: String,
    comment: String,
}

struct MeasurementRow {
    id: String,
    date: String,
    value: String,
    comment: String,
    author: String,
}

struct TargetRow {
    date: String,
    value: String,
}

#[derive(Template)]
#[template(path = "plan/indicators/show.html")]
struct ShowPage {
    ctx: PageContext,
    plan: Plan,
    item: Item,
    series: IndicatorSeries,
    summary: Summary,
    chart: String,
    direction_key: String,
    frequency_key: String,
    baseline: String,
    baseline_date: String,
    targets: Vec<TargetRow>,
    measurements: Vec<MeasurementRow>,
    can_report: bool,
    can_edit: bool,
    form: MeasurementForm,
    errors: FormErrors,
    /// The measurement source section ([`super::indicator_sources::panel`]).
    source_panel: String,
    /// Whether the measurements come from a source (no form to type them then).
    linked: bool,
}

async fn show_page(
    ctx: PageContext,
    actor: &Actor,
    plan: Plan,
    series: IndicatorSeries,
    item: Item,
    form: MeasurementForm,
    errors: FormErrors,
) -> Result<ShowPage, AppError> {
    let can_edit = access::can_edit(actor, &plan);
    let (source_panel, linked) =
        super::indicator_sources::panel(&ctx, &plan, &series.indicator.id, can_edit).await?;
    let today = store::today();
    let i = &series.indicator;
    let chart = chart::svg(&series, &format!("grafiek-{}", i.id));
    let plans = ctx.t("plan-nav-plans");
    let indicators = ctx.t("plan-ind-title");
    Ok(ShowPage {
        source_panel,
        linked,
        summary: Summary::of(&series, &today),
        chart,
        direction_key: format!("plan-ind-direction-{}", i.direction.as_str()),
        frequency_key: format!("plan-ind-frequency-{}", i.frequency),
        baseline: with_unit(i.baseline_value, &i.unit),
        baseline_date: show_date(&i.baseline_date),
        targets: series
            .targets
            .iter()
            .map(|t| TargetRow {
                date: show_date(&t.date),
                value: with_unit(t.value, &i.unit),
            })
            .collect(),
        measurements: series
            .measurements
            .iter()
            .rev()
            .map(|m| MeasurementRow {
                id: m.id.clone(),
                date: show_date(&m.measured_on),
                value: with_unit(m.value, &i.unit),
                comment: m.comment.clone(),
                author: m.author.clone(),
            })
            .collect(),
        can_report: access::can_report(actor, &plan, &item),
        can_edit,
        form,
        errors,
        ctx: ctx
            .crumb(plans, paths::PLANS)
            .crumb(plan.title.clone(), load::plan_path(&plan.id))
            .crumb(indicators, indicators_path(&plan.id))
            .titled(i.name.clone()),
        plan,
        item,
        series,
    })
}

async fn show(
    ctx: PageContext,
    Path((id, indicator_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (actor, plan) = visible_plan(&ctx, &id).await?;
    let (series, item) = indicator_of(&ctx, &plan, &indicator_id).await?;
    let form = MeasurementForm {
        measured_on: steden_core::time::format_naive_date(chrono::Utc::now().date_naive()),
        ..MeasurementForm::default()
    };
    let page = show_page(ctx, &actor, plan, series, item, form, FormErrors::none()).await?;
    render(&page)
}

async fn add_measurement(
    ctx: PageContext,
    Path((id, indicator_id)): Path<(String, String)>,
    Form(form): Form<MeasurementForm>,
) -> Result<Response, AppError> {
    let (actor, plan) = visible_plan(&ctx, &id).await?;
    let (series, item) = indicator_of(&ctx, &plan, &indicator_id).await?;
    access::require_report(&actor, &plan, &item)?;
    let db = ctx.state().db();
    let mut tx = db.begin().await?;
    // An indicator with a measurement source takes no values by hand; checked in the write's
    // transaction, so that the refusal shows on the form like any other field error.
    let refused = store::indicator_sources::refuse_manual_entry(&mut *tx, &indicator_id).await;
    let added = match refused {
        Ok(()) => {
            indicator_store::add_measurement(
                &mut tx,
                &indicator_id,
                &NewMeasurement {
                    measured_on: form.measured_on.clone(),
                    value: form.value.clone(),
                    comment: form.comment.clone(),
                    author_name: String::new(),
                },
                &actor.audit_actor(),
            )
            .await
        }
        Err(err) => Err(err),
    };
    match form::settle(tx, added).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("plan-ind-measurement-saved")),
            &indicator_path(&plan.id, &indicator_id),
        )),
        Err(errors) => {
            let page = show_page(ctx, &actor, plan, series, item, form, errors).await?;
            form::invalid(&page)
        }
    }
}

async fn delete_measurement(
    ctx: PageContext,
    Path((id, indicator_id, measurement_id)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let (actor, plan) = load::plan_for_editor(&ctx, &id).await?;
    let (series, _item) = indicator_of(&ctx, &plan, &indicator_id).await?;
    if !series.measurements.iter().any(|m| m.id == measurement_id) {
        return Err(AppError::NotFound);
    }
    let mut tx = ctx.state().db().begin().await?;
    let result =
        indicator_store::delete_measurement(&mut tx, &measurement_id, &actor.audit_actor()).await;
    let done = Flash::success(ctx.t("plan-ind-measurement-deleted"));
    let to = indicator_path(&plan.id, &indicator_id);
    delete::finish(tx, result, done, &to).await
}

// ---------------------------------------------------------------------------------------------
// Defining indicators (editors)

#[derive(Template)]
#[template(path = "plan/indicators/form.html")]
struct FormPage {
    ctx: PageContext,
    item: Item,
    action: String,
    cancel: String,
    form: IndicatorFields,
    directions: Vec<Choice>,
    frequencies: Vec<Choice>,
    errors: FormErrors,
}

/// Which indicator form: a new one for an item, or the edit form of an indicator.
enum FormMode<'a> {
    New,
    Edit(&'a str),
}

impl FormMode<'_> {
    fn action(&self, plan: &Plan, item: &Item) -> String {
        match self {
            FormMode::New => paths::new_indicator_path(&plan.id, &item.id),
            FormMode::Edit(id) => paths::indicator_edit_path(&plan.id, id),
        }
    }

    fn cancel(&self, plan: &Plan, item: &Item) -> String {
        match self {
            FormMode::New => load::item_path(&plan.id, &item.id),
            FormMode::Edit(id) => indicator_path(&plan.id, id),
        }
    }

    fn title_key(&self) -> &'static str {
        match self {
            FormMode::New => "plan-ind-new-title",
            FormMode::Edit(_) => "plan-ind-edit-title",
        }
    }
}

fn form_page(
    ctx: PageContext,
    (plan, item): (Plan, Item),
    mode: FormMode<'_>,
    form: IndicatorFields,
    errors: FormErrors,
) -> FormPage {
    let action = mode.action(&plan, &item);
    let cancel = mode.cancel(&plan, &item);
    let title_key = mode.title_key();
    let direction = if form.direction.is_empty() {
        "hoger"
    } else {
        form.direction.as_str()
    };
    let frequency = if form.frequency.is_empty() {
        "jaarlijks"
    } else {
        form.frequency.as_str()
    };
    let directions = Choice::list(
        &["hoger", "lager"],
        direction,
        |value| value,
        |value| ctx.t(&format!("plan-ind-direction-{value}")),
    );
    let frequencies = Choice::list(
        &FREQUENCIES,
        frequency,
        |value| value,
        |value| ctx.t(&format!("plan-ind-frequency-{value}")),
    );
    let title = ctx.t(title_key);
    let plans = ctx.t("plan-nav-plans");
    FormPage {
        ctx: ctx
            .crumb(plans, paths::PLANS)
            .crumb(plan.title.clone(), load::plan_path(&plan.id))
            .crumb(
                format!("{} {}", item.code, item.title),
                load::item_path(&plan.id, &item.id),
            )
            .titled(title),
        item,
        action,
        cancel,
        form,
        directions,
        frequencies,
        errors,
    }
}

async fn new_form(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_actor, plan, item) = load::item_for_editor(&ctx, &id, &item_id).await?;
    let form = IndicatorFields {
        direction: "hoger".into(),
        frequency: "jaarlijks".into(),
        ..IndicatorFields::default()
    };
    render(&form_page(
        ctx,
        (plan, item),
        FormMode::New,
        form,
        FormErrors::none(),
    ))
}

async fn create(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
    Form(form): Form<IndicatorFields>,
) -> Result<Response, AppError> {
    let (actor, plan, item) = load::item_for_editor(&ctx, &id, &item_id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = indicator_store::create(&mut tx, &item.id, &form, &actor.audit_actor()).await;
    match form::settle(tx, result).await? {
        Ok(indicator) => Ok(flash::redirect_with(
            Flash::success(ctx.t("plan-ind-created")),
            &indicator_path(&plan.id, &indicator.id),
        )),
        Err(errors) => form::invalid(&form_page(ctx, (plan, item), FormMode::New, form, errors)),
    }
}

async fn indicator_for_editor(
    ctx: &PageContext,
    plan_id: &str,
    indicator_id: &str,
) -> Result<(Actor, Plan, IndicatorSeries, Item), AppError> {
    let (actor, plan) = load::plan_for_editor(ctx, plan_id).await?;
    let (series, item) = indicator_of(ctx, &plan, indicator_id).await?;
    Ok((actor, plan, series, item))
}

async fn edit_form(
    ctx: PageContext,
    Path((id, indicator_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_actor, plan, series, item) = indicator_for_editor(&ctx, &id, &indicator_id).await?;
    let form = IndicatorFields::from_series(&series);
    render(&form_page(
        ctx,
        (plan, item),
        FormMode::Edit(&indicator_id),
        form,
        FormErrors::none(),
    ))
}

async fn update(
    ctx: PageContext,
    Path((id, indicator_id)): Path<(String, String)>,
    Form(form): Form<IndicatorFields>,
) -> Result<Response, AppError> {
    let (actor, plan, _series, item) = indicator_for_editor(&ctx, &id, &indicator_id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = indicator_store::update(&mut tx, &indicator_id, &form, &actor.audit_actor()).await;
    match form::settle(tx, result).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("plan-ind-updated")),
            &indicator_path(&plan.id, &indicator_id),
        )),
        Err(errors) => form::invalid(&form_page(
            ctx,
            (plan, item),
            FormMode::Edit(&indicator_id),
            form,
            errors,
        )),
    }
}

async fn delete(
    ctx: PageContext,
    Path((id, indicator_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (actor, plan, _series, item) = indicator_for_editor(&ctx, &id, &indicator_id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = indicator_store::delete(&mut tx, &indicator_id, &actor.audit_actor()).await;
    let done = Flash::success(ctx.t("plan-ind-deleted"));
    delete::finish(tx, result, done, &load::item_path(&plan.id, &item.id)).await
}

// ---------------------------------------------------------------------------------------------
// The item page's panel

#[derive(Template)]
#[template(path = "plan/indicators/panel.html")]
struct Panel<'a> {
    ctx: &'a PageContext,
    plan: &'a Plan,
    item: &'a Item,
    rows: Vec<Summary>,
    can_edit: bool,
}

/// This capability's section of the item page (a `<section>` with an `<h2>`), or nothing.
pub async fn item_panel(
    ctx: &PageContext,
    actor: &Actor,
    plan: &Plan,
    item: &Item,
) -> Result<String, AppError> {
    if !can_see_indicators(actor, plan) {
        return Ok(String::new());
    }
    let today = store::today();
    let rows: Vec<Summary> = indicator_store::for_item(ctx.state().db().pool(), &item.id)
        .await?
        .iter()
        .map(|s| Summary::of(s, &today))
        .collect();
    let can_edit = access::can_edit(actor, plan);
    if rows.is_empty() && !can_edit {
        return Ok(String::new());
    }
    Ok(Panel {
        ctx,
        plan,
        item,
        rows,
        can_edit,
    }
    .render()?)
}

// ---------------------------------------------------------------------------------------------
// Comparison across organisations

struct CompareRow {
    organisation: String,
    plan_id: String,
    plan_title: String,
    summary: Summary,
}

#[derive(Template)]
#[template(path = "plan/indicators/compare.html")]
struct ComparePage {
    ctx: PageContext,
    key: String,
    name: String,
    rows: Vec<CompareRow>,
    chart: String,
}

async fn compare(ctx: PageContext, Path(key): Path<String>) -> Result<Response, AppError> {
    let actor = ctx.require_user()?.actor();
    let db = ctx.state().db();
    let today = store::today();
    let mut plans: HashMap<String, Option<Plan>> = HashMap::new();
    let mut visible: Vec<(String, Plan, IndicatorSeries)> = Vec::new();
    for series in indicator_store::series_by_definition(db.pool(), &key).await? {
        let plan_id = series.indicator.plan_id.clone();
        if !plans.contains_key(&plan_id) {
            let plan = store::plans::find(db.pool(), &plan_id)
                .await?
                .filter(|p| can_see_indicators(&actor, p));
            plans.insert(plan_id.clone(), plan);
        }
        let Some(Some(plan)) = plans.get(&plan_id) else {
            continue;
        };
        let organisation = steden_core::org::find(db.pool(), &plan.organisation_id)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        visible.push((organisation, plan.clone(), series));
    }
    visible.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.title.cmp(&b.1.title)));
    let name = visible
        .first()
        .map(|(_, _, s)| s.indicator.name.clone())
        .unwrap_or_else(|| key.clone());
    let lines: Vec<CompareLine<'_>> = visible
        .iter()
        .map(|(organisation, _, series)| CompareLine {
            label: organisation.clone(),
            series,
        })
        .collect();
    let chart = if visible.is_empty() {
        String::new()
    } else {
        chart::compare_svg(&lines, "vergelijking", &name)
    };
    let rows = visible
        .iter()
        .map(|(organisation, plan, series)| CompareRow {
            organisation: organisation.clone(),
            plan_id: plan.id.clone(),
            plan_title: plan.title.clone(),
            summary: Summary::of(series, &today),
        })
        .collect();
    let title = ctx.t_with("plan-ind-compare-title", &[("name", name.as_str())]);
    render(&ComparePage {
        ctx: ctx.titled(title),
        key,
        name,
        rows,
        chart,
    })
}
