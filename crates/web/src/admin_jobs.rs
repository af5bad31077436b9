//! The job queue as people see it:
//! - /beheer/taken: every job, filtered by status, in pages (platform administrators);
//! - /beheer/taken/{id}: one job with its progress, attempts and last error, and the
//!   "opnieuw proberen" button for a dead or cancelled job;
//! - /taken/{id}/voortgang: the progress of one job for the user who started it (or a platform
//!   administrator). Modules embed `templates/jobs/progress.html` in their own page (with a
//!   [`JobView`] from [`job_view`]); with htmx it refreshes itself every 2 seconds while the job
//!   is queued or running, without JavaScript the page shows the state at load and a
//!   "vernieuwen" link.
//!
//! The queue itself belongs to `steden_db::jobs`; this module reads it and requeues through it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use sqlx::Row;
use steden_core::audit::{self, Changes, NewEntry};
use steden_core::policy;
use steden_db::jobs::{self, Job, JobFilter, JobStatus};
use steden_db::Db;

use crate::error::AppError;
use crate::flash::{self, Flash};
use crate::nav::{NavEntry, NavGroup, NavVisibility};
use crate::page::{render, PageContext};
use crate::session::SessionUser;
use crate::state::AppState;

/// Jobs per page of the list.
const PAGE_SIZE: i64 = 25;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/beheer/taken", get(list_page))
        .route("/beheer/taken/{id}", get(detail_page))
        .route("/beheer/taken/{id}/opnieuw", post(requeue))
        .route("/taken/{id}/voortgang", get(progress))
}

/// The navigation entry of the list (platform administrators).
pub fn nav() -> Vec<NavEntry> {
    vec![NavEntry {
        label_key: "jobs-nav",
        group: NavGroup::Admin,
        href: "/beheer/taken",
        visibility: NavVisibility::PlatformAdmin,
        order: 920,
    }]
}

/// Jobs are platform-wide: only platform administrators manage them.
fn require_admin(user: &SessionUser) -> Result<(), AppError> {
    policy::require_platform_admin(&user.actor())?;
    Ok(())
}

/// A job as the pages show it.
#[derive(Debug, Clone)]
pub struct JobView {
    pub id: String,
    pub kind: String,
    pub status: JobStatus,
    /// Whether the page should keep refreshing (queued or running).
    pub active: bool,
    /// A failed attempt waits for its retry.
    pub retrying: bool,
    pub attempts: i64,
    pub max_attempts: i64,
    /// 0–100 when the handler reported a total.
    pub percent: Option<i64>,
    pub done: Option<i64>,
    pub total: Option<i64>,
    pub message: Option<String>,
    pub last_error: Option<String>,
    pub run_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub finished_at: Option<i64>,
    pub created_by: Option<String>,
    pub payload: String,
}

impl JobView {
    pub fn new(job: &Job) -> JobView {
        JobView {
            id: job.id.clone(),
            kind: job.kind.clone(),
            status: job.status,
            active: !job.status.is_finished(),
            retrying: job.is_retrying(),
            attempts: job.attempts,
            max_attempts: job.max_attempts,
            percent: job.percent(),
            done: job.progress_done,
            total: job.progress_total,
            message: job.progress_message.clone(),
            last_error: job.last_error.clone(),
            run_at: job.run_at,
            created_at: job.created_at,
            updated_at: job.updated_at,
            finished_at: job.finished_at,
            created_by: job.created_by.clone(),
            payload: serde_json::to_string_pretty(&job.payload).unwrap_or_default(),
        }
    }

    /// The Fluent key of the status word.
    pub fn status_key(&self) -> &'static str {
        if self.retrying {
            "jobs-status-retrying"
        } else {
            status_key(self.status)
        }
    }

    /// The badge style and icon: the word is always shown, colour and icon only add to it.
    pub fn badge(&self) -> (&'static str, &'static str) {
        match self.status {
            JobStatus::Queued if self.retrying => ("warning", "warning"),
            JobStatus::Queued | JobStatus::Running => ("info", "info"),
            JobStatus::Done => ("success", "success"),
            JobStatus::Dead => ("error", "error"),
            JobStatus::Cancelled => ("neutral", "info"),
        }
    }

    pub fn badge_class(&self) -> &'static str {
        self.badge().0
    }

    pub fn badge_icon(&self) -> &'static str {
        self.badge().1
    }

    pub fn can_requeue(&self) -> bool {
        matches!(self.status, JobStatus::Dead | JobStatus::Cancelled)
    }
}

