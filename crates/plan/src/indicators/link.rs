//! Linking an indicator to a measurement source from another module (the port
//! [`link_source`]): the werkgroepen module links an indicator of its werkspoor to the series
//! of meetings a group holds, from the group's own settings page.
//!
//! It is the same link as the editor's form on the indicator page
//! (`crate::web::indicator_sources`), through the same store function, with the plan's own
//! permission check; only the first pull differs: the form pulls at once because the editor
//! waits for the result on the page, the port queues the pull in the caller's transaction, so
//! the indicator is filled if and only if the caller's change is committed.

use steden_core::error::CoreResult;
use steden_core::policy::Actor;
use steden_core::CoreError;
use steden_db::jobs::{self, NewJob};
use steden_db::Tx;

use super::source::{MeasurementSource, PullPayload, PULL_JOB};
use crate::access;
use crate::store::indicator_sources as links;
use crate::store::plans;

/// Links indicator `indicator_id` to the series `series_ref` of `source` (replacing an earlier
/// link), in the caller's transaction, with the audit entry the indicator page would write, and
/// queues its first pull there too. `actor` must be an editor of the indicator's plan
/// (`Forbidden` otherwise, `NotFound` for an unknown indicator). The caller vouches that the
/// source offers the series to the plan's organisation: asking the source here would read
/// outside the transaction.
pub async fn link_source(
    tx: &mut Tx<'_>,
    indicator_id: &str,
    source: &dyn MeasurementSource,
    series_ref: &str,
    series_label: &str,
    actor: &Actor,
) -> CoreResult<()> {
    if series_ref.trim().is_empty() {
        return Err(CoreError::invalid("series", "Kies een reeks."));
    }
    let indicator = links::indicator(&mut **tx, indicator_id)
        .await?
        .ok_or(CoreError::NotFound("indicator"))?;
    let plan = plans::get_on(tx, &indicator.plan_id).await?;
    access::require_edit(actor, &plan)?;
    links::link(
        tx,
        &indicator,
        (source.key(), source.label()),
        (series_ref, series_label),
        &actor.audit_actor(),
    )
    .await?;
    let payload = PullPayload::Indicator {
        indicator_id: indicator.id.clone(),
    };
    let payload = serde_json::to_value(payload).map_err(anyhow::Error::from)?;
    jobs::enqueue_tx(tx, NewJob::new(PULL_JOB, payload)).await?;
    Ok(())
}
