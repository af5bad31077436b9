//! The programme and werkspoor pages, built from the published jaarplan.

use std::sync::Arc;

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use steden_db::Db;
use steden_plan::site::{PublishedItem, PublishedPlan};
use steden_web::page::{render, PageContext};
use steden_web::AppError;

use super::home::{programme_cards, ProgrammeCard};
use super::plan::{
    children, goals, item_documents, level_name, node, site_plan, DocumentLink, GoalView, NodeView,
    TrackView,
};
use super::shared::url_encode;
use crate::markdown;
use crate::paths;
use crate::store::documents::Level;

// Programmes

#[derive(Template)]
#[template(path = "kennisbank/site/programmes.html")]
pub(super) struct ProgrammesPage {
    pub(super) ctx: PageContext,
    pub(super) plan_title: Option<String>,
    pub(super) level: String,
    pub(super) programmes: Vec<ProgrammeCard>,
}

pub(super) async fn programmes(ctx: PageContext) -> Result<Response, AppError> {
    let plan = site_plan(ctx.state().db()).await?;
    let title = ctx.t("kb-programmes-title");
    let mut ctx = ctx.titled(title);
    ctx.description = ctx.t("kb-programmes-intro");
    render(&ProgrammesPage {
        ctx,
        level: plan
            .as_deref()
            .map(|p| level_name(p, 1))
            .unwrap_or_default(),
        programmes: plan.as_deref().map(programme_cards).unwrap_or_default(),
        plan_title: plan.map(|p| p.title.clone()),
    })
}

#[derive(Template)]
#[template(path = "kennisbank/site/programme.html")]
pub(super) struct ProgrammePage {
    pub(super) ctx: PageContext,
    pub(super) plan_title: String,
    pub(super) programme: NodeView,
    pub(super) tracks: Vec<TrackView>,
    pub(super) documents: Vec<DocumentLink>,
    /// All public documents of the programme (more than are listed when over the limit).
    pub(super) documents_total: i64,
    pub(super) library_href: String,
}

/// An item among `items` by its slug; by its code only when no slug matches (an old link).
/// The flag tells that it was found by code, so that the caller redirects to the slug.
fn by_slug_or_code<'a>(
    items: impl Iterator<Item = &'a PublishedItem> + Clone,
    key: &str,
) -> Option<(&'a PublishedItem, bool)> {
    items
        .clone()
        .find(|i| i.slug == key)
        .map(|i| (i, false))
        .or_else(|| items.into_iter().find(|i| i.code == key).map(|i| (i, true)))
}

/// The site's plan and its programme (a top-level item) with slug (or code) `key`, and whether
/// it was found by its code; or 404.
pub(super) async fn load_programme(
    db: &Db,
    key: &str,
) -> Result<(Arc<PublishedPlan>, PublishedItem, bool), AppError> {
    let plan = site_plan(db).await?.ok_or(AppError::NotFound)?;
    let (item, by_code) = by_slug_or_code(plan.items.iter().filter(|i| i.depth == 0), key)
        .ok_or(AppError::NotFound)?;
    let item = item.clone();
    Ok((plan, item, by_code))
}

pub(super) async fn programme(
    ctx: PageContext,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    let (plan, item, by_code) = load_programme(&db, &code).await?;
    if by_code {
        return Ok(Redirect::permanent(&paths::programme(&item.slug)).into_response());
    }
    let tracks = children(&plan, &item.id)
        .into_iter()
        .map(|track| TrackView {
            track: node(
                &plan,
                track,
                Some(paths::werkspoor(&item.slug, &track.slug)),
                0,
            ),
            goals: goals(&plan, track),
        })
        .collect();
    let (documents, documents_total) = item_documents(&db, Level::Programme, &item.id).await?;
    let crumb = ctx.t("kb-programmes-title");
    let mut ctx = ctx.crumb(crumb, "/programmas").titled(item.title.clone());
    ctx.description = match item.description.as_deref() {
        Some(d) if !d.trim().is_empty() => markdown::to_plain_text(d, 160),
        _ => ctx.t_with("kb-programme-description", &[("title", &item.title)]),
    };
    render(&ProgrammePage {
        ctx,
        library_href: format!("/kennisbank?programme={}", url_encode(&item.title)),
        programme: node(&plan, &item, None, 0),
        plan_title: plan.title.clone(),
        tracks,
        documents,
        documents_total,
    })
}

#[derive(Template)]
#[template(path = "kennisbank/site/werkspoor.html")]
pub(super) struct WerkspoorPage {
    pub(super) ctx: PageContext,
    pub(super) programme: NodeView,
    pub(super) track: NodeView,
    pub(super) goals: Vec<GoalView>,
    pub(super) documents: Vec<DocumentLink>,
    pub(super) documents_total: i64,
}

pub(super) async fn werkspoor(
    ctx: PageContext,
    Path((code, track_code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    let (plan, item, programme_by_code) = load_programme(&db, &code).await?;
    let (track, track_by_code) =
        by_slug_or_code(children(&plan, &item.id).into_iter(), &track_code)
            .ok_or(AppError::NotFound)?;
    if programme_by_code || track_by_code {
        return Ok(Redirect::permanent(&paths::werkspoor(&item.slug, &track.slug)).into_response());
    }
    let (documents, documents_total) = item_documents(&db, Level::Werkspoor, &track.id).await?;
    let crumb = ctx.t("kb-programmes-title");
    let programme_link = paths::programme(&item.slug);
    let mut ctx = ctx
        .crumb(crumb, "/programmas")
        .crumb(item.title.clone(), programme_link.clone())
        .titled(track.title.clone());
    ctx.description = match track.description.as_deref() {
        Some(d) if !d.trim().is_empty() => markdown::to_plain_text(d, 160),
        _ => ctx.t_with(
            "kb-werkspoor-description",
            &[("title", &track.title), ("programme", &item.title)],
        ),
    };
    render(&WerkspoorPage {
        ctx,
        goals: goals(&plan, track),
        track: node(&plan, track, None, 0),
        programme: node(&plan, &item, Some(programme_link), 0),
        documents,
        documents_total,
    })
}

// ---------------------------------------------------------------------------------------------
