//! Pulling an indicator's measurements from its source (see [`super::source`]): on link, on
//! the editor's "Nu bijwerken", and in the job [`PULL_JOB`] that [`source_changed`]
//! queues. There is no periodic pull: a source says when it changed.
//!
//! A pull that cannot reach its source (the module that provides it is not in this build, the
//! series is gone, the source fails) writes nothing and leaves a Dutch message on the
//! indicator, which its page shows; the job then ends without retrying, since retrying would
//! not change that. Only the plan's own database errors are retried.

use std::sync::Arc;

use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::jobs::{self, JobContext, JobError, NewJob, Registry};
use steden_db::{Db, Tx};
use steden_web::Ports;

use super::source::{self, PullPayload, PULL_JOB};
use crate::store::indicator_sources::{self as links, Pulled};

/// How a pull went.
#[derive(Debug, Clone, PartialEq)]
pub enum PullOutcome {
    /// The values were written (possibly none: nothing was new).
    Pulled(Pulled),
    /// Nothing was written; the message is on the indicator.
    Failed(String),
    /// The indicator has no source (any more).
    NotLinked,
}

/// The Dutch message for a source that this build does not provide.
pub fn unknown_source_message(source_key: &str) -> String {
    format!(
        "De bron \"{source_key}\" is niet beschikbaar in deze installatie (de module die ze \
         levert, ontbreekt), dus de metingen konden niet worden bijgewerkt. Ontkoppel de bron \
         of vraag de beheerder om de module te installeren."
    )
}

/// Pulls the measurements of one indicator from its source and writes them (see
/// [`crate::store::indicator_sources::write_pulled`]).
pub async fn pull(db: &Db, ports: &Ports, indicator_id: &str) -> CoreResult<PullOutcome> {
    let Some(link) = links::find(db.pool(), indicator_id).await? else {
        return Ok(PullOutcome::NotLinked);
    };
    let Some(indicator) = links::indicator(db.pool(), indicator_id).await? else {
        return Ok(PullOutcome::NotLinked);
    };
    let fail = |message: String| async move {
        links::record_error(db.pool(), indicator_id, &message).await?;
        Ok(PullOutcome::Failed(message))
    };
    let Some(source) = source::find(ports, &link.source_key) else {
        return fail(unknown_source_message(&link.source_key)).await;
    };
    let measurements = match source
        .measurements(db, &indicator.organisation_id, &link.series_ref)
        .await
    {
        Ok(measurements) => measurements,
        Err(CoreError::NotFound(_)) => {
            return fail(format!(
                "De reeks \"{}\" bestaat niet meer bij de bron \"{}\".",
                link.series_label,
                source.label()
            ))
            .await
        }
        Err(err) => {
            return fail(format!(
                "De bron \"{}\" gaf een fout: {err}.",
                source.label()
            ))
            .await
        }
    };
    let mut tx = db.begin().await?;
    match links::lock_for_pull(&mut tx, indicator_id).await? {
        Some(now) if now.source_key == link.source_key && now.series_ref == link.series_ref => {}
        // Unlinked or linked elsewhere since: that change pulls for itself.
        _ => return Ok(PullOutcome::NotLinked),
    }
    match links::write_pulled(&mut tx, &indicator, &measurements, source.label()).await {
        Ok(pulled) => {
            links::record_success(&mut tx, indicator_id).await?;
            tx.commit().await?;
            Ok(PullOutcome::Pulled(pulled))
        }
        Err(CoreError::Conflict(message)) => {
            drop(tx);
            fail(message).await
        }
        Err(err) => Err(err),
    }
}

/// Pulls every indicator linked to one series; the first of the plan's own errors, after
/// trying them all.
pub async fn pull_series(
    db: &Db,
    ports: &Ports,
    source_key: &str,
    series_ref: &str,
) -> CoreResult<Vec<PullOutcome>> {
    let mut outcomes = Vec::new();
    let mut first_error = None;
    for indicator_id in links::indicators_of_series(db.pool(), source_key, series_ref).await? {
        match pull(db, ports, &indicator_id).await {
            Ok(outcome) => outcomes.push(outcome),
            Err(err) => {
                tracing::warn!(indicator_id, error = %err, "pulling measurements failed");
                first_error.get_or_insert(err);
            }
        }
    }
    match first_error {
        Some(err) => Err(err),
        None => Ok(outcomes),
    }
}

/// Registers [`PULL_JOB`], whose handler reads the sources from `ports`.
pub fn register_jobs(registry: &mut Registry, ports: &Arc<Ports>) {
    let ports = Arc::clone(ports);
    registry.register(PULL_JOB, move |ctx: JobContext, payload| {
        let ports = Arc::clone(&ports);
        async move { handle_pull(ctx.db(), &ports, payload).await }
    });
}

/// The [`PULL_JOB`] handler.
pub async fn handle_pull(
    db: &Db,
    ports: &Ports,
    payload: serde_json::Value,
) -> Result<(), JobError> {
    let payload: PullPayload = serde_json::from_value(payload)
        .map_err(|err| JobError::permanent(format!("ongeldige opdracht: {err}")))?;
    let result = match payload {
        PullPayload::Indicator { indicator_id } => pull(db, ports, &indicator_id).await.map(drop),
        PullPayload::Series {
            source_key,
            series_ref,
        } => pull_series(db, ports, &source_key, &series_ref)
            .await
            .map(drop),
    };
    result.map_err(JobError::retry)
}

/// Tells the plan that a source's series changed: queues a pull of the indicators linked to
/// it, in the caller's transaction (so the pull happens if and only if the change is
/// committed). Nothing is queued when no indicator links to the series. The pull job looks the
/// indicators up again when it runs, so an indicator linked in the meantime is pulled too.
pub async fn source_changed(tx: &mut Tx<'_>, source_key: &str, series_ref: &str) -> CoreResult<()> {
    if !links::is_linked(&mut **tx, source_key, series_ref).await? {
        return Ok(());
    }
    let payload = PullPayload::Series {
        source_key: source_key.to_string(),
        series_ref: series_ref.to_string(),
    };
    let payload = serde_json::to_value(payload).map_err(anyhow::Error::from)?;
    jobs::enqueue_tx(tx, NewJob::new(PULL_JOB, payload)).await?;
    Ok(())
}

/// The series of a source that plan indicators link to, read in the caller's transaction: a
/// source whose change touches many series asks once, instead of once per series.
pub async fn linked_series(tx: &mut Tx<'_>, source_key: &str) -> CoreResult<Vec<String>> {
    links::linked_series(&mut **tx, source_key).await
}
