//! The per-recipient record of a campaign (`nb_deliveries`) and the sending job's hold on its
//! campaign (design §3.3): listing the recipients once when sending starts, the pages of
//! recipients due, recording what the SMTP server answered (many recipients in one
//! transaction, the campaign's totals in the same one), and pause, resume and cancel.

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{now_ms, Db, Tx};

use crate::model::{CampaignStatus, DeliveryStatus, SubscriberStatus, SubscriptionStatus};
use crate::store::campaigns;

/// Recipients listed per statement when sending starts (PostgreSQL statement size, SQLite
/// lock time).
pub const FILL_CHUNK: usize = 5_000;
/// After this many temporary failures a recipient counts as failed.
pub const MAX_ATTEMPTS: i64 = 5;
/// The wait after the 1st, 2nd and later temporary failures: 1, 5, 30 minutes.
pub const BACKOFF_MS: [i64; 3] = [60_000, 5 * 60_000, 30 * 60_000];

const ENTITY: &str = "nb_campaign";

/// The wait before the next try after `attempts` temporary failures.
pub fn backoff_ms(attempts: i64) -> i64 {
    let index = usize::try_from(attempts.max(1) - 1).unwrap_or(0);
    BACKOFF_MS[index.min(BACKOFF_MS.len() - 1)]
}

/// What [`claim`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This job holds the campaign now; its status.
    Held(CampaignStatus),
    /// Another job holds it (and its hold has not expired).
    Busy,
    /// No such campaign.
    Missing,
}

/// Takes the campaign for the job `job_id` until `until`: when nobody holds it, this job
/// already did (a retry of the same job after a crash), or the holder's time ran out. Two jobs
/// of one campaign (a resume while the paused run finishes its messages in flight, a second
/// server) therefore never send at once.
pub async fn claim(
    db: &Db,
    campaign_id: &str,
    job_id: &str,
    now: i64,
    until: i64,
) -> CoreResult<Claim> {
    let row = sqlx::query(
        "UPDATE nb_campaigns SET sender_job = $1, sender_until = $2
         WHERE id = $3 AND (sender_job IS NULL OR sender_job = $1 OR sender_until < $4)
         RETURNING status",
    )
    .bind(job_id)
    .bind(until)
    .bind(campaign_id)
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    match row {
        Some(row) => Ok(Claim::Held(CampaignStatus::parse(
            &row.get::<String, _>("status"),
        )?)),
        None if campaigns::find(db.pool(), campaign_id).await?.is_some() => Ok(Claim::Busy),
        None => Ok(Claim::Missing),
    }
}

/// Lets go of the campaign (the job stops).
pub async fn release(db: &Db, campaign_id: &str, job_id: &str) -> CoreResult<()> {
    release_tx(db.pool(), campaign_id, job_id).await
}

async fn release_tx<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    campaign_id: &str,
    job_id: &str,
) -> CoreResult<()> {
    sqlx::query(
        "UPDATE nb_campaigns SET sender_job = NULL, sender_until = NULL
         WHERE id = $1 AND sender_job = $2",
    )
    .bind(campaign_id)
    .bind(job_id)
    .execute(executor)
    .await?;
    Ok(())
}

/// A scheduled campaign starts: `gepland` → `bezig`. `false` when it was not scheduled.
pub async fn start(db: &Db, campaign_id: &str, now: i64) -> CoreResult<bool> {
    let updated = sqlx::query(
        "UPDATE nb_campaigns SET status = $1, started_at = COALESCE(started_at, $2), updated_at = $2
         WHERE id = $3 AND status = $4",
    )
    .bind(CampaignStatus::Bezig.as_str())
    .bind(now)
    .bind(campaign_id)
    .bind(CampaignStatus::Gepland.as_str())
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(updated == 1)
}

/// Whether the recipients of the campaign were all listed already.
pub async fn listed(db: &Db, campaign_id: &str) -> CoreResult<bool> {
    let flag: i64 = sqlx::query_scalar(
        "SELECT CAST(recipients_listed AS BIGINT) FROM nb_campaigns WHERE id = $1",
    )
    .bind(campaign_id)
    .fetch_one(db.pool())
    .await?;
    Ok(steden_db::flag::from_db(flag))
}

