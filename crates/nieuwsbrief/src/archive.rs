//! The archive of sent newsletters in the site's search (design §0, §3.8): the Kennisbank's
//! port [`SearchSource`], provided by this module at start-up ([`crate::NieuwsbriefModule`]).
//! Each newsletter in the archive is one search document: its subject as title, its preheader
//! as summary, and as text its section titles, its blocks' titles and summaries and the text of
//! its Markdown blocks — what the public archive page shows, never anything of a recipient.
//! The store notes every change in the search's change log ([`crate::store::archive`]).

use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Brussels;
use futures::future::BoxFuture;
use steden_core::error::CoreResult;
use steden_db::Db;
use steden_kennisbank::ports::{SearchDocument, SearchSource};

use crate::paths;
use crate::store::archive::{self, Archived, SEARCH_SOURCE};
use crate::store::content::{self, BlockKind, Section};

/// The type facet's value of a newsletter in the search.
pub const SEARCH_KIND: &str = "Nieuwsbrief";

/// The archive as a source of the site's search.
#[derive(Debug, Default, Clone, Copy)]
pub struct ArchiveSearch;

/// The day (Belgian time) of `ms`.
pub fn day(ms: i64) -> Option<NaiveDate> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .map(|t| t.with_timezone(&Brussels).date_naive())
}

/// The searchable text of `sections`: titles, blocks' titles and summaries, Markdown text.
pub fn search_text(sections: &[Section]) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for section in sections {
        parts.push(&section.title);
        for block in &section.blocks {
            match block.kind {
                BlockKind::Item => {
                    parts.push(&block.title);
                    parts.push(&block.summary);
                }
                BlockKind::Markdown => parts.push(&block.markdown),
            }
        }
    }
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

async fn document(db: &Db, newsletter: Archived) -> CoreResult<SearchDocument> {
    let mut conn = db.pool().acquire().await?;
    let sections = content::load(&mut conn, &newsletter.id).await?;
    Ok(SearchDocument {
        url: paths::archive_newsletter(&newsletter.slug),
        body: search_text(&sections),
        date: day(newsletter.sent_at),
        kind: SEARCH_KIND.to_string(),
        title: newsletter.subject,
        summary: newsletter.preheader,
        id: newsletter.id,
    })
}

impl SearchSource for ArchiveSearch {
    fn key(&self) -> &'static str {
        SEARCH_SOURCE
    }

    fn all<'a>(&'a self, db: &'a Db) -> BoxFuture<'a, CoreResult<Vec<SearchDocument>>> {
        Box::pin(async move {
            let mut docs = Vec::new();
            for newsletter in archive::all(db.pool()).await? {
                docs.push(document(db, newsletter).await?);
            }
            Ok(docs)
        })
    }

    fn get<'a>(
        &'a self,
        db: &'a Db,
        id: &'a str,
    ) -> BoxFuture<'a, CoreResult<Option<SearchDocument>>> {
        Box::pin(async move {
            match archive::by_id(db.pool(), id).await? {
                Some(newsletter) => Ok(Some(document(db, newsletter).await?)),
                None => Ok(None),
            }
        })
    }
}
