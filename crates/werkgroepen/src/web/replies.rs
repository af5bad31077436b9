//! Replies to a meeting (design §3.1): on the meeting's reply page for a logged-in member, and
//! through the signed link in the invitation for anyone holding it. The link's GET only shows
//! the page; its buttons POST (mail scanners open links, they do not press buttons). A forged
//! link answers 400 "Deze link is niet geldig.", an expired one 410 "Deze link is verlopen."

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::audit::AuditActor;
use steden_core::policy::Actor;
use steden_core::CoreError;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access::Standing;
use crate::paths;
use crate::signed_link::{self, LinkError, LinkKind};
use crate::store::meetings::{self, Meeting, MeetingStatus};
use crate::store::replies::{self, Answer, Via};
use crate::store::{groups, memberships};

use super::group::meetings::long_date;
use super::group::{audit_actor, crumbs, load};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/werkgroepen/{slug}/vergaderingen/{id}/antwoord",
            get(page_form).post(page_answer),
        )
        .route(
            "/werkgroepen/antwoord/{token}",
            get(link_form).post(link_answer),
        )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AnswerForm {
    answer: String,
}

/// One button.
struct Choice {
    value: &'static str,
    label: &'static str,
    current: bool,
}

#[derive(Template)]
#[template(path = "werkgroepen/reply.html")]
struct ReplyPage {
    ctx: PageContext,
    action: String,
    when: String,
    place: String,
    /// Why no answer can be given any more (cancelled, held), if so.
    closed: Option<String>,
    current: Option<&'static str>,
    choices: Vec<Choice>,
    /// "Je antwoord is bewaard." or an error, after a POST.
    notice: Option<String>,
    error: Option<String>,
    /// The answers of everyone, for those who may read the group.
    replies: Vec<(String, &'static str)>,
}

struct Shown<'a> {
    meeting: &'a Meeting,
    /// The page's title: the meeting page's reply form and the mail link's page differ, so
    /// that each title is unique (WCAG 2.4.2).
    title_key: &'static str,
    action: String,
    current: Option<Answer>,
    notice: Option<String>,
    error: Option<String>,
    replies: Vec<(String, &'static str)>,
}

fn reply_page(ctx: PageContext, shown: Shown<'_>) -> ReplyPage {
    let meeting = shown.meeting;
    let closed = match meeting.status {
        MeetingStatus::Gepland => None,
        MeetingStatus::Geannuleerd => Some(ctx.t("wg-reply-closed-cancelled")),
        MeetingStatus::Gehouden => Some(ctx.t("wg-reply-closed-held")),
    };
    let title = ctx.t_with(
        shown.title_key,
        &[
            ("title", meeting.title.as_str()),
            ("date", long_date(&meeting.local_date).as_str()),
        ],
    );
    ReplyPage {
        action: shown.action,
        when: format!(
            "{}, {}–{}",
            long_date(&meeting.local_date),
            meeting.local_start,
            meeting.local_end
        ),
        place: if meeting.place.is_empty() {
            meeting.online_url.clone()
        } else {
            meeting.place.clone()
        },
        closed,
        current: shown.current.map(Answer::label),
        choices: Answer::ALL
            .into_iter()
            .map(|answer| Choice {
                value: answer.as_str(),
                label: answer.label(),
                current: Some(answer) == shown.current,
            })
            .collect(),
        notice: shown.notice,
        error: shown.error,
        replies: shown.replies,
        ctx: ctx.titled(title),
    }
}

fn mine(all: &[replies::Reply], user_id: &str) -> Option<Answer> {
    all.iter().find(|r| r.user_id == user_id).map(|r| r.answer)
}

fn listed(all: &[replies::Reply]) -> Vec<(String, &'static str)> {
    all.iter()
        .map(|r| (r.name.clone(), r.answer.label()))
        .collect()
}

// --- On the platform -----------------------------------------------------------------------

async fn member_meeting(
    ctx: &PageContext,
    slug: &str,
    id: &str,
) -> Result<(crate::reader::GroupView, Meeting), AppError> {
    ctx.require_user()?;
    let view = load(ctx, slug).await?;
    if !replies::may_reply(&view.standing) {
        return Err(AppError::Forbidden);
    }
    let meeting = meetings::find(ctx.state().db().pool(), &view.profile.group_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((view, meeting))
}

async fn show_for_member(
    ctx: PageContext,
    view: &crate::reader::GroupView,
    meeting: &Meeting,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let user_id = ctx.require_user()?.user_id.clone();
    let all = replies::of_meeting(ctx.state().db().pool(), &meeting.id).await?;
    let list = ctx.t("wg-tab-meetings");
    let ctx = crumbs(ctx, view)
        .crumb(list, paths::group_meetings(&view.profile.slug))
        .crumb(
            meeting.title.clone(),
            paths::group_meeting(&view.profile.slug, &meeting.id),
        );
    let shown = Shown {
        meeting,
        title_key: "wg-reply-title",
        action: paths::group_meeting_reply(&view.profile.slug, &meeting.id),
        current: mine(&all, &user_id),
        notice,
        error: error.clone(),
        replies: if view.standing.can_read_group() {
            listed(&all)
        } else {
            Vec::new()
        },
    };
    let response = render(&reply_page(ctx, shown))?;
    Ok(with_status(
        response,
        error.is_some(),
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

fn with_status(mut response: Response, apply: bool, status: StatusCode) -> Response {
    if apply {
        *response.status_mut() = status;
    }
    response
}

async fn page_form(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (view, meeting) = member_meeting(&ctx, &slug, &id).await?;
    show_for_member(ctx, &view, &meeting, None, None).await
}

/// Saves the answer; a refused one (cancelled meeting, unknown answer) shows the page again
/// with the message and writes nothing.
async fn save(
    ctx: &PageContext,
    standing: &Standing,
    meeting: &Meeting,
    user_id: &str,
    answer: &str,
    via: Via,
    actor: &AuditActor,
) -> Result<Result<(), String>, AppError> {
    let mut tx = ctx.state().db().begin().await?;
    match replies::set(&mut tx, standing, meeting, user_id, answer, via, actor).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(Ok(()))
        }
        Err(CoreError::Invalid(fields)) => Ok(Err(fields
            .into_iter()
            .map(|f| f.message)
            .collect::<Vec<_>>()
            .join(" "))),
        Err(other) => Err(other.into()),
    }
}

async fn page_answer(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let (view, meeting) = member_meeting(&ctx, &slug, &id).await?;
    let user_id = ctx.require_user()?.user_id.clone();
    let actor = audit_actor(&ctx)?;
    let saved = save(
        &ctx,
        &view.standing,
        &meeting,
        &user_id,
        &form.answer,
        Via::Pagina,
        &actor,
    )
    .await?;
    match saved {
        Ok(()) => {
            let notice = Some(ctx.t("wg-reply-saved"));
            show_for_member(ctx, &view, &meeting, notice, None).await
        }
        Err(message) => show_for_member(ctx, &view, &meeting, None, Some(message)).await,
    }
}

// --- Through the link in the mail ----------------------------------------------------------

#[derive(Template)]
#[template(path = "werkgroepen/link_error.html")]
struct LinkErrorPage {
    ctx: PageContext,
}

fn link_error(ctx: PageContext, error: LinkError) -> Result<Response, AppError> {
    let (key, status) = match error {
        LinkError::Invalid => ("wg-link-invalid", StatusCode::BAD_REQUEST),
        LinkError::Expired => ("wg-link-expired", StatusCode::GONE),
    };
    let title = ctx.t(key);
    let response = render(&LinkErrorPage {
        ctx: ctx.titled(title),
    })?;
    Ok(with_status(response, true, status))
}

/// The meeting and the standing of the person the link was made for; `None` for a link whose
/// meeting is gone or whose person may no longer answer (shown as not valid).
async fn from_link(
    ctx: &PageContext,
    token: &str,
) -> Result<Result<(Meeting, Standing, String), LinkError>, AppError> {
    let db = ctx.state().db();
    let key = signed_link::key(db).await?;
    let id = match signed_link::verify(&key, LinkKind::Reply, token, steden_db::now_ms()) {
        Ok(id) => id,
        Err(error) => return Ok(Err(error)),
    };
    let Some((meeting_id, user_id)) = signed_link::split_reply_id(&id) else {
        return Ok(Err(LinkError::Invalid));
    };
    let Some(meeting) = meetings::find_by_id(db.pool(), meeting_id).await? else {
        return Ok(Err(LinkError::Invalid));
    };
    let mut conn = db.pool().acquire().await?;
    let facts = memberships::facts(&mut conn, &meeting.group_id, user_id).await?;
    let exists = groups::find(&mut conn, &meeting.group_id).await?.is_some();
    drop(conn);
    let kenniscentrum_id = crate::access::kenniscentrum_id(db).await?;
    // The link speaks for its person, whoever opens it; staff rights are not carried.
    let standing = Standing::of(&Actor::Anonymous, &kenniscentrum_id, facts);
    if !exists || !replies::may_reply(&standing) {
        return Ok(Err(LinkError::Invalid));
    }
    Ok(Ok((meeting, standing, user_id.to_string())))
}

async fn show_for_link(
    ctx: PageContext,
    token: &str,
    meeting: &Meeting,
    user_id: &str,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let all = replies::of_meeting(ctx.state().db().pool(), &meeting.id).await?;
    let shown = Shown {
        meeting,
        title_key: "wg-reply-link-title",
        action: paths::reply_link(token),
        current: mine(&all, user_id),
        notice,
        error: error.clone(),
        // The link holder may be anyone the mail was forwarded to: no list of names.
        replies: Vec::new(),
    };
    let response = render(&reply_page(ctx, shown))?;
    Ok(with_status(
        response,
        error.is_some(),
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

async fn link_form(ctx: PageContext, Path(token): Path<String>) -> Result<Response, AppError> {
    match from_link(&ctx, &token).await? {
        Ok((meeting, _, user_id)) => {
            show_for_link(ctx, &token, &meeting, &user_id, None, None).await
        }
        Err(error) => link_error(ctx, error),
    }
}

async fn link_answer(
    ctx: PageContext,
    Path(token): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let (meeting, standing, user_id) = match from_link(&ctx, &token).await? {
        Ok(found) => found,
        Err(error) => return link_error(ctx, error),
    };
    let actor = AuditActor::user(&user_id);
    let saved = save(
        &ctx,
        &standing,
        &meeting,
        &user_id,
        &form.answer,
        Via::Mail,
        &actor,
    )
    .await?;
    match saved {
        Ok(()) => {
            let notice = Some(ctx.t("wg-reply-saved"));
            show_for_link(ctx, &token, &meeting, &user_id, notice, None).await
        }
        Err(message) => show_for_link(ctx, &token, &meeting, &user_id, None, Some(message)).await,
    }
}
