//! `GET /api/v1/cijfers/odata/…`: the OData-like read of the same shape as Swing's Open Data
//! Service (entity sets and property names of [`crate::opendata::odata`]), so that a city's
//! Swing site or a script written for Swing can read the platform's public figures.
//!
//! Keys are path segments (OData 4.01's key-as-segment convention: `Variables/bev`, not
//! `Variables('bev')`, which the router cannot match). Options: `$filter` and `$select` as
//! [`crate::interop::odata_query`] supports them (anything else is refused with 422), `$top`
//! and `$skip`; a page holds at most 1000 entities, the rest follows through
//! `@odata.nextLink`. Only published indicators, and no suppressed value: the values come from
//! the store's public cube, in which a suppressed value has no number and no status (its
//! entity says `ValueString` `?`, `Value` `null`).

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use steden_web::api::{
    ApiCaller, ApiError, ApiPath, ApiQuery, ApiResult, FieldProblem, ListProblems,
    NestedListProblems, ReadProblems,
};
use steden_web::AppState;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::interop::odata_query::Options;
use crate::opendata::odata::{self, ValuesQuery, PAGE_SIZE};
use crate::opendata::{Cube, CubeIndicator, CubeMeta, CubePeriod};
use crate::paths;
use crate::store::cube::public_cube;
use crate::store::{indicators, open_read};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(service))
        .routes(routes!(list_variables))
        .routes(routes!(get_variable))
        .routes(routes!(list_geo_levels))
        .routes(routes!(list_geo_items))
        .routes(routes!(list_period_levels))
        .routes(routes!(list_periods))
        .routes(routes!(list_values))
}

const VARIABLE: [&str; 6] = [
    "ExternalCode",
    "Name",
    "Description",
    "Unit",
    "Decimals",
    "DataSource",
];
const LEVEL: [&str; 2] = ["ExternalCode", "Name"];
const GEO_ITEM: [&str; 3] = ["ExternalCode", "Name", "GeoLevel"];
const PERIOD: [&str; 3] = ["ExternalCode", "FullName", "PeriodLevel"];
const VALUE: [&str; 9] = [
    "Variable",
    "GeoLevel",
    "ExternalCode",
    "Name",
    "PeriodLevel",
    "Period",
    "Value",
    "ValueString",
    "Status",
];

/// The query options of a collection.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ODataOptions {
    /// Comparisons `Eigenschap eq 'tekst'`, `eq 12.5` or `eq null` (ook `ne`), verbonden met
    /// `and`, bv. `ExternalCode eq '44021' and Period eq '2024'`. Andere operatoren of
    /// onbekende eigenschappen: 422.
    #[serde(rename = "$filter")]
    pub filter: Option<String>,
    /// Eigenschappen om te behouden, gescheiden door komma's (of `*`). Een onbekende
    /// eigenschap: 422.
    #[serde(rename = "$select")]
    pub select: Option<String>,
    /// Hoogstens zoveel entiteiten (over de pagina's heen).
    #[serde(rename = "$top")]
    #[param(minimum = 0, maximum = 1_000_000)]
    pub top: Option<u32>,
    /// Zoveel entiteiten overslaan.
    #[serde(rename = "$skip")]
    #[param(minimum = 0, maximum = 1_000_000)]
    pub skip: Option<u32>,
}

/// The largest `$top` and `$skip` the document allows (and the code accepts).
const MAX_WINDOW: u32 = 1_000_000;

impl ODataOptions {
    /// 400 for a `$top` or `$skip` above the documented bound.
    fn check_bounds(&self) -> Result<(), ApiError> {
        for (field, value) in [("$top", self.top), ("$skip", self.skip)] {
            if value.is_some_and(|v| v > MAX_WINDOW) {
                return Err(ApiError::BadRequest(
                    "Eén of meer queryparameters zijn ongeldig.".to_string(),
                    vec![FieldProblem {
                        field: field.to_string(),
                        message: format!("Hoogstens {MAX_WINDOW}."),
                    }],
                ));
            }
        }
        Ok(())
    }
}

/// A variable (a published indicator). With `$select` only the chosen properties are present.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct CijfersODataVariable {
    pub external_code: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub unit: Option<String>,
    pub decimals: Option<u8>,
    pub data_source: Option<String>,
}

/// A geographic or period level.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct CijfersODataLevel {
    pub external_code: Option<String>,
    pub name: Option<String>,
}

