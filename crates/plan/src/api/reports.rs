//! What other tools feed into a plan and read back: progress updates, indicator measurements,
//! and the list of releases.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use steden_web::api::{
    ApiActor, ApiError, ApiJson, ApiPath, ApiResult, NestedListProblems, Page, PageParams, Paged,
    ReadProblems, WriteProblems,
};
use steden_web::AppState;
use utoipa::ToSchema;

use super::items::StatusName;
use super::{forbidden, page_of, readable_item, readable_plan, rfc3339};
use crate::access;
use crate::indicators::{self, Health, IndicatorSeries, Measurement};
use crate::model::ItemStatus;
use crate::store::{self, updates::ProgressReport, updates::Update};

/// A progress update as posted.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateInput {
    /// New status: `niet_gestart`, `lopend`, `vertraagd`, `afgerond` or `stopgezet`.
    #[schema(value_type = Option<StatusName>, inline)]
    pub status: Option<String>,
    /// New progress 0–100 (leaves only).
    #[schema(minimum = 0, maximum = 100)]
    #[serde(default, deserialize_with = "steden_web::api::schema::whole_number")]
    pub progress: Option<i64>,
    /// Required: the explanation kept in the item's history.
    pub comment: String,
    /// Name of the reporting tool or person, when not the token's owner.
    pub author_name: Option<String>,
}

/// An item's history of progress updates and measurements, newest first.
#[utoipa::path(
    get,
    path = "/plan/items/{id}/updates",
    operation_id = "list_plan_item_updates",
    tag = "plan",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van het item"), PageParams),
    responses(
        (status = 200, description = "Een pagina updates", body = Page<Update>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        NestedListProblems,
    )
)]
pub async fn list_updates(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    page: PageParams,
) -> ApiResult<Paged<Update>> {
    let (_, item) = readable_item(&state, &client.actor, &id).await?;
    let all = store::updates::for_item(state.db().pool(), &item.id, 10_000).await?;
    Ok(page_of(&page, all, |update| update))
}

/// Reports progress on an item: a new status and/or progress with a comment (editors, and the
/// item's owner with the role lid). The parents' progress is rolled up.
#[utoipa::path(
    post,
    path = "/plan/items/{id}/updates",
    operation_id = "post_plan_item_update",
    tag = "plan",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van het item")),
    request_body = UpdateInput,
    responses(
        (status = 201, description = "De update, opgenomen in de geschiedenis van het item", body = Update),
        WriteProblems,
    )
)]
pub async fn post_update(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<UpdateInput>,
) -> ApiResult<(StatusCode, Json<Update>)> {
    let (plan, item) = readable_item(&state, &client.actor, &id).await?;
    if !access::can_report(&client.actor, &plan, &item) {
        return Err(forbidden("de stand van zaken van dit item niet bijwerken"));
    }
    let status = match input.status.as_deref() {
        None => None,
        Some(text) => Some(ItemStatus::parse(text).ok_or_else(|| {
            ApiError::invalid(
                "status",
                "Kies niet_gestart, lopend, vertraagd, afgerond of stopgezet.",
            )
        })?),
    };
    let mut tx = state.db().begin().await?;
    let update = store::updates::report(
        &mut tx,
        &item.id,
        &ProgressReport {
            status,
            progress: input.progress,
            comment: input.comment,
            round_id: None,
            author_name: input.author_name.unwrap_or_default(),
        },
        &client.actor.audit_actor(),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(update)))
}

/// An indicator with its targets, measurements and health today.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorDto {
    #[serde(flatten)]
    pub series: IndicatorSeries,
    /// `op_koers`, `aandacht` or `niet_op_koers`; `null` without measurement or target.
    pub health: Option<Health>,
}

/// The indicators of a plan with their series.
#[utoipa::path(
    get,
    path = "/plan/plans/{id}/indicators",
    operation_id = "list_plan_indicators",
    tag = "plan",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van het plan")),
    responses(
        (status = 200, description = "De indicatoren", body = Vec<IndicatorDto>),
        ReadProblems,
    )
)]
pub async fn list_indicators(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<IndicatorDto>>> {
    let plan = readable_plan(&state, &client.actor, &id).await?;
    let today = store::today();
    let series = store::indicators::list_for_plan(state.db().pool(), &plan.id).await?;
    Ok(Json(
        series
            .into_iter()
            .map(|series| IndicatorDto {
                health: indicators::health::health(&series, &today),
                series,
            })
            .collect(),
    ))
}

/// A measurement as posted.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasurementInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub value: f64,
    #[serde(default)]
    pub comment: String,
    /// Name of the reporting tool or person, when not the token's owner.
    pub author_name: Option<String>,
}

/// Adds a measurement to an indicator (editors, and the owner of the indicator's item). A
/// second value for the same date replaces the first.
#[utoipa::path(
    post,
    path = "/plan/indicators/{id}/measurements",
    operation_id = "post_indicator_measurement",
    tag = "plan",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van de indicator")),
    request_body = MeasurementInput,
    responses(
        (status = 201, description = "De meting", body = Measurement),
        WriteProblems,
    )
)]
pub async fn post_measurement(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<MeasurementInput>,
) -> ApiResult<(StatusCode, Json<Measurement>)> {
    let item_id = store::indicators::find(state.db().pool(), &id)
        .await?
        .map(|indicator| indicator.item_id);
    let not_found = || ApiError::NotFound("Geen indicator met deze id.".into());
    let item_id = item_id.ok_or_else(not_found)?;
    let (plan, item) = readable_item(&state, &client.actor, &item_id)
        .await
        .map_err(|_| not_found())?;
    if !access::can_report(&client.actor, &plan, &item) {
        return Err(forbidden("geen metingen toevoegen aan deze indicator"));
    }
    store::indicator_sources::refuse_manual_entry(state.db().pool(), &id).await?;
    if !input.value.is_finite() {
        return Err(ApiError::invalid("value", "Geef een getal."));
    }
    let mut tx = state.db().begin().await?;
    let measurement = store::measurements::add_measurement(
        &mut tx,
        &id,
        &indicators::fields::NewMeasurement {
            measured_on: input.date,
            value: input.value.to_string(),
            comment: input.comment,
            author_name: input.author_name.unwrap_or_default(),
        },
        &client.actor.audit_actor(),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(measurement)))
}

/// A release as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReleaseSummary {
    pub id: String,
    pub name: String,
    /// The date the plan was frozen at (`YYYY-MM-DD`).
    pub as_of: String,
    /// Shown on the public pages.
    pub published: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// The releases of a plan, newest first.
#[utoipa::path(
    get,
    path = "/plan/plans/{id}/releases",
    operation_id = "list_plan_releases",
    tag = "plan",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van het plan"), PageParams),
    responses(
        (status = 200, description = "Een pagina releases", body = Page<ReleaseSummary>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        NestedListProblems,
    )
)]
pub async fn list_releases(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    page: PageParams,
) -> ApiResult<Paged<ReleaseSummary>> {
    let plan = readable_plan(&state, &client.actor, &id).await?;
    let pool = state.db().pool();
    let total = store::releases::count_for_plan(pool, &plan.id).await?;
    let items = store::releases::page_for_plan(pool, &plan.id, page.limit(), page.offset())
        .await?
        .into_iter()
        .map(|r| ReleaseSummary {
            id: r.id,
            name: r.name,
            as_of: r.as_of,
            published: r.published,
            created_at: rfc3339(r.created_at),
        })
        .collect();
    Ok(page.page(items, total))
}
