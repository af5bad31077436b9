//! The public fact sheets (steekkaarten) and a city's own page:
//!
//! - `/cijfers/steekkaart/{theme}`: a theme and the fact sheet of each city;
//! - `/cijfers/steekkaart/{theme}/{place}`: the key figures (latest value, change against the
//!   previous period and five years before, rank among the 13 centrumsteden and the VGC, the
//!   Flemish figure), then per indicator the trend (line chart and its table) and the position
//!   (ranking chart, a sentence and the ranking table). Printable on A4 (the stylesheet's
//!   `cijfers: steekkaart` block) and as a PDF (`…/pdf`, `sheets::pdf`);
//! - `/cijfers/stad/{place}`: every published indicator where the city stands, by theme.
//!
//! Everything comes from the store's public cube: published indicators, no suppressed value.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::charts::draw::{format_nl, with_unit};
use crate::charts::{self, from_cube};
use crate::model::GeoLevel;
use crate::model::{CITIES, FLANDERS_CODE};
use crate::opendata::Cube;
use crate::paths;
use crate::sheets::{self, city_slug, find_city, pdf, Standing};
use crate::store::cube::{public_cube, MAX_INDICATORS};
use crate::store::indicators;
use crate::store::themes::{self, Theme};
use crate::web::maps::{self, MapBlockHtml};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::THEME_ROUTE, get(theme_page))
        .route(paths::FACT_SHEET_ROUTE, get(fact_sheet))
        .route(paths::FACT_SHEET_PDF_ROUTE, get(fact_sheet_pdf))
        .route(paths::CITY_ROUTE, get(city_page))
}

/// The public cube of the published `codes`, in chunks the cube accepts (unpublished or
/// unknown codes are left out), and whether any of them is a demo indicator.
async fn cubes(state: &AppState, codes: &[String]) -> Result<(Vec<Cube>, bool), AppError> {
    let pool = state.db().pool();
    let mut published = Vec::new();
    let mut demo = false;
    for code in codes {
        if let Some(indicator) = indicators::find_by_code(pool, code)
            .await?
            .filter(|i| i.published)
        {
            demo |= indicator.demo;
            published.push(code.as_str());
        }
    }
    let mut out = Vec::new();
    for chunk in published.chunks(MAX_INDICATORS) {
        if let Some(cube) = public_cube(pool, chunk, &state.config().base_url).await? {
            out.push(cube);
        }
    }
    Ok((out, demo))
}

fn standing_in(cubes: &[Cube], code: &str, city: &str) -> Option<(Standing, usize)> {
    cubes
        .iter()
        .enumerate()
        .find_map(|(n, cube)| sheets::standing(cube, code, city).map(|s| (s, n)))
}

/// A change as the pages show it: a sign, the number, and "procentpunt" for percentages.
fn change_text(change: f64, decimals: u8, unit: &str) -> String {
    let number = format_nl(change.abs(), decimals);
    let sign = if number.chars().all(|c| matches!(c, '0' | ',' | '.')) {
        ""
    } else if change > 0.0 {
        "+"
    } else {
        "−"
    };
    let unit = if unit == "%" { "procentpunt" } else { unit };
    if unit.is_empty() {
        format!("{sign}{number}")
    } else {
        format!("{sign}{number} {unit}")
    }
}

/// One key figure at the top of a fact sheet.
struct KeyFigure {
    name: String,
    href: String,
    value: String,
    period: String,
    previous: Option<(String, String)>,
    five_years: Option<(String, String)>,
    rank: Option<(usize, usize)>,
    flanders: String,
}

struct TrendRow {
    period: String,
    city: String,
    flanders: String,
}

struct RankRow {
    rank: String,
    name: String,
    value: String,
    own: bool,
}

/// One indicator's section of a fact sheet.
struct SheetItem {
    anchor: String,
    /// The ids of its trend and ranking tables.
    trend_id: String,
    rank_id: String,
    name: String,
    href: String,
    value: String,
    period: String,
    line_svg: String,
    bar_svg: String,
    trend: Vec<TrendRow>,
    rank: Option<(usize, usize)>,
    flanders: String,
    ranking: Vec<RankRow>,
}

