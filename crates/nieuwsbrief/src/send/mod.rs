//! Sending a campaign (design §3.3): one job per campaign, `nieuwsbrief.send`, that streams the
//! per-recipient record `nb_deliveries`. This file holds what the rest of the module needs to
//! start it; the job itself is registered by [`crate::NieuwsbriefModule`].

use steden_core::error::CoreResult;
use steden_db::jobs::{self, NewJob};
use steden_db::Tx;

/// The job kind that sends one campaign. Its payload: `{"campaign_id": "…"}`.
pub const SEND_JOB: &str = "nieuwsbrief.send";

/// Queues the sending job of the frozen campaign `campaign_id`, to start at `run_at` (ms UTC;
/// now or in the past starts at once), in the caller's transaction: the campaign's status and
/// its job are committed together or not at all.
pub async fn queue(tx: &mut Tx<'_>, campaign_id: &str, run_at: i64) -> CoreResult<()> {
    let payload = serde_json::json!({ "campaign_id": campaign_id });
    jobs::enqueue_tx(tx, NewJob::new(SEND_JOB, payload).run_at(run_at)).await?;
    Ok(())
}
