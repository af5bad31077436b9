//! The plan module's public items for other modules (the port
//! `steden_web::items::ItemSource`, registered in `provide_ports`): milestones of projects in
//! published plans that publish their dates ([`Milestones`], key `plan`), dated by their due
//! date, linking to the public page of the plan item their project belongs to.

use futures::future::BoxFuture;
use steden_core::time::show_date;
use steden_core::CoreResult;
use steden_db::Db;
use steden_web::items::{
    bounded_limit, like_patterns, query_day, shorten_summary, ItemQuery, ItemSource, PlatformItem,
};

use crate::paths;
use crate::store::milestone_items::{self as store, MilestoneItem};

/// Published milestones.
pub struct Milestones;

/// The key of [`Milestones`].
pub const KEY: &str = "plan";

fn item(m: MilestoneItem) -> PlatformItem {
    PlatformItem {
        source: KEY,
        summary: shorten_summary(&format!(
            "Mijlpaal van het project {} ({}), gepland op {}.",
            m.project_title,
            m.plan_title,
            show_date(&m.due_date)
        )),
        href: format!("{}{}", paths::public_items_prefix(&m.plan_id), m.item_id),
        id: m.id,
        kind: "Mijlpaal".into(),
        title: m.title,
        image_href: None,
        image_alt: String::new(),
        date: Some(m.due_date),
    }
}

impl ItemSource for Milestones {
    fn key(&self) -> &'static str {
        KEY
    }

    fn label(&self) -> &'static str {
        "Mijlpalen van het jaarplan"
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
            let found = store::published_milestones(
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
        Box::pin(async move { Ok(store::published_milestone(db.pool(), id).await?.map(item)) })
    }
}
