//! The LinkedIn planner in the API (`/api/v1/nieuwsbrief/linkedin/posts`): the posts of a range
//! of weeks with their measurements, for an editor's token, so that the figures can be taken
//! into a report or a spreadsheet.

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use steden_web::api::{ApiActor, ApiError, ApiQuery, ApiResult, FilteredListProblems};
use steden_web::AppState;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access;
use crate::linkedin::IsoWeek;
use crate::store::linkedin as store;

/// The longest range one call returns: a year and a week.
const MAX_WEEKS: i64 = 53;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_posts))
}

/// Which weeks.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeeksRange {
    /// The first ISO week (`2026-W40`); by default eleven weeks before `until`.
    #[param(pattern = "^[0-9]{4}-W[0-9]{2}$")]
    pub from: Option<String>,
    /// The last ISO week; by default this week.
    #[param(pattern = "^[0-9]{4}-W[0-9]{2}$")]
    pub until: Option<String>,
}

/// A post of the planner.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkedInPostDto {
    pub id: String,
    /// ISO week, `2026-W49`.
    pub week: String,
    /// `concept`, `gepland` or `gepost`.
    pub status: String,
    pub text: String,
    /// 'YYYY-MM-DD'
    pub planned_on: Option<String>,
    /// 'YYYY-MM-DD'
    pub posted_on: Option<String>,
    /// The post on linkedin.com, once posted.
    pub url: Option<String>,
    /// The platform item it was drafted from: its module and id.
    pub source_module: Option<String>,
    pub source_id: Option<String>,
    /// The figures as LinkedIn showed them, oldest first.
    pub measurements: Vec<MeasurementDto>,
}

/// A post's figures on a day (totals since posting).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasurementDto {
    /// 'YYYY-MM-DD'
    pub measured_on: String,
    pub impressions: i64,
    pub reactions: i64,
    pub reposts: i64,
    pub clicks: i64,
}

/// The posts of the weeks `from` to `until` (at most 53), by week, with their measurements.
/// For editors of the Kenniscentrum.
#[utoipa::path(
    get,
    path = "/nieuwsbrief/linkedin/posts",
    operation_id = "nieuwsbrief_linkedin_posts",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    params(WeeksRange),
    responses(
        (status = 200, description = "De posts met hun cijfers", body = Vec<LinkedInPostDto>),
        FilteredListProblems,
    )
)]
pub async fn list_posts(
    client: ApiActor,
    State(state): State<AppState>,
    ApiQuery(range): ApiQuery<WeeksRange>,
) -> ApiResult<Json<Vec<LinkedInPostDto>>> {
    let db = state.db();
    let kenniscentrum_id = access::kenniscentrum_id(db).await?;
    if !access::is_editor(&client.actor, &kenniscentrum_id) {
        return Err(ApiError::Forbidden(
            "De LinkedIn-planner is er voor de redactie van het Kenniscentrum.".into(),
        ));
    }
    let (first, last) = weeks(&range)?;
    let posts = store::in_weeks(db.pool(), first, last).await?;
    let mut measurements: HashMap<String, Vec<MeasurementDto>> = HashMap::new();
    for (post_id, m) in store::measurements_in_weeks(db.pool(), first, last).await? {
        measurements
            .entry(post_id)
            .or_default()
            .push(MeasurementDto {
                measured_on: m.measured_on.to_string(),
                impressions: m.figures.impressions,
                reactions: m.figures.reactions,
                reposts: m.figures.reposts,
                clicks: m.figures.clicks,
            });
    }
    Ok(Json(
        posts
            .into_iter()
            .map(|post| LinkedInPostDto {
                week: post.week.key(),
                status: post.status.as_str().into(),
                planned_on: post.planned_on.map(|d| d.to_string()),
                posted_on: post.posted_on.map(|d| d.to_string()),
                source_module: post.source.as_ref().map(|s| s.module.clone()),
                source_id: post.source.as_ref().map(|s| s.id.clone()),
                measurements: measurements.remove(&post.id).unwrap_or_default(),
                id: post.id,
                text: post.text,
                url: post.url,
            })
            .collect(),
    ))
}

/// The range asked for, checked: both weeks real, `from` not after `until`, at most
/// [`MAX_WEEKS`]. Each failure is a 422 on its parameter.
fn weeks(range: &WeeksRange) -> Result<(IsoWeek, IsoWeek), ApiError> {
    let week = |value: &Option<String>, field: &str| -> Result<Option<IsoWeek>, ApiError> {
        value
            .as_deref()
            .map(|text| {
                IsoWeek::parse(text).map_err(|_| {
                    ApiError::invalid(field, "Geen bestaande ISO-week, bijvoorbeeld 2026-W49.")
                })
            })
            .transpose()
    };
    let last = week(&range.until, "until")?.unwrap_or_else(IsoWeek::current);
    let first = week(&range.from, "from")?.unwrap_or(last.plus(-11));
    if first > last {
        return Err(ApiError::invalid("from", "`from` ligt na `until`."));
    }
    if last.monday() - first.monday() >= chrono::Duration::weeks(MAX_WEEKS) {
        return Err(ApiError::invalid(
            "until",
            "Vraag hoogstens 53 weken tegelijk op.",
        ));
    }
    Ok((first, last))
}
