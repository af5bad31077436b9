//! The job `nieuwsbrief.send` (design §0 and §3.3).
//!
//! It takes hold of its campaign ([`deliveries::claim`]), starts it (`gepland` → `bezig`),
//! lists the recipients once, then sends in passes: a feeder reads the recipients due by
//! keyset pages and hands them to `concurrency` slots; a slot builds one message, sends it on
//! its own SMTP connection, hands the outcome to the committer and **waits until it is
//! recorded** before it takes the next recipient. The committer records every outcome that
//! is waiting when it gets to them in one transaction (group commit, no timer) and then lets
//! the waiting slots go. So at any moment at most `concurrency` messages are accepted but not yet
//! recorded, and a crash (`kill -9`) sends at most those again, with the same Message-ID.
//!
//! Pause and cancel change the campaign's status; the committer reads it at every flush and
//! the feeder between pages, the messages in flight finish, and the job ends. Recipients with
//! a temporary failure wait (1, 5, 30 minutes): when only they are left, the job queues a new
//! one for the first of them and ends.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use steden_core::signed_link::Signer;
use steden_db::jobs::{JobContext, JobError, Registry};
use steden_db::{now_ms, Db};
use tokio::sync::{mpsc, oneshot, Mutex};
use tokio::time::Instant;

use crate::links;
use crate::model::{CampaignStatus, SubscriberStatus};
use crate::store::campaigns;
use crate::store::deliveries::{self, Attempt, Claim, Due, Outcome, Standing};

use super::message::{self, CampaignMail, Recipient};
use super::setup::{Line, Pace, SendSetup, SetupCell, Transport};
use super::smtp::SendFailure;
use super::SEND_JOB;

/// Recipients read per page.
pub const PAGE: i64 = 500;
/// How long the job's hold on its campaign lasts without renewal (renewed at every flush and
/// at least every [`IDLE_FLUSH`]).
pub const HOLD_MS: i64 = 120_000;
/// How often (every half second) a run tries to take a campaign another run holds, and when
/// it looks again after that.
const BUSY_TRIES: u32 = 10;
const BUSY_AGAIN_MS: i64 = 30_000;
/// Without outcomes (a slow server), the committer still renews the hold and reads the status.
const IDLE_FLUSH: Duration = Duration::from_secs(5);
/// How often the job's progress (shown on the campaign page) is written while sending.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

#[derive(Deserialize)]
struct Payload {
    campaign_id: String,
}

/// Registers the handler; it reads its setup from `cell` when it runs.
pub fn register(registry: &mut Registry, cell: Arc<SetupCell>) {
    registry.register(SEND_JOB, move |ctx: JobContext, payload| {
        let cell = cell.clone();
        async move {
            let setup = cell.get().ok_or_else(|| {
                JobError::retry("de verzending is nog niet ingesteld (server start nog)")
            })?;
            let Payload { campaign_id } = serde_json::from_value(payload)?;
            run(&ctx, &setup, &campaign_id).await
        }
    });
}

fn failed(err: impl std::fmt::Display) -> JobError {
    JobError::retry(err)
}

