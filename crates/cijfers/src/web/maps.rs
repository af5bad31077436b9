//! The public map of an indicator: `/cijfers/indicator/{code}/kaart/{place}` (a city's wijken
//! or sectors for one period, chosen with a form that works without script), and the block
//! the indicator page shows. The choropleth comes with a table of the same figures beside
//! it, so colour is never the only carrier; a suppressed value is "geheim" in the table and
//! hatched on the map, and never read (`maps::view`).

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use steden_web::form::FormErrors;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::maps::view::{self, Cell, CityMap};
use crate::model::{GeoLevel, Indicator};
use crate::paths;
use crate::store::{geo, geo_uploads, indicators};
use crate::web::show_value;

pub fn routes() -> Router<AppState> {
    Router::new().route(paths::INDICATOR_MAP_ROUTE, get(map_page))
}

/// A row of the table beside the map.
pub(crate) struct MapRowView {
    pub name: String,
    pub code: String,
    /// The value as shown, empty when there is none.
    pub value: String,
    pub secret: bool,
}

/// A map and its table, as the map page and the indicator page show them.
pub(crate) struct MapBlock {
    pub title: String,
    pub svg: String,
    pub rows: Vec<MapRowView>,
    pub href: String,
    pub any_secret: bool,
}

fn level_title(
    ctx: &PageContext,
    indicator: &Indicator,
    city: &str,
    level: GeoLevel,
    period: &str,
) -> String {
    ctx.t_with(
        "cijfers-map-title",
        &[
            ("indicator", indicator.name.as_str()),
            ("place", city),
            ("level", ctx.t(&level.label_key()).as_str()),
            ("period", period),
        ],
    )
}

fn block_of(
    ctx: &PageContext,
    indicator: &Indicator,
    city: &crate::model::GeoItem,
    map: &CityMap,
) -> MapBlock {
    let unit = if indicator.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", indicator.unit)
    };
    let rows = map
        .rows
        .iter()
        .map(|row| MapRowView {
            name: row.name.clone(),
            code: row.code.clone(),
            value: match row.cell {
                Cell::Value(v) => format!("{}{unit}", show_value(v, indicator.decimals)),
                _ => String::new(),
            },
            secret: row.cell == Cell::Secret,
        })
        .collect::<Vec<_>>();
    MapBlock {
        title: level_title(ctx, indicator, &city.name, map.level, &map.period),
        svg: map.svg.clone(),
        any_secret: rows.iter().any(|r| r.secret),
        rows,
        href: format!(
            "{}?niveau={}&periode={}",
            paths::indicator_map(&indicator.code, &city.code),
            map.level.as_str(),
            map.period
        ),
    }
}

/// The map block of the indicator page: the first city (by name) with wijk or sector
/// geometry, at its finest level and latest period; None when no city has geometry.
pub(crate) async fn indicator_block(
    ctx: &PageContext,
    indicator: &Indicator,
) -> Result<Option<MapBlock>, AppError> {
    let db = ctx.state().db();
    for (code, _) in geo_uploads::municipalities_with_maps(db.pool()).await? {
        let Some(city) = geo::find(db.pool(), GeoLevel::Gemeente, &code).await? else {
            continue;
        };
        let title =
            |level: GeoLevel, period: &str| level_title(ctx, indicator, &city.name, level, period);
        if let Some(map) = view::city_map(db, indicator, &city, None, None, &title).await? {
            if map.periods.is_empty() {
                continue;
            }
            return Ok(Some(block_of(ctx, indicator, &city, &map)));
        }
    }
    Ok(None)
}

/// The map of a fact sheet: the first of the theme's indicators (in the theme's order) that
/// the public may see and that has values on the city's wijken or sectors, at the finest level
/// and latest period; None when the city has no such geometry or no indicator has values there.
pub(crate) async fn sheet_block(
    ctx: &PageContext,
    indicator_codes: &[String],
    city_code: &str,
) -> Result<Option<MapBlock>, AppError> {
    let db = ctx.state().db();
    let Some(city) = geo::find(db.pool(), GeoLevel::Gemeente, city_code).await? else {
        return Ok(None);
    };
    for code in indicator_codes {
        let Some(indicator) = indicators::find_by_code(db.pool(), code).await? else {
            continue;
        };
        if !indicator.is_public() {
            continue;
        }
        let title =
            |level: GeoLevel, period: &str| level_title(ctx, &indicator, &city.name, level, period);
        match view::city_map(db, &indicator, &city, None, None, &title).await? {
            // No wijk or sector geometry: no indicator of the theme can be mapped.
            None => return Ok(None),
            Some(map) if map.periods.is_empty() => continue,
            Some(map) => return Ok(Some(block_of(ctx, &indicator, &city, &map))),
        }
    }
    Ok(None)
}

/// The map block on its own with the link to the map page, as the fact sheet embeds it.
#[derive(Template)]
#[template(path = "cijfers/sheet_map.html")]
pub(crate) struct MapBlockHtml<'a> {
    pub ctx: &'a PageContext,
    pub map: &'a MapBlock,
}

#[derive(Debug, Default, Deserialize)]
pub struct MapQuery {
    #[serde(default)]
    niveau: String,
    #[serde(default)]
    periode: String,
}

#[derive(Template)]
#[template(path = "cijfers/map.html")]
struct MapPage {
    ctx: PageContext,
    indicator: Indicator,
    map: MapBlock,
    action: String,
    levels: Vec<Choice>,
    periods: Vec<Choice>,
    indicator_href: String,
    errors: FormErrors,
}

async fn map_page(
    ctx: PageContext,
    Path((code, place)): Path<(String, String)>,
    Query(query): Query<MapQuery>,
) -> Result<Response, AppError> {
    let db = ctx.state().db();
    let indicator = indicators::find_by_code(db.pool(), &code)
        .await?
        .filter(|i| i.published)
        .ok_or(AppError::NotFound)?;
    let city = geo::find(db.pool(), GeoLevel::Gemeente, &place)
        .await?
        .ok_or(AppError::NotFound)?;
    let level = GeoLevel::parse(&query.niveau);
    let period = Some(query.periode.as_str()).filter(|p| !p.is_empty());
    let title =
        |level: GeoLevel, period: &str| level_title(&ctx, &indicator, &city.name, level, period);
    let map = view::city_map(db, &indicator, &city, level, period, &title)
        .await?
        .ok_or(AppError::NotFound)?;
    let levels = map
        .levels
        .iter()
        .map(|l| Choice::new(l.as_str(), ctx.t(&l.label_key()), *l == map.level))
        .collect();
    let periods = map
        .periods
        .iter()
        .map(|p| Choice::new(p.clone(), p.clone(), *p == map.period))
        .collect();
    let block = block_of(&ctx, &indicator, &city, &map);
    let page_title = block.title.clone();
    let crumb = indicator.name.clone();
    let indicator_href = paths::indicator(&indicator.code);
    render(&MapPage {
        ctx: ctx.crumb(crumb, &indicator_href).titled(page_title),
        action: paths::indicator_map(&indicator.code, &city.code),
        indicator,
        map: block,
        levels,
        periods,
        indicator_href,
        errors: FormErrors::none(),
    })
}
