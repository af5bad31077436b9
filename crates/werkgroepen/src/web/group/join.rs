//! Asking to join a group (`/werkgroepen/{slug}/lid-worden`: a motivation and the city or
//! partner one joins for) and leaving it (`…/verlaten`, which also withdraws a pending
//! request). Leaving keeps the membership row, so the group's history stays complete.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
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
use crate::store::joining;

use super::show::join_organisations;
use super::{audit_actor, crumbs, load};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/werkgroepen/{slug}/lid-worden", get(form_page).post(ask))
        .route("/werkgroepen/{slug}/verlaten", post(leave))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct JoinForm {
    organisation_id: String,
    motivation: String,
}

#[derive(Template)]
#[template(path = "werkgroepen/group/join.html")]
struct JoinPage {
    ctx: PageContext,
    slug: String,
    organisations: Vec<Choice>,
    form: JoinForm,
    errors: FormErrors,
}

fn page(ctx: PageContext, view: &GroupView, form: JoinForm, errors: FormErrors) -> JoinPage {
    let mut organisations: Vec<Choice> = join_organisations(&ctx, &view.kenniscentrum_id)
        .into_iter()
        .map(|(id, name)| Choice {
            selected: id == form.organisation_id,
            value: id,
            label: name,
        })
        .collect();
    // One city to join for: chosen already, one click less.
    if let [only] = organisations.as_mut_slice() {
        only.selected = true;
    }
    let title = ctx.t_with("wg-join-title", &[("group", view.profile.name.as_str())]);
    JoinPage {
        slug: view.profile.slug.clone(),
        organisations,
        form,
        errors,
        ctx: crumbs(ctx, view).titled(title),
    }
}

/// The group, when the visitor may ask to join it: logged in, with `lid` in a city or partner.
async fn joinable(ctx: &PageContext, slug: &str) -> Result<GroupView, AppError> {
    ctx.require_user()?;
    let view = load(ctx, slug).await?;
    if join_organisations(ctx, &view.kenniscentrum_id).is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(view)
}

async fn form_page(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let view = joinable(&ctx, &slug).await?;
    let form = JoinForm {
        // The organisation the visitor works in now, when it is one they may join for.
        organisation_id: ctx
            .user
            .as_ref()
            .and_then(|u| u.active_org.as_ref())
            .map(|o| o.id.clone())
            .unwrap_or_default(),
        ..JoinForm::default()
    };
    render(&page(ctx, &view, form, FormErrors::none()))
}

async fn ask(
    ctx: PageContext,
    Path(slug): Path<String>,
    Form(form): Form<JoinForm>,
) -> Result<Response, AppError> {
    let view = joinable(&ctx, &slug).await?;
    let user_id = ctx.require_user()?.user_id.clone();
    let mut errors = Vec::new();
    let allowed = join_organisations(&ctx, &view.kenniscentrum_id);
    if !allowed.iter().any(|(id, _)| *id == form.organisation_id) {
        errors.push(FieldError::new(
            "organisation_id",
            "Kies de stad of organisatie waarvoor je lid wordt.",
        ));
    }
    if form.motivation.trim().is_empty() {
        errors.push(FieldError::new(
            "motivation",
            "Schrijf kort waarom je lid wilt worden; de begeleiders lezen het.",
        ));
    }
    if !errors.is_empty() {
        return form::invalid(&page(ctx, &view, form, errors.into()));
    }
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = joining::request(
        &mut tx,
        &view.profile.group_id,
        &user_id,
        &form.organisation_id,
        &form.motivation,
        &actor,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-join-done")),
            &paths::group(&slug),
        )),
        Err(errors) => form::invalid(&page(ctx, &view, form, errors)),
    }
}

async fn leave(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let user_id = ctx.require_user()?.user_id.clone();
    let view = load(&ctx, &slug).await?;
    let actor = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = joining::leave(&mut tx, &view.profile.group_id, &user_id, &actor).await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wg-leave-done")),
            // A hidden group is no longer theirs to see.
            &if view.profile.visibility == crate::model::Visibility::Publiek {
                paths::group(&slug)
            } else {
                paths::GROUPS.to_string()
            },
        )),
        Err(errors) => Ok(flash::redirect_with(
            Flash::error(
                errors
                    .all()
                    .first()
                    .map(|e| e.message.clone())
                    .unwrap_or_default(),
            ),
            &paths::group(&slug),
        )),
    }
}
