//! Putting a whole agenda in order at once (the API's `PUT …/agenda/order`): the same rule as
//! the page's up and down buttons, which move one item at a time ([`crate::store::agenda::decide`]):
//! only those who chair order, and only the live items (accepted, or still to decide) are
//! ordered; declined and merged items keep their place.

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{now_ms, Tx};

use crate::access::Standing;
use crate::store::agenda::{items, ENTITY};
use crate::store::agenda_state::load_state;

/// Orders the live items of the meeting as `ids` says: every live item exactly once.
pub async fn set_order(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    meeting_id: &str,
    ids: &[String],
    actor: &AuditActor,
) -> CoreResult<()> {
    if !standing.can_chair() {
        return Err(CoreError::Forbidden);
    }
    let state = load_state(tx, group_id, meeting_id).await?;
    let all = items(&mut **tx, meeting_id).await?;
    let live: Vec<&str> = all
        .iter()
        .filter(|i| i.is_live())
        .map(|i| i.id.as_str())
        .collect();
    let mut given: Vec<&str> = ids.iter().map(String::as_str).collect();
    let complete = given.len() == live.len() && {
        given.sort_unstable();
        given.dedup();
        given.len() == live.len() && given.iter().all(|id| live.contains(id))
    };
    if !complete {
        return Err(CoreError::invalid(
            "item_ids",
            "Geef elk punt van de agenda (aanvaard of nog te beslissen) precies één keer.",
        ));
    }
    // The live items take the live items' positions in the asked order; the others keep theirs.
    let mut slots: Vec<i64> = all
        .iter()
        .filter(|i| i.is_live())
        .map(|i| i.position)
        .collect();
    slots.sort_unstable();
    // Equal positions would not order: make them strictly rising.
    for index in 1..slots.len() {
        if slots[index] <= slots[index - 1] {
            slots[index] = slots[index - 1] + 1;
        }
    }
    let now = now_ms();
    for (id, position) in ids.iter().zip(&slots) {
        sqlx::query("UPDATE wg_agenda_items SET position = $1, updated_at = $2 WHERE id = $3")
            .bind(position)
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: meeting_id,
            action: "order",
            summary: &format!("Agenda van {} geordend", state.title),
            changes: Changes::new().created("order", ids),
        },
    )
    .await?;
    Ok(())
}