/// The Fluent key of the label of a job kind: `job-kind-` and the kind with `.` and `_` as
/// `-` (`plan.import` → `job-kind-plan-import`). Every module registers the label of each job
/// it registers in its own translation files, in both languages.
pub fn job_label_key(kind: &str) -> String {
    format!("job-kind-{}", kind.replace(['.', '_'], "-"))
}

impl PageContext {
    /// A job kind in words ("Import in een plan"), or its raw name when no module gave it one.
    pub fn job_label(&self, kind: &str) -> String {
        let key = job_label_key(kind);
        let catalog = self.state().catalog();
        if catalog.has(self.lang, &key) || catalog.has(crate::i18n::Lang::Nl, &key) {
            self.t(&key)
        } else {
            kind.to_string()
        }
    }
}

/// The Fluent key of a status word.
fn status_key(status: JobStatus) -> &'static str {
    match status {
        JobStatus::Queued => "jobs-status-queued",
        JobStatus::Running => "jobs-status-running",
        JobStatus::Done => "jobs-status-done",
        JobStatus::Dead => "jobs-status-dead",
        JobStatus::Cancelled => "jobs-status-cancelled",
    }
}

/// The view of one job for a module's page, if it exists.
pub async fn job_view(db: &Db, id: &str) -> Result<Option<JobView>, AppError> {
    Ok(jobs::get(db, id).await?.as_ref().map(JobView::new))
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    pagina: String,
}

/// A status to filter on, with its label.
#[derive(Debug, Clone)]
struct StatusOption {
    value: &'static str,
    key: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "jobs/list.html")]
struct ListPage {
    ctx: PageContext,
    jobs: Vec<JobView>,
    statuses: Vec<StatusOption>,
    /// The status filter in the query string was not a known status.
    status_error: bool,
    status: String,
    total: i64,
    page: i64,
    pages: i64,
}

impl ListPage {
    /// The links to the other pages of the list.
    fn pagination(&self) -> crate::pagination::Pagination {
        let count = |n: i64| u64::try_from(n).unwrap_or(1);
        crate::pagination::Pagination::new(&self.ctx, count(self.page), count(self.pages), |n| {
            self.page_href(&i64::try_from(n).unwrap_or(1))
        })
    }

    fn page_href(&self, page: &i64) -> String {
        if self.status.is_empty() {
            format!("/beheer/taken?pagina={page}")
        } else {
            format!("/beheer/taken?status={}&pagina={page}", self.status)
        }
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    require_admin(ctx.require_user()?)?;
    let wanted = query.status.trim();
    let status = JobStatus::parse(wanted);
    let status_error = !wanted.is_empty() && status.is_none();
    let filter = JobFilter {
        status,
        ..JobFilter::default()
    };
    let db = state.db();
    let total = jobs::count(db, &filter).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = query
        .pagina
        .trim()
        .parse::<i64>()
        .unwrap_or(1)
        .clamp(1, pages);
    let rows = jobs::list(db, &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let statuses = JobStatus::ALL
        .into_iter()
        .map(|s| StatusOption {
            value: s.as_str(),
            key: status_key(s),
            selected: Some(s) == status,
        })
        .collect();
    let title = ctx.t("jobs-title");
    let admin = ctx.t("admin-title");
    let ctx = ctx.crumb(admin, "/beheer").titled(title);
    render(&ListPage {
        ctx,
        jobs: rows.iter().map(JobView::new).collect(),
        statuses,
        status_error,
        status: status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        total,
        page,
        pages,
    })
}

/// A job of `status` with nothing else.
#[cfg(test)]
fn placeholder(status: JobStatus) -> Job {
    Job {
        id: String::new(),
        kind: String::new(),
        payload: serde_json::Value::Null,
        status,
        attempts: 0,
        max_attempts: 0,
        run_at: 0,
        locked_by: None,
        locked_until: None,
        progress_done: None,
        progress_total: None,
        progress_message: None,
        last_error: None,
        created_by: None,
        organisation_id: None,
        created_at: 0,
        updated_at: 0,
        finished_at: None,
    }
}

#[derive(Template)]
#[template(path = "jobs/detail.html")]
struct DetailPage {
    ctx: PageContext,
    job: JobView,
    /// The name of the user who started it, if any.
    created_by_name: Option<String>,
}

async fn detail_page(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    require_admin(ctx.require_user()?)?;
    let db = state.db();
    let job = jobs::get(db, &id).await?.ok_or(AppError::NotFound)?;
    let created_by_name = match &job.created_by {
        Some(user_id) => user_name(db, user_id).await?,
        None => None,
    };
    let title = ctx.t_with("jobs-detail-title", &[("kind", &ctx.job_label(&job.kind))]);
    let (admin, list) = (ctx.t("admin-title"), ctx.t("jobs-title"));
    let ctx = ctx
        .crumb(admin, "/beheer")
        .crumb(list, "/beheer/taken")
        .titled(title);
    render(&DetailPage {
        ctx,
        job: JobView::new(&job),
        created_by_name,
    })
}

async fn user_name(db: &Db, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT name FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|row| row.get("name")))
}

