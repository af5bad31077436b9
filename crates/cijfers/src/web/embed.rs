//! Permalinks, embed codes and the embeddable views of an indicator (issue 15, point 9):
//!
//! - every chart and table of the indicator's page has an anchor (its permalink) and an
//!   `<iframe>` snippet to copy ([`shares`], shown under each of them);
//! - `/cijfers/embed/indicator/{code}/{view}` is a minimal page with one chart or table, the
//!   source and a link back, made from the store's public cube (published indicators only,
//!   never a suppressed value);
//! - framing: the view sends its own Content-Security-Policy whose `frame-ancestors` is this
//!   site and the origins the owner lists (every organisation's for a shared indicator:
//!   [`crate::store::embed_origins`]); the shell then leaves out `X-Frame-Options` for it, and
//!   every other page keeps `frame-ancestors 'none'` and `DENY`. The view writes no form token,
//!   so it sets no cookie.

use askama::Template;
use axum::extract::Path;
use axum::http::header::{self, HeaderValue};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::charts::{self, from_cube};
use crate::interop::origins::{content_security_policy, frame_ancestors};
use crate::model::{GeoLevel, Indicator};
use crate::opendata::Cube;
use crate::paths;
use crate::store::cube::public_cube;
use crate::store::{embed_origins, indicators};
use crate::web::show_value;

pub fn routes() -> Router<AppState> {
    Router::new().route(paths::EMBED_ROUTE, get(embed_page))
}

/// The embeddable views: the two charts and the two tables of the indicator's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Chart,
    Table,
    RankingChart,
    RankingTable,
}

impl View {
    pub const ALL: [View; 4] = [
        View::Chart,
        View::Table,
        View::RankingChart,
        View::RankingTable,
    ];

    /// The path segment of the embed.
    pub fn slug(self) -> &'static str {
        match self {
            View::Chart => "grafiek",
            View::Table => "tabel",
            View::RankingChart => "rangschikking-grafiek",
            View::RankingTable => "rangschikking-tabel",
        }
    }

    /// The id of the part on the indicator's page (the permalink's fragment).
    pub fn anchor(self) -> &'static str {
        match self {
            View::Chart => "grafiek",
            View::Table => "vergelijking",
            View::RankingChart => "rangschikking-grafiek",
            View::RankingTable => "rangschikking",
        }
    }

    pub fn parse(text: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.slug() == text)
    }

    fn label_key(self) -> &'static str {
        match self {
            View::Chart => "cijfers-embed-view-chart",
            View::Table => "cijfers-embed-view-table",
            View::RankingChart => "cijfers-embed-view-ranking-chart",
            View::RankingTable => "cijfers-embed-view-ranking-table",
        }
    }

    /// A height that shows the whole view without a scroll bar in most sites.
    fn height(self) -> u32 {
        match self {
            View::Chart | View::RankingChart => 520,
            View::Table | View::RankingTable => 640,
        }
    }
}

/// The permalink and embed code of one part of the indicator's page.
pub struct Share {
    /// The anchor on the indicator's page (also the textarea's id suffix).
    pub anchor: &'static str,
    pub label: String,
    pub permalink: String,
    pub embed_url: String,
    /// The `<iframe>` to paste in another site (shown as text).
    pub code: String,
}

/// The four parts of an indicator's page, in the order of [`View::ALL`].
pub struct Shares {
    pub chart: Share,
    pub table: Share,
    pub ranking_chart: Share,
    pub ranking_table: Share,
}

fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The permalinks and embed codes of `indicator`'s page.
pub fn shares(ctx: &PageContext, indicator: &Indicator) -> Shares {
    let share = |view: View| {
        let label = ctx.t(view.label_key());
        let embed_url = ctx.absolute(&paths::embed(&indicator.code, view.slug()));
        Share {
            anchor: view.anchor(),
            permalink: format!(
                "{}#{}",
                ctx.absolute(&paths::indicator(&indicator.code)),
                view.anchor()
            ),
            code: format!(
                "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{}\" loading=\"lazy\"></iframe>",
                attribute(&embed_url),
                attribute(&format!("{}: {}", indicator.name, label.to_lowercase())),
                view.height()
            ),
            embed_url,
            label,
        }
    };
    Shares {
        chart: share(View::Chart),
        table: share(View::Table),
        ranking_chart: share(View::RankingChart),
        ranking_table: share(View::RankingTable),
    }
}

/// A table as the embed shows it: a header row, and rows of a heading cell and values ("" for
/// none).
struct EmbedTable {
    caption: String,
    columns: Vec<String>,
    rows: Vec<(String, Vec<String>)>,
}

