//! The public climate dashboard (issue 15 point 6):
//!
//! - `/cijfers/klimaat`: the cities with public energy figures, and every emission factor;
//! - `/cijfers/klimaat/{place}`: a city's energy use per sector and per carrier, its local PV
//!   production and charge points, the CO2 emissions per sector computed with the factor valid
//!   in each year, and its progress against each target (chart and table); the factors used
//!   with their source and validity, and what is missing.
//!
//! Every chart is an SVG of `crate::charts` with its table beside it; the numbers come from
//! `store::climate::public_figures` (the public rule) and `crate::climate` (the arithmetic).

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::charts::bar::{self, Bar, BarChart};
use crate::charts::draw::format_nl;
use crate::charts::line::{self, LineChart, Series};
use crate::climate::{self, Carrier, Dashboard, Factor, Progress, Sector};
use crate::model::CITIES;
use crate::paths;
use crate::sheets::{city_slug, find_city};
use crate::store::climate::{self as climate_store, show_date, PublicFigures};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::CLIMATE, get(index))
        .route(paths::CLIMATE_CITY_ROUTE, get(city))
}

/// A table as the template draws it: a caption, column heads, and rows with a head cell and
/// value cells (empty: unknown, shown as a dash with its meaning in words).
pub struct Table {
    pub id: String,
    pub caption: String,
    pub head: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
}

/// A chart (SVG) with the table of the same figures.
pub struct Figure {
    pub id: String,
    pub title: String,
    pub svg: String,
    pub table: Table,
}

/// One factor as listed.
pub struct FactorLine {
    pub carrier: String,
    pub value: String,
    pub valid_from: String,
    pub valid_until: String,
    pub source: String,
    pub source_url: String,
    pub demo: bool,
}

pub(crate) fn factor_line(ctx: &PageContext, f: &Factor) -> FactorLine {
    FactorLine {
        carrier: ctx.t(&f.carrier.label_key()),
        value: format_nl(f.kg_co2_per_kwh, 3),
        valid_from: show_date(&f.valid_from),
        valid_until: f.valid_until.as_deref().map(show_date).unwrap_or_default(),
        source: f.source.clone(),
        source_url: f.source_url.clone(),
        demo: f.demo,
    }
}

fn kton(ton: Option<f64>) -> String {
    ton.map(|v| format_nl(v / 1000.0, 1)).unwrap_or_default()
}

fn pct(value: Option<f64>) -> String {
    value
        .map(|v| {
            let text = format_nl(v, 1);
            if v > 0.0 && text != "0,0" {
                format!("+{text} %")
            } else {
                format!("{text} %")
            }
        })
        .unwrap_or_default()
}

/// A line chart of some series over the dashboard's years (values already in the chart's
/// unit), and its table. Energy and emissions get one decimal, counts (charge points) none.
fn figure(
    id: &str,
    title: String,
    unit: &str,
    years: &[i32],
    series: Vec<(String, Vec<Option<f64>>)>,
    caption: String,
    first_head: String,
) -> Figure {
    let decimals: u8 = if unit.contains("Wh") || unit.contains("CO2") {
        1
    } else {
        0
    };
    let chart = LineChart {
        id: id.to_string(),
        title: title.clone(),
        unit: unit.to_string(),
        decimals,
        periods: years.iter().map(i32::to_string).collect(),
        series: series
            .iter()
            .map(|(label, values)| Series {
                label: label.clone(),
                values: values.clone(),
            })
            .collect(),
    };
    let svg = line::svg(&chart).unwrap_or_default();
    let mut head = vec![first_head];
    head.extend(series.iter().map(|(label, _)| format!("{label} ({unit})")));
    let rows: Vec<(String, Vec<String>)> = years
        .iter()
        .enumerate()
        .map(|(n, year)| {
            let cells: Vec<String> = series
                .iter()
                .map(|(_, values)| {
                    values
                        .get(n)
                        .copied()
                        .flatten()
                        .map(|v| format_nl(v, decimals))
                        .unwrap_or_default()
                })
                .collect();
            (year.to_string(), cells)
        })
        .collect();
    Figure {
        id: id.to_string(),
        title,
        svg,
        table: Table {
            id: format!("{id}-tabel"),
            caption,
            head,
            rows,
        },
    }
}

