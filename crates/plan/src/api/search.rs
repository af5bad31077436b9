//! GET /plan/search: the search across plans ([`crate::search`]) for API clients.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use steden_web::api::{
    ApiActor, ApiError, ApiQuery, ApiResult, FieldProblem, FilteredListProblems, Page, PageParams,
    Paged,
};
use steden_web::AppState;
use utoipa::{IntoParams, ToSchema};

use crate::search::{self, Hit, Query, QueryError};

/// What to search for (with `page` and `per_page`).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// A code or words, 1 to 200 characters; every word must occur in the code, the title or
    /// the description (case-insensitive). At least 2 characters besides spaces at either end,
    /// else 422.
    #[param(required = true, min_length = 1, max_length = 200)]
    pub q: Option<String>,
}

/// An ancestor of a hit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanSearchPathDto {
    pub item_id: String,
    pub code: String,
    pub title: String,
}

/// An item found.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanSearchHitDto {
    pub item_id: String,
    pub plan_id: String,
    pub plan_title: String,
    pub code: String,
    pub title: String,
    pub description: String,
    /// The name of the item's level in its plan.
    pub level: String,
    /// The ancestors of the item, top first (empty for an item at the top).
    pub path: Vec<PlanSearchPathDto>,
    /// The item's page on the website.
    pub url: String,
}

impl PlanSearchHitDto {
    fn new(state: &AppState, hit: Hit) -> PlanSearchHitDto {
        PlanSearchHitDto {
            url: format!(
                "{}{}",
                state.config().base_url.trim_end_matches('/'),
                hit.url
            ),
            item_id: hit.item_id,
            plan_id: hit.plan_id,
            plan_title: hit.plan_title,
            code: hit.code,
            title: hit.title,
            description: hit.description,
            level: hit.level,
            path: hit
                .path
                .into_iter()
                .map(|step| PlanSearchPathDto {
                    item_id: step.item_id,
                    code: step.code,
                    title: step.title,
                })
                .collect(),
        }
    }
}

/// Searches the items (codes, titles, descriptions) of every plan the token may read: an
/// exact code first, then codes that start with the search, then titles that hold it.
#[utoipa::path(
    get,
    path = "/plan/search",
    operation_id = "search_plans",
    tag = "plan",
    security(("bearer" = [])),
    params(SearchParams, PageParams),
    responses(
        (status = 200, description = "Een pagina resultaten", body = Page<PlanSearchHitDto>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        FilteredListProblems,
        (status = 400, description = "Ongeldige queryparameters: `q` ontbreekt of is langer dan 200 tekens, of de paginering valt buiten het bereik",
         body = steden_web::api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`q` heeft minder dan 2 tekens (spaties vooraan en achteraan niet meegeteld)",
         body = steden_web::api::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn search(
    client: ApiActor,
    State(state): State<AppState>,
    page: PageParams,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> ApiResult<Paged<PlanSearchHitDto>> {
    let query = match params.q.as_deref().map(Query::parse) {
        Some(Ok(query)) => query,
        None => return Err(bad_q("Geef met `q` op wat u zoekt.".to_string())),
        Some(Err(QueryError::TooLong)) => return Err(bad_q(QueryError::TooLong.message())),
        Some(Err(problem @ (QueryError::Empty | QueryError::TooShort))) => {
            return Err(ApiError::Invalid(vec![FieldProblem {
                field: "q".into(),
                message: problem.message(),
            }]))
        }
    };
    let results = search::run(
        state.db(),
        &client.actor,
        &query,
        page.limit(),
        page.offset(),
    )
    .await?;
    let hits = results
        .hits
        .into_iter()
        .map(|hit| PlanSearchHitDto::new(&state, hit))
        .collect();
    Ok(page.page(hits, results.total))
}

fn bad_q(message: String) -> ApiError {
    ApiError::BadRequest(
        "De zoekopdracht is ongeldig.".to_string(),
        vec![FieldProblem {
            field: "q".into(),
            message,
        }],
    )
}
