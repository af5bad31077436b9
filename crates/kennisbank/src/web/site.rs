//! The Kenniscentrum's public website: the home page, the programme and werkspoor pages built
//! from the published jaarplan, projects, news (with an Atom feed), static pages, the privacy
//! statement, and the sitemap and robots.txt for search engines.
//!
//! Visitors see only what is online (see [`Page::is_live`]) and public; an editor who opens a
//! page that is not online sees it as a preview under a clear banner, so that a draft can be
//! checked before it goes out. The programme pages read the plan module's public API
//! (`steden_plan::site`), which hands over only the fields the plan's editors published.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use steden_core::error::CoreResult;
use steden_db::Db;
use steden_plan::site::{PublishedItem, PublishedPlan};
use steden_web::i18n::Lang;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access;
use crate::markdown;
use crate::model::{PageKind, ProjectState};
use crate::store::featured::{self, Featured};
use crate::store::pages::{self, Page};
use crate::store::{collections, documents, images, terms};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programmas", get(programmes))
        .route("/programmas/{code}", get(programme))
        .route("/programmas/{code}/{werkspoor}", get(werkspoor))
        .route("/projecten", get(projects))
        .route("/projecten/{slug}", get(project))
        .route("/nieuws", get(news_list))
        .route("/nieuws/feed.xml", get(feed))
        .route("/nieuws/{slug}", get(news_item))
        .route("/pagina/{slug}", get(static_page))
        .route("/privacy", get(privacy))
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
}

/// The setting that names the plan the site shows (else the newest published jaarplan of the
/// Kenniscentrum).
pub const SITE_PLAN_SETTING: &str = "kennisbank.site_plan_id";

/// News items per page of `/nieuws`, and in the feed.
const NEWS_PER_PAGE: i64 = 10;
const FEED_ENTRIES: i64 = 20;

// ---------------------------------------------------------------------------------------------
// Helpers

/// `text` made safe for a URL path segment or query value (RFC 3986 unreserved characters
/// stay, everything else is percent-encoded as UTF-8).
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A description for meta tags: the summary, else the start of the text.
fn describe(summary: &str, body_md: &str) -> String {
    if summary.trim().is_empty() {
        markdown::to_plain_text(body_md, 160)
    } else {
        markdown::to_plain_text(summary, 160)
    }
}

use crate::web::common::is_editor;

/// The day (YYYY-MM-DD, UTC) of a moment.
fn day(ms: i64) -> String {
    crate::store::stats::day_of(ms)
}

/// A moment as RFC 3339 (UTC), as Atom wants it.
fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string())
}

// ---------------------------------------------------------------------------------------------
// The site's plan

/// The plan the site's programme pages show: the one named in the setting when it is
/// published, else the newest published jaarplan of the Kenniscentrum; `None` when nothing is
/// published.
pub async fn site_plan(db: &Db) -> CoreResult<Option<PublishedPlan>> {
    if let Some(id) = steden_core::settings::get(db, SITE_PLAN_SETTING).await? {
        if let Some(plan) = steden_plan::site::published_plan(db, id.trim()).await? {
            return Ok(Some(plan));
        }
    }
    let kenniscentrum = access::kenniscentrum_id(db).await?;
    let plans = steden_plan::site::published_plans(db, &kenniscentrum, "jaarplan").await?;
    match plans.first() {
        Some(plan) => steden_plan::site::published_plan(db, &plan.id).await,
        None => Ok(None),
    }
}

/// The name of the plan's level at `depth` (the deepest for anything below).
fn level_name(plan: &PublishedPlan, depth: i64) -> String {
    let index = usize::try_from(depth).unwrap_or(0);
    plan.levels
        .get(index)
        .or(plan.levels.last())
        .cloned()
        .unwrap_or_default()
}

fn children<'a>(plan: &'a PublishedPlan, parent: &str) -> Vec<&'a PublishedItem> {
    plan.items
        .iter()
        .filter(|i| i.parent_id.as_deref() == Some(parent))
        .collect()
}

fn programme_href(code: &str) -> String {
    format!("/programmas/{}", url_encode(code))
}

fn werkspoor_href(programme: &str, code: &str) -> String {
    format!("/programmas/{}/{}", url_encode(programme), url_encode(code))
}