/// One target's progress as shown.
pub struct ProgressView {
    pub label: String,
    pub source: String,
    pub sentence: String,
    pub status_key: &'static str,
    pub figure: Figure,
}

fn progress_view(ctx: &PageContext, city: &str, n: usize, p: &Progress) -> ProgressView {
    let t = &p.target;
    let years: Vec<i32> = p.rows.iter().map(|r| r.year).collect();
    let actual_label = ctx.t("cijfers-climate-actual");
    let line_label = ctx.t("cijfers-climate-trajectory");
    let series = vec![
        (
            actual_label.clone(),
            p.rows
                .iter()
                .map(|r| r.actual.map(|v| v / 1000.0))
                .collect(),
        ),
        (
            line_label.clone(),
            p.rows
                .iter()
                .map(|r| r.trajectory.map(|v| v / 1000.0))
                .collect(),
        ),
    ];
    let title = ctx.t_with(
        "cijfers-climate-progress-chart",
        &[("label", &t.label), ("city", city)],
    );
    let mut fig = figure(
        &format!("cj-klimaat-doel-{}", n + 1),
        title.clone(),
        "kton CO2",
        &years,
        series,
        title,
        ctx.t("cijfers-climate-col-year"),
    );
    // The table adds the change against the base year and whether the year is on track.
    fig.table.head.push(ctx.t("cijfers-climate-col-change"));
    fig.table.head.push(ctx.t("cijfers-climate-col-on-track"));
    for (row, line) in fig.table.rows.iter_mut().zip(&p.rows) {
        row.1.push(pct(line.change_pct));
        row.1.push(match line.on_track {
            Some(true) => ctx.t("cijfers-climate-yes"),
            Some(false) => ctx.t("cijfers-climate-no"),
            None => String::new(),
        });
    }
    let pct_text = format_nl(t.reduction_pct, 1);
    let base_year = t.base_year.to_string();
    let target_year = t.target_year.to_string();
    let mut args: Vec<(&str, String)> = vec![
        ("city", city.to_string()),
        ("pct", pct_text),
        ("base", base_year),
        ("year", target_year),
        ("goal", kton(p.goal)),
        ("baseValue", kton(p.base)),
    ];
    if let Some(latest) = &p.latest {
        args.push(("latestYear", latest.year.to_string()));
        args.push(("latest", kton(latest.actual)));
        args.push(("line", kton(latest.trajectory)));
        args.push(("change", pct(latest.change_pct)));
    }
    let borrowed: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    ProgressView {
        label: t.label.clone(),
        source: t.source.clone(),
        sentence: ctx.t_with(p.status.label_key(), &borrowed),
        status_key: p.status.as_str(),
        figure: fig,
    }
}

/// What is missing, in sentences.
fn gaps(ctx: &PageContext, board: &Dashboard, figures: &PublicFigures) -> Vec<String> {
    let mut out = Vec::new();
    if !board.missing_years.is_empty() {
        let years: Vec<String> = board.missing_years.iter().map(i32::to_string).collect();
        out.push(ctx.t_with("cijfers-climate-gap-years", &[("years", &years.join(", "))]));
    }
    for row in board.rows.iter().filter(|r| r.has_data) {
        if !row.missing_series.is_empty() {
            let names: Vec<String> = row
                .missing_series
                .iter()
                .map(|(s, c)| {
                    format!(
                        "{} – {}",
                        ctx.t(&s.label_key()),
                        ctx.t(&c.label_key()).to_lowercase()
                    )
                })
                .collect();
            out.push(ctx.t_with(
                "cijfers-climate-gap-series",
                &[
                    ("year", &row.year.to_string()),
                    ("series", &names.join(", ")),
                ],
            ));
        }
        if !row.missing_factors.is_empty() {
            let names: Vec<String> = row
                .missing_factors
                .iter()
                .map(|c| ctx.t(&c.label_key()).to_lowercase())
                .collect();
            out.push(ctx.t_with(
                "cijfers-climate-gap-factors",
                &[
                    ("year", &row.year.to_string()),
                    ("carriers", &names.join(", ")),
                ],
            ));
        }
    }
    for (code, unit) in &figures.unknown_units {
        out.push(ctx.t_with(
            "cijfers-climate-gap-unit",
            &[("code", code), ("unit", unit)],
        ));
    }
    out
}

