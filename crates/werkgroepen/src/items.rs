//! The werkgroepen module's public items for other modules (the port
//! `steden_web::items::ItemSource`, registered in `provide_ports`): public events that are not
//! cancelled ([`Events`], key `werkgroepen`), dated by their day, linking to their page with
//! the registration form. Meetings are left out: they have no public page.

use futures::future::BoxFuture;
use steden_core::time::show_date;
use steden_core::CoreResult;
use steden_db::Db;
use steden_web::items::{
    bounded_limit, like_patterns, query_day, shorten_summary, ItemQuery, ItemSource, PlatformItem,
};

use crate::paths;
use crate::store::items::{self as store, EventItem};

/// Public events.
pub struct Events;

/// The key of [`Events`].
pub const KEY: &str = "werkgroepen";

/// When and where, then the description without Markdown's marks.
fn summary(event: &EventItem) -> String {
    let place = if event.place.trim().is_empty() {
        String::new()
    } else {
        format!(", {}", event.place.trim())
    };
    let description = event.description_md.replace(['#', '*', '_', '>', '`'], "");
    shorten_summary(&format!(
        "{} {}–{}{place}. {description}",
        show_date(&event.local_date),
        event.local_start,
        event.local_end
    ))
}

fn item(event: EventItem) -> PlatformItem {
    PlatformItem {
        source: KEY,
        summary: summary(&event),
        href: paths::event(&event.slug),
        id: event.id,
        kind: "Activiteit".into(),
        title: event.title,
        image_href: None,
        image_alt: String::new(),
        date: Some(event.local_date),
    }
}

impl ItemSource for Events {
    fn key(&self) -> &'static str {
        KEY
    }

    fn label(&self) -> &'static str {
        "Activiteiten"
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
            let found = store::public_events(
                db.pool(),
                &patterns,
                from.as_deref(),
                until.as_deref(),
                bounded_limit(query),
            )
            .await?;
            Ok(found.into_iter().map(item).collect())
        })
    }

    fn get<'a>(
        &'a self,
        db: &'a Db,
        id: &'a str,
    ) -> BoxFuture<'a, CoreResult<Option<PlatformItem>>> {
        Box::pin(async move { Ok(store::public_event(db.pool(), id).await?.map(item)) })
    }
}
