//! A campaign's preview, test mail and scheduling (design §3.2, §3.3; issue 14 point 2), for
//! editors, under `/nieuwsbrief/beheer/campagnes/{id}/…` (the editor's pages link here):
//!
//! - `…/voorbeeld`: the mail as it would leave now (a concept rendered afresh, a scheduled or
//!   sent one as frozen), its HTML in a sandboxed `<iframe srcdoc>` and its text beside it;
//!   `…/voorbeeld/mail` is that HTML alone, as a page of its own;
//! - `…/testen`: the mail to up to five addresses through the outbox, "[TEST]" before the
//!   subject, the recipient's links replaced by the public subscription page;
//! - `…/plannen`: "nu versturen" or a date and time in Brussels; one transaction renders,
//!   refuses a campaign without recipients, freezes and queues the sending job
//!   ([`crate::scheduling::schedule`]). Only a concept can be planned (409 otherwise).

use askama::Template;
use axum::extract::Path;
use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::{NaiveDateTime, TimeZone};
use serde::Deserialize;
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use super::mail_preview::{with_preview_policy, Preview};
use super::{audit_actor, require_editor};
use crate::frozen::{self, RecipientLinks};
use crate::model::CampaignStatus;
use crate::paths;
use crate::render::Rendered;
use crate::scheduling::{self, TEST_ADDRESSES_MAX};
use crate::store::audience;
use crate::store::campaigns::{self, Campaign};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/nieuwsbrief/beheer/campagnes/{id}/voorbeeld", get(preview))
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/voorbeeld/mail",
            get(mail_page),
        )
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/testen",
            get(test_form).post(test_send),
        )
        .route(
            "/nieuwsbrief/beheer/campagnes/{id}/plannen",
            get(schedule_form).post(schedule),
        )
}