/// An item of the plan as the site shows it (only published fields are filled).
pub struct NodeView {
    pub code: String,
    /// An id for the item's heading ("kb-" and its code, letters and digits only).
    pub anchor: String,
    pub title: String,
    pub level: String,
    pub description: Option<String>,
    pub status: Option<String>,
    pub status_label: String,
    pub status_icon: &'static str,
    pub progress: Option<i64>,
    pub href: Option<String>,
    /// Depth below the item the page lists (1 = a direct child), for indentation of actions.
    pub indent: i64,
}

fn status_icon(status: &str) -> &'static str {
    match status {
        "lopend" => "play",
        "vertraagd" => "clock",
        "afgerond" => "check",
        "stopgezet" => "stop",
        _ => "circle",
    }
}

fn node(plan: &PublishedPlan, item: &PublishedItem, href: Option<String>, indent: i64) -> NodeView {
    NodeView {
        code: item.code.clone(),
        anchor: format!(
            "kb-{}",
            item.code
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect::<String>()
        ),
        title: item.title.clone(),
        level: level_name(plan, item.depth),
        description: item.description.clone().filter(|d| !d.trim().is_empty()),
        status_label: item
            .status
            .map(steden_plan::site::status_label)
            .unwrap_or_default()
            .to_string(),
        status_icon: item.status.map(status_icon).unwrap_or("circle"),
        status: item.status.map(str::to_string),
        progress: item.progress,
        href,
        indent,
    }
}

