//! Deleting something: a page that asks first (GET), and the end of the deletion (POST).
//!
//! Every "verwijderen" of the platform works the same way, without JavaScript: a link leads to
//! a page that says what will be deleted and what that takes along, with a red button that
//! posts the form (CSRF-protected) and a way back. The POST handler checks permission, deletes
//! in a transaction with the audit entry, and ends with [`finish`]:
//!
//! ```text
//! async fn delete_form(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
//!     let term = load(&ctx, &id).await?;
//!     let title = ctx.t("kb-glossary-delete-title");
//!     delete::page(ctx.titled(title), ConfirmDelete {
//!         question: ctx.t_with("kb-glossary-delete-question", [("term", term.term.as_str())]),
//!         action: format!("/beheer/kennisbank/begrippen/{id}/verwijderen"),
//!         cancel_href: "/beheer/kennisbank/begrippen".into(),
//!         ..ConfirmDelete::default()
//!     })
//! }
//!
//! async fn delete(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
//!     let mut tx = ctx.state().db().begin().await?;
//!     let result = store::delete(&mut tx, &id, &audit).await;
//!     delete::finish(tx, result, Flash::success(ctx.t("kb-glossary-deleted")), "/beheer/…").await
//! }
//! ```
//!
//! A page with navigation of its own (a plan's tabs) includes the question with the macro in
//! `partials/confirm_delete.html` instead of [`page`].

use askama::Template;
use axum::response::Response;
use steden_core::CoreResult;

use crate::error::AppError;
use crate::flash::{self, Flash};
use crate::page::{render, PageContext};

/// What the confirmation page says and where its buttons lead.
#[derive(Debug, Clone, Default)]
pub struct ConfirmDelete {
    /// The question, naming what will be deleted ("Het begrip ‘Datakwaliteit’ verwijderen?").
    pub question: String,
    /// What else the deletion takes along or leaves alone, one paragraph each.
    pub consequences: Vec<String>,
    /// Places where the thing is used (label, address), listed under the consequences.
    pub used_in: Vec<(String, String)>,
    /// Where the form posts to.
    pub action: String,
    /// Where "Annuleren" leads (the thing's own page).
    pub cancel_href: String,
    /// The button's text; empty for the shell's "Definitief verwijderen".
    pub confirm_label: String,
}

#[derive(Template)]
#[template(path = "confirm_delete.html")]
struct ConfirmDeletePage {
    ctx: PageContext,
    confirm: ConfirmDelete,
}

/// The confirmation page. Set the page title (`ctx.titled`) and crumbs before.
pub fn page(ctx: PageContext, confirm: ConfirmDelete) -> Result<Response, AppError> {
    render(&ConfirmDeletePage { ctx, confirm })
}

/// Ends a deletion: commits and redirects to `to` with `done` when the store succeeded; rolls
/// back and shows the error page otherwise (a deletion has no form to correct: a refusal, such
/// as "still in use", is a conflict the page states).
pub async fn finish(
    tx: steden_db::Tx<'_>,
    result: CoreResult<()>,
    done: Flash,
    to: &str,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => {
            tx.commit().await?;
            Ok(flash::redirect_with(done, to))
        }
        Err(err) => {
            tx.rollback().await?;
            Err(err.into())
        }
    }
}