/// One run of the job for `campaign_id`.
pub async fn run(ctx: &JobContext, setup: &SendSetup, campaign_id: &str) -> Result<(), JobError> {
    let db = ctx.db();
    let job_id = ctx.job_id();
    let mut busy = 0;
    let status = loop {
        let now = now_ms();
        match deliveries::claim(db, campaign_id, job_id, now, now + HOLD_MS)
            .await
            .map_err(failed)?
        {
            Claim::Held(status) => break status,
            Claim::Missing => return Ok(()),
            // Another run finishes its messages in flight (a few seconds), or goes on sending
            // (resumed before it noticed the pause), or its server died (its hold runs out):
            // look again later rather than keep a worker waiting.
            Claim::Busy if busy >= BUSY_TRIES => {
                let mut tx = db.begin().await?;
                super::queue(&mut tx, campaign_id, now + BUSY_AGAIN_MS)
                    .await
                    .map_err(failed)?;
                tx.commit().await?;
                return Ok(());
            }
            Claim::Busy => {
                busy += 1;
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    };
    let status = if status == CampaignStatus::Gepland {
        deliveries::start(db, campaign_id, now_ms())
            .await
            .map_err(failed)?;
        deliveries::status(db, campaign_id).await.map_err(failed)?
    } else {
        status
    };
    if status != CampaignStatus::Bezig {
        deliveries::release(db, campaign_id, job_id)
            .await
            .map_err(failed)?;
        return Ok(());
    }
    let campaign = campaigns::get(db.pool(), campaign_id)
        .await
        .map_err(failed)?;
    if !deliveries::listed(db, campaign_id).await.map_err(failed)? {
        deliveries::fill(db, campaign_id, &campaign.lists)
            .await
            .map_err(failed)?;
    }
    let (html, text) = campaigns::frozen(db.pool(), campaign_id)
        .await
        .map_err(failed)?
        .ok_or_else(|| JobError::permanent("de nieuwsbrief is niet bevroren"))?;
    let mail = Arc::new(CampaignMail::new(
        campaign.id.clone(),
        campaign.subject.clone(),
        html,
        text,
    ));
    let pace = Pace::load(db).await?;
    let transport = Arc::new(Transport::open(&setup.delivery)?);
    let signer = Arc::new(links::signer(db).await?);
    let tracking = Arc::new(
        crate::stats::mail::tracking(db, &mail, signer.clone(), setup)
            .await
            .map_err(failed)?,
    );
    let run = Run {
        ctx: ctx.clone(),
        setup: Arc::new(setup.clone()),
        mail,
        transport,
        signer,
        pace,
        tracking,
        rate: pace.rate_per_second.map(|r| Arc::new(Rate::new(r))),
    };
    loop {
        let stopped = run.pass().await?;
        if stopped {
            deliveries::release(db, campaign_id, job_id)
                .await
                .map_err(failed)?;
            return Ok(());
        }
        let (waiting, due) = deliveries::waiting(db, campaign_id).await.map_err(failed)?;
        let now = now_ms();
        match due {
            _ if waiting == 0 => {
                deliveries::finish(db, campaign_id, job_id, now)
                    .await
                    .map_err(failed)?;
                tracing::info!(campaign = %campaign_id, "nieuwsbrief verzonden");
                return Ok(());
            }
            Some(due) if due > now => {
                deliveries::continue_at(db, campaign_id, job_id, due)
                    .await
                    .map_err(failed)?;
                return Ok(());
            }
            _ => {}
        }
    }
}

/// What one run shares between feeder, slots and committer.
#[derive(Clone)]
struct Run {
    ctx: JobContext,
    setup: Arc<SendSetup>,
    mail: Arc<CampaignMail>,
    transport: Arc<Transport>,
    signer: Arc<Signer>,
    pace: Pace,
    /// The links through the statistics' redirect and the pixel (crate::stats::mail).
    tracking: Arc<crate::stats::mail::Tracking>,
    rate: Option<Arc<Rate>>,
}

type Recorded = (Attempt, oneshot::Sender<()>);

impl Run {
    /// One pass over the recipients due now. `true` when it stopped because the campaign is no
    /// longer being sent by this job (paused, cancelled, taken over).
    async fn pass(&self) -> Result<bool, JobError> {
        let db = self.ctx.db().clone();
        let campaign_id = self.mail.id.clone();
        let stop = Arc::new(AtomicBool::new(false));
        let (work_tx, work_rx) = mpsc::channel::<Due>(self.pace.concurrency);
        let work_rx = Arc::new(Mutex::new(work_rx));
        let (done_tx, done_rx) = mpsc::channel::<Recorded>(self.pace.concurrency);
        let committer = tokio::spawn(self.clone().commit(done_rx, stop.clone()));
        let slots: Vec<_> = (0..self.pace.concurrency)
            .map(|_| {
                tokio::spawn(
                    self.clone()
                        .slot(work_rx.clone(), done_tx.clone(), stop.clone()),
                )
            })
            .collect();
        // Only the slots hold the two ends: when they have all stopped, the feeder's send fails
        // and the committer's receive ends.
        drop(work_rx);
        drop(done_tx);
        let mut after = String::new();
        let mut feed_error = None;
        'feed: while !stop.load(Ordering::SeqCst) {
            let page = match deliveries::due_page(&db, &campaign_id, &after, now_ms(), PAGE).await {
                Ok(page) => page,
                Err(err) => {
                    feed_error = Some(failed(err));
                    break;
                }
            };
            let Some(last) = page.last() else { break };
            after = last.subscriber_id.clone();
            for due in page {
                if stop.load(Ordering::SeqCst) || work_tx.send(due).await.is_err() {
                    break 'feed;
                }
            }
            match deliveries::status(&db, &campaign_id).await {
                Ok(CampaignStatus::Bezig) => {}
                Ok(_) => stop.store(true, Ordering::SeqCst),
                Err(err) => {
                    feed_error = Some(failed(err));
                    break;
                }
            }
        }
        drop(work_tx);
        if feed_error.is_some() {
            stop.store(true, Ordering::SeqCst);
        }
        for slot in slots {
            let _ = slot.await;
        }
        let committed = committer
            .await
            .map_err(|e| JobError::retry(format!("committer: {e}")))?;
        committed?;
        if let Some(err) = feed_error {
            return Err(err);
        }
        Ok(stop.load(Ordering::SeqCst))
    }

    /// Sends one recipient at a time until there are no more or the run stops.
    async fn slot(
        self,
        work: Arc<Mutex<mpsc::Receiver<Due>>>,
        done: mpsc::Sender<Recorded>,
        stop: Arc<AtomicBool>,
    ) {
        let transport = self.transport.clone();
        let mut line = transport.line();
        self.send_until_done(&work, &done, &stop, &mut line).await;
        line.close().await;
    }

    async fn send_until_done(
        &self,
        work: &Mutex<mpsc::Receiver<Due>>,
        done: &mpsc::Sender<Recorded>,
        stop: &AtomicBool,
        line: &mut Line<'_>,
    ) {
        loop {
            if stop.load(Ordering::SeqCst) {
                return;
            }
            let next = work.lock().await.recv().await;
            let Some(due) = next else { return };
            if stop.load(Ordering::SeqCst) {
                // Taken from the page but not sent: it stays waiting for the next run.
                return;
            }
            let outcome = self.deliver(&due, line).await;
            let (ack, acked) = oneshot::channel();
            let attempt = Attempt {
                subscriber_id: due.subscriber_id,
                attempts_before: due.attempts,
                outcome,
            };
            if done.send((attempt, ack)).await.is_err() || acked.await.is_err() {
                // The committer stopped (a database error): not recorded, so not taken further.
                return;
            }
        }
    }

    /// Builds and sends one message on the slot's `line`; a lost connection is tried once more
    /// at once (on a new connection).
    async fn deliver(&self, due: &Due, line: &mut Line<'_>) -> Outcome {
        if due.status != SubscriberStatus::Bevestigd {
            return Outcome::Skipped(format!(
                "niet verzonden: de abonnee is {}",
                due.status.as_str()
            ));
        }
        if let Some(rate) = &self.rate {
            rate.acquire().await;
        }
        let now = now_ms();
        let links = message::links(&self.setup, &self.signer, &due.subscriber_id, now);
        let mail = self.tracking.mail_for(&due.subscriber_id, now);
        let recipient = Recipient {
            subscriber_id: due.subscriber_id.clone(),
            email: due.email.clone(),
            name: due.name.clone(),
        };
        let build = || message::build(&self.setup, &mail, &recipient, &links);
        let mut tries = 0;
        loop {
            tries += 1;
            let message = match build() {
                Ok(message) => message,
                Err(error) => return Outcome::Permanent(error),
            };
            match line.send(&message).await {
                Ok(()) => return Outcome::Sent,
                Err(SendFailure::Permanent(error)) => return Outcome::Permanent(error),
                Err(SendFailure::Temporary(error)) => return Outcome::Temporary(error),
                Err(SendFailure::Connection(error)) if tries > 1 => {
                    return Outcome::Temporary(error)
                }
                Err(SendFailure::Connection(_)) => {}
            }
        }
    }

    /// Records the slots' outcomes in group commits until every slot has stopped.
    async fn commit(
        self,
        mut done: mpsc::Receiver<Recorded>,
        stop: Arc<AtomicBool>,
    ) -> Result<(), JobError> {
        let db = self.ctx.db().clone();
        let mut reported: Option<Instant> = None;
        loop {
            let mut batch: Vec<Recorded> = Vec::new();
            match tokio::time::timeout(IDLE_FLUSH, done.recv()).await {
                Ok(Some(first)) => batch.push(first),
                Ok(None) => return Ok(()),
                Err(_) => {} // nothing for a while: renew the hold, read the status
            }
            if !batch.is_empty() {
                // Group commit without a timer: take what has arrived, let the slots that are
                // ready hand in theirs (one turn of the runtime), take those too, and commit.
                // Outcomes that arrive during the commit form the next group. A fixed window
                // (it was 5 ms) made every slot wait for it: with 8 slots the sending rate
                // stopped near 8 per window, whatever the mail server could take.
                drain(&mut done, &mut batch, self.pace.concurrency);
                tokio::task::yield_now().await;
                drain(&mut done, &mut batch, self.pace.concurrency);
            }
            let attempts: Vec<Attempt> = batch.iter().map(|(a, _)| a.clone()).collect();
            let standing = match self.flush(&db, &attempts).await {
                Ok(standing) => standing,
                Err(err) => {
                    stop.store(true, Ordering::SeqCst);
                    return Err(err);
                }
            };
            if standing.status != CampaignStatus::Bezig || !standing.held {
                stop.store(true, Ordering::SeqCst);
            }
            for (_, ack) in batch {
                let _ = ack.send(());
            }
            let done_count = (standing.sent + standing.failed).min(standing.recipients);
            // The progress shown to the user: at most every PROGRESS_EVERY, and at the end. A
            // write per group cost a transaction for every few messages; whether this job
            // still holds the campaign is known from `standing` already.
            let finished = done_count >= standing.recipients;
            if !finished && reported.is_some_and(|at| at.elapsed() < PROGRESS_EVERY) {
                continue;
            }
            reported = Some(Instant::now());
            let message = format!(
                "{} verzonden, {} mislukt van {} ontvangers",
                standing.sent, standing.failed, standing.recipients
            );
            if self
                .ctx
                .progress(done_count, standing.recipients.max(1), &message)
                .await
                .is_err()
            {
                // Another worker runs this job now.
                stop.store(true, Ordering::SeqCst);
            }
        }
    }

    /// One group commit, tried three times (a busy database) before the run gives up.
    async fn flush(&self, db: &Db, attempts: &[Attempt]) -> Result<Standing, JobError> {
        let mut tries = 0;
        loop {
            tries += 1;
            let now = now_ms();
            match deliveries::record(
                db,
                &self.mail.id,
                self.ctx.job_id(),
                attempts,
                now,
                now + HOLD_MS,
            )
            .await
            {
                Ok(standing) => return Ok(standing),
                Err(err) if tries >= 3 => return Err(failed(err)),
                Err(err) => {
                    tracing::warn!(error = %err, "verzending niet vastgelegd; opnieuw");
                    tokio::time::sleep(Duration::from_millis(200 * tries)).await;
                }
            }
        }
    }
}

/// Moves the outcomes already waiting in `done` into `batch`, up to `limit` in all.
fn drain(done: &mut mpsc::Receiver<Recorded>, batch: &mut Vec<Recorded>, limit: usize) {
    while batch.len() < limit {
        match done.try_recv() {
            Ok(more) => batch.push(more),
            Err(_) => break,
        }
    }
}

/// At most `per_second` messages per second: each takes the next free moment.
struct Rate {
    interval: Duration,
    next: Mutex<Instant>,
}

impl Rate {
    fn new(per_second: f64) -> Rate {
        Rate {
            interval: Duration::from_secs_f64(1.0 / per_second),
            next: Mutex::new(Instant::now()),
        }
    }

    async fn acquire(&self) {
        let at = {
            let mut next = self.next.lock().await;
            let at = (*next).max(Instant::now());
            *next = at + self.interval;
            at
        };
        tokio::time::sleep_until(at).await;
    }
}