/// Everything below `parent`, in tree order, with its depth below `parent`.
fn descendants(plan: &PublishedPlan, parent: &PublishedItem) -> Vec<NodeView> {
    fn walk(plan: &PublishedPlan, id: &str, indent: i64, out: &mut Vec<NodeView>) {
        for child in children(plan, id) {
            out.push(node(plan, child, None, indent));
            walk(plan, &child.id, indent + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(plan, &parent.id, 1, &mut out);
    out
}

/// A doelstelling (or whatever the level below the werkspoor is called) with what is below it.
pub struct GoalView {
    pub goal: NodeView,
    pub actions: Vec<NodeView>,
}

fn goals(plan: &PublishedPlan, werkspoor: &PublishedItem) -> Vec<GoalView> {
    children(plan, &werkspoor.id)
        .into_iter()
        .map(|goal| GoalView {
            goal: node(plan, goal, None, 0),
            actions: descendants(plan, goal),
        })
        .collect()
}

pub struct TrackView {
    pub track: NodeView,
    pub goals: Vec<GoalView>,
}

/// A public Kennisbank document in a short list.
pub struct DocumentLink {
    pub title: String,
    pub href: String,
    pub doc_type: String,
    pub date: String,
}

/// The newest public documents of a programme (by its title), at most 10.
async fn programme_documents(db: &Db, programme: &str) -> CoreResult<Vec<DocumentLink>> {
    Ok(documents::public_of_programme(db.pool(), programme, 10)
        .await?
        .into_iter()
        .map(|doc| DocumentLink {
            href: doc.href(),
            doc_type: doc.doc_type.label().to_string(),
            date: doc
                .doc_date
                .as_deref()
                .and_then(steden_core::time::parse_date)
                .map(steden_core::time::format_naive_date)
                .unwrap_or_default(),
            title: doc.title,
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Home

pub struct ProgrammeCard {
    pub code: String,
    pub title: String,
    pub href: String,
    pub summary: String,
    pub tracks: usize,
}

fn programme_cards(plan: &PublishedPlan) -> Vec<ProgrammeCard> {
    plan.items
        .iter()
        .filter(|i| i.depth == 0)
        .map(|i| ProgrammeCard {
            code: i.code.clone(),
            title: i.title.clone(),
            href: programme_href(&i.code),
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

fn page_card(page: &Page) -> PageCard {
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
    for item in featured::entries(db).await? {
        if let Some(card) = featured_card(db, &item, now).await? {
            cards.push(card);
        }
    }
    Ok(cards)
}

async fn featured_card(db: &Db, item: &Featured, now: i64) -> CoreResult<Option<FeaturedCard>> {
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
                href: format!("/kennisbank/collecties/{}", collection.slug),
                summary: markdown::to_plain_text(&collection.description_md, 160),
                title: collection.title,
            })),
        _ => Ok(None),
    }
}

#[derive(Template)]
#[template(path = "kennisbank/site/home.html")]
struct HomePage {
    ctx: PageContext,
    featured: Vec<FeaturedCard>,
    news: Vec<PageCard>,
    programmes: Vec<ProgrammeCard>,
    plan_title: Option<String>,
}

/// `/`: the site's home page.
pub async fn home(ctx: PageContext) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    let now = steden_db::now_ms();
    let featured = public_featured(&db, now).await?;
    let news = pages::live(&db, PageKind::Nieuws, now, 5)
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
        programmes: plan.as_ref().map(programme_cards).unwrap_or_default(),
        plan_title: plan.map(|p| p.title),
    })
}

// ---------------------------------------------------------------------------------------------
// Programmes

#[derive(Template)]
#[template(path = "kennisbank/site/programmes.html")]
struct ProgrammesPage {
    ctx: PageContext,
    plan_title: Option<String>,
    level: String,
    programmes: Vec<ProgrammeCard>,
}

async fn programmes(ctx: PageContext) -> Result<Response, AppError> {
    let plan = site_plan(ctx.state().db()).await?;
    let title = ctx.t("kb-programmes-title");
    let mut ctx = ctx.titled(title);
    ctx.description = ctx.t("kb-programmes-intro");
    render(&ProgrammesPage {
        ctx,
        level: plan.as_ref().map(|p| level_name(p, 1)).unwrap_or_default(),
        programmes: plan.as_ref().map(programme_cards).unwrap_or_default(),
        plan_title: plan.map(|p| p.title),
    })
}

#[derive(Template)]
#[template(path = "kennisbank/site/programme.html")]
struct ProgrammePage {
    ctx: PageContext,
    plan_title: String,
    programme: NodeView,
    tracks: Vec<TrackView>,
    documents: Vec<DocumentLink>,
    library_href: String,
}

/// The site's plan and its programme with `code` (depth 0), or 404.
async fn load_programme(db: &Db, code: &str) -> Result<(PublishedPlan, PublishedItem), AppError> {
    let plan = site_plan(db).await?.ok_or(AppError::NotFound)?;
    let item = plan
        .items
        .iter()
        .find(|i| i.depth == 0 && i.code == code)
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((plan, item))
}

async fn programme(ctx: PageContext, Path(code): Path<String>) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    let (plan, item) = load_programme(&db, &code).await?;
    let tracks = children(&plan, &item.id)
        .into_iter()
        .map(|track| TrackView {
            track: node(
                &plan,
                track,
                Some(werkspoor_href(&item.code, &track.code)),
                0,
            ),
            goals: goals(&plan, track),
        })
        .collect();
    let documents = programme_documents(&db, &item.title).await?;
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
    })
}

#[derive(Template)]
#[template(path = "kennisbank/site/werkspoor.html")]
struct WerkspoorPage {
    ctx: PageContext,
    programme: NodeView,
    track: NodeView,
    goals: Vec<GoalView>,
}

async fn werkspoor(
    ctx: PageContext,
    Path((code, track_code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, item) = load_programme(ctx.state().db(), &code).await?;
    let track = children(&plan, &item.id)
        .into_iter()
        .find(|t| t.code == track_code)
        .ok_or(AppError::NotFound)?;
    let crumb = ctx.t("kb-programmes-title");
    let programme_link = programme_href(&item.code);
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
    })
}

// ---------------------------------------------------------------------------------------------
// Projects, news and static pages

#[derive(Template)]
#[template(path = "kennisbank/site/projects.html")]
struct ProjectsPage {
    ctx: PageContext,
    running: Vec<PageCard>,
    finished: Vec<PageCard>,
}

