//! /account: the user's own profile: name, password (with the current one), organisations.

use askama::Template;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::membership::{self, Membership};
use steden_core::user;
use steden_core::FieldError;

use crate::error::AppError;
use crate::flash::{self, Flash};
use crate::form::{self, FormErrors};
use crate::page::{render, PageContext};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(show))
        .route("/account/profiel", post(save_profile))
        .route("/account/wachtwoord", post(change_password))
}

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    ctx: PageContext,
    email: String,
    display_name: String,
    name_errors: FormErrors,
    password_errors: FormErrors,
    memberships: Vec<Membership>,
}

async fn page(
    ctx: PageContext,
    name: Option<String>,
    name_errors: FormErrors,
    password_errors: FormErrors,
) -> Result<AccountPage, AppError> {
    let user = ctx.require_user()?;
    let memberships = membership::list_for_user(ctx.state().db().pool(), &user.user_id).await?;
    let email = user.email.clone();
    let name = name.unwrap_or_else(|| user.name.clone());
    let title = ctx.t("acc-account-title");
    Ok(AccountPage {
        ctx: ctx.titled(title),
        email,
        display_name: name,
        name_errors,
        password_errors,
        memberships,
    })
}

async fn show(ctx: PageContext) -> Result<Response, AppError> {
    render(&page(ctx, None, FormErrors::none(), FormErrors::none()).await?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ProfileForm {
    name: String,
}

async fn save_profile(
    ctx: PageContext,
    Form(form): Form<ProfileForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?.clone();
    let mut tx = ctx.state().db().begin().await?;
    let result = user::set_name(
        &mut tx,
        &user.user_id,
        &form.name,
        &user.actor().audit_actor(),
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("acc-account-saved")),
            "/account",
        )),
        Err(errors) => {
            form::invalid(&page(ctx, Some(form.name), errors, FormErrors::none()).await?)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordForm {
    current_password: String,
    password: String,
    password_confirm: String,
}

async fn change_password(
    ctx: PageContext,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?.clone();
    let db = ctx.state().db().clone();
    let stored = user::get(db.pool(), &user.user_id).await?;
    let mut errors = Vec::new();
    match user::verify_password_async(stored.password_hash, &form.current_password).await {
        Ok(true) => {}
        Ok(false) => errors.push(FieldError::new(
            "current_password",
            ctx.t("acc-password-current-wrong"),
        )),
        Err(user::HashBusy) => errors.push(FieldError::new(
            "current_password",
            ctx.t("auth-error-busy"),
        )),
    }
    if let Err(e) = user::validate_password("password", &form.password) {
        errors.push(e);
    } else if form.password != form.password_confirm {
        errors.push(FieldError::new(
            "password_confirm",
            "De twee wachtwoorden zijn niet gelijk.",
        ));
    }
    if !errors.is_empty() {
        return form::invalid(&page(ctx, None, FormErrors::none(), FormErrors::new(errors)).await?);
    }
    let mut tx = db.begin().await?;
    user::set_password(
        &mut tx,
        &user.user_id,
        &form.password,
        &user.actor().audit_actor(),
    )
    .await?;
    // Whoever else was logged in with the old password is logged out.
    user::end_sessions(&mut tx, &user.user_id, Some(&user.session_id)).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("acc-password-changed")),
        "/account",
    ))
}
