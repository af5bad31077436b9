//! A meeting's agenda (`…/vergaderingen/{id}/agenda`, slice S8): the items for the group's
//! readers; for those who chair, a form per item (accept, up, down, merge, decline with a
//! reason) and forms to add an item, set the deadline, apply a template and publish. Every
//! action is a plain form post, so the page works without JavaScript; a refused action shows
//! the page again with the Dutch message (422) and writes nothing. Proposing (with files) is
//! [`super::agenda_propose`].

use askama::Template;
use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::FieldError;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::paths;
use crate::reader::GroupView;
use crate::store::action_points::{self, ActionPoint};
use crate::store::agenda::{self, AgendaState, Decision, Item, ItemFields};
use crate::store::agenda_files::{self, Attachment};
use crate::store::minutes;

use super::meetings::long_date;
use super::{audit_actor, crumbs, load};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/werkgroepen/{slug}/vergaderingen/{id}/agenda", get(show))
        .route(
            "/werkgroepen/{slug}/vergaderingen/{id}/agenda/punt",
            post(add_item),
        )
        .route(
            "/werkgroepen/{slug}/vergaderingen/{id}/agenda/termijn",
            post(set_deadline),
        )
        .route(
            "/werkgroepen/{slug}/vergaderingen/{id}/agenda/sjabloon",
            post(apply_template),
        )
        .route(
            "/werkgroepen/{slug}/vergaderingen/{id}/agenda/publiceren",
            post(publish),
        )
        .route(
            "/werkgroepen/{slug}/vergaderingen/{id}/agenda/punten/{item}/{action}",
            post(decide),
        )
        .route(
            "/werkgroepen/{slug}/vergaderingen/{id}/agenda/bijlagen/{file}",
            get(download),
        )
}

/// The group, for a page only its readers (members, facilitators, staff) may open.
pub(crate) async fn load_for_reader(ctx: &PageContext, slug: &str) -> Result<GroupView, AppError> {
    let view = load(ctx, slug).await?;
    if !view.standing.can_read_group() {
        ctx.require_user()?;
        return Err(AppError::Forbidden);
    }
    Ok(view)
}

/// The meeting's agenda facts; "not found" for a meeting of another group.
pub(crate) async fn agenda_state(
    ctx: &PageContext,
    view: &GroupView,
    id: &str,
) -> Result<AgendaState, AppError> {
    agenda::state(ctx.state().db().pool(), &view.profile.group_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The visitor's user id (pages that write need a logged-in visitor).
pub(crate) fn user_id(ctx: &PageContext) -> Result<String, AppError> {
    Ok(ctx.require_user()?.user_id.clone())
}

/// A file as a link.
pub(crate) struct FileLink {
    pub href: String,
    pub label: String,
}

/// One item as the page shows it.
pub(crate) struct ItemRow {
    pub id: String,
    pub title: String,
    pub explanation_html: String,
    pub duration: Option<i64>,
    pub proposer: String,
    pub status: &'static str,
    pub proposed: bool,
    pub decline_reason: String,
    pub files: Vec<FileLink>,
    /// Titles of the items merged into this one.
    pub merged: Vec<String>,
    /// The other live items, for the merge form.
    pub merge_choices: Vec<Choice>,
    pub first: bool,
    pub last: bool,
    /// A refused decline or merge of this item, shown at its form.
    pub decline_error: String,
    pub merge_error: String,
}

fn size_label(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} kB", (bytes + 1023) / 1024)
    }
}