async fn projects(ctx: PageContext) -> Result<Response, AppError> {
    let now = steden_db::now_ms();
    let all = pages::live(ctx.state().db(), PageKind::Project, now, 500).await?;
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

async fn image_of(db: &Db, image_id: &str) -> CoreResult<Option<ImageView>> {
    Ok(images::find(db.pool(), image_id)
        .await?
        .map(|image| ImageView {
            src: format!("/afbeeldingen/{image_id}"),
            alt: image.alt,
        }))
}

#[derive(Template)]
#[template(path = "kennisbank/site/page.html")]
struct PageView {
    ctx: PageContext,
    page: Page,
    kind: &'static str,
    body_html: String,
    image: Option<ImageView>,
    date: String,
    /// Not online: only an editor sees it, as a preview.
    preview: bool,
    library_href: Option<String>,
}

/// One page of `kind`: online for everyone, a preview for editors, else 404.
async fn show_page(ctx: PageContext, kind: PageKind, slug: &str) -> Result<Response, AppError> {
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
            ctx.crumb(label, "/nieuws")
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

async fn project(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    show_page(ctx, PageKind::Project, &slug).await
}

async fn news_item(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    show_page(ctx, PageKind::Nieuws, &slug).await
}

async fn static_page(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    show_page(ctx, PageKind::Pagina, &slug).await
}

#[derive(Deserialize)]
struct PageQuery {
    pagina: Option<String>,
}

#[derive(Template)]
#[template(path = "kennisbank/site/news.html")]
struct NewsPage {
    ctx: PageContext,
    news: Vec<PageCard>,
    page: i64,
    pages: i64,
}

async fn news_list(ctx: PageContext, Query(query): Query<PageQuery>) -> Result<Response, AppError> {
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
    let title = ctx.t("kb-news-title");
    let mut ctx = ctx.titled(title);
    ctx.description = ctx.t("kb-news-intro");
    render(&NewsPage {
        ctx,
        news,
        page,
        pages: page_count,
    })
}

// ---------------------------------------------------------------------------------------------
// Privacy

#[derive(Template)]
#[template(path = "kennisbank/site/privacy.html")]
struct PrivacyPage {
    ctx: PageContext,
}

async fn privacy(ctx: PageContext) -> Result<Response, AppError> {
    let title = ctx.t("kb-privacy-title");
    let mut ctx = ctx.titled(title);
    ctx.description = ctx.t("kb-privacy-description");
    render(&PrivacyPage { ctx })
}

// ---------------------------------------------------------------------------------------------
// Feed, sitemap, robots.txt

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// The host of the site (for tag: URIs), without scheme and port.
fn host_of(base_url: &str) -> String {
    let rest = base_url.split("://").nth(1).unwrap_or(base_url);
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    if host.is_empty() {
        "localhost".to_string()
    } else {
        host.to_string()
    }
}

/// The Atom 1.0 document of `news` (newest first).
pub fn atom_feed(base: &str, title: &str, news: &[Page]) -> String {
    let host = host_of(base);
    let updated = news
        .iter()
        .map(|p| p.updated_at.max(p.shown_at()))
        .max()
        .unwrap_or(0);
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"nl-BE\">\n");
    xml.push_str(&format!("  <id>tag:{},2025:nieuws</id>\n", escape(&host)));
    xml.push_str(&format!("  <title>{}</title>\n", escape(title)));
    xml.push_str(&format!("  <updated>{}</updated>\n", rfc3339(updated)));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}/nieuws/feed.xml\"/>\n",
        escape(base)
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}/nieuws\"/>\n",
        escape(base)
    ));
    xml.push_str(&format!(
        "  <author><name>{}</name><uri>{}/</uri></author>\n",
        escape("Kenniscentrum Vlaamse Steden"),
        escape(base)
    ));
    for page in news {
        let url = format!("{base}{}", page.href());
        let summary = describe(&page.summary, &page.body_md);
        xml.push_str("  <entry>\n");
        xml.push_str(&format!(
            "    <id>tag:{},2025:nieuws:{}</id>\n",
            escape(&host),
            escape(&page.id)
        ));
        xml.push_str(&format!("    <title>{}</title>\n", escape(&page.title)));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&url)
        ));
        xml.push_str(&format!(
            "    <published>{}</published>\n",
            rfc3339(page.shown_at())
        ));
        xml.push_str(&format!(
            "    <updated>{}</updated>\n",
            rfc3339(page.updated_at.max(page.shown_at()))
        ));
        xml.push_str(&format!("    <summary>{}</summary>\n", escape(&summary)));
        xml.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            escape(&markdown::to_html(&page.body_md))
        ));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

