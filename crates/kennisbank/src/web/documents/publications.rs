//! The public "Publicaties" section: reports and publications by year, and collections.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use serde::Deserialize;
use steden_web::page::{render, PageContext};
use steden_web::pagination::Pagination;
use steden_web::AppError;

use crate::model::{CollectionKind, DocType};
use crate::paths;
use crate::store::documents::{self};

use super::shared::{human_size, type_label, PUBLICATIONS_PAGE_SIZE};
use steden_core::time::show_optional_date;

// ---------------------------------------------------------------------------------------------
// Publicaties
// ---------------------------------------------------------------------------------------------

pub(super) struct PublicationItem {
    pub(super) href: String,
    pub(super) title: String,
    pub(super) summary: String,
    pub(super) type_label: String,
    pub(super) date: String,
    pub(super) file_href: Option<String>,
    pub(super) file_description: String,
    pub(super) external_url: Option<String>,
}

pub(super) struct YearGroup {
    pub(super) year: String,
    pub(super) items: Vec<PublicationItem>,
}

pub(super) struct CollectionItem {
    pub(super) href: String,
    pub(super) title: String,
    pub(super) description: String,
}

#[derive(Template)]
#[template(path = "kennisbank/documents/publications.html")]
pub(super) struct PublicationsPage {
    pub(super) ctx: PageContext,
    pub(super) years: Vec<YearGroup>,
    pub(super) collections: Vec<CollectionItem>,
    pub(super) pagination: Pagination,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct PublicationsQuery {
    #[serde(default)]
    pub(super) pagina: String,
}

pub(super) async fn publications(
    ctx: PageContext,
    Query(query): Query<PublicationsQuery>,
) -> Result<Response, AppError> {
    let db = ctx.state().db();
    let page = query.pagina.trim().parse::<i64>().unwrap_or(1).max(1);
    let (docs, total) = documents::list_public_by_type(
        db.pool(),
        &[DocType::Publicatie, DocType::Rapport],
        PUBLICATIONS_PAGE_SIZE,
        (page - 1) * PUBLICATIONS_PAGE_SIZE,
    )
    .await?;
    let mut years: Vec<YearGroup> = Vec::new();
    let undated = ctx.t("kb-doc-pub-undated");
    for doc in &docs {
        let year = doc.year().map_or_else(|| undated.clone(), str::to_string);
        let item = PublicationItem {
            href: doc.href(),
            title: doc.title.clone(),
            summary: doc.summary.clone(),
            type_label: type_label(&ctx, doc.doc_type),
            date: show_optional_date(doc.doc_date.as_deref()),
            file_href: doc.file_id.as_ref().map(|_| doc.file_href()),
            file_description: match (doc.format_label(), doc.file_size) {
                (Some(format), Some(size)) => format!("{format}, {}", human_size(size)),
                _ => String::new(),
            },
            external_url: doc.external_url.clone(),
        };
        match years.last_mut() {
            Some(group) if group.year == year => group.items.push(item),
            _ => years.push(YearGroup {
                year,
                items: vec![item],
            }),
        }
    }
    let collections =
        crate::store::collections::list_of_kind(db.pool(), CollectionKind::Publicatie)
            .await?
            .into_iter()
            .map(|c| CollectionItem {
                href: paths::collection(&c.slug),
                title: c.title,
                description: crate::markdown::to_plain_text(&c.description_md, 300),
            })
            .collect();
    let pages = ((total + PUBLICATIONS_PAGE_SIZE - 1) / PUBLICATIONS_PAGE_SIZE).max(1);
    let pagination = Pagination::new(&ctx, page as u64, pages as u64, paths::publications_page);
    let title = ctx.t("kb-doc-pub-title");
    let mut ctx = ctx.titled(title);
    ctx.description = ctx.t("kb-doc-pub-description");
    render(&PublicationsPage {
        ctx,
        years,
        collections,
        pagination,
    })
}