fn item_row(
    slug: &str,
    meeting_id: &str,
    item: &Item,
    all: &[Item],
    files: &[Attachment],
) -> ItemRow {
    let proposer = match (&item.proposer_name, &item.proposer_org_name) {
        (Some(name), Some(org)) => format!("{name} ({org})"),
        (Some(name), None) => name.clone(),
        _ => String::new(),
    };
    let live: Vec<&Item> = all.iter().filter(|i| i.is_live()).collect();
    let index = live.iter().position(|i| i.id == item.id);
    ItemRow {
        id: item.id.clone(),
        title: item.title.clone(),
        explanation_html: steden_kennisbank::facade::render_markdown(&item.explanation_md),
        duration: item.duration_min,
        proposer,
        status: item.status_label(),
        proposed: item.status == "voorgesteld",
        decline_reason: item.decline_reason.clone(),
        files: files
            .iter()
            .filter(|f| f.item_id == item.id)
            .map(|f| FileLink {
                href: paths::meeting_agenda_file(slug, meeting_id, &f.file_id),
                label: format!("{} ({})", f.filename, size_label(f.size_bytes)),
            })
            .collect(),
        merged: all
            .iter()
            .filter(|i| i.merged_into_id.as_deref() == Some(item.id.as_str()))
            .map(|i| i.title.clone())
            .collect(),
        merge_choices: live
            .iter()
            .filter(|i| i.id != item.id)
            .map(|i| Choice::new(i.id.clone(), i.title.clone(), false))
            .collect(),
        first: index == Some(0),
        last: index.is_some_and(|i| i + 1 == live.len()),
        decline_error: String::new(),
        merge_error: String::new(),
    }
}

/// An open action point as the agenda lists it.
pub(crate) struct PointRow {
    pub description: String,
    pub owner: String,
    pub due: String,
    pub status: &'static str,
}

pub(crate) fn point_row(point: &ActionPoint) -> PointRow {
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
    }
}

/// The previous meeting's theme as this agenda evaluates it.
pub(crate) struct ThemeBlock {
    pub title: String,
    pub documents: Vec<ThemeDocument>,
}

pub(crate) struct ThemeDocument {
    pub title: String,
    pub href: String,
    pub status: String,
}

/// The evaluation block of the theme of the meeting before `state`, if it had one.
async fn theme_block(
    ctx: &PageContext,
    group_id: &str,
    state: &AgendaState,
) -> Result<Option<ThemeBlock>, AppError> {
    let db = ctx.state().db();
    let Some(theme) = minutes::previous_theme(db.pool(), group_id, state.starts_at).await? else {
        return Ok(None);
    };
    let documents = match (&theme.collection_id, &theme.section) {
        (Some(collection), Some(section)) => {
            steden_kennisbank::facade::section_documents(db, collection, section, group_id)
                .await?
                .into_iter()
                .map(|doc| ThemeDocument {
                    title: doc.title,
                    href: doc.href,
                    status: doc.evaluation_status.unwrap_or_default(),
                })
                .collect()
        }
        _ => Vec::new(),
    };
    Ok(Some(ThemeBlock {
        title: ctx.t_with(
            "wg-agenda-theme-evaluation",
            &[("theme", theme.theme.as_str())],
        ),
        documents,
    }))
}

#[derive(Template)]
#[template(path = "werkgroepen/group/agenda.html")]
struct AgendaPage {
    ctx: PageContext,
    slug: String,
    id: String,
    published: bool,
    published_on: String,
    deadline: String,
    open_for_proposals: bool,
    may_propose: bool,
    may_chair: bool,
    cancelled: bool,
    /// Accepted items (and, for those who chair, the proposals still to decide).
    agenda: Vec<ItemRow>,
    /// Declined items: all for those who chair, own ones for a proposer.
    declined: Vec<ItemRow>,
    points: Vec<PointRow>,
    /// The evaluation of the previous meeting's theme, with the collection section's documents.
    theme: Option<ThemeBlock>,
    templates: Vec<Choice>,
    errors: FormErrors,
    form: ItemFields,
    deadline_date: String,
}

