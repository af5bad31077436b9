//! `/nieuwsbrief/beheer/abonnees/{id}`: one subscriber for editors: their data, lists, the
//! record of consent and how many campaigns reached them; editing name, language and lists,
//! blocking and unblocking, and erasing (asked first). Every write is one transaction with
//! its audit entry ([`crate::store::admin_writes`]).

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::model::SubscriptionStatus;
use crate::paths;
use crate::store::admin_writes;
use crate::store::subscribers::{self, Preferences, Subscriber};
use crate::store::{admin, bounces, consents, lists};
use crate::web::subscribe::{language_choices, list_choices, ListChoice};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/nieuwsbrief/beheer/abonnees/{id}", get(show).post(save))
        .route("/nieuwsbrief/beheer/abonnees/{id}/blokkeren", post(block))
        .route(
            "/nieuwsbrief/beheer/abonnees/{id}/deblokkeren",
            post(unblock),
        )
        .route(
            "/nieuwsbrief/beheer/abonnees/{id}/wissen",
            get(erase_page).post(erase),
        )
}

pub(super) struct SubscriptionRow {
    pub name: String,
    pub status: String,
}

pub(super) struct ConsentRow {
    pub kind: String,
    pub given: String,
    pub at: String,
    pub source: String,
    pub lists: String,
    pub text_version: String,
    pub legal_basis: String,
    pub ip: String,
}

/// A bounce or complaint on the page: when, what, the code, and the campaign it answered
/// (its subject linking to its sending page, or its id when the campaign is gone).
pub(super) struct BounceRow {
    pub at: String,
    pub kind: String,
    pub code: String,
    pub campaign: String,
    pub campaign_href: Option<String>,
}

/// The most bounces the page lists (the newest).
const BOUNCES_SHOWN: i64 = 50;

#[derive(Template)]
#[template(path = "nieuwsbrief/admin/subscriber.html")]
struct SubscriberPage {
    ctx: PageContext,
    errors: FormErrors,
    status: String,
    blocked: bool,
    created: String,
    confirmed: String,
    subscriptions: Vec<SubscriptionRow>,
    consents: Vec<ConsentRow>,
    deliveries: Vec<(String, String)>,
    bounces: Vec<BounceRow>,
    typed_name: String,
    languages: Vec<Choice>,
    lists: Vec<ListChoice>,
    action: String,
    block_action: String,
    unblock_action: String,
    erase_href: String,
}

/// The label of a consent kind (a kind of a later slice is shown as stored).
fn consent_kind(ctx: &PageContext, kind: &str) -> String {
    match kind {
        "aanvraag" | "bevestiging" | "voorkeuren" | "afmelding" | "beheer" => {
            ctx.t(&format!("nb-admin-consent-{kind}"))
        }
        other => other.to_string(),
    }
}

fn subscription_label(ctx: &PageContext, status: SubscriptionStatus) -> String {
    ctx.t(&format!("nb-admin-subscription-{}", status.as_str()))
}

