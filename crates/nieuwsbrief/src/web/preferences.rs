//! What a subscriber does through the signed links in their mails (design §3.1, §3.7): the
//! preferences page (lists, language, name), unsubscribing from everything, downloading their
//! data and erasing it. The link proves they hold the address; no account, no login.
//!
//! The footer's unsubscribe link (`/nieuwsbrief/afmelden/{token}`) asks once and unsubscribes
//! on the button: mail scanners open links, and must not unsubscribe anyone. The one-click
//! unsubscribe of RFC 8058 (the mail client's own button) is in the API ([`crate::api`]).

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::signed_link::LinkError;
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use super::subscribe::{language_choices, list_choices, ListChoice};
use super::{message, refused};
use crate::links::LinkKind;
use crate::model::SubscriptionStatus;
use crate::paths;
use crate::store::subscribers::{self, Preferences, Subscriber};
use crate::store::{consents, lists};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/nieuwsbrief/voorkeuren/{token}", get(page).post(save))
        .route(
            "/nieuwsbrief/voorkeuren/{token}/afmelden",
            axum::routing::post(unsubscribe_from_preferences),
        )
        .route("/nieuwsbrief/voorkeuren/{token}/gegevens", get(download))
        .route(
            "/nieuwsbrief/voorkeuren/{token}/wissen",
            get(erase_page).post(erase),
        )
        .route(
            "/nieuwsbrief/afmelden/{token}",
            get(unsubscribe_page).post(unsubscribe),
        )
}

async fn resolve(
    state: &AppState,
    kind: LinkKind,
    token: &str,
) -> Result<Result<Subscriber, LinkError>, AppError> {
    Ok(super::resolve_link(state, kind, token).await?)
}

#[derive(Template)]
#[template(path = "nieuwsbrief/preferences.html")]
struct PreferencesPage {
    ctx: PageContext,
    errors: FormErrors,
    notice: Option<String>,
    email: String,
    status: String,
    typed_name: String,
    languages: Vec<Choice>,
    lists: Vec<ListChoice>,
    action: String,
    unsubscribe_action: String,
    data_href: String,
    erase_href: String,
    // the subscriber's own switch of per-person reading statistics (S8, web::stats)
    tracking: bool,
    tracking_action: String,
}

async fn preferences_page(
    ctx: PageContext,
    token: &str,
    subscriber: &Subscriber,
    form: &Preferences,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<PreferencesPage, AppError> {
    let db = ctx.state().db();
    let lists = list_choices(lists::list_public(db.pool()).await?, &form.lists);
    let title = ctx.t("nb-preferences-title");
    Ok(PreferencesPage {
        errors,
        notice,
        email: subscriber.email.clone(),
        status: ctx.t(&subscriber.status.label_key()),
        typed_name: form.name.clone(),
        languages: language_choices(&ctx, &form.language),
        lists,
        action: paths::preferences(token),
        unsubscribe_action: paths::preferences_unsubscribe(token),
        data_href: paths::preferences_data(token),
        erase_href: paths::preferences_erase(token),
        tracking: subscriber.tracking,
        tracking_action: paths::preferences_tracking(token),
        ctx: ctx.titled(title),
    })
}

#[derive(Deserialize)]
struct Saved {
    #[serde(default)]
    opgeslagen: Option<String>,
}

async fn page(
    ctx: PageContext,
    Path(token): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let subscriber = match resolve(ctx.state(), LinkKind::Preferences, &token).await? {
        Ok(subscriber) => subscriber,
        Err(error) => return refused(ctx, error),
    };
    let current = subscribers::subscriptions(ctx.state().db().pool(), &subscriber.id)
        .await?
        .into_iter()
        .filter(|s| s.status == SubscriptionStatus::Actief)
        .map(|s| s.list.slug)
        .collect();
    let form = Preferences {
        name: subscriber.name.clone(),
        language: subscriber.language.as_str().into(),
        lists: current,
    };
    let notice = saved.opgeslagen.map(|_| ctx.t("nb-preferences-saved"));
    render(&preferences_page(ctx, &token, &subscriber, &form, FormErrors::none(), notice).await?)
}

async fn save(
    ctx: PageContext,
    Path(token): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let subscriber = match resolve(ctx.state(), LinkKind::Preferences, &token).await? {
        Ok(subscriber) => subscriber,
        Err(error) => return refused(ctx, error),
    };
    let form = super::preferences_of(&fields);
    let mut tx = ctx.state().db().begin().await?;
    let result =
        subscribers::update_preferences(&mut tx, &subscriber.id, &form, steden_db::now_ms()).await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(
            Redirect::to(&format!("{}?opgeslagen=1", paths::preferences(&token))).into_response(),
        ),
        Err(errors) => {
            form::invalid(&preferences_page(ctx, &token, &subscriber, &form, errors, None).await?)
        }
    }
}

