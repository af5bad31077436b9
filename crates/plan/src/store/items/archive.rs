//! Archiving items (issue 11 point 2): what a new year's text no longer contains is stopped
//! and archived from the import preview. An archived item keeps its row, history, indicators
//! and amounts (its item page and the releases that hold it still show it), but the current
//! views — tree, dashboard, public pages, the next period's copy, imports — leave it out.

use super::*;

/// Archives the items `ids` of plan `plan_id` with everything below them: status "stopgezet"
/// (with a line in each item's history) and `archived_at` set. Items already archived, or of
/// another plan, are skipped. Returns how many items were archived.
pub async fn archive(
    tx: &mut Tx<'_>,
    plan_id: &str,
    ids: &[String],
    actor: &AuditActor,
) -> CoreResult<usize> {
    let rows = sqlx::query(
        "SELECT id, parent_id, status, progress, code, title FROM plan_items
         WHERE plan_id = $1 AND archived_at IS NULL",
    )
    .bind(plan_id)
    .fetch_all(&mut **tx)
    .await?;
    struct Row {
        id: String,
        parent_id: Option<String>,
        status: String,
        progress: i64,
        code: String,
    }
    let rows: Vec<Row> = rows
        .iter()
        .map(|r| {
            Ok(Row {
                id: r.try_get("id")?,
                parent_id: r.try_get("parent_id")?,
                status: r.try_get("status")?,
                progress: r.try_get("progress")?,
                code: r.try_get("code")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    // The chosen items and their descendants.
    let mut chosen: std::collections::HashSet<&str> = rows
        .iter()
        .filter(|r| ids.contains(&r.id))
        .map(|r| r.id.as_str())
        .collect();
    loop {
        let before = chosen.len();
        for row in &rows {
            if row.parent_id.as_deref().is_some_and(|p| chosen.contains(p)) {
                chosen.insert(row.id.as_str());
            }
        }
        if chosen.len() == before {
            break;
        }
    }
    if chosen.is_empty() {
        return Ok(0);
    }
    let now = now_ms();
    let mut codes = Vec::new();
    let mut parents = Vec::new();
    for row in rows.iter().filter(|r| chosen.contains(r.id.as_str())) {
        sqlx::query(
            "UPDATE plan_items SET status = 'stopgezet', archived_at = $2, updated_at = $2
             WHERE id = $1",
        )
        .bind(&row.id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        let old_status = ItemStatus::parse(&row.status).unwrap_or(ItemStatus::NietGestart);
        super::super::history::insert(
            tx,
            &super::super::history::NewUpdate {
                plan_id,
                item_id: &row.id,
                round_id: None,
                old_status: Some(old_status),
                new_status: Some(ItemStatus::Stopgezet),
                old_progress: Some(row.progress),
                new_progress: Some(row.progress),
                measurement_id: None,
                comment: "Gearchiveerd: niet meer in de nieuwe tekst van het plan.",
                author_name: "",
            },
            actor,
        )
        .await?;
        codes.push(row.code.clone());
        if let Some(parent) = &row.parent_id {
            if !chosen.contains(parent.as_str()) {
                parents.push(parent.clone());
            }
        }
    }
    for parent in &parents {
        rollup::recompute_from(tx, parent).await?;
    }
    let organisation_id = organisation_of_plan(tx, plan_id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan",
            entity_id: plan_id,
            action: "archive",
            summary: &format!(
                "{} items gearchiveerd: {}{}",
                codes.len(),
                codes
                    .iter()
                    .take(20)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
                if codes.len() > 20 { ", …" } else { "" }
            ),
            changes: Changes::new().created("archived", codes.len()),
        },
    )
    .await?;
    Ok(codes.len())
}
