//! The Kennisbank's public items for other modules (the port `steden_web::items::ItemSource`,
//! registered in [`crate::KennisbankModule`]'s `provide_ports`): the newsletter makes blocks
//! of them, the LinkedIn planner drafts posts from them. Two sources: public documents
//! ([`Documents`], key `kennisbank`) and the website's news ([`News`], key `nieuws`). Only
//! what an anonymous visitor may open: documents with access `publiek`, news that is online.

use chrono::{NaiveDate, TimeZone};
use futures::future::BoxFuture;
use steden_core::CoreResult;
use steden_db::Db;
use steden_web::items::{
    bounded_limit, like_patterns, query_day, shorten_summary, ItemQuery, ItemSource, PlatformItem,
};

use crate::model::{images, pages::public_href, PageKind};
use crate::store::items::{self as store, DocumentItem, ItemFilter, NewsItem};

/// Public Kennisbank documents, dated by their document date.
pub struct Documents;

/// The key of [`Documents`].
pub const DOCUMENTS_KEY: &str = "kennisbank";
/// The key of [`News`].
pub const NEWS_KEY: &str = "nieuws";

fn document_item(d: DocumentItem) -> PlatformItem {
    PlatformItem {
        source: DOCUMENTS_KEY,
        href: format!("/kennisbank/documenten/{}", d.slug),
        id: d.id,
        kind: "Kennisbankdocument".into(),
        title: d.title,
        summary: shorten_summary(&d.summary),
        image_href: None,
        image_alt: String::new(),
        date: d.doc_date,
    }
}

impl ItemSource for Documents {
    fn key(&self) -> &'static str {
        DOCUMENTS_KEY
    }

    fn label(&self) -> &'static str {
        "Kennisbank"
    }

    fn find<'a>(
        &'a self,
        db: &'a Db,
        query: &'a ItemQuery,
    ) -> BoxFuture<'a, CoreResult<Vec<PlatformItem>>> {
        Box::pin(async move {
            let patterns = like_patterns(&query.search);
            let from = query_day(query.from.as_ref()).map(|d| d.to_string());
            let until = query_day(query.until.as_ref()).map(|d| d.to_string());
            let filter = ItemFilter {
                patterns: &patterns,
                from: from.as_deref(),
                until: until.as_deref(),
                limit: bounded_limit(query),
            };
            Ok(store::public_documents(db.pool(), &filter)
                .await?
                .into_iter()
                .map(document_item)
                .collect())
        })
    }

    fn get<'a>(
        &'a self,
        db: &'a Db,
        id: &'a str,
    ) -> BoxFuture<'a, CoreResult<Option<PlatformItem>>> {
        Box::pin(async move {
            Ok(store::public_document(db.pool(), id)
                .await?
                .map(document_item))
        })
    }
}

/// The website's news pages that are online, dated by when they went online.
pub struct News;

/// The first moment (ms) of `date` in Brussels.
fn day_start(date: NaiveDate) -> Option<i64> {
    chrono_tz::Europe::Brussels
        .from_local_datetime(&date.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|t| t.timestamp_millis())
}

/// The day (Brussels) of the moment `ms`, as 'YYYY-MM-DD'.
fn day_of(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| {
        t.with_timezone(&chrono_tz::Europe::Brussels)
            .format("%Y-%m-%d")
            .to_string()
    })
}

fn news_item(n: NewsItem) -> PlatformItem {
    PlatformItem {
        source: NEWS_KEY,
        href: public_href(PageKind::Nieuws, &n.slug),
        id: n.id,
        kind: "Nieuws".into(),
        title: n.title,
        summary: shorten_summary(&n.summary),
        image_href: n.image_id.as_deref().map(images::href),
        image_alt: n.image_alt.unwrap_or_default(),
        date: day_of(n.shown_at),
    }
}

impl ItemSource for News {
    fn key(&self) -> &'static str {
        NEWS_KEY
    }

    fn label(&self) -> &'static str {
        "Websitenieuws"
    }

    fn find<'a>(
        &'a self,
        db: &'a Db,
        query: &'a ItemQuery,
    ) -> BoxFuture<'a, CoreResult<Vec<PlatformItem>>> {
        Box::pin(async move {
            let patterns = like_patterns(&query.search);
            let from = query_day(query.from.as_ref()).and_then(day_start);
            let until = query_day(query.until.as_ref())
                .and_then(|d| d.succ_opt())
                .and_then(day_start);
            let found = store::live_news(
                db.pool(),
                steden_db::now_ms(),
                &patterns,
                from,
                until,
                bounded_limit(query),
            )
            .await?;
            Ok(found.into_iter().map(news_item).collect())
        })
    }

    fn get<'a>(
        &'a self,
        db: &'a Db,
        id: &'a str,
    ) -> BoxFuture<'a, CoreResult<Option<PlatformItem>>> {
        Box::pin(async move {
            Ok(store::live_news_page(db.pool(), steden_db::now_ms(), id)
                .await?
                .map(news_item))
        })
    }
}
