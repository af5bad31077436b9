//! Projects, news and static pages, and the privacy statement.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use serde::Deserialize;
use steden_core::error::CoreResult;
use steden_db::Db;
use steden_web::page::{render, PageContext};
use steden_web::pagination::Pagination;
use steden_web::AppError;

use super::home::{page_card, PageCard};
use super::shared::{describe, url_encode, NEWS_PER_PAGE};
use crate::markdown;
use crate::model::{PageKind, ProjectState};
use crate::paths;
use crate::store::images;
use crate::store::pages::{self, Page};
use crate::web::common::is_editor;

// Projects, news and static pages

#[derive(Template)]
#[template(path = "kennisbank/site/projects.html")]
pub(super) struct ProjectsPage {
    pub(super) ctx: PageContext,
    pub(super) running: Vec<PageCard>,
    pub(super) finished: Vec<PageCard>,
}

pub(super) async fn projects(ctx: PageContext) -> Result<Response, AppError> {
    let now = steden_db::now_ms();
    let all = pages::live(ctx.state().db().pool(), PageKind::Project, now, 500).await?;
    let (finished, running): (Vec<&Page>, Vec<&Page>) = all
        .iter()
        .partition(|p| p.project_state == Some(ProjectState::Afgerond));
    let title = ctx.t("kb-projects-title");
    let mut ctx = ctx.titled(title);
    ctx.description = ctx.t("kb-projects-intro");
    render(&ProjectsPage {
        ctx,
        running: running.into_iter().map(page_card).collect(),
        finished: finished.into_iter().map(page_card).collect(),
    })
}

/// An image of a page, with its alt text.
pub struct ImageView {
    pub src: String,
    pub alt: String,
}

pub(super) async fn image_of(db: &Db, image_id: &str) -> CoreResult<Option<ImageView>> {
    Ok(images::find(db.pool(), image_id)
        .await?
        .map(|image| ImageView {
            src: format!("/afbeeldingen/{image_id}"),
            alt: image.alt,
        }))
}

#[derive(Template)]
#[template(path = "kennisbank/site/page.html")]
pub(super) struct PageView {
    pub(super) ctx: PageContext,
    pub(super) page: Page,
    pub(super) kind: &'static str,
    pub(super) body_html: String,
    pub(super) image: Option<ImageView>,
    pub(super) date: String,
    /// Not online: only an editor sees it, as a preview.
    pub(super) preview: bool,
    pub(super) library_href: Option<String>,
}

/// One page of `kind`: online for everyone, a preview for editors, else 404.
pub(super) async fn show_page(
    ctx: PageContext,
    kind: PageKind,
    slug: &str,
) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    let page = pages::find_by_slug(db.pool(), kind, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let preview = !page.is_live(steden_db::now_ms());
    if preview && !is_editor(&ctx).await? {
        return Err(AppError::NotFound);
    }
    let image = match &page.image_id {
        Some(id) => image_of(&db, id).await?,
        None => None,
    };
    let mut ctx = match kind {
        PageKind::Nieuws => {
            let label = ctx.t("kb-news-title");
            ctx.crumb(label, paths::NEWS)
        }
        PageKind::Project => {
            let label = ctx.t("kb-projects-title");
            ctx.crumb(label, "/projecten")
        }
        PageKind::Pagina => ctx,
    }
    .titled(page.title.clone());
    ctx.description = describe(&page.summary, &page.body_md);
    ctx.og_type = "article";
    ctx.og_image = image.as_ref().map(|i| i.src.clone());
    render(&PageView {
        ctx,
        kind: kind.as_str(),
        body_html: markdown::to_html(&page.body_md),
        date: steden_core::time::format_date(page.shown_at()),
        library_href: page
            .programme
            .as_deref()
            .filter(|p| !p.is_empty())
            .map(|p| format!("/kennisbank?programme={}", url_encode(p))),
        image,
        preview,
        page,
    })
}

pub(super) async fn project(
    ctx: PageContext,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    show_page(ctx, PageKind::Project, &slug).await
}

pub(super) async fn news_item(
    ctx: PageContext,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    show_page(ctx, PageKind::Nieuws, &slug).await
}

pub(super) async fn static_page(
    ctx: PageContext,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    show_page(ctx, PageKind::Pagina, &slug).await
}

#[derive(Deserialize)]
pub(super) struct PageQuery {
    pub(super) pagina: Option<String>,
}

#[derive(Template)]
#[template(path = "kennisbank/site/news.html")]
pub(super) struct NewsPage {
    pub(super) ctx: PageContext,
    pub(super) news: Vec<PageCard>,
    pub(super) pagination: Pagination,
}

pub(super) async fn news_list(
    ctx: PageContext,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    let now = steden_db::now_ms();
    let total = pages::count_live(db.pool(), PageKind::Nieuws, now).await?;
    let page_count = ((total + NEWS_PER_PAGE - 1) / NEWS_PER_PAGE).max(1);
    let page = query
        .pagina
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1);
    if page < 1 || page > page_count {
        return Err(AppError::NotFound);
    }
    let news = pages::live_from(
        db.pool(),
        PageKind::Nieuws,
        now,
        NEWS_PER_PAGE,
        (page - 1) * NEWS_PER_PAGE,
    )
    .await?
    .iter()
    .map(page_card)
    .collect();
    // Newer news comes first, so "previous" is newer and "next" older.
    let pagination = Pagination::with_labels(
        ctx.t("kb-news-pages"),
        ctx.t("kb-news-newer"),
        ctx.t("kb-news-older"),
        ctx.t("pagination-page"),
        page as u64,
        page_count as u64,
        paths::news_page,
    );
    let title = ctx.t("kb-news-title");
    let mut ctx = ctx.titled(title);
    ctx.description = ctx.t("kb-news-intro");
    render(&NewsPage {
        ctx,
        news,
        pagination,
    })
}

// ---------------------------------------------------------------------------------------------
// Privacy

#[derive(Template)]
#[template(path = "kennisbank/site/privacy.html")]
pub(super) struct PrivacyPage {
    pub(super) ctx: PageContext,
}

pub(super) async fn privacy(ctx: PageContext) -> Result<Response, AppError> {
    let title = ctx.t("kb-privacy-title");
    let mut ctx = ctx.titled(title);
    ctx.description = ctx.t("kb-privacy-description");
    render(&PrivacyPage { ctx })
}

// ---------------------------------------------------------------------------------------------
