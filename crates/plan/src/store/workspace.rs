//! What the personal workspace (/start) reads from the plan: the kwesties that wait for a
//! person, and the recent updates in what they follow. Each in one query, so that the page a
//! city editor opens every morning does not grow with the number of items they own.

use sqlx::Row;
use steden_core::error::CoreResult;
use steden_db::Db;

use crate::model::kwesties::{KwestieKind, KwestieStatus, Severity};
use crate::model::ItemStatus;

/// An unresolved kwestie that waits for a person, with its plan's organisation (for the
/// caller's read check).
#[derive(Debug, Clone, PartialEq)]
pub struct AskedKwestie {
    pub id: String,
    pub plan_id: String,
    pub organisation_id: String,
    pub plan_title: String,
    pub item_id: String,
    pub item_code: String,
    pub title: String,
    pub kind: KwestieKind,
    pub severity: Severity,
    pub status: KwestieStatus,
    /// 'YYYY-MM-DD'.
    pub due_date: Option<String>,
}

/// `$first, $first+1, …` for `count` values of an `IN (…)` list.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Unresolved kwesties of items that are not archived, which wait for `user_id`: those they
/// own, and those nobody owns yet on an item they own or in a plan of one of
/// `editor_org_ids` (organisations where they may assign them). Soonest due first, those
/// without a date last.
pub async fn kwesties_asked(
    db: &Db,
    user_id: &str,
    editor_org_ids: &[String],
) -> CoreResult<Vec<AskedKwestie>> {
    let of_their_org = if editor_org_ids.is_empty() {
        String::new()
    } else {
        format!(
            " OR p.organisation_id IN ({})",
            placeholders(2, editor_org_ids.len())
        )
    };
    let sql = format!(
        "SELECT k.id, k.plan_id, p.organisation_id, p.title AS plan_title, k.item_id, \
         i.code AS item_code, k.title, k.kind, k.severity, k.status, k.due_date \
         FROM plan_kwesties k JOIN plan_items i ON i.id = k.item_id \
         JOIN plan_plans p ON p.id = k.plan_id \
         WHERE k.status <> 'opgelost' AND i.archived_at IS NULL \
         AND (k.owner_user_id = $1 OR (k.owner_user_id IS NULL \
              AND (i.owner_user_id = $1{of_their_org}))) \
         ORDER BY CASE WHEN k.due_date IS NULL THEN 1 ELSE 0 END, k.due_date, k.created_at, k.id"
    );
    let mut query = sqlx::query(&sql).bind(user_id);
    for org in editor_org_ids {
        query = query.bind(org);
    }
    let rows = query.fetch_all(db.pool()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(AskedKwestie {
            id: row.try_get("id")?,
            plan_id: row.try_get("plan_id")?,
            organisation_id: row.try_get("organisation_id")?,
            plan_title: row.try_get("plan_title")?,
            item_id: row.try_get("item_id")?,
            item_code: row.try_get("item_code")?,
            title: row.try_get("title")?,
            kind: KwestieKind::parse(&row.try_get::<String, _>("kind")?)
                .unwrap_or(KwestieKind::Kwestie),
            severity: Severity::parse(&row.try_get::<String, _>("severity")?)
                .unwrap_or(Severity::Middel),
            status: KwestieStatus::parse(&row.try_get::<String, _>("status")?)
                .unwrap_or(KwestieStatus::Open),
            due_date: row.try_get("due_date")?,
        });
    }
    Ok(out)
}

/// A progress update on an item someone follows, with its item and plan.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowedUpdate {
    pub plan_id: String,
    pub organisation_id: String,
    pub plan_title: String,
    pub item_id: String,
    pub item_code: String,
    pub item_title: String,
    pub old_status: Option<ItemStatus>,
    pub new_status: Option<ItemStatus>,
    pub old_progress: Option<i64>,
    pub new_progress: Option<i64>,
    pub measurement_id: Option<String>,
    pub comment: String,
    pub author: String,
    pub created_at: i64,
}

/// Updates made at or after `since` (ms UTC) by anyone but `user_id`, on items they own or in
/// plans of `org_ids`, newest first, at most `limit`. Archived items are left out.
pub async fn recent_updates(
    db: &Db,
    user_id: &str,
    org_ids: &[String],
    since: i64,
    limit: i64,
) -> CoreResult<Vec<FollowedUpdate>> {
    let of_their_org = if org_ids.is_empty() {
        String::new()
    } else {
        format!(
            " OR p.organisation_id IN ({})",
            placeholders(4, org_ids.len())
        )
    };
    let sql = format!(
        "SELECT u.plan_id, p.organisation_id, p.title AS plan_title, u.item_id, \
         i.code AS item_code, i.title AS item_title, u.old_status, u.new_status, \
         u.old_progress, u.new_progress, u.measurement_id, u.comment, \
         COALESCE(n.name, u.author_name) AS author, u.created_at \
         FROM plan_updates u JOIN plan_items i ON i.id = u.item_id \
         JOIN plan_plans p ON p.id = u.plan_id \
         LEFT JOIN person_names n ON n.id = u.author_user_id \
         WHERE u.created_at >= $2 AND i.archived_at IS NULL \
         AND (u.author_user_id IS NULL OR u.author_user_id <> $1) \
         AND (i.owner_user_id = $1{of_their_org}) \
         ORDER BY u.created_at DESC, u.id DESC LIMIT $3"
    );
    let mut query = sqlx::query(&sql).bind(user_id).bind(since).bind(limit);
    for org in org_ids {
        query = query.bind(org);
    }
    let rows = query.fetch_all(db.pool()).await?;
    let status = |row: &sqlx::any::AnyRow, name: &str| -> Result<Option<ItemStatus>, sqlx::Error> {
        Ok(row
            .try_get::<Option<String>, _>(name)?
            .and_then(|s| ItemStatus::parse(&s)))
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(FollowedUpdate {
            plan_id: row.try_get("plan_id")?,
            organisation_id: row.try_get("organisation_id")?,
            plan_title: row.try_get("plan_title")?,
            item_id: row.try_get("item_id")?,
            item_code: row.try_get("item_code")?,
            item_title: row.try_get("item_title")?,
            old_status: status(row, "old_status")?,
            new_status: status(row, "new_status")?,
            old_progress: row.try_get("old_progress")?,
            new_progress: row.try_get("new_progress")?,
            measurement_id: row.try_get("measurement_id")?,
            comment: row.try_get("comment")?,
            author: row.try_get("author")?,
            created_at: row.try_get("created_at")?,
        });
    }
    Ok(out)
}