async fn unsubscribe_from_preferences(
    ctx: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let subscriber = match resolve(ctx.state(), LinkKind::Preferences, &token).await? {
        Ok(subscriber) => subscriber,
        Err(error) => return refused(ctx, error),
    };
    unsubscribed(ctx, &subscriber.id, "link:voorkeuren").await
}

/// Unsubscribes and says so.
async fn unsubscribed(
    ctx: PageContext,
    subscriber_id: &str,
    source: &str,
) -> Result<Response, AppError> {
    let mut tx = ctx.state().db().begin().await?;
    subscribers::unsubscribe_all(&mut tx, subscriber_id, source, steden_db::now_ms()).await?;
    tx.commit().await?;
    message(
        ctx,
        StatusCode::OK,
        "nb-unsubscribed-title",
        &["nb-unsubscribed-text"],
    )
}

#[derive(Template)]
#[template(path = "nieuwsbrief/ask.html")]
struct AskPage {
    ctx: PageContext,
    question: String,
    action: String,
    submit_label: String,
    cancel_href: String,
}

async fn unsubscribe_page(
    ctx: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let subscriber = match resolve(ctx.state(), LinkKind::Unsubscribe, &token).await? {
        Ok(subscriber) => subscriber,
        Err(error) => return refused(ctx, error),
    };
    let title = ctx.t("nb-unsubscribe-title");
    render(&AskPage {
        question: ctx.t_with("nb-unsubscribe-question", &[("email", &subscriber.email)]),
        action: paths::unsubscribe(&token),
        submit_label: ctx.t("nb-unsubscribe-submit"),
        cancel_href: String::new(),
        ctx: ctx.titled(title),
    })
}

async fn unsubscribe(ctx: PageContext, Path(token): Path<String>) -> Result<Response, AppError> {
    let subscriber = match resolve(ctx.state(), LinkKind::Unsubscribe, &token).await? {
        Ok(subscriber) => subscriber,
        Err(error) => return refused(ctx, error),
    };
    unsubscribed(ctx, &subscriber.id, "link:afmelden").await
}

/// Everything the module holds about the subscriber, as JSON.
#[derive(serde::Serialize)]
struct OwnData {
    email: String,
    name: String,
    language: String,
    status: String,
    confirmed_at: Option<i64>,
    created_at: i64,
    lists: Vec<OwnList>,
    consents: Vec<consents::Consent>,
    /// Per-person reading statistics (only when both switches were on).
    events: Vec<crate::store::stats::Event>,
}

#[derive(serde::Serialize)]
struct OwnList {
    list: String,
    status: String,
}

async fn download(ctx: PageContext, Path(token): Path<String>) -> Result<Response, AppError> {
    let subscriber = match resolve(ctx.state(), LinkKind::Preferences, &token).await? {
        Ok(subscriber) => subscriber,
        Err(error) => return refused(ctx, error),
    };
    let db = ctx.state().db();
    let data = OwnData {
        lists: subscribers::subscriptions(db.pool(), &subscriber.id)
            .await?
            .into_iter()
            .map(|s| OwnList {
                list: s.list.name,
                status: s.status.as_str().into(),
            })
            .collect(),
        consents: consents::list_for(db.pool(), &subscriber.id).await?,
        events: crate::store::stats::events_of(db.pool(), &subscriber.id).await?,
        email: subscriber.email,
        name: subscriber.name,
        language: subscriber.language.as_str().into(),
        status: subscriber.status.as_str().into(),
        confirmed_at: subscriber.confirmed_at,
        created_at: subscriber.created_at,
    };
    let body = serde_json::to_vec_pretty(&data).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"nieuwsbrief-mijn-gegevens.json\"",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        body,
    )
        .into_response())
}

async fn erase_page(ctx: PageContext, Path(token): Path<String>) -> Result<Response, AppError> {
    let subscriber = match resolve(ctx.state(), LinkKind::Preferences, &token).await? {
        Ok(subscriber) => subscriber,
        Err(error) => return refused(ctx, error),
    };
    let title = ctx.t("nb-erase-title");
    render(&AskPage {
        question: ctx.t_with("nb-erase-question", &[("email", &subscriber.email)]),
        action: paths::preferences_erase(&token),
        submit_label: ctx.t("nb-erase-submit"),
        cancel_href: paths::preferences(&token),
        ctx: ctx.titled(title),
    })
}

async fn erase(ctx: PageContext, Path(token): Path<String>) -> Result<Response, AppError> {
    let subscriber = match resolve(ctx.state(), LinkKind::Preferences, &token).await? {
        Ok(subscriber) => subscriber,
        Err(error) => return refused(ctx, error),
    };
    let mut tx = ctx.state().db().begin().await?;
    subscribers::erase(&mut tx, &subscriber.id).await?;
    tx.commit().await?;
    message(ctx, StatusCode::OK, "nb-erased-title", &["nb-erased-text"])
}
