//! Proposing an agenda item (`…/agenda/voorstel`): title, explanation, duration and up to
//! five attachments, until the deadline. The form is multipart with the CSRF token in the
//! query (the CSRF layer does not buffer multipart bodies, as for the Kennisbank's uploads);
//! the route's body limit is the attachment limit plus room for the other fields, and a larger
//! upload gets the form again with a Dutch message (413).

use askama::Template;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::paths;
use crate::reader::GroupView;
use crate::store::agenda::{self, AgendaState, ItemFields};
use crate::store::agenda_files::{Upload, MAX_FILES_PER_ITEM, MAX_FILE_BYTES};

use super::agenda::{agenda_state, load_for_reader, user_id};
use super::audit_actor;
use super::meetings::long_date;

/// The files of one proposal together, plus the other fields and multipart framing.
const BODY_LIMIT: usize = MAX_FILE_BYTES + 256 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/werkgroepen/{slug}/vergaderingen/{id}/agenda/voorstel",
        get(form_page)
            .post(propose)
            .layer(DefaultBodyLimit::max(BODY_LIMIT)),
    )
}

#[derive(Template)]
#[template(path = "werkgroepen/group/agenda_propose.html")]
struct ProposePage {
    ctx: PageContext,
    action: String,
    back: String,
    deadline: String,
    max_files: usize,
    max_mb: usize,
    form: ItemFields,
    errors: FormErrors,
}

fn page(
    ctx: PageContext,
    view: &GroupView,
    state: &AgendaState,
    form: ItemFields,
    errors: FormErrors,
) -> ProposePage {
    let slug = &view.profile.slug;
    let back = paths::meeting_agenda(slug, &state.meeting_id);
    let title = ctx.t_with(
        "wg-propose-title",
        &[
            ("title", state.title.as_str()),
            ("date", long_date(&state.local_date).as_str()),
        ],
    );
    let agenda_label = ctx.t("wg-agenda");
    let action = format!(
        "{}?_csrf={}",
        paths::meeting_agenda_propose(slug, &state.meeting_id),
        ctx.csrf_token
    );
    ProposePage {
        ctx: super::crumbs(ctx, view)
            .crumb(agenda_label, back.clone())
            .titled(title),
        action,
        back,
        deadline: state.deadline_text(),
        max_files: MAX_FILES_PER_ITEM,
        max_mb: MAX_FILE_BYTES / (1024 * 1024),
        form,
        errors,
    }
}

/// Members who may contribute; others are refused before the form is shown.
async fn contributor(
    ctx: &PageContext,
    slug: &str,
    id: &str,
) -> Result<(GroupView, AgendaState), AppError> {
    let view = load_for_reader(ctx, slug).await?;
    if !view.standing.can_contribute() {
        return Err(AppError::Forbidden);
    }
    let state = agenda_state(ctx, &view, id).await?;
    Ok((view, state))
}

async fn form_page(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (view, state) = contributor(&ctx, &slug, &id).await?;
    render(&page(
        ctx,
        &view,
        &state,
        ItemFields::default(),
        FormErrors::none(),
    ))
}

enum ReadError {
    TooLarge,
    Unreadable,
}

async fn read_form(mut multipart: Multipart) -> Result<(ItemFields, Vec<Upload>), ReadError> {
    let mut fields = ItemFields::default();
    let mut uploads = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ReadError::TooLarge)
            }
            Err(_) => return Err(ReadError::Unreadable),
        };
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.file_name().map(str::to_string);
        let data = field.bytes().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ReadError::TooLarge
            } else {
                ReadError::Unreadable
            }
        })?;
        let text = || String::from_utf8_lossy(&data).to_string();
        match name.as_str() {
            "title" => fields.title = text(),
            "explanation" => fields.explanation = text(),
            "duration" => fields.duration = text(),
            // A browser sends an empty part for a file input left empty.
            "bijlage" if !data.is_empty() => uploads.push(Upload {
                filename: filename.unwrap_or_default(),
                bytes: data.to_vec(),
            }),
            _ => {}
        }
    }
    Ok((fields, uploads))
}

async fn propose(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
    request: Request,
) -> Result<Response, AppError> {
    let (view, state) = contributor(&ctx, &slug, &id).await?;
    let read = match Multipart::from_request(request, ctx.state()).await {
        Ok(multipart) => read_form(multipart).await,
        Err(_) => Err(ReadError::Unreadable),
    };
    let (form, uploads) = match read {
        Ok(read) => read,
        Err(error) => {
            let (status, key) = match error {
                ReadError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "wg-propose-too-large"),
                ReadError::Unreadable => (StatusCode::BAD_REQUEST, "wg-propose-unreadable"),
            };
            let mut errors = FormErrors::none();
            let max_mb = (MAX_FILE_BYTES / (1024 * 1024)).to_string();
            errors.add("bijlage", &ctx.t_with(key, &[("mb", max_mb.as_str())]));
            let html = form::invalid(&page(ctx, &view, &state, ItemFields::default(), errors))?;
            let (mut parts, body) = html.into_parts();
            parts.status = status;
            return Ok(Response::from_parts(parts, body));
        }
    };
    let (actor, user) = (audit_actor(&ctx)?, user_id(&ctx)?);
    let mut tx = ctx.state().db().begin().await?;
    let result = agenda::propose(
        &mut tx,
        &view.standing,
        &user,
        &view.profile.group_id,
        &id,
        &form,
        &uploads,
        steden_db::now_ms(),
        &actor,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-propose-done")),
            &paths::meeting_agenda(&slug, &id),
        )),
        Err(errors) => form::invalid(&page(ctx, &view, &state, form, errors)),
    }
}
