//! For the demo only (design §3.10): an event that took place before the platform knew of it.
//! The event form refuses a past date and registration closes at the start, so the demo makes
//! a past event as the pages would have made it — created, registrations through the public
//! form's path — and then moves it to its real, past date here. Not reachable from any page
//! or the API; recorded in the audit like any change.

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{now_ms, Tx};

use crate::store::events::{self, ENTITY};
use crate::store::meetings::{self, MeetingFields, Timing};

/// Moves event `event_id` to `local_date` (`YYYY-MM-DD`, today or earlier), same times.
pub(crate) async fn move_to_past(
    tx: &mut Tx<'_>,
    event_id: &str,
    local_date: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    let event = events::find(&mut **tx, event_id)
        .await?
        .ok_or(CoreError::NotFound("activiteit"))?;
    let fields = MeetingFields {
        title: event.title.clone(),
        local_date: local_date.to_string(),
        local_start: event.local_start.clone(),
        local_end: event.local_end.clone(),
        place: event.place.clone(),
        online_url: event.online_url.clone(),
    };
    let checked = meetings::check_for(&fields, meetings::today(), Timing::Held)
        .map_err(CoreError::Invalid)?;
    sqlx::query(
        "UPDATE wg_events SET local_date = $1, starts_at = $2, ends_at = $3, updated_at = $4
         WHERE id = $5",
    )
    .bind(&checked.local_date)
    .bind(checked.starts_at)
    .bind(checked.ends_at)
    .bind(now_ms())
    .bind(event_id)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: event_id,
            action: "demo_backdate",
            summary: &format!(
                "Demo: {} verplaatst naar {}",
                event.title, checked.local_date
            ),
            changes: Changes::new().field(
                "local_date",
                event.local_date.as_str(),
                checked.local_date.as_str(),
            ),
        },
    )
    .await?;
    Ok(())
}
