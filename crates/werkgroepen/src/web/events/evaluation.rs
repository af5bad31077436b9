//! The evaluation after an event (slice S12): the organiser writes the questions and mails
//! the form; participants answer through the signed link of that mail (GET shows the form,
//! POST stores it, once); the organiser reads the results per question, scales as bar charts
//! drawn on the server (SVG with a text alternative, so they need no JavaScript).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use steden_core::audit::AuditActor;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::AppError;

use super::base_url;
use super::manage::load_for_organiser;
use crate::model::RegistrationStatus;
use crate::paths;
use crate::signed_link::{self, LinkError, LinkKind};
use crate::store::evaluations::{self, EvalQuestion, QuestionResult};
use crate::store::events::{self, Event};
use crate::store::registrations::{self, Registration};

#[derive(Template)]
#[template(path = "werkgroepen/events/evaluation_setup.html")]
struct SetupPage {
    ctx: PageContext,
    slug: String,
    questions: String,
    errors: FormErrors,
}

async fn setup_page(
    ctx: PageContext,
    event: &Event,
    questions: Option<String>,
    errors: FormErrors,
) -> Result<SetupPage, AppError> {
    let questions = match questions {
        Some(typed) => typed,
        None => evaluations::question_lines(
            &evaluations::questions(ctx.state().db().pool(), &event.id).await?,
        ),
    };
    let list = ctx.t("wg-events-title");
    let title = ctx.t_with("wg-evaluation-title", &[("event", event.title.as_str())]);
    Ok(SetupPage {
        ctx: ctx
            .crumb(list, paths::EVENTS)
            .crumb(event.title.clone(), paths::event(&event.slug))
            .titled(title),
        slug: event.slug.clone(),
        questions,
        errors,
    })
}

pub(super) async fn setup(
    ctx: PageContext,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let event = load_for_organiser(&ctx, &slug).await?;
    render(&setup_page(ctx, &event, None, FormErrors::none()).await?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct QuestionsForm {
    eval_questions: String,
}

pub(super) async fn save_questions(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(form): Form<QuestionsForm>,
) -> Result<Response, AppError> {
    let event = load_for_organiser(&ctx, &slug).await?;
    let actor = AuditActor::user(&ctx.require_user()?.user_id);
    let mut tx = ctx.state().db().begin().await?;
    let result = evaluations::set_questions(&mut tx, &event.id, &form.eval_questions, &actor).await;
    match form::settle(tx, result).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-evaluation-questions-saved")),
            &paths::event_evaluation(&slug),
        )),
        Err(errors) => {
            form::invalid(&setup_page(ctx, &event, Some(form.eval_questions), errors).await?)
        }
    }
}

pub(super) async fn send(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let event = load_for_organiser(&ctx, &slug).await?;
    let actor = AuditActor::user(&ctx.require_user()?.user_id);
    let mut tx = ctx.state().db().begin().await?;
    let result = evaluations::send(&mut tx, &event.id, &base_url(&ctx), &actor).await;
    match form::settle(tx, result).await? {
        Ok(sent) => Ok(flash::redirect_with(
            Flash::success(ctx.t_with(
                "wg-evaluation-sent",
                &[("count", sent.to_string().as_str())],
            )),
            &paths::event_evaluation(&slug),
        )),
        Err(errors) => form::invalid(&setup_page(ctx, &event, None, errors).await?),
    }
}

