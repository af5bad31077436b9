//! The JSON API under `/api/v1/cijfers/`: the published indicators and their public values.
//! Open to everyone (anonymous without an `Authorization` header); what it gives is what the
//! public pages give: published indicators only, never a suppressed value. An indicator's
//! figures also come as JSON-stat 2.0 and SDMX-CSV 2.0 (the page's downloads).

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use steden_web::api::{
    ApiCaller, ApiError, ApiPath, ApiQuery, ApiResult, ListProblems, NestedListProblems, Page,
    PageParams, Paged, ReadProblems,
};
use steden_web::AppState;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::model::{GeoLevel, Indicator};
use crate::paths;
use crate::store::{cube, indicators, values};
use crate::web::downloads::{file_response, Format};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_indicators))
        .routes(routes!(get_indicator))
        .routes(routes!(list_values))
        .routes(routes!(get_jsonstat))
        .routes(routes!(get_sdmx))
        .merge(crate::api_open::routes())
        // cj-climate2: the climate dashboard and the emission factors
        .merge(crate::climate::api::routes())
}

/// A published indicator.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CijfersIndicatorDto {
    pub code: String,
    pub name: String,
    pub definition: String,
    pub unit: String,
    pub source: String,
    pub theme: String,
    pub decimals: i64,
    /// `sum`, `weighted_mean` or `ratio`.
    pub aggregation: String,
    /// Whether its figures are generated demo figures.
    pub demo: bool,
    /// Its page on the website.
    pub url: String,
}

fn dto(state: &AppState, i: Indicator) -> CijfersIndicatorDto {
    CijfersIndicatorDto {
        url: format!(
            "{}{}",
            state.config().base_url.trim_end_matches('/'),
            paths::indicator(&i.code)
        ),
        aggregation: i.aggregation.as_str().into(),
        code: i.code,
        name: i.name,
        definition: i.definition,
        unit: i.unit,
        source: i.source,
        theme: i.theme,
        decimals: i.decimals,
        demo: i.demo,
    }
}

/// The published indicators, by theme and code.
#[utoipa::path(
    get,
    path = "/cijfers/indicators",
    operation_id = "cijfers_list_indicators",
    tag = "cijfers",
    security((), ("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "Een pagina gepubliceerde indicatoren", body = Page<CijfersIndicatorDto>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        ListProblems,
    )
)]
pub async fn list_indicators(
    _caller: ApiCaller,
    State(state): State<AppState>,
    page: PageParams,
) -> ApiResult<Paged<CijfersIndicatorDto>> {
    let all = indicators::list_published(state.db().pool()).await?;
    let total = all.len() as i64;
    let items = all
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(0))
        .take(usize::try_from(page.limit()).unwrap_or(0))
        .map(|i| dto(&state, i))
        .collect();
    Ok(page.page(items, total))
}

async fn published(state: &AppState, code: &str) -> Result<Indicator, ApiError> {
    indicators::find_by_code(state.db().pool(), code)
        .await?
        .filter(|i| i.is_public())
        .ok_or_else(|| ApiError::NotFound("Geen gepubliceerde indicator met deze code.".into()))
}

/// One published indicator.
#[utoipa::path(
    get,
    path = "/cijfers/indicators/{code}",
    operation_id = "cijfers_get_indicator",
    tag = "cijfers",
    security((), ("bearer" = [])),
    params(("code" = String, Path, description = "Code van de indicator")),
    responses(
        (status = 200, description = "De indicator", body = CijfersIndicatorDto),
        ReadProblems,
    )
)]
pub async fn get_indicator(
    _caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<CijfersIndicatorDto>> {
    let indicator = published(&state, &code).await?;
    Ok(Json(dto(&state, indicator)))
}

/// A public value.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CijfersValueDto {
    /// `gewest`, `provincie`, `gemeente`, `wijk` or `sector`.
    pub level: String,
    /// REFNIS code, sector code or the city's wijk code.
    pub geo_code: String,
    pub geo_name: String,
    /// `2024`, `2024-Q1`, `2024-03` or `2024-03-15`.
    pub period: String,
    pub value: f64,
    /// `definitive`, `provisional` or `estimated`.
    pub status: String,
}

/// A level of places, as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CijfersGeoLevel {
    Gewest,
    Provincie,
    Gemeente,
    Wijk,
    Sector,
}

