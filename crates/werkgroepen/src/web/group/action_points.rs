//! Action points outside one meeting: a group's list (`/werkgroepen/{slug}/actiepunten`, open
//! ones first), the status form every list posts to, and the owner's own page
//! (`/werkgroepen/mijn/actiepunten`: their open points and their city's, across groups), where
//! open points stay until they are done.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_web::components::Tab;
use steden_web::flash::{self, Flash};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::paths;
use crate::store::action_points;

use super::agenda::{load_for_reader, user_id};
use super::minutes::{point_rows, PointRow};
use super::{audit_actor, crumbs, tabs};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/werkgroepen/mijn/actiepunten", get(mine))
        .route("/werkgroepen/{slug}/actiepunten", get(list))
        .route(
            "/werkgroepen/{slug}/actiepunten/{point}/status",
            post(set_status),
        )
}

#[derive(Template)]
#[template(path = "werkgroepen/group/action_points.html")]
struct ListPage {
    ctx: PageContext,
    tabs: Vec<Tab>,
    points: Vec<PointRow>,
}

async fn list(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let view = load_for_reader(&ctx, &slug).await?;
    let points = action_points::of_group(ctx.state().db().pool(), &view.profile.group_id).await?;
    let me = ctx.user.as_ref().map(|u| u.user_id.clone());
    let title = ctx.t_with(
        "wg-action-points-title",
        &[("group", view.profile.name.as_str())],
    );
    let href = paths::group_action_points(&slug);
    render(&ListPage {
        tabs: tabs(&ctx, &view, &href),
        points: point_rows(&view, me.as_deref(), &points),
        ctx: crumbs(ctx, &view).titled(title),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusForm {
    status: String,
}

async fn set_status(
    ctx: PageContext,
    Path((slug, point)): Path<(String, String)>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let view = load_for_reader(&ctx, &slug).await?;
    let (actor, user) = (audit_actor(&ctx)?, user_id(&ctx)?);
    let mut tx = ctx.state().db().begin().await?;
    let result = action_points::set_status(
        &mut tx,
        &view.standing,
        &user,
        &view.profile.group_id,
        &point,
        &form.status,
        &actor,
    )
    .await;
    match result {
        Ok(()) => {
            tx.commit().await?;
            Ok(flash::redirect_with(
                Flash::success(ctx.t("wg-action-point-updated")),
                &paths::group_action_points(&slug),
            ))
        }
        Err(steden_core::CoreError::Invalid(errors)) => {
            tx.rollback().await?;
            let message = errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            Ok(flash::redirect_with(
                Flash::error(message),
                &paths::group_action_points(&slug),
            ))
        }
        Err(other) => Err(other.into()),
    }
}

struct MyPoint {
    group: String,
    group_href: String,
    description: String,
    owner: String,
    due: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "werkgroepen/my_action_points.html")]
struct MinePage {
    ctx: PageContext,
    points: Vec<MyPoint>,
}

async fn mine(ctx: PageContext) -> Result<Response, AppError> {
    let user = user_id(&ctx)?;
    let db = ctx.state().db();
    let points = action_points::open_for_person(db.pool(), &user).await?;
    let groups: std::collections::HashMap<String, steden_core::working_group::WorkingGroup> =
        steden_core::working_group::list(db.pool())
            .await?
            .into_iter()
            .map(|g| (g.id.clone(), g))
            .collect();
    let points = points
        .into_iter()
        .map(|p| {
            let group = groups.get(&p.group_id);
            MyPoint {
                group: group.map(|g| g.name.clone()).unwrap_or_default(),
                group_href: group
                    .map(|g| paths::group_action_points(&g.slug))
                    .unwrap_or_default(),
                description: p.description.clone(),
                owner: p.owner_name.clone(),
                due: p
                    .due_date
                    .as_deref()
                    .and_then(|d| crate::localtime::parse_date(d).ok())
                    .map(crate::localtime::show_date)
                    .unwrap_or_default(),
                status: action_points::status_label(&p.status),
            }
        })
        .collect();
    let title = ctx.t("wg-my-action-points-title");
    let list = ctx.t("wg-groups-title");
    render(&MinePage {
        points,
        ctx: ctx.crumb(list, paths::GROUPS).titled(title),
    })
}
