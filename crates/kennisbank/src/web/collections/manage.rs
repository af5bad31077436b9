//! The editors' list of collections, and new, change and delete.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use steden_web::delete::{self, ConfirmDelete};
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::AppError;

use crate::model::{CollectionKind, PERIODS};
use crate::paths;
use crate::store::collections::{self as store, Collection, CollectionFields};

use super::shared::kind_label;
use crate::web::common::{manage_crumbs, require_editor};
use steden_web::Choice;

// ---------------------------------------------------------------------------------------------
// Editing: the list

pub(super) struct ManageRow {
    pub(super) id: String,
    pub(super) href: String,
    pub(super) title: String,
    pub(super) kind: String,
    pub(super) period: String,
    pub(super) entries: String,
}

#[derive(Template)]
#[template(path = "kennisbank/library/manage_collections.html")]
pub(super) struct ManageListPage {
    pub(super) ctx: PageContext,
    pub(super) rows: Vec<ManageRow>,
}

pub(super) async fn manage_list(ctx: PageContext) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let db = ctx.state().db();
    let counts = store::entry_counts(db.pool()).await?;
    let rows = store::list(db.pool())
        .await?
        .into_iter()
        .map(|c| ManageRow {
            href: c.href(),
            kind: kind_label(&ctx, c.kind),
            period: c.period.clone().unwrap_or_default(),
            entries: steden_core::time::format_int(
                counts
                    .iter()
                    .find(|(id, _)| *id == c.id)
                    .map_or(0, |(_, n)| *n),
            ),
            id: c.id,
            title: c.title,
        })
        .collect();
    let title = ctx.t("kb-collection-manage-title");
    render(&ManageListPage {
        ctx: manage_crumbs(ctx).titled(title),
        rows,
    })
}

// ---------------------------------------------------------------------------------------------
// Editing: new, change, delete

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CollectionForm {
    pub(super) title: String,
    pub(super) slug: String,
    pub(super) description: String,
    pub(super) kind: String,
    pub(super) period: String,
}

impl CollectionForm {
    pub(super) fn fields(&self) -> CollectionFields {
        CollectionFields {
            title: self.title.clone(),
            slug: self.slug.clone(),
            description: self.description.clone(),
            kind: self.kind.clone(),
            period: self.period.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "kennisbank/library/collection_form.html")]
pub(super) struct CollectionFormPage {
    pub(super) ctx: PageContext,
    pub(super) action: String,
    pub(super) form: CollectionForm,
    pub(super) kinds: Vec<Choice>,
    pub(super) periods: Vec<Choice>,
    pub(super) errors: FormErrors,
}

pub(super) fn form_page(
    ctx: PageContext,
    id: Option<&str>,
    form: CollectionForm,
    errors: FormErrors,
) -> CollectionFormPage {
    let kinds = Choice::list(
        CollectionKind::ALL,
        &form.kind,
        |k| k.as_str(),
        |k| kind_label(&ctx, k),
    );
    let periods = Choice::list(PERIODS, &form.period, |p| p, |p| p.to_string());
    let title = ctx.t(if id.is_some() {
        "kb-collection-edit-title"
    } else {
        "kb-collection-new-title"
    });
    let list = ctx.t("kb-collection-manage-title");
    CollectionFormPage {
        action: match id {
            Some(id) => paths::edit_collection(id),
            None => paths::NEW_COLLECTION.to_string(),
        },
        form,
        kinds,
        periods,
        errors,
        ctx: manage_crumbs(ctx)
            .crumb(list, paths::MANAGE_COLLECTIONS)
            .titled(title),
    }
}

pub(super) async fn new_form(ctx: PageContext) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let form = CollectionForm {
        kind: CollectionKind::Thematisch.as_str().to_string(),
        ..CollectionForm::default()
    };
    render(&form_page(ctx, None, form, FormErrors::none()))
}

pub(super) async fn create(
    ctx: PageContext,
    Form(form): Form<CollectionForm>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = store::create(
        &mut tx,
        &form.fields(),
        &editor.audit,
        &editor.organisation_id,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(collection) => Ok(flash::redirect_with(
            Flash::success(ctx.t("kb-collection-created")),
            &paths::collection_entries(&collection.id),
        )),
        Err(errors) => form::invalid(&form_page(ctx, None, form, errors)),
    }
}

pub(super) async fn load(ctx: &PageContext, id: &str) -> Result<Collection, AppError> {
    store::find(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) async fn edit_form(
    ctx: PageContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let collection = load(&ctx, &id).await?;
    let form = CollectionForm {
        title: collection.title,
        slug: collection.slug,
        description: collection.description_md,
        kind: collection.kind.as_str().to_string(),
        period: collection.period.unwrap_or_default(),
    };
    render(&form_page(ctx, Some(&id), form, FormErrors::none()))
}

pub(super) async fn update(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<CollectionForm>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    load(&ctx, &id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = store::update(
        &mut tx,
        &id,
        &form.fields(),
        &editor.audit,
        &editor.organisation_id,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(_) => Ok(flash::redirect_with(
            Flash::success(ctx.t("kb-collection-saved")),
            paths::MANAGE_COLLECTIONS,
        )),
        Err(errors) => form::invalid(&form_page(ctx, Some(&id), form, errors)),
    }
}

pub(super) async fn delete_form(
    ctx: PageContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let collection = load(&ctx, &id).await?;
    let confirm = ConfirmDelete {
        question: ctx.t_with(
            "kb-collection-delete-question",
            &[("title", collection.title.as_str())],
        ),
        consequences: vec![ctx.t("kb-collection-delete-keeps")],
        action: paths::delete_collection(&id),
        cancel_href: paths::MANAGE_COLLECTIONS.to_string(),
        confirm_label: ctx.t("kb-collection-delete-confirm"),
        ..ConfirmDelete::default()
    };
    let title = ctx.t("kb-collection-delete-title");
    let list = ctx.t("kb-collection-manage-title");
    let ctx = manage_crumbs(ctx)
        .crumb(list, paths::MANAGE_COLLECTIONS)
        .titled(title);
    delete::page(ctx, confirm)
}

pub(super) async fn delete(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    load(&ctx, &id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = store::delete(&mut tx, &id, &editor.audit, &editor.organisation_id).await;
    let done = Flash::success(ctx.t("kb-collection-deleted"));
    delete::finish(tx, result, done, paths::MANAGE_COLLECTIONS).await
}