impl From<CijfersGeoLevel> for GeoLevel {
    fn from(level: CijfersGeoLevel) -> GeoLevel {
        match level {
            CijfersGeoLevel::Gewest => GeoLevel::Gewest,
            CijfersGeoLevel::Provincie => GeoLevel::Provincie,
            CijfersGeoLevel::Gemeente => GeoLevel::Gemeente,
            CijfersGeoLevel::Wijk => GeoLevel::Wijk,
            CijfersGeoLevel::Sector => GeoLevel::Sector,
        }
    }
}

/// Filters of the values.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ValuesQuery {
    /// Only this level. The document lists the five levels, so that what it calls valid is
    /// what the server accepts; another word is refused with 400.
    #[param(inline)]
    pub level: Option<CijfersGeoLevel>,
}

/// The public values of a published indicator (suppressed values are left out), by level,
/// place and period.
#[utoipa::path(
    get,
    path = "/cijfers/indicators/{code}/values",
    operation_id = "cijfers_list_values",
    tag = "cijfers",
    security((), ("bearer" = [])),
    params(("code" = String, Path, description = "Code van de indicator"), ValuesQuery, PageParams),
    responses(
        (status = 200, description = "Een pagina waarden", body = Page<CijfersValueDto>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        NestedListProblems,
    )
)]
pub async fn list_values(
    _caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(query): ApiQuery<ValuesQuery>,
    page: PageParams,
) -> ApiResult<Paged<CijfersValueDto>> {
    let indicator = published(&state, &code).await?;
    let level = query.level.map(GeoLevel::from);
    let rows = values::public_series(state.db().pool(), &indicator.code, level).await?;
    let total = rows.len() as i64;
    let items = rows
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(0))
        .take(usize::try_from(page.limit()).unwrap_or(0))
        .filter_map(|row| {
            Some(CijfersValueDto {
                value: row.value?,
                level: row.level.as_str().into(),
                geo_code: row.geo_code,
                geo_name: row.geo_name,
                period: row.period,
                status: row.status.as_str().into(),
            })
        })
        .collect();
    Ok(page.page(items, total))
}

/// The file of a published indicator's public cube in `format` (the same as the page's
/// download); 404 for an unknown or unpublished indicator.
async fn open_data(state: &AppState, code: &str, format: Format) -> ApiResult<Response> {
    let cube = cube::public_cube(state.db().pool(), &[code], &state.config().base_url)
        .await?
        .ok_or_else(|| ApiError::NotFound("Geen gepubliceerde indicator met deze code.".into()))?;
    file_response(&cube, format).map_err(ApiError::Internal)
}

/// The public values of a published indicator as a JSON-stat 2.0 dataset (dimensions
/// indicator, geo and period; the centrumsteden, Brussel and the Vlaams Gewest over every
/// period). A suppressed value is not in it.
#[utoipa::path(
    get,
    path = "/cijfers/indicators/{code}/jsonstat",
    operation_id = "cijfers_get_jsonstat",
    tag = "cijfers",
    security((), ("bearer" = [])),
    params(("code" = String, Path, description = "Code van de indicator")),
    responses(
        (status = 200, description = "Een JSON-stat 2.0-dataset", body = serde_json::Value,
         content_type = "application/json"),
        ReadProblems,
    )
)]
pub async fn get_jsonstat(
    _caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Response> {
    open_data(&state, &code, Format::JsonStat).await
}

/// The public values of a published indicator as SDMX-CSV 2.0 (one row per observation; the
/// centrumsteden, Brussel and the Vlaams Gewest over every period). A suppressed value is not
/// in it.
#[utoipa::path(
    get,
    path = "/cijfers/indicators/{code}/sdmx",
    operation_id = "cijfers_get_sdmx",
    tag = "cijfers",
    security((), ("bearer" = [])),
    params(("code" = String, Path, description = "Code van de indicator")),
    responses(
        (status = 200, description = "SDMX-CSV 2.0", body = String,
         content_type = "application/vnd.sdmx.data+csv; version=2.0.0"),
        ReadProblems,
    )
)]
pub async fn get_sdmx(
    _caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Response> {
    open_data(&state, &code, Format::Sdmx).await
}
