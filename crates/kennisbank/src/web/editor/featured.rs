//! `/beheer/site/uitgelicht`: what the home page features, in order. Editors add a page,
//! news item, project, public document or collection, move items up and down, and remove
//! them; each change is one POST form and one transaction.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use super::{editor_crumbs, require_editor};
use crate::paths;
use crate::store::featured::{self, TargetKind};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::FEATURED, get(list).post(add))
        .route("/beheer/site/uitgelicht/{id}/omhoog", post(move_up))
        .route("/beheer/site/uitgelicht/{id}/omlaag", post(move_down))
        .route("/beheer/site/uitgelicht/{id}/verwijderen", post(remove))
}

fn target_kind_label(ctx: &PageContext, kind: TargetKind) -> String {
    ctx.t(&format!("kb-ed-featured-kind-{}", kind.as_str()))
}

struct Row {
    id: String,
    kind: String,
    title: String,
    href: Option<String>,
    first: bool,
    last: bool,
}

struct Pick {
    value: String,
    label: String,
    selected: bool,
}

struct Group {
    label: String,
    options: Vec<Pick>,
}

#[derive(Template)]
#[template(path = "kennisbank/editor/featured.html")]
struct FeaturedPage {
    ctx: PageContext,
    rows: Vec<Row>,
    groups: Vec<Group>,
    errors: FormErrors,
}

async fn featured_page(
    ctx: PageContext,
    errors: FormErrors,
    chosen: &str,
) -> Result<FeaturedPage, AppError> {
    let db = ctx.state().db();
    let entries = featured::entries_for_editors(db.pool()).await?;
    let count = entries.len();
    let rows = entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| Row {
            id: entry.featured.id,
            kind: entry
                .kind
                .map(|k| target_kind_label(&ctx, k))
                .unwrap_or(entry.featured.target_kind),
            title: entry
                .title
                .unwrap_or_else(|| ctx.t("kb-ed-featured-missing")),
            href: entry.href,
            first: i == 0,
            last: i + 1 == count,
        })
        .collect();
    let candidates = featured::candidates(db.pool()).await?;
    let groups = TargetKind::ALL
        .iter()
        .map(|kind| Group {
            label: target_kind_label(&ctx, *kind),
            options: candidates
                .iter()
                .filter(|c| c.kind == *kind)
                .map(|c| {
                    let value = format!("{}:{}", c.kind.as_str(), c.id);
                    Pick {
                        selected: value == chosen,
                        value,
                        label: c.title.clone(),
                    }
                })
                .collect(),
        })
        .filter(|g| !g.options.is_empty())
        .collect();
    let title = ctx.t("kb-ed-featured-title");
    Ok(FeaturedPage {
        ctx: editor_crumbs(ctx).titled(title),
        rows,
        groups,
        errors,
    })
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    render(&featured_page(ctx, FormErrors::none(), "").await?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AddForm {
    target: String,
}

async fn add(ctx: PageContext, Form(form): Form<AddForm>) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = featured::add(
        &mut tx,
        &form.target,
        &editor.audit,
        &editor.organisation_id,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("kb-ed-featured-added")),
            paths::FEATURED,
        )),
        Err(errors) => form::invalid(&featured_page(ctx, errors, &form.target).await?),
    }
}

async fn shift(ctx: PageContext, id: String, up: bool) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let mut tx = ctx.state().db().begin().await?;
    featured::shift(&mut tx, &id, up, &editor.audit, &editor.organisation_id).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("kb-ed-featured-moved")),
        paths::FEATURED,
    ))
}

async fn move_up(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    shift(ctx, id, true).await
}

async fn move_down(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    shift(ctx, id, false).await
}

async fn remove(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let mut tx = ctx.state().db().begin().await?;
    featured::remove(&mut tx, &id, &editor.audit, &editor.organisation_id).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("kb-ed-featured-removed")),
        paths::FEATURED,
    ))
}
