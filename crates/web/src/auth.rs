//! Logging in and out, invitations, password reset and the organisation switcher.
//!
//! Login attempts are throttled (see `steden_core::login`) under three keys, all hashed: the
//! account's e-mail address ([`MAX_FAILURES`] within [`WINDOW_MS`], then refused even with the
//! right password), the client's address, and the whole platform (against one password tried
//! on many accounts). Each attempt is counted atomically *before* its password is checked, so
//! parallel guesses cannot slip past a limit. Refused attempts do not extend a lock, and the
//! owner of a locked account can always get in through a mailed reset link, which also lifts
//! the lock. Unknown addresses and wrong passwords get the same answer and cost the same hash,
//! so the page does not tell who has an account.

use askama::Template;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::extract::{Path, Query};
use axum::http::header::{LOCATION, RETRY_AFTER};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::login::{self, Limit, Scope, ScopeKind, Verdict};
use steden_core::user::{self, TokenPurpose};
use steden_core::FieldError;

use crate::error::AppError;
use crate::flash::{self, Flash};
use crate::form::{self, FormErrors};
use crate::login_settings::MINUTE_MS;
pub use crate::login_settings::{LoginSettings, MAX_FAILURES, WINDOW_MS};
use crate::page::{render, PageContext};
use crate::session;
use crate::state::AppState;

/// Reset mails per address per hour.
const MAX_RESET_MAILS: i64 = 3;
pub const RESET_WINDOW_MS: i64 = 60 * 60 * 1000;
/// How long a client is asked to wait when every hashing slot stayed busy.
const BUSY_RETRY_AFTER_SECONDS: u64 = 5;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/aanmelden", get(login_page).post(login_submit))
        .route("/afmelden", post(logout))
        .route("/wachtwoord-vergeten", get(forgot_page).post(forgot_submit))
        .route(
            "/wachtwoord-herstellen/{token}",
            get(reset_page).post(reset_submit),
        )
        .route("/uitnodiging/{token}", get(invite_page).post(invite_submit))
        .route("/organisatie-wisselen", post(switch_org))
}

/// `path` if it is a path on this site ("/beheer?x=1"), so that a link like
/// `/aanmelden?volgende=https://elders.example` cannot send people elsewhere.
pub fn local_path(path: &str) -> Option<&str> {
    let path = path.trim();
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(|c| c.is_control() || c.is_whitespace());
    ok.then_some(path)
}

/// Middleware: when a page sends an anonymous visitor to the login page, remember the page
/// (`/aanmelden?volgende=/pad`) so that the login leads back to it. Only for GET: a form post
/// cannot be replayed after logging in.
pub async fn remember_destination(request: Request, next: Next) -> Response {
    let destination = (request.method() == Method::GET)
        .then(|| {
            request
                .uri()
                .path_and_query()
                .map(|pq| pq.as_str().to_string())
        })
        .flatten();
    let mut response = next.run(request).await;
    let to_login = response.status().is_redirection()
        && response
            .headers()
            .get(LOCATION)
            .is_some_and(|l| l == "/aanmelden");
    if let (true, Some(destination)) = (to_login, destination) {
        if let Ok(query) = serde_urlencoded::to_string([("volgende", destination.as_str())]) {
            if let Ok(value) = HeaderValue::from_str(&format!("/aanmelden?{query}")) {
                response.headers_mut().insert(LOCATION, value);
            }
        }
    }
    response
}

// ---------------------------------------------------------------------------------------------
// Throttling

/// The address of the client: the peer address, or behind a trusted proxy the last entry of
/// `X-Forwarded-For` (see [`LoginSettings::trust_forwarded_for`]). "onbekend" when the server
/// was started without connection information (some tests).
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<ClientAddress, Self::Rejection> {
        Ok(ClientAddress(client_address(
            parts,
            state.config().login.trust_forwarded_for,
        )))
    }
}

fn client_address(parts: &Parts, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for {
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty());
        if let Some(address) = forwarded {
            return address.to_string();
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip().to_string())
        .unwrap_or_else(|| "onbekend".to_string())
}

/// Whole minutes, rounded up, at least one.
fn minutes(ms: i64) -> i64 {
    ((ms + MINUTE_MS - 1) / MINUTE_MS).max(1)
}

