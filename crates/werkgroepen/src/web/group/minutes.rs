//! A meeting's minutes (`…/vergaderingen/{id}/verslag`, slice S9): the text, decisions,
//! action points, attendance and comments for the group's readers (a draft only for those who
//! chair); forms to write, propose, approve, comment, and record decisions, action points,
//! attendance and the theme. Every action posts to `…/verslag/{action}`; a refused one shows
//! the page again with the Dutch message (422) and writes nothing.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::model::MemberStatus;
use crate::paths;
use crate::reader::GroupView;
use crate::store::action_points::{self, ActionPointFields};
use crate::store::agenda::{self, AgendaState};
use crate::store::memberships;
use crate::store::minutes::{self, Minutes, ThemeFields};

use super::agenda::{agenda_state, load_for_reader, user_id};
use super::meetings::long_date;
use super::{audit_actor, crumbs};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/werkgroepen/{slug}/vergaderingen/{id}/verslag", get(show))
        .route(
            "/werkgroepen/{slug}/vergaderingen/{id}/verslag/{action}",
            post(act),
        )
}

/// An action point as the minutes list it, with the status form when the reader may use it.
pub(crate) struct PointRow {
    pub description: String,
    pub owner: String,
    pub due: String,
    pub status: &'static str,
    /// The status form's address, when the reader may change the status.
    pub status_action: Option<String>,
    pub choices: Vec<Choice>,
}

/// The rows of `points` for `view`'s reader (`user` is their id).
pub(crate) fn point_rows(
    view: &GroupView,
    user: Option<&str>,
    points: &[action_points::ActionPoint],
) -> Vec<PointRow> {
    points
        .iter()
        .map(|point| {
            let own = user.is_some() && point.owner_user_id.as_deref() == user;
            let own_city = view.standing.can_contribute()
                && point.owner_org_id.is_some()
                && point.owner_org_id == view.standing.facts.represents;
            let may = view.standing.can_chair() || own || own_city;
            PointRow {
                description: point.description.clone(),
                owner: point.owner_name.clone(),
                due: point
                    .due_date
                    .as_deref()
                    .and_then(|d| crate::localtime::parse_date(d).ok())
                    .map(crate::localtime::show_date)
                    .unwrap_or_default(),
                status: action_points::status_label(&point.status),
                status_action: may
                    .then(|| paths::action_point_status(&view.profile.slug, &point.id)),
                choices: action_points::STATUSES
                    .iter()
                    .map(|s| Choice::new(*s, action_points::status_label(s), *s == point.status))
                    .collect(),
            }
        })
        .collect()
}

struct CommentRow {
    author: String,
    body: String,
    when: String,
}

struct AttendanceRow {
    user_id: String,
    name: String,
    choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "werkgroepen/group/minutes.html")]
struct MinutesPage {
    ctx: PageContext,
    slug: String,
    id: String,
    status: &'static str,
    shown: bool,
    minutes_html: String,
    minutes_md: String,
    comment_until: String,
    approved: String,
    may_chair: bool,
    may_approve: bool,
    may_comment: bool,
    proposed: bool,
    is_approved: bool,
    decisions: Vec<String>,
    points: Vec<PointRow>,
    comments: Vec<CommentRow>,
    present: Vec<String>,
    excused: Vec<String>,
    absent: Vec<String>,
    attendance: Vec<AttendanceRow>,
    owners: Vec<Choice>,
    collections: Vec<Choice>,
    theme: ThemeFields,
    errors: FormErrors,
}

