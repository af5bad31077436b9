//! An indicator's measurement source on its page: where its measurements come from, how the
//! last pull went, and the editors' forms to link it to a series of a source, to pull now and
//! to unlink (see [`crate::indicators::source`]).
//!
//! The link form is shown only when this build has at least one source; it offers the series
//! each source has for the plan's organisation. Linking, pulling and unlinking take
//! [`crate::access::can_edit`] on the plan, as the other edits of an indicator do.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::page::PageContext;
use steden_web::{AppError, AppState};

use crate::indicators::pull::{self, PullOutcome};
use crate::indicators::source::{self, MeasurementSource};
use crate::model::Plan;
use crate::paths::{self, indicator_path};
use crate::store::indicator_sources::{self as links, LinkedIndicator};
use crate::web::load;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plannen/{id}/indicatoren/{indicator_id}/bron", post(link))
        .route(
            "/plannen/{id}/indicatoren/{indicator_id}/bron/bijwerken",
            post(refresh),
        )
        .route(
            "/plannen/{id}/indicatoren/{indicator_id}/bron/ontkoppelen",
            post(unlink),
        )
}

/// The value of a series in the select: "<source key>:<series ref>" (keys have no ':').
fn choice_value(source_key: &str, series_ref: &str) -> String {
    format!("{source_key}:{series_ref}")
}

struct LinkedView {
    source: String,
    series: String,
    pulled_at: String,
    error: String,
}

struct SeriesChoice {
    value: String,
    label: String,
    selected: bool,
}

struct SeriesGroup {
    label: String,
    choices: Vec<SeriesChoice>,
}

#[derive(Template)]
#[template(path = "plan/indicators/source.html")]
struct SourcePanel<'a> {
    ctx: &'a PageContext,
    action: String,
    linked: Option<LinkedView>,
    groups: Vec<SeriesGroup>,
    can_edit: bool,
}

/// The source section of the indicator page (empty when the indicator has no source and the
/// user cannot link one), and whether the indicator has a source.
pub async fn panel(
    ctx: &PageContext,
    plan: &Plan,
    indicator_id: &str,
    can_edit: bool,
) -> Result<(String, bool), AppError> {
    let state = ctx.state();
    let db = state.db();
    let sources = state.ports().all::<dyn MeasurementSource>();
    let link = links::find(db.pool(), indicator_id).await?;
    let mut groups = Vec::new();
    if can_edit {
        for source in sources {
            // A failing source must not take the plan's page down with it: it is left out.
            let series = match source.series(db, &plan.organisation_id).await {
                Ok(series) => series,
                Err(err) => {
                    tracing::warn!(source = source.key(), error = %err, "a measurement source failed to list its series");
                    continue;
                }
            };
            if series.is_empty() {
                continue;
            }
            groups.push(SeriesGroup {
                label: source.label().to_string(),
                choices: series
                    .into_iter()
                    .map(|s| SeriesChoice {
                        selected: link.as_ref().is_some_and(|l| {
                            l.source_key == source.key() && l.series_ref == s.series_ref
                        }),
                        value: choice_value(source.key(), &s.series_ref),
                        label: if s.unit.is_empty() {
                            s.label
                        } else {
                            format!("{} ({})", s.label, s.unit)
                        },
                    })
                    .collect(),
            });
        }
    }
    let linked = link.map(|l| LinkedView {
        source: source::find(state.ports(), &l.source_key)
            .map(|s| s.label().to_string())
            .unwrap_or_else(|| l.source_key.clone()),
        series: if l.series_label.is_empty() {
            l.series_ref.clone()
        } else {
            l.series_label.clone()
        },
        pulled_at: l
            .last_pulled_at
            .map(steden_core::time::format_datetime)
            .unwrap_or_default(),
        error: l.last_error.unwrap_or_default(),
    });
    if linked.is_none() && groups.is_empty() {
        return Ok((String::new(), false));
    }
    let is_linked = linked.is_some();
    let html = SourcePanel {
        ctx,
        action: paths::indicator_source_path(&plan.id, indicator_id),
        linked,
        groups,
        can_edit,
    }
    .render()?;
    Ok((html, is_linked))
}

