//! The plan module's JSON API under `/api/v1/plan`, for other tools and the financial software:
//! read plans and items; create and update items; post progress updates and indicator
//! measurements; list releases. Every route authenticates an API token whose scope includes
//! the module `plan`, and asks [`crate::access`] (hence the core policy) before it reads or
//! writes. A plan outside the token's organisation is "not found".

mod items;
mod plans;
mod reports;
mod search;

use steden_core::policy::Actor;
use steden_web::api::{ApiError, ApiResult};
use steden_web::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access;
use crate::model::{Item, Plan};
use crate::store;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(plans::list))
        .routes(routes!(plans::get))
        .routes(routes!(items::list, items::create))
        .routes(routes!(items::get, items::update))
        .routes(routes!(reports::list_updates, reports::post_update))
        .routes(routes!(reports::list_indicators))
        .routes(routes!(reports::post_measurement))
        .routes(routes!(reports::list_releases))
        .routes(routes!(search::search))
}

/// One page of a list held in memory, mapped to its API form.
fn page_of<T, U: serde::Serialize>(
    page: &steden_web::api::PageParams,
    all: Vec<T>,
    map: impl FnMut(T) -> U,
) -> steden_web::api::Paged<U> {
    let total = i64::try_from(all.len()).unwrap_or(i64::MAX);
    let items = all
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(page.limit()).unwrap_or(0))
        .map(map)
        .collect();
    page.page(items, total)
}

/// Milliseconds (UTC) as RFC 3339.
fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The plan, if the actor may read it; otherwise "not found" (its existence does not leak).
async fn readable_plan(state: &AppState, actor: &Actor, plan_id: &str) -> ApiResult<Plan> {
    store::plans::find(state.db().pool(), plan_id)
        .await?
        .filter(|plan| access::can_read(actor, plan))
        .ok_or_else(|| ApiError::NotFound("Geen plan met deze id.".into()))
}

/// The item and its plan, if the actor may read the plan.
async fn readable_item(state: &AppState, actor: &Actor, item_id: &str) -> ApiResult<(Plan, Item)> {
    let item = store::items::find(state.db().pool(), item_id)
        .await?
        .ok_or_else(|| ApiError::NotFound("Geen item met deze id.".into()))?;
    let plan = readable_plan(state, actor, &item.plan_id)
        .await
        .map_err(|_| ApiError::NotFound("Geen item met deze id.".into()))?;
    Ok((plan, item))
}

fn forbidden(what: &str) -> ApiError {
    ApiError::Forbidden(format!(
        "Dit token mag {what} niet: daarvoor is de rol redacteur nodig, of eigenaar van het item met de rol lid."
    ))
}