/// Lists the recipients: every confirmed subscriber with an active subscription on one of the
/// campaign's lists, once, in chunks of [`FILL_CHUNK`] by subscriber id (each an `INSERT …
/// SELECT` of its own transaction, idempotent: a crash half-way and the next run goes on).
/// Sets the campaign's `recipients`; the number listed.
pub async fn fill(db: &Db, campaign_id: &str, lists: &[String]) -> CoreResult<i64> {
    let list_params = (0..lists.len().max(1))
        .map(|i| format!("${}", i + 4))
        .collect::<Vec<_>>()
        .join(", ");
    let recipients = format!(
        "FROM nb_subscribers s
         WHERE s.status = $1 AND s.id > $2 AND s.id <= $3 AND EXISTS (
             SELECT 1 FROM nb_subscriptions n JOIN nb_lists l ON l.id = n.list_id
             WHERE n.subscriber_id = s.id AND n.status = '{}' AND l.slug IN ({list_params}))",
        SubscriptionStatus::Actief.as_str()
    );
    // PostgreSQL plans the EXISTS below from its table statistics; a list imported minutes
    // ago has none yet (autovacuum analyses later), and the plan it then picks compares every
    // subscriber with every subscription: 14 s for 10,000 subscribers, hours for 100,000
    // (docs/NIEUWSBRIEF.md, "Benchmark"). Fresh statistics cost milliseconds.
    analyze(db, "nb_subscribers, nb_subscriptions, nb_lists").await?;
    let mut after = String::new();
    loop {
        // The last id of the next chunk (upper bound "~" sorts after every id: ids are
        // alphanumeric).
        let probe_sql = format!(
            "SELECT s.id {recipients} ORDER BY s.id LIMIT 1 OFFSET {}",
            FILL_CHUNK - 1
        );
        let mut probe = sqlx::query(&probe_sql)
            .bind(SubscriberStatus::Bevestigd.as_str())
            .bind(&after)
            .bind("~");
        for slug in lists {
            probe = probe.bind(slug);
        }
        if lists.is_empty() {
            probe = probe.bind("");
        }
        let end: String = match probe.fetch_optional(db.pool()).await? {
            Some(row) => row.get("id"),
            None => "~".to_string(),
        };
        let insert_sql = format!(
            "INSERT INTO nb_deliveries (campaign_id, subscriber_id, status, attempts, next_attempt_at)
             SELECT ${}, s.id, '{}', 0, 0 {recipients}
             ON CONFLICT (campaign_id, subscriber_id) DO NOTHING",
            lists.len().max(1) + 4,
            DeliveryStatus::Wachtend.as_str()
        );
        let mut insert = sqlx::query(&insert_sql)
            .bind(SubscriberStatus::Bevestigd.as_str())
            .bind(&after)
            .bind(&end);
        for slug in lists {
            insert = insert.bind(slug);
        }
        if lists.is_empty() {
            insert = insert.bind("");
        }
        insert.bind(campaign_id).execute(db.pool()).await?;
        if end == "~" {
            break;
        }
        after = end;
    }
    // The same for the pages of recipients due, read next from the rows just written.
    analyze(db, "nb_deliveries").await?;
    let mut tx = db.begin().await?;
    let total: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM nb_deliveries WHERE campaign_id = $1")
            .bind(campaign_id)
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query(
        "UPDATE nb_campaigns SET recipients = $1, recipients_listed = 1, updated_at = $2 WHERE id = $3",
    )
    .bind(total)
    .bind(now_ms())
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(total)
}

/// Refreshes PostgreSQL's planner statistics of `tables` (a fixed list from this file, never
/// input). SQLite plans from its indexes without statistics: nothing to do there.
async fn analyze(db: &Db, tables: &'static str) -> CoreResult<()> {
    if db.backend() == steden_db::Backend::Postgres {
        sqlx::query(&format!("ANALYZE {tables}"))
            .execute(db.pool())
            .await?;
    }
    Ok(())
}

/// A recipient whose message is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub subscriber_id: String,
    pub email: String,
    pub name: String,
    pub status: SubscriberStatus,
    pub attempts: i64,
}

