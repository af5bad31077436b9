//! Collections: the public pages `/kennisbank/collecties` and `/kennisbank/collecties/{slug}`,
//! and the editors' pages under `/beheer/kennisbank/collecties`.
//!
//! A collection page lists only the documents the reader may open ([`Reader::may_open`]);
//! hidden documents are not counted either, so a count never betrays that something is there.
//! A thematic library groups its entries by section (theme) with their evaluation status (word
//! and icon, never colour alone) and action points; a publication is a reading list in the
//! editor's order; an archive lists every document of its programme period plus the curated
//! entries, by type or by year.
//!
//! Every write is for editors only ([`require_editor`]) and runs in one transaction with an
//! audit entry; bad input re-renders the form with Dutch messages (422) and writes nothing.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access::Reader;
use crate::markdown;
use crate::model::{CollectionKind, DocType, EvaluationStatus, PERIODS};
use crate::store::collections::{
    self as store, Collection, CollectionDocument, CollectionFields, Direction, DocumentChoice,
    EntryFields,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/kennisbank/collecties", get(public_list))
        .route("/kennisbank/collecties/{slug}", get(public_show))
        .route("/beheer/kennisbank/collecties", get(manage_list))
        .route(
            "/beheer/kennisbank/collecties/nieuw",
            get(new_form).post(create),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/bewerken",
            get(edit_form).post(update),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/verwijderen",
            get(delete_form).post(delete),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/documenten",
            get(entries_page),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/documenten/toevoegen",
            post(add_entry),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/documenten/{doc}/wijzigen",
            post(update_entry),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/documenten/{doc}/omhoog",
            post(move_up),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/documenten/{doc}/omlaag",
            post(move_down),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/documenten/{doc}/verwijderen",
            post(remove_entry),
        )
}

// ---------------------------------------------------------------------------------------------
// Shared with the glossary's pages

pub(crate) use super::{actor_of, is_editor, require_editor};

/// Adds the "Site beheren" breadcrumb of the editors' pages.
pub(crate) fn manage_crumbs(ctx: PageContext) -> PageContext {
    let label = ctx.t("kb-library-manage-crumb");
    ctx.crumb(label, "/beheer/site")
}

