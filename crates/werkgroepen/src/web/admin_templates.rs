//! The Kenniscentrum's agenda templates (`/werkgroepen/beheer/sjablonen`, issue 13 point 3),
//! for staff: the list with the groups that use each one as their default, a form to make or
//! change one (a name and the parts, one per line: `titel | toelichting | minuten`), and
//! deletion. Deleting a template in use leaves those groups without a default (the foreign
//! key's "set null"); agendas already made keep their items. The choice of a group's default
//! is on the group's settings page ([`crate::web::group::settings`]).

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use steden_core::policy::Actor;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access;
use crate::paths;
use crate::store::agenda_templates::{self, format_parts, TemplateFields};

use super::group::{actor, audit_actor};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::AGENDA_TEMPLATES, get(list))
        .route(paths::NEW_AGENDA_TEMPLATE, get(new_form).post(create))
        .route("/werkgroepen/beheer/sjablonen/{id}", get(edit).post(update))
        .route(
            "/werkgroepen/beheer/sjablonen/{id}/verwijderen",
            post(delete),
        )
}

/// The visitor as a policy actor and the Kenniscentrum's id, when the visitor is staff.
async fn staff(ctx: &PageContext) -> Result<(Actor, String), AppError> {
    ctx.require_user()?;
    let kenniscentrum_id = access::kenniscentrum_id(ctx.state().db()).await?;
    let who = actor(ctx);
    access::require_staff(&who, &kenniscentrum_id)?;
    Ok((who, kenniscentrum_id))
}

struct Row {
    name: String,
    href: String,
    parts: usize,
    groups: String,
}

#[derive(Template)]
#[template(path = "werkgroepen/admin_templates.html")]
struct ListPage {
    ctx: PageContext,
    rows: Vec<Row>,
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    staff(&ctx).await?;
    let rows = agenda_templates::list_with_use(ctx.state().db().pool())
        .await?
        .into_iter()
        .map(|u| Row {
            href: paths::agenda_template(&u.template.id),
            parts: u.template.parts.len(),
            groups: u.groups.join(", "),
            name: u.template.name,
        })
        .collect();
    let title = ctx.t("wgt-list-title");
    let overview = ctx.t("wg-overview-title");
    render(&ListPage {
        rows,
        ctx: ctx.crumb(overview, paths::OVERVIEW).titled(title),
    })
}

#[derive(Template)]
#[template(path = "werkgroepen/admin_template_form.html")]
struct FormPage {
    ctx: PageContext,
    action: String,
    form: TemplateFields,
    errors: FormErrors,
    /// For an existing template: where to delete it, and the groups that use it.
    delete_action: Option<String>,
    groups: String,
    delete_errors: FormErrors,
}

struct Existing {
    id: String,
    groups: String,
}

fn form_page(
    ctx: PageContext,
    existing: Option<Existing>,
    form: TemplateFields,
    errors: FormErrors,
) -> FormPage {
    let title = match &existing {
        Some(_) => ctx.t_with("wgt-edit-title", &[("name", form.name.as_str())]),
        None => ctx.t("wgt-new-title"),
    };
    let list = ctx.t("wgt-list-title");
    let (action, delete_action, groups) = match existing {
        Some(e) => (
            paths::agenda_template(&e.id),
            Some(paths::agenda_template_delete(&e.id)),
            e.groups,
        ),
        None => (paths::NEW_AGENDA_TEMPLATE.to_string(), None, String::new()),
    };
    FormPage {
        action,
        form,
        errors,
        delete_action,
        groups,
        delete_errors: FormErrors::none(),
        ctx: ctx.crumb(list, paths::AGENDA_TEMPLATES).titled(title),
    }
}

async fn new_form(ctx: PageContext) -> Result<Response, AppError> {
    staff(&ctx).await?;
    render(&form_page(
        ctx,
        None,
        TemplateFields::default(),
        FormErrors::none(),
    ))
}

async fn create(ctx: PageContext, Form(form): Form<TemplateFields>) -> Result<Response, AppError> {
    let (who, kenniscentrum_id) = staff(&ctx).await?;
    let audit = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result = agenda_templates::create(&mut tx, &who, &kenniscentrum_id, &form, &audit).await;
    match form::settle(tx, result).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wgt-created")),
            paths::AGENDA_TEMPLATES,
        )),
        Err(errors) => form::invalid(&form_page(ctx, None, form, errors)),
    }
}

/// The template and the names of the groups that use it; "not found" for an unknown id.
async fn existing(ctx: &PageContext, id: &str) -> Result<(TemplateFields, Existing), AppError> {
    let found = agenda_templates::list_with_use(ctx.state().db().pool())
        .await?
        .into_iter()
        .find(|u| u.template.id == id)
        .ok_or(AppError::NotFound)?;
    let fields = TemplateFields {
        name: found.template.name.clone(),
        parts: format_parts(&found.template.parts),
    };
    Ok((
        fields,
        Existing {
            id: found.template.id,
            groups: found.groups.join(", "),
        },
    ))
}

async fn edit(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    staff(&ctx).await?;
    let (fields, found) = existing(&ctx, &id).await?;
    render(&form_page(ctx, Some(found), fields, FormErrors::none()))
}

async fn update(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<TemplateFields>,
) -> Result<Response, AppError> {
    let (who, kenniscentrum_id) = staff(&ctx).await?;
    let (_, found) = existing(&ctx, &id).await?;
    let audit = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    let result =
        agenda_templates::update(&mut tx, &who, &kenniscentrum_id, &id, &form, &audit).await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("wgt-updated")),
            paths::AGENDA_TEMPLATES,
        )),
        Err(errors) => form::invalid(&form_page(ctx, Some(found), form, errors)),
    }
}

async fn delete(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let (who, kenniscentrum_id) = staff(&ctx).await?;
    existing(&ctx, &id).await?;
    let audit = audit_actor(&ctx)?;
    let mut tx = ctx.state().db().begin().await?;
    agenda_templates::delete(&mut tx, &who, &kenniscentrum_id, &id, &audit).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("wgt-deleted")),
        paths::AGENDA_TEMPLATES,
    ))
}