#[derive(Template)]
#[template(path = "cijfers/embed.html")]
struct EmbedPage {
    ctx: PageContext,
    indicator: Indicator,
    view_label: String,
    svg: String,
    table: Option<EmbedTable>,
    back: String,
}

/// How many periods the embedded table shows (the latest), as the page's table.
const PERIODS_SHOWN: usize = 10;

fn comparison(ctx: &PageContext, cube: &Cube, decimals: i64) -> Option<EmbedTable> {
    let first = cube.periods().len().saturating_sub(PERIODS_SHOWN);
    let periods = cube.periods().get(first..)?;
    let rows: Vec<(String, Vec<String>)> = cube
        .geo()
        .iter()
        .enumerate()
        .map(|(g, geo)| {
            let cells = (first..cube.periods().len())
                .map(|p| {
                    cube.rounded(0, cube.cell(0, g, p))
                        .map_or(String::new(), |v| show_value(v, decimals))
                })
                .collect::<Vec<_>>();
            (geo.name.clone(), cells)
        })
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
        .collect();
    (!rows.is_empty()).then(|| EmbedTable {
        caption: ctx.t("cijfers-comparison-caption"),
        columns: periods.iter().map(|p| p.code.clone()).collect(),
        rows,
    })
}

fn ranking(ctx: &PageContext, cube: &Cube, decimals: i64) -> Option<EmbedTable> {
    let (p, latest) = cube.periods().iter().enumerate().next_back()?;
    let mut values: Vec<(String, f64)> = cube
        .geo()
        .iter()
        .enumerate()
        .filter(|(_, geo)| geo.level == GeoLevel::Gemeente.as_str())
        .filter_map(|(g, geo)| Some((geo.name.clone(), cube.rounded(0, cube.cell(0, g, p))?)))
        .collect();
    values.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    (!values.is_empty()).then(|| EmbedTable {
        caption: ctx.t_with("cijfers-ranking", &[("period", latest.code.as_str())]),
        columns: vec![ctx.t("cijfers-col-value")],
        rows: values
            .into_iter()
            .enumerate()
            .map(|(n, (name, v))| (format!("{}. {name}", n + 1), vec![show_value(v, decimals)]))
            .collect(),
    })
}

fn svg(cube: &Cube, code: &str, view: View) -> String {
    match view {
        View::Chart => from_cube::line_chart(cube, code, "cj-embed-lijn")
            .and_then(|chart| charts::line::svg(&chart).ok()),
        View::RankingChart => cube.periods().last().and_then(|latest| {
            from_cube::bar_chart(
                cube,
                code,
                &latest.code,
                GeoLevel::Gemeente.as_str(),
                None,
                Some(crate::model::FLANDERS_CODE),
                "cj-embed-rang",
            )
            .and_then(|chart| charts::bar::svg(&chart).ok())
        }),
        View::Table | View::RankingTable => None,
    }
    .unwrap_or_default()
}

/// The `frame-ancestors` of `indicator`'s embeds: this site and the owner's listed origins, or
/// every organisation's for a shared indicator.
pub async fn ancestors_of(state: &AppState, indicator: &Indicator) -> Result<String, AppError> {
    let pool = state.db().pool();
    let origins = match &indicator.owner_org_id {
        Some(owner) => embed_origins::list(pool, owner).await?,
        None => embed_origins::list_all(pool).await?,
    };
    Ok(frame_ancestors(&origins))
}

async fn embed_page(
    ctx: PageContext,
    Path((code, view)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let view = View::parse(&view).ok_or(AppError::NotFound)?;
    let state = ctx.state().clone();
    let indicator = indicators::find_by_code(state.db().pool(), &code)
        .await?
        .filter(|i| i.is_public())
        .ok_or(AppError::NotFound)?;
    let cube = public_cube(
        state.db().pool(),
        &[&indicator.code],
        &state.config().base_url,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let table = match view {
        View::Table => comparison(&ctx, &cube, indicator.decimals),
        View::RankingTable => ranking(&ctx, &cube, indicator.decimals),
        View::Chart | View::RankingChart => None,
    };
    let svg = svg(&cube, &indicator.code, view);
    let ancestors = ancestors_of(&state, &indicator).await?;
    let view_label = ctx.t(view.label_key());
    let back = format!(
        "{}#{}",
        ctx.absolute(&paths::indicator(&indicator.code)),
        view.anchor()
    );
    let title = format!("{}: {}", indicator.name, view_label.to_lowercase());
    let mut response = render(&EmbedPage {
        ctx: ctx.titled(title),
        indicator,
        view_label,
        svg,
        table,
        back,
    })?;
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(&ancestors)) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    Ok(response)
}