#[derive(Template)]
#[template(path = "cijfers/climate.html")]
struct CityPage {
    ctx: PageContext,
    city: String,
    demo: bool,
    has_data: bool,
    /// The latest year with a complete total, and that total in kton.
    latest: Option<(String, String)>,
    progress: Vec<ProgressView>,
    emissions: Option<Figure>,
    /// The latest complete year's emissions per sector as a ranking chart.
    sector_bars: String,
    energy_sector: Option<Figure>,
    energy_carrier: Option<Figure>,
    pv: Option<Figure>,
    charge_points: Option<Figure>,
    factors: Vec<FactorLine>,
    gaps: Vec<String>,
    sources: Vec<String>,
    city_href: String,
    api_href: String,
}

async fn city(ctx: PageContext, Path(place): Path<String>) -> Result<Response, AppError> {
    let (code, name) = find_city(&place).ok_or(AppError::NotFound)?;
    let pool = ctx.state().db().pool();
    let figures = climate_store::public_figures(pool, code).await?;
    let factors = climate_store::list_factors(pool).await?;
    let targets = climate_store::list_targets(pool, Some(code)).await?;
    let board = climate::dashboard(&figures.energy, &factors, &targets);
    let years: Vec<i32> = board.rows.iter().map(|r| r.year).collect();
    let year_head = ctx.t("cijfers-climate-col-year");
    let sectors = board.sectors();
    let carriers = board.carriers();
    let has_data = !board.rows.is_empty();

    let (emissions, energy_sector, energy_carrier) = if has_data {
        let mut emission_series: Vec<(String, Vec<Option<f64>>)> = sectors
            .iter()
            .map(|s| {
                (
                    ctx.t(&s.label_key()),
                    board
                        .rows
                        .iter()
                        .map(|r| {
                            r.emissions_by_sector
                                .get(s)
                                .copied()
                                .flatten()
                                .map(|v| v / 1000.0)
                        })
                        .collect(),
                )
            })
            .collect();
        emission_series.push((
            ctx.t("cijfers-climate-total"),
            board
                .rows
                .iter()
                .map(|r| r.emissions_total.map(|v| v / 1000.0))
                .collect(),
        ));
        let title = ctx.t_with("cijfers-climate-emissions-chart", &[("city", name)]);
        let emissions = figure(
            "cj-klimaat-uitstoot",
            title.clone(),
            "kton CO2",
            &years,
            emission_series,
            title,
            year_head.clone(),
        );
        let sector_energy = |s: &Sector| -> Vec<Option<f64>> {
            board
                .rows
                .iter()
                .map(|r| {
                    r.energy_by_sector
                        .get(s)
                        .copied()
                        .flatten()
                        .map(|v| v / 1000.0)
                })
                .collect()
        };
        let carrier_energy = |c: &Carrier| -> Vec<Option<f64>> {
            board
                .rows
                .iter()
                .map(|r| {
                    r.energy_by_carrier
                        .get(c)
                        .copied()
                        .flatten()
                        .map(|v| v / 1000.0)
                })
                .collect()
        };
        let title = ctx.t_with("cijfers-climate-energy-sector-chart", &[("city", name)]);
        let by_sector = figure(
            "cj-klimaat-energie-sector",
            title.clone(),
            "GWh",
            &years,
            sectors
                .iter()
                .map(|s| (ctx.t(&s.label_key()), sector_energy(s)))
                .collect(),
            title,
            year_head.clone(),
        );
        let title = ctx.t_with("cijfers-climate-energy-carrier-chart", &[("city", name)]);
        let by_carrier = figure(
            "cj-klimaat-energie-drager",
            title.clone(),
            "GWh",
            &years,
            carriers
                .iter()
                .map(|c| (ctx.t(&c.label_key()), carrier_energy(c)))
                .collect(),
            title,
            year_head.clone(),
        );
        (Some(emissions), Some(by_sector), Some(by_carrier))
    } else {
        (None, None, None)
    };

    let latest_row = board
        .rows
        .iter()
        .rev()
        .find(|r| r.emissions_total.is_some());
    let sector_bars = latest_row
        .map(|row| BarChart {
            id: "cj-klimaat-sectoren".into(),
            title: ctx.t_with(
                "cijfers-climate-sector-bars",
                &[("city", name), ("year", &row.year.to_string())],
            ),
            unit: "kton CO2".into(),
            decimals: 1,
            bars: sectors
                .iter()
                .map(|s| Bar {
                    label: ctx.t(&s.label_key()),
                    value: row
                        .emissions_by_sector
                        .get(s)
                        .copied()
                        .flatten()
                        .map(|v| v / 1000.0),
                    note: String::new(),
                    highlight: false,
                })
                .collect(),
            reference: None,
        })
        .and_then(|chart| bar::svg(&chart).ok())
        .unwrap_or_default();
    let latest = latest_row.map(|r| (r.year.to_string(), kton(r.emissions_total)));

    let extra = |id: &str,
                 key: &str,
                 unit: &str,
                 by_year: &std::collections::BTreeMap<i32, f64>,
                 scale: f64| {
        let (Some(first), Some(last)) = (by_year.keys().next(), by_year.keys().last()) else {
            return None;
        };
        let span: Vec<i32> = (*first..=*last).collect();
        let title = ctx.t_with(key, &[("city", name)]);
        let values = span
            .iter()
            .map(|y| by_year.get(y).map(|v| v * scale))
            .collect();
        Some(figure(
            id,
            title.clone(),
            unit,
            &span,
            vec![(title.clone(), values)],
            title,
            year_head.clone(),
        ))
    };
    let pv = extra(
        "cj-klimaat-pv",
        "cijfers-climate-pv-chart",
        "GWh",
        &figures.pv_production,
        0.001,
    );
    let charge_points = extra(
        "cj-klimaat-laadpunten",
        "cijfers-climate-ev-chart",
        "laadpunten",
        &figures.charge_points,
        1.0,
    );
    let progress = board
        .progress
        .iter()
        .enumerate()
        .map(|(n, p)| progress_view(&ctx, name, n, p))
        .collect();
    let page_factors = board
        .factors_used
        .iter()
        .map(|f| factor_line(&ctx, f))
        .collect();
    let gaps = gaps(&ctx, &board, &figures);
    let title = ctx.t_with("cijfers-climate-city-title", &[("city", name)]);
    let crumb = ctx.t("cijfers-title");
    let climate_crumb = ctx.t("cijfers-climate-title");
    let mut ctx = ctx
        .crumb(crumb, paths::OVERVIEW)
        .crumb(climate_crumb, paths::CLIMATE)
        .titled(title);
    ctx.description = ctx.t_with("cijfers-climate-city-intro", &[("city", name)]);
    render(&CityPage {
        ctx,
        city: name.to_string(),
        demo: figures.demo || targets.iter().any(|t| t.demo),
        has_data,
        latest,
        progress,
        emissions,
        sector_bars,
        energy_sector,
        energy_carrier,
        pv,
        charge_points,
        factors: page_factors,
        gaps,
        sources: figures.sources.clone(),
        city_href: paths::city(&city_slug(name)),
        api_href: paths::api_climate(code),
    })
}

#[derive(Template)]
#[template(path = "cijfers/climate_index.html")]
struct IndexPage {
    ctx: PageContext,
    cities: Vec<(String, String)>,
    factors: Vec<FactorLine>,
}

async fn index(ctx: PageContext) -> Result<Response, AppError> {
    let pool = ctx.state().db().pool();
    let with_data = climate_store::places_with_energy(pool).await?;
    let mut cities: Vec<(String, String)> = CITIES
        .iter()
        .filter(|(code, _)| with_data.iter().any(|c| c == code))
        .map(|(_, name)| ((*name).to_string(), paths::climate_city(&city_slug(name))))
        .collect();
    cities.sort();
    let factors = climate_store::list_factors(pool)
        .await?
        .iter()
        .map(|f| factor_line(&ctx, f))
        .collect();
    let title = ctx.t("cijfers-climate-title");
    let crumb = ctx.t("cijfers-title");
    let mut ctx = ctx.crumb(crumb, paths::OVERVIEW).titled(title);
    ctx.description = ctx.t("cijfers-climate-intro");
    render(&IndexPage {
        ctx,
        cities,
        factors,
    })
}
