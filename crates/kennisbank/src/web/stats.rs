//! Usage monitoring without cookies: the page-view counter on the public pages, and the
//! editors' dashboard at `/beheer/site/statistieken`.
//!
//! The counter ([`count_views`]) adds one to the row of (day, path) for each HTML page a
//! visitor gets. It looks at nothing but the method, the path, the `User-Agent` (only to leave
//! bots out, see [`from_bot`]), the status and the content type of the answer: no cookie is
//! read or set, no address, user agent or user is stored, so a count cannot be traced back to
//! anyone. Searches (`search.rs`) leave bots out the same way.

use askama::Template;
use axum::extract::{Query, Request};
use axum::http::header::{CONTENT_TYPE, USER_AGENT};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use steden_web::page::{render, PageContext};
use steden_web::page_cache::OnEveryServe;
use steden_web::{AppError, AppState};

use crate::paths;
use crate::store::stats::{self, Counted, QueryCount};

pub fn routes() -> Router<AppState> {
    Router::new().route("/beheer/site/statistieken", get(dashboard))
}

/// Paths longer than this are cut (a count per page, not a log of every address typed).
const MAX_PATH: usize = 200;

/// The path to count for a request, or `None` when it is not a visitor's page view: only GET,
/// no htmx fragment (`HX-Request`), nothing under `/beheer` (editing) or `/api`.
pub fn countable_path(method: &Method, path: &str, htmx: bool) -> Option<String> {
    if method != Method::GET || htmx {
        return None;
    }
    let private = ["/beheer", "/api"]
        .iter()
        .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")));
    if private || !path.starts_with('/') {
        return None;
    }
    Some(path.chars().take(MAX_PATH).collect())
}

/// Pieces of a `User-Agent` (compared in lower case) that mark a program rather than a person
/// reading with a browser. Crawlers, feed readers and link previews say so in their name
/// (Googlebot, bingbot, Baiduspider, Yahoo! Slurp, AhrefsBot, facebookexternalhit,
/// Feedfetcher, Slack's and Skype's previews, …); HTTP libraries and headless browsers are
/// named after themselves. A real browser's agent contains none of these.
pub const BOT_MARKERS: &[&str] = &[
    // Crawlers, feed readers, link previews, archivers, monitoring.
    "bot",
    "crawl",
    "spider",
    "slurp",
    "preview",
    "fetcher",
    "externalhit",
    "archiver",
    "monitor",
    "lighthouse",
    // Headless browsers.
    "headless",
    "phantomjs",
    "puppeteer",
    "playwright",
    "selenium",
    // Command-line tools and HTTP libraries.
    "curl",
    "wget",
    "python",
    "go-http-client",
    "java/",
    "okhttp",
    "apache-httpclient",
    "libwww-perl",
    "node-fetch",
    "axios",
    "undici",
    "scrapy",
    "httpie",
    "postman",
];

/// Whether the request comes from a bot: no `User-Agent` at all (every browser sends one), an
/// empty or unreadable one, or one containing a [`BOT_MARKERS`] entry. Bots' page views and
/// searches are not counted; the user agent is only looked at here, never stored.
pub fn from_bot(headers: &HeaderMap) -> bool {
    let Some(agent) = headers.get(USER_AGENT).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let agent = agent.trim().to_ascii_lowercase();
    agent.is_empty() || BOT_MARKERS.iter().any(|marker| agent.contains(marker))
}

/// The middleware: counts a page view when the answer is a 200 HTML page and the visitor is
/// not a bot ([`from_bot`]), after the answer is made and without delaying it (the write runs
/// in its own task; a failed write is logged and costs nothing but the count). The count is
/// attached to the page as an [`OnEveryServe`], so a view the page cache answers is counted
/// too.
pub async fn count_views(request: Request, next: Next) -> Response {
    let path = countable_path(
        request.method(),
        request.uri().path(),
        request.headers().contains_key("hx-request"),
    );
    let state = request.extensions().get::<AppState>().cloned();
    let headers = request.headers().clone();
    let mut response = next.run(request).await;
    let (Some(path), Some(state)) = (path, state) else {
        return response;
    };
    let html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if response.status() == StatusCode::OK && html {
        let db = state.db().clone();
        OnEveryServe::attach(&mut response, &headers, move |headers| {
            if from_bot(headers) {
                return;
            }
            let (db, path) = (db.clone(), path.clone());
            tokio::spawn(async move {
                let counted = async {
                    let mut tx = db.begin().await?;
                    stats::record_view(&mut tx, &path, steden_db::now_ms()).await?;
                    tx.commit().await?;
                    Ok::<_, steden_core::CoreError>(())
                };
                if let Err(e) = counted.await {
                    tracing::warn!(error = %e, "paginaweergave niet geteld");
                }
            });
        });
    }
    response
}

