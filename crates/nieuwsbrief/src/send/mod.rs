//! Sending a campaign (design §3.3): one job per campaign, `nieuwsbrief.send`, that streams the
//! per-recipient record `nb_deliveries`. This file holds what the rest of the module needs to
//! start it; the job itself is registered by [`crate::NieuwsbriefModule`].
//!
//! - [`setup`]: base URL, sender, SMTP or files, DKIM, and the pace settings;
//! - [`smtp`]: the slots' own SMTP connections (with `TCP_NODELAY`);
//! - [`message`]: one recipient's message and its headers;
//! - [`encoded`]: the campaign's bodies encoded once, the recipient's links spliced in;
//! - [`job`]: the job — slots, group commit, pause, resume, cancel, retries.

pub mod encoded;
pub mod job;
pub mod message;
pub mod setup;
pub mod smtp;

use std::sync::Arc;

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
    // Every crash of the process that runs it costs the job an attempt (its lease runs out and
    // it is claimed again); the job itself loses nothing by a crash, so it gets many.
    let job = NewJob::new(SEND_JOB, payload)
        .run_at(run_at)
        .max_attempts(MAX_JOB_ATTEMPTS);
    jobs::enqueue_tx(tx, job).await?;
    Ok(())
}

/// The attempts of one sending job (see [`queue`]).
pub const MAX_JOB_ATTEMPTS: i64 = 100;

/// For `Module::provide_ports`: this server's place for the [`setup::SendSetup`].
pub fn provide_setup_cell(ports: &mut steden_web::Ports) {
    ports.provide::<setup::SetupCell>(Arc::new(setup::SetupCell::default()));
}

/// For `Module::register_jobs`: the handler of [`SEND_JOB`], reading the setup from the cell
/// that [`provide_setup_cell`] put in the server's ports.
pub fn register_jobs(registry: &mut jobs::Registry, ports: &steden_web::Ports) {
    let cell = ports
        .all::<setup::SetupCell>()
        .first()
        .cloned()
        .unwrap_or_default();
    job::register(registry, cell);
}

/// For `Module::start`: fills the cell from the server's configuration and the DKIM
/// environment variables (a DKIM key that cannot be read stops the start with the reason).
pub fn configure(state: &steden_web::AppState) -> anyhow::Result<()> {
    let setup = setup::SendSetup::from_config(state.config())?;
    if let Some(cell) = state.ports().all::<setup::SetupCell>().first() {
        cell.set(setup);
    }
    Ok(())
}