/// A value of a select, with its label and whether it is chosen.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A stored 'YYYY-MM-DD' date the Belgian way (dd/mm/jjjj).
pub(crate) fn show_date(date: Option<&str>) -> String {
    match date {
        Some(d) => match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(day) => day.format("%d/%m/%Y").to_string(),
            Err(_) => d.to_string(),
        },
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Labels

fn kind_label(ctx: &PageContext, kind: CollectionKind) -> String {
    ctx.t(&format!("kb-collection-kind-{}", kind.as_str()))
}

fn kind_heading(ctx: &PageContext, kind: CollectionKind) -> String {
    ctx.t(&format!("kb-collection-group-{}", kind.as_str()))
}

fn doc_type_label(doc_type: &str) -> String {
    DocType::parse(doc_type).map_or_else(|| doc_type.to_string(), |t| t.label().to_string())
}

/// An evaluation status as shown: a word, an icon and a badge style (colour is extra).
struct StatusView {
    label: String,
    icon: &'static str,
    class: &'static str,
}

fn status_view(ctx: &PageContext, status: Option<EvaluationStatus>) -> StatusView {
    match status {
        None => StatusView {
            label: ctx.t("kb-collection-status-none"),
            icon: "info",
            class: "badge-neutral",
        },
        Some(s) => StatusView {
            label: ctx.t(&format!("kb-collection-status-{}", s.as_str())),
            icon: match s {
                EvaluationStatus::TeEvalueren => "circle",
                EvaluationStatus::InEvaluatie => "clock",
                EvaluationStatus::Geevalueerd => "check",
                EvaluationStatus::Goedgekeurd => "success",
            },
            class: match s {
                EvaluationStatus::TeEvalueren => "badge-neutral",
                EvaluationStatus::InEvaluatie => "badge-warning",
                EvaluationStatus::Geevalueerd => "badge-info",
                EvaluationStatus::Goedgekeurd => "badge-success",
            },
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Public: the list of collections

struct CollectionCard {
    href: String,
    title: String,
    summary: String,
    period: String,
    count: String,
}

struct KindGroup {
    heading: String,
    cards: Vec<CollectionCard>,
}

#[derive(Template)]
#[template(path = "kennisbank/library/collections.html")]
struct PublicListPage {
    ctx: PageContext,
    groups: Vec<KindGroup>,
    editor: bool,
}

/// The documents of `collection` that `reader` may open.
async fn visible_documents(
    ctx: &PageContext,
    reader: &Reader,
    collection: &Collection,
) -> Result<Vec<CollectionDocument>, AppError> {
    let docs = store::documents(ctx.state().db(), collection).await?;
    Ok(docs
        .into_iter()
        .filter(|d| reader.may_open(&d.access))
        .collect())
}

fn count_text(ctx: &PageContext, n: usize) -> String {
    ctx.t_with(
        "kb-collection-count",
        &[("count", steden_core::time::format_int(n as i64).as_str())],
    )
}

async fn public_list(ctx: PageContext) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    let reader = Reader::of(&db, &actor_of(&ctx)).await?;
    let mut groups: Vec<KindGroup> = Vec::new();
    for collection in store::list(&db).await? {
        let count = visible_documents(&ctx, &reader, &collection).await?.len();
        let card = CollectionCard {
            href: collection.href(),
            summary: markdown::to_plain_text(&collection.description_md, 200),
            period: collection.period.clone().unwrap_or_default(),
            count: count_text(&ctx, count),
            title: collection.title,
        };
        let heading = kind_heading(&ctx, collection.kind);
        match groups.iter_mut().find(|g| g.heading == heading) {
            Some(group) => group.cards.push(card),
            None => groups.push(KindGroup {
                heading,
                cards: vec![card],
            }),
        }
    }
    let editor = is_editor(&ctx).await?;
    let title = ctx.t("kb-collection-list-title");
    let library = ctx.t("kb-library-crumb");
    let mut ctx = ctx.crumb(library, "/kennisbank").titled(title);
    ctx.description = ctx.t("kb-collection-list-description");
    render(&PublicListPage {
        ctx,
        groups,
        editor,
    })
}

// ---------------------------------------------------------------------------------------------
// Public: one collection

/// One document in a collection's list.
struct DocRow {
    href: String,
    title: String,
    summary: String,
    doc_type: String,
    date: String,
    status: StatusView,
    action_points: String,
}

/// Documents under one heading (a theme, a part, a type or a year).
struct Group {
    heading: String,
    anchor: String,
    rows: Vec<DocRow>,
}

/// One line of the overview of a thematic library.
struct StatusCount {
    view: StatusView,
    count: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShowQuery {
    /// Archives: "jaar" groups by year, anything else by type.
    indeling: String,
}

#[derive(Template)]
#[template(path = "kennisbank/library/collection.html")]
struct PublicShowPage {
    ctx: PageContext,
    collection: Collection,
    kind_label: String,
    description_html: String,
    groups: Vec<Group>,
    /// Thematic libraries: documents per evaluation status.
    status_counts: Vec<StatusCount>,
    total: usize,
    /// Archives: grouped by year instead of type.
    by_year: bool,
    editor: bool,
}

impl PublicShowPage {
    fn is_thematic(&self) -> bool {
        self.collection.kind == CollectionKind::Thematisch
    }

    fn is_archive(&self) -> bool {
        self.collection.kind == CollectionKind::Archief
    }
}

fn doc_row(ctx: &PageContext, doc: &CollectionDocument) -> DocRow {
    let status = doc.entry.as_ref().and_then(|e| e.evaluation_status);
    DocRow {
        href: doc.href(),
        title: doc.title.clone(),
        summary: doc.summary.clone(),
        doc_type: doc_type_label(&doc.doc_type),
        date: show_date(doc.doc_date.as_deref()),
        status: status_view(ctx, status),
        action_points: doc
            .entry
            .as_ref()
            .map(|e| e.action_points.clone())
            .unwrap_or_default(),
    }
}

/// Groups documents by a heading, keeping the order in which headings first appear.
fn group_by(
    ctx: &PageContext,
    docs: &[CollectionDocument],
    heading_of: impl Fn(&CollectionDocument) -> String,
) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for doc in docs {
        let heading = heading_of(doc);
        let row = doc_row(ctx, doc);
        match groups.iter_mut().find(|g| g.heading == heading) {
            Some(group) => group.rows.push(row),
            None => groups.push(Group {
                anchor: format!("deel-{}", crate::model::slugify(&heading)),
                heading,
                rows: vec![row],
            }),
        }
    }
    groups
}

async fn public_show(
    ctx: PageContext,
    Path(slug): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    let collection = store::find_by_slug(db.pool(), &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let reader = Reader::of(&db, &actor_of(&ctx)).await?;
    let docs = visible_documents(&ctx, &reader, &collection).await?;
    let by_year = query.indeling == "jaar";
    let no_section = ctx.t("kb-collection-section-none");
    let (groups, status_counts) = match collection.kind {
        CollectionKind::Thematisch => {
            let groups = group_by(&ctx, &docs, |d| {
                d.entry
                    .as_ref()
                    .map(|e| e.section.clone())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| no_section.clone())
            });
            let mut counts: Vec<StatusCount> = Vec::new();
            let statuses: Vec<Option<EvaluationStatus>> = EvaluationStatus::ALL
                .iter()
                .copied()
                .map(Some)
                .chain([None])
                .collect();
            for status in statuses {
                let count = docs
                    .iter()
                    .filter(|d| d.entry.as_ref().and_then(|e| e.evaluation_status) == status)
                    .count();
                // Every status is listed (a zero says something too); "no status" only when
                // it occurs.
                if status.is_some() || count > 0 {
                    counts.push(StatusCount {
                        view: status_view(&ctx, status),
                        count,
                    });
                }
            }
            (groups, counts)
        }
        CollectionKind::Publicatie => {
            // One reading list; a part heading appears where the editor gave one.
            let groups = group_by(&ctx, &docs, |d| {
                d.entry
                    .as_ref()
                    .map(|e| e.section.clone())
                    .unwrap_or_default()
            });
            (groups, Vec::new())
        }
        CollectionKind::Archief => {
            let mut sorted = docs.clone();
            // Newest first within each group; the groups in type order or newest year first.
            sorted.sort_by(|a, b| b.doc_date.cmp(&a.doc_date).then(a.title.cmp(&b.title)));
            let groups = if by_year {
                let unknown = ctx.t("kb-collection-year-unknown");
                group_by(&ctx, &sorted, |d| {
                    d.doc_date
                        .as_deref()
                        .and_then(|date| date.get(..4))
                        .map_or_else(|| unknown.clone(), str::to_string)
                })
            } else {
                let mut by_type: BTreeMap<usize, Vec<CollectionDocument>> = BTreeMap::new();
                for doc in sorted {
                    let order = DocType::ALL
                        .iter()
                        .position(|t| t.as_str() == doc.doc_type)
                        .unwrap_or(DocType::ALL.len());
                    by_type.entry(order).or_default().push(doc);
                }
                let ordered: Vec<CollectionDocument> = by_type.into_values().flatten().collect();
                group_by(&ctx, &ordered, |d| doc_type_label(&d.doc_type))
            };
            (groups, Vec::new())
        }
    };
    let editor = is_editor(&ctx).await?;
    let kind = kind_label(&ctx, collection.kind);
    let library = ctx.t("kb-library-crumb");
    let collections = ctx.t("kb-collection-list-title");
    let mut ctx = ctx
        .crumb(library, "/kennisbank")
        .crumb(collections, "/kennisbank/collecties")
        .titled(collection.title.clone());
    ctx.description = markdown::to_plain_text(&collection.description_md, 160);
    render(&PublicShowPage {
        ctx,
        kind_label: kind,
        // The page has one h1 (the title): a heading 1 in the description becomes a 2.
        description_html: markdown::to_html(&collection.description_md)
            .replace("<h1", "<h2")
            .replace("</h1>", "</h2>"),
        total: docs.len(),
        groups,
        status_counts,
        by_year,
        editor,
        collection,
    })
}

// ---------------------------------------------------------------------------------------------
// Editing: the list

struct ManageRow {
    id: String,
    href: String,
    title: String,
    kind: String,
    period: String,
    entries: String,
}

#[derive(Template)]
#[template(path = "kennisbank/library/manage_collections.html")]
struct ManageListPage {
    ctx: PageContext,
    rows: Vec<ManageRow>,
}

async fn manage_list(ctx: PageContext) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let db = ctx.state().db();
    let counts = store::entry_counts(db).await?;
    let rows = store::list(db)
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
struct CollectionForm {
    title: String,
    slug: String,
    description: String,
    kind: String,
    period: String,
}

impl CollectionForm {
    fn fields(&self) -> CollectionFields {
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
struct CollectionFormPage {
    ctx: PageContext,
    action: String,
    form: CollectionForm,
    kinds: Vec<Choice>,
    periods: Vec<Choice>,
    errors: FormErrors,
}

fn form_page(
    ctx: PageContext,
    id: Option<&str>,
    form: CollectionForm,
    errors: FormErrors,
) -> CollectionFormPage {
    let kinds = CollectionKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.as_str().to_string(),
            label: kind_label(&ctx, *k),
            selected: k.as_str() == form.kind,
        })
        .collect();
    let periods = PERIODS
        .iter()
        .map(|p| Choice {
            value: p.to_string(),
            label: p.to_string(),
            selected: *p == form.period,
        })
        .collect();
    let title = ctx.t(if id.is_some() {
        "kb-collection-edit-title"
    } else {
        "kb-collection-new-title"
    });
    let list = ctx.t("kb-collection-manage-title");
    CollectionFormPage {
        action: match id {
            Some(id) => format!("/beheer/kennisbank/collecties/{id}/bewerken"),
            None => "/beheer/kennisbank/collecties/nieuw".to_string(),
        },
        form,
        kinds,
        periods,
        errors,
        ctx: manage_crumbs(ctx)
            .crumb(list, "/beheer/kennisbank/collecties")
            .titled(title),
    }
}

async fn new_form(ctx: PageContext) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let form = CollectionForm {
        kind: CollectionKind::Thematisch.as_str().to_string(),
        ..CollectionForm::default()
    };
    render(&form_page(ctx, None, form, FormErrors::none()))
}

async fn create(ctx: PageContext, Form(form): Form<CollectionForm>) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let mut tx = ctx.state().db().begin().await?;
    match store::create(
        &mut tx,
        &form.fields(),
        &editor.audit,
        &editor.organisation_id,
    )
    .await
    {
        Ok(collection) => {
            tx.commit().await?;
            Ok(flash::redirect_with(
                Flash::success(ctx.t("kb-collection-created")),
                &format!("/beheer/kennisbank/collecties/{}/documenten", collection.id),
            ))
        }
        Err(err) => {
            drop(tx);
            let errors = FormErrors::from_core(err)?;
            form::invalid(&form_page(ctx, None, form, errors))
        }
    }
}

async fn load(ctx: &PageContext, id: &str) -> Result<Collection, AppError> {
    store::find(ctx.state().db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn edit_form(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
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

async fn update(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<CollectionForm>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    load(&ctx, &id).await?;
    let mut tx = ctx.state().db().begin().await?;
    match store::update(
        &mut tx,
        &id,
        &form.fields(),
        &editor.audit,
        &editor.organisation_id,
    )
    .await
    {
        Ok(_) => {
            tx.commit().await?;
            Ok(flash::redirect_with(
                Flash::success(ctx.t("kb-collection-saved")),
                "/beheer/kennisbank/collecties",
            ))
        }
        Err(err) => {
            drop(tx);
            let errors = FormErrors::from_core(err)?;
            form::invalid(&form_page(ctx, Some(&id), form, errors))
        }
    }
}

#[derive(Template)]
#[template(path = "kennisbank/library/collection_delete.html")]
struct DeletePage {
    ctx: PageContext,
    collection: Collection,
}

async fn delete_form(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let collection = load(&ctx, &id).await?;
    let title = ctx.t("kb-collection-delete-title");
    let list = ctx.t("kb-collection-manage-title");
    render(&DeletePage {
        ctx: manage_crumbs(ctx)
            .crumb(list, "/beheer/kennisbank/collecties")
            .titled(title),
        collection,
    })
}

async fn delete(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    load(&ctx, &id).await?;
    let mut tx = ctx.state().db().begin().await?;
    store::delete(&mut tx, &id, &editor.audit, &editor.organisation_id).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("kb-collection-deleted")),
        "/beheer/kennisbank/collecties",
    ))
}

// ---------------------------------------------------------------------------------------------
// Editing: the documents of a collection

/// What an editor typed for an entry (adding one or changing one).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EntryForm {
    document_id: String,
    section: String,
    evaluation_status: String,
    action_points: String,
}

