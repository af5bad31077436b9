//! GET /jobs/{id}: how far a job is.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use steden_core::policy::Action;
use steden_db::jobs::{self, Job};
use utoipa::ToSchema;

use super::rfc3339;
use crate::api::{ApiActor, ApiError, ApiPath, ApiResult, ReadProblems};
use crate::state::AppState;

/// The state of a job.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobStatusView {
    pub id: String,
    /// What the job does, e.g. `mail.send`.
    pub kind: String,
    /// `queued`, `running`, `done`, `dead` or `cancelled`.
    pub status: String,
    pub attempts: i64,
    pub max_attempts: i64,
    /// Whether the job will not change any more by itself.
    pub finished: bool,
    /// Whether a failed attempt waits for its retry.
    pub retrying: bool,
    pub progress: JobProgress,
    pub organisation_id: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
    /// RFC 3339, UTC; `null` while the job is not finished.
    pub finished_at: Option<String>,
}

/// Progress as reported by the job.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobProgress {
    pub done: Option<i64>,
    pub total: Option<i64>,
    /// 0 to 100, when the job reported a total.
    pub percent: Option<i64>,
    pub message: Option<String>,
}

impl From<Job> for JobStatusView {
    fn from(job: Job) -> JobStatusView {
        JobStatusView {
            finished: job.status.is_finished(),
            retrying: job.is_retrying(),
            progress: JobProgress {
                done: job.progress_done,
                total: job.progress_total,
                percent: job.percent(),
                message: job.progress_message.clone(),
            },
            status: job.status.as_str().to_string(),
            id: job.id,
            kind: job.kind,
            attempts: job.attempts,
            max_attempts: job.max_attempts,
            organisation_id: job.organisation_id,
            created_at: rfc3339(job.created_at),
            updated_at: rfc3339(job.updated_at),
            finished_at: job.finished_at.map(rfc3339),
        }
    }
}

/// Status and progress of a job started in the token's organisation (or by its user).
/// Other jobs answer 404, so that ids of other organisations' work cannot be probed.
#[utoipa::path(
    get,
    path = "/jobs/{id}",
    operation_id = "get_job",
    tag = "core",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van de taak")),
    responses(
        (status = 200, description = "De taak", body = JobStatusView),
        ReadProblems,
    )
)]
pub async fn get(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<JobStatusView>> {
    let not_found = || ApiError::NotFound("Taak niet gevonden.".to_string());
    let job = jobs::get(state.db(), &id).await?.ok_or_else(not_found)?;
    let visible = match &job.organisation_id {
        Some(org) => client.check(Action::Read, org).is_ok(),
        // A job outside any organisation belongs to the user who started it.
        None => job.created_by.is_some() && job.created_by.as_deref() == client.actor.user_id(),
    };
    if !visible {
        return Err(not_found());
    }
    Ok(Json(JobStatusView::from(job)))
}
