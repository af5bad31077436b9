//! `GET /api/v1/cijfers/catalog`: the same DCAT-AP Vlaanderen catalogue as
//! `/cijfers/catalogus.jsonld`, for programs that start from the API's document.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use steden_web::api::{ApiCaller, ApiError, ApiResult, AuthProblems};
use steden_web::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::interop::catalog::catalog_jsonld;

/// The content type of the catalogue.
const JSONLD: &str = "application/ld+json";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_catalog))
}

/// The DCAT-AP Vlaanderen catalogue of the published datasets as JSON-LD: one `dcat:Dataset`
/// per published indicator, with a `dcat:Distribution` per download format (CSV, XLSX,
/// JSON-stat 2.0, SDMX-CSV 2.0, Swing bulk zip) whose URLs are the real downloads.
#[utoipa::path(
    get,
    path = "/cijfers/catalog",
    operation_id = "cijfers_get_catalog",
    tag = "cijfers",
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "De catalogus (DCAT-AP Vlaanderen, JSON-LD)", body = serde_json::Value,
         content_type = "application/ld+json"),
        AuthProblems,
    )
)]
pub async fn get_catalog(_caller: ApiCaller, State(state): State<AppState>) -> ApiResult<Response> {
    let document = catalog_jsonld(state.db().pool(), &state.config().base_url).await?;
    let bytes = serde_json::to_vec(&document).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static(JSONLD))],
        bytes,
    )
        .into_response())
}
