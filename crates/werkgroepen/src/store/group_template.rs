//! A group's default agenda template (`wg_groups.agenda_template_id`): the template a chair
//! is offered first on the group's agendas. Set by those who manage the group; the staff page
//! for it is not built yet (design, TODO), the demo sets it for the Reflectiegroep Europa.

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{now_ms, Tx};

use crate::access::Standing;
use crate::store::agenda;
use crate::store::profile::ENTITY;

/// Makes `template_id` (an existing template) the group's default, or clears it (`None`).
pub async fn set_default(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    template_id: Option<&str>,
    actor: &AuditActor,
) -> CoreResult<()> {
    if !standing.can_manage_group() {
        return Err(CoreError::Forbidden);
    }
    if let Some(id) = template_id {
        if !agenda::templates(&mut **tx)
            .await?
            .iter()
            .any(|t| t.id == id)
        {
            return Err(CoreError::invalid("template", "Kies een sjabloon."));
        }
    }
    let before = agenda::group_template(&mut **tx, group_id).await?;
    if before.as_deref() == template_id {
        return Ok(());
    }
    sqlx::query(
        "UPDATE wg_groups SET agenda_template_id = $1, updated_at = $2 WHERE group_id = $3",
    )
    .bind(template_id)
    .bind(now_ms())
    .bind(group_id)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: group_id,
            action: "agenda_template",
            summary: &format!(
                "Standaardsjabloon van de agenda: {}",
                template_id.unwrap_or("geen")
            ),
            changes: Changes::new().field("agenda_template_id", before.as_deref(), template_id),
        },
    )
    .await?;
    Ok(())
}
