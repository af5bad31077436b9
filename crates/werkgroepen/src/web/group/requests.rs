//! One join request (`/werkgroepen/{slug}/aanvragen/{id}`), for those who run the group:
//! who asked, for which city, why; approve with a role, or refuse with a reason (required: the
//! person who asked reads it).

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::model::{MemberRole, MemberStatus};
use crate::paths;
use crate::reader::GroupView;
use crate::store::joining;
use crate::store::memberships::{self, Membership};

use super::{audit_actor, crumbs, load_for_facilitator};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/werkgroepen/{slug}/aanvragen/{id}", get(show))
        .route(
            "/werkgroepen/{slug}/aanvragen/{id}/goedkeuren",
            post(approve),
        )
        .route("/werkgroepen/{slug}/aanvragen/{id}/weigeren", post(refuse))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecisionForm {
    role: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "werkgroepen/group/request.html")]
struct RequestPage {
    ctx: PageContext,
    slug: String,
    membership: Membership,
    organisation: String,
    requested: String,
    roles: Vec<Choice>,
    form: DecisionForm,
    approve_errors: FormErrors,
    refuse_errors: FormErrors,
}

fn page(
    ctx: PageContext,
    view: &GroupView,
    membership: Membership,
    form: DecisionForm,
    approve_errors: FormErrors,
    refuse_errors: FormErrors,
) -> RequestPage {
    let roles = Choice::list(MemberRole::ALL, &form.role, MemberRole::as_str, |role| {
        ctx.t(&role.label_key())
    });
    let title = ctx.t_with(
        "wg-request-title",
        &[("name", membership.person_name.as_str())],
    );
    let members = ctx.t("wg-tab-members");
    RequestPage {
        slug: view.profile.slug.clone(),
        organisation: membership
            .organisation_name
            .clone()
            .unwrap_or_else(|| ctx.t("wg-none")),
        requested: membership
            .requested_at
            .map(|ms| ctx.date(&ms))
            .unwrap_or_default(),
        membership,
        roles,
        form,
        approve_errors,
        refuse_errors,
        ctx: crumbs(ctx, view)
            .crumb(members, paths::group_members(&view.profile.slug))
            .titled(title),
    }
}

/// The group and the request, still open; a decided or unknown request is "not found".
async fn load_request(
    ctx: &PageContext,
    slug: &str,
    id: &str,
) -> Result<(GroupView, Membership), AppError> {
    let view = load_for_facilitator(ctx, slug).await?;
    let membership = memberships::find(ctx.state().db().pool(), &view.profile.group_id, id)
        .await?
        .filter(|m| m.status == MemberStatus::Aangevraagd)
        .ok_or(AppError::NotFound)?;
    Ok((view, membership))
}

async fn show(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (view, membership) = load_request(&ctx, &slug, &id).await?;
    let form = DecisionForm {
        role: MemberRole::Lid.as_str().into(),
        ..DecisionForm::default()
    };
    render(&page(
        ctx,
        &view,
        membership,
        form,
        FormErrors::none(),
        FormErrors::none(),
    ))
}

async fn approve(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let (view, membership) = load_request(&ctx, &slug, &id).await?;
    let actor = audit_actor(&ctx)?;
    let decided_by = ctx.require_user()?.user_id.clone();
    let mut tx = ctx.state().db().begin().await?;
    let result = joining::approve(
        &mut tx,
        &view.profile.group_id,
        &membership.id,
        &form.role,
        &decided_by,
        &actor,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t_with(
                "wg-request-approved",
                &[("name", membership.person_name.as_str())],
            )),
            &paths::group_members(&slug),
        )),
        Err(errors) => form::invalid(&page(
            ctx,
            &view,
            membership,
            form,
            errors,
            FormErrors::none(),
        )),
    }
}

async fn refuse(
    ctx: PageContext,
    Path((slug, id)): Path<(String, String)>,
    Form(mut form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let (view, membership) = load_request(&ctx, &slug, &id).await?;
    let actor = audit_actor(&ctx)?;
    let decided_by = ctx.require_user()?.user_id.clone();
    let mut tx = ctx.state().db().begin().await?;
    let result = joining::refuse(
        &mut tx,
        &view.profile.group_id,
        &membership.id,
        &form.reason,
        &decided_by,
        &actor,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t_with(
                "wg-request-refused",
                &[("name", membership.person_name.as_str())],
            )),
            &paths::group_members(&slug),
        )),
        Err(errors) => {
            form.role = MemberRole::Lid.as_str().into();
            form::invalid(&page(
                ctx,
                &view,
                membership,
                form,
                FormErrors::none(),
                errors,
            ))
        }
    }
}