// ---------------------------------------------------------------------------------------------
// Login and logout

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LoginQuery {
    volgende: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LoginForm {
    email: String,
    password: String,
    volgende: String,
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    ctx: PageContext,
    email: String,
    volgende: String,
    errors: FormErrors,
}

async fn login_page(
    ctx: PageContext,
    Query(query): Query<LoginQuery>,
) -> Result<Response, AppError> {
    let title = ctx.t("auth-login-title");
    render(&LoginPage {
        ctx: ctx.titled(title),
        email: String::new(),
        volgende: local_path(&query.volgende).unwrap_or_default().to_string(),
        errors: FormErrors::none(),
    })
}

async fn login_submit(
    ctx: PageContext,
    headers: HeaderMap,
    ClientAddress(client): ClientAddress,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    let settings = ctx.state().config().login.clone();
    let volgende = local_path(&form.volgende).unwrap_or_default().to_string();
    let refuse = |ctx: PageContext, status: StatusCode, field: &str, message: String| {
        let title = ctx.t("auth-login-title");
        let page = LoginPage {
            ctx: ctx.titled(title),
            email: form.email.trim().to_string(),
            volgende: volgende.clone(),
            errors: FormErrors::new(vec![FieldError::new(field, message)]),
        };
        Ok::<_, AppError>((status, Html(crate::page::finish(page.render()?))).into_response())
    };
    if form.email.trim().is_empty() {
        let message = ctx.t("auth-error-email-empty");
        return refuse(ctx, StatusCode::UNPROCESSABLE_ENTITY, "email", message);
    }
    let scopes = [
        Scope::account(&form.email, &settings.per_account),
        Scope::client(&client, &settings.per_client),
        Scope::global(&settings.global),
    ];
    // Counted before the password is checked: see steden_core::login.
    let attempt = match login::try_attempt(&db, &scopes).await? {
        Verdict::Allowed(attempt) => attempt,
        Verdict::Refused {
            kind,
            retry_after_ms,
        } => {
            let key = match kind {
                ScopeKind::Client => "auth-error-throttled-client",
                ScopeKind::Global => "auth-error-throttled-global",
                ScopeKind::Account | ScopeKind::Reset => "auth-error-throttled",
            };
            let message = ctx.t_with(key, &[("minutes", &minutes(retry_after_ms).to_string())]);
            let mut response = refuse(ctx, StatusCode::TOO_MANY_REQUESTS, "email", message)?;
            response.headers_mut().insert(
                RETRY_AFTER,
                HeaderValue::from((retry_after_ms + 999) / 1000),
            );
            return Ok(response);
        }
    };
    let found = user::find_by_email(db.pool(), &form.email).await?;
    let hash = found
        .as_ref()
        .filter(|u| u.active)
        .and_then(|u| u.password_hash.clone());
    let ok = match user::verify_password_async(hash, &form.password).await {
        Ok(ok) => ok,
        Err(user::HashBusy) => {
            // Not judged, so not counted: a busy server must not lock people out.
            login::withdraw(&db, &attempt).await?;
            let message = ctx.t("auth-error-busy");
            let mut response = refuse(ctx, StatusCode::SERVICE_UNAVAILABLE, "password", message)?;
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(BUSY_RETRY_AFTER_SECONDS));
            return Ok(response);
        }
    };
    let (true, Some(found)) = (ok, found) else {
        let message = ctx.t("auth-error-credentials");
        return refuse(ctx, StatusCode::UNPROCESSABLE_ENTITY, "password", message);
    };
    login::succeeded(&db, &attempt).await?;

    // A fresh session at every login; the one the browser had (if any) ends.
    if let Some(old) = session::presented_session_id(&headers) {
        session::end(&db, &old).await?;
    }
    let mut tx = db.begin().await?;
    let token = session::create(&mut tx, &found.id).await?;
    audit::record(
        &mut tx,
        NewEntry {
            actor: &AuditActor::user(&found.id),
            organisation_id: None,
            entity_type: "user",
            entity_id: &found.id,
            action: "login",
            summary: "Aangemeld",
            changes: Changes::new(),
        },
    )
    .await?;
    tx.commit().await?;
    let target = if volgende.is_empty() {
        "/"
    } else {
        volgende.as_str()
    };
    let mut response = Redirect::to(target).into_response();
    session::set_cookie(ctx.state(), &mut response, &token);
    Ok(response)
}

async fn logout(ctx: PageContext) -> Result<Response, AppError> {
    let state = ctx.state().clone();
    if let Some(user) = &ctx.user {
        let mut tx = state.db().begin().await?;
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(&user.session_id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            NewEntry {
                actor: &AuditActor::user(&user.user_id),
                organisation_id: None,
                entity_type: "user",
                entity_id: &user.user_id,
                action: "logout",
                summary: "Afgemeld",
                changes: Changes::new(),
            },
        )
        .await?;
        tx.commit().await?;
    }
    let mut response = flash::redirect_with(Flash::success(ctx.t("auth-logged-out")), "/");
    session::clear_cookie(&state, &mut response);
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// Organisation switcher

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SwitchForm {
    organisation_id: String,
    terug: String,
}

async fn switch_org(ctx: PageContext, Form(form): Form<SwitchForm>) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    if !user.may_switch_to(&form.organisation_id) {
        return Err(AppError::Forbidden);
    }
    session::set_active_org(ctx.state().db(), &user.session_id, &form.organisation_id).await?;
    Ok(Redirect::to(local_path(&form.terug).unwrap_or("/")).into_response())
}

