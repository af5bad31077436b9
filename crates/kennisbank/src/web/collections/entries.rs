//! The editors' page of a collection's documents: add, change, move and remove entries.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use steden_web::delete;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::AppError;

use crate::model::{CollectionKind, EvaluationStatus};
use crate::paths;
use crate::store::collections::{
    self as store, Collection, Direction, DocumentChoice, EntryFields,
};

use super::manage::load;
use super::shared::doc_type_label;
use crate::web::common::{manage_crumbs, require_editor};
use steden_core::time::show_optional_date;
use steden_web::Choice;

// ---------------------------------------------------------------------------------------------
// Editing: the documents of a collection

/// What an editor typed for an entry (adding one or changing one).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EntryForm {
    pub(super) document_id: String,
    pub(super) section: String,
    pub(super) evaluation_status: String,
    pub(super) action_points: String,
}

impl EntryForm {
    pub(super) fn fields(&self) -> EntryFields {
        EntryFields {
            section: self.section.clone(),
            evaluation_status: self.evaluation_status.clone(),
            action_points: self.action_points.clone(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EntriesQuery {
    /// Text to find documents to add by title.
    pub(super) zoek: String,
}

/// One entry on the editing page, with what the editor typed when its save failed.
pub(super) struct EntryRow {
    pub(super) id: String,
    pub(super) href: String,
    pub(super) title: String,
    pub(super) doc_type: String,
    pub(super) date: String,
    pub(super) section: String,
    pub(super) action_points: String,
    pub(super) statuses: Vec<Choice>,
    pub(super) first: bool,
    pub(super) last: bool,
    /// Messages of a failed save of this row, next to their fields.
    pub(super) section_error: Option<String>,
    pub(super) status_error: Option<String>,
    pub(super) actions_error: Option<String>,
}

#[derive(Template)]
#[template(path = "kennisbank/library/collection_documents.html")]
pub(super) struct EntriesPage {
    pub(super) ctx: PageContext,
    pub(super) collection: Collection,
    pub(super) rows: Vec<EntryRow>,
    /// Documents that can be added (matching `search`).
    pub(super) choices: Vec<DocumentChoice>,
    pub(super) search: String,
    /// The add form as typed (after an error).
    pub(super) add: EntryForm,
    pub(super) add_statuses: Vec<Choice>,
    pub(super) errors: FormErrors,
    pub(super) thematic: bool,
    /// Archives: the documents of the period are listed anyway (said on the page).
    pub(super) period_note: String,
}

impl EntriesPage {
    pub(super) fn choice_label(&self, choice: &DocumentChoice) -> String {
        let date = show_optional_date(choice.doc_date.as_deref());
        if date.is_empty() {
            format!("{} ({})", choice.title, doc_type_label(&choice.doc_type))
        } else {
            format!(
                "{} ({}, {date})",
                choice.title,
                doc_type_label(&choice.doc_type)
            )
        }
    }
}

pub(super) fn status_choices(ctx: &PageContext, current: &str) -> Vec<Choice> {
    let mut choices = vec![Choice::none(ctx.t("kb-collection-status-none"), current)];
    choices.extend(Choice::list(
        EvaluationStatus::ALL,
        current,
        |s| s.as_str(),
        |s| ctx.t(&format!("kb-collection-status-{}", s.as_str())),
    ));
    choices
}

/// Most documents offered in the add form at once (a search narrows them).
pub(super) const CHOICES: usize = 200;

/// The editing page of a collection's documents. `failed` is the row (document id) whose
/// save failed, with what was typed, or the add form's input.
pub(super) async fn entries_view(
    ctx: PageContext,
    collection: Collection,
    search: String,
    failed: Option<(&str, &EntryForm)>,
    add: EntryForm,
    errors: FormErrors,
) -> Result<EntriesPage, AppError> {
    let db = ctx.state().db();
    let docs = store::entries(db.pool(), &collection.id).await?;
    let count = docs.len();
    let rows = docs
        .into_iter()
        .enumerate()
        .map(|(i, doc)| {
            let place = doc.entry.clone();
            let typed = failed.filter(|(id, _)| *id == doc.id).map(|(_, f)| f);
            let (section, status, action_points) = match typed {
                Some(f) => (
                    f.section.clone(),
                    f.evaluation_status.clone(),
                    f.action_points.clone(),
                ),
                None => place.map_or_else(Default::default, |p| {
                    (
                        p.section,
                        p.evaluation_status
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_default(),
                        p.action_points,
                    )
                }),
            };
            let error = |field: &str| {
                errors
                    .error_for(&format!("{field}-{}", doc.id))
                    .map(str::to_string)
            };
            EntryRow {
                section_error: error("section"),
                status_error: error("evaluation_status"),
                actions_error: error("action_points"),
                href: doc.href(),
                doc_type: doc_type_label(&doc.doc_type),
                date: show_optional_date(doc.doc_date.as_deref()),
                statuses: status_choices(&ctx, &status),
                id: doc.id,
                title: doc.title,
                section,
                action_points,
                first: i == 0,
                last: i + 1 == count,
            }
        })
        .collect();
    let choices = store::addable_documents(db.pool(), &collection.id, &search, CHOICES).await?;
    let period_note = match (&collection.kind, &collection.period) {
        (CollectionKind::Archief, Some(period)) => {
            ctx.t_with("kb-collection-archive-note", &[("period", period.as_str())])
        }
        _ => String::new(),
    };
    let title = ctx.t_with(
        "kb-collection-documents-title",
        &[("title", collection.title.as_str())],
    );
    let list = ctx.t("kb-collection-manage-title");
    Ok(EntriesPage {
        add_statuses: status_choices(&ctx, &add.evaluation_status),
        ctx: manage_crumbs(ctx)
            .crumb(list, paths::MANAGE_COLLECTIONS)
            .titled(title),
        thematic: collection.kind == CollectionKind::Thematisch,
        collection,
        rows,
        choices,
        search,
        add,
        errors,
        period_note,
    })
}

pub(super) async fn entries_page(
    ctx: PageContext,
    Path(id): Path<String>,
    Query(query): Query<EntriesQuery>,
) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let collection = load(&ctx, &id).await?;
    let page = entries_view(
        ctx,
        collection,
        query.zoek.trim().to_string(),
        None,
        EntryForm::default(),
        FormErrors::none(),
    )
    .await?;
    render(&page)
}

pub(super) async fn add_entry(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let collection = load(&ctx, &id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = store::add_entry(
        &mut tx,
        &id,
        form.document_id.trim(),
        &form.fields(),
        &editor.audit,
        &editor.organisation_id,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("kb-collection-entry-added")),
            &paths::collection_entries(&id),
        )),
        Err(errors) => {
            let page = entries_view(ctx, collection, String::new(), None, form, errors).await?;
            form::invalid(&page)
        }
    }
}

pub(super) async fn update_entry(
    ctx: PageContext,
    Path((id, doc)): Path<(String, String)>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let collection = load(&ctx, &id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result = store::update_entry(
        &mut tx,
        &id,
        &doc,
        &form.fields(),
        &editor.audit,
        &editor.organisation_id,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(()) => Ok(flash::redirect_with(
            Flash::success(ctx.t("kb-collection-entry-saved")),
            &format!("{}#entry-{doc}", paths::collection_entries(&id)),
        )),
        Err(errors) => {
            let page = entries_view(
                ctx,
                collection,
                String::new(),
                Some((&doc, &form)),
                EntryForm::default(),
                errors,
            )
            .await?;
            form::invalid(&page)
        }
    }
}

pub(super) async fn move_entry(
    ctx: PageContext,
    id: String,
    doc: String,
    direction: Direction,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    load(&ctx, &id).await?;
    let mut tx = ctx.state().db().begin().await?;
    store::move_entry(
        &mut tx,
        &id,
        &doc,
        direction,
        &editor.audit,
        &editor.organisation_id,
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("kb-collection-entry-moved")),
        &format!("{}#entry-{doc}", paths::collection_entries(&id)),
    ))
}

pub(super) async fn move_up(
    ctx: PageContext,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response, AppError> {
    move_entry(ctx, id, doc, Direction::Up).await
}

pub(super) async fn move_down(
    ctx: PageContext,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response, AppError> {
    move_entry(ctx, id, doc, Direction::Down).await
}

pub(super) async fn remove_entry(
    ctx: PageContext,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    load(&ctx, &id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let result =
        store::remove_entry(&mut tx, &id, &doc, &editor.audit, &editor.organisation_id).await;
    let done = Flash::success(ctx.t("kb-collection-entry-removed"));
    delete::finish(tx, result, done, &paths::collection_entries(&id)).await
}