/// The plan and the indicator, for an editor of the plan (404 when the indicator is not the
/// plan's).
async fn for_editor(
    ctx: &PageContext,
    plan_id: &str,
    indicator_id: &str,
) -> Result<(steden_core::policy::Actor, Plan, LinkedIndicator), AppError> {
    let (actor, plan) = load::plan_for_editor(ctx, plan_id).await?;
    let indicator = links::indicator(ctx.state().db().pool(), indicator_id)
        .await?
        .filter(|i| i.plan_id == plan.id)
        .ok_or(AppError::NotFound)?;
    Ok((actor, plan, indicator))
}

/// The flash after a pull.
fn pulled_flash(ctx: &PageContext, outcome: PullOutcome, done_key: &str) -> Flash {
    match outcome {
        PullOutcome::Pulled(pulled) => Flash::success(ctx.t_with(
            done_key,
            &[
                ("added", pulled.added.to_string().as_str()),
                ("changed", pulled.changed.to_string().as_str()),
            ],
        )),
        PullOutcome::Failed(message) => Flash::error(message),
        PullOutcome::NotLinked => Flash::info(ctx.t("plan-ind-source-not-linked")),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LinkForm {
    series: String,
}

async fn link(
    ctx: PageContext,
    Path((id, indicator_id)): Path<(String, String)>,
    Form(form): Form<LinkForm>,
) -> Result<Response, AppError> {
    let (actor, plan, indicator) = for_editor(&ctx, &id, &indicator_id).await?;
    let back = indicator_path(&plan.id, &indicator.id);
    let state = ctx.state();
    let db = state.db();
    let chosen = form
        .series
        .split_once(':')
        .and_then(|(key, series_ref)| Some((source::find(state.ports(), key)?, series_ref)));
    let Some((source, series_ref)) = chosen else {
        return Ok(flash::redirect_with(
            Flash::error(ctx.t("plan-ind-source-choose")),
            &back,
        ));
    };
    // Only a series the source offers this organisation: the form could be tampered with.
    let offered = source.series(db, &plan.organisation_id).await?;
    let Some(series) = offered.iter().find(|s| s.series_ref == series_ref) else {
        return Ok(flash::redirect_with(
            Flash::error(ctx.t("plan-ind-source-gone")),
            &back,
        ));
    };
    let mut tx = db.begin().await?;
    links::link(
        &mut tx,
        &indicator,
        (source.key(), source.label()),
        (&series.series_ref, &series.label),
        &actor.audit_actor(),
    )
    .await?;
    tx.commit().await?;
    let outcome = pull::pull(db, state.ports(), &indicator.id).await?;
    Ok(flash::redirect_with(
        pulled_flash(&ctx, outcome, "plan-ind-source-linked"),
        &back,
    ))
}

async fn refresh(
    ctx: PageContext,
    Path((id, indicator_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_actor, plan, indicator) = for_editor(&ctx, &id, &indicator_id).await?;
    let state = ctx.state();
    let outcome = pull::pull(state.db(), state.ports(), &indicator.id).await?;
    Ok(flash::redirect_with(
        pulled_flash(&ctx, outcome, "plan-ind-source-refreshed"),
        &indicator_path(&plan.id, &indicator.id),
    ))
}

async fn unlink(
    ctx: PageContext,
    Path((id, indicator_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (actor, plan, indicator) = for_editor(&ctx, &id, &indicator_id).await?;
    let mut tx = ctx.state().db().begin().await?;
    links::unlink(&mut tx, &indicator, &actor.audit_actor()).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("plan-ind-source-unlinked")),
        &indicator_path(&plan.id, &indicator.id),
    ))
}
