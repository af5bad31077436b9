//! /beheer/gebruikers: every account, for platform administrators: make or unmake platform
//! administrator, deactivate or reactivate.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::policy;
use steden_core::user::{self, User};

use crate::error::AppError;
use crate::flash::{self, Flash};
use crate::page::{render, PageContext};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/beheer/gebruikers", get(list))
        .route(
            "/beheer/gebruikers/{id}/platformbeheerder",
            post(set_platform_admin),
        )
        .route("/beheer/gebruikers/{id}/actief", post(set_active))
}

#[derive(Template)]
#[template(path = "accounts/users.html")]
struct UsersPage {
    ctx: PageContext,
    users: Vec<User>,
    me: String,
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    policy::require_platform_admin(&user.actor())?;
    let me = user.user_id.clone();
    let users = user::list(ctx.state().db().pool()).await?;
    let title = ctx.t("acc-users-title");
    render(&UsersPage {
        ctx: ctx.titled(title),
        users,
        me,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FlagForm {
    /// "1" or "0"
    value: String,
}

/// Which flag of an account a form changes.
#[derive(Debug, Clone, Copy)]
enum Flag {
    PlatformAdmin,
    Active,
}

async fn set_platform_admin(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<FlagForm>,
) -> Result<Response, AppError> {
    change(ctx, id, form, Flag::PlatformAdmin).await
}

async fn set_active(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<FlagForm>,
) -> Result<Response, AppError> {
    change(ctx, id, form, Flag::Active).await
}

async fn change(
    ctx: PageContext,
    id: String,
    form: FlagForm,
    flag: Flag,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let actor = user.actor();
    policy::require_platform_admin(&actor)?;
    let value = match form.value.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::BadRequest("Ongeldige waarde.".into())),
    };
    // Nobody locks themselves out: another administrator must do that.
    if id == user.user_id && !value {
        return Ok(flash::redirect_with(
            Flash::error(ctx.t("acc-users-not-yourself")),
            "/beheer/gebruikers",
        ));
    }
    let mut tx = ctx.state().db().begin().await?;
    let audit_actor = actor.audit_actor();
    match flag {
        Flag::PlatformAdmin => user::set_platform_admin(&mut tx, &id, value, &audit_actor).await?,
        Flag::Active => user::set_active(&mut tx, &id, value, &audit_actor).await?,
    }
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("acc-users-saved")),
        "/beheer/gebruikers",
    ))
}