// ---------------------------------------------------------------------------------------------
// Password reset

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ForgotForm {
    email: String,
}

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    ctx: PageContext,
    email: String,
    errors: FormErrors,
    sent: bool,
}

async fn forgot_page(ctx: PageContext) -> Result<Response, AppError> {
    let title = ctx.t("auth-forgot-title");
    render(&ForgotPage {
        ctx: ctx.titled(title),
        email: String::new(),
        errors: FormErrors::none(),
        sent: false,
    })
}

async fn forgot_submit(
    ctx: PageContext,
    Form(form): Form<ForgotForm>,
) -> Result<Response, AppError> {
    let title = ctx.t("auth-forgot-title");
    let email = match user::validate_email(&form.email) {
        Ok(email) => email,
        Err(error) => {
            return form::invalid(&ForgotPage {
                ctx: ctx.titled(title),
                email: form.email.trim().to_string(),
                errors: FormErrors::new(vec![error]),
                sent: false,
            })
        }
    };
    let state = ctx.state().clone();
    let db = state.db();
    // The same answer whatever happens below: no account enumeration.
    let scope = Scope::reset(&email, &[Limit::new(MAX_RESET_MAILS, RESET_WINDOW_MS)]);
    if let Verdict::Allowed(_) = login::try_attempt(db, &[scope]).await? {
        if let Some(found) = user::find_by_email(db.pool(), &email)
            .await?
            .filter(|u| u.active)
        {
            let mut tx = db.begin().await?;
            let secret =
                user::issue_account_token(&mut tx, &found.id, None, TokenPurpose::Reset).await?;
            let link = format!(
                "{}/wachtwoord-herstellen/{secret}",
                state.config().base_url.trim_end_matches('/')
            );
            crate::accounts::send_mail(
                &mut tx,
                &found.email,
                &ctx.t("mail-reset-subject"),
                &ctx.t_with("mail-reset-text", &[("name", &found.name), ("link", &link)]),
            )
            .await?;
            audit::record(
                &mut tx,
                NewEntry {
                    actor: &AuditActor::system(),
                    organisation_id: None,
                    entity_type: "user",
                    entity_id: &found.id,
                    action: "password_reset_requested",
                    summary: "Herstel van wachtwoord aangevraagd",
                    changes: Changes::new(),
                },
            )
            .await?;
            tx.commit().await?;
        }
    }
    render(&ForgotPage {
        ctx: ctx.titled(title),
        email: String::new(),
        errors: FormErrors::none(),
        sent: true,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewPasswordForm {
    name: String,
    password: String,
    password_confirm: String,
    /// The checkbox on the reset page: also revoke the account's API tokens.
    revoke_tokens: String,
}

/// The page for a link from an e-mail: set a new password (reset) or accept an invitation
/// (name and password).
#[derive(Template)]
#[template(path = "auth/set_password.html")]
struct SetPasswordPage {
    ctx: PageContext,
    /// Where the form posts to.
    action: String,
    invite: bool,
    display_name: String,
    /// Whether the "revoke API tokens" box is ticked (reset only).
    revoke_tokens: bool,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "auth/link_invalid.html")]
struct LinkInvalidPage {
    ctx: PageContext,
}

fn link_invalid(ctx: PageContext) -> Result<Response, AppError> {
    let title = ctx.t("auth-link-invalid-title");
    let page = LinkInvalidPage {
        ctx: ctx.titled(title),
    };
    Ok((
        StatusCode::NOT_FOUND,
        Html(crate::page::finish(page.render()?)),
    )
        .into_response())
}

fn check_new_password(form: &NewPasswordForm, invite: bool) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if invite {
        if let Err(e) = user::validate_name(&form.name) {
            errors.push(e);
        }
    }
    if let Err(e) = user::validate_password("password", &form.password) {
        errors.push(e);
    } else if form.password != form.password_confirm {
        errors.push(FieldError::new(
            "password_confirm",
            "De twee wachtwoorden zijn niet gelijk.",
        ));
    }
    errors
}

async fn reset_page(ctx: PageContext, Path(token): Path<String>) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    if user::find_account_token(db.pool(), &token, TokenPurpose::Reset)
        .await?
        .is_none()
    {
        return link_invalid(ctx);
    }
    let title = ctx.t("auth-reset-title");
    render(&SetPasswordPage {
        ctx: ctx.titled(title),
        action: format!("/wachtwoord-herstellen/{token}"),
        invite: false,
        display_name: String::new(),
        revoke_tokens: false,
        errors: FormErrors::none(),
    })
}

