//! The sending of a campaign, for editors (`/nieuwsbrief/beheer/campagnes/{id}/verzending`,
//! design §3.2, §3.3): its status and progress — sent, failed, skipped and waiting of the
//! recipients —, refreshed by htmx every few seconds while it is being sent (without
//! JavaScript, the "vernieuwen" link reloads the page), and the buttons pauzeren, hervatten
//! and annuleren (the last one asks first). Every change is checked against the editor role,
//! carries the CSRF token, is audited, and a change that no longer fits the status (another
//! editor was first, or the job finished) is a Dutch message with 409, nothing written.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use steden_core::CoreError;
use steden_web::flash::{self, Flash};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::model::CampaignStatus;
use crate::paths;
use crate::store::bounces::{self, CampaignBounces};
use crate::store::campaigns::{self, Campaign};
use crate::store::deliveries::{self, Control, Counts};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/nieuwsbrief/beheer/campagnes/{id}/verzending", get(show))
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/verzending/voortgang",
            get(progress),
        )
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/verzending/pauzeren",
            post(pause),
        )
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/verzending/hervatten",
            post(resume),
        )
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/verzending/annuleren",
            get(cancel_page).post(cancel),
        )
}

/// The campaign's progress, as the page and its fragment show it.
pub(crate) struct Progress {
    pub campaign_id: String,
    pub status: CampaignStatus,
    pub counts: Counts,
    /// Whether the fragment polls (while the job may still change something).
    pub active: bool,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/sending.html")]
struct SendingPage {
    ctx: PageContext,
    progress: Progress,
    /// The campaign's hard and soft bounces and complaints so far: (label, count).
    bounces: Vec<(String, String)>,
    conflict: Option<String>,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/sending_progress.html")]
struct ProgressFragment {
    ctx: PageContext,
    progress: Progress,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/sending_cancel.html")]
struct CancelPage {
    ctx: PageContext,
    campaign: Campaign,
}

/// The campaign, for an editor; the anonymous are sent to log in, others are refused.
async fn editor_campaign(ctx: &PageContext, id: &str) -> Result<Campaign, AppError> {
    super::require_editor(ctx).await?;
    Ok(campaigns::get(ctx.state().db().pool(), id).await?)
}

async fn load_progress(ctx: &PageContext, campaign: &Campaign) -> Result<Progress, AppError> {
    let counts = deliveries::counts(ctx.state().db().pool(), &campaign.id).await?;
    Ok(Progress {
        campaign_id: campaign.id.clone(),
        status: campaign.status,
        counts,
        active: matches!(
            campaign.status,
            CampaignStatus::Gepland | CampaignStatus::Bezig
        ),
    })
}

/// The campaign's bounces and complaints as the page lists them.
fn bounce_lines(ctx: &PageContext, counts: &CampaignBounces) -> Vec<(String, String)> {
    [
        ("nb-send-bounces-hard", counts.hard),
        ("nb-send-bounces-soft", counts.soft),
        ("nb-send-bounces-complaints", counts.complaints),
    ]
    .into_iter()
    .map(|(key, n)| (ctx.t(key), ctx.int(&n)))
    .collect()
}

pub(crate) fn page_path(id: &str) -> String {
    paths::campaign_sending(id)
}

async fn sending_page(
    ctx: PageContext,
    campaign: Campaign,
    conflict: Option<String>,
) -> Result<Response, AppError> {
    let progress = load_progress(&ctx, &campaign).await?;
    let counts = bounces::campaign_counts(ctx.state().db().pool(), &campaign.id).await?;
    let bounces = bounce_lines(&ctx, &counts);
    let title = ctx.t_with("nb-send-title", &[("subject", campaign.subject.as_str())]);
    let page = SendingPage {
        progress,
        bounces,
        conflict,
        ctx: ctx.titled(title),
    };
    let mut response = render(&page)?;
    if page.conflict.is_some() {
        *response.status_mut() = StatusCode::CONFLICT;
    }
    Ok(response)
}

async fn show(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let campaign = editor_campaign(&ctx, &id).await?;
    sending_page(ctx, campaign, None).await
}

/// The progress alone (htmx swaps it in; opened directly it is a small page of its own).
async fn progress(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let campaign = editor_campaign(&ctx, &id).await?;
    let progress = load_progress(&ctx, &campaign).await?;
    render(&ProgressFragment { ctx, progress })
}

async fn apply(ctx: PageContext, id: String, control: Control) -> Result<Response, AppError> {
    let campaign = editor_campaign(&ctx, &id).await?;
    let audit = super::audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    match deliveries::control(&mut tx, &id, control, &audit).await {
        Ok(_) => {
            tx.commit().await?;
            let done = match control {
                Control::Pause => "nb-send-paused",
                Control::Resume => "nb-send-resumed",
                Control::Cancel => "nb-send-cancelled",
            };
            Ok(flash::redirect_with(
                Flash::success(ctx.t(done)),
                &page_path(&id),
            ))
        }
        Err(CoreError::Conflict(message)) => {
            drop(tx);
            let campaign = campaigns::get(ctx.state().db().pool(), &campaign.id).await?;
            sending_page(ctx, campaign, Some(message)).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn pause(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    apply(ctx, id, Control::Pause).await
}

async fn resume(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    apply(ctx, id, Control::Resume).await
}

async fn cancel(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    apply(ctx, id, Control::Cancel).await
}

/// "Weet je het zeker?" before cancelling: a plain page, so it works without JavaScript.
async fn cancel_page(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let campaign = editor_campaign(&ctx, &id).await?;
    let title = ctx.t("nb-send-cancel-title");
    let back = ctx.t("nb-send-back");
    render(&CancelPage {
        ctx: ctx.crumb(back, page_path(&campaign.id)).titled(title),
        campaign,
    })
}

impl Progress {
    pub fn status_key(&self) -> String {
        format!("nb-send-status-{}", self.status.as_str())
    }

    pub fn fragment_path(&self) -> String {
        format!("{}/voortgang", page_path(&self.campaign_id))
    }

    pub fn may_pause(&self) -> bool {
        self.status == CampaignStatus::Bezig
    }

    pub fn may_resume(&self) -> bool {
        self.status == CampaignStatus::Gepauzeerd
    }

    /// The buttons that post at once: (path segment, label id, class).
    pub fn post_buttons(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        let mut buttons = Vec::new();
        if self.may_pause() {
            buttons.push(("pauzeren", "nb-send-pause", "button button-secondary"));
        }
        if self.may_resume() {
            buttons.push(("hervatten", "nb-send-resume", "button"));
        }
        buttons
    }

    pub fn may_cancel(&self) -> bool {
        matches!(
            self.status,
            CampaignStatus::Gepland | CampaignStatus::Bezig | CampaignStatus::Gepauzeerd
        )
    }

    pub fn action(&self, verb: &str) -> String {
        format!("{}/{verb}", page_path(&self.campaign_id))
    }
}