async fn load(ctx: &PageContext, id: &str) -> Result<Subscriber, AppError> {
    subscribers::find(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn page(
    ctx: PageContext,
    subscriber: &Subscriber,
    form: &Preferences,
    errors: FormErrors,
) -> Result<SubscriberPage, AppError> {
    let db = ctx.state().db();
    let id = &subscriber.id;
    let subscriptions = subscribers::subscriptions(db.pool(), id)
        .await?
        .into_iter()
        .map(|s| SubscriptionRow {
            status: subscription_label(&ctx, s.status),
            name: s.list.name,
        })
        .collect();
    let consents = consents::list_for(db.pool(), id)
        .await?
        .into_iter()
        .rev()
        .map(|c| ConsentRow {
            kind: consent_kind(&ctx, &c.kind),
            given: ctx.t(if c.given {
                "nb-admin-consent-given"
            } else {
                "nb-admin-consent-withdrawn"
            }),
            at: ctx.datetime(&c.at),
            source: c.source,
            lists: c.lists.join(", "),
            text_version: c
                .consent_text_version
                .map(|v| v.to_string())
                .unwrap_or_default(),
            legal_basis: c.legal_basis.unwrap_or_default(),
            ip: c.ip.unwrap_or_default(),
        })
        .collect();
    let deliveries = admin::deliveries(db.pool(), id)
        .await?
        .into_iter()
        .map(|(status, n)| {
            let label = match status.as_str() {
                "wachtend" | "verzonden" | "mislukt" => {
                    ctx.t(&format!("nb-admin-delivery-{status}"))
                }
                _ => status,
            };
            (label, ctx.int(&n))
        })
        .collect();
    let bounces = bounces::list_for(db.pool(), id, BOUNCES_SHOWN)
        .await?
        .into_iter()
        .map(|b| BounceRow {
            at: ctx.datetime(&b.received_at),
            kind: ctx.t(&format!("nb-bounce-kind-{}", b.kind)),
            code: b.status_code,
            campaign_href: b
                .campaign_subject
                .as_ref()
                .and(b.campaign_id.as_deref())
                .map(paths::campaign_sending),
            campaign: b.campaign_subject.or(b.campaign_id).unwrap_or_default(),
        })
        .collect();
    let lists = list_choices(lists::list_all(db.pool()).await?, &form.lists);
    let dashboard = ctx.t("nb-admin-title");
    let list_title = ctx.t("nb-admin-subscribers-title");
    Ok(SubscriberPage {
        errors,
        status: ctx.t(&subscriber.status.label_key()),
        blocked: subscriber.status == crate::model::SubscriberStatus::Geblokkeerd,
        created: ctx.datetime(&subscriber.created_at),
        confirmed: subscriber
            .confirmed_at
            .map(|at| ctx.datetime(&at))
            .unwrap_or_else(|| ctx.t("nb-admin-not-confirmed")),
        subscriptions,
        consents,
        deliveries,
        bounces,
        typed_name: form.name.clone(),
        languages: language_choices(&ctx, &form.language),
        lists,
        action: paths::admin_subscriber(id),
        block_action: paths::admin_subscriber_action(id, "blokkeren"),
        unblock_action: paths::admin_subscriber_action(id, "deblokkeren"),
        erase_href: paths::admin_subscriber_action(id, "wissen"),
        ctx: ctx
            .crumb(dashboard, paths::ADMIN)
            .crumb(list_title, paths::ADMIN_SUBSCRIBERS)
            .titled(subscriber.email.clone()),
    })
}

/// The edit form as the subscriber stands now.
async fn current(ctx: &PageContext, subscriber: &Subscriber) -> Result<Preferences, AppError> {
    Ok(Preferences {
        name: subscriber.name.clone(),
        language: subscriber.language.as_str().to_string(),
        lists: subscribers::subscriptions(ctx.state().db().pool(), &subscriber.id)
            .await?
            .into_iter()
            .filter(|s| s.status != SubscriptionStatus::Afgemeld)
            .map(|s| s.list.slug)
            .collect(),
    })
}

async fn show(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    super::editor(&ctx).await?;
    let subscriber = load(&ctx, &id).await?;
    let form = current(&ctx, &subscriber).await?;
    render(&page(ctx, &subscriber, &form, FormErrors::none()).await?)
}

async fn save(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let staff = super::editor(&ctx).await?;
    let subscriber = load(&ctx, &id).await?;
    let edit = crate::web::preferences_of(&fields);
    let mut tx = ctx.state().db().begin().await?;
    let result =
        admin_writes::edit(&mut tx, &staff.editor(), &id, &edit, steden_db::now_ms()).await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("nb-admin-saved")),
            &paths::admin_subscriber(&id),
        )),
        Err(errors) => form::invalid(&page(ctx, &subscriber, &edit, errors).await?),
    }
}

/// Blocking or unblocking.
#[derive(Clone, Copy)]
enum Change {
    Block,
    Unblock,
}

/// Runs a status change and returns to the subscriber's page with what it did.
async fn change_status(ctx: PageContext, id: String, change: Change) -> Result<Response, AppError> {
    let staff = super::editor(&ctx).await?;
    load(&ctx, &id).await?;
    let now = steden_db::now_ms();
    let mut tx = ctx.state().db().begin().await?;
    let changed = match change {
        Change::Block => admin_writes::block(&mut tx, &staff.editor(), &id, now).await?,
        Change::Unblock => admin_writes::unblock(&mut tx, &staff.editor(), &id, now).await?,
    };
    tx.commit().await?;
    let message = ctx.t(match (changed, change) {
        (false, _) => "nb-admin-unchanged",
        (true, Change::Block) => "nb-admin-blocked",
        (true, Change::Unblock) => "nb-admin-unblocked",
    });
    Ok(flash::redirect_with(
        Flash::success(message),
        &paths::admin_subscriber(&id),
    ))
}

async fn block(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    change_status(ctx, id, Change::Block).await
}

async fn unblock(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    change_status(ctx, id, Change::Unblock).await
}

#[derive(Template)]
#[template(path = "nieuwsbrief/admin/erase.html")]
struct ErasePage {
    ctx: PageContext,
    email: String,
    action: String,
    back_href: String,
}

async fn erase_page(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    super::editor(&ctx).await?;
    let subscriber = load(&ctx, &id).await?;
    let title = ctx.t("nb-admin-erase-title");
    let dashboard = ctx.t("nb-admin-title");
    render(&ErasePage {
        action: paths::admin_subscriber_action(&id, "wissen"),
        back_href: paths::admin_subscriber(&id),
        ctx: ctx
            .crumb(dashboard, paths::ADMIN)
            .crumb(subscriber.email.clone(), paths::admin_subscriber(&id))
            .titled(title),
        email: subscriber.email,
    })
}

async fn erase(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let staff = super::editor(&ctx).await?;
    load(&ctx, &id).await?;
    let mut tx = ctx.state().db().begin().await?;
    admin_writes::erase(&mut tx, &staff.editor(), &id).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("nb-admin-erased")),
        paths::ADMIN_SUBSCRIBERS,
    ))
}
