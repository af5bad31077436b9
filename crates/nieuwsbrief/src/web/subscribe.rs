//! The public subscription form (`/nieuwsbrief`) and confirming through the mailed link
//! (design §3.1). The answer to the form is the same page whatever the address, so the form
//! tells a stranger nothing about who subscribes.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use steden_web::auth::ClientAddress;
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use super::{message, refused};
use crate::links::{self, LinkKind};
use crate::mails;
use crate::model::{Language, SubscriptionStatus};
use crate::paths;
use crate::store::subscribers::{self, Confirmed, Request, Requested};
use crate::store::{consents, lists};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::SUBSCRIBE, get(form_page))
        .route(paths::SUBSCRIBE_POST, get(form_page).post(submit))
        .route(paths::SUBSCRIBE_SENT, get(sent))
        .route(
            "/nieuwsbrief/bevestigen/{token}",
            get(confirm_page).post(confirm),
        )
}

/// A list as the form shows it.
pub(crate) struct ListChoice {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/subscribe.html")]
struct FormPage {
    ctx: PageContext,
    errors: FormErrors,
    email: String,
    typed_name: String,
    languages: Vec<Choice>,
    lists: Vec<ListChoice>,
    consent: bool,
    consent_version: i64,
    consent_text: String,
}

/// `lists` as checkboxes, those in `checked` (slugs) ticked.
pub(crate) fn list_choices(lists: Vec<lists::List>, checked: &[String]) -> Vec<ListChoice> {
    lists
        .into_iter()
        .map(|list| ListChoice {
            checked: checked.contains(&list.slug),
            slug: list.slug,
            name: list.name,
            description: list.description,
        })
        .collect()
}

pub(crate) fn language_choices(ctx: &PageContext, current: &str) -> Vec<Choice> {
    Choice::list(&Language::ALL, current, Language::as_str, |language| {
        ctx.t(language.label_key())
    })
}

async fn form_with(
    ctx: PageContext,
    request: &Request,
    errors: FormErrors,
) -> Result<FormPage, AppError> {
    let db = ctx.state().db();
    let (consent_version, consent_text) = consents::current_text(db.pool()).await?;
    let lists = list_choices(lists::list_public(db.pool()).await?, &request.lists);
    let language = if request.language.is_empty() {
        ctx.lang.code().to_string()
    } else {
        request.language.clone()
    };
    let title = ctx.t("nb-subscribe-title");
    Ok(FormPage {
        languages: language_choices(&ctx, &language),
        errors,
        email: request.email.clone(),
        typed_name: request.name.clone(),
        lists,
        consent: request.consent,
        consent_version,
        consent_text,
        ctx: ctx.titled(title),
    })
}

async fn form_page(ctx: PageContext) -> Result<Response, AppError> {
    let request = Request {
        // The monthly newsletter is ticked to begin with: it is what most people come for.
        lists: vec!["algemeen".into()],
        ..Request::default()
    };
    render(&form_with(ctx, &request, FormErrors::none()).await?)
}

/// The form's fields (several `lists` values, so read as pairs); `page` is the form's page,
/// recorded as the consent's source.
pub(crate) fn request_of(fields: &[(String, String)], page: &str) -> Request {
    let value = |name: &str| super::field(fields, name);
    Request {
        email: value("email"),
        name: value("name"),
        language: value("language"),
        lists: super::fields_named(fields, "lists"),
        consent: value("consent") == "1",
        consent_text_version: value("consent_version").parse().unwrap_or(0),
        source: format!("formulier:{page}"),
        ip: None,
    }
}

async fn submit(
    ctx: PageContext,
    ClientAddress(address): ClientAddress,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let mut request = request_of(&fields, paths::SUBSCRIBE);
    match process(&ctx, &address, &mut request).await? {
        Ok(()) => Ok(Redirect::to(paths::SUBSCRIBE_SENT).into_response()),
        Err(errors) => form::invalid(&form_with(ctx, &request, errors).await?),
    }
}

/// What a submitted form does, whichever page it came from (this one or the embeddable one):
/// the same answer whatever the address, the mail that fits it, all in one transaction. The
/// errors to show with the form again, if any (`request` then holds what to show).
pub(crate) async fn process(
    ctx: &PageContext,
    address: &str,
    request: &mut Request,
) -> Result<Result<(), FormErrors>, AppError> {
    let db = ctx.state().db();
    // The client's address only when a manager turned recording on, and only a real one.
    if crate::store::housekeeping::record_ip(db.pool()).await? {
        request.ip = address
            .parse::<std::net::IpAddr>()
            .ok()
            .map(|ip| ip.to_string());
    }
    // The consent is recorded on the text the form showed; a form older than the newest text
    // (or a forged version) is shown again with the newest.
    let (current_version, _) = consents::current_text(db.pool()).await?;
    if request.consent_text_version != current_version {
        request.consent = false;
        request.consent_text_version = current_version;
    }
    let signer = links::signer(db).await?;
    let base_url = ctx.state().config().base_url.clone();
    let now = steden_db::now_ms();
    let mut tx = db.begin().await?;
    let result: steden_core::CoreResult<()> = async {
        let requested = subscribers::request(&mut tx, request, now).await?;
        match &requested {
            Requested::Confirm { subscriber_id }
            | Requested::AlreadySubscribed { subscriber_id } => {
                let subscriber = subscribers::get(&mut *tx, subscriber_id).await?;
                if matches!(requested, Requested::Confirm { .. }) {
                    mails::queue_confirmation(&mut tx, &signer, &base_url, &subscriber, now)
                        .await?;
                } else {
                    mails::queue_already_subscribed(&mut tx, &signer, &base_url, &subscriber, now)
                        .await?;
                }
            }
            Requested::Nothing => {}
        }
        Ok(())
    }
    .await;
    form::settle(tx, result).await
}

async fn sent(ctx: PageContext) -> Result<Response, AppError> {
    message(
        ctx,
        StatusCode::OK,
        "nb-sent-title",
        &["nb-sent-text", "nb-sent-spam"],
    )
}

#[derive(Template)]
#[template(path = "nieuwsbrief/confirm.html")]
struct ConfirmPage {
    ctx: PageContext,
    email: String,
    action: String,
}

/// The subscriber a confirmation token stands for (an erased one: expired).
async fn resolve(
    ctx: &PageContext,
    token: &str,
) -> Result<Result<subscribers::Subscriber, steden_core::signed_link::LinkError>, AppError> {
    Ok(super::resolve_link(ctx.state(), LinkKind::Confirm, token).await?)
}

/// GET only shows the button: mail scanners open every link, and must not subscribe anyone.
async fn confirm_page(ctx: PageContext, Path(token): Path<String>) -> Result<Response, AppError> {
    let subscriber = match resolve(&ctx, &token).await? {
        Ok(subscriber) => subscriber,
        Err(error) => return refused(ctx, error),
    };
    let title = ctx.t("nb-confirm-title");
    render(&ConfirmPage {
        email: subscriber.email,
        action: paths::confirm(&token),
        ctx: ctx.titled(title),
    })
}

async fn confirm(ctx: PageContext, Path(token): Path<String>) -> Result<Response, AppError> {
    let subscriber = match resolve(&ctx, &token).await? {
        Ok(subscriber) => subscriber,
        Err(error) => return refused(ctx, error),
    };
    let db = ctx.state().db();
    let signer = links::signer(db).await?;
    let base_url = ctx.state().config().base_url.clone();
    let now = steden_db::now_ms();
    let mut tx = db.begin().await?;
    let confirmed = match subscribers::confirm(&mut tx, &subscriber.id, now).await {
        Ok(confirmed) => confirmed,
        Err(steden_core::CoreError::Conflict(_)) => {
            tx.rollback().await?;
            return message(
                ctx,
                StatusCode::CONFLICT,
                "nb-blocked-title",
                &["nb-blocked-text"],
            );
        }
        Err(other) => return Err(other.into()),
    };
    if confirmed == Confirmed::Now {
        let topics: Vec<String> = subscribers::subscriptions(&mut *tx, &subscriber.id)
            .await?
            .into_iter()
            .filter(|s| s.status == SubscriptionStatus::Actief)
            .map(|s| s.list.name)
            .collect();
        // Confirming changes the status only: address, name and language are as read above.
        mails::queue_welcome(&mut tx, &signer, &base_url, &subscriber, &topics, now).await?;
    }
    tx.commit().await?;
    message(
        ctx,
        StatusCode::OK,
        "nb-confirmed-title",
        &["nb-confirmed-text"],
    )
}