impl EntryForm {
    fn fields(&self) -> EntryFields {
        EntryFields {
            section: self.section.clone(),
            evaluation_status: self.evaluation_status.clone(),
            action_points: self.action_points.clone(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EntriesQuery {
    /// Text to find documents to add by title.
    zoek: String,
}

/// One entry on the editing page, with what the editor typed when its save failed.
struct EntryRow {
    id: String,
    href: String,
    title: String,
    doc_type: String,
    date: String,
    section: String,
    action_points: String,
    statuses: Vec<Choice>,
    first: bool,
    last: bool,
    /// Messages of a failed save of this row, next to their fields.
    section_error: Option<String>,
    status_error: Option<String>,
    actions_error: Option<String>,
}

#[derive(Template)]
#[template(path = "kennisbank/library/collection_documents.html")]
struct EntriesPage {
    ctx: PageContext,
    collection: Collection,
    rows: Vec<EntryRow>,
    /// Documents that can be added (matching `search`).
    choices: Vec<DocumentChoice>,
    search: String,
    /// The add form as typed (after an error).
    add: EntryForm,
    add_statuses: Vec<Choice>,
    errors: FormErrors,
    thematic: bool,
    /// Archives: the documents of the period are listed anyway (said on the page).
    period_note: String,
}

impl EntriesPage {
    fn choice_label(&self, choice: &DocumentChoice) -> String {
        let date = show_date(choice.doc_date.as_deref());
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

fn status_choices(ctx: &PageContext, current: &str) -> Vec<Choice> {
    std::iter::once(Choice {
        value: String::new(),
        label: ctx.t("kb-collection-status-none"),
        selected: current.is_empty(),
    })
    .chain(EvaluationStatus::ALL.iter().map(|s| Choice {
        value: s.as_str().to_string(),
        label: ctx.t(&format!("kb-collection-status-{}", s.as_str())),
        selected: s.as_str() == current,
    }))
    .collect()
}

/// Most documents offered in the add form at once (a search narrows them).
const CHOICES: usize = 200;

/// The editing page of a collection's documents. `failed` is the row (document id) whose
/// save failed, with what was typed, or the add form's input.
async fn entries_view(
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
                date: show_date(doc.doc_date.as_deref()),
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
    let choices = store::addable_documents(db, &collection.id, &search, CHOICES).await?;
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
            .crumb(list, "/beheer/kennisbank/collecties")
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

async fn entries_page(
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

fn entries_path(id: &str) -> String {
    format!("/beheer/kennisbank/collecties/{id}/documenten")
}

async fn add_entry(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let collection = load(&ctx, &id).await?;
    let mut tx = ctx.state().db().begin().await?;
    match store::add_entry(
        &mut tx,
        &id,
        form.document_id.trim(),
        &form.fields(),
        &editor.audit,
        &editor.organisation_id,
    )
    .await
    {
        Ok(()) => {
            tx.commit().await?;
            Ok(flash::redirect_with(
                Flash::success(ctx.t("kb-collection-entry-added")),
                &entries_path(&id),
            ))
        }
        Err(err) => {
            drop(tx);
            let errors = FormErrors::from_core(err)?;
            let page = entries_view(ctx, collection, String::new(), None, form, errors).await?;
            form::invalid(&page)
        }
    }
}

async fn update_entry(
    ctx: PageContext,
    Path((id, doc)): Path<(String, String)>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let collection = load(&ctx, &id).await?;
    let mut tx = ctx.state().db().begin().await?;
    match store::update_entry(
        &mut tx,
        &id,
        &doc,
        &form.fields(),
        &editor.audit,
        &editor.organisation_id,
    )
    .await
    {
        Ok(()) => {
            tx.commit().await?;
            Ok(flash::redirect_with(
                Flash::success(ctx.t("kb-collection-entry-saved")),
                &format!("{}#entry-{doc}", entries_path(&id)),
            ))
        }
        Err(err) => {
            drop(tx);
            let errors = FormErrors::from_core(err)?;
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

async fn move_entry(
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
        &format!("{}#entry-{doc}", entries_path(&id)),
    ))
}

async fn move_up(
    ctx: PageContext,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response, AppError> {
    move_entry(ctx, id, doc, Direction::Up).await
}

async fn move_down(
    ctx: PageContext,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response, AppError> {
    move_entry(ctx, id, doc, Direction::Down).await
}

async fn remove_entry(
    ctx: PageContext,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    load(&ctx, &id).await?;
    let mut tx = ctx.state().db().begin().await?;
    store::remove_entry(&mut tx, &id, &doc, &editor.audit, &editor.organisation_id).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("kb-collection-entry-removed")),
        &entries_path(&id),
    ))
}
