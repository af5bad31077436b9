//! GET /plans and /plans/{id}.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use steden_web::api::{
    ApiActor, ApiPath, ApiResult, ListProblems, Page, PageParams, Paged, ReadProblems,
};
use steden_web::AppState;
use utoipa::ToSchema;

use super::{page_of, readable_plan, rfc3339};
use crate::access;
use crate::model::Plan;
use crate::store;

/// A plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanDto {
    pub id: String,
    pub organisation_id: String,
    /// `jaarplan`, `meerjarenplan` or `bestuursakkoord`.
    pub kind: String,
    pub title: String,
    pub description: String,
    /// First day of the period (`YYYY-MM-DD`).
    pub period_start: String,
    /// Last day of the period (`YYYY-MM-DD`).
    pub period_end: String,
    /// `ontwerp`, `vastgesteld` or `gearchiveerd`.
    pub status: String,
    /// The names of the levels of the tree, top first.
    pub levels: Vec<String>,
    /// Content made up for the demo.
    pub is_demo: bool,
    pub published: bool,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

impl From<Plan> for PlanDto {
    fn from(plan: Plan) -> PlanDto {
        PlanDto {
            id: plan.id,
            organisation_id: plan.organisation_id,
            kind: plan.kind.as_str().to_string(),
            title: plan.title,
            description: plan.description,
            period_start: plan.period_start,
            period_end: plan.period_end,
            status: plan.status.as_str().to_string(),
            levels: plan.levels,
            is_demo: plan.is_demo,
            published: plan.published,
            updated_at: rfc3339(plan.updated_at),
        }
    }
}

/// The plans the token may read (those of its organisation), newest period first.
#[utoipa::path(
    get,
    path = "/plan/plans",
    operation_id = "list_plans",
    tag = "plan",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "Een pagina plannen", body = Page<PlanDto>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        ListProblems,
    )
)]
pub async fn list(
    client: ApiActor,
    State(state): State<AppState>,
    page: PageParams,
) -> ApiResult<Paged<PlanDto>> {
    let mut levels = store::plans::levels_by_plan(state.db().pool()).await?;
    let plans: Vec<Plan> = store::plans::list(state.db(), None)
        .await?
        .into_iter()
        .filter(|plan| access::can_read(&client.actor, plan))
        .map(|mut plan| {
            plan.levels = levels.remove(&plan.id).unwrap_or_default();
            plan
        })
        .collect();
    Ok(page_of(&page, plans, PlanDto::from))
}

/// One plan with its level names.
#[utoipa::path(
    get,
    path = "/plan/plans/{id}",
    operation_id = "get_plan",
    tag = "plan",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van het plan")),
    responses(
        (status = 200, description = "Het plan", body = PlanDto),
        ReadProblems,
    )
)]
pub async fn get(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<PlanDto>> {
    let plan = readable_plan(&state, &client.actor, &id).await?;
    Ok(Json(plan.into()))
}