/// A place of a geographic level.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct CijfersODataGeoItem {
    pub external_code: Option<String>,
    pub name: Option<String>,
    pub geo_level: Option<String>,
}

/// A period of a period level.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct CijfersODataPeriod {
    pub external_code: Option<String>,
    pub full_name: Option<String>,
    pub period_level: Option<String>,
}

/// A value: `ValueString` is the number, or `?` when there is no public number (`Value` null).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct CijfersODataValue {
    pub variable: Option<String>,
    pub geo_level: Option<String>,
    pub external_code: Option<String>,
    pub name: Option<String>,
    pub period_level: Option<String>,
    pub period: Option<String>,
    pub value: Option<f64>,
    pub value_string: Option<String>,
    /// `definitive`, `provisional`, `estimated` or `unknown`.
    pub status: Option<String>,
}

/// An OData collection: a page of entities and, when more follow, the next page's link.
#[derive(Debug, Serialize, ToSchema)]
pub struct CijfersODataVariables {
    #[serde(rename = "@odata.context")]
    pub context: String,
    pub value: Vec<CijfersODataVariable>,
    #[serde(rename = "@odata.nextLink")]
    pub next_link: Option<String>,
}

/// An OData collection: a page of entities and, when more follow, the next page's link.
#[derive(Debug, Serialize, ToSchema)]
pub struct CijfersODataLevels {
    #[serde(rename = "@odata.context")]
    pub context: String,
    pub value: Vec<CijfersODataLevel>,
    #[serde(rename = "@odata.nextLink")]
    pub next_link: Option<String>,
}

/// An OData collection: a page of entities and, when more follow, the next page's link.
#[derive(Debug, Serialize, ToSchema)]
pub struct CijfersODataGeoItems {
    #[serde(rename = "@odata.context")]
    pub context: String,
    pub value: Vec<CijfersODataGeoItem>,
    #[serde(rename = "@odata.nextLink")]
    pub next_link: Option<String>,
}

/// An OData collection: a page of entities and, when more follow, the next page's link.
#[derive(Debug, Serialize, ToSchema)]
pub struct CijfersODataPeriods {
    #[serde(rename = "@odata.context")]
    pub context: String,
    pub value: Vec<CijfersODataPeriod>,
    #[serde(rename = "@odata.nextLink")]
    pub next_link: Option<String>,
}

/// An OData collection: a page of entities and, when more follow, the next page's link.
#[derive(Debug, Serialize, ToSchema)]
pub struct CijfersODataValues {
    #[serde(rename = "@odata.context")]
    pub context: String,
    pub value: Vec<CijfersODataValue>,
    #[serde(rename = "@odata.nextLink")]
    pub next_link: Option<String>,
}

/// One variable, with its context.
#[derive(Debug, Serialize, ToSchema)]
pub struct CijfersODataVariableEntity {
    #[serde(rename = "@odata.context")]
    pub context: String,
    #[serde(flatten)]
    pub variable: CijfersODataVariable,
}

/// An entity set of the service document.
#[derive(Debug, Serialize, ToSchema)]
pub struct CijfersODataEntitySet {
    pub name: String,
    pub kind: String,
    pub url: String,
}

/// The service document: the entity sets to start from.
#[derive(Debug, Serialize, ToSchema)]
pub struct CijfersODataService {
    #[serde(rename = "@odata.context")]
    pub context: String,
    pub value: Vec<CijfersODataEntitySet>,
}

/// A geographic level, as Swing names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CijfersODataGeoLevel {
    Gewest,
    Provincie,
    Gemeente,
    Wijk,
    Sector,
}

impl CijfersODataGeoLevel {
    fn as_str(self) -> &'static str {
        match self {
            CijfersODataGeoLevel::Gewest => "gewest",
            CijfersODataGeoLevel::Provincie => "provincie",
            CijfersODataGeoLevel::Gemeente => "gemeente",
            CijfersODataGeoLevel::Wijk => "wijk",
            CijfersODataGeoLevel::Sector => "sector",
        }
    }
}

/// A period level, as Swing names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CijfersODataPeriodLevel {
    Year,
    Quarter,
    Month,
    Day,
}