/// What the fact sheet's page and its PDF show.
struct SheetView {
    theme: Theme,
    city: String,
    city_href: String,
    theme_href: String,
    pdf_href: String,
    keys: Vec<KeyFigure>,
    items: Vec<SheetItem>,
    /// The choropleth of the city's sectors or wijken with its table (the map block of the
    /// indicator page, for the first of the theme's indicators with values there); empty
    /// when the city has no such geometry, and then the section is left out.
    map_html: String,
    demo: bool,
}

fn value_text(value: Option<f64>, decimals: u8, unit: &str) -> String {
    value
        .map(|v| with_unit(v, decimals, unit))
        .unwrap_or_default()
}

fn ranking_rows(
    cube: &Cube,
    code: &str,
    period: &str,
    city: &str,
    decimals: u8,
    unit: &str,
) -> (String, Vec<RankRow>) {
    let Some(chart) = from_cube::bar_chart(
        cube,
        code,
        period,
        GeoLevel::Gemeente.as_str(),
        Some(city),
        Some(FLANDERS_CODE),
        &format!("cj-positie-{code}"),
    ) else {
        return (String::new(), Vec::new());
    };
    let svg = charts::bar::svg(&chart).unwrap_or_default();
    let mut rows = Vec::new();
    let ranked = charts::bar::ranked(&chart.bars);
    for bar in &ranked {
        let rank = match bar.value {
            Some(v) => (ranked
                .iter()
                .filter(|b| b.value.is_some_and(|w| w > v))
                .count()
                + 1)
            .to_string(),
            None => String::new(),
        };
        rows.push(RankRow {
            rank,
            name: bar.label.clone(),
            value: value_text(bar.value, decimals, unit),
            own: bar.highlight,
        });
    }
    (svg, rows)
}

async fn sheet_view(ctx: &PageContext, slug: &str, place: &str) -> Result<SheetView, AppError> {
    let pool = ctx.state().db().pool();
    let theme = themes::find(pool, slug).await?.ok_or(AppError::NotFound)?;
    let (code, name) = find_city(place).ok_or(AppError::NotFound)?;
    let codes: Vec<String> = theme.indicators.iter().map(|i| i.code.clone()).collect();
    let (cubes, any_demo) = cubes(ctx.state(), &codes).await?;
    let demo = theme.demo || any_demo;
    let mut keys = Vec::new();
    let mut items = Vec::new();
    for entry in &theme.indicators {
        let Some((s, n)) = standing_in(&cubes, &entry.code, code) else {
            continue;
        };
        let Some(cube) = cubes.get(n) else { continue };
        let href = paths::indicator(&s.code);
        let flanders = value_text(s.flanders, s.decimals, &s.unit);
        let (value, period) = s
            .latest
            .as_ref()
            .map(|l| (with_unit(l.value, s.decimals, &s.unit), l.period.clone()))
            .unwrap_or_default();
        if entry.key_figure {
            keys.push(KeyFigure {
                name: s.name.clone(),
                href: format!("#{}", anchor(&s.code)),
                value: value.clone(),
                period: period.clone(),
                previous: s
                    .change_previous()
                    .zip(s.previous.as_ref())
                    .map(|(c, p)| (p.period.clone(), change_text(c, s.decimals, &s.unit))),
                five_years: s
                    .change_five_years()
                    .zip(s.five_years.as_ref())
                    .map(|(c, p)| (p.period.clone(), change_text(c, s.decimals, &s.unit))),
                rank: s.rank,
                flanders: flanders.clone(),
            });
        }
        let line_svg = s
            .line_chart(name, &format!("cj-trend-{}", s.code))
            .and_then(|chart| charts::line::svg(&chart).ok())
            .unwrap_or_default();
        let (bar_svg, ranking) = if period.is_empty() {
            (String::new(), Vec::new())
        } else {
            ranking_rows(cube, &s.code, &period, code, s.decimals, &s.unit)
        };
        items.push(SheetItem {
            anchor: anchor(&s.code),
            trend_id: format!("{}-evolutie", anchor(&s.code)),
            rank_id: format!("{}-rang", anchor(&s.code)),
            trend: s
                .trend
                .iter()
                .map(|(p, c, f)| TrendRow {
                    period: p.clone(),
                    city: value_text(*c, s.decimals, &s.unit),
                    flanders: value_text(*f, s.decimals, &s.unit),
                })
                .collect(),
            name: s.name.clone(),
            href,
            value,
            period,
            line_svg,
            bar_svg,
            rank: s.rank,
            flanders,
            ranking,
        });
    }
    let map_html = match maps::sheet_block(ctx, &codes, code).await? {
        Some(map) => MapBlockHtml { ctx, map: &map }
            .render()
            .map_err(|e| AppError::Internal(e.to_string()))?,
        None => String::new(),
    };
    let place_slug = city_slug(name);
    Ok(SheetView {
        city_href: paths::city(&place_slug),
        theme_href: paths::theme(&theme.slug),
        pdf_href: paths::fact_sheet_pdf(&theme.slug, &place_slug),
        city: name.to_string(),
        keys,
        items,
        map_html,
        demo,
        theme,
    })
}

