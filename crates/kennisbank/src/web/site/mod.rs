//! The Kenniscentrum's public website: the home page, the programme and werkspoor pages built
//! from the published jaarplan, projects, news (with an Atom feed), static pages, the privacy
//! statement, and the sitemap and robots.txt for search engines.
//!
//! Visitors see only what is online (see [`Page::is_live`]) and public; an editor who opens a
//! page that is not online sees it as a preview under a clear banner, so that a draft can be
//! checked before it goes out. The programme pages read the plan module's public API
//! (`steden_plan::site`), which hands over only the fields the plan's editors published.

pub mod feeds;
pub mod home;
pub mod pages;
pub mod plan;
pub mod programmes;
pub mod shared;

use axum::routing::get;
use axum::Router;
use steden_web::AppState;

use feeds::{feed, robots, sitemap};
pub use home::home;
use pages::{news_item, news_list, privacy, project, projects, static_page};
use programmes::{programme, programmes, werkspoor};
pub use shared::SITE_PLAN_SETTING;

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
