//! Rapporteringsrondes: the plan's rounds with a form to open one (editors), and per round who
//! has reported what and who is late, with a button to close it.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use steden_core::time::show_date;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access;
use crate::model::Plan;
use crate::paths::{self, rounds_path};
use crate::rounds::{self, OwnerProgress, Round, RoundFields};
use crate::store;
use crate::web::load;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plannen/{id}/rondes", get(list).post(open))
        .route("/plannen/{id}/rondes/{round_id}", get(show))
        .route("/plannen/{id}/rondes/{round_id}/sluiten", post(close))
}

fn crumbs(ctx: PageContext, plan: &Plan) -> PageContext {
    let plans = ctx.t("plan-nav-plans");
    ctx.crumb(plans, paths::PLANS)
        .crumb(plan.title.clone(), load::plan_path(&plan.id))
}

/// A round in the list, with its totals.
struct RoundRow {
    round: Round,
    deadline: String,
    asked: usize,
    reported: usize,
    late: bool,
}

#[derive(Template)]
#[template(path = "plan/rounds/list.html")]
struct ListPage {
    ctx: PageContext,
    plan: Plan,
    rows: Vec<RoundRow>,
    can_edit: bool,
    form: RoundFields,
    errors: FormErrors,
}

async fn list_page(
    ctx: PageContext,
    plan: Plan,
    can_edit: bool,
    form: RoundFields,
    errors: FormErrors,
) -> Result<ListPage, AppError> {
    let db = ctx.state().db().clone();
    let today = store::today();
    let mut rows = Vec::new();
    for round in store::rounds::list_for_plan(db.pool(), &plan.id).await? {
        let owners = rounds::progress(&db, &round).await?;
        let asked = owners.iter().map(|o| o.items.len()).sum();
        let reported = owners.iter().map(OwnerProgress::reported).sum();
        rows.push(RoundRow {
            deadline: show_date(&round.deadline),
            late: round.is_open() && round.is_past(&today) && reported < asked,
            asked,
            reported,
            round,
        });
    }
    let title = ctx.t("plan-fu-rounds-title");
    Ok(ListPage {
        ctx: crumbs(ctx, &plan).titled(title),
        plan,
        rows,
        can_edit,
        form,
        errors,
    })
}

async fn list(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let (actor, plan) = load::plan(&ctx, &id).await?;
    let can_edit = access::can_edit(&actor, &plan);
    let form = RoundFields {
        reminder_days: rounds::DEFAULT_REMINDER_DAYS.to_string(),
        ..RoundFields::default()
    };
    render(&list_page(ctx, plan, can_edit, form, FormErrors::none()).await?)
}

async fn open(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<RoundFields>,
) -> Result<Response, AppError> {
    let (actor, plan) = load::plan_for_editor(&ctx, &id).await?;
    let state = ctx.state().clone();
    let base_url = state.config().base_url.clone();
    let mut tx = state.db().begin().await?;
    let result = rounds::open(&mut tx, &plan.id, &form, &base_url, &actor.audit_actor()).await;
    match form::settle(tx, result).await? {
        Ok(round) => {
            let message = ctx.t_with("plan-fu-round-opened", &[("name", &round.name)]);
            Ok(flash::redirect_with(
                Flash::success(message),
                &paths::round_path(&plan.id, &round.id),
            ))
        }
        Err(errors) => form::invalid(&list_page(ctx, plan, true, form, errors).await?),
    }
}

/// An owner's line on the round page.
struct OwnerRow {
    owner: OwnerProgress,
    reported: usize,
    late: bool,
}

#[derive(Template)]
#[template(path = "plan/rounds/show.html")]
struct ShowPage {
    ctx: PageContext,
    plan: Plan,
    round: Round,
    deadline: String,
    past: bool,
    owners: Vec<OwnerRow>,
    can_edit: bool,
}

async fn show(
    ctx: PageContext,
    Path((id, round_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (actor, plan) = load::plan(&ctx, &id).await?;
    let db = ctx.state().db().clone();
    let round = store::rounds::find(db.pool(), &round_id)
        .await?
        .filter(|r| r.plan_id == plan.id)
        .ok_or(AppError::NotFound)?;
    let past = round.is_open() && round.is_past(&store::today());
    let owners = rounds::progress(&db, &round)
        .await?
        .into_iter()
        .map(|owner| OwnerRow {
            reported: owner.reported(),
            late: past && !owner.is_done(),
            owner,
        })
        .collect();
    let rounds_label = ctx.t("plan-fu-rounds-title");
    let ctx = crumbs(ctx, &plan)
        .crumb(rounds_label, rounds_path(&plan.id))
        .titled(round.name.clone());
    render(&ShowPage {
        can_edit: access::can_edit(&actor, &plan),
        deadline: show_date(&round.deadline),
        ctx,
        plan,
        round,
        past,
        owners,
    })
}

async fn close(
    ctx: PageContext,
    Path((id, round_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (actor, plan) = load::plan_for_editor(&ctx, &id).await?;
    let db = ctx.state().db().clone();
    store::rounds::find(db.pool(), &round_id)
        .await?
        .filter(|r| r.plan_id == plan.id)
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    rounds::close(&mut tx, &round_id, &actor.audit_actor()).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("plan-fu-round-closed")),
        &paths::round_path(&plan.id, &round_id),
    ))
}
