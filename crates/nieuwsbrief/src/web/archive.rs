//! The public archive of sent newsletters (design §3.1, §3.8; issue 14 point 6) and the editors'
//! switch that puts a sent campaign in it or takes it out.
//!
//! - `/nieuwsbrief/archief`: the newsletters in the archive, newest first, 20 a page;
//! - `/nieuwsbrief/archief/{slug}`: one newsletter, shown as page content in the site's layout
//!   from its stored sections and blocks — the copy its frozen mail was rendered from (a
//!   frozen campaign cannot be edited) — and not from the frozen HTML: that HTML has the
//!   recipient's slots and the mail's table layout, and an `<iframe srcdoc>` would need the
//!   page's Content-Security-Policy loosened for inline styles. So the page has no
//!   preferences or unsubscribe link, no tracking pixel, no rewritten link (the blocks keep the
//!   addresses the editor chose) and no name; only images on this site are shown (a remote
//!   image would tell its host who reads), the others by their text alternative. Neither page
//!   has a form, so a reader is given no cookie.
//! - `/nieuwsbrief/beheer/campagnes/{id}/archief`: for editors, whether the sent campaign is in
//!   the archive, with one button to switch (policy-checked, audited, and noted in the search's
//!   change log: [`crate::store::archive::set_archived`]).

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::page::{render, PageContext};
use steden_web::pagination::Pagination;
use steden_web::{AppError, AppState};

use super::{audit_actor, require_editor};
use crate::model::CampaignStatus;
use crate::paths;
use crate::store::archive::{self, Archived};
use crate::store::campaigns;
use crate::store::content::{self, BlockKind};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::ARCHIVE, get(list))
        .route("/nieuwsbrief/archief/{slug}", get(show))
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/archief",
            get(switch_page).post(switch),
        )
}

/// A newsletter in the archive's list.
struct Entry {
    subject: String,
    preheader: String,
    href: String,
    /// `YYYY-MM-DD` for `<time>`, and as shown.
    date: (String, String),
}

fn date_of(ms: i64) -> (String, String) {
    (
        crate::archive::day(ms)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        steden_core::time::format_date(ms),
    )
}

#[derive(Template)]
#[template(path = "nieuwsbrief/archive/list.html")]
struct ListPage {
    ctx: PageContext,
    entries: Vec<Entry>,
    pagination: Pagination,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    pagina: String,
}

async fn list(ctx: PageContext, Query(query): Query<PageQuery>) -> Result<Response, AppError> {
    let db = ctx.state().db();
    let total = archive::count(db.pool()).await?;
    let pages = ((total + archive::PER_PAGE - 1) / archive::PER_PAGE).max(1);
    let page = query
        .pagina
        .trim()
        .parse::<i64>()
        .unwrap_or(1)
        .clamp(1, pages);
    let entries = archive::page(db.pool(), page)
        .await?
        .into_iter()
        .map(|n| Entry {
            href: paths::archive_newsletter(&n.slug),
            date: date_of(n.sent_at),
            subject: n.subject,
            preheader: n.preheader,
        })
        .collect();
    let pagination = Pagination::new(&ctx, page as u64, pages as u64, |n| {
        format!("{}?pagina={n}", paths::ARCHIVE)
    });
    let title = ctx.t("nb-archive-title");
    render(&ListPage {
        entries,
        pagination,
        ctx: ctx.titled(title),
    })
}

/// One block as the archive shows it.
struct BlockView {
    is_item: bool,
    title: String,
    summary: String,
    href: String,
    /// An image on this site (a remote one is left out: see the module's text).
    image: Option<String>,
    image_alt: String,
    /// A Markdown block, through the platform's sanitising pipeline.
    html: String,
}

struct SectionView {
    title: String,
    blocks: Vec<BlockView>,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/archive/show.html")]
struct ShowPage {
    ctx: PageContext,
    newsletter: Archived,
    date: (String, String),
    sections: Vec<SectionView>,
}

/// `url` when it is an image of this site (site-relative, or under `base_url`).
fn local_image(url: Option<&str>, base_url: &str) -> Option<String> {
    let url = url?.trim();
    let base = base_url.trim_end_matches('/');
    if url.starts_with('/') && !url.starts_with("//") {
        Some(url.to_string())
    } else if !base.is_empty() && url.starts_with(&format!("{base}/")) {
        Some(url[base.len()..].to_string())
    } else {
        None
    }
}

async fn show(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let db = ctx.state().db();
    let newsletter = archive::by_slug(db.pool(), &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut conn = db.pool().acquire().await?;
    let sections = content::load(&mut conn, &newsletter.id).await?;
    drop(conn);
    let base_url = ctx.state().config().base_url.clone();
    let sections = sections
        .into_iter()
        .map(|section| SectionView {
            title: section.title,
            blocks: section
                .blocks
                .into_iter()
                .map(|block| BlockView {
                    is_item: block.kind == BlockKind::Item,
                    image: local_image(block.image_url.as_deref(), &base_url),
                    html: if block.kind == BlockKind::Markdown {
                        steden_kennisbank::facade::render_markdown(&block.markdown)
                    } else {
                        String::new()
                    },
                    title: block.title,
                    summary: block.summary,
                    href: block.url,
                    image_alt: block.image_alt,
                })
                .collect(),
        })
        .collect();
    let archive_label = ctx.t("nb-archive-title");
    let title = newsletter.subject.clone();
    render(&ShowPage {
        date: date_of(newsletter.sent_at),
        newsletter,
        sections,
        ctx: ctx.crumb(archive_label, paths::ARCHIVE).titled(title),
    })
}

#[derive(Template)]
#[template(path = "nieuwsbrief/archive/switch.html")]
struct SwitchPage {
    ctx: PageContext,
    archived: bool,
    public_href: Option<String>,
    action: String,
}

async fn switch_page(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let campaign = campaigns::find(ctx.state().db().pool(), &id)
        .await?
        .ok_or(AppError::NotFound)?;
    if campaign.status != CampaignStatus::Verzonden {
        return Err(AppError::NotFound);
    }
    let archived = campaign.archived && campaign.slug.is_some();
    let campaigns_label = ctx.t("nb-editor-list-title");
    let title = ctx.t_with(
        "nb-archive-switch-title",
        &[("subject", campaign.subject.as_str())],
    );
    render(&SwitchPage {
        archived,
        public_href: campaign
            .slug
            .as_deref()
            .filter(|_| archived)
            .map(paths::archive_newsletter),
        action: paths::campaign_archive(&campaign.id),
        ctx: ctx
            .crumb(campaigns_label, paths::CAMPAIGNS)
            .crumb(campaign.subject.clone(), paths::campaign(&campaign.id))
            .titled(title),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SwitchForm {
    archief: String,
}

async fn switch(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<SwitchForm>,
) -> Result<Response, AppError> {
    let (who, kenniscentrum_id) = require_editor(&ctx).await?;
    let actor = audit_actor(&ctx)?;
    let on = form.archief == "1";
    let mut tx = ctx.state().db().begin().await?;
    archive::set_archived(
        &mut tx,
        &who,
        &kenniscentrum_id,
        &id,
        on,
        &actor,
        steden_db::now_ms(),
    )
    .await?;
    tx.commit().await?;
    let message = ctx.t(if on {
        "nb-archive-switched-in"
    } else {
        "nb-archive-switched-out"
    });
    Ok(flash::redirect_with(
        Flash::success(message),
        &paths::campaign_archive(&id),
    ))
}