impl CijfersODataPeriodLevel {
    fn as_str(self) -> &'static str {
        match self {
            CijfersODataPeriodLevel::Year => "year",
            CijfersODataPeriodLevel::Quarter => "quarter",
            CijfersODataPeriodLevel::Month => "month",
            CijfersODataPeriodLevel::Day => "day",
        }
    }
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct VariablePath {
    /// De code van een gepubliceerde indicator.
    pub code: String,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct GeoLevelPath {
    /// Het gebiedsniveau.
    #[param(inline)]
    pub geolevel: CijfersODataGeoLevel,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PeriodLevelPath {
    /// Het periodeniveau.
    #[param(inline)]
    pub periodlevel: CijfersODataPeriodLevel,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ValuesPath {
    /// De code van een gepubliceerde indicator.
    pub code: String,
    /// Het gebiedsniveau.
    #[param(inline)]
    pub geolevel: CijfersODataGeoLevel,
    /// Het periodeniveau.
    #[param(inline)]
    pub periodlevel: CijfersODataPeriodLevel,
    /// Een periodecode (`2024`, `2024-Q1`, …), `all` (alle perioden) of `mrp` (de recentste
    /// periode met een cijfer).
    pub period: String,
}

fn root(state: &AppState) -> String {
    format!(
        "{}{}",
        state.config().base_url.trim_end_matches('/'),
        paths::API_ODATA
    )
}

/// A page of `entities` after `$filter`, `$select`, `$skip` and `$top`, with the link to the
/// next page (carrying the same options).
fn page(
    state: &AppState,
    path: &str,
    entity_set: &str,
    entities: Vec<Value>,
    properties: &[&str],
    options: &ODataOptions,
) -> ApiResult<Json<Value>> {
    options.check_bounds()?;
    let parsed = Options::parse(
        options.filter.as_deref(),
        options.select.as_deref(),
        properties,
    )
    .map_err(|message| {
        // Which option is wrong: the filter when it fails on its own.
        let filter_fails = Options::parse(options.filter.as_deref(), None, properties).is_err();
        ApiError::invalid(if filter_fails { "$filter" } else { "$select" }, &message)
    })?;
    let skip = usize::try_from(options.skip.unwrap_or(0)).unwrap_or(usize::MAX);
    let top = options
        .top
        .map_or(usize::MAX, |t| usize::try_from(t).unwrap_or(usize::MAX));
    let window: Vec<Value> = parsed
        .apply(entities)
        .into_iter()
        .skip(skip)
        .take(top)
        .collect();
    let more = window.len() > PAGE_SIZE;
    let value: Vec<Value> = window.into_iter().take(PAGE_SIZE).collect();
    let root = root(state);
    let mut out = json!({
        "@odata.context": format!("{root}/$metadata#{entity_set}"),
        "value": value,
    });
    if more {
        let mut query = vec![format!("$skip={}", skip.saturating_add(PAGE_SIZE))];
        if let Some(top) = options.top {
            query.push(format!(
                "$top={}",
                usize::try_from(top).unwrap_or(0).saturating_sub(PAGE_SIZE)
            ));
        }
        for (name, option) in [("$filter", &options.filter), ("$select", &options.select)] {
            if let Some(text) = option {
                query.push(format!("{name}={}", paths::url_query_value(text)));
            }
        }
        out["@odata.nextLink"] = Value::from(format!("{root}/{path}?{}", query.join("&")));
    }
    Ok(Json(out))
}

fn to_values<T: Serialize>(items: &[T]) -> Vec<Value> {
    items
        .iter()
        .filter_map(|item| serde_json::to_value(item).ok())
        .collect()
}

/// A cube without cells that lists the public places and periods (the frame of every value).
async fn frame(state: &AppState) -> ApiResult<Cube> {
    let pool = state.db().pool();
    let places = open_read::public_places(pool).await?;
    let periods = open_read::public_periods(pool)
        .await?
        .iter()
        .map(|code| CubePeriod::new(code))
        .collect();
    Cube::new(CubeMeta::default(), Vec::new(), places, periods)
        .map_err(|e| ApiError::Internal(e.to_string()))
}

async fn variables(state: &AppState) -> ApiResult<Vec<odata::Variable>> {
    let published = indicators::list_published(state.db().pool()).await?;
    let cube = Cube::new(
        CubeMeta::default(),
        published
            .into_iter()
            .map(|i| CubeIndicator {
                code: i.code,
                name: i.name,
                unit: i.unit,
                decimals: u8::try_from(i.decimals.clamp(0, 10)).unwrap_or(0),
                definition: i.definition,
                source: i.source,
            })
            .collect(),
        Vec::new(),
        Vec::new(),
    )
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(odata::variables(&cube))
}

/// The service document: the entity sets (`Variables`, `GeoLevels`, `PeriodLevels`).
#[utoipa::path(
    get,
    path = "/cijfers/odata",
    operation_id = "cijfers_odata_service",
    tag = "cijfers",
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Het servicedocument", body = CijfersODataService),
        steden_web::api::AuthProblems,
    )
)]
pub async fn service(
    _caller: ApiCaller,
    State(state): State<AppState>,
) -> ApiResult<Json<CijfersODataService>> {
    let root = root(&state);
    Ok(Json(CijfersODataService {
        context: format!("{root}/$metadata"),
        value: ["Variables", "GeoLevels", "PeriodLevels"]
            .into_iter()
            .map(|name| CijfersODataEntitySet {
                name: name.into(),
                kind: "EntitySet".into(),
                url: name.into(),
            })
            .collect(),
    }))
}

