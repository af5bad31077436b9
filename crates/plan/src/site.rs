//! The plan module's public API for other modules: what a **published** plan shows, and
//! nothing more. The Kennisbank's public site builds its programme and werkspoor pages from
//! it. Only the fields the plan's editors chose to publish are filled in; a plan that is not
//! published is not returned at all.

use steden_core::error::CoreResult;
use steden_db::Db;

use crate::model::{ItemStatus, PlanKind, PublishedField};
use crate::store;

/// A published plan, as anyone may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedPlan {
    pub id: String,
    pub organisation_id: String,
    /// "jaarplan", "meerjarenplan", "bestuursakkoord".
    pub kind: &'static str,
    pub title: String,
    pub period_start: String,
    pub period_end: String,
    /// The level names, depth 0 first ("Programma", "Werkspoor", ...).
    pub levels: Vec<String>,
    /// Every item in tree order.
    pub items: Vec<PublishedItem>,
    /// The plan's public page in the plan module.
    pub public_path: String,
}

/// One item of a published plan; the optional fields are `None` unless published.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedItem {
    pub id: String,
    pub parent_id: Option<String>,
    pub depth: i64,
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    /// The status's stored value ("lopend", "afgerond", ...).
    pub status: Option<&'static str>,
    pub progress: Option<i64>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub themes: Vec<String>,
    /// Finished or stopped (only when the status is published).
    pub closed: Option<bool>,
}

/// The published plans of `organisation_id` of `kind`, newest period first, without items.
pub async fn published_plans(
    db: &Db,
    organisation_id: &str,
    kind: &str,
) -> CoreResult<Vec<PublishedPlan>> {
    Ok(store::plans::list_published(db)
        .await?
        .into_iter()
        .filter(|p| p.organisation_id == organisation_id && p.kind.as_str() == kind)
        .map(|plan| PublishedPlan {
            public_path: crate::web::public::public_plan_path(&plan.id),
            id: plan.id,
            organisation_id: plan.organisation_id,
            kind: kind_str(plan.kind),
            title: plan.title,
            period_start: plan.period_start,
            period_end: plan.period_end,
            levels: plan.levels,
            items: Vec::new(),
        })
        .collect())
}

fn kind_str(kind: PlanKind) -> &'static str {
    kind.as_str()
}

/// The published plan `plan_id` with its items, or `None` when it does not exist or is not
/// published.
pub async fn published_plan(db: &Db, plan_id: &str) -> CoreResult<Option<PublishedPlan>> {
    let Some(plan) = store::plans::find(db.pool(), plan_id).await? else {
        return Ok(None);
    };
    if !plan.published {
        return Ok(None);
    }
    let items = store::items::list_for_plan(db.pool(), &plan.id).await?;
    let show = |field| plan.publishes(field);
    let items = store::items::tree_order(items)
        .into_iter()
        .map(|item| PublishedItem {
            description: show(PublishedField::Description).then(|| item.description.clone()),
            status: show(PublishedField::Status).then(|| item.status.as_str()),
            closed: show(PublishedField::Status).then(|| item.status.is_closed()),
            progress: show(PublishedField::Progress).then_some(item.progress),
            start_date: show(PublishedField::Dates)
                .then(|| item.start_date.clone())
                .flatten(),
            end_date: show(PublishedField::Dates)
                .then(|| item.end_date.clone())
                .flatten(),
            themes: item.themes.clone(),
            id: item.id,
            parent_id: item.parent_id,
            depth: item.depth,
            code: item.code,
            title: item.title,
        })
        .collect();
    Ok(Some(PublishedPlan {
        public_path: crate::web::public::public_plan_path(&plan.id),
        id: plan.id,
        organisation_id: plan.organisation_id,
        kind: kind_str(plan.kind),
        title: plan.title,
        period_start: plan.period_start,
        period_end: plan.period_end,
        levels: plan.levels,
        items,
    }))
}

/// The Dutch label of a status value ("lopend" → "Lopend").
pub fn status_label(value: &str) -> &'static str {
    match ItemStatus::parse(value) {
        Some(ItemStatus::NietGestart) => "Niet gestart",
        Some(ItemStatus::Lopend) => "Lopend",
        Some(ItemStatus::Vertraagd) => "Vertraagd",
        Some(ItemStatus::Afgerond) => "Afgerond",
        Some(ItemStatus::Stopgezet) => "Stopgezet",
        None => "",
    }
}