fn anchor(code: &str) -> String {
    format!("ind-{code}")
}

#[derive(Template)]
#[template(path = "cijfers/steekkaart.html")]
struct SheetPage {
    ctx: PageContext,
    sheet: SheetView,
}

async fn fact_sheet(
    ctx: PageContext,
    Path((theme, place)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let sheet = sheet_view(&ctx, &theme, &place).await?;
    let title = ctx.t_with(
        "cijfers-sheet-title",
        &[("theme", &sheet.theme.name), ("city", &sheet.city)],
    );
    let crumb = ctx.t("cijfers-title");
    let mut ctx = ctx
        .crumb(crumb, paths::OVERVIEW)
        .crumb(sheet.theme.name.clone(), sheet.theme_href.clone())
        .titled(title);
    ctx.description = sheet.theme.intro.clone();
    render(&SheetPage { ctx, sheet })
}

/// The fact sheet as one self-contained document for Chromium: the same body, the platform's
/// stylesheet inline (its print rules make the A4 layout).
#[derive(Template)]
#[template(path = "cijfers/steekkaart_pdf.html")]
struct SheetPdf<'a> {
    ctx: &'a PageContext,
    title: String,
    sheet: SheetView,
    css: &'static str,
}

#[derive(Template)]
#[template(path = "cijfers/steekkaart_pdf_error.html")]
struct PdfErrorPage {
    ctx: PageContext,
    message: &'static str,
    back: String,
}

async fn fact_sheet_pdf(
    ctx: PageContext,
    Path((theme, place)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let sheet = sheet_view(&ctx, &theme, &place).await?;
    let title = ctx.t_with(
        "cijfers-sheet-title",
        &[("theme", &sheet.theme.name), ("city", &sheet.city)],
    );
    let file = format!(
        "steekkaart-{}-{}.pdf",
        sheet.theme.slug,
        city_slug(&sheet.city)
    );
    let back = paths::fact_sheet(&sheet.theme.slug, &city_slug(&sheet.city));
    let html = SheetPdf {
        ctx: &ctx,
        title,
        sheet,
        css: steden_web::design_tokens::STYLESHEET,
    }
    .render()?;
    match pdf::html_to_pdf(&html).await {
        Ok(bytes) => Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file}\""),
                ),
            ],
            bytes,
        )
            .into_response()),
        Err(err) => {
            tracing::warn!(error = %err, "steekkaart: geen PDF");
            let status = match err {
                pdf::PdfError::Failed(_) => StatusCode::INTERNAL_SERVER_ERROR,
                _ => StatusCode::SERVICE_UNAVAILABLE,
            };
            let title = ctx.t("cijfers-sheet-pdf-error-title");
            let page = PdfErrorPage {
                ctx: ctx.titled(title),
                message: err.message_nl(),
                back,
            };
            let mut response = render(&page)?;
            *response.status_mut() = status;
            Ok(response)
        }
    }
}

struct CityLink {
    name: String,
    href: String,
}

#[derive(Template)]
#[template(path = "cijfers/theme.html")]
struct ThemePage {
    ctx: PageContext,
    theme: Theme,
    cities: Vec<CityLink>,
}

/// The cities in alphabetical order with a link made by `href` from their slug.
fn city_links(href: impl Fn(&str) -> String) -> Vec<CityLink> {
    let mut cities: Vec<CityLink> = CITIES
        .iter()
        .map(|(_, name)| CityLink {
            name: (*name).to_string(),
            href: href(&city_slug(name)),
        })
        .collect();
    cities.sort_by(|a, b| a.name.cmp(&b.name));
    cities
}