async fn reset_submit(
    ctx: PageContext,
    Path(token): Path<String>,
    Form(form): Form<NewPasswordForm>,
) -> Result<Response, AppError> {
    complete_link(ctx, token, form, TokenPurpose::Reset).await
}

async fn invite_page(ctx: PageContext, Path(token): Path<String>) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    let Some(found) = user::find_account_token(db.pool(), &token, TokenPurpose::Invite).await?
    else {
        return link_invalid(ctx);
    };
    let invited = user::get(db.pool(), &found.user_id).await?;
    let title = ctx.t("auth-invite-title");
    render(&SetPasswordPage {
        ctx: ctx.titled(title),
        action: format!("/uitnodiging/{token}"),
        invite: true,
        display_name: invited.name,
        revoke_tokens: false,
        errors: FormErrors::none(),
    })
}

async fn invite_submit(
    ctx: PageContext,
    Path(token): Path<String>,
    Form(form): Form<NewPasswordForm>,
) -> Result<Response, AppError> {
    complete_link(ctx, token, form, TokenPurpose::Invite).await
}

/// Sets the password (and for an invitation the name) through a link, in one transaction with
/// using up the link, ending the user's other sessions and starting a new one here.
async fn complete_link(
    ctx: PageContext,
    token: String,
    form: NewPasswordForm,
    purpose: TokenPurpose,
) -> Result<Response, AppError> {
    let state = ctx.state().clone();
    let db = state.db();
    let Some(found) = user::find_account_token(db.pool(), &token, purpose).await? else {
        return link_invalid(ctx);
    };
    let invite = purpose == TokenPurpose::Invite;
    let errors = check_new_password(&form, invite);
    if !errors.is_empty() {
        let title = ctx.t(if invite {
            "auth-invite-title"
        } else {
            "auth-reset-title"
        });
        return form::invalid(&SetPasswordPage {
            ctx: ctx.titled(title),
            action: format!(
                "/{}/{token}",
                if invite {
                    "uitnodiging"
                } else {
                    "wachtwoord-herstellen"
                }
            ),
            invite,
            display_name: form.name.trim().to_string(),
            revoke_tokens: !form.revoke_tokens.is_empty(),
            errors: FormErrors::new(errors),
        });
    }
    let target = user::get(db.pool(), &found.user_id).await?;
    if !target.active {
        return link_invalid(ctx);
    }
    let actor = AuditActor::user(&found.user_id);
    let mut tx = db.begin().await?;
    if user::use_account_token(&mut tx, &found.id).await.is_err() {
        // Used by a simultaneous request a moment ago.
        drop(tx);
        return link_invalid(ctx);
    }
    if invite {
        user::set_name(&mut tx, &found.user_id, &form.name, &actor).await?;
    }
    user::set_password(&mut tx, &found.user_id, &form.password, &actor).await?;
    user::end_sessions(&mut tx, &found.user_id, None).await?;
    let revoked = if !invite && !form.revoke_tokens.is_empty() {
        steden_core::api_token::revoke_all_of_user(&mut tx, &found.user_id, &actor).await?
    } else {
        0
    };
    let session_token = session::create(&mut tx, &found.user_id).await?;
    audit::record(
        &mut tx,
        NewEntry {
            actor: &actor,
            organisation_id: found.organisation_id.as_deref(),
            entity_type: "user",
            entity_id: &found.user_id,
            action: if invite {
                "invitation_accepted"
            } else {
                "password_reset"
            },
            summary: &if invite {
                "Uitnodiging aanvaard".to_string()
            } else if revoked > 0 {
                format!("Wachtwoord hersteld; andere sessies beëindigd, {revoked} API-token(s) ingetrokken")
            } else {
                "Wachtwoord hersteld; andere sessies beëindigd".to_string()
            },
            changes: Changes::new(),
        },
    )
    .await?;
    tx.commit().await?;
    // The owner proved themselves through the mailed link: a lock a stranger caused by
    // guessing is lifted.
    login::clear_account(db, &target.email).await?;
    let message = ctx.t(if invite {
        "auth-invite-done"
    } else {
        "auth-reset-done"
    });
    let mut response = flash::redirect_with(Flash::success(message), "/");
    session::set_cookie(&state, &mut response, &session_token);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(
            local_path("/beheer/organisaties?x=1"),
            Some("/beheer/organisaties?x=1")
        );
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "beheer",
            "",
            "/a b",
            "/\nx",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }
}