async fn minutes_page(
    ctx: PageContext,
    view: &GroupView,
    state: &AgendaState,
    errors: FormErrors,
    typed_md: Option<String>,
) -> Result<MinutesPage, AppError> {
    let db = ctx.state().db().clone();
    let pool = db.pool();
    let group_id = &view.profile.group_id;
    let minutes: Minutes = minutes::find(pool, group_id, &state.meeting_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let may_chair = view.standing.can_chair();
    let shown = may_chair || matches!(minutes.status.as_str(), "voorgelegd" | "goedgekeurd");
    let me = ctx.user.as_ref().map(|u| u.user_id.clone());
    let points = action_points::of_meeting(pool, &state.meeting_id).await?;
    let recorded = minutes::attendance(pool, &state.meeting_id).await?;
    let names = |status: &str| {
        recorded
            .iter()
            .filter(|a| a.status == status)
            .map(|a| a.name.clone())
            .collect::<Vec<_>>()
    };
    let active = memberships::list_with_status(pool, group_id, MemberStatus::Actief).await?;
    let attendance = active
        .iter()
        .map(|m| {
            let current = recorded
                .iter()
                .find(|a| a.user_id == m.user_id)
                .map(|a| a.status.as_str())
                .unwrap_or("");
            AttendanceRow {
                user_id: m.user_id.clone(),
                name: m.person_name.clone(),
                choices: minutes::ATTENDANCE
                    .iter()
                    .map(|s| Choice::new(*s, ctx.t(&format!("wg-attendance-{s}")), *s == current))
                    .collect(),
            }
        })
        .collect();
    let mut owners = vec![Choice::none(ctx.t("wg-choose"), "")];
    owners.extend(
        active
            .iter()
            .map(|m| Choice::new(format!("user:{}", m.user_id), m.person_name.clone(), false)),
    );
    let mut orgs: Vec<(String, String)> = active
        .iter()
        .filter_map(|m| Some((m.organisation_id.clone()?, m.organisation_name.clone()?)))
        .collect();
    orgs.sort();
    orgs.dedup();
    owners.extend(
        orgs.into_iter()
            .map(|(id, name)| Choice::new(format!("org:{id}"), name, false)),
    );
    let theme = ThemeFields {
        theme: minutes.theme.clone(),
        collection: minutes.theme_collection_id.clone().unwrap_or_default(),
        section: minutes.theme_section.clone().unwrap_or_default(),
    };
    let mut collections = vec![Choice::none(ctx.t("wg-choose"), &theme.collection)];
    for c in steden_kennisbank::facade::thematic_collections(&db).await? {
        let selected = c.id == theme.collection;
        collections.push(Choice::new(c.id, c.title, selected));
    }
    let comments = minutes::comments(pool, &state.meeting_id)
        .await?
        .into_iter()
        .map(|c| CommentRow {
            author: c.author.unwrap_or_default(),
            body: c.body,
            when: agenda::show_moment(c.created_at),
        })
        .collect();
    let now = steden_db::now_ms();
    let proposed = minutes.status == "voorgelegd";
    let in_period = minutes.comment_until.is_some_and(|until| now <= until);
    let title = ctx.t_with(
        "wg-minutes-page-title",
        &[
            ("title", state.title.as_str()),
            ("date", long_date(&state.local_date).as_str()),
        ],
    );
    let slug = view.profile.slug.clone();
    let list = ctx.t("wg-tab-meetings");
    let meeting = long_date(&state.local_date);
    let ctx = crumbs(ctx, view)
        .crumb(list, paths::group_meetings(&slug))
        .crumb(meeting, paths::group_meeting(&slug, &state.meeting_id))
        .titled(title);
    Ok(MinutesPage {
        id: state.meeting_id.clone(),
        status: minutes.status_label(),
        shown,
        minutes_html: steden_kennisbank::facade::render_markdown(&minutes.minutes_md),
        minutes_md: typed_md.unwrap_or_else(|| minutes.minutes_md.clone()),
        comment_until: minutes
            .comment_until
            .map(agenda::show_moment)
            .unwrap_or_default(),
        approved: match (minutes.approved_at, &minutes.approved_by_name) {
            (Some(at), Some(name)) => format!("{} ({name})", agenda::show_moment(at)),
            (Some(at), None) => agenda::show_moment(at),
            _ => String::new(),
        },
        may_chair,
        may_approve: view.standing.can_manage_group() && proposed,
        may_comment: view.standing.can_contribute() && proposed && in_period,
        proposed,
        is_approved: minutes.status == "goedgekeurd",
        decisions: minutes::decisions(pool, &state.meeting_id).await?,
        points: point_rows(view, me.as_deref(), &points),
        comments,
        present: names("aanwezig"),
        excused: names("verontschuldigd"),
        absent: names("afwezig"),
        attendance,
        owners,
        collections,
        theme,
        errors,
        slug,
        ctx,
    })
}

async fn show(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let view = load_for_reader(&ctx, &slug).await?;
    let state = agenda_state(&ctx, &view, &id).await?;
    render(&minutes_page(ctx, &view, &state, FormErrors::none(), None).await?)
}

/// The value of field `name` in a posted form.
fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

async fn act(
    ctx: PageContext,
    Path((slug, id, action)): Path<(String, String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let view = load_for_reader(&ctx, &slug).await?;
    let state = agenda_state(&ctx, &view, &id).await?;
    let (actor, user) = (audit_actor(&ctx)?, user_id(&ctx)?);
    let base_url = ctx.state().config().base_url.clone();
    let group_id = view.profile.group_id.clone();
    let standing = view.standing.clone();
    let mut tx = ctx.state().db().begin().await?;
    let result = match action.as_str() {
        "opslaan" => {
            let md = field(&form, "minutes_md");
            minutes::save(&mut tx, &standing, &group_id, &id, md, &actor).await
        }
        "voorleggen" => {
            let until = field(&form, "comment_until");
            minutes::propose(&mut tx, &standing, &group_id, &id, until, &base_url, &actor)
                .await
                .map(|_| ())
        }
        "goedkeuren" => {
            minutes::approve(&mut tx, &standing, &user, &group_id, &id, &base_url, &actor)
                .await
                .map(|_| ())
        }
        "opmerking" => {
            let body = field(&form, "body");
            let now = steden_db::now_ms();
            minutes::comment(&mut tx, &standing, &user, &group_id, &id, body, now, &actor)
                .await
                .map(|_| ())
        }
        "besluit" => {
            let text = field(&form, "decision");
            minutes::add_decision(&mut tx, &standing, &group_id, &id, text, &actor).await
        }
        "actiepunt" => {
            let fields = ActionPointFields {
                description: field(&form, "description").to_string(),
                owner: field(&form, "owner").to_string(),
                due_date: field(&form, "due_date").to_string(),
            };
            action_points::create(&mut tx, &standing, &group_id, &id, &fields, &actor)
                .await
                .map(|_| ())
        }
        "aanwezigheid" => {
            let entries: Vec<(String, String)> = form
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix("att-")?.to_string(), v.clone())))
                .collect();
            minutes::set_attendance(&mut tx, &standing, &group_id, &id, &entries, &actor).await
        }
        "thema" => {
            let fields = ThemeFields {
                theme: field(&form, "theme").to_string(),
                collection: field(&form, "collection").to_string(),
                section: field(&form, "section").to_string(),
            };
            let collections: Vec<String> =
                steden_kennisbank::facade::thematic_collections(ctx.state().db())
                    .await?
                    .into_iter()
                    .map(|c| c.id)
                    .collect();
            minutes::set_theme(
                &mut tx,
                &standing,
                &group_id,
                &id,
                &fields,
                &collections,
                &actor,
            )
            .await
        }
        _ => return Err(AppError::NotFound),
    };
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t(&format!("wg-minutes-done-{action}"))),
            &paths::meeting_minutes(&slug, &id),
        )),
        Err(errors) => {
            let typed = (action == "opslaan").then(|| field(&form, "minutes_md").to_string());
            form::invalid(&minutes_page(ctx, &view, &state, errors, typed).await?)
        }
    }
}
