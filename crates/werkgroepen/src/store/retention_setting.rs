//! Changing the retention setting (`werkgroepen.retention_months`, issue 13 point 8) from its
//! staff page: 1 to 120 months, written with its audit entry in one transaction. The daily
//! retention job reads it on every run ([`crate::retention::default_months`]).

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::policy::Actor;
use steden_core::CoreError;
use steden_db::{now_ms, Tx};

use crate::access;
use crate::store::retention::SETTING;

/// The fewest and most months the page accepts.
pub const MIN_MONTHS: u32 = 1;
pub const MAX_MONTHS: u32 = 120;

/// The audit entity of the module's settings.
pub const ENTITY: &str = "werkgroepen_instelling";

/// The months typed, or the Dutch message.
pub fn parse(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(months) if (MIN_MONTHS..=MAX_MONTHS).contains(&months) => Ok(months),
        _ => Err(format!(
            "Geef een geheel aantal maanden van {MIN_MONTHS} tot {MAX_MONTHS}."
        )),
    }
}

/// Sets the default months: for managers of the Kenniscentrum (the policy's `Manage`, as for
/// archiving groups). Returns the months set.
pub async fn set(
    tx: &mut Tx<'_>,
    who: &Actor,
    kenniscentrum_id: &str,
    text: &str,
    actor: &AuditActor,
) -> CoreResult<u32> {
    if !access::is_manager(who, kenniscentrum_id) {
        return Err(CoreError::Forbidden);
    }
    let months = parse(text).map_err(|m| CoreError::invalid("months", &m))?;
    let before: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(SETTING)
        .fetch_optional(&mut **tx)
        .await?;
    let before = crate::store::retention::parse_months(before.as_deref());
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(SETTING)
    .bind(months.to_string())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: SETTING,
            action: "update",
            summary: &format!("Bewaartermijn van deelnemersgegevens: {months} maanden"),
            changes: Changes::new().field("retention_months", before, months),
        },
    )
    .await?;
    Ok(months)
}
