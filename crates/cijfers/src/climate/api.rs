//! The climate dashboard in the JSON API (issue 15 point 6), under `/api/v1/cijfers/`: a
//! city's figures (`/climate/{place}`) and the emission factors (`/emission-factors`). Open to
//! everyone, like the rest of the module's API; the energy figures are the public values only
//! (`store::climate::public_figures`).

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use steden_web::api::responses::{AuthProblems, ReadProblems};
use steden_web::api::{ApiCaller, ApiError, ApiPath, ApiResult};
use steden_web::AppState;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::climate::{dashboard, Factor, Progress, YearRow};
use crate::paths;
use crate::sheets::{city_slug, find_city};
use crate::store::climate as store;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_climate))
        .routes(routes!(list_emission_factors))
}

/// An emission factor: kg CO2 per kWh of an energy carrier over a period of validity.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmissionFactorDto {
    /// `elektriciteit`, `aardgas`, `stookolie`, `diesel` or `benzine`.
    pub carrier: String,
    pub kg_co2_per_kwh: f64,
    /// First day it applies (`YYYY-MM-DD`).
    pub valid_from: String,
    /// Last day it applies (`YYYY-MM-DD`, inclusive); null: still valid.
    pub valid_until: Option<String>,
    pub source: String,
    /// The source's web address; empty when none is given.
    pub source_url: String,
    /// Whether it is a demo value.
    pub demo: bool,
}

fn factor_dto(f: &Factor) -> EmissionFactorDto {
    EmissionFactorDto {
        carrier: f.carrier.as_str().into(),
        kg_co2_per_kwh: f.kg_co2_per_kwh,
        valid_from: f.valid_from.clone(),
        valid_until: f.valid_until.clone(),
        source: f.source.clone(),
        source_url: f.source_url.clone(),
        demo: f.demo,
    }
}

/// Every emission factor, by carrier and start. A year's energy use takes the factor of its
/// carrier that is valid on 1 January of that year.
#[utoipa::path(
    get,
    path = "/cijfers/emission-factors",
    operation_id = "cijfers_list_emission_factors",
    tag = "cijfers",
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "De emissiefactoren", body = Vec<EmissionFactorDto>),
        AuthProblems,
    )
)]
pub async fn list_emission_factors(
    _caller: ApiCaller,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<EmissionFactorDto>>> {
    let factors = store::list_factors(state.db().pool()).await?;
    Ok(Json(factors.iter().map(factor_dto).collect()))
}

/// One sector × carrier figure of a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClimateFigureDto {
    /// `huishoudens`, `tertiair`, `industrie` or `transport`.
    pub sector: String,
    /// `elektriciteit`, `aardgas`, `stookolie`, `diesel` or `benzine`.
    pub carrier: String,
    pub energy_mwh: f64,
    /// Energy × the factor of the year; null when the carrier has no factor that year.
    pub emissions_t: Option<f64>,
}

/// A sector's total in a year; null when one of its figures (or factors) is missing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClimateSectorDto {
    pub sector: String,
    pub energy_mwh: Option<f64>,
    pub emissions_t: Option<f64>,
}

/// One year of the dashboard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClimateYearDto {
    pub year: i32,
    pub figures: Vec<ClimateFigureDto>,
    pub sectors: Vec<ClimateSectorDto>,
    /// Null when a figure of the city's series is missing this year.
    pub energy_total_mwh: Option<f64>,
    /// Null when a figure or a factor is missing this year.
    pub emissions_total_t: Option<f64>,
    /// The city's series without a figure this year, as `sector/carrier`.
    pub missing_series: Vec<String>,
    /// Carriers used this year without a factor valid on 1 January.
    pub missing_factors: Vec<String>,
}

fn year_dto(row: &YearRow) -> ClimateYearDto {
    ClimateYearDto {
        year: row.year,
        figures: row
            .energy
            .iter()
            .map(|((s, c), mwh)| ClimateFigureDto {
                sector: s.as_str().into(),
                carrier: c.as_str().into(),
                energy_mwh: *mwh,
                emissions_t: row.emissions.get(&(*s, *c)).copied(),
            })
            .collect(),
        sectors: row
            .energy_by_sector
            .iter()
            .map(|(s, energy)| ClimateSectorDto {
                sector: s.as_str().into(),
                energy_mwh: *energy,
                emissions_t: row.emissions_by_sector.get(s).copied().flatten(),
            })
            .collect(),
        energy_total_mwh: row.energy_total,
        emissions_total_t: row.emissions_total,
        missing_series: row
            .missing_series
            .iter()
            .map(|(s, c)| format!("{}/{}", s.as_str(), c.as_str()))
            .collect(),
        missing_factors: row
            .missing_factors
            .iter()
            .map(|c| c.as_str().to_string())
            .collect(),
    }
}

