//! What the API reads and writes of campaigns beyond the editor's pages ([`super::editor`]):
//! the campaigns paged by number (`?page=&per_page=`, the API's convention, newest first) and
//! the choice of a concept's template.

use sqlx::{Any, Executor, Row};
use steden_core::audit::{AuditActor, Changes};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::Tx;

use super::campaigns::{self, Campaign};
use super::sections::{claim_concept, record};
use crate::model::CampaignStatus;

/// How many campaigns have `status` (all when `None`).
pub async fn count<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    status: Option<CampaignStatus>,
) -> CoreResult<i64> {
    let query = match status {
        Some(status) => sqlx::query_scalar("SELECT COUNT(*) FROM nb_campaigns WHERE status = $1")
            .bind(status.as_str()),
        None => sqlx::query_scalar("SELECT COUNT(*) FROM nb_campaigns"),
    };
    Ok(query.fetch_one(executor).await?)
}

/// At most `limit` campaigns with `status` (all when `None`) after skipping `offset`, newest
/// first (by creation, then id: a total order, so pages do not overlap).
pub async fn page<'e, E: Executor<'e, Database = Any> + Copy>(
    executor: E,
    status: Option<CampaignStatus>,
    limit: i64,
    offset: i64,
) -> CoreResult<Vec<Campaign>> {
    let condition = if status.is_some() {
        " WHERE status = $3"
    } else {
        ""
    };
    let sql = format!(
        "SELECT id FROM nb_campaigns{condition} ORDER BY created_at DESC, id LIMIT $1 OFFSET $2"
    );
    let mut query = sqlx::query(&sql).bind(limit).bind(offset);
    if let Some(status) = status {
        query = query.bind(status.as_str());
    }
    let ids: Vec<String> = query
        .fetch_all(executor)
        .await?
        .iter()
        .map(|row| row.get("id"))
        .collect();
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        found.push(campaigns::get(executor, &id).await?);
    }
    Ok(found)
}

/// Sets the template of the concept `id` (`None`: the default template), audited. A template
/// that does not exist is refused on the field `template_id`; a campaign that is no longer a
/// concept is a conflict (its mail is frozen).
pub async fn set_template(
    tx: &mut Tx<'_>,
    id: &str,
    template_id: Option<&str>,
    actor: &AuditActor,
) -> CoreResult<()> {
    let name = match template_id {
        Some(template_id) => Some(
            super::editor::template_name(&mut **tx, template_id)
                .await?
                .ok_or_else(|| {
                    CoreError::invalid("template_id", "Dit sjabloon bestaat niet (meer).")
                })?,
        ),
        None => None,
    };
    claim_concept(tx, id).await?;
    let old = campaigns::get(&mut **tx, id).await?;
    if old.template_id.as_deref() == template_id {
        return Ok(());
    }
    sqlx::query("UPDATE nb_campaigns SET template_id = $1 WHERE id = $2")
        .bind(template_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let summary = format!(
        "Sjabloon van de nieuwsbrief gekozen: {}",
        name.as_deref().unwrap_or("het standaardsjabloon")
    );
    let changes = Changes::new().field(
        "template_id",
        old.template_id.as_deref().unwrap_or(""),
        template_id.unwrap_or(""),
    );
    record(tx, id, actor, "update", &summary, changes).await
}