/// The variables: every published indicator.
#[utoipa::path(
    get,
    path = "/cijfers/odata/Variables",
    operation_id = "cijfers_odata_variables",
    tag = "cijfers",
    security((), ("bearer" = [])),
    params(ODataOptions),
    responses(
        (status = 200, description = "De variabelen", body = CijfersODataVariables),
        ListProblems,
        (status = 422, description = "Een $filter of $select die de dienst niet ondersteunt", body = steden_web::api::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_variables(
    _caller: ApiCaller,
    State(state): State<AppState>,
    ApiQuery(options): ApiQuery<ODataOptions>,
) -> ApiResult<Json<Value>> {
    let items = to_values(&variables(&state).await?);
    page(&state, "Variables", "Variables", items, &VARIABLE, &options)
}

/// One variable (a published indicator).
#[utoipa::path(
    get,
    path = "/cijfers/odata/Variables/{code}",
    operation_id = "cijfers_odata_variable",
    tag = "cijfers",
    security((), ("bearer" = [])),
    params(VariablePath),
    responses(
        (status = 200, description = "De variabele", body = CijfersODataVariableEntity),
        ReadProblems,
    )
)]
pub async fn get_variable(
    _caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(path): ApiPath<VariablePath>,
) -> ApiResult<Json<Value>> {
    let found = variables(&state)
        .await?
        .into_iter()
        .find(|v| v.external_code == path.code)
        .ok_or_else(|| ApiError::NotFound("Geen gepubliceerde indicator met deze code.".into()))?;
    Ok(Json(odata::entity(&root(&state), "Variables", &found)))
}