/// A target and how the city stands against it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClimateTargetDto {
    pub label: String,
    pub base_year: i32,
    pub target_year: i32,
    /// Percent less CO2 in the target year than in the base year.
    pub reduction_pct: f64,
    pub source: String,
    /// Total emissions in the base year; null when that year is incomplete.
    pub base_emissions_t: Option<f64>,
    /// What the target year's total may be.
    pub goal_emissions_t: Option<f64>,
    /// `on_track`, `off_track`, `base_missing` or `no_later_data`.
    pub status: String,
    /// The latest year after the base year with a complete total.
    pub latest_year: Option<i32>,
    pub latest_emissions_t: Option<f64>,
    /// The straight line from base to goal in that year.
    pub latest_trajectory_t: Option<f64>,
    /// The change against the base year, in percent.
    pub latest_change_pct: Option<f64>,
}

fn target_dto(p: &Progress) -> ClimateTargetDto {
    let latest = p.latest.as_ref();
    ClimateTargetDto {
        label: p.target.label.clone(),
        base_year: p.target.base_year,
        target_year: p.target.target_year,
        reduction_pct: p.target.reduction_pct,
        source: p.target.source.clone(),
        base_emissions_t: p.base,
        goal_emissions_t: p.goal,
        status: p.status.as_str().into(),
        latest_year: latest.map(|r| r.year),
        latest_emissions_t: latest.and_then(|r| r.actual),
        latest_trajectory_t: latest.and_then(|r| r.trajectory),
        latest_change_pct: latest.and_then(|r| r.change_pct),
    }
}

/// A value in a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClimateYearValueDto {
    pub year: i32,
    pub value: f64,
}

/// A city's climate dashboard: energy in MWh, emissions in ton CO2.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClimateDashboardDto {
    /// The municipality's REFNIS code.
    pub place_code: String,
    pub place_name: String,
    /// Whether any figure, factor or target is a demo value.
    pub demo: bool,
    /// Every year from the first to the last with a figure.
    pub years: Vec<ClimateYearDto>,
    /// Years in that span without any figure.
    pub missing_years: Vec<i32>,
    pub targets: Vec<ClimateTargetDto>,
    /// The factors taken for some year.
    pub factors_used: Vec<EmissionFactorDto>,
    /// Local production of solar panels, MWh per year.
    pub pv_production_mwh: Vec<ClimateYearValueDto>,
    /// Public charge points for electric vehicles, per year.
    pub charge_points: Vec<ClimateYearValueDto>,
    /// The dashboard's page on the website.
    pub url: String,
}

/// The climate dashboard of a centrumstad (or Brussel for the VGC): energy use per sector and
/// carrier, CO2 emissions computed with the factor valid in each year, and the progress
/// against each target. Missing figures and factors are reported, never filled in.
#[utoipa::path(
    get,
    path = "/cijfers/climate/{place}",
    operation_id = "cijfers_get_climate",
    tag = "cijfers",
    security((), ("bearer" = [])),
    params(("place" = String, Path, description = "REFNIS-code of naam van de stad (gent, sint-niklaas)")),
    responses(
        (status = 200, description = "Het klimaatdashboard van de stad", body = ClimateDashboardDto),
        ReadProblems,
    )
)]
pub async fn get_climate(
    _caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(place): ApiPath<String>,
) -> ApiResult<Json<ClimateDashboardDto>> {
    let (code, name) = find_city(&place)
        .ok_or_else(|| ApiError::NotFound("Geen centrumstad met deze code of naam.".into()))?;
    let pool = state.db().pool();
    let figures = store::public_figures(pool, code).await?;
    let factors = store::list_factors(pool).await?;
    let targets = store::list_targets(pool, Some(code)).await?;
    let board = dashboard(&figures.energy, &factors, &targets);
    let values = |m: &std::collections::BTreeMap<i32, f64>| -> Vec<ClimateYearValueDto> {
        m.iter()
            .map(|(year, value)| ClimateYearValueDto {
                year: *year,
                value: *value,
            })
            .collect()
    };
    Ok(Json(ClimateDashboardDto {
        place_code: code.into(),
        place_name: name.into(),
        demo: figures.demo
            || targets.iter().any(|t| t.demo)
            || board.factors_used.iter().any(|f| f.demo),
        years: board.rows.iter().map(year_dto).collect(),
        missing_years: board.missing_years.clone(),
        targets: board.progress.iter().map(target_dto).collect(),
        factors_used: board.factors_used.iter().map(factor_dto).collect(),
        pv_production_mwh: values(&figures.pv_production),
        charge_points: values(&figures.charge_points),
        url: format!(
            "{}{}",
            state.config().base_url.trim_end_matches('/'),
            paths::climate_city(&city_slug(name))
        ),
    }))
}
