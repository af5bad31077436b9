//! The record of bounces and complaints (`nb_bounces`, design §3.4) and what they do to a
//! subscriber: a hard bounce makes the address `gebounced`, a complaint `geblokkeerd` (every
//! list `afgemeld`), a soft bounce counts (`soft_bounces + 1`, one atomic UPDATE) and makes the
//! address `gebounced` at the limit. The same report received twice (same report Message-ID,
//! same recipient) is recorded and counted once. An address without a subscriber is recorded
//! with the address only.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use steden_core::error::CoreResult;
use steden_db::Tx;

use crate::bounces::{BounceKind, Report};
use crate::model::SubscriberStatus;
use crate::store::subscribers;

/// Where a report came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Webhook,
    Cli,
    Imap,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Webhook => "webhook",
            Source::Cli => "cli",
            Source::Imap => "imap",
        }
    }
}

/// What one report did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Applied {
    /// `hard`, `soft` or `complaint`.
    pub kind: &'static str,
    /// The address the report names (as in the report).
    pub recipient: Option<String>,
    /// The subscriber it was about, if the address or our Message-ID names one.
    pub subscriber_id: Option<String>,
    pub campaign_id: Option<String>,
    pub status_code: Option<String>,
    /// The subscriber's status afterwards (unchanged if already blocked or bounced).
    pub status: Option<String>,
    /// The subscriber's soft bounces afterwards.
    pub soft_bounces: Option<i64>,
    /// False when this report had been received before: nothing was done again.
    pub new: bool,
}

/// Records `report` and changes its subscriber, in the caller's transaction.
pub async fn apply(
    tx: &mut Tx<'_>,
    report: &Report,
    source: Source,
    soft_limit: i64,
    now: i64,
) -> CoreResult<Applied> {
    let subscriber = match (&report.recipient, &report.subscriber_id) {
        (Some(email), _) => subscribers::find_by_email(&mut **tx, email).await?,
        (None, Some(id)) => subscribers::find(&mut **tx, id).await?,
        (None, None) => None,
    };
    let who = report
        .recipient
        .clone()
        .or_else(|| subscriber.as_ref().map(|s| s.id.clone()))
        .unwrap_or_default();
    let dedup_key = hex::encode(Sha256::digest(
        format!("{}\n{}", report.report_key, who).as_bytes(),
    ));
    let inserted = sqlx::query(
        "INSERT INTO nb_bounces (id, subscriber_id, email, campaign_id, kind, status_code,
             diagnostic, source, message_id, dedup_key, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (dedup_key) DO NOTHING",
    )
    .bind(steden_db::new_id())
    .bind(subscriber.as_ref().map(|s| s.id.clone()))
    .bind(if subscriber.is_none() {
        report.recipient.clone()
    } else {
        None
    })
    .bind(&report.campaign_id)
    .bind(report.kind.as_str())
    .bind(report.status_code.clone().unwrap_or_default())
    .bind(report.diagnostic.clone().unwrap_or_default())
    .bind(source.as_str())
    .bind(report.message_id.clone().unwrap_or_default())
    .bind(&dedup_key)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let new = inserted.rows_affected() == 1;
    let mut applied = Applied {
        kind: report.kind.as_str(),
        recipient: report.recipient.clone(),
        subscriber_id: subscriber.as_ref().map(|s| s.id.clone()),
        campaign_id: report.campaign_id.clone(),
        status_code: report.status_code.clone(),
        status: None,
        soft_bounces: None,
        new,
    };
    let Some(subscriber) = subscriber else {
        return Ok(applied);
    };
    if new {
        match report.kind {
            BounceKind::Hard => {
                set_status(tx, &subscriber.id, SubscriberStatus::Gebounced, now).await?
            }
            BounceKind::Complaint => {
                subscribers::end_all_lists(tx, &subscriber.id, now).await?;
                set_status(tx, &subscriber.id, SubscriberStatus::Geblokkeerd, now).await?;
            }
            BounceKind::Soft => count_soft(tx, &subscriber.id, soft_limit, now).await?,
        }
    }
    let row = sqlx::query("SELECT status, soft_bounces FROM nb_subscribers WHERE id = $1")
        .bind(&subscriber.id)
        .fetch_one(&mut **tx)
        .await?;
    applied.status = Some(row.get("status"));
    applied.soft_bounces = Some(row.get("soft_bounces"));
    Ok(applied)
}

/// Sets `status` unless the address is already blocked (a block is never undone here) or
/// already has it.
async fn set_status(
    tx: &mut Tx<'_>,
    subscriber_id: &str,
    status: SubscriberStatus,
    now: i64,
) -> CoreResult<()> {
    sqlx::query(
        "UPDATE nb_subscribers SET status = $2, updated_at = $3
         WHERE id = $1 AND status <> $2 AND status <> $4",
    )
    .bind(subscriber_id)
    .bind(status.as_str())
    .bind(now)
    .bind(SubscriberStatus::Geblokkeerd.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One more soft bounce; at `limit`, an address that still receives mail becomes `gebounced`.
/// One statement, so that two reports at once both count.
async fn count_soft(tx: &mut Tx<'_>, subscriber_id: &str, limit: i64, now: i64) -> CoreResult<()> {
    sqlx::query(
        "UPDATE nb_subscribers SET soft_bounces = soft_bounces + 1, updated_at = $2,
             status = CASE WHEN soft_bounces + 1 >= $3 AND status IN ($4, $5) THEN $6
                           ELSE status END
         WHERE id = $1",
    )
    .bind(subscriber_id)
    .bind(now)
    .bind(limit)
    .bind(SubscriberStatus::Onbevestigd.as_str())
    .bind(SubscriberStatus::Bevestigd.as_str())
    .bind(SubscriberStatus::Gebounced.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
