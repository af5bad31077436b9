//! The record of bounces and complaints (`nb_bounces`, design §3.4) and what they do to a
//! subscriber: a hard bounce makes the address `gebounced`, a complaint `geblokkeerd` (every
//! list `afgemeld`), a soft bounce counts (`soft_bounces + 1`, one atomic UPDATE) and makes the
//! address `gebounced` at the limit. The same report received twice (same report Message-ID,
//! same recipient) is recorded and counted once. An address without a subscriber is recorded
//! with the address only.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
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

/// One bounce or complaint as a subscriber's page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BounceLine {
    pub received_at: i64,
    /// `hard`, `soft` or `complaint`.
    pub kind: String,
    pub status_code: String,
    pub campaign_id: Option<String>,
    /// The campaign's subject, when the campaign still exists.
    pub campaign_subject: Option<String>,
}

/// The bounces and complaints of a subscriber, newest first (at most `limit`).
pub async fn list_for<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    subscriber_id: &str,
    limit: i64,
) -> CoreResult<Vec<BounceLine>> {
    let rows = sqlx::query(
        "SELECT b.received_at, b.kind, b.status_code, b.campaign_id, c.subject
         FROM nb_bounces b LEFT JOIN nb_campaigns c ON c.id = b.campaign_id
         WHERE b.subscriber_id = $1
         ORDER BY b.received_at DESC, b.id DESC
         LIMIT $2",
    )
    .bind(subscriber_id)
    .bind(limit)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| BounceLine {
            received_at: row.get("received_at"),
            kind: row.get("kind"),
            status_code: row.get("status_code"),
            campaign_id: row.get("campaign_id"),
            campaign_subject: row.get("subject"),
        })
        .collect())
}

/// A campaign's bounces and complaints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CampaignBounces {
    pub hard: i64,
    pub soft: i64,
    pub complaints: i64,
}

/// Counts the reports that name `campaign_id`, by kind.
pub async fn campaign_counts<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    campaign_id: &str,
) -> CoreResult<CampaignBounces> {
    let rows = sqlx::query(
        "SELECT kind, COUNT(*) AS n FROM nb_bounces WHERE campaign_id = $1 GROUP BY kind",
    )
    .bind(campaign_id)
    .fetch_all(executor)
    .await?;
    let mut counts = CampaignBounces::default();
    for row in rows {
        let n: i64 = row.get("n");
        match row.get::<String, _>("kind").as_str() {
            "hard" => counts.hard = n,
            "soft" => counts.soft = n,
            "complaint" => counts.complaints = n,
            _ => {}
        }
    }
    Ok(counts)
}

/// How long a bounce record is kept (design §3.7): 24 months, counted as 730 days.
pub const KEEP_MS: i64 = 730 * DAY_MS;
/// A successful delivery this long after the last soft bounce sets the count back to 0.
pub const SOFT_RESET_MS: i64 = 30 * DAY_MS;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Deletes the bounce records older than [`KEEP_MS`] at `now`; returns how many. One audit
/// entry for the run, without addresses (as the retention of unconfirmed subscribers).
pub async fn delete_expired(tx: &mut Tx<'_>, now: i64) -> CoreResult<u64> {
    let deleted = sqlx::query("DELETE FROM nb_bounces WHERE received_at < $1")
        .bind(now - KEEP_MS)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if deleted > 0 {
        audit::record(
            tx,
            NewEntry {
                actor: &AuditActor::system(),
                organisation_id: None,
                entity_type: "nb_bounce",
                entity_id: "bewaartermijn",
                action: "retention",
                summary: &format!(
                    "{deleted} bounce- en klachtregistratie(s) verwijderd na 24 maanden"
                ),
                changes: Changes::new(),
            },
        )
        .await?;
    }
    Ok(deleted)
}

/// Sets the soft bounce count back to 0 for every subscriber still receiving mail who had a
/// message delivered more than [`SOFT_RESET_MS`] after their last soft bounce (a record older
/// than the retention counts as long ago); returns how many. Run daily: the count only
/// matters at the next soft bounce, and a daily statement keeps the sending path as it is.
pub async fn reset_soft_counts(tx: &mut Tx<'_>, now: i64) -> CoreResult<u64> {
    let reset = sqlx::query(
        "UPDATE nb_subscribers SET soft_bounces = 0, updated_at = $1
         WHERE soft_bounces > 0 AND status IN ($2, $3)
           AND EXISTS (
             SELECT 1 FROM nb_deliveries d
             WHERE d.subscriber_id = nb_subscribers.id AND d.status = $4
               AND d.sent_at > $5 + COALESCE(
                 (SELECT MAX(b.received_at) FROM nb_bounces b
                  WHERE b.subscriber_id = nb_subscribers.id AND b.kind = $6), 0))",
    )
    .bind(now)
    .bind(SubscriberStatus::Onbevestigd.as_str())
    .bind(SubscriberStatus::Bevestigd.as_str())
    .bind(crate::model::DeliveryStatus::Verzonden.as_str())
    .bind(SOFT_RESET_MS)
    .bind(BounceKind::Soft.as_str())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(reset)
}
