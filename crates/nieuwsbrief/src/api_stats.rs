//! A campaign's reading statistics in the API (`GET /api/v1/nieuwsbrief/campaigns/{id}/statistics`,
//! design §3.5): the same aggregate counts as the editors' page — totals, per section, per link,
//! per hour — with what was probably automatic apart. Never anything per person. For a token
//! with the scope `nieuwsbrief` that acts for the Kenniscentrum with the role redacteur or
//! higher, the same check as the editors' pages.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use steden_web::api::problem::Problem;
use steden_web::api::{ApiActor, ApiError, ApiPath, ApiResult, AuthProblems};
use steden_web::AppState;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access;
use crate::store::campaigns;
use crate::store::stats::{self, StatHourCount, StatLinkCount, StatSectionCount, StatTotals};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(campaign_statistics))
}

/// A campaign's reading statistics. Opens and clicks are counts, not unique readers;
/// `*_machine` are those that were probably automatic (mail privacy proxies, link scanners,
/// HEAD requests, requests within 60 s (opens) or 30 s (clicks) of sending).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignStatisticsDto {
    pub campaign_id: String,
    pub subject: String,
    /// concept | gepland | bezig | gepauzeerd | geannuleerd | verzonden
    pub status: String,
    /// When sending started (ms UTC).
    pub started_at: Option<i64>,
    /// Messages accepted by the mail server.
    pub sent: i64,
    /// Unsubscribes count for the last campaign the person received; bounces and complaints
    /// for the campaign their report names.
    pub totals: StatTotals,
    /// Clicks per section, in the newsletter's order (an empty title: the template's links).
    pub sections: Vec<StatSectionCount>,
    pub links: Vec<StatLinkCount>,
    /// Opens and clicks per hour (the start of the hour, ms UTC), oldest first.
    pub hours: Vec<StatHourCount>,
}

/// The reading statistics of one campaign.
#[utoipa::path(
    get,
    path = "/nieuwsbrief/campaigns/{id}/statistics",
    operation_id = "nieuwsbrief_campaign_statistics",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "De id van de nieuwsbrief")),
    responses(
        (status = 200, description = "De statistieken van de nieuwsbrief", body = CampaignStatisticsDto),
        AuthProblems,
        (status = 404, description = "Geen nieuwsbrief met deze id", body = Problem,
         content_type = "application/problem+json"),
    )
)]
pub async fn campaign_statistics(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<CampaignStatisticsDto>> {
    let db = state.db();
    let kenniscentrum_id = access::kenniscentrum_id(db).await?;
    if !access::is_editor(&client.actor, &kenniscentrum_id) {
        return Err(ApiError::Forbidden(
            "De statistieken zijn er voor de redactie van het Kenniscentrum.".into(),
        ));
    }
    let Some(campaign) = campaigns::find(db.pool(), &id).await? else {
        return Err(ApiError::NotFound(
            "Er bestaat geen nieuwsbrief met deze id.".into(),
        ));
    };
    Ok(Json(CampaignStatisticsDto {
        totals: stats::totals(db.pool(), &id).await?,
        sections: stats::section_counts(db.pool(), &id).await?,
        links: stats::link_counts(db.pool(), &id).await?,
        hours: stats::hour_counts(db.pool(), &id).await?,
        campaign_id: campaign.id,
        subject: campaign.subject,
        status: campaign.status.as_str().into(),
        started_at: campaign.started_at,
        sent: campaign.sent,
    }))
}
