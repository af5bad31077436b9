//! Deleting a document, after the shell's confirmation page.

use axum::extract::Path;
use axum::response::Response;
use steden_web::delete::{self, ConfirmDelete};
use steden_web::flash::Flash;
use steden_web::page::PageContext;
use steden_web::AppError;

use crate::paths;
use crate::store::documents;
use crate::web::common::require_editor;

use super::shared::{editor_crumbs, LIST_HREF};

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
    let mut consequences = vec![ctx.t("kb-doc-delete-warning")];
    if !collections.is_empty() {
        consequences.push(ctx.t("kb-doc-delete-in-collections"));
    }
    let confirm = ConfirmDelete {
        question: ctx.t_with("kb-doc-delete-question", &[("title", &doc.title)]),
        consequences,
        used_in: collections
            .iter()
            .map(|c| (c.title.clone(), c.href()))
            .collect(),
        action: paths::delete_document(&id),
        cancel_href: doc.edit_href(),
        confirm_label: ctx.t("kb-doc-delete-confirm"),
    };
    let title = ctx.t_with("kb-doc-delete-title", &[("title", &doc.title)]);
    let ctx = editor_crumbs(ctx)
        .crumb(doc.title.clone(), doc.edit_href())
        .titled(title);
    delete::page(ctx, confirm)
}

/// The POST of the confirmation page: the CSRF-protected form is the confirmation, as for every
/// deletion of the platform.
pub(super) async fn delete(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = documents::delete(&mut tx, &id, &editor.audit).await;
    let title = result
        .as_ref()
        .map(|doc| doc.title.clone())
        .unwrap_or_default();
    let done = Flash::success(ctx.t_with("kb-doc-deleted", &[("title", &title)]));
    delete::finish(tx, result.map(|_| ()), done, LIST_HREF).await
}