/// "Opnieuw proberen": a dead or cancelled job back into the queue, with its audit entry in
/// the same transaction.
async fn requeue(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    require_admin(user)?;
    let db = state.db();
    let job = jobs::get(db, &id).await?.ok_or(AppError::NotFound)?;
    let back = format!("/beheer/taken/{id}");
    let mut tx = db.begin().await?;
    if !jobs::requeue(&mut tx, &id).await? {
        tx.rollback().await?;
        return Ok(flash::redirect_with(
            Flash::error(ctx.t("jobs-requeue-refused")),
            &back,
        ));
    }
    let summary = ctx.t_with("jobs-requeue-summary", &[("kind", &job.kind)]);
    audit::record(
        &mut tx,
        NewEntry {
            actor: &user.actor().audit_actor(),
            organisation_id: job.organisation_id.as_deref(),
            entity_type: "job",
            entity_id: &id,
            action: "requeue",
            summary: &summary,
            changes: Changes::new()
                .field("status", job.status.as_str(), JobStatus::Queued.as_str())
                .field("attempts", job.attempts, 0),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("jobs-requeued")),
        &back,
    ))
}

#[derive(Template)]
#[template(path = "jobs/progress.html")]
struct ProgressFragment {
    ctx: PageContext,
    job: JobView,
}

#[derive(Template)]
#[template(path = "jobs/progress_page.html")]
struct ProgressPage {
    ctx: PageContext,
    job: JobView,
}

/// The progress of one job: the bare fragment for htmx, a whole page otherwise.
async fn progress(
    State(state): State<AppState>,
    ctx: PageContext,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let job = jobs::get(state.db(), &id)
        .await?
        .ok_or(AppError::NotFound)?;
    // The user who started the job follows it; platform administrators follow every job.
    let own = job.created_by.as_deref() == Some(user.user_id.as_str());
    if !own {
        require_admin(user)?;
    }
    let job = JobView::new(&job);
    if headers.contains_key("hx-request") {
        return render(&ProgressFragment { ctx, job });
    }
    let title = ctx.t("jobs-progress-title");
    render(&ProgressPage {
        ctx: ctx.titled(title),
        job,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_word_and_a_badge() {
        for status in JobStatus::ALL {
            let view = JobView::new(&placeholder(status));
            assert!(view.status_key().starts_with("jobs-status-"));
            assert_eq!(view.active, !status.is_finished());
        }
        let mut waiting = placeholder(JobStatus::Queued);
        waiting.attempts = 1;
        waiting.last_error = Some("smtp weg".into());
        let view = JobView::new(&waiting);
        assert_eq!(view.status_key(), "jobs-status-retrying");
        assert_eq!(view.badge(), ("warning", "warning"));
        assert!(JobView::new(&placeholder(JobStatus::Dead)).can_requeue());
        assert!(!JobView::new(&placeholder(JobStatus::Running)).can_requeue());
    }
}
