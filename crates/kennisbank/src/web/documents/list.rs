//! The editors' list of documents, with filters and pages.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use serde::Deserialize;
use steden_web::page::{render, PageContext};
use steden_web::AppError;

use steden_core::time::show_optional_date;
use steden_web::pagination::Pagination;
use steden_web::Choice;

use crate::model::{self, DocType, ExtractionStatus};
use crate::paths;
use crate::store::documents::{self, DocumentFilter, PAGE_SIZE};
use crate::web::common::require_editor;

use super::shared::{access_label, status_label, status_look, type_label, LIST_HREF};
use super::show::percent_encode;

// ---------------------------------------------------------------------------------------------
// The editors' list
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub(super) struct ListQuery {
    #[serde(default, rename = "type")]
    pub(super) doc_type: String,
    #[serde(default)]
    pub(super) programme: String,
    #[serde(default)]
    pub(super) period: String,
    #[serde(default)]
    pub(super) status: String,
    #[serde(default)]
    pub(super) q: String,
    #[serde(default)]
    pub(super) pagina: String,
}

pub(super) struct ListRow {
    pub(super) edit_href: String,
    pub(super) public_href: String,
    pub(super) title: String,
    pub(super) doc_type: String,
    pub(super) date: String,
    pub(super) access: String,
    pub(super) status: String,
    pub(super) status_icon: &'static str,
    pub(super) status_badge: &'static str,
    pub(super) updated: String,
}

#[derive(Template)]
#[template(path = "kennisbank/documents/list.html")]
pub(super) struct ListPage {
    pub(super) ctx: PageContext,
    pub(super) rows: Vec<ListRow>,
    pub(super) q: String,
    pub(super) types: Vec<Choice>,
    pub(super) programmes: Vec<Choice>,
    pub(super) periods: Vec<Choice>,
    pub(super) statuses: Vec<Choice>,
    pub(super) total: i64,
    pub(super) pagination: Pagination,
}

/// A page of the list, with the filters kept (`filter_query` is already encoded).
fn page_href(filter_query: &str, page: u64) -> String {
    if filter_query.is_empty() {
        format!("{LIST_HREF}?pagina={page}")
    } else {
        format!("{LIST_HREF}?{filter_query}&pagina={page}")
    }
}

pub(super) fn encode_query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub(super) async fn list(
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let db = ctx.state().db();
    let filter = DocumentFilter {
        doc_type: query.doc_type.clone(),
        programme: query.programme.clone(),
        period: query.period.clone(),
        extraction_status: query.status.clone(),
        q: query.q.clone(),
    };
    let page = query.pagina.trim().parse::<i64>().unwrap_or(1).max(1);
    let (docs, total) = documents::list(db.pool(), &filter, page).await?;
    let rows = docs
        .iter()
        .map(|doc| {
            let (status_icon, status_badge) = status_look(doc.extraction_status);
            ListRow {
                edit_href: doc.edit_href(),
                public_href: doc.href(),
                title: doc.title.clone(),
                doc_type: type_label(&ctx, doc.doc_type),
                date: show_optional_date(doc.doc_date.as_deref()),
                access: access_label(&ctx, doc.access),
                status: status_label(&ctx, doc.extraction_status),
                status_icon,
                status_badge,
                updated: ctx.datetime(&doc.updated_at),
            }
        })
        .collect();
    let types = DocType::ALL
        .iter()
        .map(|t| {
            Choice::new(
                t.as_str(),
                type_label(&ctx, *t),
                query.doc_type == t.as_str(),
            )
        })
        .collect();
    let programmes = documents::all_programmes(db.pool())
        .await?
        .into_iter()
        .map(|p| {
            let selected = p == query.programme;
            Choice::new(p.clone(), p, selected)
        })
        .collect();
    let periods = model::PERIODS
        .iter()
        .map(|p| Choice::new(*p, *p, query.period == *p))
        .collect();
    let statuses = ExtractionStatus::ALL
        .iter()
        .map(|s| {
            Choice::new(
                s.as_str(),
                status_label(&ctx, *s),
                query.status == s.as_str(),
            )
        })
        .collect();
    let filter_query = encode_query(&[
        ("type", &query.doc_type),
        ("programme", &query.programme),
        ("period", &query.period),
        ("status", &query.status),
        ("q", &query.q),
    ]);
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let pagination = Pagination::new(&ctx, page as u64, pages as u64, |n| {
        page_href(&filter_query, n)
    });
    let title = ctx.t("kb-doc-list-title");
    let manage = ctx.t("kb-doc-crumb-manage");
    render(&ListPage {
        ctx: ctx.crumb(manage, paths::MANAGE).titled(title),
        rows,
        q: query.q,
        types,
        programmes,
        periods,
        statuses,
        total,
        pagination,
    })
}
