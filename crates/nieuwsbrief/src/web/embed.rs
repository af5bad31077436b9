//! The embeddable subscription form (issue 14 point 1; design §3.1, there named
//! `/nieuwsbrief/inschrijven`, which the site's own form already posts to):
//!
//! - `/nieuwsbrief/insluiten`: the form alone, without the site's header and footer, that other
//!   sites show in an `<iframe>`. It posts to itself and is handled exactly like the site's form
//!   ([`super::subscribe::process`]: the same answer whatever the address, double opt-in);
//!   `…/insluiten/verstuurd` is its "look in your mailbox".
//! - Framing: these pages send their own Content-Security-Policy with `frame-ancestors` from
//!   the setting `nieuwsbrief.embed_ancestors` (default `'self' https:`:
//!   [`crate::store::embed`]), and no `X-Frame-Options` (the shell leaves it out for a page whose
//!   policy allows framing); every other page keeps `frame-ancestors 'none'` and `DENY`.
//! - CSRF: inside another site's iframe the browser does not send the shell's `SameSite=Lax`
//!   CSRF cookie (and may block third-party cookies altogether), so the form carries the shell's
//!   signed form token instead (`steden_web::csrf::form_token`: bound to this path, valid a
//!   day, no cookie). The page therefore sets no cookie either.
//! - `/nieuwsbrief/beheer/insluiten`: for editors, the snippet to copy and the form as it
//!   looks framed.

use askama::Template;
use axum::http::header::{self, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use steden_web::auth::ClientAddress;
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use super::require_editor;
use super::subscribe::{language_choices, list_choices, process, request_of, ListChoice};
use crate::paths;
use crate::store::subscribers::Request;
use crate::store::{consents, embed, lists};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::EMBED, get(form_page).post(submit))
        .route(paths::EMBED_SENT, get(sent))
        .route(paths::ADMIN_EMBED, get(snippet))
}

/// The shell's policy with `frame-ancestors` set to `ancestors`.
fn policy(ancestors: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}"
    )
}

/// `response` as a page other sites may frame: its own policy, and not kept by any cache
/// (the form token in it expires).
async fn framable(state: &AppState, mut response: Response) -> Result<Response, AppError> {
    let ancestors = embed::ancestors(state.db().pool()).await?;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&policy(&ancestors)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Template)]
#[template(path = "nieuwsbrief/embed/form.html")]
struct EmbedPage {
    ctx: PageContext,
    errors: FormErrors,
    form_token: String,
    email: String,
    typed_name: String,
    languages: Vec<Choice>,
    lists: Vec<ListChoice>,
    consent: bool,
    consent_version: i64,
    consent_text: String,
}

async fn page_with(
    ctx: PageContext,
    request: &Request,
    errors: FormErrors,
) -> Result<EmbedPage, AppError> {
    let db = ctx.state().db();
    let (consent_version, consent_text) = consents::current_text(db.pool()).await?;
    let lists = list_choices(lists::list_public(db.pool()).await?, &request.lists);
    let language = if request.language.is_empty() {
        ctx.lang.code().to_string()
    } else {
        request.language.clone()
    };
    let title = ctx.t("nb-embed-title");
    Ok(EmbedPage {
        form_token: steden_web::csrf::form_token(ctx.state(), paths::EMBED, steden_db::now_ms()),
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
        lists: vec!["algemeen".into()],
        ..Request::default()
    };
    let state = ctx.state().clone();
    let page = page_with(ctx, &request, FormErrors::none()).await?;
    framable(&state, render(&page)?).await
}

async fn submit(
    ctx: PageContext,
    ClientAddress(address): ClientAddress,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let state = ctx.state().clone();
    let mut request = request_of(&fields, paths::EMBED);
    let response = match process(&ctx, &address, &mut request).await? {
        Ok(()) => Redirect::to(paths::EMBED_SENT).into_response(),
        Err(errors) => form::invalid(&page_with(ctx, &request, errors).await?)?,
    };
    framable(&state, response).await
}

#[derive(Template)]
#[template(path = "nieuwsbrief/embed/sent.html")]
struct SentPage {
    ctx: PageContext,
}

async fn sent(ctx: PageContext) -> Result<Response, AppError> {
    let state = ctx.state().clone();
    let title = ctx.t("nb-sent-title");
    let page = SentPage {
        ctx: ctx.titled(title),
    };
    framable(&state, render(&page)?).await
}

#[derive(Template)]
#[template(path = "nieuwsbrief/embed/snippet.html")]
struct SnippetPage {
    ctx: PageContext,
    snippet: String,
    ancestors: String,
    frame_title: String,
}

/// The `<iframe>` another site pastes: the form's absolute address and a title (WCAG 4.1.2:
/// a frame needs an accessible name).
pub fn snippet_html(base_url: &str, title: &str) -> String {
    let src = format!("{}{}", base_url.trim_end_matches('/'), paths::EMBED);
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
    };
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"1100\" style=\"border:0;max-width:40rem\" loading=\"lazy\"></iframe>",
        escape(&src),
        escape(title)
    )
}

async fn snippet(ctx: PageContext) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let frame_title = ctx.t("nb-embed-frame-title");
    let snippet = snippet_html(&ctx.state().config().base_url, &frame_title);
    let ancestors = embed::ancestors(ctx.state().db().pool()).await?;
    let dashboard = ctx.t("nb-admin-title");
    let title = ctx.t("nb-embed-snippet-title");
    render(&SnippetPage {
        snippet,
        ancestors,
        frame_title,
        ctx: ctx.crumb(dashboard, paths::ADMIN).titled(title),
    })
}
