//! The public list of collections, grouped by kind.

use askama::Template;
use axum::response::Response;
use steden_web::page::{render, PageContext};
use steden_web::AppError;

use crate::access::Reader;
use crate::markdown;
use crate::paths;
use crate::store::collections::{self as store, Collection, CollectionDocument};

use super::shared::kind_heading;
use crate::web::common::{actor_of, is_editor};

// ---------------------------------------------------------------------------------------------
// Public: the list of collections

pub(super) struct CollectionCard {
    pub(super) href: String,
    pub(super) title: String,
    pub(super) summary: String,
    pub(super) period: String,
    pub(super) count: String,
}

pub(super) struct KindGroup {
    pub(super) heading: String,
    pub(super) cards: Vec<CollectionCard>,
}

#[derive(Template)]
#[template(path = "kennisbank/library/collections.html")]
pub(super) struct PublicListPage {
    pub(super) ctx: PageContext,
    pub(super) groups: Vec<KindGroup>,
    pub(super) editor: bool,
}

/// The documents of `collection` that `reader` may open.
pub(super) async fn visible_documents(
    ctx: &PageContext,
    reader: &Reader,
    collection: &Collection,
) -> Result<Vec<CollectionDocument>, AppError> {
    let docs = store::documents(ctx.state().db().pool(), collection).await?;
    Ok(docs
        .into_iter()
        .filter(|d| reader.may_open(&d.access))
        .collect())
}

pub(super) fn count_text(ctx: &PageContext, n: usize) -> String {
    ctx.t_with(
        "kb-collection-count",
        &[("count", steden_core::time::format_int(n as i64).as_str())],
    )
}

pub(super) async fn public_list(ctx: PageContext) -> Result<Response, AppError> {
    let db = ctx.state().db().clone();
    let reader = Reader::of(&db, &actor_of(&ctx)).await?;
    let mut groups: Vec<KindGroup> = Vec::new();
    for collection in store::list(db.pool()).await? {
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
    let mut ctx = ctx.crumb(library, paths::LIBRARY).titled(title);
    ctx.description = ctx.t("kb-collection-list-description");
    render(&PublicListPage {
        ctx,
        groups,
        editor,
    })
}
