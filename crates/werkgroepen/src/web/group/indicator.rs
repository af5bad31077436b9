//! `/werkgroepen/{slug}/instellingen/indicator`: the indicators of the plan item the group is
//! filed under, and a form that makes one of them count the group's held meetings (issue 13
//! point 6), through the plan's port. Linking is an edit of the plan, so the plan's own rule
//! decides: a facilitator who may not edit the plan is told so, and nothing is written.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::error::FieldError;
use steden_core::CoreError;
use steden_plan::site::{self, ItemIndicator};
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::paths;
use crate::plan_source::{self, MeetingsHeld};
use crate::reader::GroupView;

use super::{actor, crumbs, load_for_facilitator};

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/werkgroepen/{slug}/instellingen/indicator",
        get(show).post(link),
    )
}

/// One indicator as the page lists it.
struct IndicatorRow {
    name: String,
    targets: String,
    source: String,
    ours: bool,
}

#[derive(Template)]
#[template(path = "werkgroepen/group/indicator.html")]
struct IndicatorPage {
    ctx: PageContext,
    slug: String,
    item_title: String,
    rows: Vec<IndicatorRow>,
    choices: Vec<Choice>,
    errors: FormErrors,
}

/// The item the group is filed under (its werkspoor, else its programme), with its title.
fn filed_under(view: &GroupView) -> Option<(String, String)> {
    let profile = &view.profile;
    match (&profile.plan_werkspoor_id, &profile.plan_programme_id) {
        (Some(id), _) => Some((id.clone(), profile.werkspoor_title.clone())),
        (None, Some(id)) => Some((id.clone(), profile.programme_title.clone())),
        (None, None) => None,
    }
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}").replace('.', ",")
    }
}

async fn page(
    ctx: PageContext,
    view: &GroupView,
    chosen: &str,
    errors: FormErrors,
) -> Result<IndicatorPage, AppError> {
    let ours = plan_source::group_series_ref(&view.profile.group_id);
    let (item_title, indicators) = match filed_under(view) {
        Some((item_id, title)) => {
            let mut conn = ctx.state().db().pool().acquire().await?;
            (title, site::item_indicators(&mut conn, &item_id).await?)
        }
        None => (String::new(), Vec::new()),
    };
    let is_ours = |indicator: &ItemIndicator| {
        indicator.linked.as_ref().is_some_and(|linked| {
            linked.source_key == plan_source::SOURCE_KEY && linked.series_ref == ours
        })
    };
    let rows = indicators
        .iter()
        .map(|indicator| IndicatorRow {
            name: indicator.name.clone(),
            targets: indicator
                .targets
                .iter()
                .map(|t| format!("{} op {}", number(t.value), t.date))
                .collect::<Vec<_>>()
                .join(", "),
            source: indicator
                .linked
                .as_ref()
                .map(|linked| linked.series_label.clone())
                .unwrap_or_else(|| ctx.t("wg-indicator-by-hand")),
            ours: is_ours(indicator),
        })
        .collect();
    let current = indicators
        .iter()
        .find(|indicator| is_ours(indicator))
        .map(|indicator| indicator.id.as_str())
        .unwrap_or(chosen);
    let choices = indicators
        .iter()
        .map(|indicator| Choice {
            value: indicator.id.clone(),
            label: indicator.name.clone(),
            selected: indicator.id == current,
        })
        .collect();
    let title = ctx.t_with(
        "wg-indicator-title",
        &[("group", view.profile.name.as_str())],
    );
    let settings = ctx.t("wg-tab-settings");
    Ok(IndicatorPage {
        slug: view.profile.slug.clone(),
        item_title,
        rows,
        choices,
        errors,
        ctx: crumbs(ctx, view)
            .crumb(settings, paths::group_settings(&view.profile.slug))
            .titled(title),
    })
}

async fn show(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    render(&page(ctx, &view, "", FormErrors::none()).await?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LinkForm {
    indicator_id: String,
}

async fn link(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(form): Form<LinkForm>,
) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let actor = actor(&ctx);
    let mut tx = ctx.state().db().begin().await?;
    let result = async {
        let (item_id, _) = filed_under(&view).ok_or_else(|| {
            CoreError::invalid(
                "indicator_id",
                "Koppel de werkgroep eerst aan een programma of werkspoor.",
            )
        })?;
        // Checked inside the transaction that links it: the indicator must be one of the item's.
        let indicators = site::item_indicators(&mut tx, &item_id).await?;
        if !indicators.iter().any(|i| i.id == form.indicator_id) {
            return Err(CoreError::invalid(
                "indicator_id",
                "Kies een indicator van het werkspoor van deze werkgroep.",
            ));
        }
        let label = format!("{}: gehouden vergaderingen", view.profile.name);
        let series_ref = plan_source::group_series_ref(&view.profile.group_id);
        steden_plan::ports::link_source(
            &mut tx,
            &form.indicator_id,
            &MeetingsHeld,
            &series_ref,
            &label,
            &actor,
        )
        .await
        .map_err(|error| match error {
            CoreError::Forbidden => CoreError::Invalid(vec![FieldError::new(
                "indicator_id",
                "Alleen wie het plan mag bewerken, kan een indicator koppelen. Vraag het aan een redacteur van het plan.",
            )]),
            other => other,
        })
    }
    .await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-indicator-done")),
            &paths::group_indicator(&slug),
        )),
        Err(errors) => {
            let page = page(ctx, &view, &form.indicator_id, errors).await?;
            form::invalid(&page)
        }
    }
}
