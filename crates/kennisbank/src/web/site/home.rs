//! The home page: featured items, the latest news and the programmes.

use askama::Template;
use axum::response::Response;
use steden_core::error::CoreResult;
use steden_db::Db;
use steden_plan::site::PublishedPlan;
use steden_web::page::{render, PageContext};
use steden_web::AppError;

use super::plan::{children, site_plan};
use super::shared::describe;
use crate::markdown;
use crate::model::{PageKind, ProjectState};
use crate::paths;
use crate::store::featured::{self, Featured};
use crate::store::pages::{self, Page};
use crate::store::{collections, documents};

// Home

pub struct ProgrammeCard {
    pub code: String,
    pub title: String,
    pub href: String,
    pub summary: String,
    pub tracks: usize,
}

pub(super) fn programme_cards(plan: &PublishedPlan) -> Vec<ProgrammeCard> {
    plan.items
        .iter()
        .filter(|i| i.depth == 0)
        .map(|i| ProgrammeCard {
            code: i.code.clone(),
            title: i.title.clone(),
            href: paths::programme(&i.slug),
            summary: i
                .description
                .as_deref()
                .map(|d| markdown::to_plain_text(d, 200))
                .unwrap_or_default(),
            tracks: children(plan, &i.id).len(),
        })
        .collect()
}

/// A page (news, project, static page) in a list.
pub struct PageCard {
    pub title: String,
    pub href: String,
    pub summary: String,
    pub date: String,
    pub state: Option<ProjectState>,
    pub programme: Option<String>,
}

pub(super) fn page_card(page: &Page) -> PageCard {
    PageCard {
        title: page.title.clone(),
        href: page.href(),
        summary: describe(&page.summary, &page.body_md),
        date: steden_core::time::format_date(page.shown_at()),
        state: page.project_state,
        programme: page.programme.clone().filter(|p| !p.is_empty()),
    }
}

/// A featured item as the home page shows it.
pub struct FeaturedCard {
    /// The Dutch name of the kind of item ("Nieuwsbericht", "Document", ...).
    pub kind_label: &'static str,
    pub title: String,
    pub summary: String,
    pub href: String,
}

/// The featured items a visitor may see at `now`, in the editors' order: pages only when
/// online, documents only when public; items that are gone are left out.
pub async fn public_featured(db: &Db, now: i64) -> CoreResult<Vec<FeaturedCard>> {
    let mut cards = Vec::new();
    for item in featured::entries(db.pool()).await? {
        if let Some(card) = featured_card(db, &item, now).await? {
            cards.push(card);
        }
    }
    Ok(cards)
}

pub(super) async fn featured_card(
    db: &Db,
    item: &Featured,
    now: i64,
) -> CoreResult<Option<FeaturedCard>> {
    if let Some(kind) = PageKind::parse(&item.target_kind) {
        let page = pages::find(db.pool(), &item.target_id).await?;
        return Ok(page
            .filter(|p| p.kind == kind && p.is_live(now))
            .map(|p| FeaturedCard {
                kind_label: kind.label(),
                href: p.href(),
                summary: describe(&p.summary, &p.body_md),
                title: p.title,
            }));
    }
    match item.target_kind.as_str() {
        "document" => Ok(documents::find_public(db.pool(), &item.target_id)
            .await?
            .map(|doc| FeaturedCard {
                kind_label: "Document",
                href: doc.href(),
                summary: markdown::to_plain_text(&doc.summary, 160),
                title: doc.title,
            })),
        "collectie" => Ok(collections::find(db.pool(), &item.target_id)
            .await?
            .map(|collection| FeaturedCard {
                kind_label: "Collectie",
                href: paths::collection(&collection.slug),
                summary: markdown::to_plain_text(&collection.description_md, 160),
                title: collection.title,
            })),
        _ => Ok(None),
    }
}

#[derive(Template)]
#[template(path = "kennisbank/site/home.html")]
pub(super) struct HomePage {
    pub(super) ctx: PageContext,
    pub(super) featured: Vec<FeaturedCard>,
    pub(super) news: Vec<PageCard>,
    pub(super) programmes: Vec<ProgrammeCard>,
    pub(super) plan_title: Option<String>,
}

/// `/`: the site's home page.
pub async fn home(ctx: PageContext) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    let now = steden_db::now_ms();
    let featured = public_featured(&db, now).await?;
    let news = pages::live(db.pool(), PageKind::Nieuws, now, 5)
        .await?
        .iter()
        .map(page_card)
        .collect();
    let plan = site_plan(&db).await?;
    // Upcoming events belong here once the platform has an events module; there is none yet,
    // so the home page shows no (empty) events block.
    let title = ctx.t("kb-home-title");
    let mut ctx = ctx.titled(title);
    ctx.description = ctx.t("kb-home-description");
    render(&HomePage {
        ctx,
        featured,
        news,
        programmes: plan.as_deref().map(programme_cards).unwrap_or_default(),
        plan_title: plan.map(|p| p.title.clone()),
    })
}

// ---------------------------------------------------------------------------------------------