/// The next `limit` recipients still waiting and due at `now`, after subscriber id `after`
/// (keyset: memory stays bounded whatever the list's size).
pub async fn due_page(
    db: &Db,
    campaign_id: &str,
    after: &str,
    now: i64,
    limit: i64,
) -> CoreResult<Vec<Due>> {
    let rows = sqlx::query(
        "SELECT d.subscriber_id, d.attempts, s.email, s.name, s.status
         FROM nb_deliveries d JOIN nb_subscribers s ON s.id = d.subscriber_id
         WHERE d.campaign_id = $1 AND d.status = $2 AND d.next_attempt_at <= $3
               AND d.subscriber_id > $4
         ORDER BY d.subscriber_id LIMIT $5",
    )
    .bind(campaign_id)
    .bind(DeliveryStatus::Wachtend.as_str())
    .bind(now)
    .bind(after)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Due {
                subscriber_id: row.get("subscriber_id"),
                attempts: row.get("attempts"),
                email: row.get("email"),
                name: row.get("name"),
                status: SubscriberStatus::parse(&row.get::<String, _>("status"))?,
            })
        })
        .collect()
}

/// What became of one recipient's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server accepted it.
    Sent,
    /// A temporary refusal (4xx, or no connection): try again later.
    Temporary(String),
    /// A permanent refusal (5xx) or an address that is not one.
    Permanent(String),
    /// Not sent: the subscriber is no longer confirmed (unsubscribed meanwhile).
    Skipped(String),
}

/// One recipient's outcome, with the attempts made before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub subscriber_id: String,
    pub attempts_before: i64,
    pub outcome: Outcome,
}

/// The campaign as the job sees it after recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub status: CampaignStatus,
    /// Whether this job still holds the campaign.
    pub held: bool,
    pub recipients: i64,
    pub sent: i64,
    pub failed: i64,
}

/// Records `attempts` in one transaction (group commit): one `UPDATE … IN (…)` for the sent
/// ones, one statement per failure, the campaign's totals (counted from the rows that changed,
/// so a message sent twice after a crash counts once), and the job's hold renewed until
/// `until`. Returns the campaign's standing, which tells the job whether to go on.
pub async fn record(
    db: &Db,
    campaign_id: &str,
    job_id: &str,
    attempts: &[Attempt],
    now: i64,
    until: i64,
) -> CoreResult<Standing> {
    // The group commit need not wait for PostgreSQL's WAL flush (a disk sync per commit
    // capped a campaign near 100 messages a second). The commit is still durable if this
    // process dies (`kill -9`: PostgreSQL has it); only a crash of PostgreSQL's machine
    // within about 0.6 s (3 × wal_writer_delay) can lose the latest outcomes, and then
    // those messages go out again with the same Message-ID. That is SQLite's guarantee
    // too (WAL with synchronous = NORMAL, crates/db/src/pool.rs). Only this transaction.
    let mut tx = db.begin_relaxed().await?;
    let wachtend = DeliveryStatus::Wachtend.as_str();
    let sent_ids: Vec<&str> = attempts
        .iter()
        .filter(|a| a.outcome == Outcome::Sent)
        .map(|a| a.subscriber_id.as_str())
        .collect();
    let mut sent = 0;
    if !sent_ids.is_empty() {
        let params = (0..sent_ids.len())
            .map(|i| format!("${}", i + 5))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "UPDATE nb_deliveries SET status = $1, sent_at = $2, attempts = attempts + 1,
                    last_error = NULL
             WHERE campaign_id = $3 AND status = $4 AND subscriber_id IN ({params})"
        );
        let mut query = sqlx::query(&sql)
            .bind(DeliveryStatus::Verzonden.as_str())
            .bind(now)
            .bind(campaign_id)
            .bind(wachtend);
        for id in &sent_ids {
            query = query.bind(*id);
        }
        sent = query.execute(&mut *tx).await?.rows_affected() as i64;
    }
    let mut failed = 0;
    for attempt in attempts {
        let (status, error, next) = match &attempt.outcome {
            Outcome::Sent => continue,
            Outcome::Temporary(error) if attempt.attempts_before + 1 < MAX_ATTEMPTS => (
                DeliveryStatus::Wachtend,
                error.as_str(),
                now + backoff_ms(attempt.attempts_before + 1),
            ),
            Outcome::Temporary(error) | Outcome::Permanent(error) => {
                (DeliveryStatus::Mislukt, error.as_str(), 0)
            }
            Outcome::Skipped(reason) => (DeliveryStatus::Overgeslagen, reason.as_str(), 0),
        };
        let attempted = i64::from(!matches!(attempt.outcome, Outcome::Skipped(_)));
        let changed = sqlx::query(
            "UPDATE nb_deliveries SET status = $1, last_error = $2, next_attempt_at = $3,
                    attempts = attempts + $4
             WHERE campaign_id = $5 AND subscriber_id = $6 AND status = $7",
        )
        .bind(status.as_str())
        .bind(truncate(error, 1000))
        .bind(next)
        .bind(attempted)
        .bind(campaign_id)
        .bind(&attempt.subscriber_id)
        .bind(wachtend)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if status == DeliveryStatus::Mislukt {
            failed += changed as i64;
        }
    }
    let row = sqlx::query(
        "UPDATE nb_campaigns SET sent = sent + $1, failed = failed + $2,
                sender_until = CASE WHEN sender_job = $3 THEN $4 ELSE sender_until END
         WHERE id = $5
         RETURNING status, sender_job, recipients, sent, failed",
    )
    .bind(sent)
    .bind(failed)
    .bind(job_id)
    .bind(until)
    .bind(campaign_id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    let holder: Option<String> = row.get("sender_job");
    Ok(Standing {
        status: CampaignStatus::parse(&row.get::<String, _>("status"))?,
        held: holder.as_deref() == Some(job_id),
        recipients: row.get("recipients"),
        sent: row.get("sent"),
        failed: row.get("failed"),
    })
}

fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// How many recipients still wait, and when the first of them is due.
pub async fn waiting(db: &Db, campaign_id: &str) -> CoreResult<(i64, Option<i64>)> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, MIN(next_attempt_at) AS due FROM nb_deliveries
         WHERE campaign_id = $1 AND status = $2",
    )
    .bind(campaign_id)
    .bind(DeliveryStatus::Wachtend.as_str())
    .fetch_one(db.pool())
    .await?;
    Ok((row.get("n"), row.get("due")))
}

/// Every recipient handled: `bezig` → `verzonden`, and the job lets go. `false` when the
/// campaign was no longer being sent (paused or cancelled meanwhile).
pub async fn finish(db: &Db, campaign_id: &str, job_id: &str, now: i64) -> CoreResult<bool> {
    let mut tx = db.begin().await?;
    let updated = sqlx::query(
        "UPDATE nb_campaigns SET status = $1, finished_at = $2, updated_at = $2
         WHERE id = $3 AND status = $4",
    )
    .bind(CampaignStatus::Verzonden.as_str())
    .bind(now)
    .bind(campaign_id)
    .bind(CampaignStatus::Bezig.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 1 {
        // Sent: into the public archive and the site's search (the default), in this commit.
        crate::store::archive::publish_sent(&mut tx, campaign_id, now).await?;
    }
    release_tx(&mut *tx, campaign_id, job_id).await?;
    tx.commit().await?;
    Ok(updated == 1)
}

/// Some recipients wait for a later try: the job lets go and a new one is queued for then.
pub async fn continue_at(db: &Db, campaign_id: &str, job_id: &str, at: i64) -> CoreResult<()> {
    let mut tx = db.begin().await?;
    release_tx(&mut *tx, campaign_id, job_id).await?;
    crate::send::queue(&mut tx, campaign_id, at).await?;
    tx.commit().await?;
    Ok(())
}

/// The status of the campaign (for the job between pages).
pub async fn status(db: &Db, campaign_id: &str) -> CoreResult<CampaignStatus> {
    let status: String = sqlx::query_scalar("SELECT status FROM nb_campaigns WHERE id = $1")
        .bind(campaign_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(CoreError::NotFound("campagne"))?;
    CampaignStatus::parse(&status)
}

/// The recipients of a campaign by what became of their message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub wachtend: i64,
    pub verzonden: i64,
    pub mislukt: i64,
    pub overgeslagen: i64,
}

impl Counts {
    pub fn total(&self) -> i64 {
        self.wachtend + self.verzonden + self.mislukt + self.overgeslagen
    }

    /// Handled (sent, failed or skipped) in percent of all, 0 when there are none.
    pub fn percent(&self) -> i64 {
        match self.total() {
            0 => 0,
            total => (total - self.wachtend) * 100 / total,
        }
    }
}

pub async fn counts<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    campaign_id: &str,
) -> CoreResult<Counts> {
    let rows = sqlx::query(
        "SELECT status, COUNT(*) AS n FROM nb_deliveries WHERE campaign_id = $1 GROUP BY status",
    )
    .bind(campaign_id)
    .fetch_all(executor)
    .await?;
    let mut counts = Counts::default();
    for row in rows {
        let n: i64 = row.get("n");
        match DeliveryStatus::parse(&row.get::<String, _>("status"))? {
            DeliveryStatus::Wachtend => counts.wachtend = n,
            DeliveryStatus::Verzonden => counts.verzonden = n,
            DeliveryStatus::Mislukt => counts.mislukt = n,
            DeliveryStatus::Overgeslagen => counts.overgeslagen = n,
        }
    }
    Ok(counts)
}

