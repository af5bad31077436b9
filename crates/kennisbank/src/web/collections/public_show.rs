//! One collection's public page, with only the documents the reader may open.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use serde::Deserialize;
use steden_web::page::{render, PageContext};
use steden_web::AppError;

use crate::access::Reader;
use crate::markdown;
use crate::model::{CollectionKind, DocType, EvaluationStatus};
use crate::paths;
use crate::store::collections::{self as store, Collection, CollectionDocument};

use super::public_list::visible_documents;
use super::shared::{doc_type_label, kind_label, status_view, StatusView};
use crate::web::common::{actor_of, is_editor};
use steden_core::time::show_optional_date;

// ---------------------------------------------------------------------------------------------
// Public: one collection

/// One document in a collection's list.
pub(super) struct DocRow {
    pub(super) href: String,
    pub(super) title: String,
    pub(super) summary: String,
    pub(super) doc_type: String,
    pub(super) date: String,
    pub(super) status: StatusView,
    pub(super) action_points: String,
}

/// Documents under one heading (a theme, a part, a type or a year).
pub(super) struct Group {
    pub(super) heading: String,
    pub(super) anchor: String,
    pub(super) rows: Vec<DocRow>,
}

/// One line of the overview of a thematic library.
pub(super) struct StatusCount {
    pub(super) view: StatusView,
    pub(super) count: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ShowQuery {
    /// Archives: "jaar" groups by year, anything else by type.
    pub(super) indeling: String,
}

#[derive(Template)]
#[template(path = "kennisbank/library/collection.html")]
pub(super) struct PublicShowPage {
    pub(super) ctx: PageContext,
    pub(super) collection: Collection,
    pub(super) kind_label: String,
    pub(super) description_html: String,
    pub(super) groups: Vec<Group>,
    /// Thematic libraries: documents per evaluation status.
    pub(super) status_counts: Vec<StatusCount>,
    pub(super) total: usize,
    /// Archives: grouped by year instead of type.
    pub(super) by_year: bool,
    pub(super) editor: bool,
}

impl PublicShowPage {
    pub(super) fn is_thematic(&self) -> bool {
        self.collection.kind == CollectionKind::Thematisch
    }

    pub(super) fn is_archive(&self) -> bool {
        self.collection.kind == CollectionKind::Archief
    }
}

pub(super) fn doc_row(ctx: &PageContext, doc: &CollectionDocument) -> DocRow {
    let status = doc.entry.as_ref().and_then(|e| e.evaluation_status);
    DocRow {
        href: doc.href(),
        title: doc.title.clone(),
        summary: doc.summary.clone(),
        doc_type: doc_type_label(&doc.doc_type),
        date: show_optional_date(doc.doc_date.as_deref()),
        status: status_view(ctx, status),
        action_points: doc
            .entry
            .as_ref()
            .map(|e| e.action_points.clone())
            .unwrap_or_default(),
    }
}

/// Groups documents by a heading, keeping the order in which headings first appear.
pub(super) fn group_by(
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

pub(super) async fn public_show(
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
        .crumb(library, paths::LIBRARY)
        .crumb(collections, paths::COLLECTIONS)
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