/// The campaign `id` for an editor; not found for an unknown id.
async fn load(ctx: &PageContext, id: &str) -> Result<Campaign, AppError> {
    require_editor(ctx).await?;
    campaigns::find(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The mail as it stands: the frozen content once scheduled, else the concept rendered now,
/// with the recipient's links replaced by the subscription page (harmless to click).
async fn current(ctx: &PageContext, campaign: &Campaign) -> CoreResult<Rendered> {
    let db = ctx.state().db();
    let base_url = ctx.state().config().base_url.clone();
    let rendered = match campaigns::frozen(db.pool(), &campaign.id).await? {
        Some((html, text)) => Rendered {
            html,
            text,
            links: Vec::new(),
        },
        None => {
            let mut conn = db.pool().acquire().await?;
            scheduling::render_concept(&mut conn, campaign, &base_url).await?
        }
    };
    let harmless = RecipientLinks {
        preferences_url: format!("{base_url}{}", paths::SUBSCRIBE),
        unsubscribe_url: format!("{base_url}{}", paths::SUBSCRIBE),
    };
    Ok(Rendered {
        html: frozen::fill(&rendered.html, &harmless),
        text: frozen::fill(&rendered.text, &harmless),
        links: rendered.links,
    })
}

/// The campaign's pages' shared breadcrumb: the campaigns, then the campaign.
fn crumbs(ctx: PageContext, campaign: &Campaign) -> PageContext {
    let campaigns = ctx.t("nb-tpl-campaigns");
    ctx.crumb(campaigns, "/nieuwsbrief/beheer/campagnes").crumb(
        campaign.subject.clone(),
        format!("/nieuwsbrief/beheer/campagnes/{}", campaign.id),
    )
}

#[derive(Template)]
#[template(path = "nieuwsbrief/campaign_preview.html")]
struct PreviewPage {
    ctx: PageContext,
    status: String,
    preview: Preview,
    mail_href: String,
    test_href: String,
    schedule_href: Option<String>,
}

async fn preview(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let campaign = load(&ctx, &id).await?;
    let preview = Preview::of(&ctx, current(&ctx, &campaign).await)?;
    let title = ctx.t_with(
        "nb-tpl-campaign-preview-title",
        &[("subject", campaign.subject.as_str())],
    );
    let page = PreviewPage {
        status: ctx.t(&campaign.status.label_key()),
        preview,
        mail_href: paths::campaign_preview_mail(&id),
        test_href: paths::campaign_test(&id),
        schedule_href: (campaign.status == CampaignStatus::Concept)
            .then(|| paths::campaign_schedule(&id)),
        ctx: crumbs(ctx, &campaign).titled(title),
    };
    Ok(with_preview_policy(render(&page).into_response()))
}

/// The policy of the mail shown as a page of its own: its inline styles and images, nothing
/// else (no script, no form, not framed).
const MAIL_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     img-src 'self' data: https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The mail's HTML alone, as a mail client would show it.
async fn mail_page(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let campaign = load(&ctx, &id).await?;
    let rendered = current(&ctx, &campaign).await?;
    let mut response = Html(rendered.html).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(MAIL_POLICY),
    );
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TestFields {
    addresses: String,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/campaign_test.html")]
struct TestPage {
    ctx: PageContext,
    action: String,
    typed_addresses: String,
    hint: String,
    errors: FormErrors,
}

fn test_page(ctx: PageContext, campaign: &Campaign, typed: String, errors: FormErrors) -> TestPage {
    let title = ctx.t_with(
        "nb-tpl-test-title",
        &[("subject", campaign.subject.as_str())],
    );
    TestPage {
        action: paths::campaign_test(&campaign.id),
        typed_addresses: typed,
        hint: ctx.t_with(
            "nb-tpl-test-hint",
            &[("max", TEST_ADDRESSES_MAX.to_string().as_str())],
        ),
        errors,
        ctx: crumbs(ctx, campaign).titled(title),
    }
}

async fn test_form(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let campaign = load(&ctx, &id).await?;
    let typed = ctx
        .user
        .as_ref()
        .map(|user| user.email.clone())
        .unwrap_or_default();
    render(&test_page(ctx, &campaign, typed, FormErrors::none()))
}

async fn test_send(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(fields): Form<TestFields>,
) -> Result<Response, AppError> {
    let campaign = load(&ctx, &id).await?;
    let audit = audit_actor(&ctx)?;
    let base_url = ctx.state().config().base_url.clone();
    let mut tx = ctx.state().db().begin().await?;
    let result = scheduling::send_test(&mut tx, &id, &fields.addresses, &base_url, &audit).await;
    match form::settle(tx, result).await? {
        Ok(addresses) => Ok(flash::redirect_with(
            Flash::success(ctx.t_with(
                "nb-tpl-test-sent",
                &[("addresses", addresses.join(", ").as_str())],
            )),
            &paths::campaign_preview(&id),
        )),
        Err(errors) => form::invalid(&test_page(ctx, &campaign, fields.addresses, errors)),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ScheduleFields {
    /// `nu` or `later`.
    when: String,
    /// `YYYY-MM-DDTHH:MM` in Brussels (a `datetime-local` field).
    at: String,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/campaign_schedule.html")]
struct SchedulePage {
    ctx: PageContext,
    action: String,
    recipients: String,
    whens: Vec<Choice>,
    typed_at: String,
    errors: FormErrors,
}

async fn schedule_page(
    ctx: PageContext,
    campaign: &Campaign,
    fields: &ScheduleFields,
    errors: FormErrors,
) -> Result<SchedulePage, AppError> {
    let mut conn = ctx.state().db().pool().acquire().await?;
    let recipients = audience::count_recipients(&mut conn, &campaign.lists).await?;
    let title = ctx.t_with(
        "nb-tpl-schedule-title",
        &[("subject", campaign.subject.as_str())],
    );
    let later = fields.when == "later";
    Ok(SchedulePage {
        action: paths::campaign_schedule(&campaign.id),
        recipients: ctx.t_with(
            "nb-tpl-schedule-recipients",
            &[("count", recipients.to_string().as_str())],
        ),
        whens: vec![
            Choice::new("nu", ctx.t("nb-tpl-schedule-now"), !later),
            Choice::new("later", ctx.t("nb-tpl-schedule-later"), later),
        ],
        typed_at: fields.at.clone(),
        errors,
        ctx: crumbs(ctx, campaign).titled(title),
    })
}

/// A campaign that is no longer a concept cannot be planned: 409 with the reason.
fn not_a_concept(ctx: PageContext) -> Result<Response, AppError> {
    super::message(
        ctx,
        StatusCode::CONFLICT,
        "nb-tpl-frozen-title",
        &["nb-tpl-frozen-text"],
    )
}

async fn schedule_form(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let campaign = load(&ctx, &id).await?;
    if campaign.status != CampaignStatus::Concept {
        return not_a_concept(ctx);
    }
    let fields = ScheduleFields::default();
    render(&schedule_page(ctx, &campaign, &fields, FormErrors::none()).await?)
}

/// The moment typed in Brussels time as ms UTC: a valid date and time, in the future.
pub(crate) fn parse_moment(typed: &str, now: i64) -> CoreResult<i64> {
    let naive = NaiveDateTime::parse_from_str(typed.trim(), "%Y-%m-%dT%H:%M").map_err(|_| {
        CoreError::invalid(
            "at",
            "Geef een datum en een uur, bijvoorbeeld 2026-12-15 09:00.",
        )
    })?;
    let local = chrono_tz::Europe::Brussels
        .from_local_datetime(&naive)
        .earliest()
        .ok_or_else(|| {
            CoreError::invalid(
                "at",
                "Dat uur bestaat niet in Brussel (de klok verspringt): kies een ander uur.",
            )
        })?;
    let at = local.timestamp_millis();
    if at <= now {
        return Err(CoreError::invalid("at", "Kies een moment in de toekomst."));
    }
    Ok(at)
}

async fn schedule(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(fields): Form<ScheduleFields>,
) -> Result<Response, AppError> {
    let campaign = load(&ctx, &id).await?;
    if campaign.status != CampaignStatus::Concept {
        return not_a_concept(ctx);
    }
    let audit = audit_actor(&ctx)?;
    let base_url = ctx.state().config().base_url.clone();
    let now = steden_db::now_ms();
    let at = if fields.when == "later" {
        parse_moment(&fields.at, now)
    } else {
        Ok(now)
    };
    let mut tx = ctx.state().db().begin().await?;
    let result = match at {
        Ok(at) => scheduling::schedule(&mut tx, &id, at, &base_url, &audit)
            .await
            .map(|_| at),
        Err(error) => Err(error),
    };
    match form::settle(tx, result).await {
        Ok(Ok(at)) => Ok(flash::redirect_with(
            Flash::success(ctx.t_with(
                "nb-tpl-scheduled",
                &[("when", steden_core::time::format_datetime(at).as_str())],
            )),
            &paths::campaign_preview(&id),
        )),
        Ok(Err(errors)) => {
            let page = schedule_page(ctx, &campaign, &fields, errors).await?;
            form::invalid(&page)
        }
        Err(error) => Err(error),
    }
}
