//! The milestones the plan module offers other modules through the port
//! `steden_web::items::ItemSource` ([`crate::milestone_items`]): those of projects in a
//! **published** plan that publishes its dates (the field `data`), since a milestone is a date.
//! Nothing of an unpublished plan is read here.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_web::items::words_condition;

use crate::model::PublishedField;

/// A published milestone, with its project and plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneItem {
    pub id: String,
    pub title: String,
    pub due_date: String,
    pub project_title: String,
    pub plan_id: String,
    pub plan_title: String,
    /// The plan item the project belongs to (its public page is the milestone's link).
    pub item_id: String,
}

const FROM: &str = "plan_milestones m JOIN plan_projects p ON p.id = m.project_id \
                    JOIN plan_plans pl ON pl.id = p.plan_id";

const COLUMNS: &str = "m.id, m.title, m.due_date, p.title AS project_title, p.plan_id, \
                       pl.title AS plan_title, p.item_id";

/// Published plans that publish their dates (`published_fields` is a JSON array of words).
fn published_condition() -> String {
    format!(
        "pl.published = 1 AND pl.published_fields LIKE '%\"{}\"%'",
        PublishedField::Dates.as_str()
    )
}

fn from_row(row: &sqlx::any::AnyRow) -> MilestoneItem {
    MilestoneItem {
        id: row.get("id"),
        title: row.get("title"),
        due_date: row.get("due_date"),
        project_title: row.get("project_title"),
        plan_id: row.get("plan_id"),
        plan_title: row.get("plan_title"),
        item_id: row.get("item_id"),
    }
}

/// The published milestones whose title or project's title holds every pattern, due from
/// `from` to `until` ('YYYY-MM-DD', both included), latest first.
pub async fn published_milestones<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    patterns: &[String],
    from: Option<&str>,
    until: Option<&str>,
    limit: i64,
) -> CoreResult<Vec<MilestoneItem>> {
    let mut sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {} AND {}",
        published_condition(),
        words_condition(&["m.title", "p.title"], 1, patterns.len())
    );
    let mut next = patterns.len() + 1;
    for (bound, op) in [(from, ">="), (until, "<=")] {
        if bound.is_some() {
            sql.push_str(&format!(" AND m.due_date {op} ${next}"));
            next += 1;
        }
    }
    sql.push_str(&format!(" ORDER BY m.due_date DESC, m.id LIMIT ${next}"));
    let mut query = sqlx::query(&sql);
    for pattern in patterns {
        query = query.bind(pattern);
    }
    for bound in [from, until].into_iter().flatten() {
        query = query.bind(bound);
    }
    let rows = query.bind(limit).fetch_all(executor).await?;
    Ok(rows.iter().map(from_row).collect())
}

/// The milestone `id` when its plan is published with its dates.
pub async fn published_milestone<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<MilestoneItem>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE m.id = $1 AND {}",
        published_condition()
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(from_row))
}