// ---------------------------------------------------------------------------------------------
// The dashboard

/// The periods an editor can choose, in days.
const PERIODS: &[i64] = &[7, 30, 90];

#[derive(Deserialize)]
struct PeriodQuery {
    dagen: Option<String>,
}

struct PeriodChoice {
    days: i64,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "kennisbank/site/stats.html")]
struct StatsPage {
    ctx: PageContext,
    periods: Vec<PeriodChoice>,
    from_label: String,
    total: i64,
    pages: Vec<Counted>,
    queries: Vec<QueryCount>,
    missing: Vec<QueryCount>,
}

async fn dashboard(
    ctx: PageContext,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    crate::web::common::require_editor(&ctx).await?;
    let db = ctx.state().db().clone();

    let days = query
        .dagen
        .as_deref()
        .and_then(|d| d.parse::<i64>().ok())
        .filter(|d| PERIODS.contains(d))
        .unwrap_or(30);
    let now = steden_db::now_ms();
    let from = stats::first_day(now, days);
    let total = stats::total_views(db.pool(), &from).await?;
    let pages = stats::top_pages(db.pool(), &from, 20).await?;
    let queries = stats::top_queries(db.pool(), &from, 20).await?;
    let missing = stats::queries_without_results(db.pool(), &from, 20).await?;
    let periods = PERIODS
        .iter()
        .map(|&d| PeriodChoice {
            days: d,
            label: ctx.t_with("kb-stats-period-days", &[("days", &d.to_string())]),
            selected: d == days,
        })
        .collect();
    let from_label = steden_core::time::parse_date(&from)
        .map(steden_core::time::format_naive_date)
        .unwrap_or(from);
    let title = ctx.t("kb-stats-title");
    let manage = ctx.t("kb-nav-manage");
    let ctx = ctx.crumb(manage, paths::MANAGE).titled(title);
    render(&StatsPage {
        ctx,
        periods,
        from_label,
        total,
        pages,
        queries,
        missing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_public_page_views() {
        let get = Method::GET;
        assert_eq!(
            countable_path(&get, "/nieuws/x", false).as_deref(),
            Some("/nieuws/x")
        );
        assert_eq!(countable_path(&get, "/nieuws/x", true), None);
        assert_eq!(countable_path(&Method::POST, "/nieuws/x", false), None);
        assert_eq!(countable_path(&get, "/beheer/site", false), None);
        assert_eq!(countable_path(&get, "/beheer", false), None);
        assert_eq!(
            countable_path(&get, "/beheerder", false).as_deref(),
            Some("/beheerder")
        );
        let long = format!("/{}", "a".repeat(500));
        assert_eq!(
            countable_path(&get, &long, false).map(|p| p.len()),
            Some(200)
        );
    }

    #[test]
    fn bots_are_told_from_browsers_by_their_user_agent() {
        let agent = |value: Option<&str>| {
            let mut headers = HeaderMap::new();
            if let Some(value) = value {
                headers.insert(USER_AGENT, value.parse().unwrap());
            }
            from_bot(&headers)
        };
        let browsers = [
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
        ];
        for browser in browsers {
            assert!(!agent(Some(browser)), "{browser}");
        }
        let bots = [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
            "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36",
            "curl/8.5.0",
            "Wget/1.21.4",
            "python-requests/2.31.0",
            "Go-http-client/1.1",
            "Feedfetcher-Google; (+http://www.google.com/feedfetcher.html)",
            "",
            "   ",
        ];
        for bot in bots {
            assert!(agent(Some(bot)), "{bot}");
        }
        assert!(agent(None), "no User-Agent at all");
    }
}
