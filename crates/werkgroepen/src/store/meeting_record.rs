//! Recording a meeting that already took place ("gehouden vergadering registreren"): for a
//! group's history and for the plan's indicator, when the meeting was never planned here (it
//! was arranged by mail, or held before the group used the platform). Nobody is invited: the
//! meeting is stored held straight away, and the plan hears of it in the same transaction.

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{now_ms, Tx};

use crate::access::Standing;
use crate::store::meetings::{
    check_for, insert, require_facilitator, today, MeetingFields, MeetingStatus, Timing, ENTITY,
};

/// Stores a held meeting dated today or earlier; returns its id.
pub async fn record_held(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    fields: &MeetingFields,
    actor: &AuditActor,
) -> CoreResult<String> {
    require_facilitator(standing)?;
    let checked = check_for(fields, today(), Timing::Held).map_err(CoreError::Invalid)?;
    let id = insert(tx, group_id, None, &checked).await?;
    sqlx::query("UPDATE wg_meetings SET status = $1, held_marked_at = $2 WHERE id = $3")
        .bind(MeetingStatus::Gehouden.as_str())
        .bind(now_ms())
        .bind(&id)
        .execute(&mut **tx)
        .await?;
    crate::plan_source::meetings_changed(tx, group_id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: &id,
            action: "record_held",
            summary: &format!("Gehouden vergadering {} geregistreerd", checked.title),
            changes: Changes::new()
                .created("local_date", &checked.local_date)
                .created("status", MeetingStatus::Gehouden.as_str()),
        },
    )
    .await?;
    Ok(id)
}
