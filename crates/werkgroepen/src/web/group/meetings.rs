//! A group's meetings (`/werkgroepen/{slug}/vergaderingen`): the coming and past meetings for
//! its members, one meeting's page, and for those who run the group the forms to plan and
//! move a meeting and the buttons to cancel it or mark it held. Every action is a plain form
//! post, so the pages work without JavaScript.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use steden_web::components::Tab;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::localtime;
use crate::paths;
use crate::reader::GroupView;
use crate::store::meetings::{self, Meeting, MeetingFields, MeetingStatus};

use super::{audit_actor, crumbs, load, load_for_facilitator, tabs};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/werkgroepen/{slug}/vergaderingen", get(list))
        .route(
            "/werkgroepen/{slug}/vergaderingen/nieuw",
            get(new_form).post(create),
        )
        .route("/werkgroepen/{slug}/vergaderingen/{id}", get(show))
        .route(
            "/werkgroepen/{slug}/vergaderingen/{id}/verplaatsen",
            get(move_form).post(reschedule),
        )
        .route(
            "/werkgroepen/{slug}/vergaderingen/{id}/annuleren",
            post(cancel),
        )
        .route(
            "/werkgroepen/{slug}/vergaderingen/{id}/gehouden",
            post(mark_held),
        )
        .route(
            "/werkgroepen/{slug}/vergaderingen/{id}/niet-gehouden",
            post(mark_not_held),
        )
}

/// The group, for a page only its readers (members, facilitators, staff) may open.
async fn load_for_reader(ctx: &PageContext, slug: &str) -> Result<GroupView, AppError> {
    let view = load(ctx, slug).await?;
    if !view.standing.can_read_group() {
        ctx.require_user()?;
        return Err(AppError::Forbidden);
    }
    Ok(view)
}

const WEEKDAYS: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];
const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// "maandag 15 juni 2027": the date as a Fleming says it.
pub fn long_date(date: &str) -> String {
    match localtime::parse_date(date) {
        Ok(date) => dutch(date),
        Err(_) => date.to_string(),
    }
}

