//! Who attended an event (`wg_registrations.attended`) and the certificates given for it
//! (`certificate_issued_at`), slice S12. Only confirmed registrations can have attended. The
//! organiser records it; the caller checks that with `access::may_organise_event`.

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{now_ms, Tx};

use super::registrations;

/// Records attendance: the confirmed registrations in `present` attended, every other
/// confirmed one did not. Ids of other events or of waiting and cancelled registrations are
/// refused, so a stale form changes nothing.
pub async fn record(
    tx: &mut Tx<'_>,
    event_id: &str,
    present: &[String],
    actor: &AuditActor,
) -> CoreResult<usize> {
    let confirmed: Vec<String> = registrations::list_for_event(&mut **tx, event_id)
        .await?
        .into_iter()
        .filter(|r| r.status == crate::model::RegistrationStatus::Bevestigd)
        .map(|r| r.id)
        .collect();
    if let Some(stranger) = present.iter().find(|id| !confirmed.contains(id)) {
        tracing::debug!(registration = %stranger, "aanwezigheid voor een onbekende inschrijving");
        return Err(CoreError::invalid(
            "",
            "Deze lijst is niet meer actueel; laad de pagina opnieuw.",
        ));
    }
    let now = now_ms();
    for id in &confirmed {
        sqlx::query("UPDATE wg_registrations SET attended = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(present.contains(id)))
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    // Attendance recorded with someone present means the event took place: it counts for a
    // plan indicator linked to its series (plan_source, `reeks:<id>`); corrected to nobody, it
    // no longer does. A cancelled event stays cancelled.
    let held = if present.is_empty() {
        "gepland"
    } else {
        "gehouden"
    };
    let series_id: Option<Option<String>> = sqlx::query_scalar(
        "UPDATE wg_events SET status = $1, updated_at = $2,
            held_marked_at = CASE WHEN $1 = 'gehouden' THEN $2 ELSE held_marked_at END
         WHERE id = $3 AND status <> 'geannuleerd' AND status <> $1
         RETURNING series_id",
    )
    .bind(held)
    .bind(now)
    .bind(event_id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(Some(series_id)) = series_id {
        crate::plan_source::events_changed(tx, &series_id).await?;
    }
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: super::events::ENTITY,
            entity_id: event_id,
            action: "attendance",
            summary: &format!(
                "Aanwezigheid geregistreerd: {} van {} aanwezig",
                present.len(),
                confirmed.len()
            ),
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(present.len())
}

/// Notes that a certificate was given for the registration (the first time only).
pub async fn mark_certificate_issued(tx: &mut Tx<'_>, registration_id: &str) -> CoreResult<()> {
    sqlx::query(
        "UPDATE wg_registrations SET certificate_issued_at = $1
         WHERE id = $2 AND certificate_issued_at IS NULL",
    )
    .bind(now_ms())
    .bind(registration_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