// The feed, sitemap and robots.txt take the state, not a `PageContext`: they are not pages, so
// they need no session lookup and must not be given a CSRF cookie.

async fn feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let news = pages::live(
        state.db(),
        PageKind::Nieuws,
        steden_db::now_ms(),
        FEED_ENTRIES,
    )
    .await?;
    let base = state.config().base_url.trim_end_matches('/').to_string();
    let title = state.catalog().text(Lang::Nl, "kb-feed-title");
    let body = atom_feed(&base, &title, &news);
    Ok((
        [(CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response())
}

/// One address of the sitemap.
struct SitemapEntry {
    path: String,
    lastmod: Option<String>,
}

fn entry(path: impl Into<String>, lastmod: Option<i64>) -> SitemapEntry {
    SitemapEntry {
        path: path.into(),
        lastmod: lastmod.map(day),
    }
}

/// Every public address of the site (never a page that is not online or a document that is
/// not public).
async fn sitemap_entries(db: &Db, now: i64) -> CoreResult<Vec<SitemapEntry>> {
    let mut entries = vec![
        entry("/", None),
        entry("/programmas", None),
        entry("/projecten", None),
        entry("/nieuws", None),
        entry("/publicaties", None),
        entry("/kennisbank", None),
        entry("/kennisbank/collecties", None),
        entry("/begrippen", None),
        entry("/privacy", None),
    ];
    if let Some(plan) = site_plan(db).await? {
        for programme in plan.items.iter().filter(|i| i.depth == 0) {
            entries.push(entry(programme_href(&programme.code), None));
            for track in children(&plan, &programme.id) {
                entries.push(entry(werkspoor_href(&programme.code, &track.code), None));
            }
        }
    }
    for page in pages::all_live(db.pool(), now).await? {
        entries.push(entry(page.href(), Some(page.updated_at)));
    }
    let lists = [
        (
            documents::public_slugs(db.pool()).await?,
            "/kennisbank/documenten/",
        ),
        (
            collections::slugs(db.pool()).await?,
            "/kennisbank/collecties/",
        ),
        (terms::slugs(db.pool()).await?, "/begrippen/"),
    ];
    for (rows, prefix) in lists {
        for (slug, updated_at) in rows {
            entries.push(entry(
                format!("{prefix}{}", url_encode(&slug)),
                Some(updated_at),
            ));
        }
    }
    Ok(entries)
}

async fn sitemap(State(state): State<AppState>) -> Result<Response, AppError> {
    let base = state.config().base_url.trim_end_matches('/').to_string();
    let entries = sitemap_entries(state.db(), steden_db::now_ms()).await?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for e in entries {
        xml.push_str(&format!(
            "  <url><loc>{}</loc>",
            escape(&format!("{base}{}", e.path))
        ));
        if let Some(lastmod) = e.lastmod {
            xml.push_str(&format!("<lastmod>{lastmod}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    Ok(([(CONTENT_TYPE, "application/xml; charset=utf-8")], xml).into_response())
}

/// Paths search engines need not visit: editing, the API, logging in and personal pages.
const ROBOTS_DISALLOW: &[&str] = &[
    "/beheer/",
    "/api/",
    "/aanmelden",
    "/afmelden",
    "/wachtwoord-vergeten",
    "/uitnodiging/",
    "/account",
    "/start",
    "/organisatie-wisselen",
    "/taal/",
    "/taken/",
    "/plannen",
];

async fn robots(State(state): State<AppState>) -> Response {
    let base = state.config().base_url.trim_end_matches('/').to_string();
    let mut text = String::from("User-agent: *\nAllow: /\n");
    for path in ROBOTS_DISALLOW {
        text.push_str(&format!("Disallow: {path}\n"));
    }
    text.push_str(&format!("\nSitemap: {base}/sitemap.xml\n"));
    ([(CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_and_finds_the_host() {
        assert_eq!(url_encode("Smart Cities & co"), "Smart%20Cities%20%26%20co");
        assert_eq!(url_encode("P1.W2"), "P1.W2");
        assert_eq!(url_encode("é"), "%C3%A9");
        assert_eq!(host_of("https://www.example.be"), "www.example.be");
        assert_eq!(host_of("http://127.0.0.1:8080/x"), "127.0.0.1");
    }
}
