//! The public figures: `/cijfers` (the published indicators by theme) and
//! `/cijfers/indicator/{code}` (the centrumsteden and the VGC side by side over the last ten
//! periods, the ranking in the latest, and the Flemish figure; a table first, with a line chart
//! and the ranking as bars beside it, and the downloads). Only published
//! indicators and values that are not suppressed reach these pages (the store's public read).

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::aggregate::{self, Rule, Series};
use crate::charts::{self, from_cube};
use crate::model::{GeoLevel, Indicator};
use crate::paths;
use crate::store::aggregation::rule_of;
use crate::store::{geo, indicators, values};
use crate::web::downloads::Format;
use crate::web::show_value;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::OVERVIEW, get(overview))
        .route(paths::INDICATOR_ROUTE, get(indicator_page))
}

struct ThemeGroup {
    theme: String,
    indicators: Vec<IndicatorLink>,
    /// The theme's Swing bulk export.
    swing_href: String,
}

struct IndicatorLink {
    name: String,
    href: String,
    unit: String,
}

#[derive(Template)]
#[template(path = "cijfers/overview.html")]
struct OverviewPage {
    ctx: PageContext,
    themes: Vec<ThemeGroup>,
    /// The fact-sheet themes and the cities' own pages (web::sheets): name and link.
    sheets: Vec<(String, String)>,
    cities: Vec<(String, String)>,
}

async fn overview(ctx: PageContext) -> Result<Response, AppError> {
    let published = indicators::list_published(ctx.state().db().pool()).await?;
    let mut themes: BTreeMap<String, (String, Vec<IndicatorLink>)> = BTreeMap::new();
    for indicator in published {
        let theme = if indicator.theme.is_empty() {
            ctx.t("cijfers-theme-other")
        } else {
            indicator.theme.clone()
        };
        let group = themes
            .entry(theme)
            .or_insert_with(|| (paths::theme_swing_download(&indicator.theme), Vec::new()));
        group.1.push(IndicatorLink {
            href: paths::indicator(&indicator.code),
            name: indicator.name,
            unit: indicator.unit,
        });
    }
    let themes = themes
        .into_iter()
        .map(|(theme, (swing_href, indicators))| ThemeGroup {
            theme,
            indicators,
            swing_href,
        })
        .collect();
    let (sheets, cities) = crate::web::sheets::overview_links(ctx.state()).await?;
    let title = ctx.t("cijfers-title");
    let mut ctx = ctx.titled(title);
    ctx.description = ctx.t("cijfers-intro");
    render(&OverviewPage {
        ctx,
        themes,
        sheets,
        cities,
    })
}

/// A row of the comparison table: a place and its values per period ("" where unknown).
struct PlaceRow {
    name: String,
    cells: Vec<String>,
    /// Whether a cell was recomputed on today's geography (merged municipalities).
    recomputed: bool,
}

struct RankRow {
    rank: usize,
    name: String,
    value: String,
}