/// The geographic levels that have public places.
#[utoipa::path(
    get,
    path = "/cijfers/odata/GeoLevels",
    operation_id = "cijfers_odata_geo_levels",
    tag = "cijfers",
    security((), ("bearer" = [])),
    params(ODataOptions),
    responses(
        (status = 200, description = "De gebiedsniveaus", body = CijfersODataLevels),
        ListProblems,
        (status = 422, description = "Een $filter of $select die de dienst niet ondersteunt", body = steden_web::api::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_geo_levels(
    _caller: ApiCaller,
    State(state): State<AppState>,
    ApiQuery(options): ApiQuery<ODataOptions>,
) -> ApiResult<Json<Value>> {
    let cube = frame(&state).await?;
    let items = to_values(&odata::geo_levels(&cube));
    page(&state, "GeoLevels", "GeoLevels", items, &LEVEL, &options)
}

/// The public places of a geographic level (the centrumsteden and Brussel, the Vlaams Gewest).
#[utoipa::path(
    get,
    path = "/cijfers/odata/GeoLevels/{geolevel}/GeoItems",
    operation_id = "cijfers_odata_geo_items",
    tag = "cijfers",
    security((), ("bearer" = [])),
    params(GeoLevelPath, ODataOptions),
    responses(
        (status = 200, description = "De gebieden van het niveau", body = CijfersODataGeoItems),
        NestedListProblems,
        (status = 422, description = "Een $filter of $select die de dienst niet ondersteunt", body = steden_web::api::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_geo_items(
    _caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(path): ApiPath<GeoLevelPath>,
    ApiQuery(options): ApiQuery<ODataOptions>,
) -> ApiResult<Json<Value>> {
    let cube = frame(&state).await?;
    let level = path.geolevel.as_str();
    let items = to_values(&odata::geo_items(&cube, Some(level)));
    page(
        &state,
        &format!("GeoLevels/{level}/GeoItems"),
        "GeoItems",
        items,
        &GEO_ITEM,
        &options,
    )
}

/// The period levels that have public values.
#[utoipa::path(
    get,
    path = "/cijfers/odata/PeriodLevels",
    operation_id = "cijfers_odata_period_levels",
    tag = "cijfers",
    security((), ("bearer" = [])),
    params(ODataOptions),
    responses(
        (status = 200, description = "De periodeniveaus", body = CijfersODataLevels),
        ListProblems,
        (status = 422, description = "Een $filter of $select die de dienst niet ondersteunt", body = steden_web::api::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_period_levels(
    _caller: ApiCaller,
    State(state): State<AppState>,
    ApiQuery(options): ApiQuery<ODataOptions>,
) -> ApiResult<Json<Value>> {
    let cube = frame(&state).await?;
    let items = to_values(&odata::period_levels(&cube));
    page(
        &state,
        "PeriodLevels",
        "PeriodLevels",
        items,
        &LEVEL,
        &options,
    )
}

/// The periods of a period level that have public values, oldest first.
#[utoipa::path(
    get,
    path = "/cijfers/odata/PeriodLevels/{periodlevel}/Periods",
    operation_id = "cijfers_odata_periods",
    tag = "cijfers",
    security((), ("bearer" = [])),
    params(PeriodLevelPath, ODataOptions),
    responses(
        (status = 200, description = "De perioden van het niveau", body = CijfersODataPeriods),
        NestedListProblems,
        (status = 422, description = "Een $filter of $select die de dienst niet ondersteunt", body = steden_web::api::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_periods(
    _caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(path): ApiPath<PeriodLevelPath>,
    ApiQuery(options): ApiQuery<ODataOptions>,
) -> ApiResult<Json<Value>> {
    let cube = frame(&state).await?;
    let level = path.periodlevel.as_str();
    let items = to_values(&odata::periods(&cube, Some(level)));
    page(
        &state,
        &format!("PeriodLevels/{level}/Periods"),
        "Periods",
        items,
        &PERIOD,
        &options,
    )
}

/// The most recent period of `level` in which `code` has a public value at `geo_level`.
fn most_recent(cube: &Cube, geo_level: &str, period_level: &str) -> Option<String> {
    cube.periods()
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, p)| p.level() == period_level)
        .find(|(p, _)| {
            cube.geo()
                .iter()
                .enumerate()
                .any(|(g, geo)| geo.level == geo_level && cube.cell(0, g, *p).published().is_some())
        })
        .map(|(_, p)| p.code.clone())
}

/// The values of a published indicator at a geographic level, per period and place. A value
/// without a public number (unknown, or kept secret) has `Value` null and `ValueString` `?`.
#[utoipa::path(
    get,
    path = "/cijfers/odata/Variables/{code}/GeoLevels/{geolevel}/PeriodLevels/{periodlevel}/Periods/{period}/Values",
    operation_id = "cijfers_odata_values",
    tag = "cijfers",
    security((), ("bearer" = [])),
    params(ValuesPath, ODataOptions),
    responses(
        (status = 200, description = "De waarden", body = CijfersODataValues),
        NestedListProblems,
        (status = 422, description = "Een $filter of $select die de dienst niet ondersteunt", body = steden_web::api::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_values(
    _caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(path): ApiPath<ValuesPath>,
    ApiQuery(options): ApiQuery<ODataOptions>,
) -> ApiResult<Json<Value>> {
    let cube = public_cube(
        state.db().pool(),
        &[path.code.as_str()],
        &state.config().base_url,
    )
    .await?
    .ok_or_else(|| ApiError::NotFound("Geen gepubliceerde indicator met deze code.".into()))?;
    let geo_level = path.geolevel.as_str();
    let period_level = path.periodlevel.as_str();
    let period = if path.period.eq_ignore_ascii_case("mrp") {
        most_recent(&cube, geo_level, period_level)
    } else {
        Some(path.period.clone())
    };
    let rows = match &period {
        Some(period) => odata::values(
            &cube,
            &ValuesQuery {
                variable: &path.code,
                geo_level,
                period_level,
                period: Some(period.as_str()),
            },
        ),
        None => Vec::new(),
    };
    let resource = format!(
        "Variables/{}/GeoLevels/{geo_level}/PeriodLevels/{period_level}/Periods/{}/Values",
        paths::url_query_value(&path.code),
        paths::url_query_value(&path.period)
    );
    page(
        &state,
        &resource,
        "Values",
        to_values(&rows),
        &VALUE,
        &options,
    )
}