/// A horizontal bar chart of a scale question's answers, as SVG with a title and a
/// description that say the numbers (WCAG 1.1.1).
pub fn bars_svg(id: &str, counts: &[i64], label: &str) -> String {
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let bar_height = 22;
    let height = counts.len() as i64 * (bar_height + 6) + 6;
    let description: Vec<String> = counts
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{}: {n}", i + 1))
        .collect();
    let mut svg = format!(
        r#"<svg class="wg-bars" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 400 {height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        askama_escape(label),
        askama_escape(&description.join(", "))
    );
    for (i, n) in counts.iter().enumerate() {
        let y = 6 + i as i64 * (bar_height + 6);
        let width = (*n * 320) / max;
        svg.push_str(&format!(
            r#"<text x="0" y="{}" font-size="14" fill="currentColor">{}</text><rect x="24" y="{y}" width="{width}" height="{bar_height}" fill="currentColor" opacity="0.6"></rect><text x="{}" y="{}" font-size="14" fill="currentColor">{n}</text>"#,
            y + 16,
            i + 1,
            28 + width,
            y + 16
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn askama_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

struct ResultView {
    text: String,
    scale: bool,
    chart: String,
    average: String,
    texts: Vec<String>,
}

#[derive(Template)]
#[template(path = "werkgroepen/events/evaluation_results.html")]
struct ResultsPage {
    ctx: PageContext,
    responses: i64,
    results: Vec<ResultView>,
}

pub(super) async fn results(
    ctx: PageContext,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let event = load_for_organiser(&ctx, &slug).await?;
    let (responses, results) = evaluations::results(ctx.state().db().pool(), &event.id).await?;
    let views = results
        .iter()
        .enumerate()
        .map(|(i, r): (usize, &QuestionResult)| ResultView {
            text: r.question.text.clone(),
            scale: r.question.is_scale(),
            chart: bars_svg(&format!("vraag-{}", i + 1), &r.counts, &r.question.text),
            average: r
                .average
                .map(|a| format!("{a:.1}").replace('.', ","))
                .unwrap_or_default(),
            texts: r.texts.clone(),
        })
        .collect();
    let list = ctx.t("wg-events-title");
    let title = ctx.t_with(
        "wg-evaluation-results-title",
        &[("event", event.title.as_str())],
    );
    render(&ResultsPage {
        ctx: ctx
            .crumb(list, paths::EVENTS)
            .crumb(event.title.clone(), paths::event(&event.slug))
            .titled(title),
        responses,
        results: views,
    })
}

// ---------------------------------------------------------------------------------------------
// The participant's form, through the signed link.

#[derive(Template)]
#[template(path = "werkgroepen/events/evaluation_form.html")]
struct FormPage {
    ctx: PageContext,
    action: String,
    questions: Vec<(EvalQuestion, String)>,
    done: bool,
    errors: FormErrors,
}

async fn resolve(ctx: &PageContext, token: &str) -> Result<(Registration, Event), LinkError> {
    let db = ctx.state().db();
    let key = signed_link::key(db).await.map_err(|_| LinkError::Invalid)?;
    let id = signed_link::verify(&key, LinkKind::Evaluation, token, steden_db::now_ms())?;
    let registration = registrations::find(db.pool(), &id)
        .await
        .ok()
        .flatten()
        .filter(|r| r.status == RegistrationStatus::Bevestigd)
        .ok_or(LinkError::Expired)?;
    let event = events::find(db.pool(), &registration.event_id)
        .await
        .ok()
        .flatten()
        .ok_or(LinkError::Expired)?;
    Ok((registration, event))
}

async fn form_page(
    ctx: PageContext,
    token: &str,
    registration: &Registration,
    event: &Event,
    typed: &BTreeMap<String, String>,
    errors: FormErrors,
) -> Result<FormPage, AppError> {
    let db = ctx.state().db();
    let questions = evaluations::questions(db.pool(), &event.id)
        .await?
        .into_iter()
        .map(|q| {
            let value = typed
                .get(&format!("q_{}", q.id))
                .cloned()
                .unwrap_or_default();
            (q, value)
        })
        .collect();
    let done = evaluations::has_answered(db.pool(), &registration.id).await?;
    let title = ctx.t_with(
        "wg-evaluation-form-title",
        &[("event", event.title.as_str())],
    );
    Ok(FormPage {
        ctx: ctx.titled(title),
        action: paths::evaluation_link(token),
        questions,
        done,
        errors,
    })
}

pub(super) async fn form_show(
    ctx: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (registration, event) = match resolve(&ctx, &token).await {
        Ok(found) => found,
        Err(error) => return super::link::refused(ctx, error),
    };
    render(
        &form_page(
            ctx,
            &token,
            &registration,
            &event,
            &BTreeMap::new(),
            FormErrors::none(),
        )
        .await?,
    )
}

pub(super) async fn form_submit(
    ctx: PageContext,
    Path(token): Path<String>,
    Form(fields): Form<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let (registration, event) = match resolve(&ctx, &token).await {
        Ok(found) => found,
        Err(error) => return super::link::refused(ctx, error),
    };
    let mut tx = ctx.state().db().begin().await?;
    let result = evaluations::submit(&mut tx, &event.id, &registration.id, &fields).await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-evaluation-thanks")),
            &paths::evaluation_link(&token),
        )),
        Err(errors) => {
            form::invalid(&form_page(ctx, &token, &registration, &event, &fields, errors).await?)
        }
    }
}