/// An editor's change of a campaign's sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// `bezig` → `gepauzeerd`: the job finishes the messages in flight and stops.
    Pause,
    /// `gepauzeerd` → `bezig`, and the job is queued again.
    Resume,
    /// `gepland`, `bezig` or `gepauzeerd` → `geannuleerd`: nothing more is sent.
    Cancel,
}

impl Control {
    fn allowed_from(self) -> &'static [CampaignStatus] {
        match self {
            Control::Pause => &[CampaignStatus::Bezig],
            Control::Resume => &[CampaignStatus::Gepauzeerd],
            Control::Cancel => &[
                CampaignStatus::Gepland,
                CampaignStatus::Bezig,
                CampaignStatus::Gepauzeerd,
            ],
        }
    }

    fn to_status(self) -> CampaignStatus {
        match self {
            Control::Pause => CampaignStatus::Gepauzeerd,
            Control::Resume => CampaignStatus::Bezig,
            Control::Cancel => CampaignStatus::Geannuleerd,
        }
    }

    fn refusal(self) -> &'static str {
        match self {
            Control::Pause => {
                "Deze nieuwsbrief wordt nu niet verzonden en kan dus niet gepauzeerd worden."
            }
            Control::Resume => "Deze nieuwsbrief is niet gepauzeerd en kan dus niet hervat worden.",
            Control::Cancel => "Deze nieuwsbrief is al verzonden of geannuleerd.",
        }
    }

    fn action(self) -> &'static str {
        match self {
            Control::Pause => "pause",
            Control::Resume => "resume",
            Control::Cancel => "cancel",
        }
    }
}

/// Applies `control` to the campaign, with its audit entry, in the caller's transaction; a
/// campaign in another state is a conflict with a Dutch message, nothing written (the
/// condition is in the UPDATE: two editors cannot both resume and queue two jobs).
pub async fn control(
    tx: &mut Tx<'_>,
    campaign_id: &str,
    control: Control,
    actor: &AuditActor,
) -> CoreResult<CampaignStatus> {
    let campaign = campaigns::get(&mut **tx, campaign_id).await?;
    let from = control.allowed_from();
    if !from.contains(&campaign.status) {
        return Err(CoreError::Conflict(control.refusal().into()));
    }
    let now = now_ms();
    let to = control.to_status();
    let finished = (control == Control::Cancel).then_some(now);
    let updated = sqlx::query(
        "UPDATE nb_campaigns SET status = $1, updated_at = $2,
                finished_at = COALESCE($3, finished_at)
         WHERE id = $4 AND status = $5",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(finished)
    .bind(campaign_id)
    .bind(campaign.status.as_str())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(CoreError::Conflict(control.refusal().into()));
    }
    if control == Control::Resume {
        crate::send::queue(tx, campaign_id, now).await?;
    }
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: campaign_id,
            action: control.action(),
            summary: &format!(
                "Verzending van nieuwsbrief '{}': {}",
                campaign.subject,
                to.as_str()
            ),
            changes: Changes::new().field("status", campaign.status.as_str(), to.as_str()),
        },
    )
    .await?;
    Ok(to)
}