/// For the overview: the themes (name, link) and the cities' own pages (name, link).
pub(crate) async fn overview_links(
    state: &AppState,
) -> Result<(Vec<(String, String)>, Vec<(String, String)>), AppError> {
    let themes = themes::list(state.db().pool())
        .await?
        .into_iter()
        .map(|t| (t.name, paths::theme(&t.slug)))
        .collect();
    let cities = city_links(paths::city)
        .into_iter()
        .map(|c| (c.name, c.href))
        .collect();
    Ok((themes, cities))
}

async fn theme_page(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let theme = themes::find(ctx.state().db().pool(), &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let cities = city_links(|place| paths::fact_sheet(&theme.slug, place));
    let crumb = ctx.t("cijfers-title");
    let mut ctx = ctx.crumb(crumb, paths::OVERVIEW).titled(theme.name.clone());
    ctx.description = theme.intro.clone();
    render(&ThemePage { ctx, theme, cities })
}

struct CityRow {
    name: String,
    href: String,
    unit: String,
    period: String,
    value: String,
    rank: Option<(usize, usize)>,
    flanders: String,
}

struct CityGroup {
    name: String,
    table_id: String,
    /// The theme's fact sheet for this city; empty for indicators in no fact-sheet theme.
    sheet_href: String,
    rows: Vec<CityRow>,
}

#[derive(Template)]
#[template(path = "cijfers/city.html")]
struct CityPage {
    ctx: PageContext,
    city: String,
    groups: Vec<CityGroup>,
    // cj-climate2: the link to the city's climate dashboard
    climate_href: String,
}

async fn city_page(ctx: PageContext, Path(place): Path<String>) -> Result<Response, AppError> {
    let (code, name) = find_city(&place).ok_or(AppError::NotFound)?;
    let pool = ctx.state().db().pool();
    let published = indicators::list_published(pool).await?;
    let codes: Vec<String> = published.iter().map(|i| i.code.clone()).collect();
    let (cubes, _) = cubes(ctx.state(), &codes).await?;
    let row = |code_of: &str| -> Option<CityRow> {
        let (s, _) = standing_in(&cubes, code_of, code)?;
        let latest = s.latest.as_ref()?;
        Some(CityRow {
            href: paths::indicator(&s.code),
            period: latest.period.clone(),
            value: format_nl(latest.value, s.decimals),
            flanders: s
                .flanders
                .map(|v| format_nl(v, s.decimals))
                .unwrap_or_default(),
            rank: s.rank,
            unit: s.unit.clone(),
            name: s.name,
        })
    };
    let mut groups = Vec::new();
    let mut in_theme = std::collections::HashSet::new();
    for theme in themes::list(pool).await? {
        let rows: Vec<CityRow> = theme
            .indicators
            .iter()
            .filter(|i| i.published)
            .filter_map(|i| {
                in_theme.insert(i.code.clone());
                row(&i.code)
            })
            .collect();
        if !rows.is_empty() {
            groups.push(CityGroup {
                table_id: String::new(),
                sheet_href: paths::fact_sheet(&theme.slug, &city_slug(name)),
                name: theme.name,
                rows,
            });
        }
    }
    let mut rest: BTreeMap<String, Vec<CityRow>> = BTreeMap::new();
    for indicator in published.iter().filter(|i| !in_theme.contains(&i.code)) {
        if let Some(r) = row(&indicator.code) {
            let group = if indicator.theme.is_empty() {
                ctx.t("cijfers-theme-other")
            } else {
                indicator.theme.clone()
            };
            rest.entry(group).or_default().push(r);
        }
    }
    groups.extend(rest.into_iter().map(|(name, rows)| CityGroup {
        name,
        table_id: String::new(),
        sheet_href: String::new(),
        rows,
    }));
    for (n, group) in groups.iter_mut().enumerate() {
        group.table_id = format!("groep-{}-tabel", n + 1);
    }
    let title = ctx.t_with("cijfers-city-title", &[("city", name)]);
    let crumb = ctx.t("cijfers-title");
    let mut ctx = ctx.crumb(crumb, paths::OVERVIEW).titled(title);
    ctx.description = ctx.t_with("cijfers-city-intro", &[("city", name)]);
    render(&CityPage {
        ctx,
        city: name.to_string(),
        groups,
        // cj-climate2:
        climate_href: paths::climate_city(&city_slug(name)),
    })
}