async fn agenda_page(
    ctx: PageContext,
    view: &GroupView,
    state: &AgendaState,
    errors: FormErrors,
    form: ItemFields,
) -> Result<AgendaPage, AppError> {
    let db = ctx.state().db();
    let slug = view.profile.slug.clone();
    let all = agenda::items(db.pool(), &state.meeting_id).await?;
    let files = agenda_files::of_meeting(db.pool(), &state.meeting_id).await?;
    let points = action_points::open_before(
        db.pool(),
        &view.profile.group_id,
        &state.meeting_id,
        state.starts_at,
    )
    .await?;
    let theme = theme_block(&ctx, &view.profile.group_id, state).await?;
    let may_chair = view.standing.can_chair();
    let me = ctx.user.as_ref().map(|u| u.user_id.clone());
    let mut agenda: Vec<ItemRow> = all
        .iter()
        .filter(|i| i.status == "aanvaard" || (may_chair && i.status == "voorgesteld"))
        .map(|i| item_row(&slug, &state.meeting_id, i, &all, &files))
        .collect();
    for row in &mut agenda {
        let field = |name: &str| format!("{name}-{}", row.id);
        let decline = errors
            .error_for(&field("decline_reason"))
            .unwrap_or_default();
        let merge = errors.error_for(&field("merge_into")).unwrap_or_default();
        row.decline_error = decline.to_string();
        row.merge_error = merge.to_string();
    }
    let declined = all
        .iter()
        .filter(|i| i.status == "afgewezen" && (may_chair || i.proposer_id == me))
        .map(|i| item_row(&slug, &state.meeting_id, i, &all, &files))
        .collect();
    let default_template = agenda::group_template(db.pool(), &view.profile.group_id).await?;
    let templates = agenda::templates(db.pool())
        .await?
        .into_iter()
        .map(|t| {
            let selected = default_template.as_deref() == Some(t.id.as_str());
            Choice::new(t.id, t.name, selected)
        })
        .collect();
    let now = steden_db::now_ms();
    let open_for_proposals = !state.published && !state.cancelled && now <= state.deadline_at;
    let title = ctx.t_with(
        "wg-agenda-page-title",
        &[
            ("title", state.title.as_str()),
            ("date", long_date(&state.local_date).as_str()),
        ],
    );
    let list = ctx.t("wg-tab-meetings");
    let meeting = long_date(&state.local_date);
    let ctx = crumbs(ctx, view)
        .crumb(list, paths::group_meetings(&slug))
        .crumb(meeting, paths::group_meeting(&slug, &state.meeting_id))
        .titled(title);
    let deadline_date = crate::localtime::from_utc_ms(state.deadline_at)
        .map(|at| at.date().format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    Ok(AgendaPage {
        id: state.meeting_id.clone(),
        published: state.published,
        published_on: state
            .published_at
            .map(agenda::show_moment)
            .unwrap_or_default(),
        deadline: state.deadline_text(),
        open_for_proposals,
        may_propose: open_for_proposals && view.standing.can_contribute(),
        may_chair,
        cancelled: state.cancelled,
        agenda,
        declined,
        points: points.iter().map(point_row).collect(),
        theme,
        templates,
        errors,
        form,
        deadline_date,
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
    let page = agenda_page(
        ctx,
        &view,
        &state,
        FormErrors::none(),
        ItemFields::default(),
    )
    .await?;
    render(&page)
}

/// For the actions of those who chair: the group, the meeting, the audit actor.
async fn chair(
    ctx: &PageContext,
    slug: &str,
    id: &str,
) -> Result<(GroupView, AgendaState), AppError> {
    let view = load_for_reader(ctx, slug).await?;
    if !view.standing.can_chair() {
        return Err(AppError::Forbidden);
    }
    let state = agenda_state(ctx, &view, id).await?;
    Ok((view, state))
}

/// Ends an action: on success back to the agenda with `done`; on a refusal the agenda again
/// with the errors (422), nothing written.
async fn finish<T>(
    ctx: PageContext,
    view: GroupView,
    state: AgendaState,
    tx: steden_db::Tx<'_>,
    result: steden_core::CoreResult<T>,
    done: &str,
    form: ItemFields,
) -> Result<Response, AppError> {
    match form::settle(tx, result).await? {
        Ok(_) => {
            let message = ctx.t(done);
            Ok(flash::redirect_with(
                Flash::success(message),
                &paths::meeting_agenda(&view.profile.slug, &state.meeting_id),
            ))
        }
        Err(errors) => {
            // The state again: a refused action left it as it was, but show what is stored.
            let state = agenda_state(&ctx, &view, &state.meeting_id).await?;
            form::invalid(&agenda_page(ctx, &view, &state, errors, form).await?)
        }
    }
}

async fn add_item(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<ItemFields>,
) -> Result<Response, AppError> {
    let (view, state) = chair(&ctx, &slug, &id).await?;
    let (actor, user) = (audit_actor(&ctx)?, user_id(&ctx)?);
    let mut tx = ctx.state().db().begin().await?;
    let result = agenda::add(
        &mut tx,
        &view.standing,
        &user,
        &view.profile.group_id,
        &id,
        &form,
        &actor,
    )
    .await;
    finish(ctx, view, state, tx, result, "wg-agenda-item-added", form).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeadlineForm {
    deadline: String,
}

async fn set_deadline(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<DeadlineForm>,
) -> Result<Response, AppError> {
    let (view, state) = chair(&ctx, &slug, &id).await?;
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = agenda::set_deadline(
        &mut tx,
        &view.standing,
        &view.profile.group_id,
        &id,
        &form.deadline,
        &actor,
    )
    .await;
    let empty = ItemFields::default();
    finish(
        ctx,
        view,
        state,
        tx,
        result,
        "wg-agenda-deadline-set",
        empty,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TemplateForm {
    template: String,
}

async fn apply_template(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<TemplateForm>,
) -> Result<Response, AppError> {
    let (view, state) = chair(&ctx, &slug, &id).await?;
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = agenda::apply_template(
        &mut tx,
        &view.standing,
        &view.profile.group_id,
        &id,
        &form.template,
        &actor,
    )
    .await;
    let empty = ItemFields::default();
    finish(
        ctx,
        view,
        state,
        tx,
        result,
        "wg-agenda-template-applied",
        empty,
    )
    .await
}

async fn publish(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (view, state) = chair(&ctx, &slug, &id).await?;
    let actor = audit_actor(&ctx)?;
    let base_url = ctx.state().config().base_url.clone();
    let mut tx = ctx.state().db().begin().await?;
    let result = agenda::publish(
        &mut tx,
        &view.standing,
        &view.profile.group_id,
        &id,
        &base_url,
        &actor,
    )
    .await;
    let empty = ItemFields::default();
    finish(ctx, view, state, tx, result, "wg-agenda-published", empty).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecisionForm {
    decline_reason: String,
    merge_into: String,
}

async fn decide(
    ctx: PageContext,
    Path((slug, id, item, action)): Path<(String, String, String, String)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let decision = match action.as_str() {
        "aanvaarden" => Decision::Accept,
        "omhoog" => Decision::Up,
        "omlaag" => Decision::Down,
        "samenvoegen" => Decision::MergeInto {
            target_id: form.merge_into,
        },
        "afwijzen" => Decision::Decline {
            reason: form.decline_reason,
        },
        _ => return Err(AppError::NotFound),
    };
    let (view, state) = chair(&ctx, &slug, &id).await?;
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = agenda::decide(
        &mut tx,
        &view.standing,
        &view.profile.group_id,
        &id,
        &item,
        &decision,
        &actor,
    )
    .await
    // The item's own field, so that the message stands next to the right form.
    .map_err(|error| match error {
        steden_core::CoreError::Invalid(errors) => steden_core::CoreError::Invalid(
            errors
                .into_iter()
                .map(|e| FieldError::new(format!("{}-{item}", e.field), e.message))
                .collect(),
        ),
        other => other,
    });
    let empty = ItemFields::default();
    finish(
        ctx,
        view,
        state,
        tx,
        result,
        "wg-agenda-item-decided",
        empty,
    )
    .await
}

/// `attachment; filename="…"; filename*=UTF-8''…`: an ASCII fallback and the exact name.
fn content_disposition(filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in filename.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// An attachment, for the group's readers: of an accepted or merged item for all of them, of
/// a proposal or a declined item only for its proposer and those who chair.
async fn download(
    ctx: PageContext,
    Path((slug, id, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let view = load_for_reader(&ctx, &slug).await?;
    let db = ctx.state().db();
    let stored = agenda_files::load(db.pool(), &id, &file)
        .await?
        .ok_or(AppError::NotFound)?;
    // The meeting must be this group's, or the file is not found.
    agenda_state(&ctx, &view, &id).await?;
    let items = agenda::items(db.pool(), &id).await?;
    let item = items
        .iter()
        .find(|i| i.id == stored.item_id)
        .ok_or(AppError::NotFound)?;
    let me = ctx.user.as_ref().map(|u| u.user_id.clone());
    let open = matches!(item.status.as_str(), "aanvaard" | "samengevoegd");
    if !(open || view.standing.can_chair() || item.proposer_id == me) {
        return Err(AppError::NotFound);
    }
    let disposition = HeaderValue::from_str(&content_disposition(&stored.filename))
        .map_err(|e| AppError::Internal(format!("bestandsnaam: {e}")))?;
    let content_type = HeaderValue::from_str(&stored.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        stored.bytes,
    )
        .into_response())
}