fn dutch(date: NaiveDate) -> String {
    format!(
        "{} {} {} {}",
        WEEKDAYS[date.weekday().num_days_from_monday() as usize],
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

/// One meeting as the pages show it.
struct MeetingRow {
    href: String,
    title: String,
    when: String,
    place: String,
    online_url: String,
    status: &'static str,
    tone: &'static str,
    cancelled: bool,
    cancel_reason: String,
}

impl MeetingRow {
    fn of(slug: &str, meeting: &Meeting) -> MeetingRow {
        MeetingRow {
            href: paths::group_meeting(slug, &meeting.id),
            title: meeting.title.clone(),
            when: format!(
                "{}, {}–{}",
                long_date(&meeting.local_date),
                meeting.local_start,
                meeting.local_end
            ),
            place: meeting.place.clone(),
            online_url: meeting.online_url.clone(),
            status: meeting.status.label(),
            tone: match meeting.status {
                MeetingStatus::Gepland => "info",
                MeetingStatus::Gehouden => "success",
                MeetingStatus::Geannuleerd => "error",
            },
            cancelled: meeting.status == MeetingStatus::Geannuleerd,
            cancel_reason: meeting.cancel_reason.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "werkgroepen/group/meetings.html")]
struct ListPage {
    ctx: PageContext,
    tabs: Vec<Tab>,
    slug: String,
    coming: Vec<MeetingRow>,
    past: Vec<MeetingRow>,
    may_plan: bool,
}

async fn list(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let view = load_for_reader(&ctx, &slug).await?;
    let all = meetings::list(ctx.state().db().pool(), &view.profile.group_id).await?;
    let now = steden_db::now_ms();
    let (coming, mut past): (Vec<&Meeting>, Vec<&Meeting>) =
        all.iter().partition(|m| m.ends_at >= now);
    // The most recent past meeting first: that is the one people look for.
    past.reverse();
    let href = paths::group_meetings(&slug);
    let title = ctx.t_with(
        "wg-meetings-title",
        &[("group", view.profile.name.as_str())],
    );
    render(&ListPage {
        tabs: tabs(&ctx, &view, &href),
        coming: coming.iter().map(|m| MeetingRow::of(&slug, m)).collect(),
        past: past.iter().map(|m| MeetingRow::of(&slug, m)).collect(),
        may_plan: view.standing.can_manage_group(),
        slug,
        ctx: crumbs(ctx, &view).titled(title),
    })
}

#[derive(Template)]
#[template(path = "werkgroepen/group/meeting.html")]
struct ShowPage {
    ctx: PageContext,
    slug: String,
    id: String,
    meeting: MeetingRow,
    held: bool,
    may_manage: bool,
    /// The cancel form's reason is optional, so it never has errors.
    no_errors: FormErrors,
}

async fn find_meeting(ctx: &PageContext, view: &GroupView, id: &str) -> Result<Meeting, AppError> {
    meetings::find(ctx.state().db().pool(), &view.profile.group_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn show(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let view = load_for_reader(&ctx, &slug).await?;
    let meeting = find_meeting(&ctx, &view, &id).await?;
    let list = ctx.t("wg-tab-meetings");
    // The title often is the group's name; with the date the page title stays unique.
    let title = ctx.t_with(
        "wg-meeting-page-title",
        &[
            ("title", meeting.title.as_str()),
            ("date", long_date(&meeting.local_date).as_str()),
        ],
    );
    let ctx = crumbs(ctx, &view)
        .crumb(list, paths::group_meetings(&slug))
        .titled(title);
    render(&ShowPage {
        meeting: MeetingRow::of(&slug, &meeting),
        held: meeting.status == MeetingStatus::Gehouden,
        may_manage: view.standing.can_manage_group(),
        no_errors: FormErrors::none(),
        slug,
        id,
        ctx,
    })
}

#[derive(Template)]
#[template(path = "werkgroepen/group/meeting_form.html")]
pub(super) struct FormPage {
    ctx: PageContext,
    action: String,
    back: String,
    form: MeetingFields,
    errors: FormErrors,
}

pub(super) fn form_page(
    ctx: PageContext,
    view: &GroupView,
    title_key: &str,
    action: String,
    form: MeetingFields,
    errors: FormErrors,
) -> FormPage {
    let list = ctx.t("wg-tab-meetings");
    let title = ctx.t(title_key);
    let back = paths::group_meetings(&view.profile.slug);
    FormPage {
        ctx: crumbs(ctx, view).crumb(list, back.clone()).titled(title),
        action,
        back,
        form,
        errors,
    }
}

/// A new meeting's form starts from the group's name and its usual times and place.
pub(super) fn usual_fields(view: &GroupView) -> MeetingFields {
    MeetingFields {
        title: view.profile.name.clone(),
        local_date: String::new(),
        local_start: view.profile.default_start.clone(),
        local_end: view.profile.default_end.clone(),
        place: view.profile.default_place.clone(),
        online_url: view.profile.default_online_url.clone(),
    }
}

async fn new_form(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let form = usual_fields(&view);
    let action = paths::group_meeting_new(&slug);
    render(&form_page(
        ctx,
        &view,
        "wg-meeting-new-title",
        action,
        form,
        FormErrors::none(),
    ))
}

async fn create(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(form): Form<MeetingFields>,
) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = meetings::create(
        &mut tx,
        &view.standing,
        &view.profile.group_id,
        &form,
        &actor,
    )
    .await;
    // The invitations leave with the meeting, or not at all (same transaction).
    let result = match result {
        Ok(id) => queue_mail(&ctx, &mut tx, &id).await.map(|()| id),
        Err(error) => Err(error),
    };
    match form::settle(tx, result).await? {
        Ok(id) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-meeting-created")),
            &paths::group_meeting(&slug, &id),
        )),
        Err(errors) => {
            let action = paths::group_meeting_new(&slug);
            form::invalid(&form_page(
                ctx,
                &view,
                "wg-meeting-new-title",
                action,
                form,
                errors,
            ))
        }
    }
}

async fn move_form(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let meeting = find_meeting(&ctx, &view, &id).await?;
    let action = paths::group_meeting_move(&slug, &id);
    let form = MeetingFields::of(&meeting);
    render(&form_page(
        ctx,
        &view,
        "wg-meeting-move-title",
        action,
        form,
        FormErrors::none(),
    ))
}

async fn reschedule(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<MeetingFields>,
) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = meetings::reschedule(
        &mut tx,
        &view.standing,
        &view.profile.group_id,
        &id,
        &form,
        &actor,
    )
    .await;
    let result = match result {
        Ok(()) => queue_mail(&ctx, &mut tx, &id).await,
        Err(error) => Err(error),
    };
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-meeting-moved")),
            &paths::group_meeting(&slug, &id),
        )),
        Err(errors) => {
            let action = paths::group_meeting_move(&slug, &id);
            form::invalid(&form_page(
                ctx,
                &view,
                "wg-meeting-move-title",
                action,
                form,
                errors,
            ))
        }
    }
}

/// Queues the meeting's invitation, update or cancellation mails (crate::invitations).
async fn queue_mail(
    ctx: &PageContext,
    tx: &mut steden_db::Tx<'_>,
    id: &str,
) -> steden_core::error::CoreResult<()> {
    crate::invitations::queue(
        tx,
        &crate::invitations::Origin::of(ctx.state().config()),
        id,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CancelForm {
    cancel_reason: String,
}

async fn cancel(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<CancelForm>,
) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    meetings::cancel(
        &mut tx,
        &view.standing,
        &view.profile.group_id,
        &id,
        &form.cancel_reason,
        &actor,
    )
    .await?;
    queue_mail(&ctx, &mut tx, &id).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("wg-meeting-cancelled")),
        &paths::group_meeting(&slug, &id),
    ))
}

async fn set_held(
    ctx: PageContext,
    slug: String,
    id: String,
    held: bool,
) -> Result<Response, AppError> {
    let view = load_for_facilitator(&ctx, &slug).await?;
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    meetings::mark_held(
        &mut tx,
        &view.standing,
        &view.profile.group_id,
        &id,
        held,
        &actor,
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("wg-meeting-marked")),
        &paths::group_meeting(&slug, &id),
    ))
}

async fn mark_held(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    set_held(ctx, slug, id, true).await
}

async fn mark_not_held(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    set_held(ctx, slug, id, false).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_read_in_dutch() {
        assert_eq!(super::long_date("2027-06-15"), "dinsdag 15 juni 2027");
        assert_eq!(super::long_date("2026-03-29"), "zondag 29 maart 2026");
    }
}
