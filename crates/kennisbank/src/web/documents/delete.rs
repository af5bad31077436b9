//! Deleting a document, after a confirmation.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::page::{render, PageContext};
use steden_web::AppError;

use crate::store::documents::{self, CollectionRef, Document};
use crate::web::common::require_editor;

use super::shared::{editor_crumbs, LIST_HREF};

// ---------------------------------------------------------------------------------------------
// Delete
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "kennisbank/documents/delete.html")]
pub(super) struct DeletePage {
    pub(super) ctx: PageContext,
    pub(super) doc: Document,
    pub(super) collections: Vec<CollectionRef>,
}

pub(super) async fn confirm_delete(
    ctx: PageContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let db = ctx.state().db();
    let doc = documents::find(db.pool(), &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let collections = documents::collections_of(db.pool(), &id).await?;
    let title = ctx.t_with("kb-doc-delete-title", &[("title", &doc.title)]);
    let doc_title = doc.title.clone();
    let edit = doc.edit_href();
    render(&DeletePage {
        ctx: editor_crumbs(ctx).crumb(doc_title, edit).titled(title),
        doc,
        collections,
    })
}

#[derive(Deserialize)]
pub(super) struct DeleteForm {
    #[serde(default)]
    pub(super) confirm: String,
}

pub(super) async fn delete(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    if form.confirm != "ja" {
        return Ok(flash::redirect_with(
            Flash::warning(ctx.t("kb-doc-delete-unconfirmed")),
            &format!("{LIST_HREF}/{id}/verwijderen"),
        ));
    }
    let db = ctx.state().db().clone();
    let mut tx = db.begin().await?;
    let doc = documents::delete(&mut tx, &id, &editor.audit).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t_with("kb-doc-deleted", &[("title", &doc.title)])),
        LIST_HREF,
    ))
}
