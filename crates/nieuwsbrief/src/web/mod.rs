//! The module's pages. Public, without an account: subscribing ([`subscribe`]), and what a
//! subscriber does through the signed links in their mails ([`preferences`]). Plain forms
//! throughout, so everything works without JavaScript; no flash cookie (the pages say what
//! happened themselves).

mod admin;
mod archive;
mod campaign_send;
mod campaigns;
mod editor;
mod editor_blocks;
mod editor_image;
mod editor_items;
mod embed;
mod import;
mod linkedin;
mod mail_preview;
mod preferences;
pub(crate) mod sending;
mod subscribe;
mod templates;
// reading statistics (S8)
mod stats;
mod stats_pages;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Router;
use steden_core::audit::AuditActor;
use steden_core::policy::Actor;
use steden_core::signed_link::LinkError;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::links::{self, LinkKind};
use crate::store::subscribers::{self, Subscriber};

/// The visitor as the policy sees them (anonymous when not logged in).
pub(crate) fn actor(ctx: &PageContext) -> Actor {
    ctx.user
        .as_ref()
        .map(|user| user.actor())
        .unwrap_or(Actor::Anonymous)
}

/// The audit actor of the logged-in visitor (writes need one).
pub(crate) fn audit_actor(ctx: &PageContext) -> Result<AuditActor, AppError> {
    Ok(AuditActor::user(&ctx.require_user()?.user_id))
}

/// The check of every editors' page and form: logged in (else the login page), an editor of
/// the Kenniscentrum (else forbidden). The editor as the policy sees them and the
/// Kenniscentrum's id, for the store calls that check again.
pub(crate) async fn require_editor(ctx: &PageContext) -> Result<(Actor, String), AppError> {
    ctx.require_user()?;
    let kenniscentrum_id = crate::access::kenniscentrum_id(ctx.state().db()).await?;
    let who = actor(ctx);
    crate::access::require_editor(&who, &kenniscentrum_id)?;
    Ok((who, kenniscentrum_id))
}

/// The value of the form field `name` (empty when absent). Forms with checkboxes are read as
/// pairs, because a name may come several times.
pub(crate) fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
        .unwrap_or_default()
}

/// Every value of the form field `name` (the ticked checkboxes).
pub(crate) fn fields_named(fields: &[(String, String)], name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
        .collect()
}

/// The fields of the preferences form, and of the editors' form of a subscriber.
pub(crate) fn preferences_of(fields: &[(String, String)]) -> subscribers::Preferences {
    subscribers::Preferences {
        name: field(fields, "name"),
        language: field(fields, "language"),
        lists: fields_named(fields, "lists"),
    }
}

pub fn routes() -> Router<AppState> {
    subscribe::routes()
        .merge(preferences::routes())
        .merge(admin::routes())
        .merge(linkedin::routes())
        .merge(templates::routes())
        .merge(campaign_send::routes())
        .merge(sending::routes())
        .merge(campaigns::routes())
        .merge(editor::routes())
        .merge(editor_blocks::routes())
        .merge(editor_image::routes())
        .merge(editor_items::routes())
        .merge(import::routes())
        .merge(stats::routes())
        .merge(stats_pages::routes())
        .merge(archive::routes())
        .merge(embed::routes())
}

/// The subscriber a signed link of `kind` stands for, or why the link is refused; a link whose
/// subscriber was erased counts as expired. Shared by the pages and the API's one-click
/// unsubscribe.
pub(crate) async fn resolve_link(
    state: &AppState,
    kind: LinkKind,
    token: &str,
) -> Result<Result<Subscriber, LinkError>, steden_core::CoreError> {
    let db = state.db();
    let signer = links::signer(db).await?;
    let id = match links::verify(&signer, kind, token, steden_db::now_ms()) {
        Ok(id) => id,
        Err(error) => return Ok(Err(error)),
    };
    Ok(subscribers::find(db.pool(), &id)
        .await?
        .ok_or(LinkError::Expired))
}

/// A page of a few sentences (done, confirmed, erased, a refused link).
#[derive(Template)]
#[template(path = "nieuwsbrief/message.html")]
pub(crate) struct MessagePage {
    pub ctx: PageContext,
    pub paragraphs: Vec<String>,
    pub back_href: String,
    pub back_label: String,
}

/// A page with `title` and `paragraphs` (Fluent ids), and a link back to the form.
pub(crate) fn message(
    ctx: PageContext,
    status: StatusCode,
    title: &str,
    paragraphs: &[&str],
) -> Result<Response, AppError> {
    let page = MessagePage {
        paragraphs: paragraphs.iter().map(|key| ctx.t(key)).collect(),
        back_href: crate::paths::SUBSCRIBE.into(),
        back_label: ctx.t("nb-back-to-form"),
        ctx: {
            let title = ctx.t(title);
            ctx.titled(title)
        },
    };
    let mut response = render(&page)?;
    *response.status_mut() = status;
    Ok(response)
}

/// A refused link: forged 400, expired (or its subscriber erased) 410; nothing written.
pub(crate) fn refused(ctx: PageContext, error: LinkError) -> Result<Response, AppError> {
    match error {
        LinkError::Invalid => message(
            ctx,
            StatusCode::BAD_REQUEST,
            "nb-link-invalid",
            &["nb-link-invalid-text"],
        ),
        LinkError::Expired => message(
            ctx,
            StatusCode::GONE,
            "nb-link-expired",
            &["nb-link-expired-text"],
        ),
    }
}
