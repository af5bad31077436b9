//! The mail templates (`/nieuwsbrief/beheer/sjablonen`, design §3.2; issue 14 point 2), for
//! editors: the list, a form to make or change one (a name and the minijinja source) with a
//! preview of the example newsletter beside it. The preview comes from the server in both
//! ways: htmx posts the source while it is typed ([`preview`], a fragment), and without
//! JavaScript the form's "Voorbeeld tonen" button shows the page again with it. Saving checks
//! the source first ([`crate::render::check`]): a template that does not compile or render is
//! refused with "Het sjabloon bevat een fout op regel N, kolom M: …" and nothing is saved.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use super::mail_preview::{with_preview_policy, Preview};
use super::{audit_actor, require_editor};
use crate::paths;
use crate::render;
use crate::store::templates::{self, MailTemplate, TemplateFields};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::TEMPLATES, get(list))
        .route(paths::NEW_TEMPLATE, get(new_form).post(create))
        .route(paths::TEMPLATE_PREVIEW, post(preview))
        .route("/nieuwsbrief/beheer/sjablonen/{id}", get(edit).post(update))
}

struct Row {
    name: String,
    href: String,
    is_default: bool,
    updated: String,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/templates.html")]
struct ListPage {
    ctx: PageContext,
    rows: Vec<Row>,
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let db = ctx.state().db();
    templates::ensure_default(db).await?;
    let rows = templates::list(db.pool())
        .await?
        .into_iter()
        .map(|t| Row {
            href: paths::template(&t.id),
            updated: steden_core::time::format_datetime(t.updated_at),
            is_default: t.is_default,
            name: t.name,
        })
        .collect();
    let title = ctx.t("nb-tpl-list-title");
    render(&ListPage {
        rows,
        ctx: ctx.titled(title),
    })
}

/// What the form posts: the fields, and which button was pressed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Posted {
    name: String,
    source: String,
    /// `voorbeeld` for "Voorbeeld tonen"; anything else saves.
    action: String,
}

impl Posted {
    fn fields(&self) -> TemplateFields {
        TemplateFields {
            name: self.name.clone(),
            source: self.source.clone(),
        }
    }

    fn wants_preview(&self) -> bool {
        self.action == "voorbeeld"
    }
}

#[derive(Template)]
#[template(path = "nieuwsbrief/template_form.html")]
struct FormPage {
    ctx: PageContext,
    action: String,
    form: TemplateFields,
    errors: FormErrors,
    preview: Preview,
}

/// The example newsletter through `source`, or the Dutch reason it fails.
fn preview_of(ctx: &PageContext, source: &str) -> Result<Preview, AppError> {
    let base_url = ctx.state().config().base_url.clone();
    Ok(Preview::of(ctx, render::preview(source, &base_url))?)
}

fn form_page(
    ctx: PageContext,
    existing: Option<&str>,
    form: TemplateFields,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let preview = preview_of(&ctx, &form.source)?;
    let title = match existing {
        Some(_) => ctx.t_with("nb-tpl-edit-title", &[("name", form.name.as_str())]),
        None => ctx.t("nb-tpl-new-title"),
    };
    let list = ctx.t("nb-tpl-list-title");
    let page = FormPage {
        action: existing
            .map(paths::template)
            .unwrap_or_else(|| paths::NEW_TEMPLATE.to_string()),
        form,
        preview,
        ctx: ctx.crumb(list, paths::TEMPLATES).titled(title),
        errors: errors.clone(),
    };
    let response = if errors.is_empty() {
        render(&page)
    } else {
        form::invalid(&page)
    };
    Ok(with_preview_policy(response.into_response()))
}

async fn new_form(ctx: PageContext) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let form = TemplateFields {
        name: String::new(),
        source: render::DEFAULT_SOURCE.to_string(),
    };
    form_page(ctx, None, form, FormErrors::none())
}

/// Saves (create or update) unless the preview was asked for; a refused save shows the form
/// again with the message and the preview (or the error) of what was typed.
async fn save(
    ctx: PageContext,
    existing: Option<String>,
    posted: Posted,
) -> Result<Response, AppError> {
    let fields = posted.fields();
    if posted.wants_preview() {
        return form_page(ctx, existing.as_deref(), fields, FormErrors::none());
    }
    let audit = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = match &existing {
        Some(id) => templates::update(&mut tx, id, &fields, &audit).await,
        None => templates::create(&mut tx, &fields, &audit)
            .await
            .map(|_| ()),
    };
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("nb-tpl-saved")),
            paths::TEMPLATES,
        )),
        Err(errors) => form_page(ctx, existing.as_deref(), fields, errors),
    }
}

async fn create(ctx: PageContext, Form(posted): Form<Posted>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    save(ctx, None, posted).await
}

async fn existing(ctx: &PageContext, id: &str) -> Result<MailTemplate, AppError> {
    templates::find(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn edit(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let found = existing(&ctx, &id).await?;
    let form = TemplateFields {
        name: found.name,
        source: found.source,
    };
    form_page(ctx, Some(&id), form, FormErrors::none())
}

async fn update(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(posted): Form<Posted>,
) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    existing(&ctx, &id).await?;
    save(ctx, Some(id), posted).await
}

#[derive(Template)]
#[template(path = "nieuwsbrief/template_preview.html")]
struct PreviewFragment {
    preview: Preview,
}

/// htmx: the preview of the source being typed (the fragment that replaces the preview panel).
async fn preview(ctx: PageContext, Form(posted): Form<Posted>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let fragment = PreviewFragment {
        preview: preview_of(&ctx, &posted.source)?,
    };
    Ok(with_preview_policy(render(&fragment).into_response()))
}