#[derive(Template)]
#[template(path = "cijfers/indicator.html")]
struct IndicatorPage {
    ctx: PageContext,
    indicator: Indicator,
    periods: Vec<String>,
    cities: Vec<PlaceRow>,
    flanders: Option<PlaceRow>,
    ranking: Vec<RankRow>,
    latest: String,
    any_recomputed: bool,
    api_href: String,
    /// The line chart of the cities and the Flemish figure over all periods (SVG, empty when
    /// there is nothing to draw); the table stays, so no figure lives only in a colour.
    line_svg: String,
    /// The ranking of the latest period as bars, with the Flemish figure as a reference line.
    bar_svg: String,
    /// The downloads: what the link says, and where it goes.
    downloads: Vec<(&'static str, String)>,
    /// The permalink and embed code of each chart and table.
    shares: crate::web::embed::Shares,
    /// A city's map of the indicator (cj-map), when a city has wijk or sector geometry.
    map: Option<crate::web::maps::MapBlock>,
}

/// The charts of an indicator from the store's public cube (the numbers the downloads hold):
/// the line chart and the ranking's bar chart, as SVG; empty where a chart cannot be drawn.
async fn charts(state: &AppState, code: &str) -> Result<(String, String), AppError> {
    let Some(cube) =
        crate::store::cube::public_cube(state.db().pool(), &[code], &state.config().base_url)
            .await?
    else {
        return Ok((String::new(), String::new()));
    };
    let line = from_cube::line_chart(&cube, code, "cj-lijn")
        .and_then(|chart| charts::line::svg(&chart).ok())
        .unwrap_or_default();
    let bar = cube
        .periods()
        .last()
        .and_then(|latest| {
            from_cube::bar_chart(
                &cube,
                code,
                &latest.code,
                GeoLevel::Gemeente.as_str(),
                None,
                Some(crate::model::FLANDERS_CODE),
                "cj-rang",
            )
        })
        .and_then(|chart| charts::bar::svg(&chart).ok())
        .unwrap_or_default();
    Ok((line, bar))
}

/// How many periods the table shows (the latest).
const PERIODS_SHOWN: usize = 10;

async fn indicator_page(ctx: PageContext, Path(code): Path<String>) -> Result<Response, AppError> {
    let db = ctx.state().db();
    let indicator = indicators::find_by_code(db.pool(), &code)
        .await?
        .filter(|i| i.is_public())
        .ok_or(AppError::NotFound)?;
    let public = values::public_series(db.pool(), &indicator.code, None).await?;
    let crosswalk = geo::crosswalk(db.pool()).await?;
    let current: Vec<_> = geo::list_level(db.pool(), GeoLevel::Gemeente)
        .await?
        .into_iter()
        .filter(|g| g.valid_to.is_none())
        .collect();
    // period code → first day, and (level, code, period) → value, of public values only
    let mut starts: BTreeMap<String, String> = BTreeMap::new();
    let mut known: HashMap<(GeoLevel, String, String), f64> = HashMap::new();
    for row in &public {
        if let (Some(value), Some(period)) = (row.value, crate::model::Period::parse(&row.period)) {
            starts.insert(period.starts_on.clone(), row.period.clone());
            known.insert((row.level, row.geo_code.clone(), row.period.clone()), value);
        }
    }
    let periods: Vec<(String, String)> = starts
        .iter()
        .rev()
        .take(PERIODS_SHOWN)
        .rev()
        .map(|(start, code)| (code.clone(), start.clone()))
        .collect();
    let rule = rule_of(&indicator);
    let value_at =
        |level: GeoLevel, code: &str, period: &str, start: &str| -> (Option<f64>, bool) {
            if let Some(v) = known.get(&(level, code.to_string(), period.to_string())) {
                return (Some(*v), false);
            }
            // Before a merger: the old municipalities' public values, for a sum only (the other
            // rules need figures the public page does not hold).
            if level != GeoLevel::Gemeente || rule != Rule::Sum {
                return (None, false);
            }
            let parts = aggregate::municipality_parts(&crosswalk, code, start);
            if parts == [code] {
                return (None, false);
            }
            let series = Series {
                own: parts
                    .iter()
                    .filter_map(|p| {
                        known
                            .get(&(level, p.to_string(), period.to_string()))
                            .map(|v| (p.to_string(), *v))
                    })
                    .collect(),
                ..Series::default()
            };
            let value = aggregate::combine(rule, &parts, &series);
            (value, value.is_some())
        };
    let mut cities = Vec::new();
    let mut any_recomputed = false;
    let mut latest_values = Vec::new();
    for place in &current {
        let mut recomputed = false;
        let mut cells = Vec::new();
        let mut any = false;
        for (period, start) in &periods {
            let (value, again) = value_at(GeoLevel::Gemeente, &place.code, period, start);
            recomputed |= again;
            any |= value.is_some();
            cells.push(value.map_or(String::new(), |v| show_value(v, indicator.decimals)));
        }
        if let (Some((period, start)), true) = (periods.last(), any) {
            if let (Some(v), _) = value_at(GeoLevel::Gemeente, &place.code, period, start) {
                latest_values.push((place.name.clone(), v));
            }
        }
        if any {
            any_recomputed |= recomputed;
            cities.push(PlaceRow {
                name: place.name.clone(),
                cells,
                recomputed,
            });
        }
    }
    let flanders = geo::find(db.pool(), GeoLevel::Gewest, crate::model::FLANDERS_CODE)
        .await?
        .map(|region| PlaceRow {
            cells: periods
                .iter()
                .map(|(period, start)| {
                    value_at(GeoLevel::Gewest, &region.code, period, start)
                        .0
                        .map_or(String::new(), |v| show_value(v, indicator.decimals))
                })
                .collect(),
            name: region.name,
            recomputed: false,
        })
        .filter(|row| row.cells.iter().any(|c| !c.is_empty()));
    latest_values.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let ranking = latest_values
        .into_iter()
        .enumerate()
        .map(|(i, (name, value))| RankRow {
            rank: i + 1,
            name,
            value: show_value(value, indicator.decimals),
        })
        .collect();
    let latest = periods.last().map(|(p, _)| p.clone()).unwrap_or_default();
    let api_href = paths::api_values(&indicator.code);
    let (line_svg, bar_svg) = charts(ctx.state(), &indicator.code).await?;
    let downloads = Format::ALL
        .into_iter()
        .map(|f| {
            (
                f.label(),
                paths::indicator_download(&indicator.code, f.as_str()),
            )
        })
        .collect();
    let shares = crate::web::embed::shares(&ctx, &indicator);
    let crumb = ctx.t("cijfers-title");
    let mut ctx = ctx
        .crumb(crumb, paths::OVERVIEW)
        .titled(indicator.name.clone());
    ctx.description = indicator.definition.clone();
    let map = crate::web::maps::indicator_block(&ctx, &indicator).await?;
    render(&IndicatorPage {
        map,
        periods: periods.into_iter().map(|(p, _)| p).collect(),
        ctx,
        indicator,
        cities,
        flanders,
        ranking,
        latest,
        any_recomputed,
        api_href,
        line_svg,
        bar_svg,
        downloads,
        shares,
    })
}
